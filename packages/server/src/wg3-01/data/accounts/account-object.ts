/**
 * The wire form of a stored Account (CDS-WG3-01 §10.1.1): the always-present fields, the fields
 * each `include_*` gate turns on, and the parent reference pruned to what the token may see.
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import type { Kysely, Selectable } from 'kysely'
import type { AccountsTable, Database } from '../../../db/database.js'
import { gated, ifKnown, jsonValue, sortModified, syncedAt, visiblePrograms } from '../projection.js'
import type { DataAccess } from '../types.js'

/**
 * An `accounts` row with its `cds_modified` as database text (the cursor key).
 *
 * @see CDS-WG3-01 §10.1.1 Account Object Format
 */
export type AccountRow = Selectable<AccountsTable> & { sort_modified: string }

/**
 * Every Account as an {@link AccountRow}; add the visibility condition and the filters.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function selectAccounts(db: Kysely<Database>) {
  return db.selectFrom('accounts').selectAll('accounts').select(sortModified('accounts').as('sort_modified'))
}

/**
 * The Account object of one row.
 *
 * @param visibleParents the `cds_account_parent` ids of the page that the token may see
 * @see CDS-WG3-01 §10.1.1 Account Object Format
 */
export function accountObject(row: AccountRow, access: DataAccess, visibleParents: ReadonlySet<string>): Record<string, unknown> {
  const parent = row.cds_account_parent
  const types = jsonValue(row.account_types) ?? []
  return {
    cds_account_id: row.cds_account_id,
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_synced: syncedAt(row.cds_synced, access),
    // Catalog §2.1.1: the parent's id only when the token could list that Account; with
    // `include_accounts` ancestors are visible, so in practice this only hides a parent the Grant
    // does not cover.
    cds_account_parent: parent !== null && visibleParents.has(parent) ? parent : null,
    // CDS-WG3-01 §7.2.1.1: numbers and the entity; `customer_number` and `account_entity` are
    // nullable, so an unknown value is null (§10.1.1, catalog §0.2).
    ...gated(access, 'include_account_numbers', {
      customer_number: row.customer_number,
      account_number: row.account_number,
      account_entity: jsonValue(row.account_entity),
    }),
    // CDS-WG3-01 §7.2.1.2: name and address appear "if available" (absent when unknown, A-02);
    // `account_types` is never `[]`, so it is left out when no type is known.
    ...gated(access, 'include_account_details', {
      ...ifKnown({ account_name: row.account_name, account_address: row.account_address }),
      ...(types.length > 0 ? { account_types: types } : {}),
      account_status: row.account_status,
      account_contacts: jsonValue(row.account_contacts) ?? [],
    }),
    // CDS-WG3-01 §10.1.1: `[]` when there are no programs or no data.
    ...gated(access, 'include_account_programs', { account_programs: visiblePrograms(jsonValue(row.account_programs) ?? [], access.programs?.account) }),
  }
}
