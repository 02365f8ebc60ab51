/**
 * Dynamic client registration (RFC 7591) as CDS-WG1-02 §4 profiles it: the request always asks
 * for `cds_client_admin` and only for scopes the server describes in `cds_scope_descriptions`;
 * registration field values ride as top-level members named by each field's `field_name`
 * (CDS-WG1-02 §3.5); the answer is the Client Admin Client object with its `client_secret`.
 *
 * @module
 */
import { ClientRegistrationResponse, type ClientRegistrationRequest } from '@cds-ts/schema'
import { jsonBody, type Decoded } from './decimal.js'
import { CdsProtocolError } from './errors.js'
import { checkUrl, processJson, send, type HttpOptions } from './http.js'
import { scopeString, type ScopeInput } from './token.js'

/**
 * Just what registration needs of the metadata.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export interface RegistrationMetadata {
  readonly registration_endpoint?: string | undefined
  readonly cds_scope_descriptions: Readonly<Record<string, unknown>>
}

/**
 * The body of a registration request: RFC 7591 client metadata, the `scope` to register (a string
 * or a list), and registration field values under their `field_name` (such as `cds_company_name`).
 *
 * @see CDS-WG1-02 §4.1 Client Registration Request
 */
export type RegistrationRequest = Omit<ClientRegistrationRequest, 'scope'> & {
  scope: ScopeInput
  readonly [fieldName: string]: unknown
}

/**
 * The scope every CDS registration asks for (CDS-WG1-02 §3.3.1).
 *
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 */
export const CLIENT_ADMIN_SCOPE = 'cds_client_admin'

/**
 * Options of {@link registrationRequest}.
 *
 * @see CDS-WG1-02 §4.1 Client Registration Request
 */
export interface RegistrationOptions extends HttpOptions {
  /** An RFC 7591 §3 initial access token, for servers that ask for one. */
  initialAccessToken?: string
}

/**
 * Sends a registration request to `registration_endpoint`.
 *
 * @example
 * ```ts
 * const response = await registrationRequest(as, { scope: ['cds_client_admin', 'cds_usage'], client_name: 'Acme', cds_company_name: 'Acme Inc.' })
 * const registered = await processRegistrationResponse(response)
 * ```
 * @throws {TypeError} when `scope` lacks `cds_client_admin` or names a scope the server does not describe
 * @throws {CdsProtocolError} `MISSING_ENDPOINT` when the metadata has no `registration_endpoint`
 * @see CDS-WG1-02 §4.1 Client Registration Request
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.1 | RFC 7591 §3.1}
 */
export async function registrationRequest(as: RegistrationMetadata, metadata: RegistrationRequest, options: RegistrationOptions = {}): Promise<Response> {
  if (as.registration_endpoint === undefined) {
    // CDS-WG1-02 §3.2: Client-specific metadata may leave it out; the public metadata has it.
    throw new CdsProtocolError('MISSING_ENDPOINT', 'this Authorization Server Metadata has no registration_endpoint; use the server\u2019s public metadata')
  }
  const scope = scopeString(metadata.scope)
  const tokens = scope.split(' ')
  // CDS-WG1-02 §4.1: a CDS registration always asks for the Client Admin scope…
  if (!tokens.includes(CLIENT_ADMIN_SCOPE)) throw new TypeError(`a CDS registration must ask for the ${CLIENT_ADMIN_SCOPE} scope (CDS-WG1-02 §4.1)`)
  // …and only for scopes the server describes for this process.
  const unknown = tokens.filter((token) => !Object.hasOwn(as.cds_scope_descriptions, token))
  if (unknown.length > 0) throw new TypeError(`not in cds_scope_descriptions, so not registrable here (CDS-WG1-02 §4.1): ${unknown.join(' ')}`)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.initialAccessToken !== undefined) headers.authorization = `Bearer ${options.initialAccessToken}`
  return send(checkUrl(as.registration_endpoint, options), { method: 'POST', headers, body: jsonBody({ ...metadata, scope }) }, options)
}

/**
 * Checks the answer to {@link registrationRequest}: `201 Created` with the Client Admin Client
 * object and its `client_secret`. The other Client objects the registration created are on the
 * Clients API, their secrets on the Credentials API.
 *
 * @throws {CdsResponseError} with `invalid_client_metadata`, `invalid_request`, … (RFC 7591 §3.2.2)
 * @throws {CdsProtocolError} on any other non-conforming answer
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1 | RFC 7591 §3.2.1}
 */
export async function processRegistrationResponse(response: Response, options: HttpOptions = {}): Promise<Decoded<ClientRegistrationResponse>> {
  return processJson<Decoded<ClientRegistrationResponse>>(response, [201], ClientRegistrationResponse, options)
}
