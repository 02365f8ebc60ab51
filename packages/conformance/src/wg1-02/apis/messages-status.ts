/**
 * CDS-WG1-02 §6.3 and the Server's side of §6.9: which statuses fit which Message types, and what
 * the Client sees when the Server reviews and decides its requests (made through the operator
 * test API).
 *
 * @module
 */
import { messageStatusFits, type MessageStatus, type MessageType } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiUrl, canonical, isUrl, labClients, labToken, listed, withQuery } from './kit.js'
import { everyMessage, MESSAGE_TYPES } from './messages-format.js'
import { labMessages } from './messages-kit.js'
import { approvedGrant, approvedProduction, clientMade, paidPayment, readLinked, rejectedProduction, submission, type Decision } from './messages-lab.js'

const STATUSES = ['complete', 'open', 'pending', 'rejected', 'errored']

/** Fails unless a Message is in the outstanding list now. */
async function expectOutstanding(ctx: CheckContext, message: Json, what: string): Promise<void> {
  const outstanding = (await labMessages(ctx)).outstanding
  ctx.assert(outstanding.some((m) => m.message_id === message.message_id), `${what} is not in outstanding`)
}

/** Fails unless the request was waiting for the Server (pending, outstanding, in the operator's review list) before the decision. */
function expectReviewed(ctx: CheckContext, before: Decision['before'], what: string): void {
  ctx.assert(before.status === 'pending', `${what} had status ${JSON.stringify(before.status)} before the decision, not pending`)
  ctx.assert(before.outstanding, `${what} was not in outstanding before the decision`)
  ctx.assert(before.inReview, `${what} was not waiting in the operator's review list`)
}

