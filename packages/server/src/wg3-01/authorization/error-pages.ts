/**
 * The two errors the server shows itself during an authorization (CDS-WG3-01 §9.3): the Invalid
 * Request Error, when there is no trustworthy redirect URI to send an error to (§9.3.2, A-13,
 * A-14), and the Preselection Error, when the customer has none of the resources a request
 * preselects (§9.3.1), with the choice to log in as someone else or decline.
 *
 * @see CDS-WG3-01 §9.3 Authorization Errors
 * @module
 */
import { html, type SafeHtml } from '../../pages/html.js'
import { defaultFooter, renderPage, type PageContext } from '../../pages/layout.js'
import { FORM_STYLES_PATH } from './form-styles.js'

/** The page title as the header's heading (§9.2.1.1 allows the Header Section on error pages). */
function title(ctx: PageContext): SafeHtml {
  return html`<p class="form-title">${ctx.t('authorization.form.title', { brand: ctx.brand.name })}</p>`
}

/**
 * The Invalid Request Error page (§9.3.2): the request cannot be completed, and the customer
 * should tell whoever sent the link. Nothing about the request is echoed.
 *
 * @example
 * ```ts
 * return sendPage(reply, renderInvalidRequestPage(options.pages), 400)
 * ```
 * @see CDS-WG3-01 §9.3.2 Invalid Request Error
 */
export function renderInvalidRequestPage(ctx: PageContext): string {
  const { t } = ctx
  const main = html`<div class="error" role="alert">
<h1>${t('authorization.invalidRequest.title')}</h1>
<p>${t('authorization.invalidRequest.message')}</p>
<p>${t('authorization.invalidRequest.contact')}</p>
</div>
<p class="muted">${t('authorization.invalidRequest.expired')}</p>`
  return renderPage(ctx, { title: t('authorization.invalidRequest.title'), main, page: 'invalid-request', noindex: true, stylesheets: [FORM_STYLES_PATH], header: title(ctx) })
}

/** What the Preselection Error page lists. */
export interface PreselectionErrorView {
  client_name: string
  /** The requested resources of every failing section, in the customer's words (A-60). */
  requested: string[]
  /** The form's action (the interaction path) and its CSRF token. */
  action: string
  csrf: string
}

/**
 * The Preselection Error page (§9.3.1): the Client's name, the requested resources in the
 * customer's words, and two buttons: log in as a different customer, or decline (which sends
 * the configured error back, A-12).
 *
 * @see CDS-WG3-01 §9.3.1 Preselection Error
 */
export function renderPreselectionErrorPage(ctx: PageContext, view: PreselectionErrorView): string {
  const { t } = ctx
  const main = html`<div class="error" role="alert">
<h1>${t('authorization.preselection.title')}</h1>
<p>${t('authorization.preselection.message', { client: view.client_name })}</p>
<ul class="requested">${view.requested.map((line) => html`<li>${line}</li>`)}</ul>
</div>
<p>${t('authorization.preselection.explain')}</p>
<form method="post" action="${view.action}" class="actions decision">
<input type="hidden" name="_csrf" value="${view.csrf}">
<input type="hidden" name="step" value="preselection-error">
<button type="submit" class="button" name="decision" value="reauthenticate">${t('authorization.preselection.reauthenticate')}</button>
<button type="submit" class="button" name="decision" value="decline">${t('authorization.preselection.decline')}</button>
</form>`
  return renderPage(ctx, {
    title: t('authorization.preselection.title'),
    main,
    page: 'preselection-error',
    noindex: true,
    stylesheets: [FORM_STYLES_PATH],
    header: title(ctx),
    footer: defaultFooter(ctx),
  })
}

/**
 * The page that sends the browser back to the client at once (a zero-second refresh, and a link
 * for anyone whose browser does not follow it). Used instead of a 303 when an interaction ends on
 * a GET: that GET may end the redirect chain of the login form's post, and browsers check the
 * login page's `form-action 'self'` against every hop, so a 303 to the client would be blocked.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export function renderReturningPage(ctx: PageContext, client_name: string, location: string): string {
  const { t } = ctx
  const main = html`<h1>${t('authorization.returning.title', { client: client_name })}</h1>
<p>${t('authorization.returning.message', { client: client_name })}</p>
<p><a href="${location}" data-cds-continue>${t('authorization.returning.link', { client: client_name })}</a></p>`
  return renderPage(ctx, {
    title: t('authorization.returning.title', { client: client_name }),
    main,
    page: 'returning-to-client',
    noindex: true,
    stylesheets: [FORM_STYLES_PATH],
    header: title(ctx),
    refresh: location,
  })
}
