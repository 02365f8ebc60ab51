import { describe, expect, it } from 'vitest'
import { isPlainDecimal, negate, scaleOf, shift, toScaledInteger } from './exact-decimal.js'
import { LocalTime, LOCAL_TIME_PRESETS } from './local-time.js'

const at = (iso: string) => Date.parse(iso) / 1000

describe('ESPI LocalTimeParameters (months cut in local time, catalog §3.2 [A-42])', () => {
  const eastern = new LocalTime(LOCAL_TIME_PRESETS['us-eastern'] ?? { tzOffset: 0, dstOffset: 0, dstStartRule: '0', dstEndRule: '0' })

  it('decodes the US rules: DST from the second Sunday of March 02:00 EST to the first Sunday of November 02:00 EDT', () => {
    expect(eastern.offsetAt(at('2025-03-09T06:59:59Z'))).toBe(-18000)
    expect(eastern.offsetAt(at('2025-03-09T07:00:00Z'))).toBe(-14400)
    expect(eastern.offsetAt(at('2025-11-02T05:59:59Z'))).toBe(-14400)
    expect(eastern.offsetAt(at('2025-11-02T06:00:00Z'))).toBe(-18000)
    expect(eastern.offsetAt(at('2024-03-10T07:00:00Z'))).toBe(-14400)
  })

  it('assigns instants to local months', () => {
    expect(eastern.monthOf(at('2025-02-01T04:59:59Z'))).toBe('2025-01')
    expect(eastern.monthOf(at('2025-02-01T05:00:00Z'))).toBe('2025-02')
    expect(eastern.monthOf(at('2025-07-01T03:59:59Z'))).toBe('2025-06')
    expect(eastern.monthOf(at('2025-07-01T04:00:00Z'))).toBe('2025-07')
  })

  it('handles southern-hemisphere rules and the last-weekday operator (first Sunday of October to first Sunday of April, 02:00/03:00)', () => {
    // Sydney: +10:00, DST from the first Sunday of October 02:00 to the first Sunday of April 03:00.
    const sydney = new LocalTime({ tzOffset: 36000, dstOffset: 3600, dstStartRule: 'A40E2000', dstEndRule: '440E3000' })
    expect(sydney.offsetAt(at('2025-01-15T00:00:00Z'))).toBe(39600)
    expect(sydney.offsetAt(at('2025-06-15T00:00:00Z'))).toBe(36000)
    // Last Sunday of March 01:00 UTC (EU): operator 7.
    const london = new LocalTime({ tzOffset: 0, dstOffset: 3600, dstStartRule: '3E0E1000', dstEndRule: 'AE0E2000' })
    expect(london.offsetAt(at('2025-03-30T00:59:59Z'))).toBe(0)
    expect(london.offsetAt(at('2025-03-30T01:00:00Z'))).toBe(3600)
    expect(london.offsetAt(at('2025-10-26T00:59:59Z'))).toBe(3600)
    expect(london.offsetAt(at('2025-10-26T01:00:00Z'))).toBe(0)
  })

  it('refuses a rule that is not hex', () => {
    expect(() => new LocalTime({ tzOffset: 0, dstOffset: 3600, dstStartRule: 'xyz', dstEndRule: '0' })).toThrow('is not a DST rule')
  })
})

describe('exact decimal shifts (catalog §5.2: never through a float)', () => {
  it('shifts the decimal point keeping the resolution', () => {
    expect(shift('134000', -6)).toBe('0.134000')
    expect(shift('37', -3)).toBe('0.037')
    expect(shift('5', 1)).toBe('50')
    expect(shift('-0', -3)).toBe('0.000')
    expect(shift('-12345678901234567891', -3)).toBe('-12345678901234567.891')
    expect(shift('007', 0)).toBe('7')
  })

  it('goes back to an integer at a given scale', () => {
    expect(toScaledInteger('0.134000', 6)).toBe('134000')
    expect(toScaledInteger('0.5', 3)).toBe('500')
    expect(toScaledInteger('-0.037', 3)).toBe('-37')
    expect(toScaledInteger('0.000', 3)).toBe('0')
    expect(() => toScaledInteger('0.1234', 3)).toThrow(RangeError)
    expect(scaleOf('2.150')).toBe(3)
    expect(negate('0.000')).toBe('0.000')
    expect(negate('-0.410')).toBe('0.410')
    expect(isPlainDecimal('1e3')).toBe(false)
  })
})
