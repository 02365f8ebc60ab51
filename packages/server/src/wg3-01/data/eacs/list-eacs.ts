/**
 * STUB — replaced by the listing's implementation: Listing EACs (CDS-WG3-01 §10.9.4).
 *
 * @module
 */
import { EacListing, EacListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing EACs (CDS-WG3-01 §10.9.4). */
export const eacsListing: DataListing = {
  api: 'cds_eacs_api',
  envelope: 'eacs',
  operationId: 'listEacs',
  summary: 'Listing EACs (CDS-WG3-01 §10.9.4)',
  querystring: EacListingQuery,
  response: EacListing,
  sortKeys: 3,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
