/**
 * Rich Authorization Requests (RFC 9396) as CDS profiles them: every `authorization_details`
 * entry's `type` is the id of a requested scope (CDS-WG1-02 §3.4), and its other members are that
 * scope's Authorization Details Fields (§3.8), each checked by format, limits and choices (§3.9,
 * §3.10). Optional fields left out take their `default`; required ones must be there.
 *
 * Used by the PAR and authorization endpoints and by the token endpoint's `client_credentials`
 * grant; framework-free like the rest of this package.
 *
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-2 | RFC 9396 §2}
 * @module
 */
import {
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  parseJson,
  type AuthorizationDetail,
  type AuthorizationDetailsField,
  type ScopeDescription,
} from '@cds-ts/schema'
import { checkFieldValue, copyJson } from './authorization-details-formats.js'
import type { Clock } from './clock.js'
import { InvalidAuthorizationDetails, ServerError } from './errors.js'
import { assertTimeZone, type RelativeDirection } from './relative-date.js'

/**
 * Scope Descriptions, as a list or as the `cds_scope_descriptions` map.
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export type ScopeDescriptions = readonly ScopeDescription[] | Readonly<Record<string, ScopeDescription>>

/**
 * Which way a field's relative values count: forward or back from now.
 *
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 */
export type RelativeDirectionOf = (field: AuthorizationDetailsField, type: string) => RelativeDirection

/**
 * Options of {@link validateAuthorizationDetails}.
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export interface AuthorizationDetailsOptions {
  /** "Now" for relative dates: the customer's approval, or the `client_credentials` token request (R1-02-3.9-03). */
  clock: Clock
  /** The IANA zone published as `cds_timezone`. */
  timezone: string
  /** Default {@link defaultRelativeDirection}. */
  relativeDirection?: RelativeDirectionOf
  /**
   * Return relative dates as the absolute dates they stand for, as token responses and Grants
   * need them (RFC 9396 §7.1, CDS-WG3-01 §7.3). Default `true`.
   */
  resolveRelative?: boolean
}

/**
 * Relative values count forward, except the CDS-WG3-01 §7.3 fields that reach into the past
 * (`statement_date_start`, `start_date`, `segment_start`). WG1-02 durations carry no sign.
 *
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 * @see CDS-WG3-01 §7.3 Duration Fields
 */
export const defaultRelativeDirection: RelativeDirectionOf = (field) => {
  const known = (CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS as Readonly<Record<string, { duration?: { direction: RelativeDirection } }>>)[field.id]
  return known?.duration?.direction ?? 'add'
}

/**
 * The fields of one authorization details type, by id, in the Scope Description's order.
 *
 * @internal
 */
export interface TypeDefinition {
  scope: ScopeDescription
  fields: Map<string, AuthorizationDetailsField>
}

/** @internal */
export function list(scopeDescriptions: ScopeDescriptions): readonly ScopeDescription[] {
  return Array.isArray(scopeDescriptions) ? (scopeDescriptions as readonly ScopeDescription[]) : Object.values(scopeDescriptions)
}

/**
 * The field definitions each type accepts across the given scopes (the first scope listing a type wins).
 *
 * @internal
 */
export function typeDefinitions(scopeDescriptions: ScopeDescriptions): Map<string, TypeDefinition> {
  const types = new Map<string, TypeDefinition>()
  for (const scope of list(scopeDescriptions)) {
    for (const type of scope.authorization_details_types_supported) {
      if (types.has(type)) continue
      const fields = new Map<string, AuthorizationDetailsField>()
      for (const field of scope.authorization_details_fields_supported) {
        // CDS-WG1-02 §3.8: `for_types` names the types a field belongs to; A-02: the Grant Admin
        // text names the scope's `type` instead of its id, so either is taken.
        if ((field.for_types.includes(type) || field.for_types.includes(scope.type)) && !fields.has(field.id)) fields.set(field.id, field)
      }
      types.set(type, { scope, fields })
    }
  }
  return types
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks an `authorization_details` value against the Scope Descriptions of the requested scopes
 * and returns the entries normalized: the submitted fields checked (and, by default, relative
 * dates made absolute), optional fields left out filled with their `default`. `details` is the
 * parameter's JSON text, or a value parsed with `parseJson` (never `JSON.parse`: decimals).
 *
 * @example
 * ```ts
 * const details = validateAuthorizationDetails(body.authorization_details, [scopes.cds_grant_admin_1], { clock, timezone: 'America/Chicago' })
 * ```
 * @throws {InvalidAuthorizationDetails} naming the entry and field at fault (RFC 9396 §5)
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 * @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-5 | RFC 9396 §5}
 */
