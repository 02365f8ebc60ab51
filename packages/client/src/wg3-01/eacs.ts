/**
 * The Energy Attribute Certificates API (CDS-WG3-01 §10.9): the Energy Attribute Certificates a token may see.
 *
 * @module
 */
import { EacListing, type Eac } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type DateTimeFilter, type ListFilter } from '../pagination.js'
import type { ApiSession } from '../session.js'

/**
 * Filters of the Energy Attribute Certificates listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates
 */
export interface EacFilters {
  /** Only these `cds_eac_id`s. */
  cds_eac_ids?: ListFilter
  /** Only certificates with any of these `eac_numbers`. */
  eac_numbers?: ListFilter
  /** Only certificates with any of these beneficiaries. */
  beneficiaries?: ListFilter
  /** Only certificates whose period starts at or before this instant. */
  before?: DateTimeFilter
  /** Only certificates whose period ends at or after this instant. */
  after?: DateTimeFilter
}

/**
 * The Energy Attribute Certificates API: `list`, `page`, `pages` and `all` (newest `cds_modified` first).
 *
 * @see CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates
 */
export class EacsApi extends ListingEndpoint<Decoded<Eac>, EacFilters, Decoded<EacListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: EacListing, key: 'eacs' })
  }
}
