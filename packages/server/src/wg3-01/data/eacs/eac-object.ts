/**
 * An `eacs` row as the Energy Attribute Certificate object of CDS-WG3-01 §10.9.1, as one token may
 * see it, and the one rule deciding which `beneficiaries` it may see (§10.9.2, A-06, A-40): the
 * listing prunes the array and matches the `beneficiaries` filter with the same SQL condition.
 *
 * @see CDS-WG3-01 §10.9.1 Energy Attribute Certificate Object Format
 * @see CDS-WG3-01 §10.9.2 Beneficiary Types
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { sql, type Kysely, type RawBuilder, type Selectable } from 'kysely'
import type { EacsTable } from '../../../db/customer-data-tables.js'
import type { Database, JsonText } from '../../../db/database.js'
import { exactInstant, jsonValue, syncedAt } from '../projection.js'
import type { DataAccess } from '../types.js'

/** Rows of `eacs` with the cursor keys as database text and the beneficiaries already pruned. */
export type EacRow = Omit<Selectable<EacsTable>, 'beneficiaries' | 'eac_data_url'> & {
  /** Never null: the listing leaves out EACs stored without a data link. */
  eac_data_url: string
  /** `period_start` as RFC 3339 text with microseconds, the first cursor key. */
  sort_period_start: string
  /** `cds_created` as RFC 3339 text with microseconds, the second cursor key. */
  sort_created: string
  /** The `beneficiaries` the token may see, in stored order ({@link visibleBeneficiaries}). */
  beneficiaries: JsonText<string[]>
}

/**
 * True when the token may see `value` as a beneficiary of the EAC row in scope (`eacs`), read as
 * the kind its `beneficiary_type` names (§10.9.2):
 * - `account`, `servicecontract`: an id of an Account / Service Contract the token may list (A-06);
 * - `customer`: the `customer_number` of a visible Account, with `include_account_numbers` (A-40);
 * - `rateplan`: the `rateplan_code` of a visible Service Contract, with `include_rate_plans` (A-40);
 * - `program`: a `program_number` of a visible Account's programs with `include_account_programs`,
 *   or of a visible Service Contract's with `include_service_programs` (A-40);
 * - `general` lists nobody (R3-01-10.9.2-07), and a type this server does not know shows nothing.
 *
 * @see CDS-WG3-01 §10.9.2 Beneficiary Types
 */
export function beneficiaryVisible(access: DataAccess, value: RawBuilder<string>): RawBuilder<boolean> {
  const account = (match: RawBuilder<boolean>) => sql<boolean>`exists (select 1 from accounts where ${match} and ${access.visible('account')})`
  const contract = (match: RawBuilder<boolean>) =>
    sql<boolean>`exists (select 1 from service_contracts where ${match} and ${access.visible('service_contract')})`
  const when = (type: string, condition: RawBuilder<boolean>) => sql<boolean>`(eacs.beneficiary_type = ${type} and ${condition})`
  const branches = [
    // R3-01-10.9.2-03, -04
    when('account', account(sql`accounts.cds_account_id = ${value}`)),
    when('servicecontract', contract(sql`service_contracts.cds_servicecontract_id = ${value}`)),
  ]
  // R3-01-10.9.2-02, -05, -06: the number kinds are as visible as the fields that carry them.
  if (access.includes('include_account_numbers')) branches.push(when('customer', account(sql`accounts.customer_number = ${value}`)))
  if (access.includes('include_rate_plans')) branches.push(when('rateplan', contract(sql`service_contracts.rateplan_code = ${value}`)))
  if (access.includes('include_account_programs')) branches.push(when('program', account(sql`accounts.program_numbers ? ${value}`)))
  if (access.includes('include_service_programs')) branches.push(when('program', contract(sql`service_contracts.program_numbers ? ${value}`)))
  return sql<boolean>`(${sql.join(branches, sql` or `)})`
}

/**
 * The select item holding the EAC's `beneficiaries` pruned by {@link beneficiaryVisible}, as `jsonb`
 * text in stored order.
 *
 * @see CDS-WG3-01 §10.9.2 Beneficiary Types
 */
export function visibleBeneficiaries(access: DataAccess): RawBuilder<JsonText<string[]>> {
  return sql<JsonText<string[]>>`cast((
    select coalesce(jsonb_agg(beneficiary.value order by beneficiary.position), '[]'::jsonb)
    from jsonb_array_elements_text(eacs.beneficiaries) with ordinality as beneficiary(value, position)
    where ${beneficiaryVisible(access, sql<string>`beneficiary.value`)}
  ) as text)`
}

/**
 * Every EAC as an {@link EacRow} for the token; add the visibility condition and the filters.
 *
 * @see CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates
 */
export function selectEacs(db: Kysely<Database>, access: DataAccess) {
  return db
    .selectFrom('eacs')
    .select([
      'eacs.cds_eac_id',
      'eacs.cds_created',
      'eacs.cds_modified',
      'eacs.cds_synced',
      'eacs.beneficiary_type',
      'eacs.eac_numbers',
      'eacs.eac_format',
      sql<string>`eacs.eac_data_url`.as('eac_data_url'),
      'eacs.period_start',
      'eacs.period_end',
      exactInstant('eacs.period_start').as('sort_period_start'),
      exactInstant('eacs.cds_created').as('sort_created'),
      visibleBeneficiaries(access).as('beneficiaries'),
    ])
}

/**
 * The EAC object of one row (catalog §2.9.1). EACs have no `include_*` gated fields.
 *
 * @see CDS-WG3-01 §10.9.1 Energy Attribute Certificate Object Format
 */
export function eacObject(row: EacRow, access: Pick<DataAccess, 'windows'>): Record<string, unknown> {
  return {
    cds_eac_id: row.cds_eac_id,
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_synced: syncedAt(row.cds_synced, access),
    beneficiary_type: row.beneficiary_type,
    beneficiaries: jsonValue(row.beneficiaries) ?? [],
    // R3-01-10.9.1-02: `[]` when there are none.
    eac_numbers: jsonValue(row.eac_numbers) ?? [],
    eac_format: row.eac_format,
    eac_data_url: row.eac_data_url,
    period_start: toDateTime(row.period_start),
    period_end: toDateTime(row.period_end),
  }
}
