/**
 * `GET /account`: the logged-in customer's home page (who is logged in, their authorizations,
 * logout), and the logout form other pages can reuse. Without a session it sends the browser to
 * the login page and back.
 *
 * Page hooks: `body[data-cds-page="account"]`, `form[data-cds-logout]`.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */
import type { FastifyPluginAsync } from 'fastify'
import { html, type SafeHtml } from '../pages/html.js'
import type { PagesPluginOptions } from '../pages/index.js'
import { renderPage, sendPage, type PageContext } from '../pages/layout.js'
import { DEFAULT_RETURN_TO } from './return-to.js'
import { currentCustomer, LOGIN_CANCELLED, loginUrl, type CustomerSession } from './session.js'

/** The path of the customer's authorizations page (helper D's `GET /account/authorizations`). */
export const ACCOUNT_AUTHORIZATIONS_PATH = '/account/authorizations'

/**
 * The logout button as a form (`form[data-cds-logout]`, `POST /logout`); `return_to` is where the
 * browser goes afterwards (default the login page).
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export function logoutForm(ctx: PageContext, csrf: string, return_to?: string): SafeHtml {
  return html`<form method="post" action="/logout" data-cds-logout>
<input type="hidden" name="_csrf" value="${csrf}">
${return_to !== undefined && html`<input type="hidden" name="return_to" value="${return_to}">`}
<button type="submit" class="button secondary">${ctx.t('customers.logout.submit')}</button>
</form>`
}

/** The account page of a logged-in customer. */
export function renderAccountPage(ctx: PageContext, customer: CustomerSession, csrf: string): string {
  const { t } = ctx
  const main = html`<h1>${t('customers.account.title')}</h1>
<p>${t('customers.account.loggedInAs', { name: customer.display_name, login: customer.login })}</p>
<section class="panel">
<h2><a href="${ACCOUNT_AUTHORIZATIONS_PATH}">${t('customers.account.authorizations')}</a></h2>
<p>${t('customers.account.authorizationsHint')}</p>
</section>
<div class="actions">${logoutForm(ctx, csrf)}</div>`
  return renderPage(ctx, { title: t('customers.account.title'), main, page: 'account' })
}

/** The page for a browser that cancelled the login of the account page (no redirect loop back to login). */
function renderLoggedOutPage(ctx: PageContext): string {
  const { t } = ctx
  const main = html`<h1>${t('customers.account.title')}</h1>
<p>${t('customers.account.notLoggedIn')}</p>
<p><a class="button" href="${loginUrl(DEFAULT_RETURN_TO)}">${t('customers.account.login')}</a></p>`
  return renderPage(ctx, { title: t('customers.account.title'), main, page: 'account-logged-out' })
}

/**
 * Registers `GET /account`.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export const accountPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  app.get(DEFAULT_RETURN_TO, { schema: { hide: true } }, async (request, reply) => {
    const customer = await currentCustomer(request, options)
    if (customer === undefined) {
      const query = request.query as Record<string, unknown> | undefined
      if (query?.[LOGIN_CANCELLED.name] === LOGIN_CANCELLED.value) return sendPage(reply, renderLoggedOutPage(options.pages))
      // No customer data before login (issue 5): the page needs a session.
      return reply.redirect(loginUrl(DEFAULT_RETURN_TO), 303)
    }
    return sendPage(reply, renderAccountPage(options.pages, customer, reply.generateCsrf()))
  })
}
