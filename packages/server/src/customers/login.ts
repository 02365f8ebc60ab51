/**
 * The login step of CDS-WG3-01 §9.1.2 as pages: `GET /login`, `POST /login`, `POST /login/cancel`
 * and `POST /logout`. Every POST carries the CSRF token of the pages plugin.
 *
 * - A valid session skips the form (R3-01-9.1.2-02) unless `force=1` asks for a new login
 *   (`prompt=login`, "log in as another customer", R3-01-9.1.2-11).
 * - A wrong login or password shows the form again (401) with one message that never says which
 *   of the two was wrong; an unknown login costs the same scrypt work as a known one.
 * - Cancel, and too many failures during an authorization request, send the browser back to
 *   `return_to` with `login=cancelled`, so the authorization ends with `access_denied`
 *   (R3-01-9.1.2-04, -05). Outside an authorization request, too many failures give a 429 page.
 * - Success starts a new session (never the old handle) and goes to `return_to`.
 * - Logout ends the session at once (R3-01-9.1.2-09).
 *
 * `return_to` is only ever a path on this server (`return-to.ts`).
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @see CDS-WG1-02 §11.3 Rate Limiting
 * @module
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { PagesPluginOptions } from '../pages/index.js'
import { sendPage } from '../pages/layout.js'
import type { LoginThrottle } from './login-throttle.js'
import { renderLockedPage, renderLoginPage } from './login-page.js'
import { verifyNoPassword, verifyPassword } from './passwords.js'
import { isAuthorizationReturn, safeReturnTo, withQueryParameter } from './return-to.js'
import { currentCustomer, endSession, LOGIN_CANCELLED, startSession } from './session.js'

/**
 * Options of {@link loginPlugin}.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export interface LoginPluginOptions extends PagesPluginOptions {
  /** The failed-login counters (`login-throttle.ts`). */
  throttle: LoginThrottle
}

// Longer passwords are refused without hashing them: scrypt's first pass reads the whole input.
const MAX_PASSWORD_LENGTH = 1024

/** The fields of a form post (the body parser gives single strings; empty fields are absent). */
function formFields(request: FastifyRequest): Record<string, string | undefined> {
  const body = request.body
  return typeof body === 'object' && body !== null ? (body as Record<string, string | undefined>) : {}
}

/** The query parameters of a page request (a repeated parameter comes as a list). */
function queryFields(request: FastifyRequest): Record<string, unknown> {
  const query = request.query
  return typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {}
}

/** Where a cancelled or locked-out login goes: back to `return_to`, marked `login=cancelled`. */
function cancelled(return_to: string): string {
  return withQueryParameter(return_to, LOGIN_CANCELLED.name, LOGIN_CANCELLED.value)
}

/**
 * Registers the login, cancel and logout routes.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export const loginPlugin: FastifyPluginAsync<LoginPluginOptions> = async (app, options) => {
  const { db, pages, throttle } = options
  // Page routes post HTML forms: the shared body parser reads them as forms on these routes.
  const form = { schema: { hide: true }, config: { formBody: true } } as const
  // The pages plugin's CSRF check (double submit: the `_csrf` field against the signed secret cookie).
  const csrf = app.csrfProtection.bind(app)

  app.get('/login', { schema: { hide: true } }, async (request, reply) => {
    const query = queryFields(request)
    const return_to = safeReturnTo(query.return_to)
    const force = query.force === '1' || query.force === 'true'
    const customer = await currentCustomer(request, options)
    // CDS-WG3-01 §9.1.2 (R3-01-9.1.2-02): a live session continues without a new login, unless forced (R3-01-9.1.2-11).
    if (customer !== undefined && !force) return reply.redirect(return_to, 303)
    const view = { return_to, csrf: reply.generateCsrf(), ...(customer === undefined ? {} : { logged_in_as: customer.display_name }) }
    return sendPage(reply, renderLoginPage(pages, view))
  })

  /** Refuses the attempt before the password is checked when the counters are full. */
  async function lockout(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    const verdict = await throttle.check(request)
    if (!verdict.locked) return undefined
    const return_to = safeReturnTo(formFields(request).return_to)
    // CDS-WG3-01 §9.1.2 (R3-01-9.1.2-04): after too many failures the customer is sent back, so
    // the authorization request learns that authentication failed (and ends with access_denied).
    if (isAuthorizationReturn(return_to)) return reply.redirect(cancelled(return_to), 303)
    void reply.header('retry-after', String(verdict.retry_after_seconds))
    return sendPage(reply, renderLockedPage(pages, { return_to, retry_after_seconds: verdict.retry_after_seconds }), 429)
  }

  app.post('/login', { ...form, preHandler: [csrf, lockout] }, async (request, reply) => {
    const fields = formFields(request)
    const return_to = safeReturnTo(fields.return_to)
    const login = (fields.login ?? '').trim().toLowerCase()
    const password = fields.password ?? ''
    const customer =
      login === '' ? undefined : await db.selectFrom('customers').select(['customer_id', 'password_hash']).where('login', '=', login).executeTakeFirst()
    // The same scrypt work whether or not the login exists: the answer's timing tells nothing.
    const accepted =
      customer === undefined || password.length > MAX_PASSWORD_LENGTH ? await verifyNoPassword(password.slice(0, MAX_PASSWORD_LENGTH)) : await verifyPassword(password, customer.password_hash)
    if (customer === undefined || !accepted) {
      await throttle.recordFailure(request)
      const view = { return_to, csrf: reply.generateCsrf(), login: fields.login ?? '', failed: true }
      return sendPage(reply, renderLoginPage(pages, view), 401)
    }
    // A new handle on every login; any session the browser had ends (no session fixation).
    await startSession(request, reply, options, customer.customer_id)
    return reply.redirect(return_to, 303)
  })

  app.post('/login/cancel', { ...form, preHandler: csrf }, async (request, reply) => {
    // CDS-WG3-01 §9.1.2 (R3-01-9.1.2-04, -05): cancelling is reported back as a failed authentication.
    return reply.redirect(cancelled(safeReturnTo(formFields(request).return_to)), 303)
  })

  app.post('/logout', { ...form, preHandler: csrf }, async (request, reply) => {
    // CDS-WG3-01 §9.1.2 (R3-01-9.1.2-09): logging out ends the session immediately.
    await endSession(request, reply, options)
    return reply.redirect(safeReturnTo(formFields(request).return_to, '/login'), 303)
  })
}
