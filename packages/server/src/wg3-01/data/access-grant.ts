/**
 * The first steps of Customer Data access (catalog §1.2, §1.4 step 1): from the bearer token to
 * its Grant and to the Customer Data scopes the token reaches, each with its authorization
 * details entry and effective `include_*` fields, plus the token-wide date windows (§7.3) and
 * Usage Segment Value Formats (§7.2.8.1). No object is read here; `visibility.ts` does that.
 *
 * @see CDS-WG3-01 §6 Scopes Supported
 * @see CDS-WG3-01 §7 Authorization Details Fields
 * @module
 */
import { InsufficientScope, InvalidToken, toDateTime, type Clock } from '@cds-ts/auth'
import {
  CUSTOMER_CONSENT_SCOPES,
  CUSTOMER_DATA_SCOPE_PROFILES,
  DIRECT_ACCESS_SCOPES,
  type AuthorizationDetail,
  type CustomerDataScope,
  type GrantStatus,
  type ScopeDescription,
} from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database, GrantSelection } from '../../db/database.js'
import { fromJsonText } from '../../db/json-text.js'
import type { RequiredScope, TokenInfo } from '../../shared/bearer-auth.js'
import { GRANT_ADMIN_TYPE } from '../../wg1-02/server-provided-files/files-access.js'
import { NO_ACCESS_STATUSES, scopeTokens } from '../../wg1-02/grants/grant-access.js'
import type { DateWindows, IncludeField } from './types.js'

const DATA_SCOPE_TYPES: ReadonlySet<string> = new Set<string>([...CUSTOMER_CONSENT_SCOPES, ...DIRECT_ACCESS_SCOPES])

/** Whether a Scope Description `type` is a Customer Data scope of CDS-WG3-01 §6. */
export function isDataScopeType(type: string): type is CustomerDataScope {
  return DATA_SCOPE_TYPES.has(type)
}

/**
 * The bearer requirement of every Customer Data listing: a token carrying a Customer Data scope
 * (by its Scope Description `type`, catalog §1.2) or a Grant Admin scope (CDS-WG1-02 §3.3.2);
 * anything else, a `cds_client_admin` token for one, is 403 `insufficient_scope` (catalog §1.11).
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export function customerDataScope(config: ServerConfig): RequiredScope {
  const accepted = new Set<string>()
  for (const [id, description] of Object.entries<ScopeDescription>(config.oauth.scope_descriptions)) {
    if (isDataScopeType(description.type) || description.type === GRANT_ADMIN_TYPE) accepted.add(id)
  }
  return (scopes) => scopes.some((id) => accepted.has(id))
}

/** One Customer Data scope the token reaches through its Grant. */
export interface ScopeAccess {
  /** The scope id (a key of `cds_scope_descriptions`). */
  id: string
  /** Its Scope Description `type` (§6). */
  type: CustomerDataScope
  /** The Grant's enabled authorization details entry for the scope, `{}` when there is none. */
  entry: Readonly<Record<string, unknown>>
  /** The `include_*` fields effectively true for this scope. */
  includes: ReadonlySet<IncludeField>
  /** The customer's selections recorded for this scope (consent Grants, A-10). */
  selections: readonly GrantSelection[]
}

/** The Grant behind a token, as the data APIs need it. */
export interface GrantAccess {
  grant_id: string
  client_id: string
  status: GrantStatus
  /** The customer who authorized the Grant; `null` for direct access. */
  customer_id: string | null
  /** When the Grant was created: objects created later are "future" objects. */
  created: string
  scopes: readonly ScopeAccess[]
  windows: DateWindows
  /** The choices of `include_usage_segment_value_types` resolved to Value Formats. */
  valueFormats: 'all' | readonly Readonly<Record<string, unknown>>[]
}

const WINDOW_FIELDS = ['statement_date_start', 'statement_date_end', 'start_date', 'end_date', 'segment_start', 'segment_end', 'sync_until'] as const

/**
 * The token-wide date windows (§7.3): for each field, the widest value among the entries that
 * carry it (any `"infinite"` or null lifts the limit), since an object visible under any scope is
 * visible. Grants hold absolute values.
 */
export function windowsOf(entries: readonly Readonly<Record<string, unknown>>[]): DateWindows {
  const windows: Record<string, string | null> = {}
  for (const field of WINDOW_FIELDS) {
    const values = entries.filter((entry) => Object.hasOwn(entry, field)).map((entry) => entry[field])
    const start = field.endsWith('_start')
    let widest: string | null = null
    for (const [i, value] of values.entries()) {
      if (typeof value !== 'string' || value === 'infinite') {
        widest = null
        break
      }
      const time = Date.parse(value)
      if (i === 0 || widest === null || (start ? time < Date.parse(widest) : time > Date.parse(widest))) widest = value
    }
    windows[field] = values.length === 0 ? null : widest
  }
  return windows as unknown as DateWindows
}

