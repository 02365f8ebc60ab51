/**
 * The checks an authorization request (RFC 6749 §4.1.1) gets, whether it arrives at the
 * authorization endpoint or is pushed first (RFC 9126 §2.1), in two stages:
 *
 * 1. {@link resolveRedirectUri}: the Client object and where to send the answer. Until both are
 *    known good, errors must not be redirected (RFC 6749 §4.1.2.1).
 * 2. {@link checkAuthorizationParameters}: `response_type`, PKCE, `scope` and
 *    `authorization_details` with the Client object's defaults (CDS-WG1-02 §5.1). The
 *    authorization endpoint redirects these errors; the PAR endpoint returns them as JSON.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 | RFC 6749 §4.1.1}
 * @module
 */
import type { AuthorizationDetail, ScopeDescription } from '@cds-ts/schema'
import { clientScopeDescriptions } from './client-purposes.js'
import type { Clock } from './clock.js'
import { checkCustomerDataRequest } from './customer-data-request.js'
import { InvalidAuthorizationDetails, InvalidRequest, InvalidScope, UnauthorizedClient, UnsupportedResponseType } from './errors.js'
import { checkCodeChallenge, type CodeChallenge } from './pkce.js'
import { fillScopeDefaults, validateAuthorizationDetails, type AuthorizationDetailsOptions, type RelativeDirectionOf } from './rar.js'
import type { ClientRecord } from './store.js'

/**
 * The authorization server settings the PAR and authorization endpoints read. `@cds-ts/server`
 * fills them from its configuration.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export interface AuthorizationSettings {
  /** `cds_scope_descriptions`, by scope id. */
  scope_descriptions: Readonly<Record<string, ScopeDescription>>
  /** `cds_timezone`, in which relative dates are resolved (CDS-WG1-02 §3.9). */
  timezone: string
  /** RFC 9126 §5: refuse authorization requests that were not pushed first. Default `false`. */
  require_pushed_authorization_requests?: boolean
  /** Seconds a `request_uri` lives (RFC 9126 §2.2; A-56 recommends 90). */
  request_uri_lifetime: number
  /** Seconds an authorization code lives (RFC 6749 §4.1.2: 600 at most; A-56 recommends 60). */
  authorization_code_lifetime: number
  /**
   * whether a confidential client must send PKCE too. Default `true`; public clients
   * always must (RFC 7636 §1).
   */
  pkce_required_for_confidential_clients?: boolean
  /** Which way each field's relative dates count; default `defaultRelativeDirection` of `rar.ts`. */
  relativeDirection?: RelativeDirectionOf
}

/**
 * The authorization request parameters cds-ts reads (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 9396 §3,
 * CDS-WG1-02 §8.3). Others are ignored (RFC 6749 §3.1) and not stored with a pushed request.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 | RFC 6749 §4.1.1}
 */
export const AUTHORIZATION_PARAMETERS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'authorization_details',
  'state',
  'code_challenge',
  'code_challenge_method',
  'cds_grant_id',
  'prompt',
] as const

/** Authorization request parameters by name, single string values. */
export type AuthorizationParameters = Partial<Record<(typeof AUTHORIZATION_PARAMETERS)[number], string>>

/**
 * Query or form parameters read as RFC 6749 §3.1 says: an empty value is absent; a parameter sent
 * twice is reported in `repeated` rather than used.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1 | RFC 6749 §3.1}
 */
export function readParameters(input: Readonly<Record<string, unknown>>): { parameters: Record<string, string>; repeated: string[] } {
  const parameters: Record<string, string> = {}
  const repeated: string[] = []
  for (const [name, raw] of Object.entries(input)) {
    if (name === '__proto__') continue
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v) => v !== undefined && v !== null && v !== '')
    // RFC 6749 §3.1: parameters sent without a value are treated as omitted; none may be repeated.
    if (values.length > 1) repeated.push(name)
    else if (typeof values[0] === 'string') parameters[name] = values[0]
    else if (values.length === 1) repeated.push(name)
  }
  return { parameters, repeated }
}

