/**
 * `GET /account/authorizations`: the logged-in customer's authorizations (CDS-WG3-01 §9.1.1: a
 * customer with an online profile finds their receipts there, R3-01-9.1.1-26), each with the
 * app's name, the status in customer words, the dates, links to every receipt, and a revoke
 * button while it gives access (`POST /account/authorizations/<grant_id>/revoke`, CSRF). Only the
 * customer's own Grants are listed or revocable; another's is a 404.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import type { GrantStatus } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import { currentCustomer, loginUrl } from '../../customers/session.js'
import { html } from '../../pages/html.js'
import type { PagesPluginOptions } from '../../pages/index.js'
import { renderPage, sendPage, type PageContext } from '../../pages/layout.js'
import { formatDate } from './format-time.js'
import { grantGivesAccess, grantStatusLabel } from './grant-status.js'
import { receiptPath, receiptToken } from './receipt-links.js'
import { revokeCustomerGrant } from './revoke-from-receipt.js'
import { receiptPageOptions } from './show-receipt.js'

/** The path of the page. */
export const AUTHORIZATIONS_PATH = '/account/authorizations'

/**
 * One authorization in the list.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export interface AuthorizationListItem {
  grant_id: string
  client_name: string
  status: GrantStatus
  created: Date
  modified: Date
  /** Newest first. */
  receipts: { confirmation: string; path: string }[]
}

/** The page listing `authorizations`. */
export function renderAuthorizationsPage(ctx: PageContext, authorizations: readonly AuthorizationListItem[], csrf: string, revoked: boolean): string {
  const { t, config } = ctx
  const zone = config.oauth.timezone
  const rows = authorizations.map((a) => {
    const revoke = grantGivesAccess(a.status)
      ? html`<form method="post" action="${`${AUTHORIZATIONS_PATH}/${encodeURIComponent(a.grant_id)}/revoke`}" class="inline-form">
<input type="hidden" name="_csrf" value="${csrf}">
<button type="submit" class="button secondary" data-cds-revoke-grant aria-label="${t('receipts.account.revoke', { client_name: a.client_name })}">${t('receipts.revoke.link')}</button>
</form>`
      : null
    return html`<tr data-cds-grant="${a.grant_id}">
<td>${a.client_name}</td>
<td data-cds-grant-status="${a.status}">${grantStatusLabel(t, a.status)}</td>
<td><time datetime="${a.created.toISOString()}">${formatDate(t.locale, zone, a.created)}</time></td>
<td><ul>${a.receipts.map((r) => html`<li><a href="${r.path}" data-cds-receipt-link>${t('receipts.account.receipt', { confirmation: r.confirmation })}</a></li>`)}</ul></td>
<td>${revoke}</td>
</tr>`
  })
  const table =
    authorizations.length === 0
      ? html`<p>${t('receipts.account.empty')}</p>`
      : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">${t('receipts.account.app')}</th><th scope="col">${t('receipts.account.status')}</th><th scope="col">${t('receipts.account.approved')}</th><th scope="col">${t('receipts.account.receipts')}</th><th scope="col">${t('receipts.account.actions')}</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
  const main = html`<h1>${t('receipts.account.title')}</h1>
${revoked ? html`<div class="notice" role="status"><p>${t('receipts.revoke.done')}</p></div>` : null}
<p>${t('receipts.account.intro')}</p>
${table}`
  return renderPage(ctx, { title: t('receipts.account.title'), main, page: 'customer-authorizations', ...receiptPageOptions() })
}

/**
 * The Grants a customer approved, newest first, with their receipts.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export async function listCustomerAuthorizations(options: Pick<PagesPluginOptions, 'db' | 'config'>, customer_id: string): Promise<AuthorizationListItem[]> {
  const { db, config } = options
  const grants = await db
    .selectFrom('grants')
    .leftJoin('clients', 'clients.client_id', 'grants.client_id')
    .select(['grants.grant_id', 'grants.status', 'grants.created', 'grants.modified', 'grants.client_id', 'clients.client_name'])
    .where('grants.customer_id', '=', customer_id)
    .orderBy('grants.created', 'desc')
    .orderBy('grants.grant_id')
    .execute()
  if (grants.length === 0) return []
  const receipts = await db
    .selectFrom('authorization_receipts')
    .select(['grant_id', 'confirmation', 'url_token_sealed'])
    .where(
      'grant_id',
      'in',
      grants.map((g) => g.grant_id),
    )
    .orderBy('created', 'desc')
    .execute()
  return grants.map((g) => ({
    grant_id: g.grant_id,
    client_name: g.client_name ?? g.client_id,
    status: g.status,
    created: g.created,
    modified: g.modified,
    receipts: receipts.filter((r) => r.grant_id === g.grant_id).map((r) => ({ confirmation: r.confirmation, path: receiptPath(receiptToken(config, r)) })),
  }))
}

function notFoundPage(ctx: PageContext): string {
  const { t } = ctx
  const main = html`<h1>${t('receipts.account.notFound.title')}</h1><p>${t('receipts.account.notFound.text')}</p><p><a href="${AUTHORIZATIONS_PATH}">${t('receipts.account.title')}</a></p>`
  return renderPage(ctx, { title: t('receipts.account.notFound.title'), main, page: 'customer-authorizations', ...receiptPageOptions() })
}

/**
 * Registers `GET /account/authorizations` and `POST /account/authorizations/:grant_id/revoke`.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export const customerAuthorizationsPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  const { db, clock, config, pages } = options
  app.get<{ Querystring: { revoked?: string } }>(AUTHORIZATIONS_PATH, { schema: { hide: true } }, async (request, reply) => {
    const customer = await currentCustomer(request, options)
    if (customer === undefined) return reply.redirect(loginUrl(AUTHORIZATIONS_PATH), 303)
    const authorizations = await listCustomerAuthorizations(options, customer.customer_id)
    return sendPage(reply, renderAuthorizationsPage(pages, authorizations, reply.generateCsrf(), request.query.revoked === '1'))
  })

  app.post<{ Params: { grant_id: string } }>(
    `${AUTHORIZATIONS_PATH}/:grant_id/revoke`,
    { schema: { hide: true }, config: { formBody: true }, preHandler: app.csrfProtection.bind(app) },
    async (request, reply) => {
      const customer = await currentCustomer(request, options)
      if (customer === undefined) return reply.redirect(loginUrl(AUTHORIZATIONS_PATH), 303)
      // Only the customer's own Grants: another's answers exactly like one that does not exist.
      const grant = await db
        .selectFrom('grants')
        .select('grant_id')
        .where('grant_id', '=', request.params.grant_id)
        .where('customer_id', '=', customer.customer_id)
        .executeTakeFirst()
      if (grant === undefined) return sendPage(reply, notFoundPage(pages), 404)
      const revoked = await revokeCustomerGrant(db, clock, config, grant.grant_id, 'account')
      return reply.redirect(revoked ? `${AUTHORIZATIONS_PATH}?revoked=1` : AUTHORIZATIONS_PATH, 303)
    },
  )
}
