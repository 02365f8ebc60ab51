/**
 * The authorization endpoint (RFC 6749 §4.1.1, RFC 9126 §4) with the CDS rules of CDS-WG1-02
 * §3.4, §5.1 and §8.3. In order:
 *
 * 1. take the pushed request behind `request_uri` (single use, unexpired, same client) or the
 *    query itself (unless PAR is required);
 * 2. find the Client object and the redirect URI: until both are good, errors are thrown for the
 *    server to show (RFC 6749 §4.1.2.1);
 * 3. check the request; from here on errors are redirected with `error`, `error_description`
 *    and `state`;
 * 4. check `cds_grant_id` before the customer logs in (CDS-WG1-02 §8.3);
 * 5. ask the {@link CustomerAuthorization}; on approval record the Grant (when grants are wired)
 *    and issue a single-use code bound to the client, redirect URI, PKCE challenge, scope and
 *    authorization details.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1 | RFC 6749 §4.1}
 * @module
 */
import type { AuthorizationDetail, AuthorizationErrorResponse, AuthorizationResponse } from '@cds-ts/schema'
import {
  checkAuthorizationParameters,
  readParameters,
  resolveRedirectUri,
  type AuthorizationParameters,
  type AuthorizationSettings,
  type CheckedAuthorizationRequest,
} from './authorization-request.js'
import { addSeconds, isExpired, type Clock } from './clock.js'
import { hashSecret, randomOpaqueValue } from './crypto.js'
import type { CustomerAuthorization } from './customer-authorization.js'
import { AccessDenied, CdsGrantIdInvalidValue, InvalidRequest, OAuthError, UnauthorizedClient } from './errors.js'
import { REQUEST_URI_PREFIX } from './par.js'
import { validateAuthorizationDetails } from './rar.js'
import type { AuthStore } from './store.js'

/**
 * Grant bookkeeping of the authorization endpoint (CDS-WG1-02 §8), for a server that keeps
 * Grants. Without it, no `cds_grant_id` is valid and codes carry no `grant_id`.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 */
export interface AuthorizationGrants {
  /**
   * Whether `cds_grant_id` names a Grant this request may authorize, checked before the customer
   * logs in (CDS-WG1-02 §8.3, A-34).
   */
  isGrantIdValid(cds_grant_id: string, request: CheckedAuthorizationRequest): Promise<boolean>
  /**
   * Records an approval as a Grant, created or (for `cds_grant_id`) updated at once
   * (CDS-WG1-02 §8.3, R1-02-8.3-11), and returns its `grant_id`. May throw
   * `CdsGrantIdInvalidUser` when the Grant is not the customer's.
   */
  recordApproval(approval: GrantApproval): Promise<string>
}

/** An approved authorization, as {@link AuthorizationGrants.recordApproval} receives it. */
export interface GrantApproval {
  client_id: string
  customer_id: string
  scope: string
  authorization_details: AuthorizationDetail[]
  cds_grant_id: string | undefined
  approved_at: Date
}

/**
 * Options of {@link authorize}.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1 | RFC 6749 §4.1}
 */
export interface AuthorizeOptions {
  store: AuthStore
  clock: Clock
  settings: AuthorizationSettings
  customerAuthorization: CustomerAuthorization
  grants?: AuthorizationGrants
}

/**
 * Where to send the user agent (a 302), and the parameters added to the redirect URI.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export interface AuthorizationRedirect {
  location: string
  response: AuthorizationResponse | AuthorizationErrorResponse
}

/**
 * Runs the authorization endpoint on the query parameters of a request (repeated parameters as
 * arrays). Returns the redirect (success or a redirectable error); throws an `OAuthError` when
 * the client, the redirect URI or the `request_uri` is not good, which the server shows as an
 * error page and never redirects.
 *
 * @example
 * ```ts
 * const { location } = await authorize(request.query, { store, clock, settings, customerAuthorization: new AutoApprove() })
 * reply.redirect(location, 302)
 * ```
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-4 | RFC 9126 §4}
 */
