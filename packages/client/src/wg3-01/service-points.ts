/**
 * The Service Points API (CDS-WG3-01 §10.3): the Service Points a token may see.
 *
 * @module
 */
import { ServicePointListing, type ServicePoint } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type ListFilter } from '../pagination.js'
import type { ApiSession } from '../session.js'

/**
 * Filters of the Service Points listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.3.5 Listing Service Points
 */
export interface ServicePointFilters {
  /** Only these `cds_servicepoint_id`s. */
  cds_servicepoint_ids?: ListFilter
  /** Only these `servicepoint_number`s. */
  servicepoint_numbers?: ListFilter
  /** Only points currently served by any of these `cds_servicecontract_id`s. */
  current_servicecontracts?: ListFilter
  /** Only points formerly served by any of these `cds_servicecontract_id`s. */
  previous_servicecontracts?: ListFilter
  /** A case-insensitive search in the visible id, number, address and premise numbers. */
  q?: string
}

/**
 * The Service Points API: `list`, `page`, `pages` and `all` (newest `cds_modified` first).
 *
 * @see CDS-WG3-01 §10.3.5 Listing Service Points
 */
export class ServicePointsApi extends ListingEndpoint<Decoded<ServicePoint>, ServicePointFilters, Decoded<ServicePointListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: ServicePointListing, key: 'service_points' })
  }
}
