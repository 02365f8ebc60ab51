import { AuthorizationDetailsField, Cds, Decimal, Grant } from '@cds-ts/schema'
import Type from 'typebox'
import { afterEach, describe, expect, it } from 'vitest'
import { buildSharedApp, type TestApp } from '../../test/shared-app.js'
import { carriesDecimal, parseJsonBody } from './decimal-json.js'
import { ref } from './schemas.js'

const THIRTY_DIGITS = '123456789012345678901234567890'

/** A decimal Authorization Details Field (CDS-WG1-02 §3.8), written as raw JSON text. */
const fieldText = (maximum: string, minimum: string, extra = ''): string =>
  `{"id":"kwh","name":"Energy","description":"Energy limit","documentation":"https://utility.example.com/docs/kwh",` +
  `"for_types":["customer_data"],"format":"decimal","is_required":false,"maximum":${maximum},"minimum":${minimum}${extra}}`

let app: TestApp | undefined

afterEach(async () => {
  await app?.close()
  app = undefined
})

async function echoApp(): Promise<TestApp> {
  const built = (await buildSharedApp()).app
  built.post(
    '/echo',
    { config: { decimalJson: true }, schema: { body: ref(AuthorizationDetailsField), response: { 200: ref(AuthorizationDetailsField) } } },
    async (request) => {
      // The handler sees exact decimals, never floats.
      expect(request.body.maximum).toBeInstanceOf(Decimal)
      return { ...request.body, internal_note: 'never sent' }
    },
  )
  return built
}

describe('CDS-WG3-01 §2 decimal: exact digits from the socket to the socket', () => {
  it('round-trips 1.10 and a 30-digit value through a route', async () => {
    app = await echoApp()
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: fieldText('1.10', THIRTY_DIGITS),
    })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.body).toContain('"maximum":1.10')
    expect(response.body).toContain(`"minimum":${THIRTY_DIGITS}`)
    expect(response.body).toBe(fieldText('1.10', THIRTY_DIGITS))
  })

  it('keeps the response schema as the allow-list', async () => {
    app = await echoApp()
    const response = await app.inject({ method: 'POST', url: '/echo', payload: fieldText('2.50', '0.000000000000000000001', ',"extension":"x"') })
    expect(response.statusCode).toBe(200)
    expect(response.body).not.toContain('internal_note')
    expect(response.body).toContain('"minimum":0.000000000000000000001')
  })

  it('reads a decimal from a query string exactly', async () => {
    ;({ app } = await buildSharedApp())
    app.get('/filter', { schema: { querystring: Type.Object({ min: Cds.Decimal() }) } }, async (request) => ({
      min: String(request.query.min),
      exact: request.query.min instanceof Decimal,
    }))
    const ok = await app.inject({ method: 'GET', url: `/filter?min=${THIRTY_DIGITS}.10` })
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toEqual({ min: `${THIRTY_DIGITS}.10`, exact: true })
    const bad = await app.inject({ method: 'GET', url: '/filter?min=ten' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toEqual({ error: 'invalid_request', error_description: "the query parameter 'min' must be an exact decimal number" })
  })

  it('writes decimals exactly on every route, with the response schema as the allow-list', async () => {
    ;({ app } = await buildSharedApp())
    // Deliberately more than the schema names, to show the allow-list.
    const stored = { fields: [{ ...(parseJsonBody(fieldText('1.10', THIRTY_DIGITS), true) as object), internal_note: 'never sent' }], total: 1 }
    app.get('/fields', { schema: { response: { 200: Type.Object({ fields: Type.Array(ref(AuthorizationDetailsField)) }) } } }, async () => stored as never)
    const response = await app.inject({ method: 'GET', url: '/fields' })
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe(`{"fields":[${fieldText('1.10', THIRTY_DIGITS)}]}`)
  })

  it('serializes spec schemas that fast-json-stringify cannot compile (Grant)', async () => {
    ;({ app } = await buildSharedApp())
    const stored = { grant_id: 'g1', extra: 'dropped' }
    app.get('/grants/:grant_id', { schema: { response: { 200: ref(Grant) } } }, async () => stored as never)
    await expect(app.ready()).resolves.toBeDefined()
    const response = await app.inject({ method: 'GET', url: '/grants/g1' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ grant_id: 'g1' })
  })

  it('refuses at boot a route whose body carries a decimal without config.decimalJson', async () => {
    ;({ app } = await buildSharedApp())
    const a = app
    expect(() => a.post('/lossy', { schema: { body: Type.Object({ amount: Cds.Decimal() }) } }, async () => ({}))).toThrow(/POST \/lossy: its body schema/)
  })

  it('finds decimals through $refs and not where there are none', () => {
    expect(carriesDecimal({ $ref: 'AuthorizationServerMetadata' })).toBe(true)
    expect(carriesDecimal({ $ref: 'ScopeDescription#' })).toBe(true)
    expect(carriesDecimal({ $ref: 'Client' })).toBe(false)
    expect(carriesDecimal(Type.Object({ a: Type.String() }))).toBe(false)
  })
})

describe('CDS-WG3-01 §2 decimal: the JSON body reader', () => {
  it('keeps decimals exact only when asked', () => {
    expect(String((parseJsonBody('{"a":1.10}', true) as { a: Decimal }).a)).toBe('1.10')
    expect(parseJsonBody('{"a":1.10}', false)).toEqual({ a: 1.1 })
  })

  it('refuses prototype poisoning like Fastify does', () => {
    for (const decimals of [true, false]) {
      expect(() => parseJsonBody('{"__proto__":{"polluted":true}}', decimals)).toThrow(/forbidden __proto__/)
      expect(() => parseJsonBody('{"a":[{"constructor":{"prototype":{"x":1}}}]}', decimals)).toThrow(/forbidden/)
    }
    expect(parseJsonBody('{"constructor":"fine"}', true)).toEqual({ constructor: 'fine' })
  })

  it('answers malformed JSON on a decimalJson route with 400 invalid_request', async () => {
    app = await echoApp()
    const response = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload: '{"id":' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/^the request body is not valid JSON/) })
  })
})
