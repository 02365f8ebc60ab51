import { createHash } from 'node:crypto'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_BASE_URL, testConfig } from '../../../test/discovery-app.js'
import { errorHandlerPlugin } from '../../shared/error-handler.js'
import { schemaController, schemasPlugin } from '../../shared/schemas.js'
import { RECEIPT_CONTENT_SECURITY_POLICY, receiptPlugin, renderReceipt } from './receipt.js'

const RECEIPT = '/oauth/receipt'

function expectPageHeaders(response: LightMyRequestResponse): void {
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
  expect(response.headers['content-security-policy']).toBe(RECEIPT_CONTENT_SECURITY_POLICY)
  expect(response.headers['x-content-type-options']).toBe('nosniff')
  expect(response.headers['x-frame-options']).toBe('DENY')
  expect(response.headers['referrer-policy']).toBe('no-referrer')
  expect(response.headers['cache-control']).toBe('no-store')
}

describe('CDS-WG1-02 §4.2 default redirect_uri: the authorization receipt page', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = Fastify({ schemaController })
    await app.register(errorHandlerPlugin, { realm: TEST_BASE_URL })
    await app.register(schemasPlugin)
    await app.register(receiptPlugin, { config: testConfig() })
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
  })

  it('R1-02-4.2-14 a successful authorization shows a receipt with the state, never the code (A-43)', async () => {
    const response = await app.inject({ method: 'GET', url: `${RECEIPT}?code=SECRET-CODE-123&state=order-42&iss=${encodeURIComponent(TEST_BASE_URL)}` })
    expect(response.statusCode).toBe(200)
    expectPageHeaders(response)
    expect(response.body).toMatch(/^<!doctype html>/)
    expect(response.body).toContain('<title>Authorization complete</title>')
    expect(response.body).toContain('<code>order-42</code>')
    expect(response.body).not.toContain('SECRET-CODE-123')
  })

  it('R1-02-4.2-14 a declined or failed authorization shows the error and its description', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `${RECEIPT}?error=access_denied&error_description=${encodeURIComponent('The customer declined.')}&state=s1`,
    })
    expect(response.statusCode).toBe(200)
    expectPageHeaders(response)
    expect(response.body).toContain('<title>Authorization not completed</title>')
    expect(response.body).toContain('<code>access_denied</code>')
    expect(response.body).toContain('<dd>The customer declined.</dd>')
    expect(response.body).toContain('<code>s1</code>')
  })

  it('every value is HTML-escaped: markup in the query never becomes markup in the page', () => {
    const attack = `<script>alert(1)</script>"'&<img src=x onerror=alert(2)>`
    const { body } = renderReceipt({ error: attack, error_description: attack, state: attack })
    expect(body).not.toContain('<script>')
    expect(body).not.toContain('<img')
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;')
  })

  it('the page loads nothing: no script, no external resource, and its one style is the one the CSP allows', async () => {
    const response = await app.inject({ method: 'GET', url: `${RECEIPT}?code=c` })
    expect(response.body).not.toMatch(/<script|<link|<img|<iframe|src=|href=/i)
    const style = /<style>([^<]*)<\/style>/.exec(response.body)?.[1] ?? ''
    const hash = createHash('sha256').update(style, 'utf8').digest('base64')
    expect(RECEIPT_CONTENT_SECURITY_POLICY).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`)
  })

  it('opened without an authorization response: a 400 page', async () => {
    const response = await app.inject({ method: 'GET', url: RECEIPT })
    expect(response.statusCode).toBe(400)
    expectPageHeaders(response)
    expect(response.body).toContain('<title>No authorization result</title>')
  })

  it('RFC 6749 §3.1 a repeated parameter is 400 invalid_request, not a page', async () => {
    const response = await app.inject({ method: 'GET', url: `${RECEIPT}?code=a&code=b` })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.json<{ error: string }>().error).toBe('invalid_request')
  })
})
