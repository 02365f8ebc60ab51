/**
 * Relative dates and datetimes of CDS-WG1-02 §2 (RFC 3339 Appendix A durations; a relative date
 * has no time part, catalog A-31) and calendar dates in the server's `cds_timezone`.
 *
 * @module
 */

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/

/** The parts of a duration, or `undefined` when the text is not one. */
function parts(value: unknown): number[] | undefined {
  if (typeof value !== 'string' || value === 'P' || value.endsWith('T')) return undefined
  const m = DURATION.exec(value)
  return m === null ? undefined : m.slice(1).map((part) => Number(part ?? 0))
}

/** Whether a value is a relative datetime (any duration; the spec's `P0S` counts). */
export function isRelativeDateTime(value: unknown): value is string {
  return parts(value) !== undefined
}

/** Whether a value is a relative date: a duration without hours, minutes or seconds. */
export function isRelativeDate(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('T') && !/\d+S$/.test(value) && parts(value) !== undefined
}

/** The approximate length of a duration in seconds (a year as 365.25 days, a month as 30.44). */
export function approxSeconds(value: string): number {
  const [y = 0, mo = 0, w = 0, d = 0, h = 0, mi = 0, s = 0] = parts(value) ?? []
  return ((y * 365.25 + mo * 30.44 + w * 7 + d) * 24 + h) * 3600 + mi * 60 + s
}

/**
 * Whether a relative value lies within a field's relative limits with a margin (`undefined` when
 * a limit is absolute, so the suite cannot tell).
 */
export function withinRelative(value: string, minimum: unknown, maximum: unknown): boolean | undefined {
  const seconds = approxSeconds(value)
  const low = minimum === undefined ? 0 : isRelativeDateTime(minimum) ? approxSeconds(minimum) : undefined
  const high = maximum === undefined || maximum === 'infinite' ? Infinity : isRelativeDateTime(maximum) ? approxSeconds(maximum) : undefined
  if (low === undefined || high === undefined) return undefined
  return seconds > low + 3600 && seconds < high - 24 * 3600
}

/** The first candidate within the field's limits, if any. */
export function pickWithin(field: { minimum?: unknown; maximum?: unknown }, candidates: readonly string[]): string | undefined {
  return candidates.find((candidate) => withinRelative(candidate, field.minimum, field.maximum) === true)
}

/** A duration further than `maximum` (by 400 days), or `undefined` when the maximum is not a finite duration. */
export function beyond(maximum: unknown): string | undefined {
  const p = parts(maximum)
  if (p === undefined) return undefined
  const [y = 0, mo = 0, w = 0, d = 0, h = 0, mi = 0, s = 0] = p
  const time = h + mi + s > 0 ? `T${h}H${mi}M${s}S` : ''
  return `P${y}Y${mo}M${w * 7 + d + 400}D${time}`
}

/** Today's date (`YYYY-MM-DD`) in a time zone. */
export function todayIn(timeZone: string, at = new Date()): string {
  const fields = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at).map((part) => [part.type, part.value]))
  return `${fields.year}-${fields.month}-${fields.day}`
}

/** A calendar date moved by whole days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10)
}
