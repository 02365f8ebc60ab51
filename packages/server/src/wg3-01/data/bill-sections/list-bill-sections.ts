/**
 * STUB — replaced by the listing's implementation: Listing Bill Sections (CDS-WG3-01 §10.6.9).
 *
 * @module
 */
import { BillSectionListing, BillSectionListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing Bill Sections (CDS-WG3-01 §10.6.9). */
export const billSectionsListing: DataListing = {
  api: 'cds_billsection_api',
  envelope: 'bill_sections',
  operationId: 'listBillSections',
  summary: 'Listing Bill Sections (CDS-WG3-01 §10.6.9)',
  querystring: BillSectionListingQuery,
  response: BillSectionListing,
  sortKeys: 5,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
