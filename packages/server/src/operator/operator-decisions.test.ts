import type { Client, Credential, Grant, Message } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiApp, call, operator, register, type ApiApp, type TestRegistration } from '../../test/api-app.js'
import { forEachDialect } from '../../test/dialects.js'
import { clientMessages, clientObjects, clientPost, outstandingMessages, registrationIdOf } from '../../test/operator-helpers.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE } from '../config/defaults.js'

interface Approval {
  registration_id: string
  request_update: Message
  request: Message
  client: Client
  credential: Credential | null
  grants: Grant[]
}

interface Decision {
  registration_id: string
  request_update: Message
  request: Message
}

forEachDialect('operator decisions', (t) => {
  let api: ApiApp
  let acme: TestRegistration

  /** The sandbox Client object of a scope. */
  async function sandboxOf(scope: string): Promise<Client> {
    const found = (await clientObjects(api, acme)).find((c) => c.scope === scope && c.cds_status === 'sandbox')
    if (found === undefined) throw new Error(`no sandbox Client object for ${scope}`)
    return found
  }

  async function productionRequest(sandbox: Client): Promise<Message> {
    return clientPost(api, acme, { type: 'production_request', previous_uri: null, name: 'Production access', description: 'Please approve', related_uri: sandbox.cds_client_uri })
  }

  beforeAll(async () => {
    // Every non-admin Client object starts in sandbox and waits for the operator; client_name changes are reviewed.
    api = await buildApiApp(t.database, (config) => {
      config.registration.production_access = 'review'
      config.client_management.review_fields = ['client_name']
    })
    acme = await register(api.app)
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('CDS-WG1-02 §6.9 production requests', () => {
    it('R1-02-6.9-17 R1-02-6.3-03 approval creates the production Client object, its Credential and a complete request_update', async () => {
      const sandbox = await sandboxOf(DEMO_CODE_SCOPE)
      const request = await productionRequest(sandbox)
      api.clock.advance(60)
      const response = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/approve-production`)
      expect(response.statusCode).toBe(201)
      expect(response.headers['cache-control']).toBe('no-store')
      const approval = response.json<Approval>()
      const { client } = approval
      expect(client.client_id).not.toBe(sandbox.client_id)
      expect(client).toMatchObject({
        cds_status: 'production',
        cds_status_options: ['production', 'disabled'],
        scope: sandbox.scope,
        grant_types: sandbox.grant_types,
        response_types: sandbox.response_types,
        redirect_uris: sandbox.redirect_uris,
        client_name: sandbox.client_name,
        cds_created: '2025-01-01T00:01:00Z',
      })
      expect(approval.credential).toMatchObject({ client_id: client.client_id, type: 'client_secret', client_secret_expires_at: 0 })
      expect(approval.credential?.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
      // A code-flow Client object gets no client-credentials Grant.
      expect(approval.grants).toEqual([])
      expect(approval.request_update).toMatchObject({
        type: 'request_update',
        status: 'complete',
        creator: null,
        read: false,
        previous_uri: request.uri,
        related_type: 'client',
        related_uri: client.cds_client_uri,
      })
      // the request mirrors the outcome and links the production object.
      expect(approval.request).toMatchObject({ message_id: request.message_id, status: 'complete', related_type: 'client', related_uri: client.cds_client_uri })

      // What the Client sees through its own APIs.
      const got = await call(api.app, 'GET', client.cds_client_uri, acme.adminToken)
      expect(got.statusCode).toBe(200)
      expect(got.json<Client>().cds_status_options).toContain('production')
      expect((await clientObjects(api, acme)).map((c) => c.client_id)).toContain(client.client_id)
      const credentials = await call(api.app, 'GET', `/api/credentials?client_ids=${client.client_id}`, acme.adminToken)
      expect(credentials.json<{ credentials: Credential[] }>().credentials.map((c) => c.credential_id)).toEqual([approval.credential?.credential_id])
      const messages = await clientMessages(api, acme)
      expect(messages.find((m) => m.message_id === approval.request_update.message_id)).toMatchObject({ status: 'complete', previous_uri: request.uri })
      expect(messages.find((m) => m.name === 'Client object added')).toMatchObject({ type: 'notification', related_type: 'client', related_uri: client.cds_client_uri })
      expect(messages.find((m) => m.name === 'Credential added')).toMatchObject({ type: 'notification', related_type: 'credential', related_uri: approval.credential?.uri })
      expect((await outstandingMessages(api, acme)).some((m) => m.message_id === request.message_id)).toBe(false)
    })

    it('approving a client-credentials sandbox object also creates its active Grant', async () => {
      const sandbox = await sandboxOf(DEMO_DIRECT_SCOPE)
      const request = await productionRequest(sandbox)
      const response = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/approve-production`, { description: 'Welcome to production.' })
      expect(response.statusCode).toBe(201)
      const approval = response.json<Approval>()
      expect(approval.request_update.description).toBe('Welcome to production.')
      expect(approval.grants).toHaveLength(1)
      expect(approval.grants[0]).toMatchObject({ client_id: approval.client.client_id, status: 'active', scope: DEMO_DIRECT_SCOPE, enabled_scope: DEMO_DIRECT_SCOPE })
      const grants = await call(api.app, 'GET', `/api/grants?client_ids=${approval.client.client_id}`, acme.adminToken)
      expect(grants.json<{ grants: Grant[] }>().grants.map((g) => g.grant_id)).toEqual([approval.grants[0]?.grant_id])
    })

    it('deciding the same request twice, either way, is 409 conflict', async () => {
      const request = await productionRequest(await sandboxOf(DEMO_CODE_SCOPE))
      expect((await operator(api.app, 'POST', `/operator/messages/${request.message_id}/approve-production`)).statusCode).toBe(201)
      const again = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/approve-production`)
      expect(again.statusCode).toBe(409)
      expect(again.json()).toMatchObject({ error: 'conflict' })
      const rejected = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/reply`, { status: 'rejected', description: 'Too late.' })
      expect(rejected.statusCode).toBe(409)
    })

    it('R1-02-6.3-06 rejection is a rejected request_update whose description says why', async () => {
      const request = await productionRequest(await sandboxOf(DEMO_CODE_SCOPE))
      const empty = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/reply`, { status: 'rejected', description: ' ' })
      expect(empty.statusCode).toBe(400)
      expect(empty.json()).toMatchObject({ error: 'invalid_request' })
      const response = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/reply`, {
        status: 'rejected',
        description: 'The sandbox Client object has not been used yet.',
      })
      expect(response.statusCode).toBe(201)
      const decision = response.json<Decision>()
      expect(decision.request_update).toMatchObject({ type: 'request_update', status: 'rejected', previous_uri: request.uri, description: 'The sandbox Client object has not been used yet.' })
      expect(decision.request_update.description).not.toBe(request.description)
      expect(decision.request.status).toBe('rejected')
      const seen = (await clientMessages(api, acme)).find((m) => m.message_id === request.message_id)
      expect(seen?.status).toBe('rejected')
    })

    it('completing a production request by reply is refused: approval creates the object', async () => {
      const request = await productionRequest(await sandboxOf(DEMO_CODE_SCOPE))
      const response = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/reply`, { status: 'complete', description: 'ok' })
      expect(response.statusCode).toBe(400)
      expect(response.json<{ error_description: string }>().error_description).toMatch(/approve-production/)
    })

    it('approving another type of Message is 400, an unknown one 404', async () => {
      const support = await clientPost(api, acme, { type: 'support_request', previous_uri: null, name: 'Help', description: 'Token fails' })
      const wrong = await operator(api.app, 'POST', `/operator/messages/${support.message_id}/approve-production`)
      expect(wrong.statusCode).toBe(400)
      expect(wrong.json<{ error_description: string }>().error_description).toMatch(/support_request, not a production_request/)
      const unknown = await operator(api.app, 'POST', '/operator/messages/no-such-message/approve-production')
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json()).toMatchObject({ error: 'not_found' })
    })
  })

  describe('CDS-WG1-02 §6.9 grant requests', () => {
    it('R1-02-6.9-20 R1-02-6.3-04 approval creates the Grants and links exactly them', async () => {
      const target = await sandboxOf(DEMO_DIRECT_SCOPE)
      const request = await clientPost(api, acme, {
        type: 'grant_request',
        previous_uri: null,
        name: 'Meter access',
        description: 'Two meters please',
        related_uri: target.cds_client_uri,
        grants_requested: [
          { scope: DEMO_DIRECT_SCOPE, authorization_details: [{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-1'] }] },
          { scope: DEMO_DIRECT_SCOPE, authorization_details: [{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-2'], max_readings: 10 }] },
        ],
      })
      const response = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/approve-grant-request`)
      expect(response.statusCode).toBe(201)
      const approval = response.json<Approval>()
      expect(approval.grants).toHaveLength(2)
      for (const grant of approval.grants) expect(grant).toMatchObject({ client_id: target.client_id, status: 'active', scope: DEMO_DIRECT_SCOPE })
      const ids = approval.grants.map((g) => g.grant_id)
      expect(approval.request_update).toMatchObject({
        status: 'complete',
        previous_uri: request.uri,
        related_type: 'grant_list',
        related_uri: `https://utility.example.com/api/grants?grant_ids=${ids.join('%20')}`,
      })
      expect(approval.request).toMatchObject({ status: 'complete', related_type: 'grant_list', related_uri: approval.request_update.related_uri })
      const linked = await call(api.app, 'GET', approval.request_update.related_uri!, acme.adminToken)
      expect(linked.statusCode).toBe(200)
      expect(linked.json<{ grants: Grant[] }>().grants.map((g) => g.grant_id).sort()).toEqual([...ids].sort())
      const byClient = await call(api.app, 'GET', `/api/grants?client_ids=${target.client_id}`, acme.adminToken)
      expect(byClient.json<{ grants: Grant[] }>().grants.map((g) => g.grant_id)).toEqual(expect.arrayContaining(ids))
    })

    it('rejection answers the grant request without Grants', async () => {
      const target = await sandboxOf(DEMO_DIRECT_SCOPE)
      const request = await clientPost(api, acme, {
        type: 'grant_request',
        previous_uri: null,
        name: 'More meters',
        description: 'please',
        related_uri: target.cds_client_uri,
        grants_requested: [{ scope: DEMO_DIRECT_SCOPE, authorization_details: [{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-9'] }] }],
      })
      const response = await operator(api.app, 'POST', `/operator/messages/${request.message_id}/reply`, { status: 'rejected', description: 'Meter m-9 is not yours.' })
      expect(response.statusCode).toBe(201)
      expect(response.json<Decision>().request_update).toMatchObject({ status: 'rejected', description: 'Meter m-9 is not yours.' })
      expect((await operator(api.app, 'POST', `/operator/messages/${request.message_id}/approve-grant-request`)).statusCode).toBe(409)
    })
  })

  describe('CDS-WG1-02 §6.3 answering other Messages', () => {
    it('a support request goes pending then complete, and leaves outstanding', async () => {
      const support = await clientPost(api, acme, { type: 'support_request', previous_uri: null, name: 'Help', description: 'Token fails' })
      const pending = await operator(api.app, 'POST', `/operator/messages/${support.message_id}/reply`, { status: 'pending', description: 'Looking into it.' })
      expect(pending.statusCode).toBe(201)
      expect(pending.json<Decision>().request.status).toBe('pending')
      const done = await operator(api.app, 'POST', `/operator/messages/${support.message_id}/reply`, {
        status: 'complete',
        description: 'Fixed.',
        related_uri: 'https://utility.example.com/docs/oauth',
        related_type: 'documentation',
      })
      expect(done.json<Decision>().request_update).toMatchObject({ status: 'complete', related_type: 'documentation' })
      expect((await outstandingMessages(api, acme)).some((m) => m.message_id === support.message_id)).toBe(false)
    })

    it('A-49 answering a client_submission sets the server_request, not the submission', async () => {
      const registration_id = await registrationIdOf(api, acme)
      const sent = await operator(api.app, 'POST', '/operator/messages', {
        type: 'server_request',
        registration_id,
        name: 'W-9',
        description: 'Send your W-9',
        updates_requested: [{ field: 'w9', name: 'W-9 form', description: 'The signed form.' }],
      })
      const serverRequest = sent.json<{ messages: { message: Message }[] }>().messages[0]!.message
      const submission = await clientPost(api, acme, {
        type: 'client_submission',
        previous_uri: serverRequest.uri,
        name: '',
        description: '',
        updates_requested: [{ field: 'w9', uri: 'https://client.example/w9.pdf' }],
      })
      const response = await operator(api.app, 'POST', `/operator/messages/${submission.message_id}/reply`, { status: 'complete', description: 'Received, thanks.' })
      expect(response.statusCode).toBe(201)
      const decision = response.json<Decision>()
      expect(decision.request).toMatchObject({ message_id: serverRequest.message_id, status: 'complete' })
      const seen = await clientMessages(api, acme)
      expect(seen.find((m) => m.message_id === submission.message_id)?.status).toBe('complete')
    })

    it('R1-02-6.3-05 completing a payment request links the receipt as payment_receipt', async () => {
      const registration_id = await registrationIdOf(api, acme)
      const sent = await operator(api.app, 'POST', '/operator/messages', {
        type: 'payment_request',
        registration_id,
        name: 'Fee',
        description: 'Pay',
        related_uri: 'https://utility.example.com/pay/1',
      })
      const payment = sent.json<{ messages: { message: Message }[] }>().messages[0]!.message
      const noReceipt = await operator(api.app, 'POST', `/operator/messages/${payment.message_id}/reply`, { status: 'complete', description: 'Paid.' })
      expect(noReceipt.statusCode).toBe(400)
      const response = await operator(api.app, 'POST', `/operator/messages/${payment.message_id}/reply`, {
        status: 'complete',
        description: 'Paid, thank you.',
        related_uri: 'https://utility.example.com/receipts/1',
      })
      expect(response.statusCode).toBe(201)
      expect(response.json<Decision>().request_update).toMatchObject({ related_type: 'payment_receipt', related_uri: 'https://utility.example.com/receipts/1' })
    })

    it('a notification cannot be answered', async () => {
      const notice = (await clientMessages(api, acme)).find((m) => m.type === 'notification')!
      const response = await operator(api.app, 'POST', `/operator/messages/${notice.message_id}/reply`, { status: 'complete', description: 'x' })
      expect(response.statusCode).toBe(400)
    })
  })

  describe('CDS-WG1-02 §5.5 field changes under review', () => {
    it('approval applies the held Client object fields; a stale review is 409', async () => {
      const target = (await clientObjects(api, acme)).find((c) => c.scope === DEMO_CODE_SCOPE && c.cds_status === 'sandbox')!
      const { cds_client_uri, client_id: _id, ...rest } = target
      const put = (client_name: string) => call(api.app, 'PUT', cds_client_uri, acme.adminToken, { ...rest, client_name })
      expect((await put('Acme Reviewed')).statusCode).toBe(202)
      expect((await put('Acme Second')).statusCode).toBe(202)
      const held = (await outstandingMessages(api, acme)).filter((m) => m.type === 'field_changes')
      expect(held).toHaveLength(2)
      const first = held.find((m) => m.updates_requested?.[0]?.new_value === 'Acme Reviewed')!
      const second = held.find((m) => m.updates_requested?.[0]?.new_value === 'Acme Second')!
      const response = await operator(api.app, 'POST', `/operator/messages/${first.message_id}/reply`, { status: 'complete', description: 'Name approved.' })
      expect(response.statusCode).toBe(201)
      expect(response.json<Decision>().request_update).toMatchObject({ status: 'complete', related_type: 'client', related_uri: cds_client_uri })
      const got = await call(api.app, 'GET', cds_client_uri, acme.adminToken)
      expect(got.json<Client>().client_name).toBe('Acme Reviewed')
      expect((await clientMessages(api, acme)).some((m) => m.name === 'Client object modified' && m.related_uri === cds_client_uri)).toBe(true)
      const stale = await operator(api.app, 'POST', `/operator/messages/${second.message_id}/reply`, { status: 'complete', description: 'Also approved.' })
      expect(stale.statusCode).toBe(409)
      const rejected = await operator(api.app, 'POST', `/operator/messages/${second.message_id}/reply`, { status: 'rejected', description: 'Superseded by the first change.' })
      expect(rejected.statusCode).toBe(201)
      expect((await call(api.app, 'GET', cds_client_uri, acme.adminToken)).json<Client>().client_name).toBe('Acme Reviewed')
    })
  })
})
