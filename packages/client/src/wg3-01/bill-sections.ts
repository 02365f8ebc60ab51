/**
 * The Bill Sections API (CDS-WG3-01 §10.6): the parts of bills a token may see.
 *
 * @module
 */
import { BillSectionListing, type BillSection } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type DateFilter, type ListFilter } from '../pagination.js'
import type { ApiSession } from '../session.js'

/**
 * Filters of the Bill Sections listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 */
export interface BillSectionFilters {
  /** Only these `cds_billsection_id`s. */
  cds_billsection_ids?: ListFilter
  /** Only sections whose `start_date` is on or before this date. */
  before?: DateFilter
  /** Only sections whose `end_date` is on or after this date. */
  after?: DateFilter
  /** Only sections of these `cds_billstatement_id`s. */
  cds_billstatement_ids?: ListFilter
  /** Only sections of these `cds_account_id`s. */
  cds_account_ids?: ListFilter
  /** Only sections of these `account_number`s. */
  account_numbers?: ListFilter
  /** Only sections related to these `cds_servicecontract_id`s. */
  cds_servicecontract_ids?: ListFilter
  /** Only sections related to these `contract_number`s. */
  contract_numbers?: ListFilter
}

/**
 * The Bill Sections API: `list`, `page`, `pages` and `all` (in the order the section gives).
 *
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 */
export class BillSectionsApi extends ListingEndpoint<Decoded<BillSection>, BillSectionFilters, Decoded<BillSectionListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: BillSectionListing, key: 'bill_sections', dateOnly: ['before', 'after'] })
  }
}
