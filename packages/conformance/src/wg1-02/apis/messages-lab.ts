/**
 * The Messages the §6 checks look at, made once per run in the area's lab registration: the four
 * kinds a Client writes (CDS-WG1-02 §6.9), the Server's kinds written through the operator test
 * API (notification, server request, payment, form requests, a private reply), and the Server's
 * decisions on the requests (approval, rejection, payment receipt, support answer).
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { currentClient } from './client-samples.js'
import { apiUrl, isCodeClient, jsonBody, lab, labToken, operatorCall, operatorRegistrationId, reserveClient, scopeTokens, type LabClient } from './kit.js'
import { createMessage, labMessages, messageAt, privateMessage } from './messages-kit.js'

/** The Messages the lab's Client wrote, as their 201 answered them. */
export interface ClientMade {
  private: Json
  support: Json
  production: Json
  grant: Json
  /** The sandbox Client object of the production request and the target of the grant request. */
  sandbox: Json
  target: Json
}

/** A Client object of the lab with a scope and at least one authorization details type (a grant request target). */
const grantTarget = (client: Json) => scopeTokens(client.scope).length > 0 && Array.isArray(client.authorization_details_types) && client.authorization_details_types.length > 0

/** The run's {@link ClientMade}. */
export function clientMade(ctx: CheckContext): Promise<ClientMade> {
  return ctx.once('wg1-02-apis:client-made', async () => {
    const token = await labToken(ctx)
    const sandbox = (await reserveClient(ctx, 'production-request', (c) => Array.isArray(c.cds_status_options) && c.cds_status_options.includes('sandbox'), 'sandbox Client object')).client
    const target = (await reserveClient(ctx, 'grant-target', (c) => grantTarget(c) && !isCodeClient(c), 'Client object for a grant request')).client
    const made = (body: Json) => createMessage(ctx, body, token)
    return {
      private: await made(privateMessage()),
      support: await made({ type: 'support_request', previous_uri: null, name: 'cds-ts conformance: a support request', description: 'Please look at our Client objects.', related_uri: await apiUrl(ctx, 'cds_clients_api') }),
      production: await made({ type: 'production_request', previous_uri: null, name: 'cds-ts conformance: production access', description: 'We ask for production access.', related_uri: sandbox.cds_client_uri }),
      grant: await made({
        type: 'grant_request',
        previous_uri: null,
        name: 'cds-ts conformance: a grant',
        description: 'We ask for a Grant of this scope.',
        related_uri: target.cds_client_uri,
        grants_requested: [{ scope: scopeTokens(target.scope)[0], authorization_details: [] }],
      }),
      sandbox,
      target,
    }
  })
}

/** The Server's Messages written through the operator test API, as the Client reads them. */
export interface ServerMade {
  notification: Json
  /** A server request left open. */
  serverRequest: Json
  /** A server request for the Client to answer. */
  toAnswer: Json
  payment: Json
  /** The payment request's body text as the Client got it (to see the decimal's digits). */
  paymentText: string
  online: Json
  pdf: Json
  /** The Server's private reply to the Client's private message. */
  reply: Json
}

/** The amount of the payment request, written with a trailing zero that a float would lose. */
export const PAYMENT_AMOUNT = '1234.50'

/** The run's {@link ServerMade} (skipped without the operator test API). */
export function serverMade(ctx: CheckContext): Promise<ServerMade> {
  ctx.operator()
  return ctx.once('wg1-02-apis:server-made', async () => {
    const registration_id = await operatorRegistrationId(ctx, await lab(ctx))
    const send = async (body: Json | string): Promise<Json> => {
      const answer = await operatorCall(ctx, 'messages', typeof body === 'string' ? body : { registration_id, ...body })
      const message = ((answer.messages ?? []) as Json[])[0]?.message as Json | undefined
      if (message === undefined) ctx.fail('the operator test API wrote no Message')
      return messageAt(ctx, message.uri)
    }
    const items = (prefix: string) => [
      { field: `${prefix}_website`, name: 'Company website', description: 'The public website of your company.' },
      { field: `${prefix}_tax_id`, name: 'Tax identifier', description: 'Your company tax identifier.' },
    ]
    const payment = await send(
      `{"type":"payment_request","registration_id":${JSON.stringify(registration_id)},"name":"cds-ts conformance: a fee","description":"Please pay the fee.",` +
        `"related_uri":"https://pay.client.example/checkout","amount":${PAYMENT_AMOUNT},"currency":"USD"}`,
    )
    const paymentText = (await ctx.request({ url: String(payment.uri), bearer: await labToken(ctx) })).text
    const { private: mine } = await clientMade(ctx)
    return {
      notification: await send({ type: 'notification', name: 'cds-ts conformance: a notice', description: 'A notice for the conformance suite.', related_uri: 'https://server.example/more-info' }),
      serverRequest: await send({ type: 'server_request', name: 'cds-ts conformance: details needed', description: 'Please send these details.', updates_requested: items('open') }),
      toAnswer: await send({ type: 'server_request', name: 'cds-ts conformance: details to answer', description: 'Please answer.', updates_requested: items('answer') }),
      payment,
      paymentText,
      online: await send({ type: 'online_form_request', name: 'cds-ts conformance: a form', description: 'Please fill in the form.', related_uri: 'https://forms.client.example/terms' }),
      pdf: await send({ type: 'pdf_form_request', name: 'cds-ts conformance: a PDF form', description: 'Please sign the form.', related_uri: 'https://forms.client.example/form.pdf' }),
      reply: await send({ type: 'private_message', previous_message_id: mine.message_id, name: 'Re: conformance', description: 'A reply from the Server.' }),
    }
  })
}

