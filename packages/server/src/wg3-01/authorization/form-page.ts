/**
 * The Authorization Form page (CDS-WG3-01 §9.2): one server-rendered page whose sections come
 * in the order of §9.2.1 — Header (brand and title, print), Requester, Requests Container with
 * one Request Section per `requestSections` group (Data, Duration, Selection, Purpose
 * components, §9.2.1.4), Closing (the terms the customer agrees to), Approval (Authorize first,
 * Decline second, equal in size, A-66) and Footer (who is logged in, re-login, support, terms,
 * privacy). Every value is escaped by the `html` template; the Purpose is text only (§9.2.2.4).
 *
 * Hooks for tests (`data-cds-*`) follow the project's page hooks contract.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @module
 */
import { html, type SafeHtml } from '../../pages/html.js'
import { defaultFooter, externalLink, renderPage, type PageContext } from '../../pages/layout.js'
import { FORM_SCRIPT_PATH } from './form-script.js'
import { FORM_STYLES_PATH } from './form-styles.js'
import type { FormModel, SectionModel } from './form-model.js'
import { richText, slot } from './page-support.js'
import { renderSelection } from './selection-component.js'
import { canRemove, remainingSections, toggles, type FormState } from './selections.js'

/**
 * What the page shows besides the model: the customer, the form's action and CSRF token, and
 * the sections marked by a failed approval (A-61).
 */
export interface FormPageView {
  model: FormModel
  state: FormState
  /** The identity shown in the footer (§9.2.1.7). */
  identity: string
  action: string
  csrf: string
  /** The re-login link (§9.2.1.7): log in again, then back to this form. */
  relogin: string
  /** Section indices that need a selection before approval (A-61); empty when none. */
  errors: readonly number[]
}

/** §9.2.2.1: the summary of each scope, with the details behind a toggle; optional data can be switched off when allowed. */
function renderData(ctx: PageContext, section: SectionModel, state: FormState): SafeHtml {
  const { t } = ctx
  const offered = new Set(toggles(section))
  const off = state.switched_off.get(section.index) ?? new Set<string>()
  const scopes = section.scopes.map(({ scope, entry, data }) => {
    const items = data.items.map((item) => {
      const toggle = item.field === null || entry === undefined ? undefined : `${entry.type}:${item.field}`
      const control =
        toggle !== undefined && offered.has(toggle)
          ? html` <label class="keep"><input type="checkbox" name="keep.${String(section.index)}" value="${toggle}"${off.has(toggle) ? null : html` checked`}> ${t('authorization.data.keep')}<span class="visually-hidden">: ${item.label}</span></label>`
          : null
      return html`<li><span class="item-label">${item.label}</span> <span class="example">${t('authorization.data.example', { example: item.example })}</span>${control}</li>`
    })
    return html`<li data-scope="${scope.id}">${data.summary}${
      items.length === 0
        ? null
        : html`<details><summary>${t('authorization.data.details')}<span class="visually-hidden">: ${data.summary}</span></summary>
<ul class="data-items">${items}</ul>
</details>`
    }</li>`
  })
  return html`<div class="component data" data-cds-component="data">
<h3>${t('authorization.data.heading')}</h3>
<ul class="data-list">${scopes}</ul>
</div>`
}

/** §9.2.2.2: the duration statements as a list. */
function renderDurations(ctx: PageContext, section: SectionModel): SafeHtml {
  return html`<div class="component duration" data-cds-component="duration">
<h3>${ctx.t('authorization.duration.heading')}</h3>
<ul>${section.durations.map((line) => html`<li>${line}</li>`)}</ul>
</div>`
}

/** §9.2.2.4: "For this purpose:", the attribution for Client-written Purposes (A-36), the text, the related link. */
function renderPurpose(ctx: PageContext, section: SectionModel, client_name: string): SafeHtml | null {
  const purpose = section.purpose
  if (purpose === null) return null
  const { t } = ctx
  const link = purpose.related_uri === undefined ? null : html` ${externalLink(ctx, purpose.related_uri, purpose.related_name ?? purpose.related_uri, 'noopener noreferrer')}`
  // No whitespace may slip into the block: it is rendered pre-wrap.
  return html`<div class="component purpose" data-cds-component="purpose">
<h3>${t('authorization.purpose.heading')}</h3>
${purpose.client_authored ? html`<p class="attribution">${t('authorization.purpose.clientAuthored', { client: client_name })}</p>` : null}
<div class="purpose-content" data-cds-purpose-content>${purpose.content}${link}</div>
</div>`
}