/** The effective `include_*` fields of one scope (CDS-WG1-02 §3.8, CDS-WG3-01 §7.2). */
function includesOf(type: CustomerDataScope, description: ScopeDescription, entry: Readonly<Record<string, unknown>>): Set<IncludeField> {
  const includes = new Set<IncludeField>()
  // CDS-WG3-01 §6: the data a scope type always shares, whatever the entry says.
  for (const field of CUSTOMER_DATA_SCOPE_PROFILES[type].impliedTrueFields) includes.add(field as IncludeField)
  for (const field of description.authorization_details_fields_supported) {
    if (!field.id.startsWith('include_') || field.id === 'include_usage_segment_value_types') continue
    // The Grant's value wins; without one, the field's published default (§7 L1651-L1654).
    const value = Object.hasOwn(entry, field.id) ? entry[field.id] : field.default
    if (value === true) includes.add(field.id as IncludeField)
  }
  return includes
}

/** The Value Formats one scope allows (§7.2.8.1, catalog §3.9); `'all'` when it does not narrow them. */
function valueFormatsOf(scope: ScopeAccess, description: ScopeDescription): 'all' | Record<string, unknown>[] {
  const field = description.authorization_details_fields_supported.find((f) => f.id === 'include_usage_segment_value_types')
  // a scope implying the field without offering it (cds_query_usage) allows every format.
  if (field === undefined) return 'all'
  const value = Object.hasOwn(scope.entry, field.id) ? scope.entry[field.id] : field.default
  if (!Array.isArray(value)) return []
  const chosen = new Set(value.filter((id): id is string => typeof id === 'string'))
  return (field.choices ?? []).flatMap((choice) => {
    const format = (choice as { usagesegment_format?: Record<string, unknown> }).usagesegment_format
    return chosen.has(choice.id) && format !== undefined ? [format] : []
  })
}

/**
 * One Customer Data scope of a Grant: its Scope Description, the Grant's enabled entry for it
 * and the customer's selections for it, with the effective `include_*` fields.
 *
 * @see CDS-WG3-01 §7.2 Authorization Details Fields for Included Data
 */
export function scopeAccess(description: ScopeDescription, entry: Readonly<Record<string, unknown>>, selections: readonly GrantSelection[] = []): ScopeAccess {
  if (!isDataScopeType(description.type)) throw new TypeError(`${description.id} is not a Customer Data scope`)
  return { id: description.id, type: description.type, entry, includes: includesOf(description.type, description, entry), selections }
}

/**
 * The Grant's entry for a scope narrowed by the token's own entry for it (CDS-WG3-01 §6.2: "MUST
 * constrain"): list fields (preselections, `include_usage_segment_value_types`) keep only values
 * in both (a null side does not limit); an `include_*` field is what the token asked for, unless
 * the Grant turned off a field the scope includes by default; each date window keeps the later
 * start and the earlier end. Other fields come from the token.
 *
 * @see CDS-WG3-01 §6.2 Direct Access Scopes
 * @see CDS-WG3-01 §7.3 Authorization Details Fields for Durations
 */
export function narrowedEntry(
  grantEntry: Readonly<Record<string, unknown>>,
  tokenEntry: Readonly<Record<string, unknown>>,
  description: ScopeDescription,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...grantEntry, ...tokenEntry }
  const defaults = new Map(description.authorization_details_fields_supported.map((field) => [field.id, field.default]))
  const valueIn = (entry: Readonly<Record<string, unknown>>, field: string) => (Object.hasOwn(entry, field) ? entry[field] : defaults.get(field))
  for (const field of new Set([...Object.keys(grantEntry), ...Object.keys(tokenEntry)])) {
    const fromGrant = valueIn(grantEntry, field)
    const fromToken = valueIn(tokenEntry, field)
    if ((WINDOW_FIELDS as readonly string[]).includes(field)) {
      merged[field] = narrowerWindow(field.endsWith('_start'), fromGrant, fromToken)
    } else if (field.startsWith('include_') && !Array.isArray(fromGrant)) {
      // The token asks within the Scope Description's limits (checked at the token endpoint); the
      // Grant restricts only where it turned off what the scope includes by default (a customer's
      // or operator's choice), since a direct-access Grant otherwise just holds the defaults.
      // A consent Grant is the customer's decision: there the Grant's value is always a limit.
      const direct = (DIRECT_ACCESS_SCOPES as readonly string[]).includes(description.type)
      const restricted = Object.hasOwn(grantEntry, field) && grantEntry[field] !== true && (!direct || defaults.get(field) === true)
      merged[field] = fromToken === true && !restricted
    } else if (Array.isArray(fromGrant) && Array.isArray(fromToken)) {
      const allowed = new Set<unknown>(fromGrant)
      merged[field] = fromToken.filter((value) => allowed.has(value))
    } else if (Array.isArray(fromGrant)) {
      merged[field] = fromGrant
    }
  }
  return merged
}

/** Of two absolute window values (or `"infinite"`/null), the narrower: the later start or the earlier end. */
function narrowerWindow(start: boolean, a: unknown, b: unknown): unknown {
  const bounded = (value: unknown): value is string => typeof value === 'string' && value !== 'infinite' && !Number.isNaN(Date.parse(value))
  if (!bounded(a)) return b
  if (!bounded(b)) return a
  const later = Date.parse(a) >= Date.parse(b) ? a : b
  const earlier = later === a ? b : a
  return start ? later : earlier
}

