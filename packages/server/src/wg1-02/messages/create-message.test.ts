import { manualClock, toDateTime } from '@cds-ts/auth'
import { checkStrict, Message } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, call, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { resourceUrl } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { KyselyMessageStore, type MessageRecord } from '../../db/message-store.js'
import { writeServerMessage, type ServerMessageInput } from '../../shared/server-messages.js'

type Body = Record<string, unknown>

const messageUri = (id: string) => resourceUrl(API_BASE_URL, 'messages_api', id)
const clientUri = (id: string) => resourceUrl(API_BASE_URL, 'clients_api', id)

interface Registered extends TestRegistration {
  registration_id: string
  /** The `client_id` of the registration's Client object with this scope and status option. */
  clientId: (scope: string, option: 'sandbox' | 'production') => string
}

async function registered(app: FastifyInstance, db: Kysely<Database>): Promise<Registered> {
  const registration = await register(app)
  const rows = await db.selectFrom('clients').select(['client_id', 'registration_id', 'scope', 'cds_status_options']).execute()
  const own = rows.filter((r) => r.registration_id === rows.find((x) => x.client_id === registration.admin.client_id)?.registration_id)
  return {
    ...registration,
    registration_id: own[0]?.registration_id ?? '',
    clientId: (scope, option) => own.find((r) => r.scope === scope && r.cds_status_options.includes(option))?.client_id ?? 'none',
  }
}

/** A Message from the Server, written the way the operator and other areas write them. */
function serverMessage(db: Kysely<Database>, registration_id: string, input: Partial<ServerMessageInput>): Promise<MessageRecord> {
  return writeServerMessage(db, manualClock('2025-01-01T00:00:00Z'), {
    registration_id,
    previous_id: null,
    type: 'notification',
    status: 'complete',
    name: 'From the Server',
    description: 'Text',
    ...input,
  })
}

const serverRequest = (db: Kysely<Database>, registration_id: string) =>
  serverMessage(db, registration_id, {
    type: 'server_request',
    status: 'open',
    name: 'We need two things',
    updates_requested: [
      { field: 'tax_id', name: 'Tax id', description: 'Your company tax id' },
      { field: 'insurance', name: 'Insurance', description: 'A link to your insurance certificate' },
    ],
  })

