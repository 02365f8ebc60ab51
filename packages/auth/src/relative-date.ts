/**
 * Relative and absolute dates and datetimes of CDS authorization details (CDS-WG1-02 §2, §3.9):
 * parsing the three forms (an RFC 3339 value, an RFC 3339 Appendix A duration, or `"infinite"`)
 * and resolving a duration against "now" in the server's `cds_timezone`.
 *
 * Calendar parts (years, months, weeks, days) move the wall-clock date in that zone, months
 * clamped to the end of the month; time parts (hours, minutes, seconds) then move the instant by
 * exact elapsed time. A wall-clock time that a DST change skips moves forward by the gap, and
 * one that occurs twice takes the earlier instant (the "compatible" rule of ECMAScript Temporal).
 * No dependency: the zone's offsets come from `Intl.DateTimeFormat`.
 *
 * @see CDS-WG1-02 §2 Terminology (relative date, relative datetime)
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 * @module
 */
import { RELATIVE_DATE_PATTERN, RELATIVE_DATETIME_PATTERN } from '@cds-ts/schema'

/**
 * Whether a relative value counts forward from now (`add`) or back (`subtract`). The spec's
 * durations carry no sign; the field's meaning decides (CDS-WG1-02 §3.8, A-31; CDS-WG3-01 §7.3).
 *
 * @see CDS-WG1-02 §3.8 Authorization Details Field Object Format
 */
export type RelativeDirection = 'add' | 'subtract'

/**
 * The parts of a duration, each a whole number.
 *
 * @see CDS-WG1-02 §2 Terminology (relative date)
 */
export interface Duration {
  years: number
  months: number
  weeks: number
  days: number
  hours: number
  minutes: number
  seconds: number
}

/**
 * A parsed relative-or-absolute value. `absolute` holds the value's instant (datetimes) or its
 * `YYYY-MM-DD` text (dates).
 *
 * @see CDS-WG1-02 §2 Terminology (relative or absolute date)
 */
export type RelativeOrAbsolute =
  | { kind: 'infinite' }
  | { kind: 'relative'; duration: Duration }
  | { kind: 'absolute'; text: string }

/**
 * A resolved value: `infinite`, or a point on the time line (`time`, in ms since the epoch, for
 * datetimes; the UTC midnight of the date for dates) with its RFC 3339 text.
 *
 * @see CDS-WG1-02 §2 Terminology (relative or absolute datetime)
 */
export type Resolved = { kind: 'infinite' } | { kind: 'point'; time: number; text: string }

