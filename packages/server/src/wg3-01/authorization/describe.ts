/**
 * The customer's words for a Request Section (CDS-WG3-01 §9.2.2): what data a scope shares
 * (§9.2.2.1, with an example for every item), for how long (§9.2.2.2) and how one selectable
 * resource reads (§9.2.3). Pure functions over the message catalog: the Authorization Form shows
 * these strings and the Authorization Receipt freezes the same ones (§9.4).
 *
 * No spec vocabulary reaches the customer: scope and field ids, "Usage Segment" and ISO 8601
 * durations become plain words ("the past year", "3 years", "until you stop sharing").
 *
 * @see CDS-WG3-01 §9.2.2 Authorization Form Components
 * @module
 */
import { parseRelativeOrAbsoluteDate, parseRelativeOrAbsoluteDatetime, resolveDate, resolveDatetime, type Duration, type RelativeOrAbsolute } from '@cds-ts/auth'
import {
  CUSTOMER_CONSENT_SCOPES,
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  CUSTOMER_DATA_SCOPE_PROFILES,
  type AuthorizationDetail,
  type CustomerDataScope,
  type ScopeDescription,
} from '@cds-ts/schema'
import type { ResourceType } from '../../db/database.js'
import type { MessageKey, Translator } from '../../pages/i18n.js'

/**
 * What the describing functions need: the translator, "now" (relative values resolve against
 * it for the dates shown) and the server's `cds_timezone`.
 *
 * @see CDS-WG3-01 §9.2.2.2 Duration Component
 */
export interface DescribeContext {
  t: Translator
  now: Date
  timezone: string
}

/** One item of a Data Component's details: what it is, and an example (§9.2.2.1). */
export interface DataItem {
  /** The `include_*` field it stands for, when the customer may switch it off. */
  field: string | null
  label: string
  example: string
}

/**
 * A scope's Data Component in customer words: a short summary and the details behind the toggle.
 *
 * @see CDS-WG3-01 §9.2.2.1 Data Component
 */
export interface DataDescription {
  summary: string
  items: DataItem[]
}

/** The Customer Data scope type of a Scope Description, or `undefined` for a scope of another spec. */
export function customerDataType(scope: Pick<ScopeDescription, 'type'>): CustomerDataScope | undefined {
  return (CUSTOMER_CONSENT_SCOPES as readonly string[]).includes(scope.type) ? (scope.type as CustomerDataScope) : undefined
}

// CDS-WG3-01 §7.2: the included-data fields in §7 order; each has a label and an example.
const INCLUDE_FIELDS = Object.entries(CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS)
  .filter(([, definition]) => definition.category === 'included_data')
  .map(([id]) => id)

// The data a scope shares that no include field names (§6.1.9 usage, §6.1.10 aggregation inclusion).
const CORE_ITEMS: Partial<Record<CustomerDataScope, 'usage' | 'aggregation'>> = { cds_usage: 'usage', cds_aggregation_consent: 'aggregation' }

const key = (text: string) => text as MessageKey

/**
 * The included-data fields of an entry that are on, in §7 order, implied ones always (A-44, A-87);
 * `optional` tells which the customer could switch off (A-30: never implied ones).
 *
 * @see CDS-WG3-01 §7.2 Included Data Fields
 */
export function includedFields(type: CustomerDataScope, entry: AuthorizationDetail | undefined): { id: string; optional: boolean }[] {
  const implied = new Set<string>(CUSTOMER_DATA_SCOPE_PROFILES[type].impliedTrueFields)
  const values = (entry ?? {}) as Record<string, unknown>
  const on = (id: string) => implied.has(id) || values[id] === true
  // A-87: contracts and meters shared together bring the service points between them.
  if (on('include_service_contracts') && on('include_meter_devices')) implied.add('include_service_points')
  return INCLUDE_FIELDS.flatMap((id) => {
    if (implied.has(id)) return [{ id, optional: false }]
    const value = values[id]
    // §7.2.8.1: a list of value types is on when it names at least one.
    const shared = value === true || (Array.isArray(value) && value.length > 0)
    return shared ? [{ id, optional: value === true }] : []
  })
}

/**
 * The Data Component of one scope (§9.2.2.1): for the Customer Data scopes of CDS-WG3-01 a
 * summary of the scope and one item, with an example, per kind of data shared; for other scopes
 * the Scope Description's own name and its fields.
 *
 * @see CDS-WG3-01 §9.2.2.1 Data Component
 */
