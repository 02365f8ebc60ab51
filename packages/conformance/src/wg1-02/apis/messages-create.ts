/**
 * CDS-WG1-02 §6.6, §6.7 and §6.9: creating Messages as a Client — what is refused (400, 413),
 * what a 201 carries, and the embedded grant requests and attachments.
 *
 * @module
 */
import { ClientGrantRequest, Message, MessageAttachment } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiUrl, canonical, foreign, isUrl, jsonBody, lab, labToken, scopeTokens } from './kit.js'
import { createMessage, messageAt, postMessage, privateMessage } from './messages-kit.js'
import { clientMade, serverMade } from './messages-lab.js'
import { sizedPosts } from './messages-size.js'

/** Fails unless each body is refused with 400. */
async function expect400(ctx: CheckContext, cases: Record<string, unknown>): Promise<void> {
  for (const [what, body] of Object.entries(cases)) {
    const response = await postMessage(ctx, body)
    ctx.assert(response.status === 400, `a Message with ${what} answered ${response.status}, expected 400: ${response.text.slice(0, 200)}`)
  }
}

/** A grant request body for the lab's grant target with `entries` as its `grants_requested`. */
async function grantRequest(ctx: CheckContext, entries: unknown): Promise<Json> {
  const { target } = await clientMade(ctx)
  return { type: 'grant_request', previous_uri: null, name: 'cds-ts conformance', description: 'A grant request.', related_uri: target.cds_client_uri, ...(entries === undefined ? {} : { grants_requested: entries }) }
}

/** The status §6.9 gives each type a Client writes. */
const STATUS_BY_TYPE: Readonly<Record<string, string>> = { private_message: 'complete', client_submission: 'complete', production_request: 'pending', support_request: 'pending', grant_request: 'pending' }

