import { describe, expect, it } from 'vitest'
import { Decimal } from './decimal.js'
import { parseJson, stringifyJson } from './json.js'

describe('CDS-WG3-01 §2 decimal: lossless JSON', () => {
  it('round-trips 1.10 and a 30-digit value byte for byte', () => {
    const text = '{"a":1.10,"b":123456789012345678901234567890.123,"c":[0.000000000000000000001,-7.50e+3]}'
    const value = parseJson(text) as { a: Decimal; b: Decimal; c: Decimal[] }
    expect(value.a).toBeInstanceOf(Decimal)
    expect(value.a.toString()).toBe('1.10')
    expect(value.b.toString()).toBe('123456789012345678901234567890.123')
    expect(stringifyJson(value)).toBe(text)
  })

  it('reads safe integers as numbers and large integers as decimals', () => {
    const value = parseJson('{"n":42,"m":-9007199254740991,"big":9007199254740993}') as Record<string, unknown>
    expect(value.n).toBe(42)
    expect(value.m).toBe(-9007199254740991)
    expect(value.big).toBeInstanceOf(Decimal)
    expect(String(value.big)).toBe('9007199254740993')
  })

  it('writes Decimals as raw numbers and everything else as JSON.stringify would', () => {
    const value = { s: 'x"y', n: null, b: true, d: Decimal.from('0.10'), list: [1, 'two'] }
    expect(stringifyJson(value)).toBe('{"s":"x\\"y","n":null,"b":true,"d":0.10,"list":[1,"two"]}')
    expect(stringifyJson({ d: Decimal.from('2.50') }, 2)).toBe('{\n  "d": 2.50\n}')
  })

  it('reports bad JSON as a SyntaxError', () => {
    expect(() => parseJson('{"a":1,}')).toThrow(SyntaxError)
  })
})
