/**
 * CDS-WG1-02 §3.6 Registration Field types that ask something of the Client after registration
 * (payment, email or SSO verification, PDF and online forms, internal review): the request
 * Message written before the registration response, its reusable link, and the `request_update`
 * replies that carry the outcome. Outcomes that happen outside the APIs (a payment, a form) are
 * recorded through the operator test API, the suite's hook; a PDF form is submitted by the suite.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isAbsoluteUrl } from '../../wg1-01/kit.js'
import { descriptions, registrationFields, strings } from './kit.js'
import { base64, pdfOfSize } from './registration-kit.js'
import { allMessages, awaitMessage, requirementRun } from './requirements-kit.js'

/** One after-registration requirement type and the IDs of its rules (§3.6). */
interface Kind {
  type: string
  message: string
  related: string
  created: string
  reusable?: string
  expiry?: string
  pending?: string
  complete?: string
  rejected?: string
}

const KINDS: readonly Kind[] = [
  { type: 'payment_required', message: 'payment_request', related: 'payment_form', created: 'R1-02-3.6-05', reusable: 'R1-02-3.6-06', expiry: 'R1-02-3.6-07', pending: 'R1-02-3.6-09', complete: 'R1-02-3.6-10', rejected: 'R1-02-3.6-11' },
  { type: 'email_verification', message: 'online_form_request', related: 'online_form', created: 'R1-02-3.6-15', reusable: 'R1-02-3.6-16', expiry: 'R1-02-3.6-17', complete: 'R1-02-3.6-18' },
  { type: 'sso_verification', message: 'online_form_request', related: 'online_form', created: 'R1-02-3.6-21', reusable: 'R1-02-3.6-22', expiry: 'R1-02-3.6-23', pending: 'R1-02-3.6-24', complete: 'R1-02-3.6-25', rejected: 'R1-02-3.6-26' },
  { type: 'pdf_form', message: 'pdf_form_request', related: 'pdf_form', created: 'R1-02-3.6-29', pending: 'R1-02-3.6-31', complete: 'R1-02-3.6-32', rejected: 'R1-02-3.6-33' },
  { type: 'online_form', message: 'online_form_request', related: 'online_form', created: 'R1-02-3.6-37', reusable: 'R1-02-3.6-38', expiry: 'R1-02-3.6-39', pending: 'R1-02-3.6-40', complete: 'R1-02-3.6-41', rejected: 'R1-02-3.6-42' },
]

/** A short description of what the suite asks the operator test API to record. */
const HOOK = 'Recorded by the cds-ts conformance suite through the operator test API.'

/** Asks the operator test API to answer the request with a `request_update` (the hook of the catalog). */
async function operatorReply(ctx: CheckContext, request: Json, body: Json): Promise<void> {
  const response = await ctx.operatorRequest(`messages/${encodeURIComponent(String(request.message_id))}/reply`, { json: { description: HOOK, ...body } })
  ctx.assert(response.status === 201, `the operator test API refused the reply (${response.status}): ${response.text.slice(0, 300)}`)
}