/** The checks of CDS-WG1-02 §6.3 and of the Server's decisions of §6.9. */
export const messageStatusChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-6.3-01',
    spec: 'CDS-WG1-02',
    section: '§6.3',
    title: 'every status is one of §6.3 and fits the Message type',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const message of await everyMessage(ctx)) {
        const { type, status } = message as { type: string; status: string }
        ctx.assert(STATUSES.includes(status), `Message ${String(message.message_id)} has status ${JSON.stringify(status)}`)
        if (MESSAGE_TYPES.includes(type)) ctx.assert(messageStatusFits(type as MessageType, status as MessageStatus), `Message ${String(message.message_id)} is a ${type} with status ${status}, which §6.3 does not allow`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-6.3-02',
    spec: 'CDS-WG1-02',
    section: '§6.3',
    title: 'notifications, private messages and client submissions are always complete',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      ctx.assert((await clientMade(ctx)).private.status === 'complete', 'a private_message the Client wrote is not complete')
      if (ctx.options.operator !== undefined) ctx.assert((await submission(ctx)).submission.status === 'complete', 'a client_submission is not complete')
      for (const message of await everyMessage(ctx))
        if (['notification', 'private_message', 'client_submission'].includes(String(message.type))) ctx.assert(message.status === 'complete', `the ${String(message.type)} ${String(message.message_id)} has status ${String(message.status)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.3-03',
    spec: 'CDS-WG1-02',
    section: '§6.3',
    title: 'an approved production request is complete and links (client) a Client object that offers production',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { request } = await approvedProduction(ctx)
      ctx.assert(request.status === 'complete', `the approved production_request has status ${String(request.status)}`)
      ctx.assert(request.related_type === 'client' && isUrl(request.related_uri), `the approved production_request links ${JSON.stringify(request.related_uri)} as ${JSON.stringify(request.related_type)}`)
      const client = await readLinked(ctx, request.related_uri)
      ctx.assert(Array.isArray(client.cds_status_options) && client.cds_status_options.includes('production'), 'the approved production_request links a Client object without production in its options')
    },
  }),
  defineCheck({
    id: 'R1-02-6.3-04',
    spec: 'CDS-WG1-02',
    section: '§6.3',
    title: 'an approved grant request is complete and links (grant_list) a listing of exactly the new Grants',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { request, answer } = await approvedGrant(ctx)
      ctx.assert(request.status === 'complete', `the approved grant_request has status ${String(request.status)}`)
      ctx.assert(request.related_type === 'grant_list' && isUrl(request.related_uri), `the approved grant_request links ${JSON.stringify(request.related_uri)} as ${JSON.stringify(request.related_type)}`)
      const linked = await listed(ctx, request.related_uri, await labToken(ctx), 'grants')
      const made = ((answer.grants ?? []) as Json[]).map((grant) => String(grant.grant_id)).sort()
      ctx.assert(made.length > 0, 'the approval made no Grant')
      ctx.assert(canonical(linked.map((grant) => String(grant.grant_id)).sort()) === canonical(made), `the grant_list link lists ${linked.length} Grants, not exactly the ${made.length} new ones`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.3-05',
    spec: 'CDS-WG1-02',
    section: '§6.3',
    title: 'the request_update completing a payment request links the receipt (payment_receipt)',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { requestUpdate } = await paidPayment(ctx)
      ctx.assert(requestUpdate.status === 'complete', `the request_update has status ${String(requestUpdate.status)}`)
      ctx.assert(requestUpdate.related_type === 'payment_receipt' && isUrl(requestUpdate.related_uri), `the request_update links ${JSON.stringify(requestUpdate.related_uri)} as ${JSON.stringify(requestUpdate.related_type)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.3-06',
    spec: 'CDS-WG1-02',
    section: '§6.3',
    title: 'a rejection says why in its description',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { requestUpdate, request } = await rejectedProduction(ctx)
      ctx.assert(requestUpdate.status === 'rejected', `the request_update has status ${String(requestUpdate.status)}`)
      ctx.assert(typeof requestUpdate.description === 'string' && requestUpdate.description.trim() !== '', 'the rejecting request_update has an empty description')
      ctx.assert(requestUpdate.description !== request.description, 'the rejecting request_update only repeats the request\'s description')
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-13',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a client_submission to an open server_request makes it pending (and it stays outstanding)',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { before, after } = await submission(ctx)
      ctx.assert(before.status === 'open', `the server_request was ${String(before.status)} before the answer`)
      ctx.assert(after.status === 'pending', `the answered server_request has status ${String(after.status)}, not pending`)
      await expectOutstanding(ctx, after, 'the answered server_request')
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-14',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a production_request goes to the Server for review (pending, outstanding, in the operator\'s list)',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      expectReviewed(ctx, (await approvedProduction(ctx)).before, 'the production_request')
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-17',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a decided production request gets a request_update: complete with the new Client object and Credential, or rejected',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const approved = await approvedProduction(ctx)
      ctx.assert(approved.requestUpdate.type === 'request_update' && approved.requestUpdate.previous_uri === approved.request.uri, 'the approval\'s request_update does not answer the production_request')
      ctx.assert(approved.requestUpdate.status === 'complete', `the approval's request_update has status ${String(approved.requestUpdate.status)}`)
      const client = approved.answer.client as Json | undefined
      const id = String(client?.client_id)
      ctx.assert((await labClients(ctx)).some((c) => c.client_id === id), 'the new production Client object is not in the Clients listing')
      const credentials = await listed(ctx, withQuery(await apiUrl(ctx, 'cds_credentials_api'), { client_ids: id }), await labToken(ctx), 'credentials')
      if (client?.token_endpoint_auth_method !== null) ctx.assert(credentials.length > 0, 'the new production Client object has no Credential')
      const rejected = await rejectedProduction(ctx)
      ctx.assert(rejected.requestUpdate.previous_uri === rejected.request.uri && rejected.requestUpdate.status === 'rejected', 'the rejection\'s request_update is not a rejected answer to the production_request')
      ctx.assert(typeof rejected.requestUpdate.description === 'string' && rejected.requestUpdate.description.trim() !== '', 'the rejection gives no reason')
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-18',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a grant_request goes to the Server for review (pending, outstanding, in the operator\'s list)',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      expectReviewed(ctx, (await approvedGrant(ctx)).before, 'the grant_request')
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-20',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'an approved grant request gets a complete request_update and the new Grants show in the Grants API',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { requestUpdate, request, answer } = await approvedGrant(ctx)
      ctx.assert(requestUpdate.previous_uri === request.uri && requestUpdate.status === 'complete', 'the approval\'s request_update is not a complete answer to the grant_request')
      const target = (await clientMade(ctx)).target
      const grants = await listed(ctx, withQuery(await ctx.endpoint('cds_grants_api'), { client_ids: String(target.client_id) }), await labToken(ctx), 'grants')
      for (const made of (answer.grants ?? []) as Json[]) ctx.assert(grants.some((grant) => grant.grant_id === made.grant_id), `the new Grant ${String(made.grant_id)} is not in the Grants API for the target Client object`)
      ctx.assert(((answer.grants ?? []) as Json[]).length > 0, 'the approval made no Grant')
    },
  }),
  defineCheck({
    id: 'R1-02-7-01',
    spec: 'CDS-WG1-02',
    section: '§7',
    title: 'a Credential the Server makes on its own (a production approval) shows in the Credentials API',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const credential = (await approvedProduction(ctx)).answer.credential as Json | null | undefined
      if (credential === null || credential === undefined) ctx.notApplicable('the approved production Client object has no Credential (no auth method)')
      const listedOnes = await listed(ctx, withQuery(await apiUrl(ctx, 'cds_credentials_api'), { credential_ids: String(credential.credential_id) }), await labToken(ctx), 'credentials')
      ctx.assert(listedOnes.length === 1 && listedOnes[0]?.client_secret === credential.client_secret, 'the Credential of the approval is not in the Credentials API with its secret')
    },
  }),
]
