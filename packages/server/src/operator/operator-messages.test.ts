import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiApp, call, operator, OPERATOR_TOKEN, register, type ApiApp, type TestRegistration } from '../../test/api-app.js'
import { forEachDialect } from '../../test/dialects.js'
import { clientMessages, clientPost, registrationIdOf, type OperatorListed as Listed } from '../../test/operator-helpers.js'
import { buildServer } from '../app.js'
import { defaultConfig } from '../config/defaults.js'
import { routesMissingFromOpenApi } from '../shared/openapi.js'

forEachDialect('operator API', (t) => {
  let api: ApiApp
  let first: TestRegistration
  let second: TestRegistration

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    first = await register(api.app)
    api.clock.advance(10)
    second = await register(api.app)
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('operator authentication', () => {
    it('refuses a request without a token with 401 and a bare Bearer challenge', async () => {
      const response = await call(api.app, 'GET', '/operator/registrations', undefined)
      expect(response.statusCode).toBe(401)
      expect(response.json()).toMatchObject({ error: 'invalid_token' })
      expect(response.headers['www-authenticate']).toBe('Bearer realm="https://utility.example.com"')
    })

    it('refuses a wrong token with 401 invalid_token', async () => {
      const response = await call(api.app, 'GET', '/operator/registrations', `${OPERATOR_TOKEN}x`)
      expect(response.statusCode).toBe(401)
      expect(response.json()).toMatchObject({ error: 'invalid_token', error_description: 'the bearer token is not the operator token' })
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="https:\/\/utility\.example\.com", error="invalid_token"/)
    })

    it('refuses a Client access token, even a cds_client_admin one', async () => {
      const response = await call(api.app, 'GET', '/operator/messages', first.adminToken)
      expect(response.statusCode).toBe(401)
      expect(response.json()).toMatchObject({ error: 'invalid_token' })
    })

    it('refuses a malformed Authorization header with 400 invalid_request', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/operator/registrations', headers: { authorization: 'Bearer not a token' } })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ error: 'invalid_request' })
    })

    it('is not served at all without an operator token in the configuration', async () => {
      const config = defaultConfig('https://utility.example.com')
      const app = await buildServer({ config, database: t.database })
      try {
        const response = await call(app, 'GET', '/operator/registrations', OPERATOR_TOKEN)
        expect(response.statusCode).toBe(404)
        expect(response.json()).toMatchObject({ error: 'not_found' })
      } finally {
        await app.close()
      }
    })
  })

  describe('OpenAPI', () => {
    it('documents every operator route with a bearer requirement under the operator tag', async () => {
      expect(routesMissingFromOpenApi(api.app)).toEqual([])
      const document = (await call(api.app, 'GET', '/openapi.json', undefined)).json<{ paths: Record<string, Record<string, { tags: string[]; security: unknown }>> }>()
      const operatorPaths = Object.keys(document.paths).filter((path) => path.startsWith('/operator/'))
      const operations = operatorPaths.flatMap((path) => Object.values(document.paths[path]!))
      // 5 listings, 4 Message actions, 2 Grant actions, 2 file actions, 3 Credential and Client actions.
      expect(operations).toHaveLength(16)
      for (const operation of operations) expect(operation).toMatchObject({ tags: ['operator'], security: [{ bearer: [] }] })
    })
  })

  describe('listing registrations', () => {
    it('lists every registration newest first with its Client objects', async () => {
      const response = await operator(api.app, 'GET', '/operator/registrations')
      expect(response.statusCode).toBe(200)
      const body = response.json<{ registrations: { registration_id: string; admin_client_id: string; client_ids: string[] }[]; next: null; previous: null }>()
      const admins = body.registrations.map((r) => r.admin_client_id)
      expect(admins.indexOf(second.admin.client_id)).toBeLessThan(admins.indexOf(first.admin.client_id))
      const mine = body.registrations.find((r) => r.admin_client_id === first.admin.client_id)!
      const stored = await t.db.selectFrom('clients').select('client_id').where('registration_id', '=', mine.registration_id).orderBy('seq').execute()
      expect(mine.client_ids).toEqual(stored.map((row) => row.client_id))
      expect(mine.client_ids[0]).toBe(first.admin.client_id)
      expect(body).toMatchObject({ next: null, previous: null })
    })

    it('filters by registration_ids', async () => {
      const all = await operator(api.app, 'GET', '/operator/registrations')
      const id = all.json<{ registrations: { registration_id: string; admin_client_id: string }[] }>().registrations.find((r) => r.admin_client_id === first.admin.client_id)!.registration_id
      const response = await operator(api.app, 'GET', `/operator/registrations?registration_ids=${id}`)
      expect(response.json<{ registrations: { registration_id: string }[] }>().registrations.map((r) => r.registration_id)).toEqual([id])
    })
  })

  describe('sending Messages', () => {
    const registrationOf = (client: TestRegistration) => registrationIdOf(api, client)

    it('R1-02-6-01 a notification to one registration appears unread, complete, without creator, in its Messages only', async () => {
      const registration_id = await registrationOf(first)
      const response = await operator(api.app, 'POST', '/operator/messages', {
        type: 'notification',
        registration_id,
        name: 'Maintenance window',
        description: 'The API is down on Sunday.',
        related_uri: 'https://utility.example.com/status',
      })
      expect(response.statusCode).toBe(201)
      const [sent] = response.json<{ messages: Listed[] }>().messages
      expect(sent).toMatchObject({
        registration_id,
        message: { type: 'notification', status: 'complete', read: false, creator: null, previous_uri: null, related_type: 'more_info' },
      })
      const seen = await clientMessages(api, first)
      expect(seen.find((m) => m.message_id === sent!.message.message_id)).toMatchObject({ name: 'Maintenance window', read: false })
      const other = await clientMessages(api, second)
      expect(other.some((m) => m.message_id === sent!.message.message_id)).toBe(false)
    })

    it('a notification with all reaches every registration', async () => {
      const response = await operator(api.app, 'POST', '/operator/messages', { type: 'notification', all: true, name: 'New tariff', description: 'Tariffs change.' })
      expect(response.statusCode).toBe(201)
      const { messages } = response.json<{ messages: Listed[] }>()
      expect(messages.length).toBeGreaterThanOrEqual(2)
      for (const client of [first, second]) expect((await clientMessages(api, client)).some((m) => m.name === 'New tariff')).toBe(true)
    })

    it('a server_request is open and names each item; the Client answers it and it turns pending', async () => {
      const registration_id = await registrationOf(first)
      const response = await operator(api.app, 'POST', '/operator/messages', {
        type: 'server_request',
        registration_id,
        name: 'Tax ID needed',
        description: 'Send your tax id.',
        updates_requested: [{ field: 'tax_id', name: 'Tax ID', description: 'The company tax identifier.' }],
      })
      expect(response.statusCode).toBe(201)
      const request = response.json<{ messages: Listed[] }>().messages[0]!.message
      expect(request).toMatchObject({ type: 'server_request', status: 'open', updates_requested: [{ field: 'tax_id', name: 'Tax ID' }] })
      await clientPost(api, first, {
        type: 'client_submission',
        previous_uri: request.uri,
        name: '',
        description: '',
        updates_requested: [{ field: 'tax_id', description: '12-3456789' }],
      })
      const listed = await operator(api.app, 'GET', `/operator/messages?message_ids=${request.message_id}`)
      expect(listed.json<{ messages: Listed[] }>().messages[0]!.message.status).toBe('pending')
    })

    it('R1-02-6.1-09 a payment_request links a payment_form and keeps the amount exact', async () => {
      const registration_id = await registrationOf(second)
      // Written by hand: JSON.stringify would turn 1.10 into 1.1 before the server sees it.
      const body = `{"type":"payment_request","registration_id":"${registration_id}","name":"Setup fee","description":"Pay the setup fee.",` +
        `"related_uri":"https://utility.example.com/pay/123","amount":1.10,"currency":"USD"}`
      const response = await operator(api.app, 'POST', '/operator/messages', body)
      expect(response.statusCode).toBe(201)
      expect(response.body).toContain('"amount":1.10')
      expect(response.json<{ messages: Listed[] }>().messages[0]!.message).toMatchObject({ status: 'open', related_type: 'payment_form', currency: 'USD' })
    })

    it('refuses a form request without its link, an unknown registration and an unknown reply target', async () => {
      const registration_id = await registrationOf(second)
      const noLink = await operator(api.app, 'POST', '/operator/messages', { type: 'pdf_form_request', registration_id, name: 'Form', description: 'Fill it in.' })
      expect(noLink.statusCode).toBe(400)
      expect(noLink.json()).toMatchObject({ error: 'invalid_request' })
      expect(noLink.json<{ error_description: string }>().error_description).toMatch(/related_uri/)
      const unknown = await operator(api.app, 'POST', '/operator/messages', { type: 'notification', registration_id: 'nope', name: 'x', description: 'y' })
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json()).toMatchObject({ error: 'not_found' })
      const reply = await operator(api.app, 'POST', '/operator/messages', { type: 'private_message', previous_message_id: 'nope', name: 'x', description: 'y' })
      expect(reply.statusCode).toBe(404)
    })

    it('a private_message replying to a Message goes to its registration with previous_uri', async () => {
      const listed = await operator(api.app, 'GET', '/operator/messages?statuses=complete&types=notification')
      const target = listed.json<{ messages: Listed[] }>().messages[0]!
      const response = await operator(api.app, 'POST', '/operator/messages', {
        type: 'private_message',
        previous_message_id: target.message.message_id,
        name: 'Re: your question',
        description: 'Here is the answer.',
      })
      expect(response.statusCode).toBe(201)
      expect(response.json<{ messages: Listed[] }>().messages[0]).toMatchObject({
        registration_id: target.registration_id,
        message: { type: 'private_message', status: 'complete', previous_uri: target.message.uri },
      })
    })
  })

  describe('listing Messages', () => {
    it('lists outstanding Messages by default and rejects an unknown status naming the parameter', async () => {
      const response = await operator(api.app, 'GET', '/operator/messages')
      expect(response.statusCode).toBe(200)
      const { messages } = response.json<{ messages: Listed[] }>()
      expect(messages.length).toBeGreaterThan(0)
      for (const { message } of messages) expect(['open', 'pending']).toContain(message.status)
      const bad = await operator(api.app, 'GET', '/operator/messages?statuses=done')
      expect(bad.statusCode).toBe(400)
      expect(bad.json<{ error_description: string }>().error_description).toMatch(/'statuses'/)
    })
  })
})
