/**
 * Whether a changed Grant asks for less than it had (CDS-WG1-02 §8.6): a reduction needs no new
 * user authorization, anything else does. Scope values compare as sets; an authorization details
 * entry is within another of its `type` when each member is equal or narrower for its field
 * format (CDS-WG1-02 §3.9).
 *
 * @module
 */
import { compareNumberText, defaultRelativeDirection, type RelativeDirectionOf } from '@cds-ts/auth'
import type { AuthorizationDetail, AuthorizationDetailsField, ScopeDescription } from '@cds-ts/schema'
import { Decimal } from '@cds-ts/schema'
import { canonicalJson, scopeTokens, type EnabledAccess } from './grant-access.js'

/** The Scope Descriptions by id, as the configuration holds them. */
export type ScopeDescriptionsById = Readonly<Record<string, ScopeDescription>>

const DATE = /^\d{4}-\d\d-\d\d$/
const DATE_TIME = /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)$/

/** The field of `type` named `id`, from the Scope Description whose id is the type. */
function fieldOf(descriptions: ScopeDescriptionsById, type: string, id: string): AuthorizationDetailsField | undefined {
  return descriptions[type]?.authorization_details_fields_supported.find((field) => field.id === id && field.for_types.includes(type))
}

/** The exact number text of an `int` or `decimal` value, or `undefined` for anything else. */
function numberText(value: unknown): string | undefined {
  if (Decimal.isDecimal(value)) return value.toString()
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  return undefined
}

/** An absolute date or datetime as milliseconds, or `undefined` (e.g. a relative `P1Y`). */
function instant(value: unknown): number | undefined {
  if (typeof value !== 'string' || !(DATE.test(value) || DATE_TIME.test(value))) return undefined
  const ms = Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * Whether the value `next` of a field gives no more access than `current` (CDS-WG1-02 §3.8, §3.9):
 * - `int`, `decimal`: not larger (closer to the field's `minimum`);
 * - `string_list`: a subset;
 * - dates and datetimes (absolute): not further from now in the field's direction, i.e. not
 *   earlier for a field that reaches into the past, not later for one that reaches forward;
 * - any other format (or values that cannot be compared): only the same value.
 */
function valueWithin(field: AuthorizationDetailsField | undefined, type: string, next: unknown, current: unknown, direction: RelativeDirectionOf): boolean {
  if (canonicalJson(next) === canonicalJson(current)) return true
  if (field === undefined) return false
  switch (field.format) {
    case 'int':
    case 'decimal': {
      const a = numberText(next)
      const b = numberText(current)
      return a !== undefined && b !== undefined && compareNumberText(a, b) <= 0
    }
    case 'string_list':
      return Array.isArray(next) && Array.isArray(current) && next.every((item) => current.some((had) => canonicalJson(had) === canonicalJson(item)))
    case 'relative_or_absolute_date':
    case 'relative_or_absolute_datetime': {
      const a = instant(next)
      const b = instant(current)
      if (a === undefined || b === undefined) return false
      // CDS-WG1-02 §3.8: for a field reaching into the past, the furthest back is the widest.
      return direction(field, type) === 'subtract' ? a >= b : a <= b
    }
    default:
      return false
  }
}

/**
 * Whether entry `next` is within entry `current`: same `type`, and every member of either is
 * equal or narrower in `next` (a member `next` drops is not a reduction: its default applies).
 *
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export function entryWithin(
  next: AuthorizationDetail,
  current: AuthorizationDetail,
  descriptions: ScopeDescriptionsById,
  direction: RelativeDirectionOf = defaultRelativeDirection,
): boolean {
  if (next.type !== current.type) return false
  const a = next as Record<string, unknown>
  const b = current as Record<string, unknown>
  const members = new Set([...Object.keys(a), ...Object.keys(b)].filter((name) => name !== 'type'))
  for (const name of members) {
    if (!(name in a) || !(name in b)) {
      if (canonicalJson(a[name]) !== canonicalJson(b[name])) return false
      continue
    }
    if (!valueWithin(fieldOf(descriptions, next.type, name), next.type, a[name], b[name], direction)) return false
  }
  return true
}

/**
 * Whether `next` asks for no more than `current`: every scope value was there, and every entry is
 * within an entry of the same type (CDS-WG1-02 §8.6, R1-02-8.6-04, -06).
 *
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export function isReduction(
  next: { scope: string; authorization_details: AuthorizationDetail[] },
  current: { scope: string; authorization_details: AuthorizationDetail[] },
  descriptions: ScopeDescriptionsById,
  direction: RelativeDirectionOf = defaultRelativeDirection,
): boolean {
  const had = new Set(scopeTokens(current.scope))
  if (!scopeTokens(next.scope).every((token) => had.has(token))) return false
  return next.authorization_details.every((entry) => current.authorization_details.some((old) => entryWithin(entry, old, descriptions, direction)))
}

/**
 * What stays enabled when a Grant's scope and entries become `next` while its enabled access was
 * `enabled`: the enabled scope values still asked for, and for each new entry the narrower of it
 * and the enabled entries of its type (those enabled entries as they are when the two cannot be
 * compared); entries of a type no longer asked for are dropped. Used for the access a
 * Client keeps while a widened Grant waits for authorization (R1-02-8.6-05) or a reduced one
 * applies at once (R1-02-8.6-04).
 *
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export function remainingAccess(
  next: { scope: string; authorization_details: AuthorizationDetail[] },
  enabled: EnabledAccess,
  descriptions: ScopeDescriptionsById,
  direction: RelativeDirectionOf = defaultRelativeDirection,
): EnabledAccess {
  const wanted = new Set(scopeTokens(next.scope))
  const enabled_scope = scopeTokens(enabled.enabled_scope)
    .filter((token) => wanted.has(token))
    .join(' ')
  const enabled_authorization_details: AuthorizationDetail[] = []
  const seen = new Set<string>()
  const keep = (entry: AuthorizationDetail) => {
    const key = canonicalJson(entry)
    if (!seen.has(key)) enabled_authorization_details.push(entry)
    seen.add(key)
  }
  for (const entry of next.authorization_details) {
    const old = enabled.enabled_authorization_details.filter((e) => e.type === entry.type)
    if (old.some((e) => entryWithin(entry, e, descriptions, direction))) keep(entry)
    else {
      // The enabled entries of this type stay as they are: the narrower ones, or (when the two
      // cannot be compared, e.g. another choice) the access the Client has now.
      const narrower = old.filter((e) => entryWithin(e, entry, descriptions, direction))
      for (const e of narrower.length > 0 ? narrower : old) keep(e)
    }
  }
  return { enabled_scope, enabled_authorization_details }
}
