/**
 * `GET /receipts/<token>`: the Authorization Receipt page (CDS-WG3-01 §9.4), open without login
 * (R3-01-9.4-07), hidden from search engines (R3-01-9.4-08), branded like the form (R3-01-9.4-15).
 *
 * It shows, in the order of catalog D4: the Grant's current status in customer words, the
 * confirmation number, the date and time (A-80: the server's time zone), who was authorized (the
 * name and link shown at approval, `rel="noopener nofollow"`), what was approved, for how long,
 * which resources and for which Purpose (all from the snapshot, never reloaded: R3-01-9.4-21,
 * -29, -30), the terms, support, and the revoke link while the Grant gives access (R3-01-9.4-33).
 * Changes since approval are shown beside the original (R3-01-9.4-37), and a superseded receipt
 * links to the newer one (R3-01-9.4-38).
 *
 * Customer Data (the selected resources) is shown only to the logged-in customer the receipt
 * belongs to; anyone else sees counts and a link to log in and come back here (R3-01-9.4-23, -24,
 * -28; A-34).
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import type { GrantStatus } from '@cds-ts/schema'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { currentCustomer, loginUrl } from '../../customers/session.js'
import { fromJsonText } from '../../db/json-text.js'
import { html, type SafeHtml } from '../../pages/html.js'
import type { PagesPluginOptions } from '../../pages/index.js'
import { externalLink, renderPage, sendPage, type PageContext } from '../../pages/layout.js'
import { storedSnapshot, type ReceiptSection, type ReceiptSelection, type StoredReceiptSnapshot } from './create-receipt.js'
import { formatDateTime, relativeTime } from './format-time.js'
import { grantGivesAccess, grantStatusText } from './grant-status.js'
import { RECEIPTS_CSS_PATH, RECEIPTS_JS_PATH } from './receipt-assets.js'
import { clientLink, receiptChanges, type ReceiptChange } from './receipt-changes.js'
import { findReceiptByToken, receiptPath, receiptToken, RECEIPTS_PATH, type ReceiptRow } from './receipt-links.js'

/**
 * Everything the receipt page shows, gathered by the route.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export interface ReceiptView {
  token: string
  confirmation: string
  created: Date
  now: Date
  snapshot: StoredReceiptSnapshot
  status: GrantStatus
  changes: ReceiptChange[]
  /** The viewer is the receipt's customer: selected resources are listed. */
  owner: boolean
  /**
   * Where to log in to see the details (`switch`: someone else is logged in); `null` when there is
   * no one to log in as.
   */
  login: { href: string; switch: boolean } | null
  /** The newer receipt's path when this one is superseded. */
  supersededHref: string | null
  /** The viewer has just revoked the Grant. */
  revoked: boolean
}

/** The page options every receipt-area page shares. */
export function receiptPageOptions(): { stylesheets: string[]; scripts: string[]; noindex: true } {
  // CDS-WG3-01 §9.4 (R3-01-9.4-08): receipts and the pages next to them are kept out of search engines.
  return { stylesheets: [RECEIPTS_CSS_PATH], scripts: [RECEIPTS_JS_PATH], noindex: true }
}

/** Whether a selection stands for all of the customer's data rather than chosen resources. */
export function coversEverything(selection: ReceiptSelection): boolean {
  return selection.all && selection.count === 0 && selection.items.length === 0
}

function selectionBlock(ctx: PageContext, section: ReceiptSection, view: ReceiptView, withLogin: boolean): SafeHtml {
  const { t } = ctx
  const { selection } = section
  const things = t(`receipts.kind.${selection.resource_type}`)
  const future = selection.include_future
    ? // CDS-WG3-01 §9.4 (R3-01-9.4-27), A-81: resources added later are included, and the receipt says so.
      html`<p>${selection.include_future_text ?? t('receipts.selection.includeFuture', { Things: t(`receipts.kindCapitalized.${selection.resource_type}`) })}</p>`
    : null
  // A scope without a Selection type covers the customer's data as a whole: the heading says it all.
  if (coversEverything(selection)) return html`<h3>${selection.heading}</h3>${future}`
  let body: SafeHtml
  if (view.owner) {
    const list =
      selection.items.length > 0
        ? html`<ul data-cds-selected-items>${selection.items.map((item) => html`<li>${item}</li>`)}</ul>`
        : html`<p>${selection.all ? t('receipts.selection.all', { things }) : t('receipts.selection.none')}</p>`
    body = html`${selection.all && selection.items.length > 0 ? html`<p>${t('receipts.selection.all', { things })}</p>` : null}${list}`
  } else {
    // CDS-WG3-01 §9.4 (R3-01-9.4-28): without login, only how many, never which.
    const summary = selection.all ? t('receipts.selection.all', { things }) : t(`receipts.things.${selection.resource_type}`, { count: selection.count })
    const login =
      view.login === null || !withLogin
        ? null
        : html` <a href="${view.login.href}" data-cds-login-for-details>${view.login.switch ? t('receipts.loginAsOwner') : t('receipts.loginForDetails')}</a>`
    body = html`<p data-cds-selected-count>${summary}${login}</p>`
  }
  return html`<h3>${selection.heading}</h3>${body}${future}`
}

