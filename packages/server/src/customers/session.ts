/**
 * Customer sessions (CDS-WG3-01 §9.1.2). The browser holds a cookie `cds_session` with a random
 * 256-bit handle; the server keeps only its SHA-256 digest in `customer_sessions`, so a copy of
 * the table cannot be replayed as cookies. The cookie is HttpOnly, `SameSite=Lax` (the
 * authorization endpoint is reached by a top-level navigation from another site, which must
 * carry it), `Secure` when the server runs on https, and scoped to `/`.
 *
 * A session ends after `session_idle_seconds` without a request (A-58: measured from the last
 * request; the default 15 minutes is above the 10 minutes §9.1.2 asks for) and at once on logout.
 * Logging in always starts a new session with a new handle (no session fixation).
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */
import { hashSecret, randomOpaqueValue } from '@cds-ts/auth'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Database } from '../db/database.js'
import type { Kysely } from 'kysely'
import type { PagesPluginOptions } from '../pages/index.js'
import { DEFAULT_RETURN_TO, safeReturnTo } from './return-to.js'

/** The name of the session cookie. */
export const SESSION_COOKIE = 'cds_session'

/**
 * The customer a request is logged in as.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export interface CustomerSession {
  customer_id: string
  /** The lower-cased e-mail address the customer logs in with. */
  login: string
  display_name: string
  /** Where receipts go (§9.4); `null` without contact on file. */
  email: string | null
  /** A test account (`cds_test_accounts`, A-52). */
  is_test_account: boolean
  /**
   * When the customer logged in (the session's start): lets the authorization form tell a login
   * made after a `prompt=login` request from an older one (CDS-WG1-02 §8.3).
   */
  authenticated_at: Date
}

/**
 * Appended to `return_to` as `?login=cancelled` (or `&login=cancelled`) when the customer cancels
 * the login or is locked out by throttling: the authentication did not complete, and the
 * authorization request ends with `access_denied` (§9.1.2).
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export const LOGIN_CANCELLED = { name: 'login', value: 'cancelled' } as const

// What randomOpaqueValue makes: 43 base64url characters. Anything else is not looked up.
const HANDLE = /^[A-Za-z0-9_-]{43}$/

/** What the session functions need from the pages plugin options. */
type SessionOptions = Pick<PagesPluginOptions, 'db' | 'clock' | 'config'>

/**
 * The logged-in customer of this request, or `undefined` (no cookie, an unknown handle, a session
 * that was logged out or has been idle for `session_idle_seconds`). A live session's `last_seen`
 * moves to now, so the idle time counts from the last request.
 *
 * @example
 * ```ts
 * const customer = await currentCustomer(request, options)
 * if (customer === undefined) return reply.redirect(loginUrl(request.url), 303)
 * ```
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function currentCustomer(request: FastifyRequest, options: SessionOptions): Promise<CustomerSession | undefined> {
  const handle = request.cookies[SESSION_COOKIE]
  if (handle === undefined || !HANDLE.test(handle)) return undefined
  const { db, clock, config } = options
  const session_hash = hashSecret(handle)
  const row = await db
    .selectFrom('customer_sessions as s')
    .innerJoin('customers as c', 'c.customer_id', 's.customer_id')
    .select(['c.customer_id', 'c.login', 'c.display_name', 'c.email', 'c.is_test_account', 's.created', 's.last_seen'])
    .where('s.session_hash', '=', session_hash)
    .where('s.ended_at', 'is', null)
    .executeTakeFirst()
  if (row === undefined) return undefined
  const now = clock.now()
  // CDS-WG3-01 §9.1.2 (R3-01-9.1.2-08), A-58: the session outlives the last request by the idle
  // timeout (configured at no less than 10 minutes unless a jurisdiction asks for less, R3-01-9.1.2-10).
  if (now.getTime() - row.last_seen.getTime() >= config.customer_authorization.session_idle_seconds * 1000) {
    await db.updateTable('customer_sessions').set({ ended_at: now }).where('session_hash', '=', session_hash).where('ended_at', 'is', null).execute()
    return undefined
  }
  await db.updateTable('customer_sessions').set({ last_seen: now }).where('session_hash', '=', session_hash).execute()
  return {
    customer_id: row.customer_id,
    login: row.login,
    display_name: row.display_name,
    email: row.email,
    is_test_account: row.is_test_account,
    authenticated_at: row.created,
  }
}

/**
 * The URL of the login page that comes back to `returnTo` (a same-origin path; anything else
 * comes back to the account page) after login. `force` shows the form even to a logged-in
 * customer (`prompt=login`, "log in as another customer").
 *
 * @example
 * ```ts
 * loginUrl('/authorize/interaction/abc')                  // '/login?return_to=%2Fauthorize%2Finteraction%2Fabc'
 * loginUrl('/authorize/interaction/abc', { force: true }) // '/login?return_to=%2Fauthorize%2Finteraction%2Fabc&force=1'
 * ```
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export function loginUrl(returnTo: string, options: { force?: boolean } = {}): string {
  const query = new URLSearchParams({ return_to: safeReturnTo(returnTo, DEFAULT_RETURN_TO) })
  if (options.force === true) query.set('force', '1')
  return `/login?${query.toString()}`
}

/** The attributes of the session cookie (§9.1.2; see the module description). */
function cookieOptions(config: SessionOptions['config']): { httpOnly: true; sameSite: 'lax'; secure: boolean; path: '/' } {
  return { httpOnly: true, sameSite: 'lax', secure: config.base_url.startsWith('https:'), path: '/' }
}

/**
 * Starts a session for `customer_id` with a new handle and sets the cookie. A session the request
 * already carried is ended first: the handle before login never becomes the handle after it
 * (session fixation).
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function startSession(request: FastifyRequest, reply: FastifyReply, options: SessionOptions, customer_id: string): Promise<void> {
  await endSessionOf(request, options)
  const handle = randomOpaqueValue()
  const now = options.clock.now()
  await options.db.insertInto('customer_sessions').values({ session_hash: hashSecret(handle), customer_id, created: now, last_seen: now, ended_at: null }).execute()
  void reply.setCookie(SESSION_COOKIE, handle, cookieOptions(options.config))
}

/**
 * Logs out: the session of this request ends at once (R3-01-9.1.2-09) and the cookie is removed.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function endSession(request: FastifyRequest, reply: FastifyReply, options: SessionOptions): Promise<void> {
  await endSessionOf(request, options)
  void reply.clearCookie(SESSION_COOKIE, cookieOptions(options.config))
}

async function endSessionOf(request: FastifyRequest, options: SessionOptions): Promise<void> {
  const handle = request.cookies[SESSION_COOKIE]
  if (handle === undefined || !HANDLE.test(handle)) return
  await endSessions(options.db, { session_hash: hashSecret(handle) }, options.clock.now())
}

/**
 * Ends sessions now: one (by the digest of its handle) or all of a customer's.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function endSessions(db: Kysely<Database>, which: { session_hash: string } | { customer_id: string }, now: Date): Promise<void> {
  let query = db.updateTable('customer_sessions').set({ ended_at: now }).where('ended_at', 'is', null)
  query = 'session_hash' in which ? query.where('session_hash', '=', which.session_hash) : query.where('customer_id', '=', which.customer_id)
  await query.execute()
}