forEachDialect('CDS-WG1-02 §6.9 Creating Messages', (t) => {
  let api: ApiApp
  let app: FastifyInstance
  let me: Registered
  let other: Registered
  const post = (body: Body, token = me.adminToken) => call(app, 'POST', '/api/messages', token, body)
  const expectBadRequest = async (body: Body, text: RegExp) => {
    const response = await post(body)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(text) })
  }

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    app = api.app
    me = await registered(app, t.db)
    other = await registered(app, t.db)
  })
  afterAll(async () => {
    await app.close()
  })

  describe('what the Server sets', () => {
    it('R1-02-6.9-01 R1-02-6.9-11 R1-02-6.9-12 R1-02-6.1-04 a private_message is created with the Server fields, 201 and Location', async () => {
      api.clock.advance(10)
      const now = toDateTime(api.clock.now())
      const response = await post({ previous_uri: null, type: 'private_message', name: 'Hello', description: 'Body', read: false, creator: 'x', status: 'open', created: '2020-01-01T00:00:00Z' })
      expect(response.statusCode).toBe(201)
      const body = response.json<Message>()
      expect(response.headers.location).toBe(body.uri)
      expect(body).toEqual({
        message_id: expect.any(String),
        uri: messageUri(body.message_id),
        previous_uri: null,
        type: 'private_message',
        read: true,
        creator: me.admin.client_id,
        created: now,
        modified: now,
        status: 'complete',
        name: 'Hello',
        description: 'Body',
      })
      expect(checkStrict(Message, body)).toEqual([])
      // R1-02-6.10-01: it can be read back at its uri.
      expect((await call(app, 'GET', body.uri, me.adminToken)).json()).toEqual(body)
    })

    it('R1-02-6.9-02 A-12 a missing previous_uri reads as null; a missing type, name or description is 400', async () => {
      const created = await post({ type: 'support_request', name: 'Help', description: 'Please' })
      expect(created.statusCode).toBe(201)
      expect(created.json()).toMatchObject({ previous_uri: null, status: 'pending', type: 'support_request' })
      await expectBadRequest({ name: 'x', description: 'y' }, /'type' is required/)
      await expectBadRequest({ type: 'private_message', description: 'y' }, /'name' is required/)
      await expectBadRequest({ type: 'private_message', name: 'x' }, /'description' is required/)
    })

    it('R1-02-6.9-03 only the five Client types are accepted', async () => {
      for (const type of ['notification', 'request_update', 'payment_request', 'server_request', 'field_changes', 'bogus']) {
        await expectBadRequest({ type, name: 'x', description: 'y' }, /type/)
      }
    })

    it('R1-02-6.9-09 a body that is not JSON, or a name that is not a string, is 400', async () => {
      const response = await app.inject({ method: 'POST', url: '/api/messages', headers: { authorization: `Bearer ${me.adminToken}` }, payload: '{"type":' })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ error: 'invalid_request' })
      await expectBadRequest({ type: 'private_message', name: 5, description: 'y' }, /name/)
    })

    it('R1-02-6.3-02 R1-02-6.1-03 private_message and client_submission are complete; the requests are pending', async () => {
      const sandbox = me.clientId('demo_usage_data', 'sandbox')
      const direct = me.clientId('demo_meter_readings', 'production')
      const statuses = {
        private_message: (await post({ type: 'private_message', name: 'a', description: 'b' })).json<Message>().status,
        support_request: (await post({ type: 'support_request', name: 'a', description: 'b' })).json<Message>().status,
        production_request: (await post({ type: 'production_request', name: 'a', description: 'b', related_uri: clientUri(sandbox) })).json<Message>().status,
        grant_request: (
          await post({
            type: 'grant_request',
            name: 'a',
            description: 'b',
            related_uri: clientUri(direct),
            grants_requested: [{ scope: 'demo_meter_readings', authorization_details: [] }],
          })
        ).json<Message>().status,
      }
      expect(statuses).toEqual({ private_message: 'complete', support_request: 'pending', production_request: 'pending', grant_request: 'pending' })
    })

    it('R1-02-6-03 the endpoint needs a Client Admin bearer token', async () => {
      const response = await call(app, 'POST', '/api/messages', undefined, { type: 'private_message', name: 'a', description: 'b' })
      expect(response.statusCode).toBe(401)
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm=/)
    })
  })

  describe('previous_uri', () => {
    it('R1-02-6.9-05 R1-02-6.9-16 R1-02-6.9-19 a reply links a Message of the registration; others are 400', async () => {
      const question = await serverMessage(t.db, me.registration_id, { type: 'private_message', name: 'Question', description: 'Which meters?' })
      const reply = await post({ type: 'private_message', previous_uri: messageUri(question.message_id), name: 'Re: Question', description: 'These.' })
      expect(reply.statusCode).toBe(201)
      expect(reply.json()).toMatchObject({ previous_uri: messageUri(question.message_id) })
      const foreign = await serverMessage(t.db, other.registration_id, {})
      await expectBadRequest({ type: 'private_message', previous_uri: messageUri(foreign.message_id), name: 'a', description: 'b' }, /previous_uri/)
      await expectBadRequest({ type: 'support_request', previous_uri: messageUri('no-such-message'), name: 'a', description: 'b' }, /previous_uri/)
      await expectBadRequest({ type: 'support_request', previous_uri: `${API_BASE_URL}/api/grants/x`, name: 'a', description: 'b' }, /previous_uri/)
    })

    it('R1-02-6.11-06 R1-02-6.11-07 a Client amends its own support_request by answering it', async () => {
      const first = (await post({ type: 'support_request', name: 'Broken', description: 'It fails' })).json<Message>()
      const amendment = await post({ type: 'support_request', previous_uri: first.uri, name: 'Broken', description: 'It fails with 500' })
      expect(amendment.statusCode).toBe(201)
      expect(amendment.json()).toMatchObject({ previous_uri: first.uri, status: 'pending' })
    })
  })

  describe('client_submission', () => {
    it('R1-02-6.9-04 A-11 a submission answers a server_request or pdf_form_request, with empty name and description', async () => {
      const notice = await serverMessage(t.db, me.registration_id, {})
      const request = await serverRequest(t.db, me.registration_id)
      const answer = [{ field: 'tax_id', description: '12-345' }]
      await expectBadRequest({ type: 'client_submission', previous_uri: null, name: '', description: '', updates_requested: answer }, /previous_uri/)
      await expectBadRequest({ type: 'client_submission', name: '', description: '', updates_requested: answer }, /previous_uri/)
      await expectBadRequest({ type: 'client_submission', previous_uri: messageUri(notice.message_id), name: '', description: '', updates_requested: answer }, /server_request/)
      await expectBadRequest({ type: 'client_submission', previous_uri: messageUri(request.message_id), name: 'x', description: '', updates_requested: answer }, /name/)
      await expectBadRequest({ type: 'client_submission', previous_uri: messageUri(request.message_id), name: '', description: 'x', updates_requested: answer }, /description/)
    })

    it('R1-02-6.9-06 R1-02-6.5-04 the answers name fields of the server_request, each with a description or a uri', async () => {
      const request = await serverRequest(t.db, me.registration_id)
      const previous_uri = messageUri(request.message_id)
      const base = { type: 'client_submission', previous_uri, name: '', description: '' } as const
      await expectBadRequest({ ...base }, /updates_requested|attachments/)
      await expectBadRequest({ ...base, updates_requested: [{ field: 'shoe_size', description: '42' }] }, /shoe_size/)
      await expectBadRequest({ ...base, updates_requested: [{ field: 'tax_id' }] }, /updates_requested/)
      await expectBadRequest({ ...base, updates_requested: [{ field: 'tax_id', description: 'a' }, { field: 'tax_id', description: 'b' }] }, /repeats/)
      const ok = await post({ ...base, updates_requested: [{ field: 'tax_id', description: '12-345' }, { field: 'insurance', uri: 'https://client.example/insurance.pdf' }] })
      expect(ok.statusCode).toBe(201)
      expect(ok.json()).toMatchObject({ status: 'complete', read: true, updates_requested: [{ field: 'tax_id', description: '12-345' }, { field: 'insurance', uri: 'https://client.example/insurance.pdf' }] })
    })

    it('R1-02-6.9-13 A-13 a submission moves an open request to pending and moves its modified', async () => {
      const request = await serverRequest(t.db, me.registration_id)
      api.clock.advance(60)
      const answered = toDateTime(api.clock.now())
      const submission = { type: 'client_submission', previous_uri: messageUri(request.message_id), name: '', description: '', updates_requested: [{ field: 'tax_id', description: '1' }] } as const
      expect((await post(submission)).statusCode).toBe(201)
      const after = (await call(app, 'GET', messageUri(request.message_id), me.adminToken)).json<Message>()
      expect(after).toMatchObject({ status: 'pending', modified: answered })
      expect(after.modified).not.toBe(request.modified)
      const listing = (await call(app, 'GET', `/api/messages?message_ids=${request.message_id}`, me.adminToken)).json<{ outstanding: Message[] }>()
      expect(listing.outstanding.map((m) => m.message_id)).toEqual([request.message_id])
      // R1-02-6.11-04 R1-02-6.11-05 A-49: a newer submission with the same previous_uri is accepted; the request stays pending.
      api.clock.advance(60)
      const newer = await post({ ...submission, updates_requested: [{ field: 'tax_id', description: '2' }] })
      expect(newer.statusCode).toBe(201)
      expect(newer.json()).toMatchObject({ status: 'complete' })
      expect((await call(app, 'GET', messageUri(request.message_id), me.adminToken)).json()).toMatchObject({ status: 'pending', modified: answered })
    })

    it('R1-02-3.6-30 A-11 a submission to a pdf_form_request carries the PDF as an attachment', async () => {
      const form = await serverMessage(t.db, me.registration_id, { type: 'pdf_form_request', status: 'open', related_uri: 'https://utility.example.com/form.pdf', related_type: 'pdf_form' })
      const base = { type: 'client_submission', previous_uri: messageUri(form.message_id), name: '', description: '' } as const
      await expectBadRequest({ ...base, updates_requested: [{ field: 'form', description: 'signed' }] }, /PDF/)
      const pdf = Buffer.from('%PDF-1.4 filled').toString('base64')
      const response = await post({ ...base, attachments: [{ filename: 'form.pdf', mime_type: 'application/pdf', data: pdf }] })
      expect(response.statusCode).toBe(201)
      expect(response.json()).toMatchObject({ status: 'complete', attachments: [{ filename: 'form.pdf', mime_type: 'application/pdf', data: pdf }] })
      expect((await call(app, 'GET', messageUri(form.message_id), me.adminToken)).json()).toMatchObject({ status: 'pending' })
      const linked = await post({ ...base, updates_requested: [{ field: 'form', uri: 'https://client.example/signed.pdf' }] })
      expect(linked.statusCode).toBe(201)
    })

    it('R1-02-3.6-31 a submitted PDF form gets a pending request_update from the Server, in the same request', async () => {
      const form = await serverMessage(t.db, me.registration_id, { type: 'pdf_form_request', status: 'open', related_uri: 'https://utility.example.com/form.pdf', related_type: 'pdf_form' })
      const pdf = Buffer.from('%PDF-1.4 filled').toString('base64')
      const submitted = await post({ type: 'client_submission', previous_uri: messageUri(form.message_id), name: '', description: '', attachments: [{ filename: 'form.pdf', mime_type: 'application/pdf', data: pdf }] })
      expect(submitted.statusCode).toBe(201)
      const replies = await t.db.selectFrom('messages').selectAll().where('previous_id', '=', form.message_id).where('type', '=', 'request_update').execute()
      expect(replies).toEqual([expect.objectContaining({ status: 'pending', creator: null, read: false })])
      // A submission to a server_request gets no such reply: only §3.6 pdf_form asks for it.
      const request = await serverRequest(t.db, me.registration_id)
      await post({ type: 'client_submission', previous_uri: messageUri(request.message_id), name: '', description: '', updates_requested: [{ field: 'tax_id', description: '1' }] })
      expect(await t.db.selectFrom('messages').selectAll().where('previous_id', '=', request.message_id).where('type', '=', 'request_update').execute()).toEqual([])
    })

    it('updates_requested belongs to client_submission and grants_requested to grant_request', async () => {
      await expectBadRequest({ type: 'private_message', name: 'a', description: 'b', updates_requested: [{ field: 'x', description: 'y' }] }, /updates_requested/)
      await expectBadRequest({ type: 'support_request', name: 'a', description: 'b', grants_requested: [{ scope: 'demo_meter_readings', authorization_details: [] }] }, /grants_requested/)
    })
  })

  describe('related_uri', () => {
    it('R1-02-6.9-08 R1-02-6.9-14 A-58 a production_request names a sandbox Client object of the registration', async () => {
      const sandbox = me.clientId('demo_usage_data', 'sandbox')
      const response = await post({ type: 'production_request', name: 'Go live', description: 'Please', related_uri: clientUri(sandbox) })
      expect(response.statusCode).toBe(201)
      expect(response.json()).toMatchObject({ related_uri: clientUri(sandbox), related_type: 'client', status: 'pending' })
      await expectBadRequest({ type: 'production_request', name: 'a', description: 'b' }, /related_uri/)
      await expectBadRequest({ type: 'production_request', name: 'a', description: 'b', related_uri: clientUri(me.clientId('demo_usage_data', 'production')) }, /sandbox/)
      await expectBadRequest({ type: 'production_request', name: 'a', description: 'b', related_uri: clientUri(other.clientId('demo_usage_data', 'sandbox')) }, /sandbox/)
      await expectBadRequest({ type: 'production_request', name: 'a', description: 'b', related_uri: 'https://elsewhere.example/x' }, /related_uri/)
      await expectBadRequest({ type: 'production_request', name: 'a', description: 'b', related_uri: clientUri(sandbox), related_type: 'grant' }, /related_type/)
    })

    it('R1-02-6.9-07 R1-02-6.9-18 R1-02-6.1-06 R1-02-6.6-01 R1-02-6.6-02 A-48 a grant_request names its target and fits its types', async () => {
      const target = clientUri(me.clientId('demo_meter_readings', 'production'))
      const base = { type: 'grant_request', name: 'Meters', description: 'Please', related_uri: target } as const
      const grants = [{ scope: 'demo_meter_readings', authorization_details: [{ type: 'demo_meter_readings', meter_ids: ['m-1'] }] }]
      const ok = await post({ ...base, grants_requested: grants })
      expect(ok.statusCode).toBe(201)
      expect(ok.json()).toMatchObject({ grants_requested: grants, related_uri: target, related_type: 'client', status: 'pending' })
      await expectBadRequest({ ...base }, /grants_requested/)
      await expectBadRequest({ ...base, grants_requested: [] }, /grants_requested/)
      await expectBadRequest({ ...base, grants_requested: [{ scope: 'demo_meter_readings' }] }, /authorization_details/)
      await expectBadRequest({ ...base, grants_requested: [{ scope: 'demo_meter_readings', authorization_details: [{ type: 'demo_usage_data' }] }] }, /authorization_details_types/)
      await expectBadRequest({ ...base, grants_requested: [{ scope: 'demo_usage_data', authorization_details: [] }] }, /scope/)
      await expectBadRequest({ ...base, grants_requested: [{ scope: ' ', authorization_details: [] }] }, /scope/)
      await expectBadRequest({ type: 'grant_request', name: 'a', description: 'b', grants_requested: grants }, /related_uri/)
      await expectBadRequest({ ...base, related_uri: clientUri(other.clientId('demo_meter_readings', 'production')), grants_requested: grants }, /related_uri/)
    })

    it('R1-02-6.3-07 R1-02-6.1-08 A-12 A-50 a support_request may link any URL; the Server names its kind', async () => {
      const errored = await serverMessage(t.db, me.registration_id, { type: 'server_request', status: 'errored', updates_requested: [{ field: 'f', name: 'n', description: 'd' }] })
      const cases: [string, string | undefined, string][] = [
        [messageUri(errored.message_id), undefined, 'message'],
        [`${API_BASE_URL}/api/grants?client_ids=abc`, undefined, 'grant_list'],
        [`${API_BASE_URL}/api/credentials/c-1`, undefined, 'credential'],
        ['https://docs.example/page', undefined, 'more_info'],
        ['https://docs.example/page', 'documentation', 'documentation'],
      ]
      for (const [related_uri, related_type, expected] of cases) {
        const response = await post({ type: 'support_request', name: 'Help', description: 'x', related_uri, ...(related_type === undefined ? {} : { related_type }) })
        expect(response.statusCode).toBe(201)
        expect(response.json()).toMatchObject({ related_uri, related_type: expected })
      }
      await expectBadRequest({ type: 'support_request', name: 'a', description: 'b', related_uri: 'https://docs.example/page', related_type: 'grant' }, /related_type/)
      const none = (await post({ type: 'support_request', name: 'a', description: 'b', related_uri: null, related_type: 'more_info' })).json<Message>()
      expect(none).not.toHaveProperty('related_uri')
      expect(none).not.toHaveProperty('related_type')
    })
  })

  describe('attachments', () => {
    it('R1-02-6.7-01 R1-02-6.7-02 an attachment needs filename, mime_type and Base64 data', async () => {
      const base = { type: 'private_message', name: 'File', description: 'Attached' } as const
      await expectBadRequest({ ...base, attachments: [{ filename: 'a.txt', mime_type: 'text/plain' }] }, /data/)
      await expectBadRequest({ ...base, attachments: [{ filename: 'a.txt', mime_type: 'text/plain', data: 'not base64!' }] }, /data/)
      await expectBadRequest({ ...base, attachments: [{ filename: 'a.txt', mime_type: 'text/plain', data: 'QUJD=' }] }, /Base64/)
      const data = Buffer.from([0, 1, 2, 250]).toString('base64')
      const response = await post({ ...base, attachments: [{ filename: 'a.bin', mime_type: 'application/octet-stream', data }] })
      expect(response.statusCode).toBe(201)
      const stored = await new KyselyMessageStore(t.db).find(response.json<Message>().message_id)
      expect([...(stored?.attachments[0]?.data ?? [])]).toEqual([0, 1, 2, 250])
    })

    it('R1-02-6.9-10 A-51 9.9 MB of attachments are accepted; above the limit is 413', async () => {
      const base = { type: 'private_message', name: 'Big', description: 'Files' } as const
      const large = Buffer.alloc(9_900_000, 7).toString('base64')
      const accepted = await post({ ...base, attachments: [{ filename: 'big.bin', mime_type: 'application/octet-stream', data: large }] })
      expect(accepted.statusCode).toBe(201)
      expect(accepted.json<Message>().attachments?.[0]?.data.length).toBe(large.length)
      const limit = api.config.client_management.attachment_limit
      const half = Buffer.alloc(Math.ceil((limit + 1) / 2), 1).toString('base64')
      const tooLarge = await post({ ...base, attachments: [{ filename: 'a', mime_type: 'application/octet-stream', data: half }, { filename: 'b', mime_type: 'application/octet-stream', data: half }] })
      expect(tooLarge.statusCode).toBe(413)
      expect(tooLarge.json()).toMatchObject({ error: 'content_too_large' })
      // A body beyond the HTTP limit stops at the parser, with the same JSON error.
      const huge = await app.inject({
        method: 'POST',
        url: '/api/messages',
        headers: { authorization: `Bearer ${me.adminToken}`, 'content-type': 'application/json' },
        payload: `{"type":"private_message","name":"x","description":"${'A'.repeat(17 * 1024 * 1024)}"}`,
      })
      expect(huge.statusCode).toBe(413)
      expect(huge.headers['content-type']).toMatch(/^application\/json/)
      expect(huge.json()).toMatchObject({ error: 'content_too_large' })
    })
  })
})
