/**
 * The token endpoint (RFC 6749 §3.2) with the three grants CDS uses: `client_credentials` for
 * the Client Admin, Grant Admin and direct-access scopes (CDS-WG1-02 §3.3.1, §3.3.2; CDS-WG3-01
 * §6.2), `authorization_code` after a customer's authorization (CDS-WG3-01 §9.1) and
 * `refresh_token`. The Client authenticates with `client_secret_basic`, the method CDS-WG1-02
 * §4.2 gives every Client object with a secret. Each grant is a request/process pair.
 *
 * @module
 */
import { TokenResponse } from '@cds-ts/schema'
import { CdsProtocolError } from './errors.js'
import type { Decoded } from './decimal.js'
import { checkUrl, processJson, send, type HttpOptions } from './http.js'
import { serializeAuthorizationDetails, type AuthorizationDetailsEntry } from './rar.js'

/**
 * The credentials of one Client object: its `client_id` and a `client_secret` from the
 * registration response or the Credentials API.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export interface ClientCredentials {
  readonly client_id: string
  readonly client_secret: string
}

/**
 * Just what the token steps need of the metadata.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export type TokenEndpointMetadata = { readonly token_endpoint: string }

/**
 * A token response as the SDK returns it; `authorization_details` entries keep every member.
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export type TokenEndpointResponse = Omit<Decoded<TokenResponse>, 'authorization_details'> & {
  authorization_details?: AuthorizationDetailsEntry[]
}

/**
 * A scope given as the space-delimited string or as a list of scope tokens.
 *
 * @see CDS-WG1-02 §3.3 Scopes Supported
 */
export type ScopeInput = string | readonly string[]

/**
 * The space-delimited `scope` string (RFC 6749 §3.3) of a scope given either way, duplicates removed.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.3 | RFC 6749 §3.3}
 */
export function scopeString(scope: ScopeInput): string {
  const tokens = typeof scope === 'string' ? scope.split(' ') : scope
  return [...new Set(tokens.filter((token) => token !== ''))].join(' ')
}

/**
 * The `Authorization` header value of `client_secret_basic`: both values form-urlencoded, then
 * joined by a colon and base64-encoded (RFC 6749 §2.3.1).
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 | RFC 6749 §2.3.1}
 */
export function clientSecretBasic(client: ClientCredentials): string {
  const encode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2)
  return `Basic ${btoa(`${encode(client.client_id)}:${encode(client.client_secret)}`)}`
}

/**
 * POSTs a form to an OAuth endpoint with `client_secret_basic`.
 *
 * @internal
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export async function postForm(url: string, client: ClientCredentials, form: URLSearchParams, options: HttpOptions = {}): Promise<Response> {
  if (typeof client.client_secret !== 'string' || client.client_secret === '') throw new TypeError('a client_secret is needed for client_secret_basic')
  return send(
    checkUrl(url, options),
    {
      method: 'POST',
      headers: { authorization: clientSecretBasic(client), 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    },
    options,
  )
}

/**
 * The parameters of a `client_credentials` request.
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export interface ClientCredentialsParameters {
  /** The scope; for Client Admin `cds_client_admin`, for Grant Admin the Grant Admin scope id. */
  scope?: ScopeInput
  /** RFC 9396 entries; for Grant Admin exactly one (see `grantAdminDetails`). */
  authorization_details?: readonly AuthorizationDetailsEntry[]
}

/**
 * Sends a `client_credentials` token request.
 *
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2 | RFC 6749 §4.4.2}
 */
export async function clientCredentialsGrantRequest(
  as: TokenEndpointMetadata,
  client: ClientCredentials,
  parameters: ClientCredentialsParameters = {},
  options: HttpOptions = {},
): Promise<Response> {
  const form = new URLSearchParams({ grant_type: 'client_credentials' })
  if (parameters.scope !== undefined) form.set('scope', scopeString(parameters.scope))
  if (parameters.authorization_details !== undefined) form.set('authorization_details', serializeAuthorizationDetails(parameters.authorization_details))
  return postForm(as.token_endpoint, client, form, options)
}

/**
 * The parameters of an `authorization_code` request.
 *
 * @see CDS-WG3-01 §9.1 Authorization Process
 */
export interface AuthorizationCodeParameters {
  /** The `code` from the authorization response. */
  code: string
  /** The `redirect_uri` the authorization request carried (RFC 6749 §4.1.3); omit only if it carried none. */
  redirect_uri?: string | undefined
  /** The PKCE verifier of the authorization request (RFC 7636 §4.5). */
  code_verifier: string
}

/**
 * Sends an `authorization_code` token request with the PKCE verifier.
 *
 * @see CDS-WG3-01 §9.1 Authorization Process
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 | RFC 6749 §4.1.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.5 | RFC 7636 §4.5}
 */
export async function authorizationCodeGrantRequest(
  as: TokenEndpointMetadata,
  client: ClientCredentials,
  parameters: AuthorizationCodeParameters,
  options: HttpOptions = {},
): Promise<Response> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: parameters.code, code_verifier: parameters.code_verifier })
  if (parameters.redirect_uri !== undefined) form.set('redirect_uri', parameters.redirect_uri)
  return postForm(as.token_endpoint, client, form, options)
}

/**
 * The parameters of a `refresh_token` request.
 *
 * @see CDS-WG3-01 §9.1 Authorization Process
 */
export interface RefreshTokenParameters {
  refresh_token: string
  /** A narrower scope than the one granted (RFC 6749 §6); default the same. */
  scope?: ScopeInput
}

/**
 * Sends a `refresh_token` token request. CDS servers rotate refresh tokens: keep the new one.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
 */
export async function refreshTokenGrantRequest(
  as: TokenEndpointMetadata,
  client: ClientCredentials,
  parameters: RefreshTokenParameters,
  options: HttpOptions = {},
): Promise<Response> {
  const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: parameters.refresh_token })
  if (parameters.scope !== undefined) form.set('scope', scopeString(parameters.scope))
  return postForm(as.token_endpoint, client, form, options)
}

/**
 * Checks the answer to any of the three grant requests: `200`, a JSON token response with an
 * `access_token` and a `Bearer` `token_type` (compared case-insensitively).
 *
 * @throws {CdsResponseError} with the OAuth `error` (`invalid_client`, `invalid_grant`, …)
 * @throws {CdsProtocolError} `UNSUPPORTED_TOKEN_TYPE` or another non-conforming answer
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export async function processTokenResponse(response: Response, options: HttpOptions = {}): Promise<TokenEndpointResponse> {
  const tokens = await processJson<TokenEndpointResponse>(response, [200], TokenResponse, options)
  // RFC 6750 §4 and RFC 6749 §7.1: CDS tokens are Bearer tokens; the type is case-insensitive.
  if (tokens.token_type.toLowerCase() !== 'bearer') {
    throw new CdsProtocolError('UNSUPPORTED_TOKEN_TYPE', `the token_type "${tokens.token_type}" is not Bearer`, { response })
  }
  return tokens
}
