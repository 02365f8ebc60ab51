/**
 * The authorization endpoint (RFC 6749 §4.1.1, RFC 9126 §4) with the CDS rules of CDS-WG1-02
 * §3.4, §5.1 and §8.3 and the customer authorization process of CDS-WG3-01 §9.1, in two halves:
 *
 * 1. {@link beginAuthorization} runs the checks made before the customer logs in (§9.1.1): the
 *    pushed request behind `request_uri` or the query, the Client object, the redirect URI and
 *    `response_type` (errors thrown, for the server to show: ), then every other
 *    parameter and `cds_grant_id` (errors redirected). What passes is a
 *    {@link PendingAuthorization} the server keeps while the customer logs in and reads the form.
 * 2. {@link completeAuthorization} takes the customer's decision, checks the request again at
 *    that moment (relative dates resolve at the approval, CDS-WG1-02 §3.9), applies and checks the
 *    customer's narrowing, records the Grant with the selections and issues a
 *    single-use code bound to the client, redirect URI, PKCE challenge, scope and details.
 *
 * {@link authorize} chains both around a synchronous {@link CustomerAuthorization} stand-in.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1 | RFC 6749 §4.1}
 * @module
 */
import type { AuthorizationDetail } from '@cds-ts/schema'
import {
  AUTHORIZATION_PARAMETERS,
  checkAuthorizationParameters,
  readParameters,
  resolveRedirectUri,
  type AuthorizationParameters,
  type AuthorizationSettings,
  type CheckedAuthorizationRequest,
} from './authorization-request.js'
import {
  authorizationErrorRedirect,
  redirectError,
  redirectTo,
  type AuthorizationRedirect,
  type PendingAuthorization,
} from './authorization-redirect.js'
import { addSeconds, isExpired, type Clock } from './clock.js'
import { hashSecret, randomOpaqueValue } from './crypto.js'
import { grantedDetails, narrowRequest, type AuthorizationDecision, type AuthorizationSelection, type CustomerAuthorization } from './customer-authorization.js'
import { AccessDenied, CdsGrantIdInvalidValue, InvalidRequest, UnauthorizedClient, UnsupportedResponseType } from './errors.js'
import { REQUEST_URI_PREFIX } from './par.js'
import { validateAuthorizationDetails, type AuthorizationDetailsOptions } from './rar.js'
import type { AuthStore, ClientRecord } from './store.js'

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
  /** What the customer selected per Request Section; `[]` when nothing was selected on a form. */
  selections: AuthorizationSelection[]
}

/** What both halves of the endpoint need. */
export interface AuthorizationEndpointOptions {
  store: AuthStore
  clock: Clock
  settings: AuthorizationSettings
  grants?: AuthorizationGrants
}

/** Options of {@link authorize}. */
export interface AuthorizeOptions extends AuthorizationEndpointOptions {
  customerAuthorization: CustomerAuthorization
}

/** The outcome of {@link beginAuthorization}: a pending request with its checked form, or an error redirect. */
export type AuthorizationStart = { pending: PendingAuthorization; request: CheckedAuthorizationRequest } | { redirect: AuthorizationRedirect }

/** An approval's redirect (a code, or an error met while completing) and, for a code, the Grant, scope and entries it is bound to. */
export interface CompletedAuthorization extends AuthorizationRedirect {
  /** The Grant recorded, `null` without Grant bookkeeping or on error. */
  grant_id: string | null
  scope: string
  authorization_details: AuthorizationDetail[]
}

/**
 * Runs the authorization endpoint on the query parameters of a request (repeated parameters as
 * arrays) with a synchronous {@link CustomerAuthorization}. Returns the redirect (success or a
 * redirectable error); throws an `OAuthError` when the client, the redirect URI or the
 * `request_uri` is not good, which the server shows as an error page and never redirects.
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
  // RFC 6749 §4.1.2.1: without the CDS-WG3-01 form, a bad response_type is redirected once client and URI are good.
  const started = await start(query, options, false)
  if ('redirect' in started) return started.redirect
  const { pending, request: checked } = started
  let decision
  try {
    decision = await options.customerAuthorization.authenticateAndApprove({
      client: checked.client,
      scope: checked.scope,
      authorization_details: checked.authorization_details,
      redirect_uri: pending.redirect_uri,
      state: checked.state,
      prompt: checked.prompt,
      cds_grant_id: checked.cds_grant_id,
    })
  } catch (error) {
    return redirectError(pending, error)
  }
  // RFC 6749 §4.1.2.1: the customer said no.
  if (!decision.approved) return authorizationErrorRedirect(pending, new AccessDenied(decision.error_description ?? 'the customer denied the request'))
  const { location, response } = await completeAuthorization(
    pending,
    { customer_id: decision.customer_id, ...(decision.authorization_details === undefined ? {} : { authorization_details: decision.authorization_details }) },
    options,
  )
  return { location, response }
}

/**
 * The checks of an authorization request before the customer logs in (CDS-WG3-01 §9.1.1, A-13,
 * takes the pushed request behind `request_uri` (once) or the query, then checks
 * `client_id`, `redirect_uri` and `response_type`, in that order, throwing what must be shown;
 * then the other parameters and `cds_grant_id`, whose errors are redirected.
 *
 * @example
 * ```ts
 * const started = await beginAuthorization(request.query, { store, clock, settings, grants })
 * if ('redirect' in started) return reply.redirect(started.redirect.location, 302)
 * const handle = await saveInteraction(started.pending)
 * ```
 * @throws {OAuthError} `invalid_request`, `unauthorized_client` or `unsupported_response_type`
 *   for errors to show, never to redirect (RFC 6749 §4.1.2.1; CDS-WG3-01 §9.3.2)
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @see CDS-WG3-01 §9.3.2 Invalid Request Error
 */
