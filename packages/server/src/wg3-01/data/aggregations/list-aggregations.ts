/**
 * Listing Aggregations (CDS-WG3-01 §10.7.8): the Aggregations a token may see, filtered by id,
 * number, type and a `q` search, most recently modified first.
 *
 * @see CDS-WG3-01 §10.7.8 Listing Aggregations
 * @module
 */
import { AggregationListing, AggregationListingQuery } from '@cds-ts/schema'
import type { Database } from '../../../db/database.js'
import { keysetPageBy } from '../../../db/keyset.js'
import { parseIdList, whereArrayHasAny, whereIn } from '../../../shared/filters.js'
import { modifiedOrder, searchColumn, searchMember, searchStrings, whereNumberIn, whereSearch, type SearchField } from '../projection.js'
import type { DataAccess, DataListing, ListingRequest } from '../types.js'
import { aggregationObject, groupedIds, noMembers, selectAggregations, type AggregationRow } from './aggregation-object.js'

/** §10.7.8 (catalog §1.9): `cds_modified` descending, then the id. */
const ORDER = modifiedOrder<AggregationRow>('aggregations', 'cds_aggregation_id')

/**
 * The fields `q` searches (R3-01-10.7.8-07, A-39): the id, the number, the addresses only when the
 * token may see them, and the regions' `id` and `name` (the spec's `region_number` does not exist).
 */
function searchFields(access: DataAccess): SearchField[] {
  return [
    searchColumn('aggregations.cds_aggregation_id'),
    searchColumn('aggregations.aggregation_number'),
    ...(access.includes('include_aggregation_addresses') ? [searchStrings('aggregations.grouped_addresses')] : []),
    searchMember('aggregations.grouped_regions', 'id'),
    searchMember('aggregations.grouped_regions', 'name'),
  ]
}

/**
 * One page of Aggregations for the token. The filters intersect (R3-01-10.7.8-08).
 *
 * @see CDS-WG3-01 §10.7.8 Listing Aggregations
 */
async function list({ db, access, query, cursor }: ListingRequest<AggregationListingQuery>) {
  const rows = selectAggregations(db)
    .where(access.visible('aggregation'))
    // R3-01-10.7.8-04
    .where(whereIn<Database, 'aggregations'>('aggregations.cds_aggregation_id', parseIdList(query.cds_aggregation_ids)))
    // R3-01-10.7.8-05: the number is never gated; a null number never matches.
    .where(whereNumberIn(access, undefined, 'aggregations.aggregation_number', parseIdList(query.aggregation_numbers)))
    // R3-01-10.7.8-06: any of the Aggregation's types; an unknown type matches nothing.
    .where(whereArrayHasAny<Database, 'aggregations'>('aggregations.aggregation_types', parseIdList(query.aggregation_types)))
    .where(whereSearch(query.q, searchFields(access)))
  const page = await keysetPageBy(rows, { keys: ORDER, cursor })
  const grouped = await groupedIds(
    db,
    access,
    page.items.map((row) => row.cds_aggregation_id),
  )
  return { ...page, items: page.items.map((row) => aggregationObject(row, access, grouped.get(row.cds_aggregation_id) ?? noMembers())) }
}

/**
 * Listing Aggregations (CDS-WG3-01 §10.7.8). The server answers unconstrained requests too (the
 * enumeration guard of §4.11/§6.2 is a MAY that the visibility rules already make unnecessary).
 *
 * @see CDS-WG3-01 §10.7.8 Listing Aggregations
 */
export const aggregationsListing: DataListing<AggregationListingQuery> = {
  api: 'cds_aggregations_api',
  envelope: 'aggregations',
  operationId: 'listAggregations',
  summary: 'Listing Aggregations (CDS-WG3-01 §10.7.8)',
  querystring: AggregationListingQuery,
  response: AggregationListing,
  sortKeys: ORDER.length,
  list,
}
