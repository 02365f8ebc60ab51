/**
 * Customer modifications of an authorization request (CDS-WG3-01 §7.4.5, §9.2.1.3, §9.2.1.4):
 * what the customer approves may only narrow what the Client asked for. The customer may
 * remove whole Request Sections (never the last one), turn optional `include_*` data off, keep
 * fewer usage value types, and shorten durations within their limits. Everything else —
 * preselections, the Selection type, merge links, the Purpose, the JWK — stays as requested,
 * and a scope whose `allow_scope_modifications` is not `true` stays exactly as requested.
 *
 * @see CDS-WG3-01 §7.4.5 Allow Scope Modifications
 * @see CDS-WG3-01 §9.2.1.4 Authorization Form Request Section
 * @module
 */
import type { AuthorizationDetail, AuthorizationDetailsField } from '@cds-ts/schema'
import { checkFieldValue, sameJson } from './authorization-details-formats.js'
import { forcedIncludes, isIncludeFlag } from './customer-data-rules.js'
import { InvalidAuthorizationDetails } from './errors.js'
import { defaultRelativeDirection, typeDefinitions, type AuthorizationDetailsOptions, type ScopeDescriptions, type TypeDefinition } from './rar.js'
import {
  assertTimeZone,
  parseRelativeOrAbsoluteDate,
  parseRelativeOrAbsoluteDatetime,
  resolveDate,
  resolveDatetime,
  type RelativeDirection,
  type Resolved,
} from './relative-date.js'
import { requestSections } from './request-sections.js'

/**
 * Options of {@link checkNarrowing}: the same as for validating a request. `clock` is the
 * approval instant, against which relative durations of both sides are compared and resolved.
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export type NarrowingOptions = AuthorizationDetailsOptions

// CDS-WG3-01 §7.2.8.1: the one included-data field that is a list rather than a boolean.
const VALUE_TYPES = 'include_usage_segment_value_types'

/**
 * Checks that `modified` (what the customer approves) only narrows `requested` (the checked
 * request, defaults filled) and returns the approved entries in request order, durations
 * resolved to absolute values unless `options.resolveRelative` is `false`.
 *
 * @example
 * ```ts
 * const approved = checkNarrowing(checked.authorization_details, fromForm, checked.scope_descriptions, { clock, timezone })
 * ```
 * @throws {InvalidAuthorizationDetails} when `modified` adds, widens or changes anything, drops
 *   every scope or part of a merged Request Section, or touches a scope the Client did not allow
 *   the customer to change
 * @see CDS-WG3-01 §7.4.5 Allow Scope Modifications
 * @see CDS-WG3-01 §9.2.1.3 Authorization Form Requests Container
 */
export function checkNarrowing(
  requested: readonly AuthorizationDetail[],
  modified: readonly AuthorizationDetail[],
  scopeDescriptions: ScopeDescriptions,
  options: NarrowingOptions,
): AuthorizationDetail[] {
  assertTimeZone(options.timezone)
  const types = typeDefinitions(scopeDescriptions)
  const asked = new Map<string, AuthorizationDetail>()
  for (const entry of requested) {
    // a checked request has one entry per scope.
    if (asked.has(entry.type)) throw new InvalidAuthorizationDetails(`the request has more than one entry of type '${entry.type}'`)
    asked.set(entry.type, entry)
  }
  const kept = new Map<string, AuthorizationDetail>()
  for (const [index, entry] of modified.entries()) {
    const type: unknown = (entry as Partial<AuthorizationDetail> | null)?.type
    // the customer cannot add scopes.
    if (typeof type !== 'string' || !asked.has(type)) throw new InvalidAuthorizationDetails(`approved entry ${index} is not one of the requested scopes`)
    if (kept.has(type)) throw new InvalidAuthorizationDetails(`scope '${type}' is approved twice`)
    kept.set(type, entry)
  }
  // CDS-WG3-01 §9.2.1.3 (R3-01-9.2.1.3-03): the last Request Section cannot be removed.
  if (kept.size === 0 && asked.size > 0) throw new InvalidAuthorizationDetails('at least one requested scope must be approved')
  checkSections(requested, kept, types)

  const now = options.clock.now()
  const approved: AuthorizationDetail[] = []
  for (const entry of requested) {
    const change = kept.get(entry.type)
    if (change === undefined) continue
    const definition = types.get(entry.type)
    if (definition === undefined) throw new InvalidAuthorizationDetails(`type '${entry.type}' is not an authorization details type of the requested scopes`)
    approved.push(narrowEntry(entry, change, definition, options, now))
  }
  return approved
}

