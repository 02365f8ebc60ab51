import Type from 'typebox'
import { afterEach, describe, expect, it } from 'vitest'
import { buildSharedApp, type TestApp } from '../../test/shared-app.js'
import { parseFormBody } from './request-body.js'

let app: TestApp | undefined

afterEach(async () => {
  await app?.close()
  app = undefined
})

async function bodyApp(options: { bodyLimit?: number } = {}): Promise<TestApp> {
  const built = (await buildSharedApp(options)).app
  built.post('/messages', { schema: { body: Type.Object({ subject: Type.String() }) } }, async (request) => ({ subject: request.body.subject }))
  built.post(
    '/token',
    { config: { formBody: true }, schema: { body: Type.Object({ grant_type: Type.String(), scope: Type.Optional(Type.String()) }) } },
    async (request) => ({ grant_type: request.body.grant_type, scope: request.body.scope ?? null }),
  )
  return built
}

describe('CDS-WG1-02 A-14 JSON APIs read JSON whatever the Content-Type', () => {
  it('R1-02-X-04 parses a body sent without Content-Type', async () => {
    app = await bodyApp()
    const response = await app.inject({ method: 'POST', url: '/messages', body: '{"subject":"hello"}' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ subject: 'hello' })
  })

  it('R1-02-X-04 parses JSON sent as a form type, as curl --data-raw does', async () => {
    app = await bodyApp()
    for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=utf-8']) {
      const response = await app.inject({ method: 'POST', url: '/messages', headers: { 'content-type': type }, body: '{"subject":"hi"}' })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual({ subject: 'hi' })
    }
  })

  it('R1-02-X-04 answers a body that is not JSON with 400 invalid_request', async () => {
    app = await bodyApp()
    const response = await app.inject({ method: 'POST', url: '/messages', headers: { 'content-type': 'application/json' }, body: 'not json' })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/^the request body is not valid JSON/) })
  })

  it('answers an empty JSON body with a validation error, not a 500', async () => {
    app = await bodyApp()
    const response = await app.inject({ method: 'POST', url: '/messages', headers: { 'content-type': 'application/json' }, body: '' })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'the body must be object' })
  })

  it('answers a Content-Type header that does not parse with 415 invalid_request', async () => {
    app = await bodyApp()
    const response = await app.inject({ method: 'POST', url: '/messages', headers: { 'content-type': 'no/t/a/type' }, body: '{}' })
    expect(response.statusCode).toBe(415)
    expect(response.json()).toMatchObject({ error: 'invalid_request' })
  })

  it('answers a body over the limit with 413 content_too_large (A-51)', async () => {
    app = await bodyApp({ bodyLimit: 64 })
    const response = await app.inject({ method: 'POST', url: '/messages', body: JSON.stringify({ subject: 'x'.repeat(100) }) })
    expect(response.statusCode).toBe(413)
    expect(response.json()).toMatchObject({ error: 'content_too_large' })
  })
})

describe('RFC 6749 §3.2 OAuth endpoints take form bodies only', () => {
  it('RFC6749-01 reads application/x-www-form-urlencoded parameters', async () => {
    app = await bodyApp()
    const response = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      body: 'grant_type=client_credentials&scope=cds_client_admin+cds_grant_admin_1',
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ grant_type: 'client_credentials', scope: 'cds_client_admin cds_grant_admin_1' })
  })

  it('RFC6749-01 answers a JSON body with 400 invalid_request', async () => {
    app = await bodyApp()
    const response = await app.inject({ method: 'POST', url: '/token', payload: { grant_type: 'client_credentials' } })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({
      error: 'invalid_request',
      error_description: 'this endpoint takes application/x-www-form-urlencoded bodies, not application/json',
    })
  })

  it('RFC6749-07 answers a repeated parameter with 400 invalid_request', async () => {
    app = await bodyApp()
    const response = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&grant_type=client_credentials',
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: "the parameter 'grant_type' is repeated" })
  })

  it('RFC6749-07 treats a parameter without a value as absent', async () => {
    app = await bodyApp()
    const response = await app.inject({
      method: 'POST',
      url: '/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&scope=',
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ grant_type: 'refresh_token', scope: null })
    const missing = await app.inject({ method: 'POST', url: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=' })
    expect(missing.statusCode).toBe(400)
    expect(missing.json()).toEqual({ error: 'invalid_request', error_description: "the body parameter 'grant_type' is required" })
  })

  it('decodes percent-encoding and + as the form encoding defines', () => {
    expect(parseFormBody('a=x%20y&b=1+2&c=%E2%82%AC')).toEqual({ a: 'x y', b: '1 2', c: '€' })
    expect(() => parseFormBody('__proto__=x')).toThrow(/not allowed/)
  })
})