/** Where the authorization response goes, and what the request said about it. */
export interface ResolvedRedirectUri {
  /** The URI to redirect to. */
  redirect_uri: string
  /** The `redirect_uri` parameter as sent, or `null` when the Client object's default was used. */
  redirect_uri_parameter: string | null
}

/**
 * Checks the `redirect_uri` parameter against the Client object's registered `redirect_uris` by
 * exact string comparison, or takes its `cds_default_redirect_uri` when the parameter is absent.
 *
 * @throws {InvalidRequest} when it is not registered or cannot be defaulted: an error to show,
 *   never to redirect (RFC 6749 §4.1.2.1)
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3 | RFC 6749 §3.1.2.3}
 */
export function resolveRedirectUri(client: ClientRecord, redirect_uri: string | undefined): ResolvedRedirectUri {
  if (redirect_uri !== undefined) {
    // RFC 6749 §3.1.2.3, RFC 9700 §2.1: the parameter must equal a registered URI, character for character.
    if (!client.redirect_uris.includes(redirect_uri)) throw new InvalidRequest('redirect_uri is not registered for this client')
    return { redirect_uri, redirect_uri_parameter: redirect_uri }
  }
  // CDS-WG1-02 §5.1 (R1-02-5.1-20): without the parameter the Client object's default is used (A-18: one of its redirect_uris).
  const fallback = client.cds_default_redirect_uri ?? (client.redirect_uris.length === 1 ? client.redirect_uris[0] : undefined)
  if (fallback === undefined || !client.redirect_uris.includes(fallback)) throw new InvalidRequest('redirect_uri is required: this client has no default')
  return { redirect_uri: fallback, redirect_uri_parameter: null }
}

/**
 * An authorization request that passed every check, with the Client object's defaults applied.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export interface CheckedAuthorizationRequest {
  client: ClientRecord
  /** Space-separated scope ids: the requested ones and those the entries' types stand for. */
  scope: string
  /** The normalized entries (defaults filled, relative dates resolved at the check). */
  authorization_details: AuthorizationDetail[]
  code_challenge: CodeChallenge | undefined
  state: string | undefined
  /** CDS-WG1-02 §8.3: the Grant this authorization is for, if any. */
  cds_grant_id: string | undefined
  /** CDS-WG1-02 §8.3, A-35: `login` forces the customer to authenticate again. */
  prompt: string | undefined
  /** The Scope Descriptions the request was checked against (the client's authorization-code scopes). */
  scope_descriptions: readonly ScopeDescription[]
}

// RFC 6749 §3.3: scope tokens of printable ASCII without space, `"` and `\`.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/

const tokens = (scope: string | null | undefined) => (scope ?? '').split(' ').filter((t) => t !== '')

/**
 * Checks the parameters of an authorization request made by `client` and applies its defaults
 * (CDS-WG1-02 §5.1, A-32): `scope` → `cds_default_scope`, `authorization_details` →
 * `cds_default_authorization_details`, omitted fields → their `default`. Relative dates resolve
 * at `clock`'s time.
 *
 * @example
 * ```ts
 * const { redirect_uri } = resolveRedirectUri(client, parameters.redirect_uri)
 * const checked = checkAuthorizationParameters(parameters, client, settings, clock)
 * ```
 * @throws {OAuthError} `invalid_request`, `unsupported_response_type`, `unauthorized_client`,
 *   `invalid_scope` or `invalid_authorization_details`
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 | RFC 6749 §4.1.1}
 */
