import { Decimal, parseJson, type Message, type MessageListing, type RegistrationField } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, call, register, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { DEMO_DIRECT_SCOPE } from '../../config/defaults.js'
import { requirementPageUrl } from './requirement-messages.js'

/** One after-registration requirement of each kind on the direct-access scope (CDS-WG1-02 §3.6). */
function withRequirements(config: ServerConfig): void {
  const doc = (id: string) => `${API_BASE_URL}/docs/oauth/registration#${id}`
  const fields: RegistrationField[] = [
    { id: 'setup_fee', type: 'payment_required', description: 'A one-time setup fee.', documentation: doc('setup_fee'), amount: Decimal.from('25.50'), currency: 'USD' },
    { id: 'verify_email', type: 'email_verification', description: 'Verify your contact email.', documentation: doc('verify_email') },
    { id: 'sso', type: 'sso_verification', description: 'Link your utility account by single sign-on.', documentation: doc('sso') },
    { id: 'terms', type: 'online_form', description: 'Accept the <b>terms</b> & "conditions".', documentation: doc('terms') },
    { id: 'loa', type: 'pdf_form', description: 'Sign the letter of authorization (the "LOA").', documentation: doc('loa') },
    { id: 'review', type: 'internal_review', description: 'Our team reviews every new Client.', documentation: doc('review') },
  ]
  for (const field of fields) config.oauth.registration_fields[field.id] = field
  const scope = config.oauth.scope_descriptions[DEMO_DIRECT_SCOPE]
  if (scope === undefined) throw new Error('the demo configuration lost its direct scope')
  scope.registration_requirements = [...scope.registration_requirements, ...fields.map((f) => f.id)]
}

