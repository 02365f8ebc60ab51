/**
 * Trimming Usage Segments to the token's time window (CDS-WG3-01 §7.3.6 Usage Segment Start,
 * §7.3.7 Usage Segment End, §7.3.1 Sync Until; catalog §3.10, A-34).
 *
 * A stored segment that straddles the window is never shown as it is: the token sees a new
 * segment holding only the whole intervals inside the window, under an id of its own. The same
 * arithmetic exists twice, once in SQL (so the listing's filters and page sizes see trimmed
 * segments, {@link trimSql}) and once here in JavaScript (to cut the Value Sets,
 * {@link trimSegment}); both work on whole intervals counted from `segment_start`.
 *
 * `sync_until` caps the window's end like `segment_end` does: an interval that ends after it holds
 * data valid after it, which §7.3.1 forbids serving.
 *
 * @see CDS-WG3-01 §7.3.6 Usage Segment Start
 * @module
 */
import { sql, type RawBuilder } from 'kysely'
import type { DateWindows } from '../types.js'

/**
 * The window a token's Usage Segments are cut to, in Unix milliseconds; `null` is unbounded.
 *
 * @see CDS-WG3-01 §7.3.6 Usage Segment Start
 */
export interface SegmentWindow {
  /** The Grant's `segment_start`, rounded up to the millisecond. */
  readonly start: number | null
  /** The earlier of the Grant's `segment_end` and `sync_until`, rounded down to the millisecond. */
  readonly end: number | null
  /** The same bounds as RFC 3339 text, exactly as granted, for the SQL side. */
  readonly startText: string | null
  readonly endText: string | null
}

/**
 * Milliseconds of an RFC 3339 date-time; digits past the millisecond round `up` or down so
 * the JavaScript side never keeps an interval the SQL side (microseconds) would cut.
 */
function instantMillis(text: string, up: boolean): number {
  const ms = Date.parse(text)
  if (!Number.isFinite(ms)) throw new TypeError(`not an RFC 3339 date-time: ${text}`)
  const extra = /\.\d{3}(\d+)/.exec(text)?.[1] ?? ''
  return up && /[1-9]/.test(extra) ? ms + 1 : ms
}

/**
 * The trimming window of a token: the Grant's `segment_start`, and the earlier of its
 * `segment_end` and `sync_until` (§7.3.1: no data valid after `sync_until` is served).
 *
 * @see CDS-WG3-01 §7.3.7 Usage Segment End
 */
export function segmentWindow(windows: DateWindows): SegmentWindow {
  const start = windows.segment_start === null ? null : instantMillis(windows.segment_start, true)
  const ends = [windows.segment_end, windows.sync_until].filter((t): t is string => t !== null)
  const timed = ends.map((text) => ({ text, ms: instantMillis(text, false) })).sort((a, b) => a.ms - b.ms)
  const end = timed[0]
  return { start, end: end?.ms ?? null, startText: windows.segment_start, endText: end?.text ?? null }
}

/**
 * An `interval` (exact decimal seconds, `"900"`, `"0.5"`) in whole milliseconds, read from its
 * digits rather than through a float; rounded like the writer rounds it
 * (`customer-data/write-usage-segments.ts`).
 *
 * @throws {TypeError} for text that is not a plain non-negative decimal
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 */
export function intervalMillis(interval: string): number {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(interval)
  if (match === null) throw new TypeError(`interval ${JSON.stringify(interval)} is not a plain decimal number of seconds`)
  const [, whole = '0', fraction = ''] = match
  const ms = Number(whole) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3))
  return (fraction[3] ?? '0') >= '5' ? ms + 1 : ms
}

/**
 * Which Value Sets of a stored segment a window keeps: sets `skip` (inclusive) to `keep`
 * (exclusive), starting at `start` and ending at `end`; `trimmed` when that is not all of them.
 */
export interface Trim {
  readonly skip: number
  readonly keep: number
  readonly start: Date
  readonly end: Date
  readonly trimmed: boolean
}

/**
 * Cuts a stored segment to the window (catalog §3.10): Value Set `k` covers
 * `[start + k·interval, start + (k+1)·interval)` and stays only when that whole span is inside the
 * window. `null` when no whole interval fits, which also hides a single-Value-Set segment (a
 * billing month) that straddles an edge.
 *
 * @param sets the number of Value Sets stored
 * @see CDS-WG3-01 §7.3.6 Usage Segment Start
 * @see CDS-WG3-01 §7.3.7 Usage Segment End
 */
