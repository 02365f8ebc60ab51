/**
 * `GET /oauth/receipt` (the configured `registration.receipt_path`): the server-hosted default
 * `redirect_uri` that registration gives every Client object with response types (CDS-WG1-02
 * §4.2). The authorization endpoint redirects here like to any redirect URI (RFC 6749 §4.1.2,
 * §4.1.2.1), and the customer sees the outcome:
 *
 * - `code`: the customer approved. CDS-WG3-01 §9.1.1 (R3-01-9.1.1-28): the success continues on
 *   to that Grant's newest Authorization Receipt (§9.4). The code is found by its digest; it is
 *   never shown. An approval without a receipt (the `AutoApprove` stand-in of the OAuth
 *   tests) gets the minimal confirmation page with its receipt code.
 * - `error`: the Default Redirect Error page of CDS-WG3-01 §9.3.3: `access_denied` confirms that
 *   the customer declined (R3-01-9.3.3-03); any other code says, in customer words, why the request
 *   could not be completed and to contact the app that sent them (R3-01-9.3.3-04, -05). The code
 *   and description the redirect carried are kept under "technical details".
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see CDS-WG3-01 §9.3.3 Default Redirect Error
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 * @module
 */
import { hashSecret } from '@cds-ts/auth'
import { OAuthErrorResponse } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import Type from 'typebox'
import type { ConfigPluginOptions, ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { html } from '../../pages/html.js'
import type { MessageKey } from '../../pages/i18n.js'
import { pageContext, renderPage, sendPage, type PageContext } from '../../pages/layout.js'
import { ref } from '../../shared/schemas.js'
import { newestReceiptOf, receiptPath, receiptToken } from '../../wg3-01/receipts/receipt-links.js'
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

/** An authorization response as the page reads it. */
export interface AuthorizationResponseQuery {
  code?: string
  state?: string
  error?: string
  error_description?: string
}

// CDS-WG3-01 §9.3.3 (R3-01-9.3.3-04): the reason of each error code in customer words; any code
// not listed gets the generic reason.
const REASONS: Readonly<Record<string, MessageKey>> = {
  invalid_request: 'receipts.redirect.reason.invalid_request',
  unauthorized_client: 'receipts.redirect.reason.unauthorized_client',
  unsupported_response_type: 'receipts.redirect.reason.unsupported_response_type',
  invalid_scope: 'receipts.redirect.reason.invalid_scope',
  invalid_authorization_details: 'receipts.redirect.reason.invalid_authorization_details',
  server_error: 'receipts.redirect.reason.server_error',
  temporarily_unavailable: 'receipts.redirect.reason.temporarily_unavailable',
  cds_grant_id_invalid_value: 'receipts.redirect.reason.cds_grant_id_invalid_value',
  cds_grant_id_invalid_user: 'receipts.redirect.reason.cds_grant_id_invalid_user',
  no_preselections: 'receipts.redirect.reason.no_preselections',
  login_required: 'receipts.redirect.reason.login_required',
}

/**
 * The customer-words reason of an OAuth or CDS error code (CDS-WG3-01 §9.3.3).
 *
 * @see CDS-WG3-01 §9.3.3 Default Redirect Error
 */
export function errorReason(ctx: PageContext, error: string): string {
  const key = Object.hasOwn(REASONS, error) ? REASONS[error] : undefined
  return ctx.t(key ?? 'receipts.redirect.reason.other')
}

/** A rendered page with its status. */
export interface DefaultRedirectPage {
  status: 200 | 400
  body: string
}

/**
 * The Default Redirect Error page of an `error` response (CDS-WG3-01 §9.3.3).
 *
 * @see CDS-WG3-01 §9.3.3 Default Redirect Error
 */
export function renderDefaultRedirectError(ctx: PageContext, query: AuthorizationResponseQuery & { error: string }): string {
  const { t } = ctx
  if (query.error === 'access_denied') {
    // CDS-WG3-01 §9.3.3 (R3-01-9.3.3-03): a decline gets a confirmation that it was declined.
    const main = html`<h1>${t('receipts.redirect.declined.title')}</h1>
<div class="notice" role="status" data-cds-redirect-outcome="declined"><p>${t('receipts.redirect.declined.text')}</p></div>
<p>${t('receipts.redirect.close')}</p>`
    return renderPage(ctx, { title: t('receipts.redirect.declined.title'), main, page: 'default-redirect-error', noindex: true })
  }
  const description = query.error_description === undefined ? null : html`<dt>${t('receipts.redirect.error.description')}</dt><dd>${query.error_description}</dd>`
  // CDS-WG3-01 §9.3.3 (R3-01-9.3.3-04, -05): why, in customer words, and whom to contact.
  const main = html`<h1>${t('receipts.redirect.error.title')}</h1>
<div class="error" role="alert" data-cds-redirect-outcome="error">
<p>${t('receipts.redirect.error.intro')}</p>
<p><strong>${t('receipts.redirect.error.why')}</strong> <span data-cds-error-reason>${errorReason(ctx, query.error)}</span></p>
</div>
<p data-cds-contact-app>${t('receipts.redirect.error.contact')}</p>
<details>
<summary>${t('receipts.redirect.error.technical')}</summary>
<dl><dt>${t('receipts.redirect.error.code')}</dt><dd><code data-cds-error-code>${query.error}</code></dd>${description}</dl>
</details>`
  return renderPage(ctx, { title: t('receipts.redirect.error.title'), main, page: 'default-redirect-error', noindex: true })
}

/**
 * The page of an authorization response that is not redirected elsewhere: the Default Redirect
 * Error page for `error`, the minimal confirmation for a `code` without a receipt, and a
 * 400 page when the address carries neither.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see CDS-WG3-01 §9.3.3 Default Redirect Error
 */
export function renderDefaultRedirect(ctx: PageContext, query: AuthorizationResponseQuery): DefaultRedirectPage {
  const { t } = ctx
  if (query.error !== undefined) return { status: 200, body: renderDefaultRedirectError(ctx, { ...query, error: query.error }) }
  if (query.code !== undefined) {
    // CDS-WG1-02 §4.2 (R1-02-4.2-14), A-43: the receipt code, derived one-way from the code, which stays hidden.
    const state = query.state === undefined ? null : html`<dt>${t('receipts.redirect.complete.reference')}</dt><dd><code>${query.state}</code></dd>`
    const main = html`<h1>${t('receipts.redirect.complete.title')}</h1>
<p>${t('receipts.redirect.complete.text')}</p>
<dl><dt>${t('receipts.redirect.complete.confirmation')}</dt><dd><code>${receiptConfirmation(query.code)}</code></dd>${state}</dl>
<p>${t('receipts.redirect.close')}</p>`
    return { status: 200, body: renderPage(ctx, { title: t('receipts.redirect.complete.title'), main, page: 'authorization-complete', noindex: true }) }
  }
  const main = html`<h1>${t('receipts.redirect.none.title')}</h1><p>${t('receipts.redirect.none.text')}</p>`
  return { status: 400, body: renderPage(ctx, { title: t('receipts.redirect.none.title'), main, page: 'default-redirect-none', noindex: true }) }
}

/**
 * The path of the newest receipt of the Grant an authorization code belongs to, or `undefined`.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export async function receiptPathOfCode(db: Kysely<Database>, config: ServerConfig, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('authorization_codes').select('grant_id').where('code_hash', '=', hashSecret(code)).executeTakeFirst()
  if (row?.grant_id == null) return undefined
  const receipt = await newestReceiptOf(db, row.grant_id)
  return receipt === undefined ? undefined : receiptPath(receiptToken(config, receipt))
}

/**
 * Options of {@link receiptPlugin}: the database finds the receipt of a code (without it every
 * approval gets the minimal page); `pages` defaults to the configuration's page context.
 */
export interface ReceiptPluginOptions extends ConfigPluginOptions {
  db?: Kysely<Database> | undefined
  pages?: PageContext | undefined
}

const htmlPage = (description: string) => ({ content: { 'text/html': { schema: Type.String({ description }) } } })

/**
 * Registers `GET {receipt_path}`. Responses are `text/html` and never cached; inside the pages
 * plugin they carry its security headers.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see CDS-WG3-01 §9.3.3 Default Redirect Error
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export const receiptPlugin: FastifyPluginAsyncTypebox<ReceiptPluginOptions> = async (app, options) => {
  const { config, db } = options
  const pages = options.pages ?? pageContext(config)
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
          'The server-hosted default redirect_uri of CDS-WG1-02 §4.2: an approval continues to its Authorization Receipt (CDS-WG3-01 §9.4); ' +
          'an error shows the Default Redirect Error page (CDS-WG3-01 §9.3.3).',
        querystring: ReceiptQuery,
        response: {
          200: htmlPage('The Default Redirect Error page, or the confirmation of an approval without a receipt.'),
          303: Type.Null({ description: 'An approval: on to the Authorization Receipt of its Grant (`Location`).' }),
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
      const { code, error } = request.query
      if (error === undefined && code !== undefined && db !== undefined) {
        // CDS-WG3-01 §9.1.1 (R3-01-9.1.1-28): a success on the default redirect ends on the receipt.
        const receipt = await receiptPathOfCode(db, config, code)
        if (receipt !== undefined) return reply.redirect(receipt, 303)
      }
      const { status, body } = renderDefaultRedirect(pages, request.query)
      return sendPage(reply, body, status)
    },
  )
}