export function describeData(scope: ScopeDescription, entry: AuthorizationDetail | undefined, ctx: DescribeContext): DataDescription {
  const { t } = ctx
  const type = customerDataType(scope)
  if (type === undefined) {
    // A scope from outside CDS-WG3-01: its Scope Description is all there is to say.
    const items = scope.authorization_details_fields_supported.map((field) => ({ field: null, label: field.name, example: valueWords(entry?.[field.id], ctx) }))
    return { summary: scope.description, items }
  }
  const items: DataItem[] = []
  const core = CORE_ITEMS[type]
  if (core !== undefined) items.push({ field: null, label: t(key(`authorization.data.item.${core}`)), example: t(key(`authorization.data.example.${core}`)) })
  for (const { id, optional } of includedFields(type, entry)) {
    const example = id === 'include_usage_segment_value_types' ? valueTypeNames(scope, entry) : t(key(`authorization.data.example.${id}`))
    items.push({ field: optional ? id : null, label: t(key(`authorization.data.item.${id}`)), example })
  }
  return { summary: t(key(`authorization.data.summary.${type}`)), items }
}

/** The names of the value types an entry includes (§7.2.8.1), from the field's Choices. */
function valueTypeNames(scope: ScopeDescription, entry: AuthorizationDetail | undefined): string {
  const field = scope.authorization_details_fields_supported.find((f) => f.id === 'include_usage_segment_value_types')
  const ids = (entry?.include_usage_segment_value_types ?? []) as string[]
  return ids.map((id) => field?.choices?.find((c) => c.id === id)?.name ?? id).join(', ')
}

/** A value of a field outside CDS-WG3-01, in words: dates as dates, lists joined. */
function valueWords(value: unknown, ctx: DescribeContext): string {
  if (typeof value === 'string') {
    const parsed = parseRelativeOrAbsoluteDatetime(value) ?? parseRelativeOrAbsoluteDate(value)
    if (parsed?.kind === 'infinite') return ctx.t('authorization.duration.noEnd')
    if (parsed?.kind === 'absolute') return formatDate(parsed.text, ctx)
    return value
  }
  if (Array.isArray(value)) return value.map(String).join(', ')
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return value === undefined || value === null ? '—' : JSON.stringify(value)
}

// ——— Durations (§9.2.2.2) ———

type Kind = 'bills' | 'billDetails' | 'usage'

/** How a relative-or-absolute value reads: no limit, nothing (zero or already reached), a length, or a date. */
type Extent = { kind: 'infinite' } | { kind: 'zero' } | { kind: 'for'; duration: Duration; date: string } | { kind: 'date'; date: string }

const DURATION_UNITS = ['years', 'months', 'weeks', 'days', 'hours', 'minutes', 'seconds'] as const

/**
 * A duration in words: "3 years", "1 year and 2 months"; with `bare`, a single "1 year" reads
 * "year" (for "the past year").
 *
 * @example
 * ```ts
 * humanDuration({ years: 3, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 }, t) // '3 years'
 * ```
 * @see CDS-WG3-01 §9.2.2.2 Duration Component
 */
export function humanDuration(duration: Duration, t: Translator, bare = false): string {
  const parts = DURATION_UNITS.filter((unit) => duration[unit] > 0)
  if (bare && parts.length === 1 && duration[parts[0] ?? 'years'] === 1) return t(key(`authorization.unit.${parts[0] ?? 'years'}.one`))
  const words = parts.map((unit) => t(key(`authorization.unit.${unit}`), { count: duration[unit] }))
  return new Intl.ListFormat(t.locale, { type: 'conjunction' }).format(words)
}

const isZero = (duration: Duration) => DURATION_UNITS.every((unit) => duration[unit] === 0)

/** A date or datetime (RFC 3339 text) as a long date in the server's zone. */
function formatDate(text: string, ctx: DescribeContext): string {
  // A full-date is a calendar day wherever it is read; a datetime is shown in cds_timezone.
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text)
  const instant = new Date(dateOnly ? `${text}T00:00:00Z` : text)
  return new Intl.DateTimeFormat(ctx.t.locale, { dateStyle: 'long', timeZone: dateOnly ? 'UTC' : ctx.timezone }).format(instant)
}

/** Reads a duration field's value as requested (relative values kept) into an {@link Extent}. */
function extentOf(field: string, value: unknown, ctx: DescribeContext): Extent | undefined {
  if (typeof value !== 'string') return undefined
  const definition = CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[field as keyof typeof CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS]?.duration
  if (definition === undefined) return undefined
  const dateOnly = definition.absolute === 'date'
  const parsed: RelativeOrAbsolute | undefined = dateOnly ? parseRelativeOrAbsoluteDate(value) : parseRelativeOrAbsoluteDatetime(value)
  if (parsed === undefined) return undefined
  if (parsed.kind === 'infinite') return parsed
  const context = { now: ctx.now, timezone: ctx.timezone, direction: definition.direction }
  const resolved = dateOnly ? resolveDate(parsed, context) : resolveDatetime(parsed, context)
  if (resolved === undefined || resolved.kind === 'infinite') return { kind: 'infinite' }
  if (parsed.kind === 'relative') return isZero(parsed.duration) ? { kind: 'zero' } : { kind: 'for', duration: parsed.duration, date: formatDate(resolved.text, ctx) }
  // An absolute value at or past "now" on its side of the timeline reaches no further than today.
  const today = dateOnly ? resolveDate({ kind: 'relative', duration: zeroDuration() }, context) : { kind: 'point' as const, time: ctx.now.getTime() }
  const reached = today !== undefined && today.kind === 'point' && (definition.direction === 'add' ? resolved.time <= today.time : resolved.time >= today.time)
  return reached ? { kind: 'zero' } : { kind: 'date', date: formatDate(parsed.text, ctx) }
}

