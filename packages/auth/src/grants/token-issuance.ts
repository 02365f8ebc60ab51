/**
 * What the three grants of the token endpoint share: reading `scope` and `authorization_details`
 * parameters, checking requested scopes against the Client object and the Scope Descriptions,
 * narrowing a grant, and writing new access and refresh tokens (stored as digests only).
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 * @module
 */
import type { AuthorizationDetail, ScopeDescription } from '@cds-ts/schema'
import { parseJson, stringifyJson } from '@cds-ts/schema'
import type { AuthenticatedClient } from '../client-authentication.js'
import type { Clock } from '../clock.js'
import { addSeconds, secondsUntil } from '../clock.js'
import { hashSecret, randomOpaqueValue } from '../crypto.js'
import { InvalidAuthorizationDetails, InvalidClient, InvalidRequest, InvalidScope } from '../errors.js'
import type { AuthStore, ClientRecord, TokenRecord } from '../store.js'

/**
 * Lifetimes, in seconds, of what the token endpoint issues.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export interface TokenLifetimes {
  /** Access token lifetime, sent as `expires_in`. */
  access_token: number
  /** Refresh token lifetime, counted again from each rotation. */
  refresh_token: number
}

/**
 * Everything a grant handler needs: storage, time, configuration and the authenticated client.
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export interface GrantContext {
  store: AuthStore
  clock: Clock
  /** The server's Scope Descriptions by scope id (`cds_scope_descriptions`). */
  scopes: Readonly<Record<string, ScopeDescription>>
  lifetimes: TokenLifetimes
  /** The Client object that authenticated. */
  client: ClientRecord
  /** How it authenticated and with which Credential. */
  authenticated: AuthenticatedClient
}

/**
 * What a grant hands back to the token endpoint, which turns it into the RFC 6749 §5.1 response.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export interface IssuedTokens {
  access_token: string
  expires_in: number
  scope: string
  authorization_details: AuthorizationDetail[]
  refresh_token?: string
}

/** The parts of a token that are not derived from the issuance itself. */
export interface TokenGrant {
  scope: string
  authorization_details: AuthorizationDetail[]
  grant_id: string | null
  code_hash: string | null
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), separated by single spaces.
const SCOPE_PARAMETER = /^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/

/**
 * The scope values of a stored space-separated scope string, without repeats.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.3 | RFC 6749 §3.3}
 */
export function splitScope(scope: string): string[] {
  return [...new Set(scope.split(' ').filter((value) => value !== ''))]
}

/**
 * One body parameter as a string, or `undefined`; RFC 6749 §3.1 treats an empty value as absent.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1 | RFC 6749 §3.1}
 */
export function stringParameter(body: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const value = body[name]
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string') return value
  // RFC 6749 §3.2: a request parameter is sent once; a repeated one arrives as an array.
  if (Array.isArray(value)) throw new InvalidRequest(`the parameter '${name}' must not be repeated`)
  throw new InvalidRequest(`the parameter '${name}' must be a string`)
}

/**
 * Reads a `scope` parameter: its values, or `undefined` when it was not sent.
 *
 * @throws {InvalidScope} when it breaks the RFC 6749 §3.3 grammar
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.3 | RFC 6749 §3.3}
 */
export function readScopeParameter(body: Readonly<Record<string, unknown>>): string[] | undefined {
  const scope = stringParameter(body, 'scope')
  if (scope === undefined) return undefined
  // RFC 6749 §3.3: space-delimited scope tokens of printable ASCII without `"` and `\`.
  if (!SCOPE_PARAMETER.test(scope)) throw new InvalidScope('the scope parameter is malformed')
  return splitScope(scope)
}

/**
 * Reads an `authorization_details` parameter: a JSON array of objects with a string `type`
 * (RFC 9396 §2), decimals kept exact. `undefined` when it was not sent.
 *
 * @throws {InvalidRequest} when it is not JSON
 * @throws {InvalidAuthorizationDetails} when it is JSON but not a list of typed objects
 * @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-2 | RFC 9396 §2}
 */
export function readAuthorizationDetailsParameter(body: Readonly<Record<string, unknown>>): AuthorizationDetail[] | undefined {
  const text = stringParameter(body, 'authorization_details')
  if (text === undefined) return undefined
  let value: unknown
  try {
    value = parseJson(text)
  } catch {
    throw new InvalidRequest('the authorization_details parameter is not JSON')
  }
  // RFC 9396 §2: a JSON array of objects, each with a string `type`.
  if (!Array.isArray(value)) throw new InvalidAuthorizationDetails('authorization_details must be a JSON array')
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InvalidAuthorizationDetails('every authorization_details entry must be a JSON object')
    }
    if (typeof (entry as { type?: unknown }).type !== 'string') throw new InvalidAuthorizationDetails('every authorization_details entry needs a string type')
  }
  return value as AuthorizationDetail[]
}

