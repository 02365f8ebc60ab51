/**
 * STUB — replaced by the listing's implementation: Listing Bill Statements (CDS-WG3-01 §10.5.4).
 *
 * @module
 */
import { BillStatementListing, BillStatementListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing Bill Statements (CDS-WG3-01 §10.5.4). */
export const billStatementsListing: DataListing = {
  api: 'cds_billstatement_api',
  envelope: 'bill_statements',
  operationId: 'listBillStatements',
  summary: 'Listing Bill Statements (CDS-WG3-01 §10.5.4)',
  querystring: BillStatementListingQuery,
  response: BillStatementListing,
  sortKeys: 3,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