function tokenOf(token: TokenInfo | null): TokenInfo {
  if (token === null) throw new TypeError('resolveGrantAccess needs a route protected by the bearer plugin')
  return token
}

/**
 * Resolves the request's token to its Grant and the Customer Data scopes it reaches (catalog
 * §1.2): a data token reaches the enabled scopes of its own Grant that it carries; a Grant Admin
 * token reaches the enabled data scopes of the Grant it names whose `grant_admin_scope` it holds.
 *
 * @throws {InvalidToken} when the Grant is gone or gives no access (§8.2 statuses, `not_before`/`not_after`)
 * @throws {InsufficientScope} for a Grant Admin token whose Grant has no Customer Data scope
 * @see CDS-WG1-02 §8.2 Grant Statuses
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export async function resolveGrantAccess(db: Kysely<Database>, config: ServerConfig, clock: Clock, accessToken: TokenInfo | null): Promise<GrantAccess> {
  const token = tokenOf(accessToken)
  const grant_id = token.grant_id ?? null
  if (grant_id === null) throw new InvalidToken('this access token is not bound to a Grant')
  const grant = await db.selectFrom('grants').selectAll().where('grant_id', '=', grant_id).executeTakeFirst()
  if (grant === undefined) throw new InvalidToken('the Grant of this access token no longer exists')
  const now = clock.now().getTime()
  // CDS-WG1-02 §8.2 (catalog §1.2, §1.11): future, disabled, suspended, revoked, closed and expired Grants give no access.
  if (NO_ACCESS_STATUSES.has(grant.status)) throw new InvalidToken('the Grant of this access token no longer gives access')
  if ((grant.not_before !== null && grant.not_before.getTime() > now) || (grant.not_after !== null && grant.not_after.getTime() <= now)) {
    throw new InvalidToken('the Grant of this access token gives no access at this time')
  }

  const descriptions = config.oauth.scope_descriptions as Record<string, ScopeDescription | undefined>
  // A token may carry a scope as a scope value or as an authorization details entry (RFC 9396).
  const tokenScopes = new Set([...scopeTokens(token.scope), ...(token.authorization_details ?? []).map((entry) => entry.type)])
  const adminScopes = new Set([...tokenScopes].filter((id) => descriptions[id]?.type === GRANT_ADMIN_TYPE))
  const isDataScope = (id: string) => isDataScopeType(descriptions[id]?.type ?? '')
  // CDS-WG1-02 §3.3.2: a Grant Admin token reaches the scopes its Grant Admin scope administers.
  const reaches = (id: string) => tokenScopes.has(id) || adminScopes.has(descriptions[id]?.grant_admin_scope ?? '')
  if (adminScopes.size > 0 && !scopeTokens(grant.scope).some((id) => isDataScope(id) && reaches(id))) {
    throw new InsufficientScope('the Grant of this access token has no Customer Data scope')
  }

  const details: AuthorizationDetail[] = fromJsonText(grant.enabled_authorization_details)
  const selections: GrantSelection[] = fromJsonText(grant.selections)
  const scopes: ScopeAccess[] = []
  const formats: ('all' | Record<string, unknown>[])[] = []
  // CDS-WG1-02 §8.1 (catalog §1.2): access follows the enabled scope, not the requested one.
  for (const id of new Set(scopeTokens(grant.enabled_scope))) {
    const description = descriptions[id]
    if (description === undefined || !isDataScopeType(description.type) || !reaches(id)) continue
    const grantEntry = details.find((d) => d.type === id || description.authorization_details_types_supported.includes(d.type)) ?? {}
    // CDS-WG3-01 §6.2: a direct-access token request may narrow the Grant with its own entry
    // (preselections, fewer include_* fields, shorter windows); it never widens it.
    const tokenEntry = (token.authorization_details ?? []).find((d) => d.type === id)
    const entry = tokenEntry === undefined ? grantEntry : narrowedEntry(grantEntry, tokenEntry, description)
    const scope = scopeAccess(description, entry, selections.filter((s) => s.scopes.includes(id)))
    scopes.push(scope)
    if (scope.includes.has('include_usage_segments')) formats.push(valueFormatsOf(scope, description))
  }

  const windows = windowsOf(scopes.map((scope) => scope.entry))
  // CDS-WG1-02 §8.2: a `stopped` Grant keeps its existing data but receives nothing new; its
  // `modified` (when it stopped) caps `sync_until`.
  if (grant.status === 'stopped') {
    const stoppedAt = toDateTime(grant.modified)
    if (windows.sync_until === null || Date.parse(windows.sync_until) > grant.modified.getTime()) windows.sync_until = stoppedAt
  }
  return {
    grant_id,
    client_id: grant.client_id,
    status: grant.status,
    customer_id: grant.customer_id,
    created: toDateTime(grant.created),
    scopes,
    windows,
    valueFormats: formats.includes('all') ? 'all' : formats.flatMap((list) => list as Record<string, unknown>[]),
  }
}