/**
 * The Scope Descriptions of requested scope values, after checking that each is offered by the
 * server, registered on the Client object, and usable with this grant type.
 *
 * @throws {InvalidScope} for a scope that fails one of these checks
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export function checkRequestedScopes(
  requested: readonly string[],
  context: Pick<GrantContext, 'scopes' | 'client'>,
  grant_type: string,
): ScopeDescription[] {
  const registered = new Set(splitScope(context.client.scope))
  return requested.map((id) => {
    const description = context.scopes[id]
    // CDS-WG1-02 §3.3 (R1-02-3.3-01): only scopes with a Scope Description exist on this server.
    if (description === undefined) throw new InvalidScope(`the scope ${id} is not offered by this server`)
    // RFC 6749 §3.3: a client gets only scopes it is registered for.
    if (!registered.has(id)) throw new InvalidScope(`the scope ${id} is not registered for this client`)
    // CDS-WG1-02 §3.4 (R1-02-3.4-09): each scope lists the grant types that may issue it.
    if (!description.grant_types_supported.includes(grant_type)) throw new InvalidScope(`the scope ${id} cannot be obtained with ${grant_type}`)
    return description
  })
}

/**
 * Checks that the client authentication method is one every granted scope accepts: in particular,
 * `none` (a public client) only where each scope lists it.
 *
 * @throws {InvalidClient} when a scope does not accept the method
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export function checkAuthenticationMethodForScopes(context: Pick<GrantContext, 'scopes' | 'authenticated'>, scope: readonly string[]): void {
  const method = context.authenticated.method
  for (const id of scope) {
    const allowed = context.scopes[id]?.token_endpoint_auth_methods_supported ?? []
    // CDS-WG1-02 §3.4 (R1-02-3.4-10): a scope names its client authentication methods; `none` marks public use.
    if (!allowed.includes(method)) throw new InvalidClient(`the scope ${id} does not accept client authentication method ${method}`)
  }
}

/**
 * The canonical JSON text of a value: object members sorted, decimals exact. Two authorization
 * details entries are the same entry when their canonical texts are equal.
 * @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-6.2 | RFC 9396 §6.2}
 */
export function canonicalJson(value: unknown): string {
  return stringifyJson(sortMembers(value))
}

function sortMembers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortMembers)
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return Object.fromEntries(entries.map(([k, v]) => [k, sortMembers(v)]))
}

/**
 * A narrower grant for a token request that asks for less than was granted (RFC 6749 §6,
 * RFC 9396 §6): requested scope values must have been granted, and requested entries must each
 * equal a granted one. Without a narrower `authorization_details`, the entries whose `type` is no
 * longer in the scope are dropped.
 *
 * @throws {InvalidScope} for a scope value that was not granted
 * @throws {InvalidAuthorizationDetails} for an entry that was not granted
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
 */
export function narrowGrant(
  granted: Pick<TokenGrant, 'scope' | 'authorization_details'>,
  requestedScope: readonly string[] | undefined,
  requestedDetails: readonly AuthorizationDetail[] | undefined,
): Pick<TokenGrant, 'scope' | 'authorization_details'> {
  const grantedScope = splitScope(granted.scope)
  if (requestedScope !== undefined) {
    for (const id of requestedScope) {
      // RFC 6749 §6: the new scope must not include anything not originally granted.
      if (!grantedScope.includes(id)) throw new InvalidScope(`the scope ${id} was not granted`)
    }
  }
  let details = granted.authorization_details
  if (requestedDetails !== undefined) {
    const grantedTexts = new Set(granted.authorization_details.map(canonicalJson))
    for (const entry of requestedDetails) {
      // RFC 9396 §6.2: refreshing may narrow the authorization details, never widen them.
      if (!grantedTexts.has(canonicalJson(entry))) throw new InvalidAuthorizationDetails(`an authorization_details entry of type ${entry.type} was not granted`)
    }
    details = [...requestedDetails]
  } else if (requestedScope !== undefined) {
    details = details.filter((entry) => requestedScope.includes(entry.type))
  }
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-05): an entry's type stands for the scope of that id.
  const scope = [...new Set([...(requestedScope ?? grantedScope), ...details.map((entry) => entry.type)])]
  return { scope: scope.join(' '), authorization_details: details }
}

/**
 * Stores a new access token and returns its value; the value itself never reaches storage.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-10.3 | RFC 6749 §10.3}
 */
export async function issueAccessToken(store: AuthStore, context: GrantContext, grant: TokenGrant): Promise<{ value: string; expires_in: number }> {
  const value = randomOpaqueValue()
  const record = tokenRecord(context, grant, 'access_token', hashSecret(value), context.lifetimes.access_token)
  await store.tokens.insert(record)
  return { value, expires_in: secondsUntil(record.expires_at, context.clock) }
}

/**
 * Stores a new refresh token and returns its value.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-1.5 | RFC 6749 §1.5}
 */
export async function issueRefreshToken(store: AuthStore, context: GrantContext, grant: TokenGrant): Promise<string> {
  const value = randomOpaqueValue()
  await store.tokens.insert(tokenRecord(context, grant, 'refresh_token', hashSecret(value), context.lifetimes.refresh_token))
  return value
}

function tokenRecord(context: GrantContext, grant: TokenGrant, token_type: TokenRecord['token_type'], token_hash: string, lifetime: number): TokenRecord {
  const issued_at = context.clock.now()
  return {
    token_hash,
    token_type,
    client_id: context.client.client_id,
    // CDS-WG1-02 §7.6 (R1-02-7.6-06): each token remembers the Credential it was issued through.
    credential_id: context.authenticated.credential_id,
    grant_id: grant.grant_id,
    code_hash: grant.code_hash,
    scope: grant.scope,
    authorization_details: grant.authorization_details,
    issued_at,
    expires_at: addSeconds(issued_at, lifetime),
    revoked_at: null,
  }
}

/**
 * Whether a grant may come with a refresh token: the Client object and every granted scope list
 * the `refresh_token` grant type.
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export function refreshAllowed(context: Pick<GrantContext, 'scopes' | 'client'>, scope: readonly string[]): boolean {
  if (!context.client.grant_types.includes('refresh_token')) return false
  return scope.every((id) => context.scopes[id]?.grant_types_supported.includes('refresh_token') === true)
}
