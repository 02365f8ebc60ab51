import { describe, expect, it } from 'vitest'
import {
  assertTimeZone,
  parseRelativeOrAbsoluteDate,
  parseRelativeOrAbsoluteDatetime,
  resolveDate,
  resolveDatetime,
  type RelativeDirection,
} from './relative-date.js'

const date = (text: string, now: string, timezone: string, direction: RelativeDirection = 'add') => {
  const parsed = parseRelativeOrAbsoluteDate(text)
  if (parsed === undefined) throw new Error(`not a date: ${text}`)
  return resolveDate(parsed, { now: new Date(now), timezone, direction })
}
const datetime = (text: string, now: string, timezone: string, direction: RelativeDirection = 'add') => {
  const parsed = parseRelativeOrAbsoluteDatetime(text)
  if (parsed === undefined) throw new Error(`not a datetime: ${text}`)
  return resolveDatetime(parsed, { now: new Date(now), timezone, direction })
}
const text = (resolved: ReturnType<typeof date>) => (resolved?.kind === 'point' ? resolved.text : resolved?.kind)

describe('CDS-WG1-02 §2 relative or absolute date grammar', () => {
  it('R1-02-2-04 accepts a full-date, a relative date and "infinite"', () => {
    expect(parseRelativeOrAbsoluteDate('2024-02-29')).toEqual({ kind: 'absolute', text: '2024-02-29' })
    expect(parseRelativeOrAbsoluteDate('P3Y')).toEqual({ kind: 'relative', duration: { years: 3, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 } })
    expect(parseRelativeOrAbsoluteDate('P0D')?.kind).toBe('relative')
    expect(parseRelativeOrAbsoluteDate('P1Y2M3D')).toMatchObject({ duration: { years: 1, months: 2, days: 3 } })
    expect(parseRelativeOrAbsoluteDate('P2W')).toMatchObject({ duration: { weeks: 2 } })
    expect(parseRelativeOrAbsoluteDate('infinite')).toEqual({ kind: 'infinite' })
  })

  it('R1-02-2-02 A-31 refuses time parts, signs, fractions and malformed dates', () => {
    for (const bad of ['P1DT2H', 'PT1M', 'PT0S', 'P', '-P1D', 'P1.5D', '2024-13-01', '2023-02-29', '2024-1-01', 'forever', 'Infinite', '2024-01-01T00:00:00Z']) {
      expect(parseRelativeOrAbsoluteDate(bad), bad).toBeUndefined()
    }
  })

  it('R1-02-2-03 R1-02-2-04 accepts a date-time, any duration, P0S as PT0S, and "infinite"', () => {
    expect(parseRelativeOrAbsoluteDatetime('P30DT2H')).toMatchObject({ kind: 'relative', duration: { days: 30, hours: 2 } })
    expect(parseRelativeOrAbsoluteDatetime('P0S')).toMatchObject({ kind: 'relative', duration: { seconds: 0 } })
    expect(parseRelativeOrAbsoluteDatetime('PT90M')).toMatchObject({ duration: { minutes: 90 } })
    expect(parseRelativeOrAbsoluteDatetime('2024-01-01T00:00:00.123456+05:30')?.kind).toBe('absolute')
    expect(parseRelativeOrAbsoluteDatetime('2024-01-01t00:00:00z')?.kind).toBe('absolute')
    expect(parseRelativeOrAbsoluteDatetime('2016-12-31T23:59:60Z')?.kind).toBe('absolute')
    for (const bad of ['2024-01-01', '2024-01-01T00:00:00', '2024-01-01T24:00:00Z', '2024-01-01T00:00:00+25:00', 'PT', 'P1H', 'now']) {
      expect(parseRelativeOrAbsoluteDatetime(bad), bad).toBeUndefined()
    }
  })
})

