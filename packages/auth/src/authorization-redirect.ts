/**
 * The answer of the authorization endpoint once the Client object and its redirect URI are known
 * good (RFC 6749 §4.1.2, §4.1.2.1): a redirect to the client with a code or an error, and the
 * {@link PendingAuthorization} a server keeps between the first checks and the customer's
 * decision (CDS-WG3-01 §9.1.1).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 * @module
 */
import type { AuthorizationErrorResponse, AuthorizationResponse } from '@cds-ts/schema'
import type { AuthorizationParameters } from './authorization-request.js'
import { OAuthError } from './errors.js'

/**
 * Where to send the user agent (a redirect), and the parameters added to the redirect URI.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export interface AuthorizationRedirect {
  location: string
  response: AuthorizationResponse | AuthorizationErrorResponse
}

/**
 * An authorization request that passed the checks made before the customer logs in
 * (CDS-WG3-01 §9.1.1), in a form a server can store: the parameters exactly as the client sent
 * them (pushed or in the query), so that `completeAuthorization` checks them again and
 * resolves relative dates at the approval.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export interface PendingAuthorization {
  client_id: string
  /** The request parameters cds-ts reads, as sent. */
  parameters: AuthorizationParameters
  /** Where the answer goes. */
  redirect_uri: string
  /** The `redirect_uri` parameter as sent, or `null` when the Client object's default is used (RFC 6749 §4.1.3). */
  redirect_uri_parameter: string | null
  state: string | undefined
}

/**
 * The redirect that answers a pending request with an error (RFC 6749 §4.1.2.1): a decline
 * (`access_denied`), a cancelled login (CDS-WG3-01 §9.1.2), a declined Preselection Error
 * (§9.3.1, A-12). A 5xx error keeps its details for the logs.
 *
 * @example
 * ```ts
 * const { location } = authorizationErrorRedirect(pending, new AccessDenied('the customer declined'))
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1}
 */
export function authorizationErrorRedirect(pending: PendingAuthorization, error: OAuthError): AuthorizationRedirect {
  const response: AuthorizationErrorResponse = { error: error.error, ...(error.expose ? { error_description: error.error_description } : {}) }
  return redirectTo(pending, pending.state === undefined ? response : { ...response, state: pending.state })
}

/** @internal The redirect to the pending request's redirect URI with these parameters. */
export function redirectTo(pending: PendingAuthorization, response: AuthorizationResponse | AuthorizationErrorResponse): AuthorizationRedirect {
  return { location: appendQuery(pending.redirect_uri, response), response }
}

/** @internal RFC 6749 §4.1.2.1: with the client and redirect URI known good, an OAuth error goes back to the client; anything else is rethrown. */
export function redirectError(pending: PendingAuthorization, error: unknown): AuthorizationRedirect {
  if (!(error instanceof OAuthError)) throw error
  return authorizationErrorRedirect(pending, error)
}

/**
 * Adds parameters to the query of a redirect URI, keeping the client's own query exactly as
 * registered (RFC 6749 §3.1.2: it must be retained).
 *
 * @example
 * ```ts
 * appendQuery('https://client.example/cb?tenant=a%20b', { code: 'x', state: 's' })
 * // 'https://client.example/cb?tenant=a%20b&code=x&state=s'
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2 | RFC 6749 §3.1.2}
 */
export function appendQuery(uri: string, parameters: Readonly<Record<string, string | undefined>>): string {
  const entries = Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined)
  // RFC 6749 §3.1.2: a redirect URI has no fragment; any that slipped in is dropped.
  const hash = uri.indexOf('#')
  const base = hash < 0 ? uri : uri.slice(0, hash)
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${separator}${new URLSearchParams(entries).toString()}`
}
