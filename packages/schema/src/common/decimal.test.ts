import { describe, expect, it } from 'vitest'
import { Decimal } from './decimal.js'

describe('CDS-WG3-01 §2 decimal: Decimal', () => {
  it('keeps the exact text, trailing zeros included', () => {
    expect(Decimal.from('1.10').toString()).toBe('1.10')
    expect(Decimal.from('123456789012345678901234567890.000000001').toString()).toBe('123456789012345678901234567890.000000001')
    expect(Decimal.from('-0.5e-3').toString()).toBe('-0.5e-3')
  })

  it('accepts safe integers and bigints, refuses floats and non-numbers', () => {
    expect(Decimal.from(42).toString()).toBe('42')
    expect(Decimal.from(-0).toString()).toBe('0')
    expect(Decimal.from(12345678901234567890n).toString()).toBe('12345678901234567890')
    expect(() => Decimal.from(0.1)).toThrow(TypeError)
    expect(() => Decimal.from(2 ** 60)).toThrow(/safe integer/)
    for (const bad of ['', '1.', '.5', '01', '1,5', 'NaN', 'Infinity', '+1', '1e', ' 1']) {
      expect(() => Decimal.from(bad), bad).toThrow(/not a decimal number/)
    }
  })

  it('compares numerically, not textually', () => {
    expect(Decimal.from('1.10').equals('1.1')).toBe(true)
    expect(Decimal.from('1e2').equals('100.00')).toBe(true)
    expect(Decimal.from('0.000').equals('-0')).toBe(true)
    expect(Decimal.from('1.10').equals('1.01')).toBe(false)
    expect(Decimal.from('-2.5').equals('2.5')).toBe(false)
  })

  it('refuses JSON.stringify, which would lose the raw number', () => {
    expect(() => JSON.stringify({ amount: Decimal.from('1.10') })).toThrow(/stringifyJson/)
  })

  it('is immutable and recognisable', () => {
    const d = Decimal.from('3.14')
    expect(Object.isFrozen(d)).toBe(true)
    expect(Decimal.isDecimal(d)).toBe(true)
    expect(Decimal.isDecimal('3.14')).toBe(false)
    expect(Decimal.from(d)).toBe(d)
  })
})
