/**
 * STUB — replaced by the listing's implementation: Listing Usage Segments (CDS-WG3-01 §10.8.8).
 *
 * @module
 */
import { UsageSegmentListing, UsageSegmentListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing Usage Segments (CDS-WG3-01 §10.8.8). */
export const usageSegmentsListing: DataListing = {
  api: 'cds_usagesegments_api',
  envelope: 'usage_segments',
  operationId: 'listUsageSegments',
  summary: 'Listing Usage Segments (CDS-WG3-01 §10.8.8)',
  querystring: UsageSegmentListingQuery,
  response: UsageSegmentListing,
  sortKeys: 6,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