export function validateAuthorizationDetails(
  details: unknown,
  scopeDescriptions: ScopeDescriptions,
  options: AuthorizationDetailsOptions,
): AuthorizationDetail[] {
  assertTimeZone(options.timezone)
  let value = details
  if (typeof details === 'string') {
    try {
      value = parseJson(details)
    } catch {
      // RFC 9396 §2: the parameter is JSON; text that does not parse is refused like any bad entry.
      throw new InvalidAuthorizationDetails('authorization_details is not valid JSON')
    }
  }
  // RFC 9396 §2: a JSON array of objects.
  if (!Array.isArray(value)) throw new InvalidAuthorizationDetails('authorization_details must be a JSON array')
  const types = typeDefinitions(scopeDescriptions)
  const now = options.clock.now()
  return value.map((entry: unknown, index) => checkEntry(entry, `authorization_details[${index}]`, types, options, now))
}

/**
 * Adds an entry for each requested scope that has Authorization Details Fields but no entry of
 * its own in `details`: the scope's `default`s, as CDS-WG1-02 §3.8 says a plain `scope` request
 * gets (CDS-WG3-01 §7: the defaults used are returned in the token response). A scope with a
 * required field cannot be requested this way.
 *
 * @example
 * ```ts
 * const all = fillScopeDefaults(details, ['demo_usage_data'], config.oauth.scope_descriptions, { clock, timezone })
 * ```
 * @throws {InvalidAuthorizationDetails} when such a scope has a required field
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 * @see CDS-WG3-01 §7 Authorization Details Fields
 */
export function fillScopeDefaults(
  details: readonly AuthorizationDetail[],
  scopeIds: readonly string[],
  scopeDescriptions: ScopeDescriptions,
  options: AuthorizationDetailsOptions,
): AuthorizationDetail[] {
  assertTimeZone(options.timezone)
  const scopes = list(scopeDescriptions)
  const types = typeDefinitions(scopes)
  const now = options.clock.now()
  const added: AuthorizationDetail[] = []
  for (const id of new Set(scopeIds)) {
    const scope = scopes.find((s) => s.id === id)
    if (scope === undefined) continue
    const own = scope.authorization_details_types_supported
    if (details.some((entry) => own.includes(entry.type))) continue
    // CDS-WG1-02 §3.4: an entry's `type` is the scope's id; a scope whose types differ uses its first.
    const type = own.includes(scope.id) ? scope.id : own[0]
    const definition = type === undefined ? undefined : types.get(type)
    if (type === undefined || definition === undefined || definition.fields.size === 0) continue
    added.push(checkEntry({ type }, `scope ${id}`, types, options, now))
  }
  return [...details, ...added]
}

function checkEntry(entry: unknown, path: string, types: Map<string, TypeDefinition>, options: AuthorizationDetailsOptions, now: Date): AuthorizationDetail {
  // RFC 9396 §2: every entry is an object with a string `type`.
  if (!isObject(entry)) throw new InvalidAuthorizationDetails(`${path} must be an object`)
  const type = entry.type
  if (typeof type !== 'string' || type === '') throw new InvalidAuthorizationDetails(`${path}.type must be a non-empty string`)
  const definition = types.get(type)
  // RFC 9396 §5, CDS-WG1-02 §3.4 (R1-02-3.4-04): the type is the id of a requested scope that supports it.
  if (definition === undefined) throw new InvalidAuthorizationDetails(`${path}.type '${type}' is not an authorization details type of the requested scopes`)

  const direction = options.relativeDirection ?? defaultRelativeDirection
  const context = (field: AuthorizationDetailsField) => ({
    now,
    timezone: options.timezone,
    direction: direction(field, type),
    resolve: options.resolveRelative ?? true,
    path: `${path}.${field.id}`,
  })
  const result: Record<string, unknown> = { type }
  for (const [name, value] of Object.entries(entry)) {
    if (name === 'type') continue
    const field = definition.fields.get(name)
    // RFC 9396 §5 (catalog RFC9396-07): members the scope does not define, the RFC 9396 §2.2 common ones included, are refused.
    if (field === undefined) throw new InvalidAuthorizationDetails(`${path}.${name} is not a field of type '${type}'`)
    // CDS-WG1-02 §3.8 (R1-02-3.8-04): the value has the field's format and fits its limits and choices.
    result[name] = checkFieldValue(field, value, context(field))
  }
  for (const field of definition.fields.values()) {
    if (Object.hasOwn(entry, field.id)) continue
    // CDS-WG1-02 §3.8 (R1-02-3.8-05): a required field must be submitted.
    if (field.is_required) throw new InvalidAuthorizationDetails(`${path}.${field.id} is required for type '${type}'`)
    // CDS-WG1-02 §3.8 (R1-02-3.8-06), CDS-WG3-01 §7: an omitted field takes its default, which the
    // token response then shows. Checked like a submitted value (relative defaults resolve too).
    if (!Object.hasOwn(field, 'default')) continue
    try {
      result[field.id] = checkFieldValue(field, copyJson(field.default), context(field))
    } catch (cause) {
      throw new ServerError(`the default of authorization details field '${field.id}' does not fit the field`, { cause })
    }
  }
  return result as AuthorizationDetail
}
