/**
 * Listing Bill Statements (CDS-WG3-01 §10.5.4): the statements a token may see, filtered by id,
 * statement date, Account id and account number, newest `statement_date` first.
 *
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 * @module
 */
import { BillStatementListing, BillStatementListingQuery } from '@cds-ts/schema'
import { sql, type ExpressionBuilder } from 'kysely'
import type { Database } from '../../../db/database.js'
import { keysetPageBy, type SortKey } from '../../../db/keyset.js'
import { parseDateFilter, parseIdList, whereIn } from '../../../shared/filters.js'
import { sortModified, whereNumberIn } from '../projection.js'
import type { DataAccess, DataListing, ListingRequest } from '../types.js'
import { billStatementObject, relatedSectionIds, type BillStatementRow } from './bill-statement-object.js'

/**
 * The order of §10.5.4 (catalog §1.9): `statement_date` descending, then `cds_modified`
 * descending, then the id ascending as the final tie-break; the columns of
 * `bill_statements_order_idx`.
 */
const KEYS: readonly SortKey<BillStatementRow>[] = [
  { column: 'bill_statements.statement_date', direction: 'desc', type: 'date', value: (row) => row.statement_date },
  { column: 'bill_statements.cds_modified', direction: 'desc', type: 'timestamptz', value: (row) => row.sort_modified },
  { column: 'bill_statements.cds_billstatement_id', direction: 'asc', type: 'text', value: (row) => row.cds_billstatement_id },
]

/** The sum of §10.5.1 in SQL NUMERIC, so no amount passes through a float (catalog §5.4). */
const AMOUNT_DUE_GAP = sql<string | null>`bill_statements.amount_due - (bill_statements.previous_balance_unpaid + coalesce((
    select sum(cast(charge.value ->> 'amount' as numeric))
    from jsonb_array_elements(bill_statements.new_charges) as charge(value)
    where charge.value -> 'included_in_amount_due' = 'true'::jsonb
  ), 0))`

type Tables = 'bill_statements' | 'bill_files'
type Eb = ExpressionBuilder<Database, Tables>

/**
 * The filters of §10.5.4, intersected (R3-01-10.5.4-09). `before`/`after` compare the
 * `statement_date`, inclusive (catalog §1.8); `account_numbers` matches the number at issuance,
 * and only for a token that may see account numbers.
 *
 * @throws {InvalidRequest} (400) when `before` or `after` is not a date
 */
function filters(query: BillStatementListingQuery, access: DataAccess) {
  const before = parseDateFilter('before', query.before)
  const after = parseDateFilter('after', query.after)
  return (eb: Eb) =>
    eb.and([
      // R3-01-10.5.4-04, -07
      whereIn<Database, Tables>('bill_statements.cds_billstatement_id', parseIdList(query.cds_billstatement_ids))(eb),
      whereIn<Database, Tables>('bill_statements.cds_account_id', parseIdList(query.cds_account_ids))(eb),
      // R3-01-10.5.4-05, -06: inclusive at both ends.
      before === undefined ? sql<boolean>`true` : sql<boolean>`bill_statements.statement_date <= cast(${before} as date)`,
      after === undefined ? sql<boolean>`true` : sql<boolean>`bill_statements.statement_date >= cast(${after} as date)`,
      // R3-01-10.5.4-08, A-13: a hidden account number cannot be confirmed through the filter.
      whereNumberIn(access, 'include_account_numbers', 'bill_statements.account_number', parseIdList(query.account_numbers))(eb),
    ])
}

/**
 * One page of Bill Statements for the token.
 *
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 */
async function list({ db, config, access, query, cursor }: ListingRequest<BillStatementListingQuery>) {
  const where = filters(query, access)
  const page = await keysetPageBy(
    db
      .selectFrom('bill_statements')
      .leftJoin('bill_files', 'bill_files.file_id', 'bill_statements.file_id')
      .selectAll('bill_statements')
      .select(['bill_files.content_type as stored_file_type', sortModified('bill_statements').as('sort_modified'), AMOUNT_DUE_GAP.as('amount_due_gap')])
      // The visible set of catalog §2.5 (selections, expansions and the statement date window).
      .where(access.visible('bill_statement'))
      // a statement without an amount-due date is incomplete and is not published.
      .where('bill_statements.amount_due_date', 'is not', null)
      .where(where),
    { keys: KEYS, cursor },
  )
  // R3-01-10.5.2-02: without Bill Sections in the token's scopes the charges carry no section ids.
  const visibleSections =
    access.includes('include_bill_sections') && access.includes('include_bill_statement_charges')
      ? await access.visibleIds('bill_section', relatedSectionIds(page.items))
      : null
  return { ...page, items: page.items.map((row) => billStatementObject(row, access, config.base_url, visibleSections)) }
}

/**
 * Listing Bill Statements (CDS-WG3-01 §10.5.4).
 *
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 */
export const billStatementsListing: DataListing<BillStatementListingQuery> = {
  api: 'cds_billstatement_api',
  envelope: 'bill_statements',
  operationId: 'listBillStatements',
  summary: 'Listing Bill Statements (CDS-WG3-01 §10.5.4)',
  querystring: BillStatementListingQuery,
  response: BillStatementListing,
  sortKeys: KEYS.length,
  list,
}
