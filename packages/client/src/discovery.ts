/**
 * Discovery of a CDS server: the CDS Server Metadata at the well-known URI (CDS-WG1-01 §3.1),
 * then the OAuth Authorization Server Metadata its `oauth_metadata` names (CDS-WG1-02 §3.1), read
 * with the Customer Data members of CDS-WG3-01 §5. Each document has a request/process pair.
 *
 * @module
 */
import {
  AuthorizationServerMetadata,
  CustomerDataServerMetadataExtension,
  ServerMetadata,
  parseLenient,
} from '@cds-ts/schema'
import { CdsProtocolError } from './errors.js'
import type { Decoded } from './decimal.js'
import { checkUrl, processJson, send, type HttpOptions } from './http.js'

/**
 * The path of the CDS Server Metadata on a server's host (CDS-WG1-01 §3.1).
 *
 * @see CDS-WG1-01 §3.1 Metadata Well-Known URI
 */
export const SERVER_METADATA_PATH = '/.well-known/cds-server-metadata.json'

/**
 * The Authorization Server Metadata as the SDK returns it: CDS-WG1-02 §3.2 with the optional
 * Customer Data members of CDS-WG3-01 §5 (API URLs, `cds_eac_formats`, …). Members of other
 * extensions are kept too and reachable by index.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see CDS-WG3-01 §5 Server Metadata
 */
export type CdsAuthorizationServer = Decoded<AuthorizationServerMetadata> & Partial<Decoded<CustomerDataServerMetadataExtension>>

/**
 * Both metadata documents of a server.
 *
 * @see CDS-WG1-02 §3.1 Metadata URL
 */
export interface Discovery {
  /** The CDS Server Metadata (CDS-WG1-01 §3.2). */
  server: Decoded<ServerMetadata>
  /** The Authorization Server Metadata it links to (CDS-WG1-02 §3.2). */
  authorizationServer: CdsAuthorizationServer
}

/**
 * Where the CDS Server Metadata of `server` is: the well-known path on its host when `server` is
 * a bare origin (`https://utility.example`), the URL itself otherwise (for example a Client
 * object's `cds_server_metadata`, CDS-WG1-02 §5.1, or a `related_metadata` entry).
 *
 * @see CDS-WG1-01 §3.1 Metadata Well-Known URI
 */
export function serverMetadataUrl(server: string | URL): URL {
  const url = new URL(server)
  return url.pathname === '/' && url.search === '' ? new URL(SERVER_METADATA_PATH, url) : url
}

/**
 * Sends the GET for the CDS Server Metadata.
 *
 * @see CDS-WG1-01 §3 Metadata Endpoint
 * @see CDS-WG1-01 §3.1 Metadata Well-Known URI
 */
export async function serverMetadataRequest(server: string | URL, options: HttpOptions = {}): Promise<Response> {
  return send(checkUrl(serverMetadataUrl(server), options), { method: 'GET', redirect: 'follow' }, options)
}

/**
 * Checks the answer to {@link serverMetadataRequest}: `200` and a usable CDS Server Metadata
 * object. Unknown members and capabilities are kept (CDS-WG1-01 §6).
 *
 * @throws {CdsResponseError} when the server answered with an error body
 * @throws {CdsProtocolError} on any other non-conforming answer
 * @see CDS-WG1-01 §3.2 Metadata Object Format
 */
export async function processServerMetadataResponse(response: Response, options: HttpOptions = {}): Promise<Decoded<ServerMetadata>> {
  return processJson<Decoded<ServerMetadata>>(response, [200], ServerMetadata, options)
}

/**
 * Sends the GET for the Authorization Server Metadata at `url` (the `oauth_metadata` of the CDS
 * Server Metadata).
 *
 * @see CDS-WG1-02 §3.1 Metadata URL
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-3 | RFC 8414 §3}
 */
export async function authorizationServerMetadataRequest(url: string | URL, options: HttpOptions = {}): Promise<Response> {
  return send(checkUrl(url, options), { method: 'GET', redirect: 'follow' }, options)
}

/**
 * Checks the answer to {@link authorizationServerMetadataRequest}: `200` and a usable
 * Authorization Server Metadata object; the Customer Data members of CDS-WG3-01 §5 are read too
 * when `cds_customerdata_version` is present.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see CDS-WG3-01 §5 Server Metadata
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-3.2 | RFC 8414 §3.2}
 */
export async function processAuthorizationServerMetadataResponse(response: Response, options: HttpOptions = {}): Promise<CdsAuthorizationServer> {
  const metadata = await processJson<CdsAuthorizationServer>(response, [200], AuthorizationServerMetadata, options)
  if (metadata.cds_customerdata_version === undefined) return metadata
  // CDS-WG3-01 §5: the Customer Data members ride in the same object; decode them (value formats
  // and their decimals) when they read well, and keep them as sent otherwise.
  const extension = parseLenient(CustomerDataServerMetadataExtension, metadata)
  return extension.ok ? { ...metadata, ...(extension.value as Partial<Decoded<CustomerDataServerMetadataExtension>>) } : metadata
}

/**
 * Discovers both metadata documents of a server.
 *
 * @example
 * ```ts
 * const { server, authorizationServer } = await discover('https://utility.example')
 * console.log(server.name, authorizationServer.token_endpoint)
 * ```
 * @throws {CdsProtocolError} `MISSING_ENDPOINT` when the server does not offer the `oauth` capability
 * @see CDS-WG1-01 §3.1 Metadata Well-Known URI
 * @see CDS-WG1-02 §3.1 Metadata URL
 */
export async function discover(server: string | URL, options: HttpOptions = {}): Promise<Discovery> {
  const metadata = await processServerMetadataResponse(await serverMetadataRequest(server, options), options)
  // CDS-WG1-02 §3.1: `oauth_metadata` is where the Authorization Server Metadata is.
  const oauthMetadata = metadata.oauth_metadata
  if (oauthMetadata === undefined) {
    throw new CdsProtocolError('MISSING_ENDPOINT', `the CDS Server Metadata at ${metadata.cds_metadata_url} has no oauth_metadata (capabilities: ${metadata.capabilities.join(', ') || 'none'})`)
  }
  const authorizationServer = await processAuthorizationServerMetadataResponse(await authorizationServerMetadataRequest(oauthMetadata, options), options)
  return { server: metadata, authorizationServer }
}