const RELATIVE_DATE = new RegExp(RELATIVE_DATE_PATTERN)
const RELATIVE_DATETIME = new RegExp(RELATIVE_DATETIME_PATTERN)
const DURATION_PARTS = /^P(?:(\d+)W)?(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
// RFC 3339 §5.6 date-time; the offset is required, `T`/`Z` may be lower case.
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/
const DAY_MS = 86_400_000
// RFC 3339 §5.6 years have four digits.
const MAX_YEAR = 9999

/**
 * Reads a "relative or absolute date": a `full-date`, a duration without a time part, or
 * `"infinite"`. `undefined` when the text is none of these (CDS-WG1-02 §2, A-31: `P1M` is a month,
 * `PT1M` is refused).
 *
 * @see CDS-WG1-02 §2 Terminology (relative or absolute date)
 */
export function parseRelativeOrAbsoluteDate(text: string): RelativeOrAbsolute | undefined {
  if (text === 'infinite') return { kind: 'infinite' }
  // CDS-WG1-02 §2 (R1-02-2-02): a relative date has no H, M or S part.
  if (RELATIVE_DATE.test(text)) return { kind: 'relative', duration: durationParts(text) }
  if (isFullDate(text)) return { kind: 'absolute', text }
  return undefined
}

/**
 * Reads a "relative or absolute datetime": an RFC 3339 `date-time`, any duration (`P0S` is read
 * as `PT0S`), or `"infinite"`. `undefined` otherwise.
 *
 * @see CDS-WG1-02 §2 Terminology (relative or absolute datetime)
 */
export function parseRelativeOrAbsoluteDatetime(text: string): RelativeOrAbsolute | undefined {
  if (text === 'infinite') return { kind: 'infinite' }
  if (RELATIVE_DATETIME.test(text)) return { kind: 'relative', duration: durationParts(text === 'P0S' ? 'PT0S' : text) }
  if (dateTimeMs(text) !== undefined) return { kind: 'absolute', text }
  return undefined
}

/**
 * Resolves a parsed date against the current date in `timezone`. Returns `undefined` when the
 * result falls outside years 0001–9999.
 *
 * @example
 * ```ts
 * resolveDate(parseRelativeOrAbsoluteDate('P1M')!, { now: new Date('2024-01-31T12:00:00Z'), timezone: 'UTC', direction: 'add' })
 * // { kind: 'point', text: '2024-02-29', time: … }
 * ```
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export function resolveDate(value: RelativeOrAbsolute, context: ResolveContext): Resolved | undefined {
  if (value.kind === 'infinite') return value
  if (value.kind === 'absolute') return datePoint(value.text)
  // CDS-WG1-02 §3.9 (R1-02-3.9-03): relative to the current date in cds_timezone.
  const today = wallClock(context.now.getTime(), context.timezone)
  const day = moveCalendar(today, value.duration, sign(context.direction))
  return day === undefined ? undefined : datePoint(formatDate(day))
}

/**
 * Resolves a parsed datetime against the current instant in `timezone`. The result's text carries
 * the zone's UTC offset at that instant. `undefined` when it falls outside years 0001–9999.
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export function resolveDatetime(value: RelativeOrAbsolute, context: ResolveContext): Resolved | undefined {
  if (value.kind === 'infinite') return value
  if (value.kind === 'absolute') {
    const time = dateTimeMs(value.text)
    return time === undefined ? undefined : { kind: 'point', time, text: value.text }
  }
  const s = sign(context.direction)
  const { duration } = value
  let time = context.now.getTime()
  if (duration.years !== 0 || duration.months !== 0 || duration.weeks !== 0 || duration.days !== 0) {
    // Calendar units move the wall clock in the zone (a day across DST is 23 or 25 hours).
    const wall = moveCalendar(wallClock(time, context.timezone), duration, s)
    if (wall === undefined) return undefined
    time = instantOf(wall, context.timezone)
  }
  time += s * ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000
  // ECMAScript time values end at ±8.64e15 ms.
  if (!(Math.abs(time) <= 8.64e15)) return undefined
  const wall = wallClock(time, context.timezone)
  if (wall.year < 1 || wall.year > MAX_YEAR) return undefined
  return { kind: 'point', time, text: formatDateTime(wall, wallMs(wall) - time) }
}

/** What a relative value is resolved against. */
export interface ResolveContext {
  /** The instant of resolution (the approval or the token request, CDS-WG1-02 §3.9). */
  now: Date
  /** The IANA zone published as `cds_timezone`. */
  timezone: string
  direction: RelativeDirection
}

/**
 * Throws a `TypeError` unless `timezone` is an IANA zone this runtime knows.
 *
 * @see CDS-WG1-02 §2 Terminology (timezone)
 */
export function assertTimeZone(timezone: string): void {
  try {
    formatter(timezone)
  } catch (cause) {
    throw new TypeError(`unknown time zone: ${timezone}`, { cause })
  }
}

interface Wall {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millisecond: number
}

function sign(direction: RelativeDirection): 1 | -1 {
  return direction === 'add' ? 1 : -1
}

function durationParts(text: string): Duration {
  const m = DURATION_PARTS.exec(text)
  const n = (i: number) => (m?.[i] === undefined ? 0 : Number(m[i]))
  return { weeks: n(1), years: n(2), months: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) }
}

/** `Date.UTC` without its mapping of years 0–99 to 1900–1999. */
function utc(year: number, month: number, day: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  return date.getTime()
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month + 1, 0)).getUTCDate()
}

function isFullDate(text: string): boolean {
  const m = FULL_DATE.exec(text)
  if (m === null) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
}

