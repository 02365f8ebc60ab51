/**
 * The `client_credentials` grant (RFC 6749 §4.4) as CDS uses it: Client Admin tokens
 * (CDS-WG1-02 §3.3.1), Grant Admin tokens that reach one Grant named in `authorization_details`
 * (CDS-WG1-02 §3.3.2), and direct-access scopes with their RFC 9396 authorization details.
 * Never with a refresh token (RFC 6749 §4.4.3).
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4 | RFC 6749 §4.4}
 * @module
 */
import type { AuthorizationDetail, GrantAdminAuthorizationDetail, GrantStatus, ScopeDescription } from '@cds-ts/schema'
import { InvalidAuthorizationDetails, InvalidRequest, InvalidScope, UnauthorizedClient } from '../errors.js'
import { checkCustomerDataRequest } from '../customer-data-request.js'
import { fillScopeDefaults, validateAuthorizationDetails } from '../rar.js'
import type { GrantContext, IssuedTokens } from './token-issuance.js'
import {
  checkAuthenticationMethodForScopes,
  checkRequestedScopes,
  issueAccessToken,
  readAuthorizationDetailsParameter,
  readScopeParameter,
  splitScope,
} from './token-issuance.js'

/**
 * What a Grant Admin token request needs to know about a Grant (CDS-WG1-02 §8.1).
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export interface GrantAccessRecord {
  grant_id: string
  client_id: string
  status: GrantStatus
  enabled_scope: string
  enabled_authorization_details: AuthorizationDetail[]
}

/**
 * Finds Grants by `grant_id`. `AuthStore` has no Grant store yet; the server passes one in.
 *
 * @see CDS-WG1-02 §8 Grants API
 */
export interface GrantLookup {
  /** The Grant, or `undefined` when the `grant_id` is unknown. */
  find(grant_id: string): Promise<GrantAccessRecord | undefined>
  /**
   * Every Grant issued to a Client object, newest first. When given, a `client_credentials` token
   * is bound to the Grant that covers its scope, so the Grant's status governs it (CDS-WG1-02 §8.2,
   * A-22); a Client object without Grants gets unbound tokens.
   */
  listForClient?(client_id: string): Promise<GrantAccessRecord[]>
}

/** What {@link clientCredentialsGrant} needs beyond the common {@link GrantContext}. */
export interface ClientCredentialsContext extends GrantContext {
  /** The IANA zone (`cds_timezone`) in which relative dates of authorization details are resolved. */
  timezone: string
  /** The Grants a Grant Admin request may name; without it every Grant Admin request is refused. */
  grants?: GrantLookup | undefined
  /** Checks the preselections of direct entries against the server's data (CDS-WG3-01 §7.4.3); see {@link PreselectionCheck}. */
  checkPreselections?: PreselectionCheck | undefined
}

/**
 * Checks the effective entries of a direct-access request whose `error_if_no_preselections` is
 * true against the server's data, and throws {@link InvalidAuthorizationDetails} when their
 * preselections are insufficient or match nothing (CDS-WG3-01 §7.4.3, A-51). The data lives in
 * the server, so the server passes the check in.
 *
 * @see CDS-WG3-01 §7.4.3 Error If No Preselections
 */
export type PreselectionCheck = (entries: readonly AuthorizationDetail[], scopes: readonly ScopeDescription[]) => Promise<void>

/**
 * CDS-WG1-02 §8.2 (R1-02-8.2-04): the Grant statuses that give no access at all.
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export const GRANT_STATUSES_WITHOUT_ACCESS: ReadonlySet<GrantStatus> = new Set<GrantStatus>(['future', 'disabled', 'suspended', 'revoked', 'closed', 'expired'])

// CDS-WG1-02 §3.3.2 (R1-02-3.3.2-03, -04): both fields are strings of 1 to 1000 characters.
const GRANT_ADMIN_MEMBERS = ['client_id', 'grant_id'] as const

/**
 * Runs the client credentials grant for an authenticated client.
 *
 * 1. A public client is refused (RFC 6749 §4.4 is for confidential clients).
 * 2. The requested scope is the `scope` parameter plus the `type` of every entry (an entry's
 *    type stands for the scope of that id, CDS-WG1-02 §3.3.2); with neither, the Client
 *    object's registered scope.
 * 3. Each scope must exist, be registered on the client, list `client_credentials`, and accept
 *    the authentication method used.
 * 4. A Grant Admin scope goes through the §3.3.2 rules; any other through the
 *    `authorization_details` checks of its Scope Description.
 *
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2 | RFC 6749 §4.4.2}
 */