function purposeBlock(ctx: PageContext, section: ReceiptSection, client_name: string): SafeHtml | null {
  const { purpose } = section
  if (purpose === null) return null
  const { t } = ctx
  // A-36: only a Purpose the Client wrote carries the attribution.
  const attribution = purpose.client_authored ? html`<p class="attribution">${t('receipts.purpose.clientAuthored', { client_name })}</p>` : null
  const related =
    purpose.related_uri === undefined
      ? null
      : html`<p>${externalLink(ctx, purpose.related_uri, purpose.related_name ?? t('receipts.purpose.related'), 'noopener nofollow')}</p>`
  // CDS-WG3-01 §9.4 (R3-01-9.4-29, -30): the copy taken at approval, shown as plain text.
  return html`<h3>${t('receipts.purpose')}</h3>${attribution}<p class="purpose-content" data-cds-purpose-content>${purpose.content}</p>${related}`
}

function sectionBlock(ctx: PageContext, section: ReceiptSection, index: number, view: ReceiptView, withLogin: boolean): SafeHtml {
  const { t } = ctx
  const details =
    section.data_details.length === 0
      ? null
      : html`<details><summary>${t('receipts.dataDetails')}</summary><ul>${section.data_details.map((d) => html`<li>${d}</li>`)}</ul></details>`
  const durations =
    section.durations.length === 0 ? null : html`<h3>${t('receipts.durations')}</h3><ul>${section.durations.map((d) => html`<li>${d}</li>`)}</ul>`
  return html`<section class="receipt-section" data-cds-receipt-section="${String(index)}" data-scopes="${section.scopes.join(' ')}">
<ul>${section.data.map((d) => html`<li>${d}</li>`)}</ul>
${details}
${durations}
${selectionBlock(ctx, section, view, withLogin)}
${purposeBlock(ctx, section, view.snapshot.client_name)}
</section>`
}

function changesBlock(ctx: PageContext, changes: readonly ReceiptChange[]): SafeHtml | null {
  if (changes.length === 0) return null
  const { t } = ctx
  const items = changes.map(
    (change) => html`<dt>${change.label}</dt>
<dd data-cds-change="${change.kind}"><div class="was">${t('receipts.changes.originally')} ${change.was}</div><div class="now">${t('receipts.changes.now')} ${change.now}</div></dd>`,
  )
  return html`<section class="panel changes" data-cds-changes>
<h2>${t('receipts.changes.heading')}</h2>
<p>${t('receipts.changes.intro')}</p>
<dl>${items}</dl>
</section>`
}