function dateTimeMs(text: string): number | undefined {
  const m = DATE_TIME.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]))
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined || second === undefined) return undefined
  if (!isFullDate(`${m[1] ?? ''}-${m[2] ?? ''}-${m[3] ?? ''}`) || hour > 23 || minute > 59 || second > 60) return undefined
  const offset = m[8] ?? 'Z'
  if (offset !== 'Z' && offset !== 'z') {
    const [oh, om] = [Number(offset.slice(1, 3)), Number(offset.slice(4, 6))]
    if (oh > 23 || om > 59) return undefined
  }
  // RFC 3339 §5.6 allows a leap second (:60); JavaScript time has none, so it reads as the next second.
  const leap = second === 60 ? 1000 : 0
  const normalized = `${text.slice(0, 17).toUpperCase()}${second === 60 ? '59' : text.slice(17, 19)}${text.slice(19).toUpperCase()}`
  const ms = Date.parse(normalized)
  return Number.isFinite(ms) ? ms + leap : undefined
}

function datePoint(text: string): Resolved {
  return { kind: 'point', time: Date.parse(`${text}T00:00:00Z`), text }
}

/** Years and months first (day clamped to the month's end), then weeks and days. */
function moveCalendar(from: Wall, duration: Duration, s: 1 | -1): Wall | undefined {
  const monthIndex = from.year * 12 + (from.month - 1) + s * (duration.years * 12 + duration.months)
  const year = Math.floor(monthIndex / 12)
  const month = monthIndex - year * 12 + 1
  if (!Number.isSafeInteger(monthIndex) || year < 1 || year > MAX_YEAR) return undefined
  const day = Math.min(from.day, daysInMonth(year, month))
  const shifted = utc(year, month, day) + s * (duration.weeks * 7 + duration.days) * DAY_MS
  const date = new Date(shifted)
  if (Number.isNaN(date.getTime())) return undefined
  const result = { ...from, year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
  return result.year < 1 || result.year > MAX_YEAR ? undefined : result
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    })
    formatters.set(timezone, f)
  }
  return f
}

/** The wall-clock reading of an instant in a zone. */
function wallClock(time: number, timezone: string): Wall {
  const parts: Record<string, string> = {}
  for (const part of formatter(timezone).formatToParts(new Date(time))) parts[part.type] = part.value
  const yearOfEra = Number(parts.year)
  return {
    year: parts.era === 'BC' ? 1 - yearOfEra : yearOfEra,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    millisecond: ((time % 1000) + 1000) % 1000,
  }
}

/** A wall-clock reading as if it were UTC, in ms. */
function wallMs(wall: Wall): number {
  return utc(wall.year, wall.month, wall.day) + ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000 + wall.millisecond
}

function offsetAt(time: number, timezone: string): number {
  return wallMs(wallClock(time, timezone)) - time
}

/**
 * The instant a wall-clock reading stands for. Transitions are far more than a day apart, so the
 * offsets a day before and after are the only candidates: a reading that exists takes the earlier
 * matching instant; one inside a gap keeps the offset from before the gap, which moves it forward.
 */
function instantOf(wall: Wall, timezone: string): number {
  const local = wallMs(wall)
  const before = offsetAt(local - DAY_MS, timezone)
  const after = offsetAt(local + DAY_MS, timezone)
  const candidates = [local - before, local - after].filter((t) => offsetAt(t, timezone) === local - t)
  if (candidates.length > 0) return Math.min(...candidates)
  return local - before
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function formatDate(wall: Wall): string {
  return `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}`
}

/** RFC 3339 text of a wall-clock reading whose UTC offset (east positive) is `offsetMs`. */
function formatDateTime(wall: Wall, offsetMs: number): string {
  const fraction = wall.millisecond === 0 ? '' : `.${pad(wall.millisecond, 3)}`
  const minutes = Math.round(offsetMs / 60_000)
  const offset = minutes === 0 ? 'Z' : `${minutes > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`
  return `${formatDate(wall)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${fraction}${offset}`
}
