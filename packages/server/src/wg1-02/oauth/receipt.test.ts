import { hashSecret, randomOpaqueValue } from '@cds-ts/auth'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, register, type ApiApp } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { TEST_BASE_URL, testConfig } from '../../../test/discovery-app.js'
import { clientsByScope } from '../../../test/grants-kit.js'
import { DEMO_CODE_SCOPE } from '../../config/defaults.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { pageContext } from '../../pages/layout.js'
import { errorHandlerPlugin } from '../../shared/error-handler.js'
import { schemaController, schemasPlugin } from '../../shared/schemas.js'
import { createReceipt } from '../../wg3-01/receipts/create-receipt.js'
import { createGrant } from '../grants/grant-changes.js'
import { receiptConfirmation } from '../grants/receipt-confirmation.js'
import { receiptPlugin, renderDefaultRedirect } from './receipt.js'

const RECEIPT = '/oauth/receipt'

function expectPage(response: LightMyRequestResponse, page: string): void {
  expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
  expect(response.headers['cache-control']).toBe('no-store')
  expect(response.body).toMatch(/^<!doctype html>/)
  expect(response.body).toContain(`<body data-cds-page="${page}">`)
  expect(response.body).toContain('<meta name="robots" content="noindex, nofollow">')
}

forEachDialect('CDS-WG1-02 §4.2, CDS-WG3-01 §9.3.3 the default redirect_uri', (t) => {
  let api: ApiApp
  let client_id: string

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    const reg = await register(api.app)
    client_id = (await clientsByScope(t.db, reg.admin.client_id)).get(DEMO_CODE_SCOPE) ?? ''
  })
  afterAll(async () => api.app.close())

  /** An authorization code of a new Grant, as the authorization endpoint stores it. */
  const codeOf = async (grant_id: string | null): Promise<string> => {
    const code = randomOpaqueValue()
    const now = api.clock.now()
    await new KyselyAuthStore(t.db).codes.insert({
      code_hash: hashSecret(code),
      client_id,
      redirect_uri: null,
      code_challenge: null,
      code_challenge_method: null,
      scope: DEMO_CODE_SCOPE,
      authorization_details: [],
      grant_id,
      created: now,
      expires_at: new Date(now.getTime() + 60_000),
      used_at: null,
    })
    return code
  }
  const newGrant = () => createGrant(t.db, api.clock, { client_id, scope: DEMO_CODE_SCOPE, customer_id: null, changelog: false })
  const receiptOf = (grant_id: string) =>
    createReceipt(
      t.db,
      { config: api.config, clock: api.clock },
      {
        grant_id,
        customer_id: null,
        notify_email: null,
        snapshot: {
          client_id,
          client_name: 'Test Client',
          client_uri: null,
          scope: DEMO_CODE_SCOPE,
          authorization_details: [],
          sections: [],
          terms_uri: api.config.customer_authorization.brand.terms_uri,
          approved_at: api.clock.now().toISOString(),
        },
      },
    )

  it('R3-01-9.1.1-28 R3-01-9.4-01 an approval continues to the newest receipt of the code’s Grant; the code is never shown', async () => {
    const grant = await newGrant()
    await receiptOf(grant.grant_id)
    api.clock.advance(60)
    const newest = await receiptOf(grant.grant_id)
    const code = await codeOf(grant.grant_id)
    const response = await api.app.inject({ method: 'GET', url: `${RECEIPT}?code=${code}&state=s-1&iss=${encodeURIComponent(API_BASE_URL)}` })
    expect(response.statusCode).toBe(303)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers.location).toBe(newest.url.slice(API_BASE_URL.length))
    expect(response.body).not.toContain(code)
    const receipt = await api.app.inject({ method: 'GET', url: String(response.headers.location) })
    expect(receipt.statusCode).toBe(200)
    expect(receipt.body).toContain(`<dd data-cds-confirmation>${newest.confirmation}</dd>`)
  })

  it('A-43 R1-02-4.2-14 a code without a receipt (or of no Grant) gets the minimal confirmation with its receipt code', async () => {
    for (const code of [await codeOf((await newGrant()).grant_id), await codeOf(null), 'unknown-code']) {
      const response = await api.app.inject({ method: 'GET', url: `${RECEIPT}?code=${code}&state=order-42` })
      expect(response.statusCode).toBe(200)
      expectPage(response, 'authorization-complete')
      expect(response.headers['content-security-policy']).toContain("default-src 'none'")
      expect(response.body).toContain(`<dt>Receipt confirmation</dt><dd><code>${receiptConfirmation(code)}</code></dd>`)
      expect(response.body).toContain('<dt>Reference</dt><dd><code>order-42</code></dd>')
      expect(response.body).not.toContain(code)
    }
  })

  it('R3-01-9.3.3-02 -03 access_denied confirms that the customer declined', async () => {
    const response = await api.app.inject({ method: 'GET', url: `${RECEIPT}?error=access_denied&error_description=${encodeURIComponent('The customer declined.')}&state=s1` })
    expect(response.statusCode).toBe(200)
    expectPage(response, 'default-redirect-error')
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(response.headers['referrer-policy']).toBe('no-referrer')
    expect(response.body).toContain('<h1>You declined this request</h1>')
    expect(response.body).toContain('This is your confirmation: no access was given')
    expect(response.body).toContain('data-cds-section="header"')
  })

  it('R3-01-9.3.3-04 -05 other errors explain why in customer words and say to contact the app; the code stays in the details', async () => {
    const reasons: Record<string, string> = {
      invalid_scope: 'The app asked for a kind of information that is not available or that it may not ask for.',
      invalid_authorization_details: 'The details of what the app asked for (such as dates or numbers) were not valid.',
      no_preselections: 'None of the accounts or services the app asked about were found on your profile.',
      cds_grant_id_invalid_value: 'The app asked to change an authorization that does not exist or cannot be changed.',
      server_error: 'Something went wrong on our side.',
      some_future_code: 'The app sent a request this service could not handle.',
      constructor: 'The app sent a request this service could not handle.',
    }
    for (const [error, reason] of Object.entries(reasons)) {
      const response = await api.app.inject({ method: 'GET', url: `${RECEIPT}?error=${error}&error_description=${encodeURIComponent('scope x is unknown')}` })
      expect(response.statusCode).toBe(200)
      expectPage(response, 'default-redirect-error')
      expect(response.body).toContain('<h1>This request could not be completed</h1>')
      expect(response.body).toContain(`<span data-cds-error-reason>${reason}</span>`)
      expect(response.body).toContain('<p data-cds-contact-app>Please contact the website or app that sent you here')
      expect(response.body).toContain(`<code data-cds-error-code>${error}</code>`)
      expect(response.body).toContain('<dd>scope x is unknown</dd>')
    }
  })

  it('every value is HTML-escaped: markup in the query never becomes markup in the page', async () => {
    const attack = `<script>alert(1)</script>"'&<img src=x onerror=alert(2)>`
    for (const query of [{ error: attack, error_description: attack }, { code: 'c', state: attack }] as Record<string, string>[]) {
      const response = await api.app.inject({ method: 'GET', url: `${RECEIPT}?${new URLSearchParams(query).toString()}` })
      expect(response.body).not.toContain('<script>alert')
      expect(response.body).not.toContain('<img src=x')
      expect(response.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;')
    }
  })

  it('opened without an authorization response: a 400 page', async () => {
    const response = await api.app.inject({ method: 'GET', url: RECEIPT })
    expect(response.statusCode).toBe(400)
    expectPage(response, 'default-redirect-none')
  })

  it('RFC 6749 §3.1 a repeated parameter is 400 invalid_request, not a page', async () => {
    const response = await api.app.inject({ method: 'GET', url: `${RECEIPT}?code=a&code=b` })
    expect(response.statusCode).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.json<{ error: string }>().error).toBe('invalid_request')
  })
})

describe('the default redirect_uri without a database', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = Fastify({ schemaController })
    await app.register(errorHandlerPlugin, { realm: TEST_BASE_URL })
    await app.register(schemasPlugin)
    await app.register(receiptPlugin, { config: testConfig() })
    await app.ready()
  })
  afterAll(async () => app.close())

  it('every approval gets the minimal confirmation page (A-43)', async () => {
    const response = await app.inject({ method: 'GET', url: `${RECEIPT}?code=SECRET-CODE-123` })
    expect(response.statusCode).toBe(200)
    expectPage(response, 'authorization-complete')
    expect(response.body).toContain(`<code>${receiptConfirmation('SECRET-CODE-123')}</code>`)
    expect(response.body).not.toContain('SECRET-CODE-123')
  })

  it('renderDefaultRedirect is pure: status and page from the query', () => {
    const ctx = pageContext(testConfig())
    expect(renderDefaultRedirect(ctx, {}).status).toBe(400)
    expect(renderDefaultRedirect(ctx, { error: 'access_denied' })).toMatchObject({ status: 200 })
    expect(renderDefaultRedirect(ctx, { error: 'access_denied' }).body).toContain('You declined this request')
  })
})