export async function authorize(query: Readonly<Record<string, unknown>>, options: AuthorizeOptions): Promise<AuthorizationRedirect> {
  const { store, clock, settings } = options
  const read = readParameters(query)
  for (const name of ['client_id', 'redirect_uri', 'request_uri']) {
    // RFC 6749 §3.1: a repeated parameter is invalid; these ones decide where errors may go.
    if (read.repeated.includes(name)) throw new InvalidRequest(`${name} must not be repeated`)
  }
  const client_id = read.parameters.client_id
  // RFC 6749 §4.1.1, RFC 9126 §4: client_id is required, with or without request_uri.
  if (client_id === undefined) throw new InvalidRequest('client_id is required')
  const pushed = read.parameters.request_uri !== undefined
  // RFC 9126 §4: behind a request_uri, only the pushed parameters count.
  const parameters: AuthorizationParameters = pushed ? await usePushedRequest(read.parameters.request_uri ?? '', client_id, store, clock) : read.parameters

  const client = await store.clients.find(client_id)
  if (client === undefined) throw new InvalidRequest('client_id is not a known client')
  // CDS-WG1-02 §5.2 (R1-02-5.2-04): a disabled Client object gets nothing, not even an error redirect.
  if (client.cds_status === 'disabled') throw new UnauthorizedClient('this client is disabled')
  const { redirect_uri, redirect_uri_parameter } = resolveRedirectUri(client, parameters.redirect_uri)
  const redirect = (response: AuthorizationResponse | AuthorizationErrorResponse): AuthorizationRedirect => ({
    location: appendQuery(redirect_uri, response),
    response,
  })

  try {
    if (!pushed) {
      // RFC 6749 §3.1: no parameter may be repeated.
      if (read.repeated.length > 0) throw new InvalidRequest(`${read.repeated[0] ?? ''} must not be repeated`)
      // RFC 9126 §5 (RFC9126-08): a server may require every request to be pushed first.
      if (settings.require_pushed_authorization_requests === true) throw new InvalidRequest('authorization requests must be pushed to the PAR endpoint first')
    }
    // CDS-WG1-02 §3.9 (R1-02-3.9-03): relative dates resolve at the customer's approval, this request.
    const checked = checkAuthorizationParameters(parameters, client, settings, clock)
    // CDS-WG1-02 §8.3 (R1-02-8.3-05, -06): after the other parameters, before the customer logs in.
    if (checked.cds_grant_id !== undefined && !(await options.grants?.isGrantIdValid(checked.cds_grant_id, checked))) {
      throw new CdsGrantIdInvalidValue('cds_grant_id does not name a Grant this request may authorize')
    }
    const decision = await options.customerAuthorization.authenticateAndApprove({
      client,
      scope: checked.scope,
      authorization_details: checked.authorization_details,
      redirect_uri,
      state: checked.state,
      prompt: checked.prompt,
      cds_grant_id: checked.cds_grant_id,
    })
    // RFC 6749 §4.1.2.1: the customer said no.
    if (!decision.approved) throw new AccessDenied(decision.error_description ?? 'the customer denied the request')
    const authorization_details =
      decision.authorization_details === undefined
        ? checked.authorization_details
        : validateAuthorizationDetails(decision.authorization_details, checked.scope_descriptions, {
            clock,
            timezone: settings.timezone,
            ...(settings.relativeDirection === undefined ? {} : { relativeDirection: settings.relativeDirection }),
          })

    const now = clock.now()
    const grant_id =
      options.grants === undefined
        ? null
        : await options.grants.recordApproval({
            client_id,
            customer_id: decision.customer_id,
            scope: checked.scope,
            authorization_details,
            cds_grant_id: checked.cds_grant_id,
            approved_at: now,
          })
    const code = randomOpaqueValue()
    await store.codes.insert({
      // RFC 6749 §10.10: a code cannot be guessed; storage keeps only its digest.
      code_hash: hashSecret(code),
      // RFC 6749 §4.1.3: bound to the client and to the redirect_uri parameter as sent.
      client_id,
      redirect_uri: redirect_uri_parameter,
      // RFC 7636 §4.4: bound to the challenge.
      code_challenge: checked.code_challenge?.code_challenge ?? null,
      code_challenge_method: checked.code_challenge?.code_challenge_method ?? null,
      scope: checked.scope,
      authorization_details,
      grant_id,
      created: now,
      // RFC 6749 §4.1.2: short-lived (ten minutes at most).
      expires_at: addSeconds(now, settings.authorization_code_lifetime),
      used_at: null,
    })
    // RFC 6749 §4.1.2 (RFC6749-14): state comes back exactly as sent.
    return redirect(checked.state === undefined ? { code } : { code, state: checked.state })
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error
    // RFC 6749 §4.1.2.1: the client and redirect URI are good, so the error goes back to the client; a
    // 5xx keeps its details for the logs (server_error, temporarily_unavailable).
    const state = parameters.state
    const response: AuthorizationErrorResponse = { error: error.error, ...(error.expose ? { error_description: error.error_description } : {}) }
    return redirect(state === undefined ? response : { ...response, state })
  }
}

/**
 * Takes the pushed request behind a `request_uri`, once.
 *
 * @throws {InvalidRequest} for a foreign, unknown, used or expired `request_uri`, or another client's
 */
async function usePushedRequest(request_uri: string, client_id: string, store: AuthStore, clock: Clock): Promise<AuthorizationParameters> {
  if (!request_uri.startsWith(REQUEST_URI_PREFIX)) throw new InvalidRequest('request_uri was not issued by this server')
  // RFC 9126 §4 (RFC9126-06): one use; the conditional update lets exactly one request win.
  const consumed = await store.pushedRequests.consume(hashSecret(request_uri.slice(REQUEST_URI_PREFIX.length)), clock.now())
  if (consumed === undefined) throw new InvalidRequest('request_uri is unknown')
  if (consumed.replay) throw new InvalidRequest('request_uri has already been used')
  // RFC 9126 §2.2: it expires after expires_in seconds.
  if (isExpired(consumed.record.expires_at, clock)) throw new InvalidRequest('request_uri has expired')
  // RFC 9126 §4 (RFC9126-05): only the client that pushed it may use it.
  if (consumed.record.client_id !== client_id) throw new InvalidRequest('request_uri was pushed by another client')
  return consumed.record.parameters
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
