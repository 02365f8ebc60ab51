import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { FormatsPlugin } from 'ajv-formats'
import type { TSchema } from 'typebox'
import { describe, expect, it } from 'vitest'
import { checkStrict, parseJson, parseLenient, schemaId, schemaRegistry, stringifyJson } from '../src/index.js'
import type { FixtureSet } from './fixture-harness.js'

// ajv-formats is CommonJS with a default export that TypeScript's NodeNext typing cannot reach.
const addFormats = createRequire(import.meta.url)('ajv-formats') as FormatsPlugin

// Every fixture module under test/fixtures/ exports default FixtureSet[].
const fixtureDir = new URL('./fixtures/', import.meta.url)
const modules = await Promise.all(
  readdirSync(fixtureDir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => import(new URL(name, fixtureDir).href) as Promise<{ default: FixtureSet[] }>),
)
const sets = modules.flatMap((m) => m.default)

// The emitted JSON Schema files, validated with an independent validator (Ajv, draft 2020-12).
const jsonSchemaDir = fileURLToPath(new URL('../json-schema/', import.meta.url))
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats(ajv)
for (const id of schemaRegistry().keys()) ajv.addSchema(JSON.parse(readFileSync(`${jsonSchemaDir}${id}.json`, 'utf8')) as object)

function decode(schema: TSchema, json: string): Record<string, any> {
  const result = parseLenient(schema, json)
  if (!result.ok) throw new Error(`fixture does not parse: ${JSON.stringify(result.errors)}`)
  return result.value as Record<string, any>
}

describe('fixtures', () => {
  it('cover every object schema of the registry', () => {
    const covered = new Set(sets.map((s) => schemaId(s.schema)))
    const objects = [...schemaRegistry().values()].filter((e) => (e.schema as { type?: unknown }).type === 'object').map((e) => e.id)
    expect(objects.filter((id) => !covered.has(id))).toEqual([])
  })

  for (const set of sets) {
    const id = schemaId(set.schema) ?? '(unnamed)'
    describe(id, () => {
      for (const fixture of set.valid) {
        it(`valid: ${fixture.name}`, () => {
          const lenient = parseLenient(set.schema, fixture.json)
          expect(lenient.ok && lenient.warnings).toEqual([])
          const decoded = decode(set.schema, fixture.json)
          expect(checkStrict(set.schema, decoded)).toEqual([])
          // Decoding and writing back loses nothing: every decimal keeps its exact text.
          expect(stringifyJson(decoded)).toBe(stringifyJson(parseJson(fixture.json)))
          const validate = ajv.getSchema(`https://cds-ts.dev/json-schema/${id}.json`)!
          expect(validate(JSON.parse(fixture.json)), JSON.stringify(validate.errors)).toBe(true)
        })
      }
      for (const fixture of set.invalid) {
        it(`invalid: ${fixture.name}`, () => {
          const base = set.valid[fixture.base ?? 0]!
          const value = decode(set.schema, base.json)
          fixture.mutate(value)
          expect(checkStrict(set.schema, value).length).toBeGreaterThan(0)
          const lenient = parseLenient(set.schema, value)
          if (fixture.lenient === 'error') {
            expect(lenient.ok).toBe(false)
          } else {
            expect(lenient.ok).toBe(true)
            if (lenient.ok) {
              if (fixture.lenient === 'warning') expect(lenient.warnings.length).toBeGreaterThan(0)
              else expect(lenient.warnings).toEqual([])
            }
          }
        })
      }
    })
  }
})
