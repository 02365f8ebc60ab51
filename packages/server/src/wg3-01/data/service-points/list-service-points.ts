/**
 * STUB — replaced by the listing's implementation: Listing Service Points (CDS-WG3-01 §10.3.5).
 *
 * @module
 */
import { ServicePointListing, ServicePointListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing Service Points (CDS-WG3-01 §10.3.5). */
export const servicePointsListing: DataListing = {
  api: 'cds_servicepoints_api',
  envelope: 'service_points',
  operationId: 'listServicePoints',
  summary: 'Listing Service Points (CDS-WG3-01 §10.3.5)',
  querystring: ServicePointListingQuery,
  response: ServicePointListing,
  sortKeys: 2,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