export async function beginAuthorization(query: Readonly<Record<string, unknown>>, options: AuthorizationEndpointOptions): Promise<AuthorizationStart> {
  return start(query, options, true)
}

/**
 * Checks a pending request again, for instance once the customer is known (CDS-WG3-01 §9.1.1:
 * validated again knowing the customer's identity), at `options.clock`'s time.
 *
 * @throws {OAuthError} for an error to show: the Client object is gone or disabled, or the
 *   redirect URI is no longer registered
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export async function resumeAuthorization(pending: PendingAuthorization, options: AuthorizationEndpointOptions): Promise<AuthorizationStart> {
  const client = await currentClient(pending, options.store)
  try {
    return { pending, request: await checkRequest(pending.parameters, client, options) }
  } catch (error) {
    return { redirect: redirectError(pending, error) }
  }
}

/**
 * Completes an approved authorization (CDS-WG3-01 §9.1.1): checks the request again now, so
 * relative dates resolve at the approval (CDS-WG1-02 §3.9, R1-02-3.9-03), applies the customer's
 * narrowing after checking it only narrows, records the Grant with the selections (A-10,
 * R1-02-8.3-11) and issues a single-use code. Errors found on the way are redirected.
 *
 * @example
 * ```ts
 * const done = await completeAuthorization(pending, { customer_id, selections, modifications }, { store, clock, settings, grants })
 * reply.redirect(done.location, 303)
 * ```
 * @throws {OAuthError} for an error to show: the Client object is gone or disabled, or the
 *   redirect URI is no longer registered
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 */
export async function completeAuthorization(
  pending: PendingAuthorization,
  decision: AuthorizationDecision,
  options: AuthorizationEndpointOptions,
): Promise<CompletedAuthorization> {
  const { store, clock, settings } = options
  const client = await currentClient(pending, store)
  let scope = ''
  let authorization_details: AuthorizationDetail[] = []
  try {
    // CDS-WG1-02 §3.9 (R1-02-3.9-03): relative dates resolve at the customer's approval, now.
    const checked = await checkRequest(pending.parameters, client, options)
    scope = checked.scope
    authorization_details = checked.authorization_details
    const detailsOptions = detailsOptionsOf(settings, clock)
    if (decision.authorization_details !== undefined) {
      // A stand-in's rewritten entries count only once they pass the same checks as a request.
      authorization_details = validateAuthorizationDetails(decision.authorization_details, checked.scope_descriptions, detailsOptions)
    }
    if (decision.modifications !== undefined) {
      // the customer may only narrow what was asked.
      ;({ scope, authorization_details } = narrowRequest(checked, decision.modifications, detailsOptions))
    }
    // what the customer selected lives in the selections, not in preselection fields.
    authorization_details = grantedDetails(authorization_details, checked.scope_descriptions)

    const now = clock.now()
    const grant_id =
      options.grants === undefined
        ? null
        : await options.grants.recordApproval({
            client_id: pending.client_id,
            customer_id: decision.customer_id,
            scope,
            authorization_details,
            cds_grant_id: checked.cds_grant_id,
            approved_at: now,
            selections: [...(decision.selections ?? [])],
          })
    const code = randomOpaqueValue()
    await store.codes.insert({
      // RFC 6749 §10.10: a code cannot be guessed; storage keeps only its digest.
      code_hash: hashSecret(code),
      // RFC 6749 §4.1.3: bound to the client and to the redirect_uri parameter as sent.
      client_id: pending.client_id,
      redirect_uri: pending.redirect_uri_parameter,
      // RFC 7636 §4.4: bound to the challenge.
      code_challenge: checked.code_challenge?.code_challenge ?? null,
      code_challenge_method: checked.code_challenge?.code_challenge_method ?? null,
      scope,
      authorization_details,
      grant_id,
      created: now,
      // RFC 6749 §4.1.2: short-lived (ten minutes at most).
      expires_at: addSeconds(now, settings.authorization_code_lifetime),
      used_at: null,
    })
    // RFC 6749 §4.1.2 (RFC6749-14): state comes back exactly as sent.
    return { ...redirectTo(pending, checked.state === undefined ? { code } : { code, state: checked.state }), grant_id, scope, authorization_details }
  } catch (error) {
    return { ...redirectError(pending, error), grant_id: null, scope, authorization_details }
  }
}

