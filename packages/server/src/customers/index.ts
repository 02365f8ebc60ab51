/**
 * Customer accounts (CDS-WG3-01 §9.1.2): login, logout, sessions, the account page, the test
 * accounts page and the directory of resources a customer can select.
 *
 * The routes of this area answer refused requests (a missing or wrong CSRF token, a malformed
 * form) with an HTML page of the same status instead of the JSON error body of the APIs; server
 * errors still go to the shared error handler.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */
import { OAuthError } from '@cds-ts/auth'
import type { FastifyPluginAsync } from 'fastify'
import type { PagesPluginOptions } from '../pages/index.js'
import { sendPage, serveAsset } from '../pages/layout.js'
import { accountPlugin } from './account.js'
import { loginPlugin } from './login.js'
import { renderErrorPage, renderNotFoundPage } from './login-page.js'
import { registerLoginThrottle } from './login-throttle.js'
import { CUSTOMERS_CSS, CUSTOMERS_CSS_PATH, testAccountsPlugin } from './test-accounts.js'

export { currentCustomer, loginUrl, LOGIN_CANCELLED, type CustomerSession } from './session.js'
export { listCustomerResources, type DirectoryResource, type ResourceAttributes } from './directory.js'
export { logoutForm } from './account.js'

/** The HTTP status of something thrown, when it is a client error. */
function clientErrorStatus(error: unknown): number | undefined {
  const status = error instanceof OAuthError ? error.status : typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined
}

/**
 * Registers the routes of this area.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export const customersPlugin: FastifyPluginAsync<PagesPluginOptions> = async (app, options) => {
  const { pages, clock, config } = options
  app.setErrorHandler(async (error, _request, reply) => {
    const status = clientErrorStatus(error)
    // Anything else (5xx) goes to the parent handler, which logs it and hides the details.
    if (status === undefined) throw error
    return sendPage(reply, status === 404 ? renderNotFoundPage(pages) : renderErrorPage(pages, status), status)
  })
  serveAsset(app, CUSTOMERS_CSS_PATH, 'text/css; charset=utf-8', CUSTOMERS_CSS)
  // CDS-WG1-02 §11.3: failed logins are limited per IP address and per login name.
  const throttle = await registerLoginThrottle(app, { clock, ...config.customer_authorization.login_throttle })
  await app.register(loginPlugin, { ...options, throttle })
  await app.register(accountPlugin, options)
  await app.register(testAccountsPlugin, options)
}
