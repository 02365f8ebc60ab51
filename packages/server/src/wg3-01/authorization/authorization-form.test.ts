import { hashSecret, type AuthStore } from '@cds-ts/auth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, type ApiApp } from '../../../test/api-app.js'
import {
  APP_REDIRECT,
  attributeValues,
  authorizeQuery,
  seedConsentClient,
  selectBoxes,
  visibleText,
} from '../../../test/authorization-form-kit.js'
import { browse, CookieJar, loginAs } from '../../../test/customers-session.js'
import { forEachDialect } from '../../../test/dialects.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { fromJsonText } from '../../db/json-text.js'

forEachDialect('CDS-WG3-01 §9.1 §9.2 the interactive authorization and the Authorization Form', (t) => {
  let api: ApiApp
  let store: AuthStore
  let client_id: string

  beforeAll(async () => {
    api = await buildApiApp(t.database, undefined, null)
    store = new KyselyAuthStore(t.db)
    client_id = (await seedConsentClient(store)).client.client_id
  })
  afterAll(async () => api.app.close())

  const details = (entries: Record<string, unknown>[]) => JSON.stringify(entries)

  /** GET /oauth/authorize, expecting the 303 to the interaction page; returns its path. */
  async function begin(fields: Record<string, string | undefined>, jar = new CookieJar()): Promise<{ path: string; code_verifier: string; jar: CookieJar }> {
    const { url, code_verifier } = authorizeQuery(client_id, fields)
    const response = await browse(api.app, jar, url)
    expect(response.statusCode, response.body).toBe(303)
    const path = String(response.headers.location)
    expect(path).toMatch(/^\/authorize\/interaction\/[A-Za-z0-9_-]{43}$/)
    return { path, code_verifier, jar }
  }

  /** Begins, logs in as `customer` through the login page, and opens the interaction page. */
  async function open(fields: Record<string, string | undefined>, customer = 'CUST-A') {
    const started = await begin(fields)
    const page = await browse(api.app, started.jar, started.path)
    expect(page.statusCode).toBe(303)
    expect(String(page.headers.location)).toBe(`/login?return_to=${encodeURIComponent(started.path)}`)
    await loginAs(api.app, customer, started.path, started.jar)
    const form = await browse(api.app, started.jar, started.path)
    return { ...started, form }
  }

  const redirectOf = (response: { statusCode: number; headers: Record<string, unknown> }) => {
    expect(response.statusCode).toBe(303)
    return new URL(String(response.headers.location), API_BASE_URL)
  }

  describe('GET /oauth/authorize', () => {
    it('R3-01-9.1.1-10 A-13 shows the Invalid Request Error page, as HTML with status 400, for a bad client_id, redirect_uri or response_type', async () => {
      for (const fields of [{ client_id: 'nobody' }, { redirect_uri: 'https://evil.example/cb' }, { response_type: 'token' }]) {
        const { url } = authorizeQuery(client_id, { scope: 'cds_accounts', ...fields })
        const response = await api.app.inject({ method: 'GET', url })
        expect(response.statusCode, JSON.stringify(fields)).toBe(400)
        expect(response.headers['content-type']).toMatch(/^text\/html/)
        expect(response.headers.location).toBeUndefined()
        expect(response.body).toContain('data-cds-page="invalid-request"')
        expect(response.body).not.toContain('evil.example')
      }
    })

    it('R3-01-9.1.1-11 redirects other errors to the client with the state', async () => {
      const { url } = authorizeQuery(client_id, { scope: 'cds_query_accounts' })
      const response = await api.app.inject({ method: 'GET', url })
      expect(response.statusCode).toBe(302)
      const location = new URL(String(response.headers.location))
      expect(`${location.origin}${location.pathname}`).toBe(APP_REDIRECT)
      expect(location.searchParams.get('error')).toBe('invalid_scope')
      expect(location.searchParams.get('state')).toBe('st-9')
    })

    it('R3-01-9.1.1-12 stores the pending request (only the handle digest) and sends the browser to log in', async () => {
      const { path, jar } = await begin({ scope: 'cds_accounts' })
      const handle = path.split('/').pop() ?? ''
      const row = await t.db.selectFrom('authorization_interactions').selectAll().where('interaction_hash', '=', hashSecret(handle)).executeTakeFirstOrThrow()
      expect(row).toMatchObject({ client_id, redirect_uri: APP_REDIRECT, redirect_uri_parameter: APP_REDIRECT, state: 'st-9', completed_at: null })
      expect(fromJsonText(row.parameters)).toMatchObject({ scope: 'cds_accounts', state: 'st-9' })
      expect(row.expires_at.getTime() - row.created.getTime()).toBe(api.config.customer_authorization.interaction_lifetime_seconds * 1000)
      const page = await browse(api.app, jar, path)
      expect(redirectOf(page).pathname).toBe('/login')
    })
  })

  it('R3-01-9.3.2 an expired or unknown interaction shows the Invalid Request Error page', async () => {
    const { path, jar } = await begin({ scope: 'cds_accounts' })
    api.clock.advance(api.config.customer_authorization.interaction_lifetime_seconds)
    for (const url of [path, '/authorize/interaction/nope', `/authorize/interaction/${'A'.repeat(43)}`]) {
      const page = await browse(api.app, jar, url)
      expect(page.statusCode, url).toBe(400)
      expect(page.body).toContain('data-cds-page="invalid-request"')
    }
  })

  describe('the Authorization Form', () => {
    it('R3-01-9.2.1-01 renders the sections in order with the hooks, the preselection checked', async () => {
      const { form } = await open({
        scope: 'cds_service_contracts cds_meters',
        authorization_details: details([
          { type: 'cds_service_contracts', contract_numbers: ['222222'], sync_until: 'P3Y' },
          { type: 'cds_meters', sync_until: 'P3Y', purpose: 'P-AUD' },
        ]),
      })
      expect(form.statusCode, form.body).toBe(200)
      const html = form.body
      expect(html).toContain('data-cds-page="authorization-form"')
      expect(attributeValues(html, 'data-cds-section')).toEqual(['header', 'requester', 'requests', 'closing', 'approval', 'footer'])
      expect(attributeValues(html, 'data-cds-request-section')).toEqual(['0', '1'])
      expect(attributeValues(html, 'data-scopes')).toEqual(['cds_service_contracts', 'cds_meters'])
      // The first section shows the server's default Purpose (the field's default), the second the Client's.
      expect(attributeValues(html, 'data-cds-component')).toEqual(['data', 'duration', 'selection', 'purpose', 'data', 'duration', 'selection', 'purpose'])
      expect(selectBoxes(html, 0)).toEqual([
        { value: '222222', checked: true },
        { value: '333333', checked: false },
        { value: '444444', checked: false },
      ])
      // §9.2.1.2: the client's name links to its client_uri in a new tab that cannot reach back.
      expect(html).toMatch(/<a href="https:\/\/auditors\.example" target="_blank" rel="noopener noreferrer">Acme Energy Auditors/)
      // §9.2.2.2: equal sync_until durations would merge; here they are in separate sections.
      expect(html).toContain('Updates to your service details for 3 years')
      // Authorize first, Decline second.
      expect(html.indexOf('value="approve"')).toBeLessThan(html.indexOf('value="decline"'))
      expect(html).toContain('data-cds-relogin')
      expect(form.headers['content-security-policy']).toContain("form-action 'self' https://app.example")
      expect(form.headers['cache-control']).toBe('no-store')
    })

    it('R3-01-9.2.2.4-03 TS-9-UI-02 shows a Client-written Purpose as escaped text with its attribution and link', async () => {
      const { form } = await open({ scope: 'cds_meters', authorization_details: details([{ type: 'cds_meters', purpose: 'P-AUD' }]) })
      const html = form.body
      expect(html).not.toContain('<script>alert(1)</script>')
      expect(html).not.toContain('<b>x</b>')
      expect(html).toContain('&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;')
      expect(html).toContain('Written by Acme Energy Auditors:')
      expect(html).toMatch(/data-cds-purpose-content>To calculate[^<]*<a href="https:\/\/auditors\.example\/terms" target="_blank" rel="noopener noreferrer">See our full Terms of Service/)
    })

    it('R3-01-9.2.2.1-02 TS-9-UI-05 speaks the customer’s words: no scope ids, field ids or ISO durations', async () => {
      const { form } = await open({ scope: 'cds_usage', authorization_details: details([{ type: 'cds_usage', segment_start: 'P1Y', authorization_form_selection_type: 'meter_device_selection' }]) })
      const text = visibleText(form.body)
      for (const word of ['cds_', 'include_', 'segment_start', 'Usage Segment', 'P1Y', 'P13M', 'PT0S']) expect(text, word).not.toContain(word)
      expect(text).toContain('from the past year')
      expect(text).toContain('For example:')
    })
  })
})
