/**
 * The wire form of a stored Service Contract (CDS-WG3-01 §10.2.1): the always-present fields, the
 * fields each `include_*` gate turns on, and the owning Account's number.
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import type { Kysely, Selectable } from 'kysely'
import type { Database, ServiceContractsTable } from '../../../db/database.js'
import { gated, ifKnown, jsonValue, sortModified, syncedAt, visiblePrograms } from '../projection.js'
import type { DataAccess } from '../types.js'

/**
 * A `service_contracts` row with its Account's `account_number` and its `cds_modified` as database
 * text (the cursor key).
 *
 * @see CDS-WG3-01 §10.2.1 Service Contract Object Format
 */
export type ServiceContractRow = Selectable<ServiceContractsTable> & { owner_account_number: string; sort_modified: string }

/**
 * Every Service Contract as a {@link ServiceContractRow}; add the visibility condition and the
 * filters. The Account is joined as `owner_account`, so `accounts` stays free for the visibility
 * condition's own subqueries.
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export function selectServiceContracts(db: Kysely<Database>) {
  return db
    .selectFrom('service_contracts')
    .innerJoin('accounts as owner_account', 'owner_account.cds_account_id', 'service_contracts.cds_account_id')
    .selectAll('service_contracts')
    .select(['owner_account.account_number as owner_account_number', sortModified('service_contracts').as('sort_modified')])
}

/**
 * The Service Contract object of one row, its fields in the order of §10.2.1.
 *
 * @see CDS-WG3-01 §10.2.1 Service Contract Object Format
 */
export function serviceContractObject(row: ServiceContractRow, access: DataAccess): Record<string, unknown> {
  return {
    cds_servicecontract_id: row.cds_servicecontract_id,
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_synced: syncedAt(row.cds_synced, access),
    // the owning Account's id is required and not personal data, so it is emitted even when
    // that Account is not visible to the token.
    cds_account_id: row.cds_account_id,
    // CDS-WG3-01 §10.2.1: a copy of the Account's number, under the Account's gate (§7.2.1.1).
    ...gated(access, 'include_account_numbers', { account_number: row.owner_account_number }),
    // `contract_number` and `contract_entity` are nullable: unknown is null (catalog §0.2).
    ...gated(access, 'include_contract_numbers', { contract_number: row.contract_number }),
    ...gated(access, 'include_service_contract_details', ifKnown({ contract_address: row.contract_address })),
    contract_types: jsonValue(row.contract_types) ?? [],
    ...gated(access, 'include_contract_numbers', { contract_entity: jsonValue(row.contract_entity) }),
    contract_status: row.contract_status,
    // `contract_start` is absent when unknown; `contract_end` is null while the contract runs (§10.2.1).
    ...gated(access, 'include_service_contract_details', { ...ifKnown({ contract_start: row.contract_start }), contract_end: row.contract_end }),
    service_types: jsonValue(row.service_types) ?? [],
    ...gated(access, 'include_rate_plans', ifKnown({ rateplan_code: row.rateplan_code, rateplan_name: row.rateplan_name })),
    // CDS-WG3-01 §10.2.1: `[]` when there are no programs or no data.
    ...gated(access, 'include_service_programs', { service_programs: visiblePrograms(jsonValue(row.service_programs) ?? [], access.programs?.service) }),
  }
}