function zeroDuration(): Duration {
  return { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 }
}

/** A stable key of an extent, so equal durations of merged scopes make one statement. */
function extentKey(extent: Extent | undefined): string {
  if (extent === undefined) return '-'
  return extent.kind === 'for' ? `for:${DURATION_UNITS.map((u) => extent.duration[u]).join(',')}` : extent.kind === 'date' ? `date:${extent.date}` : extent.kind
}

const capitalize = (text: string) => text.charAt(0).toLocaleUpperCase() + text.slice(1)

/** "updates to your {things} …" for `sync_until` (§9.2.2.2 second bullet). */
function syncStatement(things: string, extent: Extent, ctx: DescribeContext): string {
  const { t } = ctx
  switch (extent.kind) {
    case 'infinite':
      return t('authorization.duration.sync.infinite', { things })
    case 'zero':
      return t('authorization.duration.sync.none', { things })
    case 'for':
      return t('authorization.duration.sync.for', { things, duration: humanDuration(extent.duration, t), date: extent.date })
    case 'date':
      return t('authorization.duration.sync.until', { things, date: extent.date })
  }
}

/** A history window: what came before now (start) and what comes after (end) (§9.2.2.2 bullets 3–5). */
function windowStatement(kind: Kind, start: Extent | undefined, end: Extent | undefined, ctx: DescribeContext): string {
  const { t } = ctx
  const what = t(key(`authorization.what.${kind}`))
  const past =
    start === undefined || start.kind === 'zero'
      ? undefined
      : start.kind === 'infinite'
        ? t('authorization.duration.past.infinite', { what })
        : start.kind === 'for'
          ? t('authorization.duration.past.for', { what, duration: humanDuration(start.duration, t, true) })
          : t('authorization.duration.past.since', { what, date: start.date })
  const future =
    end === undefined || end.kind === 'zero'
      ? undefined
      : end.kind === 'infinite'
        ? t('authorization.duration.future.infinite', { what })
        : end.kind === 'for'
          ? t('authorization.duration.future.for', { what, duration: humanDuration(end.duration, t), date: end.date })
          : t('authorization.duration.future.until', { what, date: end.date })
  if (past !== undefined && future !== undefined) return capitalize(t('authorization.duration.both', { past, future }))
  if (future !== undefined) return capitalize(t('authorization.duration.futureOnly', { future, what }))
  if (past !== undefined) return capitalize(t('authorization.duration.pastOnly', { past, what }))
  return capitalize(t('authorization.duration.nothing', { what }))
}

/** `expires` of Aggregation Inclusion (§9.2.2.2, §6.1.10). */
function expiresStatement(extent: Extent, ctx: DescribeContext): string {
  const { t } = ctx
  switch (extent.kind) {
    case 'infinite':
      return t('authorization.duration.expires.infinite')
    case 'zero':
      return t('authorization.duration.expires.none')
    case 'for':
      return t('authorization.duration.expires.for', { duration: humanDuration(extent.duration, t), date: extent.date })
    case 'date':
      return t('authorization.duration.expires.until', { date: extent.date })
  }
}

/**
 * One scope of a Request Section for the Duration Component: its Scope Description and its
 * entry as requested (defaults filled, relative values not yet resolved).
 */
export interface DurationInput {
  scope: ScopeDescription
  entry: AuthorizationDetail | undefined
}

/**
 * The Duration Component of a Request Section (§9.2.2.2): how long each kind of data keeps
 * updating and which past and future bills, bill details and usage are shared, as a list of
 * statements. Scopes with the same duration share one statement (their things joined).
 *
 * @example
 * ```ts
 * describeDurations([{ scope: meters, entry: { type: 'cds_meters', sync_until: 'P3Y' } }, { scope: accounts, entry: { type: 'cds_accounts', sync_until: 'P3Y' } }], ctx)
 * // ['Updates to your meter details and account details for 3 years (until January 15, 2029)']
 * ```
 * @see CDS-WG3-01 §9.2.2.2 Duration Component
 */