/** The checks of one requirement kind. */
function kindChecks(kind: Kind): Check[] {
  const out: Check[] = [
    defineCheck({
      id: kind.created,
      spec: 'CDS-WG1-02',
      section: '§3.6',
      title: `${kind.type}: an open, unread ${kind.message} from the server, linking the ${kind.related} (${kind.related === 'pdf_form' ? 'a PDF' : 'its start page'}), exists as soon as the registration is answered`,
      needs: ['registration'],
      async run(ctx: CheckContext) {
        const { request } = await requirementRun(ctx, kind.type, kind.message, 'created')
        ctx.assert(request.status === 'open' && request.read === false && request.creator === null, `the ${kind.message} has status ${JSON.stringify(request.status)}, read ${JSON.stringify(request.read)}, creator ${JSON.stringify(request.creator)}; expected open, unread, from the server`)
        ctx.assert(request.related_type === kind.related && isAbsoluteUrl(request.related_uri), `the ${kind.message} links ${JSON.stringify(request.related_uri)} as ${JSON.stringify(request.related_type)}, expected a ${kind.related} URL`)
        if (kind.related === 'pdf_form') {
          const pdf = await ctx.request({ url: request.related_uri, headers: { accept: 'application/pdf' }, follow: true })
          ctx.assert(pdf.status === 200 && pdf.mediaType === 'application/pdf', `the PDF form link answered ${pdf.status} ${pdf.mediaType || 'untyped'}, expected 200 application/pdf`)
        }
      },
    }),
  ]
  if (kind.reusable !== undefined)
    out.push(
      defineCheck({
        id: kind.reusable,
        spec: 'CDS-WG1-02',
        section: '§3.6',
        title: `${kind.type}: the ${kind.related} link is not single-use (opened twice, it works twice)`,
        needs: ['registration'],
        async run(ctx: CheckContext) {
          const { request } = await requirementRun(ctx, kind.type, kind.message, 'created')
          for (const time of ['first', 'second']) {
            const page = await ctx.request({ url: String(request.related_uri), headers: { accept: 'text/html' } })
            ctx.assert(page.status >= 200 && page.status < 400, `opening the ${kind.related} link a ${time} time answered ${page.status}`)
          }
        },
      }),
    )
  if (kind.expiry !== undefined)
    out.push(
      defineCheck({
        id: kind.expiry,
        spec: 'CDS-WG1-02',
        section: '§3.6',
        title: `${kind.type}: once the ${kind.related} link expires, a new ${kind.message} answers the old one with a fresh link`,
        needs: ['registration'],
        async run(ctx: CheckContext) {
          const { request, token } = await requirementRun(ctx, kind.type, kind.message, 'created')
          const page = await ctx.request({ url: String(request.related_uri), headers: { accept: 'text/html' }, follow: true })
          if (page.status < 400) ctx.notApplicable(`the ${kind.related} link still works (${page.status}); the rule applies once it expires`)
          const renewed = (await allMessages(ctx, token)).find((message) => message.type === kind.message && message.previous_uri === request.uri)
          ctx.assert(renewed !== undefined, `the ${kind.related} link answers ${page.status}, but no new ${kind.message} replies to the old one`)
          ctx.assert(renewed.related_uri !== request.related_uri && isAbsoluteUrl(renewed.related_uri), `the renewed ${kind.message} links ${JSON.stringify(renewed.related_uri)}, not a new URL`)
          const fresh = await ctx.request({ url: renewed.related_uri, headers: { accept: 'text/html' }, follow: true })
          ctx.assert(fresh.status < 400, `the renewed ${kind.related} link answers ${fresh.status}`)
        },
      }),
    )
  if (kind.pending !== undefined) {
    const submit = kind.type === 'pdf_form'
    out.push(
      defineCheck({
        id: kind.pending,
        spec: 'CDS-WG1-02',
        section: '§3.6',
        title: submit ? 'pdf_form: when the Client submits the filled PDF, the server replies with a pending request_update' : `${kind.type}: when the ${kind.related} is submitted, the server replies with a pending request_update`,
        needs: submit ? ['registration'] : ['registration', 'operator'],
        async run(ctx: CheckContext) {
          if (!submit) ctx.operator()
          const { request, token } = await requirementRun(ctx, kind.type, kind.message, 'pending')
          if (submit) {
            const attachments = [{ filename: 'conformance-form.pdf', mime_type: 'application/pdf', data: base64(pdfOfSize(600)) }]
            const posted = await ctx.request({ url: await ctx.endpoint('cds_messages_api'), bearer: token, json: { type: 'client_submission', previous_uri: request.uri, name: '', description: '', attachments } })
            ctx.assert(posted.status === 201, `the client_submission answering the pdf_form_request answered ${posted.status}: ${posted.text.slice(0, 300)}`)
          } else await operatorReply(ctx, request, { status: 'pending' })
          const update = await awaitMessage(ctx, token, (message) => message.type === 'request_update' && message.previous_uri === request.uri && message.status === 'pending', 5000)
          ctx.assert(update !== undefined, `no pending request_update replies to the ${kind.message}`)
          ctx.assert(update.creator === null, 'the pending request_update is not from the server (creator is not null)')
        },
      }),
    )
  }
  if (kind.complete !== undefined)
    out.push(
      defineCheck({
        id: kind.complete,
        spec: 'CDS-WG1-02',
        section: '§3.6',
        title: `${kind.type}: an accepted outcome is a complete request_update${kind.type === 'payment_required' ? ' that links the payment receipt' : ''}`,
        needs: ['registration', 'operator'],
        async run(ctx: CheckContext) {
          ctx.operator()
          const { request, token } = await requirementRun(ctx, kind.type, kind.message, 'complete')
          const receipt = new URL('/conformance-payment-receipt', ctx.baseUrl).href
          await operatorReply(ctx, request, { status: 'complete', ...(kind.type === 'payment_required' ? { related_uri: receipt, related_type: 'payment_receipt' } : {}) })
          const update = await awaitMessage(ctx, token, (message) => message.type === 'request_update' && message.previous_uri === request.uri && message.status === 'complete', 5000)
          ctx.assert(update !== undefined, `no complete request_update replies to the ${kind.message}`)
          if (kind.type === 'payment_required') ctx.assert(update.related_type === 'payment_receipt' && update.related_uri === receipt, `the complete request_update links ${JSON.stringify(update.related_uri)} as ${JSON.stringify(update.related_type)}, expected the payment_receipt`)
        },
      }),
    )
  if (kind.rejected !== undefined)
    out.push(
      defineCheck({
        id: kind.rejected,
        spec: 'CDS-WG1-02',
        section: '§3.6',
        title: `${kind.type}: a rejected outcome is a rejected request_update that says why`,
        needs: ['registration', 'operator'],
        async run(ctx: CheckContext) {
          ctx.operator()
          const { request, token } = await requirementRun(ctx, kind.type, kind.message, 'rejected')
          await operatorReply(ctx, request, { status: 'rejected' })
          const update = await awaitMessage(ctx, token, (message) => message.type === 'request_update' && message.previous_uri === request.uri && message.status === 'rejected', 5000)
          ctx.assert(update !== undefined, `no rejected request_update replies to the ${kind.message}`)
          ctx.assert(typeof update.description === 'string' && update.description.trim() !== '', 'the rejected request_update gives no reason')
        },
      }),
    )
  return out
}

/** The checks of CDS-WG1-02 §3.6 about the after-registration requirements. */
export const requirementChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.6-02',
    spec: 'CDS-WG1-02',
    section: '§3.6',
    title: 'internal_review: the review is conveyed through the Messages API (a server Message right after registration)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const fields = Object.values(await registrationFields(ctx)).filter((field) => field.type === 'internal_review')
      const listed = Object.values(await descriptions(ctx)).some((d) => fields.some((field) => strings(d.registration_requirements).includes(String(field.id))))
      if (!listed) ctx.notApplicable('no scope requires an internal_review')
      const { messages } = await requirementRun(ctx, 'internal_review', undefined, 'created')
      const server = messages.filter((message) => message.creator === null)
      ctx.assert(server.length > 0, 'after registering a scope that needs an internal review, the Messages API shows no Message from the server')
    },
  }),
  ...KINDS.flatMap(kindChecks),
]
