/**
 * Dates on receipts and in receipt emails (CDS-WG3-01 §9.4: the creation date and time of the
 * receipt). A-80: shown in the server's `cds_timezone` with the zone's abbreviation, plus how long
 * ago it was ("3 months ago", Figure 5).
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import type { Translator } from '../../pages/i18n.js'

/**
 * A date and time in `timeZone`, with the zone's short name (e.g. "Jan 1, 2026, 11:00 AM PST").
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export function formatDateTime(locale: string, timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(at)
}

/** A calendar date in `timeZone` (e.g. "Jan 1, 2026"). */
export function formatDate(locale: string, timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat(locale, { timeZone, year: 'numeric', month: 'short', day: 'numeric' }).format(at)
}

// Largest unit first: the first whose size fits the distance is used.
const UNITS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

/**
 * How long before `now` the moment `at` was, in words ("3 months ago", "yesterday"); under a
 * minute is "just now".
 */
export function relativeTime(t: Translator, at: Date, now: Date): string {
  const seconds = Math.round((at.getTime() - now.getTime()) / 1000)
  const format = new Intl.RelativeTimeFormat(t.locale, { numeric: 'auto' })
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit)
  }
  return t('receipts.relative.justNow')
}
