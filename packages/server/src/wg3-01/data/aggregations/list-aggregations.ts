/**
 * STUB — replaced by the listing's implementation: Listing Aggregations (CDS-WG3-01 §10.7.8).
 *
 * @module
 */
import { AggregationListing, AggregationListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing Aggregations (CDS-WG3-01 §10.7.8). */
export const aggregationsListing: DataListing = {
  api: 'cds_aggregations_api',
  envelope: 'aggregations',
  operationId: 'listAggregations',
  summary: 'Listing Aggregations (CDS-WG3-01 §10.7.8)',
  querystring: AggregationListingQuery,
  response: AggregationListing,
  sortKeys: 2,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