/** The authorization request parameters of `parameters`, the others left out (RFC 6749 §3.1: ignored). */
function pickParameters(parameters: Readonly<Record<string, string>>): AuthorizationParameters {
  const picked: AuthorizationParameters = {}
  for (const name of AUTHORIZATION_PARAMETERS) if (parameters[name] !== undefined) picked[name] = parameters[name]
  return picked
}

async function start(query: Readonly<Record<string, unknown>>, options: AuthorizationEndpointOptions, showResponseTypeErrors: boolean): Promise<AuthorizationStart> {
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
  // RFC 9126 §4: behind a request_uri, only the pushed parameters count; A-14: a bad one is shown.
  const parameters = pickParameters(pushed ? await usePushedRequest(read.parameters.request_uri ?? '', client_id, store, clock) : read.parameters)

  const client = await store.clients.find(client_id)
  if (client === undefined) throw new InvalidRequest('client_id is not a known client')
  // CDS-WG1-02 §5.2 (R1-02-5.2-04): a disabled Client object gets nothing, not even an error redirect.
  if (client.cds_status === 'disabled') throw new UnauthorizedClient('this client is disabled')
  const { redirect_uri, redirect_uri_parameter } = resolveRedirectUri(client, parameters.redirect_uri)
  const pending: PendingAuthorization = { client_id, parameters, redirect_uri, redirect_uri_parameter, state: parameters.state }
  if (showResponseTypeErrors) {
    // CDS-WG3-01 §9.1.1, §9.3.2: after client_id and redirect_uri, a bad response_type is shown too.
    if (read.repeated.includes('response_type') && !pushed) throw new InvalidRequest('response_type must not be repeated')
    if (parameters.response_type === undefined) throw new InvalidRequest('response_type is required')
    if (parameters.response_type !== 'code') throw new UnsupportedResponseType('response_type must be code')
  }

  try {
    if (!pushed) {
      // RFC 6749 §3.1: no parameter may be repeated.
      if (read.repeated.length > 0) throw new InvalidRequest(`${read.repeated[0] ?? ''} must not be repeated`)
      // RFC 9126 §5 (RFC9126-08): a server may require every request to be pushed first.
      if (settings.require_pushed_authorization_requests === true) throw new InvalidRequest('authorization requests must be pushed to the PAR endpoint first')
    }
    return { pending, request: await checkRequest(parameters, client, options) }
  } catch (error) {
    return { redirect: redirectError(pending, error) }
  }
}

/** The parameter checks and, after them, `cds_grant_id` (CDS-WG1-02 §8.3: before the customer logs in). */
async function checkRequest(parameters: AuthorizationParameters, client: ClientRecord, options: AuthorizationEndpointOptions): Promise<CheckedAuthorizationRequest> {
  const checked = checkAuthorizationParameters(parameters, client, options.settings, options.clock)
  // CDS-WG1-02 §8.3 (R1-02-8.3-05, -06): after the other parameters.
  if (checked.cds_grant_id !== undefined && !(await options.grants?.isGrantIdValid(checked.cds_grant_id, checked))) {
    throw new CdsGrantIdInvalidValue('cds_grant_id does not name a Grant this request may authorize')
  }
  return checked
}

/**
 * The Client object of a pending request as it is now. Its state may have changed while the
 * customer read the form; what was shown-only before (RFC 6749 §4.1.2.1) still is.
 */
async function currentClient(pending: PendingAuthorization, store: AuthStore): Promise<ClientRecord> {
  const client = await store.clients.find(pending.client_id)
  if (client === undefined) throw new InvalidRequest('client_id is not a known client')
  // CDS-WG1-02 §5.2 (R1-02-5.2-04): disabled meanwhile: no redirect.
  if (client.cds_status === 'disabled') throw new UnauthorizedClient('this client is disabled')
  // RFC 6749 §3.1.2.3: the redirect URI must still be registered.
  if (!client.redirect_uris.includes(pending.redirect_uri)) throw new InvalidRequest('redirect_uri is not registered for this client')
  return client
}

const detailsOptionsOf = (settings: AuthorizationSettings, clock: Clock): AuthorizationDetailsOptions => ({
  clock,
  timezone: settings.timezone,
  ...(settings.relativeDirection === undefined ? {} : { relativeDirection: settings.relativeDirection }),
})

/**
 * Takes the pushed request behind a `request_uri`, once.
 *
 * @throws {InvalidRequest} for a foreign, unknown, used or expired `request_uri`, or another client's
 */
async function usePushedRequest(request_uri: string, client_id: string, store: AuthStore, clock: Clock): Promise<Record<string, string>> {
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

