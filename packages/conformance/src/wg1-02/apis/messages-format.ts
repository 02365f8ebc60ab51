/**
 * CDS-WG1-02 §6, §6.1, §6.2, §6.4 and §6.5: who may use the Messages API, and the members of a
 * Message, checked on every Message of the lab and on the ones the suite made for the purpose.
 *
 * @module
 */
import { ClientUpdateRequest, Message } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { currentClient, putClient } from './client-samples.js'
import { reviewedChange } from './clients-modify-kit.js'
import { apiUrl, expectAdminOnly, isUrl, lab, labToken, operatorCall, reserveClient, scopeTokens } from './kit.js'
import { clientMade, everyFixture, PAYMENT_AMOUNT, readLinked, serverMade } from './messages-lab.js'
import { byId, labMessages, newMessages } from './messages-kit.js'

/** The Message types of CDS-WG1-02 §6.2. */
export const MESSAGE_TYPES = ['notification', 'private_message', 'production_request', 'support_request', 'grant_request', 'field_changes', 'server_request', 'client_submission', 'payment_request', 'online_form_request', 'pdf_form_request', 'request_update']

/** The related types of CDS-WG1-02 §6.4. */
export const RELATED_TYPES = ['more_info', 'documentation', 'support', 'online_form', 'pdf_form', 'payment_form', 'payment_receipt', 'client_list', 'client', 'grant_list', 'grant', 'message_list', 'message', 'credential_list', 'credential']

/** Every Message of the lab once the fixtures exist, by id. */
export async function everyMessage(ctx: CheckContext): Promise<Json[]> {
  await everyFixture(ctx)
  const all = [...byId(await labMessages(ctx)).values()]
  ctx.assert(all.length > 0, 'the registration lists no Message')
  return all
}

/** Fails with the first few Messages for which `problem` says something. */
function expectEvery(ctx: CheckContext, messages: readonly Json[], problem: (message: Json) => string | undefined): void {
  const found = messages.flatMap((message) => {
    const said = problem(message)
    return said === undefined ? [] : [`Message ${String(message.message_id)} (${String(message.type)}) ${said}`]
  })
  ctx.assert(found.length === 0, found.slice(0, 4).join('; '))
}

/** A new Server Message, made by changing a Client object of the lab (the changelog of §5.3). */
export async function freshServerMessage(ctx: CheckContext): Promise<Json> {
  const token = await labToken(ctx)
  const { client } = await reserveClient(ctx, 'server-messages', () => true, 'Client object')
  const before = await labMessages(ctx)
  ctx.expectStatus(await putClient(ctx, token, await currentClient(ctx, token, client), { client_name: `cds-ts conformance ${Date.now()}` }), 200)
  const added = newMessages(before, await labMessages(ctx)).filter((message) => message.creator === null)
  const message = added[0]
  if (message === undefined) ctx.fail('changing a Client object added no Server Message (§5.3)')
  return message
}

/** Kinds of `related_type` that a Client admin token reads, and the member that shows the right kind came back. */
const API_KINDS: Readonly<Record<string, string>> = {
  client_list: 'clients',
  client: 'client_id',
  grant_list: 'grants',
  grant: 'grant_id',
  message_list: 'outstanding',
  message: 'message_id',
  credential_list: 'credentials',
  credential: 'credential_id',
}