function renderSection(ctx: PageContext, view: FormPageView, section: SectionModel, position: number, total: number): SafeHtml {
  const { t } = ctx
  const i = section.index
  const titleId = `section-${i}-title`
  const remove = canRemove(section, view.model, view.state)
    ? html`<button type="submit" class="linklike remove" name="remove_section" value="${i}">${t('authorization.section.remove')}<span class="visually-hidden"> (${t('authorization.section.heading', { number: position, total })})</span></button>`
    : null
  return html`<section class="request-section" data-cds-request-section="${i}" data-scopes="${section.scopes.map((s) => s.scope.id).join(' ')}" aria-labelledby="${titleId}">
<div class="section-head"><h2 id="${titleId}"${total === 1 ? html` class="visually-hidden"` : null}>${t('authorization.section.heading', { number: position, total })}</h2>${remove}</div>
${renderData(ctx, section, view.state)}
${renderDurations(ctx, section)}
${renderSelection(ctx, section, view.state, view.errors.includes(i))}
${renderPurpose(ctx, section, view.model.client.client_name)}
</section>`
}

/**
 * The whole Authorization Form page.
 *
 * @example
 * ```ts
 * sendPage(reply, renderFormPage(options.pages, { model, state, identity: customer.login, action, csrf, relogin, errors: [] }))
 * ```
 * @see CDS-WG3-01 §9.2.1 Authorization Form Layout
 */
export function renderFormPage(ctx: PageContext, view: FormPageView): string {
  const { t, brand } = ctx
  const { model, state } = view
  const client = model.client
  const title = t('authorization.form.title', { brand: brand.name })
  // §9.2.1.2: the Client's name links to its client_uri, in a new tab that cannot reach back.
  const name = client.client_uri === undefined || client.client_uri === null ? html`<strong>${client.client_name}</strong>` : externalLink(ctx, client.client_uri, client.client_name)
  const remaining = remainingSections(model, state)
  const removed = model.sections.length - remaining.length
  const sections = remaining.map((section, position) => renderSection(ctx, view, section, position + 1, remaining.length))
  const main = html`<section class="requester" data-cds-section="requester">
<p>${richText(t('authorization.requester.statement', { client: slot('client') }), { client: name })}</p>
</section>
<form method="post" action="${view.action}" class="authorization-form" data-cds-authorization-form novalidate>
<input type="hidden" name="_csrf" value="${view.csrf}">
${[...state.removed].map((index) => html`<input type="hidden" name="removed" value="${index}">`)}
<div class="requests" data-cds-section="requests">
<h2 class="visually-hidden">${t('authorization.requests.heading', { client: client.client_name })}</h2>
${removed > 0 ? html`<p class="notice">${t('authorization.section.removedNotice', { count: removed })} <button type="submit" class="linklike" name="reset" value="1">${t('authorization.form.reset')}</button></p>` : null}
${sections}
</div>
<div class="closing" data-cds-section="closing">
<p>${richText(t('authorization.closing.terms', { terms: slot('terms') }), { terms: externalLink(ctx, brand.terms_uri, t('authorization.closing.termsLink')) })}</p>
</div>
<div class="approval" data-cds-section="approval">
${view.errors.length > 0 ? html`<p class="error" role="alert" data-cds-form-error>${t('authorization.approval.error')}</p>` : null}
<div class="actions decision">
<button type="submit" class="button" name="decision" value="approve">${t('authorization.approval.approve')}</button>
<button type="submit" class="button" name="decision" value="decline">${t('authorization.approval.decline')}</button>
</div>
<p class="muted">${t('authorization.approval.note', { client: client.client_name })}</p>
</div>
</form>`
  const footer = defaultFooter(
    ctx,
    html`<p>${t('authorization.footer.loggedIn', { identity: view.identity })} ${t('authorization.footer.relogin')} <a href="${view.relogin}" data-cds-relogin>${t('authorization.footer.reloginLink')}</a></p>`,
  )
  const header = html`<h1 class="form-title">${title}</h1><button type="button" class="linklike js-only print" data-cds-print>${t('authorization.form.print')}</button>`
  return renderPage(ctx, { title, main, footer, header, page: 'authorization-form', noindex: true, scripts: [FORM_SCRIPT_PATH], stylesheets: [FORM_STYLES_PATH] })
}
