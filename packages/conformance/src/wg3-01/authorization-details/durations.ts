/**
 * CDS-WG3-01 §7.3 Duration Fields: relative values become absolute ones counted from the request
 * (forward, or back for the start fields, A-05), never relative in token responses and Grants,
 * never wider than the field's limit, and the data windows they put on Bill Statements,
 * Bill Sections and Usage Segments (trimming straddling segments, §7.3.6).
 *
 * @module
 */
import { stringifyJson } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { consentCheck, consentView, grantedEntries } from './consent-lab.js'
import { directLab, directProbe, directToken, listItems, SHORT_USAGE, wideEntry, type ApiKey } from './direct-lab.js'
import { check, expectAccepted, fieldRule, profileOf, show, type CdScope } from './kit.js'
import { entryOf } from './values.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i
const DURATIONS = ['sync_until', 'statement_date_start', 'statement_date_end', 'start_date', 'end_date', 'segment_start', 'segment_end', 'expires']

/** Whether a duration value is absolute in the field's form (a date, a datetime or `infinite`). */
export function isAbsolute(field: string, value: unknown): boolean {
  if (value === 'infinite') return true
  if (typeof value !== 'string') return false
  return fieldRule(field).duration?.absolute === 'date' ? DATE.test(value) : DATETIME.test(value) && !Number.isNaN(Date.parse(value))
}

/** The local date in the server's `cds_timezone`, `days` from `at`. */
async function localDate(ctx: CheckContext, at: number, days = 0): Promise<string> {
  const published = (await ctx.oauthMetadata()).cds_timezone
  const zone = typeof published === 'string' ? published : 'UTC'
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at + days * 86_400_000))
}

/** The direct scopes and the duration fields each offers. */
async function directDurations(ctx: CheckContext): Promise<{ scope: CdScope; field: string }[]> {
  const lab = await directLab(ctx)
  return lab.scopes.flatMap((scope) => DURATIONS.filter((f) => scope.fields.has(f)).map((field) => ({ scope, field })))
}

/** §7.3: relative values come back absolute, in the field's form, from every direct scope. */
async function runAbsoluteDirect(ctx: CheckContext): Promise<void> {
  const pairs = await directDurations(ctx)
  if (pairs.length === 0) ctx.notApplicable('no direct scope offers a duration field')
  for (const { scope, field } of pairs) {
    const probe = await directProbe(ctx, [{ type: scope.rarType, [field]: 'P1D' }])
    expectAccepted(ctx, probe, `${scope.id} with ${field}: "P1D"`)
    const value = entryOf(probe.details, scope.rarType)?.[field]
    if (!isAbsolute(field, value)) ctx.fail(`${scope.id}: ${field} "P1D" comes back as ${show(value)}, not an absolute ${fieldRule(field).duration?.absolute ?? 'value'}`)
  }
}

/** §7.3: the consent's token response and Grant hold only absolute durations. */
async function runAbsoluteConsent(ctx: CheckContext): Promise<void> {
  const view = await consentView(ctx, 'on')
  const { token, grant } = grantedEntries(view)
  if (grant === undefined) ctx.fail('the suite could not read the Grant of its consent from the Grants API')
  let seen = 0
  for (const [where, entries] of [['token response', token], ['Grant', grant]] as const)
    for (const entry of entries)
      for (const field of DURATIONS)
        if (Object.hasOwn(entry, field)) {
          seen++
          if (!isAbsolute(field, entry[field])) ctx.fail(`the ${where} has ${String(entry.type)}.${field} ${show(entry[field])}, not an absolute value`)
        }
  if (seen === 0) ctx.fail('the consent token response and Grant show no duration field, though the scopes offer them with defaults')
}

