/**
 * Listing Energy Attribute Certificates (CDS-WG3-01 §10.9.4): the EACs a token may see, filtered by
 * id, EAC number, beneficiary and period overlap, latest `period_start` first.
 *
 * @see CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates
 * @module
 */
import { EacListing, EacListingQuery } from '@cds-ts/schema'
import { sql } from 'kysely'
import type { Database } from '../../../db/database.js'
import { keysetPageBy, type SortKey } from '../../../db/keyset.js'
import { parseDateTimeFilter, parseIdList, whereArrayHasAny, whereIn } from '../../../shared/filters.js'
import type { Condition } from '../projection.js'
import type { DataAccess, DataListing, ListingRequest } from '../types.js'
import { beneficiaryVisible, eacObject, selectEacs, type EacRow } from './eac-object.js'

/**
 * The order of §10.9.4 (catalog §1.9): `period_start` descending, `cds_created` descending, then
 * `cds_eac_id` ascending; the columns of `eacs_order_idx`. The datetimes are keyed at the
 * database's microsecond precision, so sub-millisecond instants never make a page skip a row.
 */
const KEYS: readonly SortKey<EacRow>[] = [
  { column: 'eacs.period_start', direction: 'desc', type: 'timestamptz', value: (row) => row.sort_period_start },
  { column: 'eacs.cds_created', direction: 'desc', type: 'timestamptz', value: (row) => row.sort_created },
  { column: 'eacs.cds_eac_id', direction: 'asc', type: 'text', value: (row) => row.cds_eac_id },
]

const TRUE = sql<boolean>`true`

/**
 * `beneficiaries` (R3-01-10.9.4-06): any beneficiary equal to one of `values`, whatever its type,
 * but only among the beneficiaries the token sees, so the filter cannot confirm a hidden customer
 * number, rate plan or program (A-13).
 */
function whereBeneficiary(access: DataAccess, values: ReadonlySet<string> | undefined): Condition {
  return () =>
    values === undefined
      ? TRUE
      : sql<boolean>`exists (
          select 1 from jsonb_array_elements_text(eacs.beneficiaries) as beneficiary(value)
          where beneficiary.value in (${sql.join([...values])}) and ${beneficiaryVisible(access, sql<string>`beneficiary.value`)})`
}

/**
 * One page of EACs for the token. The filters intersect (R3-01-10.9.4-10).
 *
 * @throws {InvalidRequest} (400) when `before` or `after` is not an RFC 3339 date-time (A-14)
 * @see CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates
 */
async function list({ db, access, query, cursor }: ListingRequest<EacListingQuery>) {
  const before = parseDateTimeFilter('before', query.before)
  const after = parseDateTimeFilter('after', query.after)
  const rows = selectEacs(db, access)
    // include_eacs and the related-object rules of §7.2.9 (catalog §1.4).
    .where(access.visible('eac'))
    // §10.9.1: `eac_data_url` is REQUIRED; an EAC stored without one is incomplete and not published.
    .where('eacs.eac_data_url', 'is not', null)
    // R3-01-10.9.4-04, -05
    .where(whereIn<Database, 'eacs'>('eacs.cds_eac_id', parseIdList(query.cds_eac_ids)))
    .where(whereArrayHasAny<Database, 'eacs'>('eacs.eac_numbers', parseIdList(query.eac_numbers)))
    .where(whereBeneficiary(access, parseIdList(query.beneficiaries)))
    // R3-01-10.9.4-08, -09 (catalog §1.8, A-52): periods overlapping [after, before], inclusive.
    .where(before === undefined ? TRUE : sql<boolean>`eacs.period_start <= cast(${before} as timestamptz)`)
    .where(after === undefined ? TRUE : sql<boolean>`eacs.period_end >= cast(${after} as timestamptz)`)
  const page = await keysetPageBy(rows, { keys: KEYS, cursor })
  return { ...page, items: page.items.map((row) => eacObject(row, access)) }
}

/**
 * Listing EACs (CDS-WG3-01 §10.9.4).
 *
 * @see CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates
 */
export const eacsListing: DataListing<EacListingQuery> = {
  api: 'cds_eacs_api',
  envelope: 'eacs',
  operationId: 'listEacs',
  summary: 'Listing EACs (CDS-WG3-01 §10.9.4)',
  querystring: EacListingQuery,
  response: EacListing,
  sortKeys: KEYS.length,
  list,
}
