import { AuthorizationDetailsField, Client, schemaRegistry, type Decimal } from '@cds-ts/schema'
import Type, { type Static } from 'typebox'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { buildSharedApp, type TestApp } from '../../test/shared-app.js'
import { ref, sharedSchemas } from './schemas.js'

/** A valid Authorization Details Field (CDS-WG1-02 §3.8) with integer limits. */
const field = {
  id: 'max_days',
  name: 'Maximum days',
  description: 'How many days of history',
  documentation: 'https://utility.example.com/docs/max_days',
  for_types: ['customer_data'],
  format: 'int',
  is_required: false,
  maximum: 365,
  minimum: 1,
}

let app: TestApp | undefined

afterEach(async () => {
  await app?.close()
  app = undefined
})

describe('STYLE §2.3 shared schemas: addSchema once, ref() by $id', () => {
  it('registers every schema of @cds-ts/schema under its $id', async () => {
    ;({ app } = await buildSharedApp())
    await app.ready()
    const ids = [...schemaRegistry().keys()]
    expect(ids.length).toBeGreaterThan(100)
    for (const id of ids) expect(app.getSchema(id)).toMatchObject({ $id: id })
    expect(sharedSchemas().map((schema) => schema.$id)).toEqual(ids)
  })

  it('compiles every shared schema under Ajv 2020 (prefixItems, $ref between schemas)', async () => {
    ;({ app } = await buildSharedApp())
    const a = app
    let i = 0
    for (const id of schemaRegistry().keys()) {
      a.post(`/compile/${i++}`, { config: { decimalJson: true }, schema: { body: Type.Ref(id) } }, async () => ({}))
    }
    await expect(a.ready()).resolves.toBeDefined()
  })

  it('ref() is a $ref to the $id that keeps the static type', () => {
    const schema = ref(Client)
    expect(schema).toEqual({ $ref: 'Client' })
    const _fieldRef = ref(AuthorizationDetailsField)
    expectTypeOf<Static<typeof _fieldRef>>().toEqualTypeOf<Static<typeof AuthorizationDetailsField>>()
    expect(() => ref(Type.String())).toThrow(TypeError)
  })

  it('validates through $ref and types the handler body', async () => {
    ;({ app } = await buildSharedApp())
    app.post(
      '/fields',
      { config: { decimalJson: true }, schema: { body: Type.Object({ fields: Type.Array(ref(AuthorizationDetailsField)) }) } },
      async (request) => {
        expectTypeOf(request.body.fields[0]!.id).toEqualTypeOf<string>()
        expectTypeOf(request.body.fields[0]!.maximum).toEqualTypeOf<string | number | Decimal | undefined>()
        return { ids: request.body.fields.map((f) => f.id) }
      },
    )
    const ok = await app.inject({ method: 'POST', url: '/fields', payload: { fields: [field] } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ ids: ['max_days'] })

    const bad = await app.inject({ method: 'POST', url: '/fields', payload: { fields: [{ ...field, format: 'nonsense' }] } })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ error: 'invalid_request', error_description: expect.stringContaining("'fields/0/format'") })

    const missing = await app.inject({ method: 'POST', url: '/fields', payload: { fields: [{ ...field, id: undefined }] } })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toEqual({ error: 'invalid_request', error_description: "the body parameter 'fields/0/id' is required" })
  })

  it('rejects unknown properties where additionalProperties is false instead of stripping them', async () => {
    ;({ app } = await buildSharedApp())
    app.post('/closed', { schema: { body: Type.Object({ a: Type.String() }, { additionalProperties: false }) } }, async (request) => request.body)
    const response = await app.inject({ method: 'POST', url: '/closed', payload: { a: 'x', b: 'y' } })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: "the body parameter 'b' is not allowed" })
  })

  it('applies the formats of the shared schemas (uri)', async () => {
    ;({ app } = await buildSharedApp())
    app.post('/field', { config: { decimalJson: true }, schema: { body: ref(AuthorizationDetailsField) } }, async (request) => ({ id: request.body.id }))
    const response = await app.inject({ method: 'POST', url: '/field', payload: { ...field, documentation: 'not a url' } })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: "the body parameter 'documentation' must match format 'uri'" })
  })
})