export function checkAuthorizationParameters(
  parameters: AuthorizationParameters,
  client: ClientRecord,
  settings: AuthorizationSettings,
  clock: Clock,
): CheckedAuthorizationRequest {
  // RFC 6749 §4.1.1: response_type is required and `code` is the only type CDS scopes offer.
  if (parameters.response_type === undefined) throw new InvalidRequest('response_type is required')
  if (parameters.response_type !== 'code') throw new UnsupportedResponseType('response_type must be code')
  // RFC 7591 §2: the Client object is registered for the code flow.
  if (!client.response_types.includes('code') || !client.grant_types.includes('authorization_code')) {
    throw new UnauthorizedClient('this client is not registered for authorization requests')
  }

  // CDS-WG1-02 §3.4 (R1-02-3.4-11), A-08: S256 only, and a challenge is required; public clients can never skip it.
  const required = client.token_endpoint_auth_method === 'none' || (settings.pkce_required_for_confidential_clients ?? true)
  const code_challenge = checkCodeChallenge(parameters, { required })

  const registered = tokens(client.scope)
  // Scopes the client may ask a customer for: registered, described, and offering the code response type.
  // CDS-WG3-01 §7.4.4: the `purpose` choices are this Client object's Purposes for each scope.
  const available = clientScopeDescriptions(
    registered
      .map((id) => settings.scope_descriptions[id])
      .filter((sd): sd is ScopeDescription => sd !== undefined && sd.response_types_supported.includes('code')),
    client,
  )
  if (parameters.scope !== undefined && !SCOPE.test(parameters.scope)) throw new InvalidScope('scope is not a space-separated list of scope tokens')
  const useDefaults = parameters.scope === undefined && parameters.authorization_details === undefined
  // CDS-WG1-02 §5.1 (R1-02-5.1-20): no scope and no authorization_details means the Client object's defaults.
  const requested = [...new Set(tokens(useDefaults ? client.cds_default_scope : parameters.scope))]
  for (const id of requested) {
    // RFC 6749 §3.3: only scopes the client is registered for.
    if (!registered.includes(id)) throw new InvalidScope(`scope ${id} is not registered for this client`)
    // CDS-WG1-02 §3.4: only scopes whose response_types_supported offer `code`.
    if (!available.some((sd) => sd.id === id)) throw new InvalidScope(`scope ${id} cannot be authorized by a customer`)
  }

  const options: AuthorizationDetailsOptions = {
    clock,
    timezone: settings.timezone,
    ...(settings.relativeDirection === undefined ? {} : { relativeDirection: settings.relativeDirection }),
  }
  let details: AuthorizationDetail[]
  if (parameters.authorization_details !== undefined) {
    details = validateAuthorizationDetails(parameters.authorization_details, available, options)
  } else {
    // CDS-WG1-02 §5.1 (A-32): cds_default_authorization_details, for the requested scopes' types only.
    const own = new Set(available.filter((sd) => useDefaults || requested.includes(sd.id)).flatMap((sd) => sd.authorization_details_types_supported))
    const defaults = (client.cds_default_authorization_details ?? []).filter((entry) => own.has(entry.type))
    details = validateAuthorizationDetails(defaults, available, options)
  }
  for (const [index, entry] of details.entries()) {
    // RFC 9396 §10 (RFC9396-05): only types the Client object is registered for.
    if (!client.authorization_details_types.includes(entry.type)) {
      throw new InvalidAuthorizationDetails(`authorization_details[${index}].type '${entry.type}' is not registered for this client`)
    }
  }

  // CDS-WG1-02 §3.3.2, §3.3.3: an entry whose type is a scope's id stands for that scope.
  const owners = details.map((entry) => available.find((sd) => sd.authorization_details_types_supported.includes(entry.type))?.id)
  const scope = [...new Set([...requested, ...owners.filter((id): id is string => id !== undefined)])]
  if (scope.length === 0) throw new InvalidScope('no scope was requested and this client has no default scope')
  // CDS-WG1-02 §3.8 (R1-02-3.8-06): requested scopes without entries get their defaults.
  const authorization_details = fillScopeDefaults(details, scope, available, options)
  // CDS-WG3-01 §7 (catalog D3 step 2.3-2.4): the rules spanning fields and entries, on the effective values.
  checkCustomerDataRequest(authorization_details, scope, available)

  return {
    client,
    scope: scope.join(' '),
    authorization_details,
    code_challenge,
    state: parameters.state,
    cds_grant_id: parameters.cds_grant_id,
    prompt: parameters.prompt,
    scope_descriptions: available,
  }
}