describe('CDS-WG1-02 §3.9 relative dates resolved in cds_timezone', () => {
  it('R1-02-3.9-03 "today" is the date in the zone, not in UTC', () => {
    // 03:00 UTC on 1 January is still 31 December in Los Angeles, already 1 January in Auckland.
    expect(text(date('P0D', '2025-01-01T03:00:00Z', 'America/Los_Angeles'))).toBe('2024-12-31')
    expect(text(date('P0D', '2025-01-01T03:00:00Z', 'Pacific/Auckland'))).toBe('2025-01-01')
    expect(text(date('P0D', '2024-12-31T11:30:00Z', 'Pacific/Auckland'))).toBe('2025-01-01')
  })

  it('R1-02-3.9-03 counts forward or back by the field direction', () => {
    expect(text(date('P3Y', '2025-06-15T12:00:00Z', 'UTC', 'add'))).toBe('2028-06-15')
    expect(text(date('P3Y', '2025-06-15T12:00:00Z', 'UTC', 'subtract'))).toBe('2022-06-15')
    expect(text(date('P2W', '2025-06-15T12:00:00Z', 'UTC', 'subtract'))).toBe('2025-06-01')
  })

  it('A-31 months clamp to the end of the month, leap years included', () => {
    expect(text(date('P1M', '2024-01-31T12:00:00Z', 'UTC'))).toBe('2024-02-29')
    expect(text(date('P1M', '2025-01-31T12:00:00Z', 'UTC'))).toBe('2025-02-28')
    expect(text(date('P1M', '2025-03-31T12:00:00Z', 'UTC', 'subtract'))).toBe('2025-02-28')
    expect(text(date('P1Y', '2024-02-29T12:00:00Z', 'UTC'))).toBe('2025-02-28')
    expect(text(date('P1M1D', '2025-01-31T12:00:00Z', 'UTC'))).toBe('2025-03-01')
  })

  it('keeps absolute dates and "infinite" as they are', () => {
    expect(text(date('2030-01-01', '2025-01-01T00:00:00Z', 'UTC'))).toBe('2030-01-01')
    expect(date('infinite', '2025-01-01T00:00:00Z', 'UTC')).toEqual({ kind: 'infinite' })
  })

  it('refuses results beyond year 9999', () => {
    expect(date('P8000Y', '2025-01-01T00:00:00Z', 'UTC')).toBeUndefined()
    expect(date('P99999999999999999999D', '2025-01-01T00:00:00Z', 'UTC')).toBeUndefined()
    expect(datetime('PT99999999999999999999S', '2025-01-01T00:00:00Z', 'UTC')).toBeUndefined()
  })
})

describe('CDS-WG1-02 §3.9 relative datetimes at DST and zone edges', () => {
  const NY = 'America/New_York'

  it('R1-02-3.9-03 a day across spring-forward is 23 hours; PT24H is 24 hours', () => {
    // 2025-03-08 12:00 EST; clocks spring forward at 02:00 on 2025-03-09.
    const p1d = datetime('P1D', '2025-03-08T17:00:00Z', NY)
    expect(p1d).toEqual({ kind: 'point', time: Date.parse('2025-03-09T16:00:00Z'), text: '2025-03-09T12:00:00-04:00' })
    expect(text(datetime('PT24H', '2025-03-08T17:00:00Z', NY))).toBe('2025-03-09T13:00:00-04:00')
  })

  it('R1-02-3.9-03 a day across fall-back is 25 hours', () => {
    const p1d = datetime('P1D', '2025-11-01T16:00:00Z', NY)
    expect(p1d).toMatchObject({ time: Date.parse('2025-11-02T17:00:00Z'), text: '2025-11-02T12:00:00-05:00' })
  })

  it('a wall time the spring-forward gap skips moves forward by the gap', () => {
    // 2025-03-08 02:30 EST + P1D = 2025-03-09 02:30, which does not exist: 03:30 EDT.
    expect(text(datetime('P1D', '2025-03-08T07:30:00Z', NY))).toBe('2025-03-09T03:30:00-04:00')
  })

  it('a wall time that occurs twice at fall-back takes the earlier instant', () => {
    // 2025-11-01 01:30 EDT + P1D = 2025-11-02 01:30, which occurs at -04:00 and again at -05:00.
    expect(text(datetime('P1D', '2025-11-01T05:30:00Z', NY))).toBe('2025-11-02T01:30:00-04:00')
  })

  it('time-only durations never move the wall clock through an ambiguous hour', () => {
    // 01:30 EST (the second 01:30) + PT0S stays that instant, not the earlier 01:30 EDT.
    expect(datetime('PT0S', '2025-11-02T06:30:00Z', NY)).toMatchObject({ time: Date.parse('2025-11-02T06:30:00Z'), text: '2025-11-02T01:30:00-05:00' })
    expect(text(datetime('P0S', '2025-11-02T06:30:00.250Z', 'UTC'))).toBe('2025-11-02T06:30:00.250Z')
  })

  it('counts back for a historical field, and uses half-hour and positive offsets', () => {
    expect(text(datetime('P1M', '2025-03-31T10:00:00Z', 'Asia/Kolkata', 'subtract'))).toBe('2025-02-28T15:30:00+05:30')
    expect(text(datetime('PT2H', '2025-01-01T00:00:00Z', 'Europe/Brussels', 'subtract'))).toBe('2024-12-31T23:00:00+01:00')
  })

  it('keeps absolute datetimes with their own offset', () => {
    expect(datetime('2024-01-01T00:00:00+01:00', '2025-01-01T00:00:00Z', NY)).toEqual({
      kind: 'point',
      time: Date.parse('2023-12-31T23:00:00Z'),
      text: '2024-01-01T00:00:00+01:00',
    })
  })

  it('R1-02-2-07 refuses an unknown time zone', () => {
    expect(() => assertTimeZone('Mars/Olympus_Mons')).toThrow(TypeError)
    expect(() => assertTimeZone('America/Chicago')).not.toThrow()
  })
})
