/**
 * Revoking an authorization from its receipt, without logging in (CDS-WG3-01 §9.4, R3-01-9.4-34;
 * A-79): `GET /receipts/<token>/revoke` asks for confirmation, and the form's `POST` (with its
 * CSRF token) revokes the Grant through the same status change the operator uses, which clears
 * the enabled access, revokes the Grant's tokens and tells the Client in a Message (CDS-WG1-02
 * §8.2, §6). The unguessable receipt URL is what authorizes the action; the confirmation step
 * keeps a link preview or a stray click from revoking.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import type { FastifyPluginAsync } from 'fastify'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { html } from '../../pages/html.js'
import type { PagesPluginOptions } from '../../pages/index.js'
import { renderPage, sendPage, type PageContext } from '../../pages/layout.js'
import { changeGrantStatus, inTransaction } from '../../wg1-02/grants/grant-changes.js'
import { storedSnapshot } from './create-receipt.js'
import { grantGivesAccess } from './grant-status.js'
import { findReceiptByToken, receiptPath, RECEIPTS_PATH } from './receipt-links.js'
import { receiptPageOptions, sendReceiptNotFound } from './show-receipt.js'

/** Who revoked, for the Message the Client receives. */
export type RevokedBy = 'receipt' | 'account'

const REASONS: Readonly<Record<RevokedBy, string>> = {
  receipt: 'The customer revoked this Grant from its Authorization Receipt.',
  account: 'The customer revoked this Grant from their account.',
}

/**
 * Revokes a Grant for its customer when it still gives access (CDS-WG3-01 §9.4): status `revoked`,
 * nothing enabled, tokens revoked, a Message to the Client (A-79). A Grant without access is left
 * as it is.
 *
 * @returns whether the Grant was revoked now
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export async function revokeCustomerGrant(db: Kysely<Database>, clock: Clock, config: ServerConfig, grant_id: string, by: RevokedBy): Promise<boolean> {
  return inTransaction(db, async (trx) => {
    // The row lock makes two revocations at once wait for each other; the second finds it revoked.
    const grant = await trx.selectFrom('grants').select('status').where('grant_id', '=', grant_id).forUpdate().executeTakeFirst()
    if (grant === undefined || !grantGivesAccess(grant.status)) return false
    // CDS-WG3-01 §9.4 (R3-01-9.4-34): revoked through the one status-change path (tokens, Message).
    await changeGrantStatus(trx, clock, config, grant_id, 'revoked', { reason: REASONS[by] })
    return true
  })
}

/** The confirmation page, or the "nothing to revoke" page. */
export function renderRevokePage(ctx: PageContext, input: { token: string; client_name: string; confirmation: string; active: boolean; csrf: string }): string {
  const { t } = ctx
  const back = receiptPath(input.token)
  const main = input.active
    ? html`<h1>${t('receipts.revoke.title')}</h1>
<p>${t('receipts.revoke.text', { client_name: input.client_name, confirmation: input.confirmation })}</p>
<form method="post" action="${`${back}/revoke`}">
<input type="hidden" name="_csrf" value="${input.csrf}">
<div class="actions">
<button type="submit" class="button" data-cds-confirm-revoke>${t('receipts.revoke.confirm')}</button>
<a class="button secondary" href="${back}">${t('receipts.revoke.cancel')}</a>
</div>
</form>`
    : html`<h1>${t('receipts.revoke.title')}</h1>
<p>${t('receipts.revoke.notActive')}</p>
<p><a href="${back}">${t('receipts.revoke.cancel')}</a></p>`
  return renderPage(ctx, { title: t('receipts.revoke.title'), main, page: 'receipt-revoke', ...receiptPageOptions() })
}

/**
 * Registers `GET` and `POST /receipts/:token/revoke`.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export const revokeFromReceiptPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  const { db, clock, config, pages } = options
  app.get<{ Params: { token: string } }>(`${RECEIPTS_PATH}/:token/revoke`, { schema: { hide: true } }, async (request, reply) => {
    const receipt = await findReceiptByToken(db, request.params.token)
    if (receipt === undefined) return sendReceiptNotFound(pages, reply)
    const grant = await db.selectFrom('grants').select('status').where('grant_id', '=', receipt.grant_id).executeTakeFirstOrThrow()
    const page = renderRevokePage(pages, {
      token: request.params.token,
      client_name: storedSnapshot(receipt).client_name,
      confirmation: receipt.confirmation,
      active: grantGivesAccess(grant.status),
      csrf: reply.generateCsrf(),
    })
    return sendPage(reply, page)
  })

  app.post<{ Params: { token: string } }>(
    `${RECEIPTS_PATH}/:token/revoke`,
    // A-79: a POST with the form's CSRF token, so no other site can make the browser revoke.
    { schema: { hide: true }, config: { formBody: true }, preHandler: app.csrfProtection.bind(app) },
    async (request, reply) => {
      const receipt = await findReceiptByToken(db, request.params.token)
      if (receipt === undefined) return sendReceiptNotFound(pages, reply)
      const revoked = await revokeCustomerGrant(db, clock, config, receipt.grant_id, 'receipt')
      // CDS-WG3-01 §9.4 (R3-01-9.4-18): back on the receipt, which now shows the new status.
      const back = receiptPath(request.params.token)
      return reply.redirect(revoked ? `${back}?revoked=1` : back, 303)
    },
  )
}
