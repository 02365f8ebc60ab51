/**
 * The pages of the login step (CDS-WG3-01 §9.1.2): the login form with its Cancel control, the
 * "too many attempts" page, and the plain error pages of this area. Markup only; the routes are
 * in `login.ts`.
 *
 * Page hooks (for browser tests): `body[data-cds-page="login"]`, `input[name=login]`,
 * `input[name=password]`, `button[data-cds-login]`, `button[data-cds-cancel]`, the hidden
 * `return_to`, and the error text in `[role=alert]`.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */
import { ENDPOINT_PATHS } from '../config/endpoints.js'
import { html } from '../pages/html.js'
import { externalLink, renderPage, type PageContext } from '../pages/layout.js'
import { isAuthorizationReturn } from './return-to.js'
import { loginUrl } from './session.js'

/** What the login form shows. */
export interface LoginFormView {
  /** Where the browser goes after login or cancel (already checked by `safeReturnTo`). */
  return_to: string
  /** The CSRF token both forms post. */
  csrf: string
  /** The login name to fill in again after a failure. */
  login?: string
  /** The last attempt failed (wrong login or password; never says which). */
  failed?: boolean
  /** The name of the customer already logged in, when the form is shown anyway (`force`). */
  logged_in_as?: string
}

/**
 * The login page. Cancel is its own small form (so the password is never posted to it) whose
 * button sits beside "Log in" through the `form` attribute; Enter in a field still logs in.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export function renderLoginPage(ctx: PageContext, view: LoginFormView): string {
  const { t, brand, config } = ctx
  const forAuthorization = isAuthorizationReturn(view.return_to)
  const failed = view.failed === true
  const main = html`<h1>${t('customers.login.title')}</h1>
<p>${forAuthorization ? t('customers.login.forAuthorization', { brand: brand.name }) : t('customers.login.intro', { brand: brand.name })}</p>
${view.logged_in_as !== undefined && html`<p class="notice">${t('customers.login.asOther', { name: view.logged_in_as })}</p>`}
${failed && html`<p class="error" role="alert" id="login-error">${t('customers.login.failed')}</p>`}
<form method="post" action="/login" class="panel">
<input type="hidden" name="_csrf" value="${view.csrf}">
<input type="hidden" name="return_to" value="${view.return_to}">
<div class="field"><label for="login">${t('customers.login.login')}</label>
<input id="login" name="login" type="email" autocomplete="username" required spellcheck="false" value="${view.login ?? ''}"${failed ? html` aria-invalid="true" aria-describedby="login-error"` : null}></div>
<div class="field"><label for="password">${t('customers.login.password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${failed ? html` aria-invalid="true" aria-describedby="login-error"` : null}></div>
<div class="actions">
<button type="submit" class="button" data-cds-login>${t('customers.login.submit')}</button>
<button type="submit" class="button secondary" form="login-cancel" data-cds-cancel>${t('customers.login.cancel')}</button>
</div>
</form>
<form id="login-cancel" method="post" action="/login/cancel">
<input type="hidden" name="_csrf" value="${view.csrf}">
<input type="hidden" name="return_to" value="${view.return_to}">
</form>
${forAuthorization && html`<p class="muted">${t('customers.login.cancelHint')}</p>`}
${config.customer_authorization.demo_customers && html`<p>${externalLink(ctx, ENDPOINT_PATHS.test_accounts, t('customers.login.testAccounts'))}</p>`}`
  return renderPage(ctx, { title: t('customers.login.title'), main, page: 'login' })
}

/**
 * The page shown when logging in is paused after too many failures (outside an authorization
 * request; inside one the customer is sent back instead, §9.1.2).
 *
 * @see CDS-WG1-02 §11.3 Rate Limiting
 */
export function renderLockedPage(ctx: PageContext, view: { return_to: string; retry_after_seconds: number }): string {
  const { t } = ctx
  const main = html`<h1>${t('customers.locked.title')}</h1>
<p role="alert">${t('customers.locked.body', { minutes: Math.max(1, Math.ceil(view.retry_after_seconds / 60)) })}</p>
<p><a href="${loginUrl(view.return_to)}">${t('customers.locked.back')}</a></p>`
  return renderPage(ctx, { title: t('customers.locked.title'), main, page: 'login-locked' })
}

/** The 404 page of this area (also `/test-accounts` on a server without demo customers). */
export function renderNotFoundPage(ctx: PageContext): string {
  const { t } = ctx
  const main = html`<h1>${t('customers.notFound.title')}</h1>
<p>${t('customers.notFound.body')}</p>`
  return renderPage(ctx, { title: t('customers.notFound.title'), main, page: 'not-found' })
}

/** The page for a refused request of this area: a failed CSRF check (403) or a malformed form (400). */
export function renderErrorPage(ctx: PageContext, status: number): string {
  const { t } = ctx
  const main = html`<h1>${t('customers.error.title')}</h1>
<p role="alert">${status === 403 ? t('customers.error.forbidden') : t('customers.error.badRequest')}</p>`
  return renderPage(ctx, { title: t('customers.error.title'), main, page: 'error' })
}
