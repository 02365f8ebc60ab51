import Type from 'typebox'
import { describe, expect, it } from 'vitest'
import { Cds } from './cds.js'
import { Decimal } from './decimal.js'
import { assertStrict, checkStrict, parseLenient, SchemaValidationError } from './validate.js'

const Color = Cds.Enum(['red', 'green'], { $id: 'TestColor' })
const Thing = Type.Object(
  {
    id: Type.String(),
    color: Color,
    amount: Cds.Decimal(),
    maybe: Cds.Nullable(Cds.Decimal()),
    tags: Type.Optional(Type.Array(Color)),
  },
  { $id: 'TestThing' },
)

describe('strict check (what a server emits)', () => {
  it('accepts exact decimals and safe integers', () => {
    expect(checkStrict(Thing, { id: 'a', color: 'red', amount: Decimal.from('1.10'), maybe: null })).toEqual([])
    expect(checkStrict(Thing, { id: 'a', color: 'red', amount: 5, maybe: Decimal.from('2') })).toEqual([])
  })

  it('refuses a float where a decimal is required, naming the path', () => {
    const issues = checkStrict(Thing, { id: 'a', color: 'red', amount: 0.1, maybe: null })
    expect(issues).toEqual([expect.objectContaining({ path: '/amount', keyword: 'decimal' })])
  })

  it('refuses unknown enum values, missing fields and null where not nullable', () => {
    expect(checkStrict(Thing, { id: 'a', color: 'blue', amount: 1, maybe: null })).toEqual([expect.objectContaining({ path: '/color', keyword: 'enum' })])
    expect(checkStrict(Thing, { color: 'red', amount: 1, maybe: null })).toEqual([expect.objectContaining({ keyword: 'required' })])
    expect(checkStrict(Thing, { id: null, color: 'red', amount: 1, maybe: null })[0]).toMatchObject({ path: '/id', keyword: 'type' })
  })

  it('allows extension fields unless closed', () => {
    const value = { id: 'a', color: 'red', amount: 1, maybe: null, example_extra: true }
    expect(checkStrict(Thing, value)).toEqual([])
    expect(checkStrict(Thing, value, { closed: true })).toEqual([expect.objectContaining({ path: '/example_extra', keyword: 'additionalProperties' })])
  })

  it('assertStrict throws a SchemaValidationError with every issue', () => {
    expect(() => assertStrict(Thing, { id: 'a', color: 'x', amount: 0.5, maybe: null })).toThrow(SchemaValidationError)
    try {
      assertStrict(Thing, { id: 'a', color: 'x', amount: 0.5, maybe: null })
    } catch (error) {
      expect((error as SchemaValidationError).issues.map((i) => i.path).sort()).toEqual(['/amount', '/color'])
      expect((error as SchemaValidationError).schemaId).toBe('TestThing')
    }
  })
})

describe('lenient parse (what a client receives)', () => {
  it('decodes decimals from JSON text exactly, as Decimal', () => {
    const result = parseLenient(Thing, '{"id":"a","color":"red","amount":1.10,"maybe":7}')
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.amount).toBeInstanceOf(Decimal)
    expect(result.value.amount.toString()).toBe('1.10')
    expect(result.value.maybe?.toString()).toBe('7')
    expect(result.warnings).toEqual([])
  })

  it('keeps unknown fields and unknown enum strings, with a warning for the enum', () => {
    const result = parseLenient(Thing, '{"id":"a","color":"blue","amount":1,"maybe":null,"tags":["green","mauve"],"ext_field":{"x":1}}')
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.color).toBe('blue')
    expect((result.value as Record<string, unknown>).ext_field).toEqual({ x: 1 })
    expect(result.warnings.map((w) => w.path).sort()).toEqual(['/color', '/tags/1'])
  })

  it('accepts a decimal sent as a float or a string, with a warning', () => {
    const result = parseLenient(Thing, { id: 'a', color: 'red', amount: 0.1, maybe: '2.50' })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.value.amount.toString()).toBe('0.1')
    expect(result.value.maybe?.toString()).toBe('2.50')
    expect(result.warnings.map((w) => w.keyword)).toEqual(['decimal', 'decimal'])
  })

  it('does not change the value it was given', () => {
    const input = { id: 'a', color: 'red', amount: 3, maybe: null }
    parseLenient(Thing, input)
    expect(input.amount).toBe(3)
  })

  it('refuses missing required fields, wrong types, null where not nullable and bad JSON', () => {
    expect(parseLenient(Thing, '{"color":"red","amount":1,"maybe":null}').ok).toBe(false)
    expect(parseLenient(Thing, '{"id":"a","color":"red","amount":"lots","maybe":null}').ok).toBe(false)
    expect(parseLenient(Thing, '{"id":"a","color":"red","amount":null,"maybe":null}').ok).toBe(false)
    const bad = parseLenient(Thing, '{"id":')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.errors[0]?.keyword).toBe('json')
  })
})
