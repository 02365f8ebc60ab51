/**
 * The Clients API (CDS-WG1-02 §5): the Client objects a registration created, listed, read one
 * at a time through their `cds_client_uri`, and modified with a PUT (RFC 7592 §2.2).
 *
 * @module
 */
import { Client, ClientListing, type ClientModifyRequest } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type ListFilter } from '../pagination.js'
import { urlOf, type ApiSession, type CallOptions } from '../session.js'

/**
 * Filters of the Client listing; several filters intersect.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export interface ClientFilters {
  /** Only these `client_id`s. */
  client_ids?: ListFilter
}

/**
 * A Client object, or its `cds_client_uri`.
 *
 * @see CDS-WG1-02 §5.4 Retrieving Individual Client Objects
 */
export type ClientRef = string | { readonly cds_client_uri: string }

/**
 * The answer to a modification: `200` when every change is saved, `202` when some wait for the
 * server's review (they then keep their old values and a Message tracks them).
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export interface ClientModification {
  status: 200 | 202
  client: Decoded<Client>
}

/**
 * The Clients API: `list`, `page`, `pages` and `all` (newest `cds_modified` first), `get` and `modify`.
 *
 * @see CDS-WG1-02 §5 Clients API
 */
export class ClientsApi extends ListingEndpoint<Decoded<Client>, ClientFilters, Decoded<ClientListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: ClientListing, key: 'clients' })
  }

  /**
   * One Client object, by its `cds_client_uri`.
   *
   * @see CDS-WG1-02 §5.4 Retrieving Individual Client Objects
   */
  async get(client: ClientRef, options?: CallOptions): Promise<Decoded<Client>> {
    return (await this.session.json<Decoded<Client>>(urlOf(client, 'cds_client_uri'), { method: 'GET' }, Client, [200], options)).value
  }

  /**
   * Replaces a Client object with `body` (a field left out is reset to the server's default;
   * server-set fields may be sent with their current values only).
   *
   * @example
   * ```ts
   * const { status, client: updated } = await cds.clients.modify(client, { ...client, redirect_uris: [...client.redirect_uris, 'https://app.example/callback'] })
   * ```
   * @see CDS-WG1-02 §5.5 Modifying Client Objects
   * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-2.2 | RFC 7592 §2.2}
   */
  async modify(client: ClientRef, body: ClientModifyRequest | Decoded<Client>, options?: CallOptions): Promise<ClientModification> {
    const { status, value } = await this.session.json<Decoded<Client>>(urlOf(client, 'cds_client_uri'), { method: 'PUT', body }, Client, [200, 202], options)
    return { status: status === 202 ? 202 : 200, client: value }
  }
}
