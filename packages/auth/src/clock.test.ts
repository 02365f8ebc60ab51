import { describe, expect, it } from 'vitest'
import { addSeconds, fixedClock, fromEpochSeconds, isExpired, manualClock, nowSeconds, secondsUntil, systemClock, toEpochSeconds } from './clock.js'

describe('injectable clock', () => {
  it('systemClock follows the real time', () => {
    const before = Date.now()
    const now = systemClock.now().getTime()
    expect(now).toBeGreaterThanOrEqual(before)
    expect(now).toBeLessThanOrEqual(Date.now())
  })

  it('fixedClock never moves and hands out fresh Dates', () => {
    const clock = fixedClock('2025-01-01T00:00:00Z')
    const a = clock.now()
    a.setFullYear(1999)
    expect(clock.now().toISOString()).toBe('2025-01-01T00:00:00.000Z')
  })

  it('manualClock is set and advanced by tests', () => {
    const clock = manualClock(new Date('2025-01-01T00:00:00Z'))
    clock.advance(90)
    expect(clock.now().toISOString()).toBe('2025-01-01T00:01:30.000Z')
    clock.advance(-30)
    expect(clock.now().toISOString()).toBe('2025-01-01T00:01:00.000Z')
    clock.set(0)
    expect(clock.now().getTime()).toBe(0)
    expect(() => {
      clock.advance(Number.NaN)
    }).toThrow(TypeError)
  })

  it('refuses an invalid time', () => {
    expect(() => fixedClock('not a date')).toThrow(TypeError)
  })
})

describe('RFC 7591 §3.2.1 epoch seconds', () => {
  it('round down and convert back', () => {
    expect(toEpochSeconds(new Date(1_700_000_000_999))).toBe(1_700_000_000)
    expect(fromEpochSeconds(1_700_000_000).getTime()).toBe(1_700_000_000_000)
    expect(nowSeconds(fixedClock(1_700_000_000_500))).toBe(1_700_000_000)
  })
})

describe('CDS-WG1-02 §7.6 expiry', () => {
  const clock = manualClock('2025-01-01T00:00:00Z')
  const expires = addSeconds(clock.now(), 60)

  it('R1-02-7.6-06 is live before, and expired at and after, the expiry instant', () => {
    expect(isExpired(expires, clock)).toBe(false)
    expect(secondsUntil(expires, clock)).toBe(60)
    clock.advance(59.5)
    expect(isExpired(expires, clock)).toBe(false)
    expect(secondsUntil(expires, clock)).toBe(0)
    clock.advance(0.5)
    expect(isExpired(expires, clock)).toBe(true)
    clock.advance(10)
    expect(isExpired(expires, clock)).toBe(true)
    expect(secondsUntil(expires, clock)).toBe(0)
  })
})
