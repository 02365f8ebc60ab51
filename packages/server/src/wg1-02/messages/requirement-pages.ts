/**
 * `GET /registration-requirements/{message_id}`: the page a requirement Message links to
 * (CDS-WG1-02 §3.6): the payment form of a `payment_request`, the online form of an
 * `online_form_request`, the blank PDF of a `pdf_form_request`. The page can be opened any number
 * of times (never single-use) and needs no login: the Message id in its URL is unguessable.
 *
 * This demo server takes no payment and runs no identity provider: the pages explain the step and
 * say that the operator records the outcome, which reaches the Client as a `request_update`.
 * Pages are server-rendered, every value HTML-escaped, with no script and no external resource.
 *
 * @module
 */
import { NotFound } from '@cds-ts/auth'
import { OAuthErrorResponse } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { KyselyMessageStore, type MessageRecord } from '../../db/message-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { ref } from '../../shared/schemas.js'
import { blankFormPdf } from './requirement-pdf.js'
import { REQUIREMENT_PAGE_PATH, requirementPageUrl } from './requirement-messages.js'

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** A value as HTML text. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/** The Content Security Policy of the pages: nothing loads or runs, no inline style, no framing, no form posts. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** What the page of each request type says the Client does. */
const STEP: Readonly<Record<string, string>> = {
  payment_request: 'Pay the setup fee shown below. This demonstration server takes no payment online: the operator records the payment.',
  online_form_request: 'Complete the step described below. This demonstration server records completion through its operator.',
}

/**
 * The HTML page of a `payment_request` or `online_form_request`.
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export function renderRequirementPage(message: MessageRecord): string {
  const rows: [string, string][] = [['Status', message.status]]
  if (message.amount !== undefined) rows.push(['Amount', `${message.amount.toString()} ${message.currency ?? ''}`.trim()])
  const list = rows.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(message.name)}</title>
</head>
<body>
<main>
<h1>${escapeHtml(message.name)}</h1>
<p>${escapeHtml(message.description)}</p>
<p>${escapeHtml(STEP[message.type] ?? '')}</p>
<dl>${list}</dl>
<p>The outcome arrives as a <code>request_update</code> Message in the Messages API. This page can be opened again at any time.</p>
</main>
</body>
</html>
`
}

/** The requirement Message behind a page URL, or `undefined`. */
async function requirementOf(store: KyselyMessageStore, baseUrl: string, message_id: string): Promise<MessageRecord | undefined> {
  const message = await store.find(message_id)
  // Only the Server's own requests that link this very page have one.
  if (message === undefined || message.creator !== null || message.related_uri !== requirementPageUrl(baseUrl, message_id)) return undefined
  return message
}

/**
 * Registers the requirement pages.
 *
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export const requirementPagesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  const store = new KyselyMessageStore(db)
  app.get(
    `${REQUIREMENT_PAGE_PATH}/:message_id`,
    {
      schema: {
        operationId: 'getRegistrationRequirement',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Registration Field Types',
        description:
          'The reusable page a requirement Message links to (CDS-WG1-02 §3.6): an HTML payment or online form page, or the blank PDF form of a `pdf_form_request`.',
        params: Type.Object({ message_id: Type.String({ description: 'The `message_id` of the requirement Message.' }) }),
        response: {
          200: {
            description: 'The page, or the PDF form.',
            content: {
              'text/html': { schema: Type.String({ description: 'The payment or online form page.' }) },
              'application/pdf': { schema: Type.String({ format: 'binary', description: 'The blank PDF form.' }) },
            },
          },
          404: ref(OAuthErrorResponse),
        },
      },
    },
    async (request, reply) => {
      const message = await requirementOf(store, config.base_url, request.params.message_id)
      if (message === undefined) throw new NotFound('no registration requirement page here')
      void reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('cache-control', 'no-store')
      if (message.type === 'pdf_form_request') {
        // CDS-WG1-02 §3.6 (R1-02-3.6-29): the link is the PDF to download and fill in.
        const pdf = blankFormPdf(message.name, message.description, ['Company name', 'Name of signatory', 'Signature', 'Date'])
        return reply.type('application/pdf').header('content-disposition', 'inline; filename="registration-form.pdf"').send(pdf)
      }
      // CDS-WG1-02 §3.6 (R1-02-3.6-06, -16, -22): the page is not single-use; each GET renders it again.
      return reply
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .header('x-frame-options', 'DENY')
        .type('text/html; charset=utf-8')
        .send(renderRequirementPage(message))
    },
  )
}
