/**
 * `GET /oauth/receipt` (the configured `registration.receipt_path`): the server-hosted default
 * `redirect_uri` that registration gives every Client object with response types (CDS-WG1-02
 * §4.2). The authorization endpoint redirects here like to any redirect URI (RFC 6749 §4.1.2,
 * §4.1.2.1), and the page shows the customer the outcome: approved, or the error.
 *
 * The page is minimal until the customer-facing pages of CDS-WG3-01 §9 replace it (the
 * Authorization Receipt of §9.4 and the Default Redirect Error page): server-rendered, every value
 * HTML-escaped, no script and no external resource, under a Content Security Policy that allows
 * only its own inline style. The authorization code itself is not displayed: a Client that
 * uses the default redirect reaches the Grant through its Grant Admin Client object (§3.3.2).
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 * @module
 */
import { createHash } from 'node:crypto'
import { OAuthErrorResponse } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { ConfigPluginOptions, ServerConfig } from '../../config/config-schema.js'
import { ref } from '../../shared/schemas.js'
import { receiptConfirmation } from '../grants/receipt-confirmation.js'

/**
 * The default `redirect_uri` registration gives Client objects with response types: `base_url`
 * plus `registration.receipt_path`.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export function receiptUrl(config: ServerConfig): string {
  return `${config.base_url}${config.registration.receipt_path}`
}

/** Text that is already HTML; {@link html} inserts it as it is. */
class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** A value as HTML text: the five characters that matter in text and quoted attributes become entities. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
}

/** The HTML template tag: every interpolated value is escaped unless it is {@link SafeHtml} (or a list of them). */
function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? ''
  values.forEach((value, i) => {
    const parts = Array.isArray(value) ? value : [value]
    for (const part of parts) out += part instanceof SafeHtml ? part.text : escapeHtml(String(part ?? ''))
    out += strings[i + 1] ?? ''
  })
  return new SafeHtml(out)
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;line-height:1.5;color:#1b1b1b}' +
  'h1{font-size:1.5rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dt{font-weight:600}' +
  'dd{margin:0;overflow-wrap:anywhere}code{font-size:.95em}'

/**
 * The Content Security Policy of the page: nothing may load or run, except its one inline style
 * (allowed by hash); no framing, no form posts, no base URL change.
 *
 * @see CDS-WG1-02 §11 Security Considerations
 */
export const RECEIPT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE, 'utf8').digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

function page(title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${new SafeHtml(STYLE)}</style>
</head>
<body>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>
`.text
}

/** The authorization response parameters the page reads (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207 §2). */
const ReceiptQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 2048, description: 'Authorization code of a successful response (RFC 6749 §4.1.2); not displayed.' })),
    state: Type.Optional(Type.String({ maxLength: 2048, description: 'The Client’s `state`, shown as a reference (RFC 6749 §4.1.2).' })),
    error: Type.Optional(Type.String({ maxLength: 256, description: 'Error code of a failed authorization (RFC 6749 §4.1.2.1).' })),
    error_description: Type.Optional(Type.String({ maxLength: 2048, description: 'Human-readable detail of the error (RFC 6749 §4.1.2.1).' })),
    error_uri: Type.Optional(Type.String({ maxLength: 2048, description: 'Error documentation URI (RFC 6749 §4.1.2.1); not displayed.' })),
    iss: Type.Optional(Type.String({ maxLength: 2048, description: 'Issuer identifier (RFC 9207 §2); not displayed.' })),
  },
  { description: 'An authorization response (RFC 6749 §4.1.2, §4.1.2.1); other parameters are ignored.' },
)

interface ReceiptPage {
  status: 200 | 400
  body: string
}

/**
 * The page for one authorization response: an error when `error` is present, approval when
 * `code` is, and a 400 page when neither is.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1}
 */
export function renderReceipt(query: { code?: string; state?: string; error?: string; error_description?: string }): ReceiptPage {
  const state = query.state === undefined ? [] : [html`<dt>Reference</dt><dd><code>${query.state}</code></dd>`]
  if (query.error !== undefined) {
    // CDS-WG1-02 §4.2 (R1-02-4.2-14): a declined or failed authorization shows the error to the user.
    const description = query.error_description === undefined ? [] : [html`<dt>Details</dt><dd>${query.error_description}</dd>`]
    const body = html`<p>The authorization was not completed. No access was granted.</p>
<dl><dt>Error</dt><dd><code>${query.error}</code></dd>${description}${state}</dl>
<p>You can close this page and return to the application.</p>`
    return { status: 200, body: page('Authorization not completed', body) }
  }
  if (query.code !== undefined) {
    // CDS-WG1-02 §4.2 (R1-02-4.2-14): a successful authorization ends on a receipt; A-43: the code stays hidden.
    // A-43 (R1-02-8.1-11): the receipt code, derived one-way from the code, is also on the Grant.
    const receipt = html`<dt>Receipt confirmation</dt><dd><code>${receiptConfirmation(query.code)}</code></dd>`
    const body = html`<p>Your authorization was submitted successfully. The application can now access what you approved.</p>
<dl>${receipt}${state}</dl>
<p>You can close this page and return to the application.</p>`
    return { status: 200, body: page('Authorization complete', body) }
  }
  const body = html`<p>This page shows the result of an authorization, but the address it was opened with carries none.</p>`
  return { status: 400, body: page('No authorization result', body) }
}

const htmlPage = (description: string) => ({ content: { 'text/html': { schema: Type.String({ description }) } } })

/**
 * Registers `GET {receipt_path}`. Responses are `text/html`, never cached or framed, and send no referrer.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export const receiptPlugin: FastifyPluginAsyncTypebox<ConfigPluginOptions> = async (app, { config }) => {
  app.get(
    config.registration.receipt_path,
    {
      // The URL carries an authorization code: no caching (RFC 6749 §10.12 spirit, §5.1 for responses with credentials).
      config: { noStore: true },
      schema: {
        operationId: 'getAuthorizationReceipt',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Default redirect URI',
        description:
          'The server-hosted default redirect_uri of CDS-WG1-02 §4.2: shows the outcome of an authorization (approved, or the error) as an HTML page.',
        querystring: ReceiptQuery,
        response: {
          200: htmlPage('The outcome of the authorization.'),
          400: {
            content: {
              'text/html': { schema: Type.String({ description: 'The page opened without an authorization response.' }) },
              'application/json': { schema: ref(OAuthErrorResponse) },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { status, body } = renderReceipt(request.query)
      return reply
        .code(status)
        .header('content-security-policy', RECEIPT_CONTENT_SECURITY_POLICY)
        .header('x-content-type-options', 'nosniff')
        .header('x-frame-options', 'DENY')
        // The code and state in this page's URL must not travel on as a Referer.
        .header('referrer-policy', 'no-referrer')
        .type('text/html; charset=utf-8')
        .send(body)
    },
  )
}
