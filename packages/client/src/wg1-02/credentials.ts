/**
 * The Credentials API (CDS-WG1-02 §7): the secrets of the Client objects, listed, read, created
 * for a Client object, and expired early by lowering `client_secret_expires_at`.
 *
 * @module
 */
import { Credential, CredentialListing, type CredentialCreateRequest, type CredentialModifyRequest } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type DateTimeFilter, type ListFilter } from '../pagination.js'
import { urlOf, type ApiSession, type CallOptions } from '../session.js'

/**
 * Filters of the Credential listing; several filters intersect.
 *
 * @see CDS-WG1-02 §7.3 Listing Credentials
 */
export interface CredentialFilters {
  /** Only these `credential_id`s. */
  credential_ids?: ListFilter
  /** Only Credentials of these `client_id`s. */
  client_ids?: ListFilter
  /** Only Credentials created at or after this datetime. */
  after?: DateTimeFilter
  /** Only Credentials created at or before this datetime. */
  before?: DateTimeFilter
}

/**
 * A Credential, or its `uri`.
 *
 * @see CDS-WG1-02 §7.4 Retrieving Individual Credentials
 */
export type CredentialRef = string | { readonly uri: string }

/**
 * The Credentials API: `list`, `page`, `pages` and `all` (newest `modified` first), `get`,
 * `create` and `modify`.
 *
 * @see CDS-WG1-02 §7 Credentials API
 */
export class CredentialsApi extends ListingEndpoint<Decoded<Credential>, CredentialFilters, Decoded<CredentialListing>> {
  constructor(
    session: ApiSession,
    private readonly url: () => string,
  ) {
    super(session, { url, schema: CredentialListing, key: 'credentials' })
  }

  /**
   * One Credential, by its `uri`.
   *
   * @see CDS-WG1-02 §7.4 Retrieving Individual Credentials
   */
  async get(credential: CredentialRef, options?: CallOptions): Promise<Decoded<Credential>> {
    return (await this.session.json<Decoded<Credential>>(urlOf(credential, 'uri'), { method: 'GET' }, Credential, [200], options)).value
  }

  /**
   * A new secret for a Client object (`201 Created`); rotate by creating one, switching to it,
   * then expiring the old one with {@link CredentialsApi.modify}.
   *
   * @see CDS-WG1-02 §7.5 Creating Credentials
   */
  async create(body: CredentialCreateRequest, options?: CallOptions): Promise<Decoded<Credential>> {
    return (await this.session.json<Decoded<Credential>>(this.url(), { method: 'POST', body }, Credential, [201], options)).value
  }

  /**
   * Changes `client_secret_expires_at` (only earlier; a time already past disables the secret
   * and revokes the tokens issued with it).
   *
   * @example
   * ```ts
   * await cds.credentials.modify(old, { client_secret_expires_at: Math.floor(Date.now() / 1000) })
   * ```
   * @see CDS-WG1-02 §7.6 Modifying Credentials
   */
  async modify(credential: CredentialRef, body: CredentialModifyRequest, options?: CallOptions): Promise<Decoded<Credential>> {
    return (await this.session.json<Decoded<Credential>>(urlOf(credential, 'uri'), { method: 'PATCH', body }, Credential, [200], options)).value
  }
}
