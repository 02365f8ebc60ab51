/**
 * The rules of a Client object PUT (CDS-WG1-02 §5.5, RFC 7592 §2.2), as one pure step: from the
 * stored object and the submitted one, the object the Client asks for (omitted fields at their
 * defaults), checked field by field, split into what applies now and what waits for the
 * operator's review. `modify-client.ts` writes the result.
 *
 * @module
 */
import { InvalidAuthorizationDetails, InvalidClientMetadata, validateAuthorizationDetails, type Clock, type ClientRecord } from '@cds-ts/auth'
import { compareDateTimes } from '../../shared/pagination.js'
import type { AuthorizationDetail, Client, ClientUpdateRequest, ScopeDescription } from '@cds-ts/schema'
import type { ServerConfig } from '../../config/config-schema.js'
import { receiptUrl } from '../oauth/receipt.js'
import {
  checkRedirectUri,
  checkWebUrl,
  CLIENT_FIELD_GROUPS,
  FIXED_CLIENT_FIELDS,
  MUTABLE_CLIENT_FIELDS,
  sameJson,
  scopeTokens,
  type MutableClientField,
} from './client-fields.js'
import { clientObject, type StoredClient } from './client-object.js'
import { plannedPurposes } from './client-purposes.js'

/**
 * The mutable fields as the Client asks for them, after defaults (absent optional fields are `undefined`).
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export type ClientTarget = Pick<ClientRecord, MutableClientField | 'authorization_details_types' | 'purpose_origins'>

/**
 * What a PUT changes.
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 */
export interface ClientUpdatePlan {
  /** The fields to write now, with their new values (`undefined` clears an optional field). */
  applied: Partial<ClientTarget>
  /** The mutable fields written now, in {@link MUTABLE_CLIENT_FIELDS} order. */
  appliedFields: MutableClientField[]
  /** The changes that wait for review, for the `field_changes` Message (§6.5). */
  review: ClientUpdateRequest[]
}

const ADMIN_SCOPE = 'cds_client_admin'

function fail(description: string): never {
  throw new InvalidClientMetadata(description)
}

/** Step 1: server-set fields may be repeated, never changed (R1-02-5.5-04, A-17). */
function checkFixedFields(config: ServerConfig, current: StoredClient, body: Record<string, unknown>): void {
  const wire = clientObject(config, current) as Client & Record<string, unknown>
  for (const field of FIXED_CLIENT_FIELDS) {
    if (!Object.hasOwn(body, field)) continue
    const submitted = body[field]
    const same =
      field === 'cds_created' && typeof submitted === 'string'
        ? compareDateTimes(submitted, wire.cds_created) === 0
        : sameJson(submitted, wire[field])
    // CDS-WG1-02 §5.5 (R1-02-5.5-04, -05): a server-set field that differs is refused, with nothing changed.
    if (!same) fail(`${field} is set by the server and cannot be changed`)
  }
}

/** the scope asked for, checked against the Scope Descriptions and the object's shape. */
function checkScope(config: ServerConfig, current: StoredClient, requested: string[]): { needsReview: boolean } {
  const descriptions = config.oauth.scope_descriptions
  const before = new Set(scopeTokens(current.scope))
  for (const id of requested) if (descriptions[id] === undefined) fail(`scope: ${id} is not a scope of this server`)
  const isAdmin = before.has(ADMIN_SCOPE)
  // the Client Admin scope stays on the admin object alone, and that object's scope is fixed.
  if (isAdmin && (requested.length !== before.size || requested.some((id) => !before.has(id)))) {
    fail('scope: the scope of the cds_client_admin Client object cannot change')
  }
  if (!isAdmin && requested.includes(ADMIN_SCOPE)) fail('scope: cds_client_admin belongs to the registration’s admin Client object only')
  const added = requested.filter((id) => !before.has(id)).map((id) => descriptions[id] as ScopeDescription)
  if (added.length === 0) return { needsReview: false }
  // a Grant Admin scope keeps an object of its own.
  const all = requested.map((id) => descriptions[id] as ScopeDescription)
  if (all.length > 1 && all.some((sd) => sd.type === 'cds_grant_admin')) fail('scope: a Grant Admin scope is never combined with other scopes on one Client object')
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x))
  const method = current.token_endpoint_auth_method
  for (const sd of added) {
    // an added scope must fit the object as it is: same response types, grant types and auth method.
    const fits =
      same(sd.response_types_supported, current.response_types) &&
      same(sd.grant_types_supported, current.grant_types) &&
      (method === null ? sd.token_endpoint_auth_methods_supported.length === 0 : sd.token_endpoint_auth_methods_supported.includes(method))
    if (!fits) fail(`scope: ${sd.id} needs other response types, grant types or authentication than this Client object has`)
  }
  // a requirement the object's scopes did not already meet sends the addition to review.
  const met = new Set([...before].flatMap((id) => descriptions[id]?.registration_requirements ?? []))
  const needsReview = added.some((sd) =>
    sd.registration_requirements.some((requirement) => {
      if (met.has(requirement)) return false
      const field = config.oauth.registration_fields[requirement]
      return !(field?.type === 'registration_field' && field.field_name !== undefined && Object.hasOwn(current.registration_fields, field.field_name))
    }),
  )
  return { needsReview }
}