export async function clientCredentialsGrant(body: Readonly<Record<string, unknown>>, context: ClientCredentialsContext): Promise<IssuedTokens> {
  // RFC 6749 §4.4: only a confidential client may use the client credentials grant.
  if (context.authenticated.method === 'none') throw new UnauthorizedClient('a public client cannot use the client_credentials grant')
  const scopeParameter = readScopeParameter(body)
  const details = readAuthorizationDetailsParameter(body)

  if (scopeParameter !== undefined) checkRequestedScopes(scopeParameter, context, 'client_credentials')
  for (const entry of details ?? []) {
    // RFC 9396 §5, §10 (catalog RFC9396-02, -05): an entry type must be a scope id the client may use as a type.
    if (context.scopes[entry.type] === undefined || !context.client.authorization_details_types.includes(entry.type)) {
      throw new InvalidAuthorizationDetails(`authorization_details type ${entry.type} is not available to this client`)
    }
  }
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-05): an entry whose type is a scope id requests that scope.
  let requested = [...new Set([...(scopeParameter ?? []), ...(details ?? []).map((entry) => entry.type)])]
  // RFC 6749 §3.3: without a scope, the server uses the client's registered scope.
  if (requested.length === 0) requested = splitScope(context.client.scope)
  if (requested.length === 0) throw new InvalidScope('no scope was requested and the client has none registered')
  const descriptions = checkRequestedScopes(requested, context, 'client_credentials')
  checkAuthenticationMethodForScopes(context, requested)

  const grantAdmin = descriptions.find((description) => description.type === 'cds_grant_admin')
  if (grantAdmin !== undefined) return grantAdminToken(context, grantAdmin, scopeParameter, details)

  // CDS-WG1-02 §3.8 (R1-02-3.8-04..06): entries are checked against their scope's fields, and a
  // scope requested without an entry gets one with its defaults.
  const rar = { clock: context.clock, timezone: context.timezone }
  const granted = fillScopeDefaults(validateAuthorizationDetails(details ?? [], descriptions, rar), requested, descriptions, rar)
  // CDS-WG3-01 §6.2, §7: the Customer Data rules spanning fields and entries.
  checkCustomerDataRequest(granted, requested, descriptions)
  // CDS-WG3-01 §7.4.3 (R3-01-7.4.3-07): error_if_no_preselections refuses preselections that match nothing.
  await context.checkPreselections?.(granted, descriptions)
  const grant_id = await coveringGrant(context, requested)
  const access = await issueAccessToken(context.store, context, {
    scope: requested.join(' '),
    authorization_details: granted,
    grant_id,
    code_hash: null,
  })
  return { access_token: access.value, expires_in: access.expires_in, scope: requested.join(' '), authorization_details: granted }
}

/**
 * A Grant Admin token (CDS-WG1-02 §3.3.2): one entry `{ type, client_id, grant_id }` naming a
 * Grant of the same registration whose enabled scopes all name this Grant Admin scope.
 */
