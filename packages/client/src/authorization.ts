/**
 * The Client's two ends of a customer's authorization (CDS-WG3-01 §9.1; RFC 6749 §4.1): the
 * authorization URL, built with PKCE `S256`, a random `state`, RAR `authorization_details` and,
 * when the server offers it, a pushed request (RFC 9126); and the authorization response that
 * comes back to the redirect URI, checked before its `code` is exchanged.
 *
 * @module
 */
import { CdsAuthorizationError, CdsProtocolError } from './errors.js'
import type { HttpOptions } from './http.js'
import { processPushedAuthorizationResponse, pushedAuthorizationRequest, type ParMetadata } from './par.js'
import { calculateCodeChallenge, generateCodeVerifier, generateState } from './pkce.js'
import { serializeAuthorizationDetails, type AuthorizationDetailsEntry } from './rar.js'
import { scopeString, type ClientCredentials, type ScopeInput } from './token.js'

/**
 * Just what the authorization URL needs of the metadata.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export interface AuthorizationMetadata extends ParMetadata {
  readonly issuer: string
  readonly authorization_endpoint?: string | undefined
  readonly require_pushed_authorization_requests?: boolean | undefined
}

/**
 * What an authorization request asks for.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export interface AuthorizationUrlRequest {
  /** A redirect URI of the Client object; omitted, the server uses `cds_default_redirect_uri`. */
  redirect_uri?: string
  /** The scope; omitted, the server uses `cds_default_scope`. */
  scope?: ScopeInput
  /** RAR entries; omitted, the server uses `cds_default_authorization_details`. */
  authorization_details?: readonly AuthorizationDetailsEntry[]
  /** The `state`; default a fresh random value. */
  state?: string
  /** For a Grant in `needs_authorization`: its `grant_id` (CDS-WG1-02 §8.3). */
  cds_grant_id?: string
  /** `login` makes the server authenticate the customer again (CDS-WG1-02 §8.3). */
  prompt?: string
  /** Other parameters, sent as they are. */
  extra?: Readonly<Record<string, string>>
  /** Push the request (RFC 9126): `auto` (default) when the server offers it, `always`, or `never`. */
  par?: 'auto' | 'always' | 'never'
}

/**
 * An authorization in progress: the URL for the customer's browser and what the Client keeps
 * until the browser comes back (plain data; store it server-side, never in the URL).
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export interface PendingAuthorization {
  /** Where to send the customer's browser. */
  url: string
  client_id: string
  state: string
  code_verifier: string
  /** The redirect URI the request carried, when it carried one (the code exchange repeats it). */
  redirect_uri: string | undefined
  /** The scope asked for, as sent. */
  scope: string | undefined
  /** The entries asked for, as given. */
  authorization_details: readonly AuthorizationDetailsEntry[] | undefined
  /** The PAR `request_uri`, when the request was pushed. */
  request_uri: string | undefined
  /** When the `request_uri` stops working, in epoch milliseconds. */
  request_uri_expires_at: number | undefined
}

/**
 * Options of {@link buildAuthorizationUrl}.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export interface AuthorizationUrlOptions extends HttpOptions {
  /** The clock, for `request_uri_expires_at`; default `Date.now`. */
  now?: () => number
}

/**
 * Builds an authorization URL: PKCE `S256` always, `state` always, RAR `authorization_details`
 * when given, and the parameters pushed to the PAR endpoint unless `par` is `never` (only
 * `client_id` and `request_uri` then appear in the URL).
 *
 * @example
 * ```ts
 * const pending = await buildAuthorizationUrl(as, credentials, {
 *   redirect_uri: 'https://app.example/callback',
 *   scope: 'cds_usage',
 *   authorization_details: [{ type: 'cds_usage', authorization_form_selection_type: 'account_selection', account_numbers: ['_all'] }],
 * })
 * // keep `pending` in the session, then send the browser to pending.url
 * ```
 * @throws {CdsProtocolError} `MISSING_ENDPOINT` without an authorization endpoint, or with `par: 'always'` and no PAR endpoint
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 | RFC 6749 §4.1.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-4 | RFC 9126 §4}
 */