/** §7.3: relative values count from the request: forward for end fields, back for the start fields. */
async function runAnchor(ctx: CheckContext, direction: 'add' | 'subtract'): Promise<void> {
  const pairs = (await directDurations(ctx)).filter(({ field }) => fieldRule(field).duration?.direction === direction)
  if (pairs.length === 0) ctx.notApplicable(`no direct scope offers a duration field that counts ${direction === 'add' ? 'forward' : 'back'}`)
  const sign = direction === 'add' ? 1 : -1
  for (const { scope, field } of pairs) {
    const datetime = fieldRule(field).duration?.absolute === 'datetime'
    const sent = datetime ? 'PT2H' : 'P2D'
    const before = Date.now()
    const probe = await directProbe(ctx, [{ type: scope.rarType, [field]: sent }])
    const after = Date.now()
    expectAccepted(ctx, probe, `${scope.id} with ${field}: ${sent}`)
    const value = entryOf(probe.details, scope.rarType)?.[field]
    if (datetime) {
      const at = Date.parse(String(value))
      const low = (sign > 0 ? before : after) + sign * 7_200_000 - 120_000
      const high = (sign > 0 ? after : before) + sign * 7_200_000 + 120_000
      if (Number.isNaN(at) || at < Math.min(low, high) || at > Math.max(low, high)) ctx.fail(`${scope.id}: ${field} ${sent} became ${show(value)}, not the request time ${sign > 0 ? '+' : '-'} 2 hours`)
    } else {
      const expected = [await localDate(ctx, before, sign * 2), await localDate(ctx, after, sign * 2)]
      if (!expected.includes(String(value))) ctx.fail(`${scope.id}: ${field} ${sent} became ${show(value)}, not ${expected[0] ?? ''} (today in cds_timezone ${sign > 0 ? '+' : '-'} 2 days)`)
    }
  }
}

/** Days a relative limit spans (roughly; only used to go past it). */
function spanDays(value: string): number | undefined {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value)
  if (m === null) return undefined
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number, number]
  return y * 366 + mo * 31 + w * 7 + d + (h * 3600 + mi * 60 + s) / 86_400
}

/** §7.3: a value past the field's limit is refused, or held to the limit. */
async function runNoWidening(ctx: CheckContext): Promise<void> {
  let checked = 0
  for (const { scope, field } of await directDurations(ctx)) {
    const limit = fieldRule(field).duration?.direction === 'subtract' ? scope.fields.get(field)?.maximum : scope.fields.get(field)?.maximum
    const days = typeof limit === 'string' ? spanDays(limit) : undefined
    if (days === undefined) continue
    const beyond = `P${String(Math.ceil(days) + 400)}D`
    const probe = await directProbe(ctx, [{ type: scope.rarType, [field]: beyond }])
    checked++
    if (!probe.accepted) {
      ctx.expectError(probe.response, 400, 'invalid_authorization_details')
      continue
    }
    const value = String(entryOf(probe.details, scope.rarType)?.[field])
    const at = Date.parse(value.length === 10 ? `${value}T12:00:00Z` : value)
    const reach = Math.abs(at - Date.now()) / 86_400_000
    if (value === 'infinite' || Number.isNaN(at) || reach > days + 2) ctx.fail(`${scope.id}: ${field} ${beyond} (limit ${String(limit)}) was taken as ${show(value)}, beyond the limit`)
  }
  if (checked === 0) ctx.notApplicable('no direct scope publishes a relative limit on a duration field')
}

/** The items of a listing under a direct token of the scope with the entry's extra values. */
async function windowItems(ctx: CheckContext, scope: CdScope, api: ApiKey, extra: Json): Promise<Json[]> {
  const implied = (profileOf(scope.type)?.impliedTrueFields ?? []) as readonly string[]
  return listItems(ctx, api, (await directToken(ctx, [wideEntry(scope, false, extra, implied)])).token)
}

/** A date bound on a listing: what falls outside it under the widest value must be gone under the bound. */
async function runDateWindow(ctx: CheckContext, field: string, api: ApiKey, member: string): Promise<void> {
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => s.fields.has(field) && (api === 'billstatements' ? s.type === 'cds_query_bill_statements' : s.type === 'cds_query_bill_sections'))
  if (scope === undefined) ctx.notApplicable(`no direct scope listing ${api} offers ${field}`)
  const start = fieldRule(field).duration?.direction === 'subtract'
  const widest = start ? (scope.fields.get(field)?.maximum ?? 'P3Y') : 'infinite'
  const all = await windowItems(ctx, scope, api, { [field]: widest })
  const bound = start ? 'P120D' : 'P0D'
  const probe = await directProbe(ctx, [wideEntry(scope, false, { [field]: bound }, (profileOf(scope.type)?.impliedTrueFields ?? []))])
  if (!probe.accepted || probe.token === undefined) ctx.fail(`${scope.id} refused ${field}: ${bound}: ${probe.response.text.slice(0, 200)}`)
  const value = String(entryOf(probe.details, scope.rarType)?.[field])
  const outside = (item: Json) => (start ? String(item[member]) < value : String(item[member]) > value)
  if (!all.some(outside)) ctx.notApplicable(`no ${api} of the server's data falls ${start ? 'before' : 'after'} ${value}, so the bound cannot show`)
  const kept = await listItems(ctx, api, probe.token)
  const stray = kept.find(outside)
  if (stray !== undefined) ctx.fail(`${field} ${value}: a ${api} object with ${member} ${show(stray[member])} is still listed`)
  const expected = all.filter((i) => !outside(i)).length
  if (kept.length < expected) ctx.fail(`${field} ${value}: ${kept.length} ${api} listed, but ${expected} lie inside the bound`)
}