async function grantAdminToken(
  context: ClientCredentialsContext,
  scope: ScopeDescription,
  scopeParameter: readonly string[] | undefined,
  details: readonly AuthorizationDetail[] | undefined,
): Promise<IssuedTokens> {
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-07): the request carries authorization_details with a single entry.
  if (details === undefined || details.length === 0) {
    throw new InvalidRequest(`a ${scope.id} token request needs one authorization_details entry naming client_id and grant_id`)
  }
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-07), A-25: exactly one entry, of the Grant Admin scope's type.
  if (details.length > 1) throw new InvalidAuthorizationDetails(`a ${scope.id} token request takes exactly one authorization_details entry`)
  const entry = details[0] as AuthorizationDetail
  if (entry.type !== scope.id) throw new InvalidAuthorizationDetails(`the authorization_details entry must have type ${scope.id}`)
  // a Grant Admin request names no other scope.
  if (scopeParameter !== undefined && scopeParameter.some((id) => id !== scope.id)) {
    throw new InvalidScope(`a ${scope.id} token request cannot ask for other scopes`)
  }
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-03, -04): client_id and grant_id are required strings of 1 to 1000 characters.
  const checked = validateAuthorizationDetails([entry], [scope], { clock: context.clock, timezone: context.timezone })
  const { client_id, grant_id } = checkGrantAdminEntry(checked[0] ?? entry)

  // Every refusal below reads the same, so a caller learns nothing about Grants it cannot reach.
  const unavailable = () => new InvalidAuthorizationDetails('the Grant does not exist or is not available to this client')
  const grant = await context.grants?.find(grant_id)
  if (grant === undefined) throw unavailable()
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-08 a): the Grant was issued to the named Client object.
  if (grant.client_id !== client_id) throw unavailable()
  // A-07 (R1-02-3.3.2-08 d): the Grant's Client object belongs to the requester's registration; the draft omits this check.
  const owner = await context.store.clients.find(grant.client_id)
  if (owner === undefined || owner.registration_id !== context.client.registration_id) throw unavailable()
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-08 b): a Grant with an empty enabled_scope is disabled.
  const enabled = [...new Set([...splitScope(grant.enabled_scope), ...grant.enabled_authorization_details.map((d) => d.type)])]
  if (grant.enabled_scope.trim() === '' || enabled.length === 0) throw unavailable()
  // CDS-WG1-02 §8.2 (R1-02-8.2-04): these statuses mean the Grant gives no access.
  if (GRANT_STATUSES_WITHOUT_ACCESS.has(grant.status)) throw unavailable()
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-08 c): every enabled scope names this Grant Admin scope.
  if (!enabled.every((id) => context.scopes[id]?.grant_admin_scope === scope.id)) throw unavailable()

  const entryGranted: GrantAdminAuthorizationDetail = { type: scope.id, client_id, grant_id }
  const granted: AuthorizationDetail[] = [entryGranted]
  const access = await issueAccessToken(context.store, context, {
    scope: scope.id,
    authorization_details: granted,
    grant_id: grant.grant_id,
    code_hash: null,
  })
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-09), RFC 9396 §7: the response carries the granted entry; no refresh token.
  return { access_token: access.value, expires_in: access.expires_in, scope: scope.id, authorization_details: granted }
}

/**
 * The Grant a direct `client_credentials` token belongs to: the newest Grant of the Client object
 * that has access and whose enabled scope covers every requested scope. `null` when the server
 * keeps no Grants for the Client object.
 *
 * @throws {InvalidScope} when the Client object has Grants but none gives access to the scope
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
async function coveringGrant(context: ClientCredentialsContext, requested: readonly string[]): Promise<string | null> {
  const grants = await context.grants?.listForClient?.(context.client.client_id)
  if (grants === undefined || grants.length === 0) return null
  const covering = grants.find((grant) => {
    if (GRANT_STATUSES_WITHOUT_ACCESS.has(grant.status)) return false
    const enabled = new Set([...splitScope(grant.enabled_scope), ...grant.enabled_authorization_details.map((d) => d.type)])
    return requested.every((id) => enabled.has(id))
  })
  // CDS-WG1-02 §8.2 (R1-02-8.2-04, -05), A-22: a closed, suspended or narrowed Grant limits new tokens too.
  if (covering === undefined) throw new InvalidScope('no Grant of this client currently gives access to the requested scope')
  return covering.grant_id
}

/** The `client_id` and `grant_id` of a Grant Admin entry, which has no other member. */
function checkGrantAdminEntry(entry: AuthorizationDetail): { client_id: string; grant_id: string } {
  const values: Record<string, string> = {}
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'type') continue
    // RFC 9396 §5, catalog RFC9396-07: a member the Scope Description does not declare is refused.
    if (!(GRANT_ADMIN_MEMBERS as readonly string[]).includes(name)) throw new InvalidAuthorizationDetails(`the member ${name} is not allowed in a Grant Admin entry`)
    // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-03, -04): format string, minimum 1, maximum 1000.
    if (typeof value !== 'string' || value.length < 1 || value.length > 1000) {
      throw new InvalidAuthorizationDetails(`${name} must be a string of 1 to 1000 characters`)
    }
    values[name] = value
  }
  for (const name of GRANT_ADMIN_MEMBERS) {
    // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-07): client_id and grant_id are both required.
    if (values[name] === undefined) throw new InvalidAuthorizationDetails(`the Grant Admin entry needs ${name}`)
  }
  return { client_id: values.client_id as string, grant_id: values.grant_id as string }
}
