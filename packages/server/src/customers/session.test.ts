/**
 * Customer sessions over `inject` on the whole server (CDS-WG3-01 §9.1.2, A-58): idle expiry on
 * the injected clock, logout, a new handle on every login, and the account page.
 */
import { hashSecret } from '@cds-ts/auth'
import type { FastifyRequest } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildApiApp, type ApiApp } from '../../test/api-app.js'
import { browse, CookieJar, csrfToken, demoCustomer, loginAs, postForm } from '../../test/customers-session.js'
import { forEachDialect } from '../../test/dialects.js'
import { currentCustomer } from './session.js'

const CUST_A = demoCustomer('CUST-A')
const MINUTE = 60

forEachDialect('CDS-WG3-01 §9.1.2 Customer Authentication: sessions', (t) => {
  let api: ApiApp
  beforeAll(async () => {
    api = await buildApiApp(t.database)
  }, 60_000)
  afterAll(async () => {
    await api.app.close()
  })

  /** `currentCustomer` for a request that carries `jar`'s cookies. */
  function whoIs(jar: CookieJar): ReturnType<typeof currentCustomer> {
    const request = { cookies: Object.fromEntries(jar.cookies) } as unknown as FastifyRequest
    return currentCustomer(request, { db: t.db, clock: api.clock, config: api.config })
  }

  it('currentCustomer names the logged-in customer and when they logged in', async () => {
    const loggedInAt = api.clock.now()
    const jar = await loginAs(api.app, 'CUST-A')
    expect(await whoIs(jar)).toEqual({
      customer_id: 'CUST-A',
      login: 'custa@example.com',
      display_name: CUST_A.display_name,
      email: 'custa@example.com',
      is_test_account: true,
      authenticated_at: loggedInAt,
    })
    expect(await whoIs(new CookieJar())).toBeUndefined()
    const forged = new CookieJar()
    forged.cookies.set('cds_session', 'A'.repeat(43))
    expect(await whoIs(forged)).toBeUndefined()
    forged.cookies.set('cds_session', "' or 1=1 --")
    expect(await whoIs(forged)).toBeUndefined()
  })

  it('R3-01-9.1.2-08 (A-58) idle 9 minutes keeps the session, counted from the last request; idle 16 minutes ends it', async () => {
    const jar = await loginAs(api.app, 'CUST-A')
    api.clock.advance(9 * MINUTE)
    expect((await browse(api.app, jar, '/account')).statusCode).toBe(200)
    // 18 minutes after login but 9 after the last request: still logged in.
    api.clock.advance(9 * MINUTE)
    expect((await whoIs(jar))?.customer_id).toBe('CUST-A')
    api.clock.advance(16 * MINUTE)
    const expired = await browse(api.app, jar, '/account')
    expect(expired.statusCode).toBe(303)
    expect(expired.headers.location).toBe('/login?return_to=%2Faccount')
    // The session stays over even if time went back.
    api.clock.advance(-16 * MINUTE)
    expect(await whoIs(jar)).toBeUndefined()
    const row = await t.db.selectFrom('customer_sessions').selectAll().where('session_hash', '=', hashSecret(jar.cookies.get('cds_session')!)).executeTakeFirstOrThrow()
    expect(row.ended_at).not.toBeNull()
  })

  it('the idle limit is the configured session_idle_seconds (exactly at the limit the session is over)', async () => {
    const jar = await loginAs(api.app, 'CUST-A')
    api.clock.advance(api.config.customer_authorization.session_idle_seconds - 1)
    expect(await whoIs(jar)).toBeDefined()
    api.clock.advance(api.config.customer_authorization.session_idle_seconds)
    expect(await whoIs(jar)).toBeUndefined()
  })

  it('R3-01-9.1.2-09 logout ends the session at once, clears the cookie and goes to /login', async () => {
    const jar = await loginAs(api.app, 'CUST-A')
    const handle = jar.cookies.get('cds_session')!
    const account = await browse(api.app, jar, '/account')
    const logout = await postForm(api.app, jar, '/logout', { _csrf: csrfToken(account.body) })
    expect(logout.statusCode).toBe(303)
    expect(logout.headers.location).toBe('/login')
    const cleared = logout.cookies.find((c) => c.name === 'cds_session')!
    expect(cleared.value).toBe('')
    expect(jar.cookies.has('cds_session')).toBe(false)
    // A copy of the old cookie (another tab, a stolen value) no longer works.
    const old = new CookieJar()
    old.cookies.set('cds_session', handle)
    expect(await whoIs(old)).toBeUndefined()
    expect((await browse(api.app, old, '/account')).statusCode).toBe(303)
    const row = await t.db.selectFrom('customer_sessions').select('ended_at').where('session_hash', '=', hashSecret(handle)).executeTakeFirstOrThrow()
    expect(row.ended_at).toEqual(api.clock.now())
  })

  it('logout may return to a path of this server', async () => {
    const jar = await loginAs(api.app, 'CUST-A')
    const account = await browse(api.app, jar, '/account')
    const logout = await postForm(api.app, jar, '/logout', { _csrf: csrfToken(account.body), return_to: '/authorize/interaction/abc' })
    expect(logout.headers.location).toBe('/authorize/interaction/abc')
  })

  it('every login gets a new handle and ends the session the browser had (no session fixation)', async () => {
    const jar = await loginAs(api.app, 'CUST-A')
    const first = jar.cookies.get('cds_session')!
    const before = new CookieJar()
    before.cookies.set('cds_session', first)
    // "Log in as another customer" from the same browser.
    await loginAs(api.app, 'CUST-B', '/account', jar)
    const second = jar.cookies.get('cds_session')!
    expect(second).not.toBe(first)
    expect((await whoIs(jar))?.customer_id).toBe('CUST-B')
    expect(await whoIs(before)).toBeUndefined()
  })

  it('GET /account: no customer data before login, then the name, the authorizations link and the logout form', async () => {
    const anonymous = await browse(api.app, new CookieJar(), '/account')
    expect(anonymous.statusCode).toBe(303)
    expect(anonymous.headers.location).toBe('/login?return_to=%2Faccount')
    expect(anonymous.body).not.toContain(CUST_A.display_name)
    // Cancelling the login of the account page ends on a page, not in a loop back to the login.
    const cancelled = await browse(api.app, new CookieJar(), '/account?login=cancelled')
    expect(cancelled.statusCode).toBe(200)
    expect(cancelled.body).toContain('data-cds-page="account-logged-out"')

    const jar = await loginAs(api.app, 'CUST-A')
    const page = await browse(api.app, jar, '/account')
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.body).toContain('data-cds-page="account"')
    expect(page.body).toContain(`Logged in as ${CUST_A.display_name} (custa@example.com).`)
    expect(page.body).toContain('<a href="/account/authorizations">')
    expect(page.body).toMatch(/<form method="post" action="\/logout" data-cds-logout>\s*<input type="hidden" name="_csrf" value="[^"]+">/)
  })
})