/** §7.3.6: segments start no earlier than segment_start; one straddling it is trimmed, never shown whole. */
async function runSegmentStart(ctx: CheckContext, part: 'window' | 'trim' | 'untrimmed'): Promise<void> {
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => s.fields.has('segment_start') && s.type === 'cds_query_usage')
  if (scope === undefined) ctx.notApplicable('no direct Usage scope offers segment_start')
  const wide = await windowItems(ctx, scope, 'usagesegments', SHORT_USAGE)
  const long = wide.find((s) => typeof s.interval === 'number' && Array.isArray(s.values) && s.values.length >= 4)
  if (long === undefined) ctx.notApplicable('the suite sees no interval Usage Segment long enough to cut')
  const interval = long.interval as number
  const half = Math.floor((long.values as unknown[]).length / 2)
  const cut = new Date(Date.parse(String(long.segment_start)) + half * interval * 1000).toISOString().replace('.000Z', 'Z')
  const cutAt = Date.parse(cut)
  const narrow = await windowItems(ctx, scope, 'usagesegments', { segment_start: cut })
  const early = narrow.find((s) => Date.parse(String(s.segment_start)) < cutAt)
  if (part === 'window' && early !== undefined) ctx.fail(`segment_start ${cut}: segment ${String(early.cds_usagesegment_id)} starts at ${String(early.segment_start)}`)
  if (part === 'untrimmed' && narrow.some((s) => s.segment_start === long.segment_start && s.segment_end === long.segment_end && stringifyJson(s.related_meterdevices) === stringifyJson(long.related_meterdevices)))
    ctx.fail(`segment_start ${cut}: the segment ${String(long.cds_usagesegment_id)} that straddles it is still shown whole`)
  if (part === 'untrimmed' && early !== undefined) ctx.fail(`segment_start ${cut}: segment ${String(early.cds_usagesegment_id)} still starts at ${String(early.segment_start)}`)
  if (part !== 'trim') return
  const same = (s: Json) => JSON.stringify(s.related_meterdevices) === JSON.stringify(long.related_meterdevices) && s.segment_end === long.segment_end
  const trimmed = narrow.find((s) => same(s) && Date.parse(String(s.segment_start)) === cutAt)
  if (trimmed === undefined) ctx.fail(`segment_start ${cut}: no trimmed segment starts there for the segment ${String(long.cds_usagesegment_id)} that straddled it`)
  const rest = stringifyJson((long.values as unknown[]).slice(half))
  if (stringifyJson(trimmed.values) !== rest) ctx.fail(`the trimmed segment ${String(trimmed.cds_usagesegment_id)} does not hold the value sets of the original from ${cut} on`)
}