export function describeDurations(inputs: readonly DurationInput[], ctx: DescribeContext): string[] {
  const sync = new Map<string, { extent: Extent; things: string[] }>()
  const windows = new Map<string, string>()
  const other: string[] = []
  for (const { scope, entry } of inputs) {
    const values = (entry ?? {}) as Record<string, unknown>
    const type = customerDataType(scope)
    if (type === undefined) {
      for (const field of scope.authorization_details_fields_supported) {
        if (field.format !== 'relative_or_absolute_date' && field.format !== 'relative_or_absolute_datetime') continue
        other.push(ctx.t('authorization.duration.field', { name: field.name, value: valueWords(values[field.id], ctx) }))
      }
      continue
    }
    const syncUntil = extentOf('sync_until', values.sync_until, ctx)
    if (syncUntil !== undefined) {
      const group = sync.get(extentKey(syncUntil)) ?? { extent: syncUntil, things: [] }
      const things = ctx.t(key(`authorization.things.${type}`))
      if (!group.things.includes(things)) group.things.push(things)
      sync.set(extentKey(syncUntil), group)
    }
    const windowOf = (kind: Kind, startField: string, endField: string) => {
      if (!(startField in values) && !(endField in values)) return
      const start = extentOf(startField, values[startField], ctx)
      const end = extentOf(endField, values[endField], ctx)
      windows.set(`${kind}|${extentKey(start)}|${extentKey(end)}`, windowStatement(kind, start, end, ctx))
    }
    windowOf('bills', 'statement_date_start', 'statement_date_end')
    windowOf('billDetails', 'start_date', 'end_date')
    windowOf('usage', 'segment_start', 'segment_end')
    const expires = extentOf('expires', values.expires, ctx)
    if (expires !== undefined) windows.set(`expires|${extentKey(expires)}`, expiresStatement(expires, ctx))
  }
  const list = new Intl.ListFormat(ctx.t.locale, { type: 'conjunction' })
  // §9.2.2.2: equal durations of merged scopes are one statement, never several.
  const syncStatements = [...sync.values()].map(({ extent, things }) => capitalize(syncStatement(list.format(things), extent, ctx)))
  return [...new Set([...syncStatements, ...windows.values(), ...other])]
}

// ——— Selections (§9.2.3) ———

/** The Selection types of §9.2.3 and the resources they list. */
export const SELECTION_RESOURCE_TYPES: Readonly<Record<string, ResourceType>> = {
  account_selection: 'account',
  service_contract_selection: 'service_contract',
  servicepoint_selection: 'service_point',
  meter_device_selection: 'meter_device',
  aggregation_selection: 'aggregation',
}

/** "For these accounts:" and the like (§9.2.2.3). */
export function selectionHeading(resource_type: ResourceType, t: Translator): string {
  return t(key(`authorization.selection.heading.${resource_type}`))
}

/**
 * The "include future" option of Account and Service Contract Selections (§9.2.3.1, §9.2.3.2),
 * or `null` for Selections without one.
 */
export function includeFutureText(resource_type: ResourceType, t: Translator): string | null {
  return resource_type === 'account' || resource_type === 'service_contract' ? t(key(`authorization.selection.includeFuture.${resource_type}`)) : null
}

/** A §10 enumeration value in words (`natural_gas` → "natural gas"). */
export function typeWords(values: readonly string[]): string {
  return values.map((value) => value.replaceAll('_', ' ')).join(', ')
}

/** What a Selection entry shows (§9.2.3.x: number, types, account, name and address when known). */
export interface ResourceLike {
  number: string
  display_name: string | null
  address: string | null
  account_number: string | null
  types: readonly string[]
}

/**
 * The parts of one Selection entry: the main line ("Service 222222 (electric, residential)") and
 * the extras (account, name, address) in the order §9.2.3.x lists them.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export function resourceParts(resource_type: ResourceType, resource: ResourceLike, t: Translator): { main: string; extras: string[] } {
  const types = resource_type === 'account' || resource.types.length === 0 ? '' : ` (${typeWords(resource.types)})`
  const main = `${t(key(`authorization.resource.${resource_type}`), { number: resource.number })}${types}`
  const extras: string[] = []
  // §9.2.3.2: a Service Contract shows its account number.
  if (resource_type === 'service_contract' && resource.account_number !== null) extras.push(t('authorization.resource.account', { number: resource.account_number }))
  // A-84: the name the customer knows, when there is one.
  if (resource.display_name !== null) extras.push(resource.display_name)
  // §9.2.3.4: meters show no address; the others show theirs when known.
  if (resource.address !== null && resource_type !== 'meter_device') extras.push(resource.address.split(/\s*\n\s*/).join(', '))
  return { main, extras }
}

/** One Selection entry as a line of text, as the receipt keeps it. */
export function resourceLine(resource_type: ResourceType, resource: ResourceLike, t: Translator): string {
  const { main, extras } = resourceParts(resource_type, resource, t)
  return [main, ...extras].join(' – ')
}
