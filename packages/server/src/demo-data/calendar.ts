/**
 * Local calendar arithmetic in the utility's time zone (`cds_timezone`, CDS-WG1-02 §2): where a
 * local day or month starts as an instant, with `Intl` only. Usage Segments are cut on local
 * midnight and emitted in UTC (catalog §3.2, A-42), so a local day lasts 23, 24 or 25 hours.
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 * @module
 */

/** A local calendar month. */
export interface LocalMonth {
  year: number
  /** 1–12. */
  month: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    formatters.set(timeZone, f)
  }
  return f
}

/** The offset of `timeZone` from UTC at `instant`, in milliseconds (−8 h is −28 800 000). */
function offsetAt(timeZone: string, instant: number): number {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]))
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second))
  return local - Math.floor(instant / 1000) * 1000
}

/**
 * The instant of local midnight starting `year-month-day` in `timeZone` (day may overflow the
 * month: day 32 of January is February 1).
 *
 * @example
 * ```ts
 * localMidnight('America/Los_Angeles', 2025, 3, 10).toISOString() // '2025-03-10T07:00:00.000Z'
 * ```
 */
export function localMidnight(timeZone: string, year: number, month: number, day: number): Date {
  const wall = Date.UTC(year, month - 1, day)
  // Two rounds settle the offset on both sides of a DST change (no zone moves midnight itself twice).
  let instant = wall - offsetAt(timeZone, wall)
  instant = wall - offsetAt(timeZone, instant)
  return new Date(instant)
}

/** The local date (`YYYY-MM-DD`) and hour/weekday of an instant in `timeZone`. */
export function localParts(timeZone: string, instant: Date): { date: string; hour: number; minute: number; weekday: number } {
  const local = new Date(instant.getTime() + offsetAt(timeZone, instant.getTime()))
  return { date: local.toISOString().slice(0, 10), hour: local.getUTCHours(), minute: local.getUTCMinutes(), weekday: local.getUTCDay() }
}

/** The number of days in a month. */
export function daysIn({ year, month }: LocalMonth): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** The month `n` months after (or before, when negative) `m`. */
export function addMonths(m: LocalMonth, n: number): LocalMonth {
  const index = m.year * 12 + (m.month - 1) + n
  return { year: Math.floor(index / 12), month: (index % 12) + 1 }
}

/** `YYYY-MM-DD` of a day of a month. */
export function isoDate(m: LocalMonth, day: number): string {
  return `${String(m.year).padStart(4, '0')}-${String(m.month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/** The local month `instant` falls in. */
export function monthOf(timeZone: string, instant: Date): LocalMonth {
  const date = localParts(timeZone, instant).date
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)) }
}

/** `YYYY-MM-DD` plus `days` days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)
}
