import { describe, expect, it } from 'vitest'
import { Decimal } from '../common/decimal.js'
import { parseLenientJson } from './lenient-json.js'

const kinds = (text: string) => parseLenientJson(text).problems.map((p) => p.kind)

describe('lenient JSON: strict input', () => {
  it('reads strict JSON as clean, with no problems', () => {
    const r = parseLenientJson('{"a": [1, "x", true, null], "b": {"c": -2}}')
    expect(r.status).toBe('clean')
    expect(r.problems).toEqual([])
    expect(r.value).toEqual({ a: [1, 'x', true, null], b: { c: -2 } })
  })

  it('keeps decimals exact, also after repairs', () => {
    const r = parseLenientJson('{"amount_due": 2000.00, "big": 123456789012345678.123, "rate": 0.10,}')
    expect(r.status).toBe('repaired')
    const value = r.value as Record<string, unknown>
    expect(value.amount_due).toBeInstanceOf(Decimal)
    expect(String(value.amount_due)).toBe('2000.00')
    expect(String(value.big)).toBe('123456789012345678.123')
    expect(String(value.rate)).toBe('0.10')
    expect(r.text).toBe('{"amount_due":2000.00,"big":123456789012345678.123,"rate":0.10}')
  })

  it('numbers lines from firstLine and records where each value starts', () => {
    const r = parseLenientJson('{\n  "a": 1,\n  "b": [\n    2,\n  ]\n}', { firstLine: 100 })
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'trailing-comma', line: 103 })])
    expect(r.lines.get('')).toBe(100)
    expect(r.lines.get('/a')).toBe(101)
    expect(r.lines.get('/b/0')).toBe(103)
  })
})

describe('lenient JSON: each repair', () => {
  it('removes trailing commas in objects and arrays', () => {
    const r = parseLenientJson('{"a": [1, 2,], "b": 3,}')
    expect(kinds('{"a": [1, 2,], "b": 3,}')).toEqual(['trailing-comma', 'trailing-comma'])
    expect(r.value).toEqual({ a: [1, 2], b: 3 })
  })

  it('inserts a forgotten comma between members and between items', () => {
    const r = parseLenientJson('{\n"a": ["x"]\n"b": 1\n}')
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'missing-comma', line: 3 })])
    expect(r.value).toEqual({ a: ['x'], b: 1 })
    expect(parseLenientJson('["x" "y"]').value).toEqual(['x', 'y'])
  })

  it('removes //, /* */ and # comments, but not inside strings', () => {
    const r = parseLenientJson('{\n"u": "https://a/#x", // note\n/* block */ "v": 1 # shell note\n}')
    expect(kinds('{\n"u": "https://a/#x", // note\n/* block */ "v": 1 # shell note\n}')).toEqual(['comment', 'comment', 'comment'])
    expect(r.value).toEqual({ u: 'https://a/#x', v: 1 })
  })

  it('reads ... as elided members, items and values, and records where', () => {
    const r = parseLenientJson('{\n  ...\n  "a": [1, ...],\n  "b": ...,\n  "c": {...},\n  "d": "...",\n  "e": [...]\n}')
    expect(r.status).toBe('repaired')
    expect(r.value).toEqual({ a: [1], b: null, c: {}, d: '...', e: [] })
    expect(r.elisions).toEqual(
      expect.arrayContaining([
        { pointer: '', kind: 'members' },
        { pointer: '/a', kind: 'items' },
        { pointer: '/b', kind: 'value' },
        { pointer: '/c', kind: 'members' },
        { pointer: '/d', kind: 'value' },
        { pointer: '/e', kind: 'items' },
      ]),
    )
    expect(r.problems.filter((p) => p.kind === 'elision').map((p) => p.line)).toEqual([2, 3, 4, 5, 7])
    expect(r.problems.find((p) => p.kind === 'placeholder')?.line).toBe(6)
  })

  it('reads <placeholders> and JavaScript spreads as elisions', () => {
    const r = parseLenientJson('{ "<key>": [ <objects> ], "next": <URL|null> }')
    expect(r.value).toEqual({ next: null })
    expect(r.elisions).toEqual(expect.arrayContaining([{ pointer: '', kind: 'members' }, { pointer: '/next', kind: 'value' }]))
    const spread = parseLenientJson('{...obj, "a": 1}')
    expect(spread.value).toEqual({ a: 1 })
    expect(spread.elisions).toEqual([{ pointer: '', kind: 'members' }])
  })

  it('reads single-quoted strings and unquoted names and words with json5', () => {
    const r = parseLenientJson("{name: 'it\\'s', 'b': yes}")
    expect(r.value).toEqual({ name: "it's", b: 'yes' })
    expect(r.problems.map((p) => p.kind)).toEqual(['unquoted-key', 'single-quoted', 'single-quoted', 'unquoted-value'])
  })

  it('rewrites JSON5 numbers as JSON numbers without losing digits', () => {
    const r = parseLenientJson('[+1, .5, 5., 0x10, 1.50]')
    expect(r.text).toBe('[1,0.5,5,16,1.50]')
    expect(r.problems.filter((p) => p.kind === 'json5-number')).toHaveLength(4)
  })

  it('keeps the later of two members with the same name and says so', () => {
    const r = parseLenientJson('{"related": ["a"],\n "related": []}')
    expect(r.value).toEqual({ related: [] })
    expect(r.problems).toEqual([expect.objectContaining({ kind: 'duplicate-key', line: 2 })])
  })

  it('closes a cut-off text and marks the rest as elided', () => {
    const r = parseLenientJson('[{"type":"x","grant_id":"c644')
    expect(r.status).toBe('repaired')
    expect(r.value).toEqual([{ type: 'x', grant_id: 'c644' }])
    expect(r.problems.map((p) => p.kind)).toEqual(['truncated', 'truncated', 'truncated'])
    expect(r.elisions).toEqual(expect.arrayContaining([{ pointer: '/0', kind: 'members' }, { pointer: '', kind: 'items' }]))
  })

  it('reads a bare list of members as a partial object', () => {
    const r = parseLenientJson('"formats": [],\n"values": [[null]]')
    expect(r.value).toEqual({ formats: [], values: [[null]] })
    expect(r.problems[0]?.kind).toBe('fragment')
    expect(r.elisions).toContainEqual({ pointer: '', kind: 'members' })
  })

  it('reads shell variables inside strings as elided values when asked', () => {
    const r = parseLenientJson('[{"type": "$SCOPE", "jwk": $KEY}]', { shellVariables: true })
    expect(r.elisions).toEqual(expect.arrayContaining([{ pointer: '/0/type', kind: 'value' }, { pointer: '/0/jwk', kind: 'value' }]))
    expect(parseLenientJson('["$SCOPE"]').elisions).toEqual([])
  })
})

describe('lenient JSON: what cannot be read', () => {
  it.each(['', '{"a" 1}', '}{', '{"a": 1} trailing', '[Infinity]', '{"a": @}'])('reports %j as unparseable without throwing', (text) => {
    const r = parseLenientJson(text)
    expect(r.status).toBe('unparseable')
    expect(r.value).toBeUndefined()
    expect(r.problems.some((p) => p.kind === 'syntax')).toBe(true)
  })
})
