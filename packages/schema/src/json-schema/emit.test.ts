import Type from 'typebox'
import { describe, expect, it } from 'vitest'
import { Cds } from '../common/cds.js'
import { openApiComponents } from './openapi.js'
import { JSON_SCHEMA_DIALECT, toJsonSchema } from './emit.js'

const Inner = Type.Object({ x: Type.String() }, { $id: 'TestInner' })
const Outer = Type.Object({ amount: Cds.Decimal({ description: 'money' }), inner: Inner, list: Type.Array(Inner) }, { $id: 'TestOuter', description: 'outer (TEST §1)' })

describe('JSON Schema emitter', () => {
  it('writes a standalone 2020-12 document with an absolute $id', () => {
    const doc = toJsonSchema(Outer)
    expect(doc.$schema).toBe(JSON_SCHEMA_DIALECT)
    expect(doc.$id).toBe('https://cds-ts.dev/json-schema/TestOuter.json')
    expect(doc.description).toBe('outer (TEST §1)')
  })

  it('writes decimals as JSON numbers marked x-cds-decimal', () => {
    const doc = toJsonSchema(Outer) as { properties: Record<string, unknown> }
    expect(doc.properties.amount).toEqual({ description: 'money', 'x-cds-decimal': true, type: 'number' })
  })

  it('refers to nested named schemas instead of copying them', () => {
    const doc = toJsonSchema(Outer) as { properties: Record<string, unknown> }
    expect(doc.properties.inner).toEqual({ $ref: 'TestInner.json' })
    expect(doc.properties.list).toEqual({ type: 'array', items: { $ref: 'TestInner.json' } })
  })

  it('leaves out TypeBox internals', () => {
    expect(JSON.stringify(toJsonSchema(Outer))).not.toMatch(/~/)
    expect(Object.getOwnPropertyNames(toJsonSchema(Outer)).some((k) => k.startsWith('~'))).toBe(false)
  })

  it('gives OpenAPI components with #/components/schemas references', () => {
    const { schemas } = openApiComponents()
    expect(schemas.CoverageListing).toMatchObject({
      properties: { coverage_entries: { type: 'array', items: { $ref: '#/components/schemas/CoverageEntry' } } },
    })
    expect(schemas.CoverageListing).not.toHaveProperty('$id')
  })
})