/**
 * The receipt page of a {@link ReceiptView}.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export function renderReceiptPage(ctx: PageContext, view: ReceiptView): string {
  const { t, brand, config } = ctx
  const { snapshot } = view
  const when = formatDateTime(t.locale, config.oauth.timezone, view.created)
  // One login link on the page, beside the first count it would reveal (A-34).
  const loginSection = snapshot.sections.findIndex((section) => !coversEverything(section.selection))
  const superseded =
    view.supersededHref === null
      ? null
      : html`<div class="notice" role="note" data-cds-superseded><p>${t('receipts.superseded')} <a href="${view.supersededHref}">${t('receipts.superseded.link')}</a></p></div>`
  const revokedNotice = view.revoked ? html`<div class="notice" role="status"><p>${t('receipts.revoke.done')}</p></div>` : null
  const revoke = grantGivesAccess(view.status)
    ? html`<p>${t('receipts.revoke.prompt')} <a href="${`${receiptPath(view.token)}/revoke`}" data-cds-revoke>${t('receipts.revoke.link')}</a></p>`
    : null
  const main = html`<h1>${t('receipts.title')}</h1>
<p class="no-print"><button type="button" class="button secondary" data-cds-print hidden>${t('receipts.print')}</button></p>
${revokedNotice}
${superseded}
<p>${t('receipts.status')} <span class="grant-status" data-cds-grant-status="${view.status}">${grantStatusText(t, view.status)}</span></p>
<dl class="receipt-facts">
<dt>${t('receipts.confirmation')}</dt><dd data-cds-confirmation>${view.confirmation}</dd>
<dt>${t('receipts.date')}</dt><dd><time datetime="${view.created.toISOString()}">${when}</time> (${relativeTime(t, view.created, view.now)})</dd>
<dt>${t('receipts.who')}</dt><dd data-cds-client>${clientLink(ctx, snapshot.client_uri, snapshot.client_name)}</dd>
</dl>
${changesBlock(ctx, view.changes)}
<h2>${t('receipts.what')}</h2>
${snapshot.sections.map((section, index) => sectionBlock(ctx, section, index, view, index === loginSection))}
<h2>${t('receipts.terms')}</h2>
<p data-cds-terms>${externalLink(ctx, snapshot.terms_uri, t('receipts.terms.link', { brand: brand.name }))}</p>
${revoke}
<p>${t('receipts.support.prompt')} ${externalLink(ctx, brand.support_uri, t('receipts.support.link'))}</p>`
  return renderPage(ctx, { title: t('receipts.title'), main, page: 'receipt', ...receiptPageOptions() })
}

/**
 * The 404 page of an unknown receipt: one body for every unknown token, so nothing can be learnt
 * by trying tokens.
 */
export function sendReceiptNotFound(ctx: PageContext, reply: FastifyReply): FastifyReply {
  const { t } = ctx
  const main = html`<h1>${t('receipts.notFound.title')}</h1><p>${t('receipts.notFound.text')}</p>`
  return sendPage(reply, renderPage(ctx, { title: t('receipts.notFound.title'), main, page: 'receipt-not-found', ...receiptPageOptions() }), 404)
}

/** The route's view of a receipt. */
async function receiptView(options: PagesPluginOptions, receipt: ReceiptRow, token: string, viewerId: string | undefined, revoked: boolean): Promise<ReceiptView> {
  const { db, config, clock, pages } = options
  const snapshot = storedSnapshot(receipt)
  const grant = await db
    .selectFrom('grants')
    .select(['status', 'scope', 'authorization_details', 'selections'])
    .where('grant_id', '=', receipt.grant_id)
    .executeTakeFirstOrThrow()
  const client = await db.selectFrom('clients').select(['client_name', 'client_uri']).where('client_id', '=', snapshot.client_id).executeTakeFirst()
  const owner = receipt.customer_id !== null && viewerId === receipt.customer_id
  const newer =
    receipt.superseded_by === null
      ? undefined
      : await db.selectFrom('authorization_receipts').select('url_token_sealed').where('receipt_id', '=', receipt.superseded_by).executeTakeFirst()
  const changes = receiptChanges(pages, snapshot, {
    client,
    grant: { scope: grant.scope, authorization_details: fromJsonText(grant.authorization_details), selections: fromJsonText(grant.selections) },
    terms_uri: config.customer_authorization.brand.terms_uri,
    owner,
  })
  return {
    token,
    confirmation: receipt.confirmation,
    created: receipt.created,
    now: clock.now(),
    snapshot,
    status: grant.status,
    changes,
    owner,
    // A-34: log in and come back to this receipt; someone else's session must log in again.
    login:
      owner || receipt.customer_id === null
        ? null
        : { href: loginUrl(receiptPath(token), viewerId === undefined ? undefined : { force: true }), switch: viewerId !== undefined },
    supersededHref: newer === undefined ? null : receiptPath(receiptToken(config, newer)),
    revoked,
  }
}

/**
 * Registers `GET /receipts/:token`.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export const showReceiptPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  app.get<{ Params: { token: string }; Querystring: { revoked?: string } }>(`${RECEIPTS_PATH}/:token`, { schema: { hide: true } }, async (request, reply) => {
    const { token } = request.params
    const receipt = await findReceiptByToken(options.db, token)
    if (receipt === undefined) return sendReceiptNotFound(options.pages, reply)
    const viewer = await currentCustomer(request, options)
    const view = await receiptView(options, receipt, token, viewer?.customer_id, request.query.revoked === '1')
    return sendPage(reply, renderReceiptPage(options.pages, view))
  })
}