export function trimSegment(start: Date, intervalMs: number, sets: number, window: SegmentWindow): Trim | null {
  const s = start.getTime()
  if (intervalMs <= 0) return null
  // §7.3.6: the first kept interval starts at or after the window's start.
  const skip = window.start === null ? 0 : Math.max(0, Math.ceil((window.start - s) / intervalMs))
  // §7.3.7 (A-34: the draft's "start on or after" is a copy error): the last kept interval ends at or before the window's end.
  const keep = window.end === null ? sets : Math.min(sets, Math.floor((window.end - s) / intervalMs))
  if (keep <= skip) return null
  return {
    skip,
    keep,
    start: new Date(s + skip * intervalMs),
    end: new Date(s + keep * intervalMs),
    trimmed: skip > 0 || keep < sets,
  }
}

/** Unix seconds of an instant as decimal text (`1736971200`, `1736971200.5`), without a float. */
function unixSeconds(date: Date): string {
  const ms = date.getTime()
  const whole = Math.floor(ms / 1000)
  const fraction = String(ms - whole * 1000).padStart(3, '0').replace(/0+$/, '')
  return fraction === '' ? String(whole) : `${whole}.${fraction}`
}

const TRIMMED_ID = /^(.+)-t-(-?\d+(?:\.\d{1,3})?)-(-?\d+(?:\.\d{1,3})?)$/

/**
 * The id of a trimmed copy (catalog §3.10, §3.18): the original id, `-t-`, and the Unix seconds of
 * the copy's `segment_start` and `segment_end`. It is deterministic, so the same window gives the
 * same id on every page and every request, and two windows that keep the same intervals share it.
 *
 * @see CDS-WG3-01 §7.3.6 Usage Segment Start
 */
export function trimmedId(id: string, start: Date, end: Date): string {
  return `${id}-t-${unixSeconds(start)}-${unixSeconds(end)}`
}

/**
 * What a trimmed id ({@link trimmedId}) is made of, or `undefined` when `id` does not have that form.
 *
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export function parseTrimmedId(id: string): { id: string; start: string; end: string } | undefined {
  const match = TRIMMED_ID.exec(id)
  if (match === null) return undefined
  const [, original = '', start = '', end = ''] = match
  return { id: original, start, end }
}

/**
 * The SQL side of {@link trimSegment}, over `usage_segments` (numbers are Unix seconds as
 * `numeric`, so no float is involved):
 * - `skip`/`keep`: the first and past-the-last Value Set the window keeps;
 * - `start`/`end`: the trimmed segment's bounds, as Unix seconds;
 * - `visible`: at least one whole interval fits;
 * - `whole`: the window keeps the segment unchanged (its own id is shown).
 */
export interface TrimSql {
  readonly start: RawBuilder<string>
  readonly end: RawBuilder<string>
  readonly visible: RawBuilder<boolean>
  readonly whole: RawBuilder<boolean>
}

/**
 * The trimming arithmetic in SQL for a window, or `undefined` when the window is unbounded (then
 * no segment is trimmed and the plain columns apply).
 *
 * @see CDS-WG3-01 §7.3.6 Usage Segment Start
 */
export function trimSql(window: SegmentWindow): TrimSql | undefined {
  if (window.startText === null && window.endText === null) return undefined
  const epoch = (column: string) => sql`extract(epoch from ${sql.ref(column)})`
  const s = epoch('usage_segments.segment_start')
  const interval = sql.ref('usage_segments.interval')
  const sets = sql`round((${epoch('usage_segments.segment_end')} - ${s}) / ${interval})`
  const bound = (text: string) => sql`extract(epoch from cast(${text} as timestamptz))`
  const skip = window.startText === null ? sql`0` : sql`greatest(0, ceil((${bound(window.startText)} - ${s}) / ${interval}))`
  const keep = window.endText === null ? sets : sql`least(${sets}, floor((${bound(window.endText)} - ${s}) / ${interval}))`
  return {
    start: sql<string>`(${s} + ${skip} * ${interval})`,
    end: sql<string>`(${s} + ${keep} * ${interval})`,
    visible: sql<boolean>`(${keep} > ${skip})`,
    whole: sql<boolean>`(${skip} = 0 and ${keep} = ${sets})`,
  }
}