/** The `cds_default_authorization_details` asked for, checked against the object's scopes (§3.8). */
function checkDefaultDetails(config: ServerConfig, clock: Clock, scopes: string[], types: string[], value: unknown): AuthorizationDetail[] {
  const descriptions = scopes.map((id) => config.oauth.scope_descriptions[id]).filter((sd): sd is ScopeDescription => sd !== undefined)
  try {
    validateAuthorizationDetails(value, descriptions, { clock, timezone: config.oauth.timezone, resolveRelative: false })
  } catch (error) {
    if (error instanceof InvalidAuthorizationDetails) fail(`cds_default_authorization_details: ${error.error_description ?? 'invalid entry'}`)
    throw error
  }
  const entries = value as AuthorizationDetail[]
  for (const [index, entry] of entries.entries()) {
    // RFC 9396 §10: only types this Client object may request.
    if (!types.includes(entry.type)) fail(`cds_default_authorization_details[${index}].type ${entry.type} is not one of this Client object's authorization_details_types`)
  }
  return entries
}

/** Step 2: the object the Client asks for, omitted mutable fields reset to the server defaults. */
function target(config: ServerConfig, clock: Clock, current: StoredClient, body: Record<string, unknown>): { target: ClientTarget; scopeReview: boolean } {
  const has = (field: string) => Object.hasOwn(body, field) && body[field] !== undefined
  const authorizes = current.response_types.length > 0
  // an omitted scope keeps the object's scope (the scope it was created for is its default).
  const scopes = has('scope') ? scopeTokens(body.scope as string) : scopeTokens(current.scope)
  const { needsReview } = checkScope(config, current, scopes)
  const sameScopes = scopes.length === scopeTokens(current.scope).length && scopes.every((id) => scopeTokens(current.scope).includes(id))
  const scope = sameScopes ? current.scope : scopes.join(' ')
  const types = [...new Set(scopes.flatMap((id) => config.oauth.scope_descriptions[id]?.authorization_details_types_supported ?? []))]
  // authorization_details_types is set by the server from the scope; it may be repeated as it
  // is, or as the requested scope makes it, and is otherwise refused.
  if (has('authorization_details_types') && !sameJson(body.authorization_details_types, current.authorization_details_types) && !sameJson(body.authorization_details_types, types)) {
    fail('authorization_details_types is set by the server and cannot be changed')
  }

  // CDS-WG1-02 §5.1 (R1-02-5.5-06): client_name falls back to the client_id, contacts to [].
  const next: ClientTarget = {
    client_name: has('client_name') ? (body.client_name as string) : current.client_id,
    contacts: has('contacts') ? (body.contacts as string[]) : [],
    scope,
    authorization_details_types: sameScopes ? current.authorization_details_types : types,
    // A-57, CDS-WG1-02 §5.1: an omitted status stays as it is; a new one must be offered.
    cds_status: has('cds_status') ? (body.cds_status as ClientRecord['cds_status']) : current.cds_status,
    redirect_uris: [],
  }
  for (const field of ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri'] as const) {
    // RFC 7591 §2: informational URLs; an omitted one is removed (R1-02-5.5-06).
    next[field] = has(field) ? checkWebUrl(field, body[field] as string) : undefined
  }
  // CDS-WG1-02 §5.5 (R1-02-5.5-05): the status must be one the object offers (A-57: the admin object's is fixed).
  if (!current.cds_status_options.includes(next.cds_status)) {
    fail(`cds_status ${next.cds_status} is not one of this Client object's cds_status_options (${current.cds_status_options.join(', ')})`)
  }

  const submittedUris = has('redirect_uris') ? (body.redirect_uris as string[]) : []
  if (!authorizes) {
    // R1-02-5.5-05: redirect URIs and the authorization defaults belong to objects that take authorization requests.
    if (submittedUris.length > 0) fail('redirect_uris: this Client object takes no authorization requests (its response_types is empty)')
    // CDS-WG3-01 §8.1: Purposes are shown on the authorization form, so only these objects have them.
    for (const field of ['cds_default_scope', 'cds_default_redirect_uri', 'cds_default_authorization_details', 'cds_purposes'] as const) {
      if (has(field)) fail(`${field}: this Client object takes no authorization requests (its response_types is empty)`)
    }
    return { target: next, scopeReview: needsReview }
  }

  // an empty or omitted list resets to the server's receipt page; otherwise the Client's list, each URI checked.
  const fallback = receiptUrl(config)
  next.redirect_uris = submittedUris.length === 0 ? [fallback] : [...new Set(submittedUris.map(checkRedirectUri))]
  if (has('cds_default_redirect_uri')) {
    const uri = body.cds_default_redirect_uri as string
    // R1-02-5.5-05: the default redirect URI is one of the registered ones.
    if (!next.redirect_uris.includes(uri)) fail('cds_default_redirect_uri must be one of redirect_uris')
    next.cds_default_redirect_uri = uri
  } else {
    // omitted, it is the receipt page when still registered, else the first URI.
    next.cds_default_redirect_uri = next.redirect_uris.includes(fallback) ? fallback : next.redirect_uris[0]
  }
  if (has('cds_default_scope')) {
    const defaults = scopeTokens(body.cds_default_scope as string)
    // R1-02-5.5-05: the default scope lies within the scope.
    const outside = defaults.filter((id) => !scopes.includes(id))
    if (outside.length > 0) fail(`cds_default_scope: ${outside.join(' ')} is not in the scope of this Client object`)
    next.cds_default_scope = body.cds_default_scope as string
  } else {
    // CDS-WG1-02 §5.1: the server's default is the whole scope, as at registration.
    next.cds_default_scope = scope
  }
  // CDS-WG1-02 §5.1 (R1-02-5.1-19): the default authorization details reset to [].
  next.cds_default_authorization_details = has('cds_default_authorization_details')
    ? checkDefaultDetails(config, clock, scopes, next.authorization_details_types, body.cds_default_authorization_details)
    : []
  // CDS-WG3-01 §8.2: the Client's Purposes as sent; left out, only the server's defaults remain.
  const purposes = plannedPurposes(config, current, body.cds_purposes, scope)
  next.cds_purposes = purposes.cds_purposes
  next.purpose_origins = purposes.purpose_origins
  return { target: next, scopeReview: needsReview }
}

