/**
 * Authorization Receipts (CDS-WG3-01 §9.4): the receipt page, revocation without login and the
 * customer's own authorizations, with the stylesheet and script they share. `createReceipt`
 * (create-receipt.ts) is what the Authorization Form calls when an approval is accepted.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import { OAuthError } from '@cds-ts/auth'
import type { FastifyPluginAsync } from 'fastify'
import { html } from '../../pages/html.js'
import type { PagesPluginOptions } from '../../pages/index.js'
import { renderPage, sendPage, serveAsset } from '../../pages/layout.js'
import { customerAuthorizationsPlugin } from './customer-authorizations.js'
import { RECEIPTS_CSS, RECEIPTS_CSS_PATH, RECEIPTS_JS, RECEIPTS_JS_PATH } from './receipt-assets.js'
import { revokeFromReceiptPlugin } from './revoke-from-receipt.js'
import { receiptPageOptions, showReceiptPlugin } from './show-receipt.js'

export { createReceipt } from './create-receipt.js'
export type { CreatedReceipt, CreateReceiptInput, CreateReceiptOptions, ReceiptPurpose, ReceiptSection, ReceiptSelection, ReceiptSnapshot } from './create-receipt.js'

/**
 * Registers the receipt pages, the revocation routes, the customer's authorizations page and
 * their assets.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export const receiptsPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  const { pages } = options
  // A refused form (a missing or stale CSRF token, a malformed body) gets a page, not a JSON body;
  // server errors go on to the shared handler, which logs them.
  app.setErrorHandler(async (error, _request, reply) => {
    const raw = error instanceof OAuthError ? error.status : (error as { statusCode?: unknown }).statusCode
    const status = typeof raw === 'number' && raw >= 400 && raw < 500 ? raw : undefined
    if (status === undefined) throw error
    const { t } = pages
    const main = html`<h1>${t('receipts.refused.title')}</h1><p role="alert">${t('receipts.refused.text')}</p>`
    return sendPage(reply, renderPage(pages, { title: t('receipts.refused.title'), main, page: 'receipt-refused', ...receiptPageOptions() }), status)
  })
  serveAsset(app, RECEIPTS_CSS_PATH, 'text/css; charset=utf-8', RECEIPTS_CSS)
  serveAsset(app, RECEIPTS_JS_PATH, 'text/javascript; charset=utf-8', RECEIPTS_JS)
  await app.register(showReceiptPlugin, options)
  await app.register(revokeFromReceiptPlugin, options)
  await app.register(customerAuthorizationsPlugin, options)
}
