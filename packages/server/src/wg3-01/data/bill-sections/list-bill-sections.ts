/**
 * Listing Bill Sections (CDS-WG3-01 §10.6.9): the sections a token may see, filtered by id, date
 * overlap, statement, Account, account number, Service Contract and contract number, ordered by
 * account number, contract number and start date.
 *
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 * @module
 */
import { BillSectionListing, BillSectionListingQuery } from '@cds-ts/schema'
import { sql } from 'kysely'
import type { Database } from '../../../db/database.js'
import { keysetPageBy, type SortKey } from '../../../db/keyset.js'
import { parseDateFilter, parseIdList, whereIn } from '../../../shared/filters.js'
import { visibleOnly, whereNumberIn, type Condition } from '../projection.js'
import type { DataAccess, DataListing, DataObjectType, ListingRequest } from '../types.js'
import { billSectionObject, sectionLinks, selectBillSections, type BillSectionRow } from './bill-section-object.js'

/**
 * The order of §10.6.9 (catalog §1.9, A-17): account number and the smallest related contract
 * number ascending in code-point order (missing numbers are stored as `SORT_LAST`), `start_date`
 * ascending, `cds_modified` descending, then the id; the columns of `bill_sections_order_idx`.
 */
const KEYS: readonly SortKey<BillSectionRow>[] = [
  { column: 'bill_sections.account_number', direction: 'asc', type: 'text', codePoint: true, value: (row) => row.account_number },
  { column: 'bill_sections.sort_contract_number', direction: 'asc', type: 'text', codePoint: true, value: (row) => row.sort_contract_number },
  { column: 'bill_sections.start_date', direction: 'asc', type: 'date', value: (row) => row.start_date },
  { column: 'bill_sections.cds_modified', direction: 'desc', type: 'timestamptz', value: (row) => row.sort_modified },
  { column: 'bill_sections.cds_billsection_id', direction: 'asc', type: 'text', value: (row) => row.cds_billsection_id },
]

const TRUE = sql<boolean>`true`
const FALSE = sql<boolean>`false`

/**
 * `column IN ids`, but only over the ids the token may see: a reference the object shows as `null`
 * or leaves out of its (pruned) array never matches, so the filter cannot reveal it.
 */
async function whereVisibleIn(access: DataAccess, type: DataObjectType, column: string, ids: ReadonlySet<string> | undefined): Promise<Condition> {
  if (ids === undefined) return () => TRUE
  const visible = await visibleOnly(access, type, [...ids])
  return () => (visible.length === 0 ? FALSE : sql<boolean>`${sql.ref(column)} in (${sql.join(visible)})`)
}

/**
 * `contract_numbers` (R3-01-10.6.9-11, A-13): a related Service Contract the token may see, whose
 * `contract_number` it may see too, carries one of the numbers.
 */
function whereContractNumberIn(access: DataAccess, numbers: ReadonlySet<string> | undefined): Condition {
  return () => {
    if (numbers === undefined) return TRUE
    if (!access.includes('include_contract_numbers')) return FALSE
    return sql<boolean>`exists (
      select 1 from bill_section_links
      join service_contracts on service_contracts.cds_servicecontract_id = bill_section_links.object_id
      where bill_section_links.cds_billsection_id = bill_sections.cds_billsection_id
        and bill_section_links.object_type = 'service_contract'
        and service_contracts.contract_number in (${sql.join([...numbers])})
        and ${access.visible('service_contract')})`
  }
}

/**
 * `cds_servicecontract_ids` (R3-01-10.6.9-10): any element of the pruned `related_servicecontracts`.
 */
async function whereRelatedContract(access: DataAccess, ids: ReadonlySet<string> | undefined): Promise<Condition> {
  if (ids === undefined) return () => TRUE
  const visible = await visibleOnly(access, 'service_contract', [...ids])
  if (visible.length === 0) return () => FALSE
  return () => sql<boolean>`exists (
    select 1 from bill_section_links
    where bill_section_links.cds_billsection_id = bill_sections.cds_billsection_id
      and bill_section_links.object_type = 'service_contract'
      and bill_section_links.object_id in (${sql.join(visible)}))`
}

/**
 * One page of Bill Sections for the token. The filters intersect (R3-01-10.6.9-12).
 *
 * @throws {InvalidRequest} (400) when `before` or `after` is not a date
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 */
async function list({ db, access, query, cursor }: ListingRequest<BillSectionListingQuery>) {
  const before = parseDateFilter('before', query.before)
  const after = parseDateFilter('after', query.after)
  const rows = selectBillSections(db)
    // The visible set of catalog §2.6 (selections, expansions and the Grant's date window).
    .where(access.visible('bill_section'))
    // R3-01-10.6.9-04, -08
    .where(whereIn<Database, 'bill_sections'>('bill_sections.cds_billsection_id', parseIdList(query.cds_billsection_ids)))
    .where(whereIn<Database, 'bill_sections'>('bill_sections.cds_account_id', parseIdList(query.cds_account_ids)))
    // R3-01-10.6.9-05, -06 (catalog §1.8, A-52): start on or before `before`, end on or after
    // `after`: the sections that overlap [after, before], boundaries included.
    .where(before === undefined ? TRUE : sql<boolean>`bill_sections.start_date <= cast(${before} as date)`)
    .where(after === undefined ? TRUE : sql<boolean>`bill_sections.end_date >= cast(${after} as date)`)
    // R3-01-10.6.9-07, A-13: only a statement reference the token sees (a null never matches).
    .where(await whereVisibleIn(access, 'bill_statement', 'bill_sections.cds_billstatement_id', parseIdList(query.cds_billstatement_ids)))
    // R3-01-10.6.9-09, A-13: the number at issuance, when the token may see account numbers.
    .where(whereNumberIn(access, 'include_account_numbers', 'bill_sections.account_number', parseIdList(query.account_numbers)))
    .where(await whereRelatedContract(access, parseIdList(query.cds_servicecontract_ids)))
    .where(whereContractNumberIn(access, parseIdList(query.contract_numbers)))
  const page = await keysetPageBy(rows, { keys: KEYS, cursor })
  const ids = page.items.map((row) => row.cds_billsection_id)
  const links = await sectionLinks(db, access, ids)
  const statements = page.items.flatMap((row) => (row.cds_billstatement_id === null ? [] : [row.cds_billstatement_id]))
  const visibleStatements = new Set(await visibleOnly(access, 'bill_statement', statements))
  return {
    ...page,
    items: page.items.map((row) => {
      const related = links.get(row.cds_billsection_id) ?? { related_servicecontracts: [], related_servicepoints: [], related_meterdevices: [], related_billsections: [] }
      return billSectionObject(row, access, related, visibleStatements)
    }),
  }
}

/**
 * Listing Bill Sections (CDS-WG3-01 §10.6.9). There is no `q` parameter.
 *
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 */
export const billSectionsListing: DataListing<BillSectionListingQuery> = {
  api: 'cds_billsection_api',
  envelope: 'bill_sections',
  operationId: 'listBillSections',
  summary: 'Listing Bill Sections (CDS-WG3-01 §10.6.9)',
  querystring: BillSectionListingQuery,
  response: BillSectionListing,
  sortKeys: KEYS.length,
  list,
}