forEachDialect('CDS-WG1-02 §3.6 Registration Field Types: requirement Messages', (t) => {
  let app: FastifyInstance
  let me: TestRegistration
  let listing: MessageListing
  let raw: string
  const byType = (type: string) => listing.outstanding.filter((m) => m.type === type)

  beforeAll(async () => {
    app = (await buildApiApp(t.database, withRequirements)).app
    me = await register(app)
    // Read right after the 201: the Messages were written inside the registration (synchronously).
    const response = await call(app, 'GET', '/api/messages', me.adminToken)
    raw = response.body
    listing = parseJson(raw) as MessageListing
  })
  afterAll(async () => {
    await app.close()
  })

  describe('the Messages created at registration', () => {
    it('R1-02-3.6-05 R1-02-6.1-09 R1-02-6.1-13 a payment_required field opens a payment_request with its amount and currency', () => {
      const [payment] = byType('payment_request')
      expect(payment).toMatchObject({ status: 'open', read: false, creator: null, previous_uri: null, related_type: 'payment_form', currency: 'USD' })
      expect(payment?.related_uri).toBe(requirementPageUrl(API_BASE_URL, payment?.message_id ?? ''))
      // The amount keeps its digits on the wire (a decimal, never a float).
      expect(raw).toContain('"amount":25.50')
      expect(byType('payment_request')).toHaveLength(1)
    })

    it('R1-02-3.6-15 R1-02-3.6-21 R1-02-3.6-37 R1-02-6.1-10 email, SSO and online form fields each open an online_form_request', () => {
      const forms = byType('online_form_request')
      expect(forms.map((m) => m.description).sort()).toEqual([
        expect.stringContaining('Accept the <b>terms</b>'),
        expect.stringContaining('Link your utility account'),
        expect.stringContaining('Verify your contact email'),
      ])
      for (const form of forms) expect(form).toMatchObject({ status: 'open', read: false, creator: null, related_type: 'online_form' })
    })

    it('R1-02-3.6-29 R1-02-6.1-11 a pdf_form field opens a pdf_form_request', () => {
      expect(byType('pdf_form_request')).toEqual([expect.objectContaining({ status: 'open', creator: null, related_type: 'pdf_form', description: expect.stringContaining(`${API_BASE_URL}/docs/oauth/registration#loa`) })])
    })

    it('R1-02-3.6-02 R1-02-6.4-03 an internal_review field is announced as a notification', async () => {
      const notices = listing.unread.filter((m) => m.type === 'notification')
      expect(notices).toEqual([expect.objectContaining({ status: 'complete', name: 'Internal review under way', related_type: 'client_list', related_uri: `${API_BASE_URL}/api/clients` })])
      // Its `client_list` link opens with the Client Admin token.
      const clients = await call(app, 'GET', notices[0]?.related_uri ?? '', me.adminToken)
      expect(clients.statusCode).toBe(200)
      expect(clients.json()).toHaveProperty('clients')
      // Every requirement Message is unread, and the five requests are outstanding.
      expect(listing.outstanding).toHaveLength(5)
      expect(listing.unread).toHaveLength(6)
      expect(listing.read).toEqual([])
    })

    it('a registration without such fields gets no requirement Messages', async () => {
      const plain = await register(app, 'cds_client_admin demo_usage_data')
      const body = (await call(app, 'GET', '/api/messages', plain.adminToken)).json<MessageListing>()
      expect([body.outstanding, body.unread, body.read]).toEqual([[], [], []])
    })
  })

  describe('the pages they link to', () => {
    it('R1-02-3.6-06 R1-02-3.6-16 R1-02-3.6-22 the form pages open again and again, HTML-escaped, with no external resource', async () => {
      for (const message of [...byType('payment_request'), ...byType('online_form_request')]) {
        for (let i = 0; i < 2; i++) {
          const page = await app.inject({ method: 'GET', url: new URL(message.related_uri ?? '').pathname })
          expect(page.statusCode).toBe(200)
          expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
          expect(page.headers['content-security-policy']).toContain("default-src 'none'")
          expect(page.body).not.toMatch(/<script|src=|href=/)
          expect(page.body).toContain('<h1>')
        }
      }
      const terms = byType('online_form_request').find((m) => m.description.includes('terms'))
      const page = await app.inject({ method: 'GET', url: new URL(terms?.related_uri ?? '').pathname })
      expect(page.body).toContain('Accept the &lt;b&gt;terms&lt;/b&gt; &amp; &quot;conditions&quot;.')
      const payment = byType('payment_request')[0]
      expect((await app.inject({ method: 'GET', url: new URL(payment?.related_uri ?? '').pathname })).body).toContain('25.50 USD')
    })

    it('R1-02-3.6-29 the pdf_form link is a PDF, downloadable more than once', async () => {
      const [form] = byType('pdf_form_request')
      for (let i = 0; i < 2; i++) {
        const pdf = await app.inject({ method: 'GET', url: new URL(form?.related_uri ?? '').pathname })
        expect(pdf.statusCode).toBe(200)
        expect(pdf.headers['content-type']).toBe('application/pdf')
        const text = pdf.rawPayload.toString('latin1')
        expect(text.startsWith('%PDF-1.4\n')).toBe(true)
        expect(text.trimEnd().endsWith('%%EOF')).toBe(true)
        // The cross-reference table points at each object.
        const xref = Number(/startxref\n(\d+)\n/.exec(text)?.[1])
        expect(text.slice(xref, xref + 4)).toBe('xref')
        const offsets = [...text.slice(xref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]))
        expect(offsets.map((o, i) => text.slice(o, o + `${i + 1} 0 obj`.length))).toEqual(offsets.map((_, i) => `${i + 1} 0 obj`))
        expect(text).toContain('\\(the "LOA"\\)')
      }
    })

    it('unknown ids, and Messages that are no requirement request, have no page', async () => {
      const missing = await app.inject({ method: 'GET', url: '/registration-requirements/no-such-message' })
      expect(missing.statusCode).toBe(404)
      expect(missing.json()).toMatchObject({ error: 'not_found' })
      const notice = listing.unread.find((m) => m.type === 'notification')
      expect((await app.inject({ method: 'GET', url: `/registration-requirements/${notice?.message_id ?? ''}` })).statusCode).toBe(404)
      const mine = (await call(app, 'POST', '/api/messages', me.adminToken, { type: 'private_message', name: 'a', description: 'b' })).json<Message>()
      expect((await app.inject({ method: 'GET', url: `/registration-requirements/${mine.message_id}` })).statusCode).toBe(404)
    })
  })
})