/**
 * Request Sections are removed whole: a merged section shares one Selection (§7.4.2), so
 * keeping part of it would leave a merge link to a scope that is gone. A section whose scopes do
 * not allow modifications cannot be removed at all (§7.4.5: approve or decline as a whole).
 */
function checkSections(requested: readonly AuthorizationDetail[], kept: ReadonlyMap<string, AuthorizationDetail>, types: ReadonlyMap<string, TypeDefinition>): void {
  const scopeOf = (type: string) => types.get(type)?.scope.id
  const typeOf = new Map(requested.map((entry) => [scopeOf(entry.type) ?? entry.type, entry.type]))
  for (const section of requestSections([...typeOf.keys()], requested, (type) => scopeOf(type))) {
    const sectionTypes = section.scopes.map((scope) => typeOf.get(scope) ?? scope)
    const keptCount = sectionTypes.filter((type) => kept.has(type)).length
    if (keptCount === sectionTypes.length) continue
    if (keptCount > 0) throw new InvalidAuthorizationDetails(`scopes ${section.scopes.join(', ')} share one Request Section and are kept or removed together`)
    // CDS-WG3-01 §7.4.5 (R3-01-7.4.5-05): without the Client's permission the customer approves or declines the request whole.
    if (!section.details.every((detail) => detail.allow_scope_modifications === true)) {
      throw new InvalidAuthorizationDetails(`scope ${section.scopes.join(', ')} cannot be removed: the Client did not allow modifications`)
    }
  }
}

function narrowEntry(
  requested: AuthorizationDetail,
  modified: AuthorizationDetail,
  definition: TypeDefinition,
  options: NarrowingOptions,
  now: Date,
): AuthorizationDetail {
  const type = requested.type
  const asked = requested as Record<string, unknown>
  const given = modified as Record<string, unknown>
  const context = (name: string): NarrowContext => ({ path: `${type}.${name}`, type, forced: forcedIncludes(definition.scope, given), options, now })
  // CDS-WG3-01 §7.4.5 (R3-01-7.4.5-05, -07): no changes unless the Client allowed them; a scope without the field allows none.
  if (asked.allow_scope_modifications !== true && !sameJson(asked, given)) {
    throw new InvalidAuthorizationDetails(`${type} cannot be modified: the Client did not allow modifications`)
  }
  for (const name of Object.keys(given)) {
    // nothing the Client did not ask for.
    if (!Object.hasOwn(asked, name)) throw new InvalidAuthorizationDetails(`${type}.${name} was not requested and cannot be added`)
  }
  const result: Record<string, unknown> = { type }
  for (const [name, value] of Object.entries(asked)) {
    if (name === 'type') continue
    // a field left out would fall back to its default, which may be wider.
    if (!Object.hasOwn(given, name)) throw new InvalidAuthorizationDetails(`${type}.${name} must be kept`)
    const field = definition.fields.get(name)
    if (field === undefined) {
      if (!sameJson(value, given[name])) throw new InvalidAuthorizationDetails(`${type}.${name} cannot be changed`)
      result[name] = value
    } else {
      result[name] = sameJson(value, given[name]) ? settle(field, value, context(name)) : narrowValue(field, value, given[name], context(name))
    }
  }
  return result as AuthorizationDetail
}