/** A Server decision on a request: the operator's answer and the request as the Client then reads it. */
export interface Decision {
  answer: Json
  request: Json
  requestUpdate: Json
  /** The request just before the decision: its status, and whether it was outstanding and in the operator's review list. */
  before: { status: unknown; outstanding: boolean; inReview: boolean }
}

/** Makes a decision once per key and reads the request and its `request_update` back as the Client. */
function decide(ctx: CheckContext, key: string, request: () => Promise<Json>, path: string, body: Json): Promise<Decision> {
  ctx.operator()
  return ctx.once(`wg1-02-apis:decision:${key}`, async () => {
    const message = await request()
    const id = String(message.message_id)
    const waiting = await operatorCall(ctx, `messages?message_ids=${encodeURIComponent(id)}`, undefined, 200, 'GET')
    const before = {
      status: (await messageAt(ctx, message.uri)).status,
      outstanding: (await labMessages(ctx)).outstanding.some((m) => m.message_id === id),
      inReview: ((waiting.messages ?? []) as Json[]).some((entry) => (entry.message as Json | undefined)?.message_id === id),
    }
    const answer = await operatorCall(ctx, `messages/${encodeURIComponent(id)}/${path}`, body)
    const update = answer.request_update as Json | undefined
    if (update === undefined) ctx.fail(`the operator test API's ${path} answered no request_update`)
    return { answer, request: await messageAt(ctx, message.uri), requestUpdate: await messageAt(ctx, update.uri), before }
  })
}

/** The production request approved through the operator test API. */
export function approvedProduction(ctx: CheckContext): Promise<Decision> {
  return decide(ctx, 'production', async () => (await clientMade(ctx)).production, 'approve-production', {})
}

/** The grant request approved through the operator test API. */
export function approvedGrant(ctx: CheckContext): Promise<Decision> {
  return decide(ctx, 'grant', async () => (await clientMade(ctx)).grant, 'approve-grant-request', {})
}

/** The reason the suite gives for a rejection. */
const REJECTION = 'cds-ts conformance: rejected because the suite asked for it'

/** A second production request (for another sandbox Client object), rejected through the operator test API. */
export function rejectedProduction(ctx: CheckContext): Promise<Decision> {
  return decide(
    ctx,
    'rejected-production',
    async () => {
      const other: LabClient = await reserveClient(ctx, 'production-rejected', (c) => Array.isArray(c.cds_status_options) && c.cds_status_options.includes('sandbox'), 'second sandbox Client object')
      const sandbox = await currentClient(ctx, await labToken(ctx), other.client)
      return createMessage(ctx, { type: 'production_request', previous_uri: null, name: 'cds-ts conformance: to be rejected', description: 'Production access, please.', related_uri: sandbox.cds_client_uri })
    },
    'reply',
    { status: 'rejected', description: REJECTION },
  )
}

/** The payment request completed with a receipt through the operator test API. */
export function paidPayment(ctx: CheckContext): Promise<Decision> {
  return decide(ctx, 'payment', async () => (await serverMade(ctx)).payment, 'reply', { status: 'complete', description: 'Payment received.', related_uri: 'https://pay.client.example/receipt/1' })
}

/** The support request answered (complete) through the operator test API. */
export function answeredSupport(ctx: CheckContext): Promise<Decision> {
  return decide(ctx, 'support', async () => (await clientMade(ctx)).support, 'reply', { status: 'complete', description: 'Solved: nothing was wrong.' })
}

/** The Client's answer to the open server request, and the server request read afterwards. */
export function submission(ctx: CheckContext): Promise<{ submission: Json; before: Json; after: Json }> {
  return ctx.once('wg1-02-apis:submission', async () => {
    const { toAnswer } = await serverMade(ctx)
    const before = await messageAt(ctx, toAnswer.uri)
    const answers = ((toAnswer.updates_requested ?? []) as Json[]).map((item) => ({ field: item.field, description: `cds-ts conformance answer to ${String(item.field)}` }))
    const made = await createMessage(ctx, { type: 'client_submission', previous_uri: toAnswer.uri, name: '', description: '', updates_requested: answers })
    return { submission: made, before, after: await messageAt(ctx, toAnswer.uri) }
  })
}

/** Makes every Message of this module the run can make (the operator's only when it has the API). */
export async function everyFixture(ctx: CheckContext): Promise<void> {
  await clientMade(ctx)
  if (ctx.options.operator === undefined) return
  await serverMade(ctx)
  for (const make of [approvedProduction, approvedGrant, rejectedProduction, paidPayment, answeredSupport, submission]) await make(ctx)
}

/** Reads a body that the answer names (used for `related_uri`s of Client-facing kinds). */
export async function readLinked(ctx: CheckContext, url: string): Promise<Json> {
  return jsonBody(ctx, await ctx.request({ url, bearer: await labToken(ctx) }))
}