/** The checks of CDS-WG1-02 §6, §6.1, §6.2, §6.4 and §6.5. */
export const messageFormatChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-6-01',
    spec: 'CDS-WG1-02',
    section: '§6',
    title: 'a Server-side change of a Client object\'s status shows as a Server Message',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      ctx.operator()
      const { client } = await reserveClient(ctx, 'operator-disable', (c) => Array.isArray(c.cds_status_options) && c.cds_status_options.includes('disabled'), 'Client object that can be disabled')
      const before = await labMessages(ctx)
      await operatorCall(ctx, `clients/${encodeURIComponent(String(client.client_id))}/status`, { status: 'disabled', reason: 'cds-ts conformance' }, 200)
      const added = newMessages(before, await labMessages(ctx)).filter((message) => message.creator === null)
      ctx.assert(added.length > 0, 'the Server disabled a Client object and no Server Message tells the Client')
    },
  }),
  defineCheck({
    id: 'R1-02-6-03',
    spec: 'CDS-WG1-02',
    section: '§6',
    title: 'the Messages API and a Message uri take a cds_client_admin bearer token only',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await labToken(ctx)
      await expectAdminOnly(ctx, await apiUrl(ctx, 'cds_messages_api'), token)
      await expectAdminOnly(ctx, String((await clientMade(ctx)).private.uri), token)
    },
  }),
  defineCheck({
    id: 'R1-02-6.1-01',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'every Message has the required members (message_id, uri, previous_uri, type, read, creator, created, modified, status, name, description)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      // Each Message read again at its uri with exact decimals (a payment amount is a decimal, CDS-WG1-02 §2).
      const token = await labToken(ctx)
      for (const message of await everyMessage(ctx)) {
        const exact = ctx.exactJson(await ctx.request({ url: String(message.uri), bearer: token }))
        ctx.conforms(Message, exact, `Message ${String(message.message_id)} (${String(message.type)})`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-6.1-02',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'a Message the Server writes starts unread',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const message = await freshServerMessage(ctx)
      ctx.assert(message.read === false, `a new Server Message has read=${JSON.stringify(message.read)}`)
      const lists = await labMessages(ctx)
      ctx.assert(lists.unread.some((m) => m.message_id === message.message_id), 'a new Server Message is not in the unread list')
      if (ctx.options.operator !== undefined) ctx.assert((await serverMade(ctx)).notification.read === false, 'a notification of the operator test API starts read')
    },
  }),
  defineCheck({
    id: 'R1-02-6.1-03',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'creator is the client_id of the Client that wrote the Message, null for the Server',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const admin = (await lab(ctx)).admin.client_id
      const made = await clientMade(ctx)
      for (const message of [made.private, made.support, made.production, made.grant]) ctx.assert(message.creator === admin, `a Message the Client wrote has creator=${JSON.stringify(message.creator)}, not ${admin}`)
      const server = await freshServerMessage(ctx)
      ctx.assert(server.creator === null, `a Server Message has creator=${JSON.stringify(server.creator)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.1-04',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'name and description carry the subject and body of notifications, private messages and support requests',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const made = await clientMade(ctx)
      ctx.assert(made.support.name === 'cds-ts conformance: a support request' && made.support.description === 'Please look at our Client objects.', 'the support request does not carry the subject and body sent')
      ctx.assert(typeof made.private.name === 'string' && made.private.name.startsWith('cds-ts conformance') && made.private.description === 'A message of the conformance suite.', 'the private message does not carry the subject and body sent')
      if (ctx.options.operator === undefined) return
      const { notification } = await serverMade(ctx)
      ctx.assert(notification.name === 'cds-ts conformance: a notice' && notification.description === 'A notice for the conformance suite.', 'the notification does not carry the subject and body the operator wrote')
    },
  }),
  defineCheck({
    id: 'R1-02-6.1-05',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'field_changes and server_request Messages carry updates_requested',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { serverRequest } = await serverMade(ctx)
      ctx.assert(Array.isArray(serverRequest.updates_requested) && serverRequest.updates_requested.length === 2, 'a server_request has no updates_requested with the two items asked for')
      const kinds = (await everyMessage(ctx)).filter((m) => m.type === 'field_changes' || m.type === 'server_request')
      expectEvery(ctx, kinds, (m) => (Array.isArray(m.updates_requested) ? undefined : 'has no updates_requested'))
    },
  }),
  defineCheck({
    id: 'R1-02-6.1-06',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'a grant_request carries grants_requested (in the 201 and in the listing)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant } = await clientMade(ctx)
      ctx.assert(Array.isArray(grant.grants_requested) && grant.grants_requested.length === 1, 'the 201 of a grant_request has no grants_requested')
      expectEvery(ctx, (await everyMessage(ctx)).filter((m) => m.type === 'grant_request'), (m) => (Array.isArray(m.grants_requested) ? undefined : 'has no grants_requested'))
    },
  }),
  defineCheck({
    id: 'R1-02-6.1-08',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'related_uri means what the type says: the sandbox Client object, the grant target, the changed object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const made = await clientMade(ctx)
      ctx.assert(made.production.related_uri === made.sandbox.cds_client_uri, `the production_request links ${JSON.stringify(made.production.related_uri)}, not the sandbox Client object`)
      ctx.assert(made.grant.related_uri === made.target.cds_client_uri, `the grant_request links ${JSON.stringify(made.grant.related_uri)}, not the target Client object`)
      const sandbox = await readLinked(ctx, String(made.production.related_uri))
      ctx.assert((sandbox.cds_status_options as string[]).includes('sandbox'), 'the production_request links a Client object without sandbox in its options')
      for (const message of await everyMessage(ctx)) {
        if (message.type !== 'field_changes' || typeof message.related_uri !== 'string') continue
        const object = await readLinked(ctx, message.related_uri)
        const fields = ((message.updates_requested ?? []) as Json[]).map((item) => String(item.field))
        ctx.assert(fields.every((field) => field in object), `the field_changes Message links an object without the fields ${fields.join(', ')}`)
      }
    },
  }),
  ...(
    [
      ['R1-02-6.1-09', 'payment', 'payment_request', 'payment_form'],
      ['R1-02-6.1-10', 'online', 'online_form_request', 'online_form'],
      ['R1-02-6.1-11', 'pdf', 'pdf_form_request', 'pdf_form'],
    ] as const
  ).map(([id, key, type, related]) =>
    defineCheck({
      id,
      spec: 'CDS-WG1-02',
      section: '§6.1',
      title: `a ${type} links with related_type ${related}`,
      needs: ['registration', 'operator'],
      async run(ctx: CheckContext) {
        const message = (await serverMade(ctx))[key]
        ctx.assert(message.type === type && isUrl(message.related_uri), `the ${type} has no related_uri`)
        expectEvery(ctx, (await everyMessage(ctx)).filter((m) => m.type === type && m.related_uri != null), (m) => (m.related_type === related ? undefined : `has related_type ${JSON.stringify(m.related_type)}`))
      },
    }),
  ),
  defineCheck({
    id: 'R1-02-6.1-12',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'a Message with a related_uri says what it links to (related_type)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const linked = (await everyMessage(ctx)).filter((m) => m.related_uri !== undefined && m.related_uri !== null)
      ctx.assert(linked.length > 0, 'no Message of the registration has a related_uri')
      expectEvery(ctx, linked, (m) => (typeof m.related_type === 'string' ? undefined : 'has a related_uri and no related_type'))
    },
  }),
  defineCheck({
    id: 'R1-02-6.1-13',
    spec: 'CDS-WG1-02',
    section: '§6.1',
    title: 'a payment_request carries amount as an exact decimal and an ISO 4217 currency',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { payment, paymentText } = await serverMade(ctx)
      ctx.assert(new RegExp(`"amount"\\s*:\\s*${PAYMENT_AMOUNT.replace('.', '\\.')}(?![0-9])`).test(paymentText), `the payment_request does not carry amount ${PAYMENT_AMOUNT} with its digits as written (a JSON number)`)
      ctx.assert(typeof payment.currency === 'string' && /^[A-Z]{3}$/.test(payment.currency), `the payment_request has currency=${JSON.stringify(payment.currency)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.2-01',
    spec: 'CDS-WG1-02',
    section: '§6.2',
    title: 'every Message type is one of the twelve of §6.2',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      expectEvery(ctx, await everyMessage(ctx), (m) => (MESSAGE_TYPES.includes(String(m.type)) ? undefined : 'has an unknown type'))
    },
  }),
  defineCheck({
    id: 'R1-02-6.2-02',
    spec: 'CDS-WG1-02',
    section: '§6.2',
    title: 'a field_changes Message is the Server\'s (creator null) although the Client caused it',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { fieldChanges } = await reviewedChange(ctx)
      if (fieldChanges === undefined) ctx.fail('the change held for review added no field_changes Message')
      ctx.assert(fieldChanges.creator === null, `the field_changes Message has creator=${JSON.stringify(fieldChanges.creator)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.2-03',
    spec: 'CDS-WG1-02',
    section: '§6.2',
    title: 'a request_update answers (previous_uri) a request, submission or form Message',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const answerable = ['production_request', 'support_request', 'grant_request', 'server_request', 'client_submission', 'payment_request', 'online_form_request', 'pdf_form_request', 'field_changes']
      const updates = (await everyMessage(ctx)).filter((m) => m.type === 'request_update')
      ctx.assert(updates.length > 0, 'the Server\'s decisions wrote no request_update')
      for (const update of updates) {
        ctx.assert(isUrl(update.previous_uri), `request_update ${String(update.message_id)} has previous_uri=${JSON.stringify(update.previous_uri)}`)
        const answered = await readLinked(ctx, update.previous_uri)
        ctx.assert(answerable.includes(String(answered.type)), `request_update ${String(update.message_id)} answers a ${String(answered.type)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-6.2-07',
    spec: 'CDS-WG1-02',
    section: '§6.2',
    title: 'a server_request waits in outstanding, open, and names each item it asks for',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { serverRequest } = await serverMade(ctx)
      const listed = (await labMessages(ctx)).outstanding.find((m) => m.message_id === serverRequest.message_id)
      if (listed === undefined) ctx.fail('the open server_request is not in outstanding')
      ctx.assert(listed.status === 'open', `the unanswered server_request has status ${JSON.stringify(listed.status)}`)
      for (const item of (listed.updates_requested ?? []) as Json[])
        ctx.assert(typeof item.field === 'string' && typeof item.name === 'string' && typeof item.description === 'string', `a server_request item lacks field, name or description: ${JSON.stringify(item)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.4-01',
    spec: 'CDS-WG1-02',
    section: '§6.4',
    title: 'every related_type is one of the fifteen of §6.4',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const typed = (await everyMessage(ctx)).filter((m) => m.related_type !== undefined)
      ctx.assert(typed.length > 0, 'no Message of the registration has a related_type')
      expectEvery(ctx, typed, (m) => (RELATED_TYPES.includes(String(m.related_type)) ? undefined : `has related_type ${JSON.stringify(m.related_type)}`))
    },
  }),
  defineCheck({
    id: 'R1-02-6.4-03',
    spec: 'CDS-WG1-02',
    section: '§6.4',
    title: 'API links (client, grant, message, credential and their lists) answer a cds_client_admin token with the right kind of object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const linked = (await everyMessage(ctx)).filter((m) => typeof m.related_type === 'string' && m.related_type in API_KINDS && typeof m.related_uri === 'string')
      ctx.assert(linked.length > 0, 'no Message links an API object')
      for (const message of linked) {
        const body = await readLinked(ctx, String(message.related_uri))
        const member = API_KINDS[String(message.related_type)] ?? ''
        ctx.assert(member in body, `the ${String(message.related_type)} link of Message ${String(message.message_id)} answered an object without ${member}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-6.5-01',
    spec: 'CDS-WG1-02',
    section: '§6.5',
    title: 'every updates_requested item has a field',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const items = (await everyMessage(ctx)).flatMap((m) => (Array.isArray(m.updates_requested) ? (m.updates_requested as Json[]) : []))
      if (items.length === 0) ctx.notApplicable('no Message of the registration has updates_requested (the run has no operator test API and no review)')
      for (const item of items) ctx.conforms(ClientUpdateRequest, item, 'an updates_requested item')
    },
  }),
  defineCheck({
    id: 'R1-02-6.5-02',
    spec: 'CDS-WG1-02',
    section: '§6.5',
    title: 'a field_changes item names the changed member of the object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { fieldChanges } = await reviewedChange(ctx)
      const fields = ((fieldChanges?.updates_requested ?? []) as Json[]).map((item) => item.field)
      ctx.assert(fields.includes('scope'), `the field_changes Message lists ${JSON.stringify(fields)}, not the changed member scope`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.5-03',
    spec: 'CDS-WG1-02',
    section: '§6.5',
    title: 'each item of a server_request has a human-readable name and description',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const requests = (await everyMessage(ctx)).filter((m) => m.type === 'server_request')
      ctx.assert(requests.length > 0, 'the registration has no server_request')
      for (const request of requests)
        for (const item of (request.updates_requested ?? []) as Json[])
          ctx.assert(typeof item.name === 'string' && item.name !== '' && typeof item.description === 'string' && item.description !== '', `a server_request item has name=${JSON.stringify(item.name)}, description=${JSON.stringify(item.description)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.5-05',
    spec: 'CDS-WG1-02',
    section: '§6.5',
    title: 'a field_changes item gives the current value as previous_value and the asked one as new_value',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const review = await reviewedChange(ctx)
      const item = ((review.fieldChanges?.updates_requested ?? []) as Json[]).find((entry) => entry.field === 'scope')
      if (item === undefined) ctx.fail('the field_changes Message has no scope item')
      const tokens = (value: unknown) => scopeTokens(value).sort().join(' ')
      ctx.assert('previous_value' in item && tokens(item.previous_value) === tokens(review.before.scope), `previous_value is ${JSON.stringify(item.previous_value)}, the scope was ${JSON.stringify(review.before.scope)}`)
      ctx.assert('new_value' in item && tokens(item.new_value) === tokens(review.requested), `new_value is ${JSON.stringify(item.new_value)}, the PUT asked for ${JSON.stringify(review.requested)}`)
    },
  }),
]
