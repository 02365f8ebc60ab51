/**
 * The Aggregations API (CDS-WG3-01 §10.7): the Aggregations a token may see.
 *
 * @module
 */
import { AggregationListing, type Aggregation, type AggregationType } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type ListFilter } from '../pagination.js'
import type { ApiSession } from '../session.js'

/**
 * Filters of the Aggregations listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.7.8 Listing Aggregations
 */
export interface AggregationFilters {
  /** Only these `cds_aggregation_id`s. */
  cds_aggregation_ids?: ListFilter
  /** Only these `aggregation_number`s. */
  aggregation_numbers?: ListFilter
  /** Only Aggregations having any of these types. */
  aggregation_types?: ListFilter<AggregationType>
  /** A case-insensitive search in the visible id, number, addresses and regions. */
  q?: string
}

/**
 * The Aggregations API: `list`, `page`, `pages` and `all` (newest `cds_modified` first).
 *
 * @see CDS-WG3-01 §10.7.8 Listing Aggregations
 */
export class AggregationsApi extends ListingEndpoint<Decoded<Aggregation>, AggregationFilters, Decoded<AggregationListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: AggregationListing, key: 'aggregations' })
  }
}