interface NarrowContext {
  path: string
  type: string
  forced: ReadonlySet<string>
  options: NarrowingOptions
  now: Date
}

/** An unchanged value, with relative durations resolved at the approval like changed ones. */
function settle(field: AuthorizationDetailsField, value: unknown, context: NarrowContext): unknown {
  return isDateFormat(field) ? checkValue(field, value, context) : value
}

function isDateFormat(field: AuthorizationDetailsField): boolean {
  return field.format === 'relative_or_absolute_date' || field.format === 'relative_or_absolute_datetime'
}

function directionOf(field: AuthorizationDetailsField, context: NarrowContext): RelativeDirection {
  return (context.options.relativeDirection ?? defaultRelativeDirection)(field, context.type)
}

function checkValue(field: AuthorizationDetailsField, value: unknown, context: NarrowContext): unknown {
  const { now, options, path } = context
  return checkFieldValue(field, value, { now, timezone: options.timezone, direction: directionOf(field, context), resolve: options.resolveRelative ?? true, path })
}

/** A changed value: allowed only where A-30 lets the customer narrow, and only narrower. */
function narrowValue(field: AuthorizationDetailsField, asked: unknown, given: unknown, context: NarrowContext): unknown {
  const { path } = context
  if (isIncludeFlag(field.id) && field.format === 'boolean') {
    // optional data can be turned off, never on.
    if (!(asked === true && given === false)) throw new InvalidAuthorizationDetails(`${path} can only be turned off`)
    // data the scope always shares cannot be turned off.
    if (context.forced.has(field.id)) throw new InvalidAuthorizationDetails(`${path} is always shared by this scope and cannot be turned off`)
    return false
  }
  if (field.id === VALUE_TYPES && field.format === 'choice_list_or_null') {
    const value = checkValue(field, given, context)
    // CDS-WG3-01 §7.2.8.1, A-30: fewer value types (or none) only.
    const allowed = Array.isArray(asked) ? asked : []
    if (Array.isArray(value) && !value.every((item) => allowed.includes(item))) throw new InvalidAuthorizationDetails(`${path} can only keep requested value types`)
    return value
  }
  if (isDateFormat(field)) {
    // CDS-WG1-02 §3.8: the shorter value must still fit the field's minimum and maximum.
    const value = checkValue(field, given, context)
    const direction = directionOf(field, context)
    const before = resolveFor(field, asked, context.now, context.options.timezone, direction)
    const after = resolveFor(field, given, context.now, context.options.timezone, direction)
    // a later start or an earlier end, never further from now.
    if (before === undefined || after === undefined || reach(after, direction) > reach(before, direction)) {
      throw new InvalidAuthorizationDetails(`${path} can only be shortened`)
    }
    return value
  }
  // preselections, the Selection type, merge links, the Purpose, the JWK and the form settings stay as requested.
  throw new InvalidAuthorizationDetails(`${path} cannot be changed`)
}

function resolveFor(field: AuthorizationDetailsField, value: unknown, now: Date, timezone: string, direction: RelativeDirection): Resolved | undefined {
  if (typeof value !== 'string') return undefined
  const context = { now, timezone, direction }
  if (field.format === 'relative_or_absolute_date') {
    const parsed = parseRelativeOrAbsoluteDate(value)
    return parsed === undefined ? undefined : resolveDate(parsed, context)
  }
  const parsed = parseRelativeOrAbsoluteDatetime(value)
  return parsed === undefined ? undefined : resolveDatetime(parsed, context)
}

/** How far from now a resolved value reaches in the field's direction; `infinite` is furthest. */
function reach(value: Resolved, direction: RelativeDirection): number {
  if (value.kind === 'infinite') return Number.POSITIVE_INFINITY
  return direction === 'add' ? value.time : -value.time
}
