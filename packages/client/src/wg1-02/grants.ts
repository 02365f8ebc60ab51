/**
 * The Grants API (CDS-WG1-02 §8): the authorizations a Client holds, listed with filters, read
 * one at a time, and modified (closed, or their scope or authorization details changed).
 *
 * @module
 */
import { Grant, GrantListing, type GrantModifyRequest, type GrantStatus } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type DateTimeFilter, type ListFilter } from '../pagination.js'
import { urlOf, type ApiSession, type CallOptions } from '../session.js'

/**
 * Filters of the Grant listing; several filters intersect.
 *
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export interface GrantFilters {
  /** Only these `grant_id`s. */
  grant_ids?: ListFilter
  /** Only sub-Grants of these parent `grant_id`s. */
  parents?: ListFilter
  /** Only Grants in these statuses. */
  statuses?: ListFilter<GrantStatus>
  /** Only Grants of these `client_id`s. */
  client_ids?: ListFilter
  /** Only Grants whose `scope` holds, or whose `authorization_details` have a `type` of, one of these. */
  scopes?: ListFilter
  /** Only Grants with these receipt confirmation codes. */
  receipt_confirmations?: ListFilter
  /** Only Grants created at or after this datetime. */
  after?: DateTimeFilter
  /** Only Grants created at or before this datetime. */
  before?: DateTimeFilter
}

/**
 * A Grant, or its `uri`.
 *
 * @see CDS-WG1-02 §8.5 Retrieving Individual Grants
 */
export type GrantRef = string | { readonly uri: string }

/**
 * The answer to a modification: `200` when done, `202` when the server reviews it (the Grant is
 * then `pending`).
 *
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export interface GrantModification {
  status: 200 | 202
  grant: Decoded<Grant>
}

/**
 * The Grants API: `list`, `page`, `pages` and `all` (newest `modified` first), `get` and `modify`.
 *
 * @see CDS-WG1-02 §8 Grants API
 */
export class GrantsApi extends ListingEndpoint<Decoded<Grant>, GrantFilters, Decoded<GrantListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: GrantListing, key: 'grants' })
  }

  /**
   * One Grant, by its `uri`.
   *
   * @see CDS-WG1-02 §8.5 Retrieving Individual Grants
   */
  async get(grant: GrantRef, options?: CallOptions): Promise<Decoded<Grant>> {
    return (await this.session.json<Decoded<Grant>>(urlOf(grant, 'uri'), { method: 'GET' }, Grant, [200], options)).value
  }

  /**
   * Closes a Grant (`{ status: 'closed' }`, the only status a Client may set) or changes its
   * `scope` or `authorization_details`.
   *
   * @see CDS-WG1-02 §8.6 Modifying Grants
   */
  async modify(grant: GrantRef, body: GrantModifyRequest, options?: CallOptions): Promise<GrantModification> {
    const { status, value } = await this.session.json<Decoded<Grant>>(urlOf(grant, 'uri'), { method: 'PATCH', body }, Grant, [200, 202], options)
    return { status: status === 202 ? 202 : 200, grant: value }
  }
}