/** §7.3.7: segments end no later than segment_end; one straddling it is trimmed, never shown whole. */
async function runSegmentEnd(ctx: CheckContext, part: 'window' | 'trim' | 'untrimmed'): Promise<void> {
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => s.fields.has('segment_end') && s.type === 'cds_query_usage')
  if (scope === undefined) ctx.notApplicable('no direct Usage scope offers segment_end')
  // The earliest end the field allows is its minimum (counted from now); only data ending later can show the bound.
  const minimum = scope.fields.get('segment_end')?.minimum
  const probe = await directProbe(ctx, [wideEntry(scope, false, { ...SHORT_USAGE, segment_end: typeof minimum === 'string' ? minimum : 'PT0S' })])
  if (!probe.accepted || probe.token === undefined) ctx.fail(`${scope.id} refused its own minimum segment_end: ${probe.response.text.slice(0, 200)}`)
  const end = Date.parse(String(entryOf(probe.details, scope.rarType)?.segment_end))
  const wide = await windowItems(ctx, scope, 'usagesegments', { ...SHORT_USAGE, segment_end: 'infinite' })
  const late = wide.filter((s) => Date.parse(String(s.segment_end)) > end)
  if (Number.isNaN(end) || late.length === 0) ctx.notApplicable('no Usage Segment of the server ends after the earliest segment_end a request may ask for, so the bound cannot show')
  const narrow = await listItems(ctx, 'usagesegments', probe.token)
  const after = narrow.find((s) => Date.parse(String(s.segment_end)) > end)
  if (part !== 'trim' && after !== undefined) ctx.fail(`segment ${String(after.cds_usagesegment_id)} ends at ${String(after.segment_end)}, after segment_end`)
  if (part !== 'trim') return
  const straddling = late.find((s) => Date.parse(String(s.segment_start)) < end)
  if (straddling === undefined) ctx.notApplicable('no Usage Segment straddles the earliest segment_end')
  const trimmed = narrow.find((s) => s.segment_start === straddling.segment_start && stringifyJson(s.related_meterdevices) === stringifyJson(straddling.related_meterdevices))
  if (trimmed === undefined) ctx.fail(`no trimmed segment replaces ${String(straddling.cds_usagesegment_id)}, which straddles segment_end`)
  const kept = (trimmed.values as unknown[] | undefined)?.length ?? 0
  if (stringifyJson((straddling.values as unknown[]).slice(0, kept)) !== stringifyJson(trimmed.values)) ctx.fail('the trimmed segment does not hold the first value sets of the original')
}

/** Every check of this file. */
export const durationChecks: readonly Check[] = [
  check('R3-01-7.3-01', '7.3', 'a duration past the field\'s limit is refused or held to it, never widening access', runNoWidening),
  check('R3-01-7.3-02', '7.3', 'token responses give every duration field as an absolute date, datetime or "infinite"', runAbsoluteDirect),
  consentCheck('R3-01-7.3-03', '7.3', 'the token response and the Grant of a consent hold no relative duration', runAbsoluteConsent),
  check('R3-01-7.3-05', '7.3', 'a relative end value becomes the request time plus the duration (dates in cds_timezone)', (ctx: CheckContext) => runAnchor(ctx, 'add')),
  check('R3-01-7.3-06', '7.3', 'a relative start value (statement_date_start, start_date, segment_start) counts back from the request', (ctx: CheckContext) => runAnchor(ctx, 'subtract')),
  check('R3-01-7.3.2-02', '7.3.2', 'statement_date_start keeps Bill Statements dated before it out', (ctx: CheckContext) => runDateWindow(ctx, 'statement_date_start', 'billstatements', 'statement_date')),
  check('R3-01-7.3.3-02', '7.3.3', 'statement_date_end keeps Bill Statements dated after it out', (ctx: CheckContext) => runDateWindow(ctx, 'statement_date_end', 'billstatements', 'statement_date')),
  check('R3-01-7.3.4-02', '7.3.4', 'start_date keeps Bill Sections starting before it out', (ctx: CheckContext) => runDateWindow(ctx, 'start_date', 'billsections', 'start_date')),
  check('R3-01-7.3.5-02', '7.3.5', 'end_date keeps Bill Sections ending after it out', (ctx: CheckContext) => runDateWindow(ctx, 'end_date', 'billsections', 'end_date')),
  check('R3-01-7.3.6-02', '7.3.6', 'no listed Usage Segment starts before segment_start', (ctx: CheckContext) => runSegmentStart(ctx, 'window')),
  check('R3-01-7.3.6-03', '7.3.6', 'a Usage Segment straddling segment_start is replaced by one holding only the value sets from there on', (ctx: CheckContext) => runSegmentStart(ctx, 'trim')),
  check('R3-01-7.3.6-04', '7.3.6', 'the untrimmed straddling Usage Segment is never shown', (ctx: CheckContext) => runSegmentStart(ctx, 'untrimmed')),
  check('R3-01-7.3.7-02', '7.3.7', 'no listed Usage Segment ends after segment_end', (ctx: CheckContext) => runSegmentEnd(ctx, 'window')),
  check('R3-01-7.3.7-03', '7.3.7', 'a Usage Segment straddling segment_end is replaced by one holding only the value sets up to it', (ctx: CheckContext) => runSegmentEnd(ctx, 'trim')),
  check('R3-01-7.3.7-04', '7.3.7', 'the untrimmed Usage Segment straddling segment_end is never shown', (ctx: CheckContext) => runSegmentEnd(ctx, 'untrimmed')),
]
