/**
 * Listing Service Points (CDS-WG3-01 §10.3.5): the Service Points the token may see, filtered,
 * newest `cds_modified` first, at most 100 a page.
 *
 * @see CDS-WG3-01 §10.3 Service Points API
 * @module
 */
import { ServicePointListing, ServicePointListingQuery } from '@cds-ts/schema'
import { keysetPageBy } from '../../../db/keyset.js'
import { parseIdList } from '../../../shared/filters.js'
import {
  linkedIds,
  modifiedOrder,
  searchColumn,
  searchStrings,
  whereLinked,
  whereNumberIn,
  whereOneOf,
  whereSearch,
  type SearchField,
} from '../projection.js'
import type { DataAccess, DataListing } from '../types.js'
import { SERVICE_POINT_CONTRACTS, selectServicePoints, servicePointObject, type ServicePointRow } from './service-point-object.js'

const ORDER = modifiedOrder<ServicePointRow>('service_points', 'cds_servicepoint_id')
const ID = 'service_points.cds_servicepoint_id'

/** The fields `q` searches, limited to those the token sees (catalog §2.3.3, R3-01-10.3.5-08). */
function searchFields(access: DataAccess): SearchField[] {
  return [
    searchColumn(ID),
    ...(access.includes('include_service_point_addresses') ? [searchColumn('service_points.servicepoint_address')] : []),
    // `servicepoint_number` has no gate: it is always visible.
    searchColumn('service_points.servicepoint_number'),
    ...(access.includes('include_premises') ? [searchStrings('service_points.premise_numbers')] : []),
  ]
}

/**
 * Listing Service Points.
 *
 * @see CDS-WG3-01 §10.3.5 Listing Service Points
 */
export const servicePointsListing: DataListing<ServicePointListingQuery> = {
  api: 'cds_servicepoints_api',
  envelope: 'service_points',
  operationId: 'listServicePoints',
  summary: 'Listing Service Points (CDS-WG3-01 §10.3.5)',
  querystring: ServicePointListingQuery,
  response: ServicePointListing,
  sortKeys: ORDER.length,
  async list({ db, access, query, cursor }) {
    // these filter Service Points (the spec text says Meter Devices), and only through the
    // contracts the token may see, like the arrays it is shown.
    const current = await whereLinked(access, SERVICE_POINT_CONTRACTS, ID, 'current', parseIdList(query.current_servicecontracts))
    const previous = await whereLinked(access, SERVICE_POINT_CONTRACTS, ID, 'previous', parseIdList(query.previous_servicecontracts))
    const rows = selectServicePoints(db)
      .where(access.visible('service_point'))
      // R3-01-10.3.5-04..-09: every filter given narrows the list (intersection).
      .where(whereOneOf(ID, parseIdList(query.cds_servicepoint_ids)))
      // The number is always visible, so no gate; a null number never matches.
      .where(whereNumberIn(access, undefined, 'service_points.servicepoint_number', parseIdList(query.servicepoint_numbers)))
      .where(current)
      .where(previous)
      .where(whereSearch(query.q, searchFields(access)))
    const page = await keysetPageBy(rows, { keys: ORDER, cursor })
    const links = await linkedIds(
      db,
      access,
      SERVICE_POINT_CONTRACTS,
      page.items.map((row) => row.cds_servicepoint_id),
    )
    return { ...page, items: page.items.map((row) => servicePointObject(row, access, links.get(row.cds_servicepoint_id))) }
  },
}