/**
 * Plans a PUT of `body` on the stored object `current` (CDS-WG1-02 §5.5):
 *
 * 1. server-set fields may only be repeated (R1-02-5.5-04, A-17);
 * 2. the object asked for is built, omitted mutable fields at their defaults, every value checked
 *    (R1-02-5.5-05, -06; );
 * 3. fields listed in `client_management.review_fields`, and scope additions that need a review
 *    wait for the operator with their group (R1-02-5.5-07); the rest applies now.
 *
 * @throws {InvalidClientMetadata} or {InvalidRedirectUri} for the first field at fault
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-2.2 | RFC 7592 §2.2}
 */
export function planClientUpdate(config: ServerConfig, clock: Clock, current: StoredClient, body: Record<string, unknown>): ClientUpdatePlan {
  checkFixedFields(config, current, body)
  const { target: next, scopeReview } = target(config, clock, current, body)
  const changed = MUTABLE_CLIENT_FIELDS.filter((field) => !sameJson(next[field], current[field]))
  const reviewFields = new Set(config.client_management.review_fields)
  const held = new Set<MutableClientField>(changed.filter((field) => reviewFields.has(field) || (field === 'scope' && scopeReview)))
  // The values applied at once must agree with each other, so a held field holds its whole group.
  for (const group of CLIENT_FIELD_GROUPS) {
    if (group.some((field) => held.has(field))) for (const field of group) if (changed.includes(field)) held.add(field)
  }
  const appliedFields = changed.filter((field) => !held.has(field))
  const applied: Partial<ClientTarget> = {}
  for (const field of appliedFields) (applied as Record<string, unknown>)[field] = next[field]
  if (appliedFields.includes('scope')) applied.authorization_details_types = next.authorization_details_types
  // who wrote each Purpose is written with them.
  if (appliedFields.includes('cds_purposes')) applied.purpose_origins = next.purpose_origins
  // CDS-WG1-02 §6.5 (R1-02-6.5-05): each held change with its current and requested value.
  const review = changed
    .filter((field) => held.has(field))
    .map((field) => ({ field, previous_value: current[field] ?? null, new_value: next[field] ?? null }))
  return { applied, appliedFields, review }
}