/** The checks of CDS-WG1-02 §6.6, §6.7 and §6.9 (the Client's side). */
export const messageCreateChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-6.6-01',
    spec: 'CDS-WG1-02',
    section: '§6.6',
    title: 'a grant request entry needs scope and authorization_details ([] when the scope is enough)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, target } = await clientMade(ctx)
      for (const entry of (grant.grants_requested ?? []) as Json[]) ctx.conforms(ClientGrantRequest, entry, 'a grants_requested entry of the 201')
      const scope = scopeTokens(target.scope)[0]
      await expect400(ctx, {
        'an entry without authorization_details': await grantRequest(ctx, [{ scope }]),
        'an entry without scope': await grantRequest(ctx, [{ authorization_details: [] }]),
      })
    },
  }),
  defineCheck({
    id: 'R1-02-6.6-02',
    spec: 'CDS-WG1-02',
    section: '§6.6',
    title: 'a grant request detail whose type the target Client object does not have is 400',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { target } = await clientMade(ctx)
      const scope = scopeTokens(target.scope)[0]
      await expect400(ctx, { 'an authorization_details type the target lacks': await grantRequest(ctx, [{ scope, authorization_details: [{ type: 'cds_ts_conformance_unknown_type' }] }]) })
      const ok = await grantRequest(ctx, [{ scope, authorization_details: [{ type: (target.authorization_details_types as string[])[0] }] }])
      ctx.expectStatus(await postMessage(ctx, ok), 201)
    },
  }),
  defineCheck({
    id: 'R1-02-6.7-01',
    spec: 'CDS-WG1-02',
    section: '§6.7',
    title: 'an attachment has filename, mime_type and Base64 data; one without data is 400',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const attachment = { filename: 'note.txt', mime_type: 'text/plain', data: btoa('cds-ts conformance attachment') }
      const made = await createMessage(ctx, privateMessage({ attachments: [attachment] }))
      const [echo] = (made.attachments ?? []) as Json[]
      if (echo === undefined) ctx.fail('the 201 of a Message with an attachment has no attachments')
      ctx.conforms(MessageAttachment, echo, 'the attachment of the 201')
      ctx.assert(echo.filename === attachment.filename && echo.mime_type === attachment.mime_type && atob(String(echo.data)) === atob(attachment.data), 'the attachment came back changed')
      await expect400(ctx, {
        'an attachment without data': privateMessage({ attachments: [{ filename: 'a.txt', mime_type: 'text/plain' }] }),
        'an attachment without filename': privateMessage({ attachments: [{ mime_type: 'text/plain', data: attachment.data }] }),
        'an attachment without mime_type': privateMessage({ attachments: [{ filename: 'a.txt', data: attachment.data }] }),
      })
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-01',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a Client creates a Message with an authenticated POST of JSON to cds_messages_api',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      ctx.expectStatus(await postMessage(ctx, privateMessage()), 201)
      const bare = await ctx.request({ url: await apiUrl(ctx, 'cds_messages_api'), json: privateMessage() })
      ctx.expectStatus(bare, 401)
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-03',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a Client may create only private_message, production_request, support_request, grant_request and client_submission',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const cases: Record<string, unknown> = {}
      for (const type of ['notification', 'request_update', 'payment_request', 'field_changes', 'server_request', 'online_form_request', 'pdf_form_request', 'cds_ts_conformance_unknown'])
        cases[`type ${type}`] = privateMessage({ type })
      await expect400(ctx, cases)
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-04',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a client_submission must answer a server_request (not null, not another kind) with an empty name and description',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const answers = [{ field: 'website', description: 'https://client.example/' }]
      const submission = (previous_uri: unknown, extra: Json = {}) => ({ type: 'client_submission', previous_uri, name: '', description: '', updates_requested: answers, ...extra })
      await expect400(ctx, {
        'previous_uri null': submission(null),
        'previous_uri of a private_message': submission((await clientMade(ctx)).private.uri),
      })
      if (ctx.options.operator === undefined) return
      const { serverRequest } = await serverMade(ctx)
      const named = submission(serverRequest.uri, { name: 'not empty', updates_requested: [{ field: ((serverRequest.updates_requested as Json[])[0] as Json).field, description: 'x' }] })
      const response = await postMessage(ctx, named)
      // A non-empty name is refused, or at least not kept (catalog: 400 recommended, or ignored).
      if (response.status !== 400) ctx.assert(jsonBody(ctx, response, 201).name === '', 'a client_submission kept a non-empty name')
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-05',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'previous_uri of a private message or support request must be a Message of the same registration',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const other = (await foreign(ctx)).message
      const api = await apiUrl(ctx, 'cds_clients_api')
      await expect400(ctx, {
        'previous_uri of another registration\'s Message': privateMessage({ previous_uri: other.uri }),
        'previous_uri that is not a Message': privateMessage({ previous_uri: api }),
        'a support_request with previous_uri of another registration\'s Message': { type: 'support_request', previous_uri: other.uri, name: 'x', description: 'y' },
      })
      const reply = await createMessage(ctx, privateMessage({ previous_uri: (await clientMade(ctx)).private.uri }))
      ctx.assert(reply.previous_uri === (await clientMade(ctx)).private.uri, 'a reply to the Client\'s own Message lost its previous_uri')
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-06',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a client_submission needs updates_requested whose fields the server_request asked for',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { serverRequest } = await serverMade(ctx)
      const base = { type: 'client_submission', previous_uri: serverRequest.uri, name: '', description: '' }
      await expect400(ctx, {
        'no updates_requested': base,
        'a field the server_request did not ask for': { ...base, updates_requested: [{ field: 'cds_ts_conformance_not_asked', description: 'x' }] },
      })
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-07',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a grant_request needs a non-empty grants_requested',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await expect400(ctx, { 'no grants_requested': await grantRequest(ctx, undefined), 'an empty grants_requested': await grantRequest(ctx, []) })
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-09',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'an incomplete or invalid Message is 400 (not JSON, no type, no name, no description, a name that is not a string)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const notJson = await ctx.request({ url: await apiUrl(ctx, 'cds_messages_api'), bearer: await labToken(ctx), body: '{"type": "private_message",', headers: { 'content-type': 'application/json' } })
      ctx.expectStatus(notJson, 400)
      const full = privateMessage()
      const drop = (name: string) => Object.fromEntries(Object.entries(full).filter(([key]) => key !== name))
      await expect400(ctx, { 'no type': drop('type'), 'no name': drop('name'), 'no description': drop('description'), 'a name that is a number': { ...full, name: 42 }, 'a body that is an array': [full] })
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-10',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'attachments of 9.9 MB are taken (the limit is at least 10 MB); far above the limit the answer is 413',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { near, above } = await sizedPosts(ctx)
      ctx.assert(near.status === 201, `a Message with 9.9 MB of attachments answered ${near.status}; the limit must be at least 10 MB: ${near.text.slice(0, 200)}`)
      ctx.assert(above.status === 413, `a Message with ${above.megabytes} MB of attachments answered ${above.status}, expected 413 Content Too Large`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-11',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'a valid POST answers 201 with the whole new Message',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const made = await clientMade(ctx)
      for (const message of [made.private, made.support, made.production, made.grant]) ctx.conforms(Message, message, `the 201 of a ${String(message.type)}`)
      const fresh = await createMessage(ctx, { type: 'support_request', previous_uri: null, name: 'cds-ts conformance: whole', description: 'Is the answer whole?' })
      ctx.conforms(Message, fresh, 'the 201 of a support_request')
      ctx.assert(canonical(await messageAt(ctx, fresh.uri)) === canonical(fresh), 'the 201 differs from the Message read at its uri')
    },
  }),
  defineCheck({
    id: 'R1-02-6.9-12',
    spec: 'CDS-WG1-02',
    section: '§6.9',
    title: 'the Server sets uri, read=true, creator, created, modified=created and the status of the type, whatever the Client sent',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const admin = (await lab(ctx)).admin.client_id
      const made = await clientMade(ctx)
      const forged = { read: false, creator: 'cds-ts-conformance-forged', status: 'rejected', created: '2001-01-01T00:00:00Z', modified: '2001-01-01T00:00:00Z', message_id: 'forged', uri: 'https://client.example/forged' }
      const response = await postMessage(ctx, privateMessage(forged))
      const messages = [made.private, made.support, made.production, made.grant]
      if (response.status === 201) messages.push(jsonBody(ctx, response, 201))
      else ctx.expectStatus(response, 400)
      if (ctx.options.operator !== undefined) {
        const { serverRequest } = await serverMade(ctx)
        const field = ((serverRequest.updates_requested as Json[])[0] as Json).field
        messages.push(await createMessage(ctx, { type: 'client_submission', previous_uri: serverRequest.uri, name: '', description: '', updates_requested: [{ field, description: 'an answer' }] }))
      }
      for (const message of messages) {
        const what = `the 201 of a ${String(message.type)}`
        ctx.assert(isUrl(message.uri) && message.uri !== forged.uri && message.message_id !== forged.message_id, `${what} has uri ${JSON.stringify(message.uri)}`)
        ctx.assert(message.read === true, `${what} has read=${JSON.stringify(message.read)}`)
        ctx.assert(message.creator === admin, `${what} has creator=${JSON.stringify(message.creator)}`)
        ctx.assert(Math.abs(Date.parse(String(message.created)) - Date.now()) < 5 * 60_000, `${what} has created=${JSON.stringify(message.created)}, more than 5 minutes from the suite's clock`)
        ctx.assert(Date.parse(String(message.modified)) === Date.parse(String(message.created)), `${what} has modified ${String(message.modified)} other than created ${String(message.created)}`)
        ctx.assert(message.status === STATUS_BY_TYPE[String(message.type)], `${what} has status ${String(message.status)}`)
      }
    },
  }),
]