export async function buildAuthorizationUrl(
  as: AuthorizationMetadata,
  client: ClientCredentials,
  request: AuthorizationUrlRequest = {},
  options: AuthorizationUrlOptions = {},
): Promise<PendingAuthorization> {
  if (as.authorization_endpoint === undefined) throw new CdsProtocolError('MISSING_ENDPOINT', 'the metadata has no authorization_endpoint')
  const mode = request.par ?? 'auto'
  const push = mode === 'always' || (mode === 'auto' && as.pushed_authorization_request_endpoint !== undefined) || as.require_pushed_authorization_requests === true
  if (mode === 'never' && as.require_pushed_authorization_requests === true) throw new TypeError('this server requires pushed authorization requests (RFC 9126 §5)')
  const state = request.state ?? generateState()
  const code_verifier = generateCodeVerifier()
  const scope = request.scope === undefined ? undefined : scopeString(request.scope)
  const parameters = new URLSearchParams({ response_type: 'code', client_id: client.client_id })
  if (request.redirect_uri !== undefined) parameters.set('redirect_uri', request.redirect_uri)
  if (scope !== undefined) parameters.set('scope', scope)
  parameters.set('state', state)
  // RFC 7636 §4.3; CDS servers offer S256 (CDS-WG1-02 §3.4 code_challenge_methods_supported).
  parameters.set('code_challenge', await calculateCodeChallenge(code_verifier))
  parameters.set('code_challenge_method', 'S256')
  if (request.authorization_details !== undefined) parameters.set('authorization_details', serializeAuthorizationDetails(request.authorization_details))
  if (request.cds_grant_id !== undefined) parameters.set('cds_grant_id', request.cds_grant_id)
  if (request.prompt !== undefined) parameters.set('prompt', request.prompt)
  for (const [name, value] of Object.entries(request.extra ?? {})) parameters.set(name, value)
  const url = new URL(as.authorization_endpoint)
  const pending = {
    client_id: client.client_id,
    state,
    code_verifier,
    redirect_uri: request.redirect_uri,
    scope,
    authorization_details: request.authorization_details,
  }
  if (!push) {
    for (const [name, value] of parameters) url.searchParams.set(name, value)
    return { ...pending, url: url.href, request_uri: undefined, request_uri_expires_at: undefined }
  }
  const pushed = await processPushedAuthorizationResponse(await pushedAuthorizationRequest(as, client, parameters, options), options)
  // RFC 9126 §4: the authorization URL then carries only client_id and request_uri.
  url.searchParams.set('client_id', client.client_id)
  url.searchParams.set('request_uri', pushed.request_uri)
  const now = options.now ?? Date.now
  return { ...pending, url: url.href, request_uri: pushed.request_uri, request_uri_expires_at: now() + pushed.expires_in * 1000 }
}

/**
 * A successful authorization response.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export interface AuthorizationResponse {
  code: string
  state: string
  /** The `iss` parameter (RFC 9207), when the server sent one. */
  iss: string | undefined
}

/**
 * Checks the query the browser brought back to the redirect URI: the `state` must be the one
 * the request sent, `iss` (when present, RFC 9207) the metadata's issuer; then either `error`
 * (thrown as {@link CdsAuthorizationError}) or a `code`.
 *
 * @param callback the redirect URI as the browser reached it, or just its query
 * @throws {CdsProtocolError} `STATE_MISMATCH`, `ISSUER_MISMATCH` or `MISSING_CODE`
 * @throws {CdsAuthorizationError} when the server sent an `error` (e.g. `access_denied`)
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @see CDS-WG3-01 §9.3 Authorization Errors
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9207#section-2.4 | RFC 9207 §2.4}
 */
export function validateAuthorizationResponse(
  as: Pick<AuthorizationMetadata, 'issuer'>,
  callback: string | URL | URLSearchParams,
  expected: Pick<PendingAuthorization, 'state'>,
): AuthorizationResponse {
  const parameters = callback instanceof URLSearchParams ? callback : new URL(callback).searchParams
  const state = parameters.get('state')
  // RFC 6749 §10.12: a response whose state is not ours may be forged; nothing in it is trusted.
  if (state !== expected.state) {
    throw new CdsProtocolError('STATE_MISMATCH', state === null ? 'the authorization response has no state' : 'the authorization response carries a different state')
  }
  const iss = parameters.get('iss') ?? undefined
  if (iss !== undefined && iss !== as.issuer) throw new CdsProtocolError('ISSUER_MISMATCH', `the authorization response comes from ${iss}, not ${as.issuer}`)
  if (parameters.has('error')) throw new CdsAuthorizationError(parameters)
  const code = parameters.get('code')
  if (code === null || code === '') throw new CdsProtocolError('MISSING_CODE', 'the authorization response has neither code nor error')
  return { code, state, iss }
}
