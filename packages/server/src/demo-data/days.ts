/**
 * The local days of a month in the utility's time zone, with where each starts and ends as an
 * instant and the local minute each 15-minute interval starts at (a DST day has 92 or 100
 * intervals, catalog §3.15). Computed once per month and shared by every meter.
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 * @module
 */
import { daysIn, isoDate, localMidnight, localParts, type LocalMonth } from './calendar.js'
import type { DayInfo } from './load-shapes.js'

/** One local day. */
export interface LocalDay {
  date: string
  start: Date
  end: Date
  info: DayInfo
  /** The local minute of the day each 15-minute interval starts at. */
  minutes: number[]
}

const INTERVAL_MS = 900_000
const cache = new Map<string, LocalDay[]>()

/** The local days of `month` in `timeZone`. */
export function localDays(timeZone: string, month: LocalMonth): LocalDay[] {
  const key = `${timeZone} ${month.year}-${month.month}`
  const cached = cache.get(key)
  if (cached !== undefined) return cached
  const days: LocalDay[] = []
  const yearStart = Date.UTC(month.year, 0, 1)
  for (let d = 1; d <= daysIn(month); d++) {
    const start = localMidnight(timeZone, month.year, month.month, d)
    const end = localMidnight(timeZone, month.year, month.month, d + 1)
    const count = (end.getTime() - start.getTime()) / INTERVAL_MS
    const regular = count === 96
    const minutes = Array.from({ length: count }, (_, k) => {
      if (regular) return k * 15
      const local = localParts(timeZone, new Date(start.getTime() + k * INTERVAL_MS))
      return local.hour * 60 + local.minute
    })
    const utcDate = Date.UTC(month.year, month.month - 1, d)
    days.push({
      date: isoDate(month, d),
      start,
      end,
      info: { month: month.month, weekday: new Date(utcDate).getUTCDay(), dayOfYear: Math.round((utcDate - yearStart) / 86_400_000) + 1 },
      minutes,
    })
  }
  if (cache.size > 240) cache.clear()
  cache.set(key, days)
  return days
}
