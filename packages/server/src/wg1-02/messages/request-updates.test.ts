import { InvalidRequest, NotFound, toDateTime } from '@cds-ts/auth'
import { checkStrict, Message, type MessageListing } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, call, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { endpointUrl, resourceUrl } from '../../config/endpoints.js'
import { KyselyMessageStore } from '../../db/message-store.js'
import { writeServerMessage, type ServerMessageInput } from '../../shared/server-messages.js'
import { replyWithRequestUpdate } from './request-updates.js'

const messageUri = (id: string) => resourceUrl(API_BASE_URL, 'messages_api', id)
const clientUri = (id: string) => resourceUrl(API_BASE_URL, 'clients_api', id)

forEachDialect('CDS-WG1-02 §6.2 request_update replies', (t) => {
  let api: ApiApp
  let app: FastifyInstance
  let me: TestRegistration & { registration_id: string; sandbox: string; direct: string }
  const reply = (message_id: string, ...rest: Parameters<typeof replyWithRequestUpdate> extends [unknown, unknown, unknown, unknown, ...infer R] ? R : never) =>
    replyWithRequestUpdate(t.db, api.clock, api.config, message_id, ...rest)
  const serverMessage = (input: Partial<ServerMessageInput>) =>
    writeServerMessage(t.db, api.clock, { registration_id: me.registration_id, previous_id: null, type: 'notification', status: 'complete', name: 'N', description: 'D', ...input })
  const get = async (id: string) => (await call(app, 'GET', messageUri(id), me.adminToken)).json<Message>()
  const post = async (body: Record<string, unknown>) => {
    const response = await call(app, 'POST', '/api/messages', me.adminToken, body)
    expect(response.statusCode).toBe(201)
    return response.json<Message>()
  }

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    app = api.app
    const registration = await register(app)
    const clients = await t.db.selectFrom('clients').select(['client_id', 'registration_id', 'scope', 'cds_status_options']).execute()
    const registration_id = clients.find((c) => c.client_id === registration.admin.client_id)?.registration_id ?? ''
    const own = clients.filter((c) => c.registration_id === registration_id)
    const find = (scope: string, option: string) => own.find((c) => c.scope === scope && c.cds_status_options.includes(option))?.client_id ?? ''
    me = { ...registration, registration_id, sandbox: find('demo_usage_data', 'sandbox'), direct: find('demo_meter_readings', 'production') }
  })
  afterAll(async () => {
    await app.close()
  })

  describe('CDS-WG1-02 §6.9 decisions on Client requests', () => {
    it('R1-02-6.9-17 R1-02-6.3-03 R1-02-6.2-03 R1-02-6.2-04 R1-02-6.4-03 A-09 an approved production_request links the production Client object', async () => {
      const request = await post({ type: 'production_request', name: 'Go live', description: 'Please', related_uri: clientUri(me.sandbox) })
      api.clock.advance(30)
      const production = clientUri(me.direct)
      const { request_update, original } = await reply(request.message_id, 'complete', { description: 'Approved', related_uri: production, related_type: 'client' })
      const update = await get(request_update.message_id)
      expect(update).toMatchObject({ type: 'request_update', previous_uri: request.uri, status: 'complete', read: false, creator: null, related_uri: production, related_type: 'client' })
      expect(checkStrict(Message, update)).toEqual([])
      // the request itself now says complete, links the production object and left `outstanding`.
      const stored = await get(request.message_id)
      expect(stored).toMatchObject({ status: 'complete', related_uri: production, related_type: 'client', modified: toDateTime(api.clock.now()) })
      expect(checkStrict(Message, stored)).toEqual([])
      expect(original).toMatchObject({ status: 'complete', related_uri: production })
      // R1-02-6.4-03: the `client` link opens with the Client Admin token.
      const linked = await call(app, 'GET', production, me.adminToken)
      expect(linked.statusCode).toBe(200)
      expect(linked.json()).toMatchObject({ client_id: me.direct, cds_client_uri: production })
      const listing = (await call(app, 'GET', `/api/messages?message_ids=${request.message_id}+${request_update.message_id}`, me.adminToken)).json<MessageListing>()
      expect(listing.outstanding).toEqual([])
      // R1-02-6-01: the decision reaches the Client through the Messages API, unread.
      expect(listing.unread.map((m) => m.message_id)).toEqual([request_update.message_id])
    })

    it('R1-02-6.9-20 R1-02-6.3-04 an approved grant_request links the filtered Grants listing', async () => {
      const request = await post({
        type: 'grant_request',
        name: 'Meters',
        description: 'Please',
        related_uri: clientUri(me.direct),
        grants_requested: [{ scope: 'demo_meter_readings', authorization_details: [] }],
      })
      const grants = `${endpointUrl(API_BASE_URL, 'grants_api')}?grant_ids=g-1%20g-2`
      await expect(reply(request.message_id, 'complete', { description: 'Approved' })).rejects.toThrow(InvalidRequest)
      await expect(reply(request.message_id, 'complete', { description: 'Approved', related_uri: grants, related_type: 'grant' })).rejects.toThrow(/grant_list/)
      await reply(request.message_id, 'complete', { description: 'Approved', related_uri: grants, related_type: 'grant_list' })
      expect(await get(request.message_id)).toMatchObject({ status: 'complete', related_uri: grants, related_type: 'grant_list', grants_requested: request.grants_requested })
    })

    it('R1-02-6.3-06 a rejection explains why, and the request takes the status', async () => {
      const request = await post({ type: 'production_request', name: 'Go live', description: 'Please', related_uri: clientUri(me.sandbox) })
      await expect(reply(request.message_id, 'rejected', { description: '  ' })).rejects.toThrow(/why/)
      const { request_update } = await reply(request.message_id, 'rejected', { description: 'The sandbox object was never used.' })
      expect(await get(request_update.message_id)).toMatchObject({ status: 'rejected', description: 'The sandbox object was never used.' })
      // The original keeps its sandbox link; only completion replaces it (§6.3).
      expect(await get(request.message_id)).toMatchObject({ status: 'rejected', related_uri: clientUri(me.sandbox), related_type: 'client' })
    })

    it('R1-02-6.2-05 R1-02-6.9-15 an update may repeat the current status as information', async () => {
      const request = await post({ type: 'support_request', name: 'Help', description: 'It fails' })
      const { request_update } = await reply(request.message_id, 'pending', { name: 'Looking into it', description: 'We are on it.' })
      expect(await get(request_update.message_id)).toMatchObject({ name: 'Looking into it', status: 'pending', previous_uri: request.uri })
      expect(await get(request.message_id)).toMatchObject({ status: 'pending' })
    })
  })

  describe('CDS-WG1-02 §3.6 decisions on Server requests', () => {
    it('R1-02-6.3-05 a completed payment links its receipt; the payment_request keeps its form link', async () => {
      const payment = await serverMessage({ type: 'payment_request', status: 'open', related_uri: 'https://pay.example/form', related_type: 'payment_form' })
      await expect(reply(payment.message_id, 'complete', { description: 'Paid' })).rejects.toThrow(/payment_receipt/)
      await reply(payment.message_id, 'pending', { description: 'Payment received, clearing.' })
      const { request_update } = await reply(payment.message_id, 'complete', { description: 'Paid', related_uri: 'https://pay.example/receipt/1', related_type: 'payment_receipt' })
      expect(await get(request_update.message_id)).toMatchObject({ status: 'complete', related_type: 'payment_receipt', related_uri: 'https://pay.example/receipt/1' })
      expect(await get(payment.message_id)).toMatchObject({ status: 'complete', related_type: 'payment_form', related_uri: 'https://pay.example/form' })
    })

    it('R1-02-6.2-07 R1-02-6.5-03 A-49 a decision on a client_submission is mirrored onto its server_request', async () => {
      const request = await serverMessage({ type: 'server_request', status: 'open', name: 'Tax id', updates_requested: [{ field: 'tax_id', name: 'Tax id', description: 'Your tax id' }] })
      const before = (await call(app, 'GET', `/api/messages?message_ids=${request.message_id}`, me.adminToken)).json<MessageListing>()
      expect(before.outstanding).toEqual([expect.objectContaining({ status: 'open', updates_requested: [{ field: 'tax_id', name: 'Tax id', description: 'Your tax id' }] })])
      const submission = await post({ type: 'client_submission', previous_uri: messageUri(request.message_id), name: '', description: '', updates_requested: [{ field: 'tax_id', description: '12' }] })
      const { request_update, original, mirrored } = await reply(submission.message_id, 'rejected', { description: 'That is not a tax id.' })
      expect(await get(request_update.message_id)).toMatchObject({ previous_uri: submission.uri, status: 'rejected' })
      // the submission stays complete (§6.3); the server_request carries the outcome.
      expect(original).toMatchObject({ message_id: submission.message_id, status: 'complete' })
      expect(mirrored).toMatchObject({ message_id: request.message_id, status: 'rejected' })
      expect(await get(submission.message_id)).toMatchObject({ status: 'complete' })
      expect(await get(request.message_id)).toMatchObject({ status: 'rejected' })
    })

    it('R1-02-6.3-01 statuses that do not fit the answered type, unanswerable types and unknown ids are refused', async () => {
      const support = await post({ type: 'support_request', name: 'Help', description: 'x' })
      await expect(reply(support.message_id, 'rejected', { description: 'No' })).rejects.toThrow(/support_request Message cannot have the status rejected/)
      const notice = await serverMessage({})
      await expect(reply(notice.message_id, 'complete', { description: 'x' })).rejects.toThrow(/cannot answer a notification/)
      await expect(reply('no-such-message', 'complete', { description: 'x' })).rejects.toThrow(NotFound)
      await expect(reply(support.message_id, 'complete', { description: 'x', related_uri: 'https://x.example' })).rejects.toThrow(/go together/)
      expect(await get(support.message_id)).toMatchObject({ status: 'pending' })
    })

    it('writes both records in the caller’s transaction: a rollback leaves no reply and no status change', async () => {
      const form = await serverMessage({ type: 'online_form_request', status: 'open', related_uri: 'https://forms.example/1', related_type: 'online_form' })
      let replyId = ''
      await expect(
        t.db.transaction().execute(async (trx) => {
          replyId = (await replyWithRequestUpdate(trx, api.clock, api.config, form.message_id, 'complete', { description: 'Done' })).request_update.message_id
          throw new Error('rollback')
        }),
      ).rejects.toThrow('rollback')
      expect(replyId).not.toBe('')
      expect(await new KyselyMessageStore(t.db).find(replyId)).toBeUndefined()
      expect(await get(form.message_id)).toMatchObject({ status: 'open' })
    })
  })
})
