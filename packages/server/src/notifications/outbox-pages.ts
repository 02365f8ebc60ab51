/**
 * The dev outbox of the reference server: `GET /dev/outbox` lists every recorded customer
 * notification (CDS-WG3-01 §9.4), newest first, and `GET /dev/outbox/<email_id>` shows one. Only
 * when `customer_authorization.email.outbox_page` is on (demo and test servers); otherwise both
 * answer 404. Browser tests read receipt emails here instead of a real mailbox.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import type { Selectable } from 'kysely'
import type { OutboxEmailsTable } from '../db/database.js'
import { html, type SafeHtml } from '../pages/html.js'
import type { PagesPluginOptions } from '../pages/index.js'
import { renderPage, sendPage, type PageContext } from '../pages/layout.js'
import { formatDateTime } from '../wg3-01/receipts/format-time.js'
import { RECEIPTS_CSS_PATH } from '../wg3-01/receipts/receipt-assets.js'

/** The path of the outbox list. */
export const OUTBOX_PATH = '/dev/outbox'

// The list shows the newest ones; the outbox is a development aid, not an archive.
const LIST_LIMIT = 200

type EmailRow = Selectable<OutboxEmailsTable>

function deliveryOf(ctx: PageContext, email: EmailRow): string {
  const { t } = ctx
  if (email.transport === 'outbox') return t('notifications.outbox.kept')
  if (email.error !== null) return t('notifications.outbox.failed', { error: email.error })
  return email.sent_at === null ? t('notifications.outbox.queued') : t('notifications.outbox.sent')
}

/**
 * The text body with this server's own URLs made into links (the receipt link), everything else
 * as text.
 */
function linkedBody(baseUrl: string, text: string): SafeHtml[] {
  const parts: SafeHtml[] = []
  const pattern = /https?:\/\/[^\s<>"']+/g
  let last = 0
  for (const match of text.matchAll(pattern)) {
    const url = match[0]
    const at = match.index
    parts.push(html`${text.slice(last, at)}`)
    parts.push(url.startsWith(`${baseUrl}/`) ? html`<a href="${url}" data-cds-email-link>${url}</a>` : html`${url}`)
    last = at + url.length
  }
  parts.push(html`${text.slice(last)}`)
  return parts
}

/** The outbox list page. */
export function renderOutbox(ctx: PageContext, emails: readonly EmailRow[]): string {
  const { t, config } = ctx
  const zone = config.oauth.timezone
  const rows = emails.map(
    (email) => html`<tr>
<td>${formatDateTime(t.locale, zone, email.created)}</td>
<td>${email.to_address}</td>
<td><a href="${`${OUTBOX_PATH}/${email.email_id}`}" data-cds-email="${email.email_id}">${email.subject}</a></td>
<td>${deliveryOf(ctx, email)}</td>
</tr>`,
  )
  const main = html`<h1>${t('notifications.outbox.title')}</h1>
<p class="muted">${t('notifications.outbox.intro')}</p>
${
  emails.length === 0
    ? html`<p>${t('notifications.outbox.empty')}</p>`
    : html`<div class="table-scroll"><table>
<thead><tr><th scope="col">${t('notifications.outbox.created')}</th><th scope="col">${t('notifications.outbox.to')}</th><th scope="col">${t('notifications.outbox.subject')}</th><th scope="col">${t('notifications.outbox.delivery')}</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`
}`
  return renderPage(ctx, { title: t('notifications.outbox.title'), main, page: 'outbox', noindex: true, stylesheets: [RECEIPTS_CSS_PATH] })
}

/** One email of the outbox. */
export function renderOutboxEmail(ctx: PageContext, email: EmailRow): string {
  const { t, config } = ctx
  const main = html`<p><a href="${OUTBOX_PATH}">${t('notifications.outbox.back')}</a></p>
<h1>${email.subject}</h1>
<dl>
<dt>${t('notifications.outbox.to')}</dt><dd data-cds-email-to>${email.to_address}</dd>
<dt>${t('notifications.outbox.created')}</dt><dd>${formatDateTime(t.locale, config.oauth.timezone, email.created)}</dd>
<dt>${t('notifications.outbox.delivery')}</dt><dd>${deliveryOf(ctx, email)}</dd>
</dl>
<h2>${t('notifications.outbox.body')}</h2>
<pre class="panel email-body" data-cds-email-body>${linkedBody(config.base_url, email.text_body)}</pre>`
  return renderPage(ctx, { title: email.subject, main, page: 'outbox-email', noindex: true, stylesheets: [RECEIPTS_CSS_PATH] })
}

function notFound(ctx: PageContext): string {
  const { t } = ctx
  return renderPage(ctx, { title: t('notifications.outbox.title'), main: html`<h1>${t('notifications.outbox.title')}</h1><p>${t('notifications.outbox.notFound')}</p>`, page: 'outbox-email', noindex: true, stylesheets: [RECEIPTS_CSS_PATH] })
}

/**
 * Registers `GET /dev/outbox` and `GET /dev/outbox/:email_id` when `email.outbox_page` is on.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export const outboxPagesPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, { config, db, pages }) => {
  // Off: no route at all, so the server's 404 answers like for any unknown path.
  if (!config.customer_authorization.email.outbox_page) return
  app.get(OUTBOX_PATH, { schema: { hide: true } }, async (_request, reply) => {
    const emails = await db.selectFrom('outbox_emails').selectAll().orderBy('created', 'desc').orderBy('email_id', 'desc').limit(LIST_LIMIT).execute()
    return sendPage(reply, renderOutbox(pages, emails))
  })
  app.get<{ Params: { email_id: string } }>(`${OUTBOX_PATH}/:email_id`, { schema: { hide: true } }, async (request, reply) => {
    const email = await db.selectFrom('outbox_emails').selectAll().where('email_id', '=', request.params.email_id).executeTakeFirst()
    if (email === undefined) return sendPage(reply, notFound(pages), 404)
    return sendPage(reply, renderOutboxEmail(pages, email))
  })
}
