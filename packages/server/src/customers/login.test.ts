/**
 * The login pages over `inject` on the whole server (CDS-WG3-01 §9.1.2; CDS-WG1-02 §11.3): form,
 * success, failure, CSRF, cancel, open-redirect attempts and throttling.
 */
import { hashSecret } from '@cds-ts/auth'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildApiApp, type ApiApp } from '../../test/api-app.js'
import { browse, CookieJar, csrfToken, demoCustomer, loginAs, postForm } from '../../test/customers-session.js'
import { forEachDialect } from '../../test/dialects.js'

const CUST_A = demoCustomer('CUST-A')
const INTERACTION = '/authorize/interaction/handle-123'

forEachDialect('CDS-WG3-01 §9.1.2 Customer Authentication: login', (t) => {
  let api: ApiApp
  beforeAll(async () => {
    api = await buildApiApp(t.database)
  }, 60_000)
  afterAll(async () => {
    await api.app.close()
  })

  /** A fresh browser that has the login form open; returns the jar and the form's CSRF token. */
  async function openForm(return_to = '/account', ip?: string): Promise<{ jar: CookieJar; csrf: string; body: string }> {
    const jar = new CookieJar()
    const page = await browse(api.app, jar, `/login?return_to=${encodeURIComponent(return_to)}`, ip)
    expect(page.statusCode).toBe(200)
    return { jar, csrf: csrfToken(page.body), body: page.body }
  }

  it('GET /login renders the form with its hooks, no-store and the page security headers', async () => {
    const jar = new CookieJar()
    const page = await browse(api.app, jar, `/login?return_to=${encodeURIComponent(INTERACTION)}`)
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(page.body).toContain('data-cds-page="login"')
    expect(page.body).toMatch(/<input id="login" name="login" type="email" autocomplete="username" required/)
    expect(page.body).toMatch(/<input id="password" name="password" type="password" autocomplete="current-password" required/)
    expect(page.body).toContain('<button type="submit" class="button" data-cds-login>')
    expect(page.body).toContain('form="login-cancel" data-cds-cancel>')
    expect(page.body).toContain('<form id="login-cancel" method="post" action="/login/cancel">')
    expect(page.body.match(/<input type="hidden" name="return_to" value="\/authorize\/interaction\/handle-123">/g)).toHaveLength(2)
    expect(page.body).not.toContain('role="alert"')
    // The CSRF secret cookie of the pages plugin was set with the form.
    expect(jar.cookies.has('cds_csrf')).toBe(true)
  })

  it('R3-01-9.1.2-07 a right login starts a session: 303 to return_to, HttpOnly SameSite=Lax Secure cookie, only its digest stored', async () => {
    const { jar, csrf } = await openForm(INTERACTION)
    const response = await postForm(api.app, jar, '/login', { _csrf: csrf, login: ' CustA@Example.com ', password: CUST_A.password, return_to: INTERACTION })
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(INTERACTION)
    const cookie = response.cookies.find((c) => c.name === 'cds_session')!
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' })
    expect(cookie.value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const rows = await t.db.selectFrom('customer_sessions').selectAll().where('customer_id', '=', 'CUST-A').execute()
    expect(rows.map((r) => r.session_hash)).toContain(hashSecret(cookie.value))
    expect(rows.map((r) => r.session_hash)).not.toContain(cookie.value)
    // The session works: the account page shows the customer.
    const account = await browse(api.app, jar, '/account')
    expect(account.statusCode).toBe(200)
    expect(account.body).toContain(CUST_A.display_name)
  })

  it('a wrong password and an unknown login get the same 401 form with one message in role=alert', async () => {
    const answers: string[] = []
    for (const [login, password] of [
      [CUST_A.login, 'not-the-password'],
      ['nobody@example.com', CUST_A.password],
    ] as const) {
      const { jar, csrf } = await openForm('/account', '10.1.0.1')
      const response = await postForm(api.app, jar, '/login', { _csrf: csrf, login, password, return_to: '/account' }, '10.1.0.1')
      expect(response.statusCode).toBe(401)
      expect(response.cookies.find((c) => c.name === 'cds_session')).toBeUndefined()
      expect(response.body).toContain('data-cds-page="login"')
      const alert = /<p class="error" role="alert" id="login-error">([^<]*)<\/p>/.exec(response.body)
      expect(alert?.[1]).toBe('The email address or password is not correct. Check both and try again.')
      answers.push(alert![1]!)
      // The login is filled in again; the password never is.
      expect(response.body).toContain(`value="${login}"`)
      expect(response.body).not.toContain(password)
    }
    expect(answers[0]).toBe(answers[1])
  })

  it('the refilled login is HTML-escaped', async () => {
    const { jar, csrf } = await openForm('/account', '10.1.0.2')
    const response = await postForm(api.app, jar, '/login', { _csrf: csrf, login: '"><script>alert(1)</script>', password: 'x', return_to: '/account' }, '10.1.0.2')
    expect(response.statusCode).toBe(401)
    expect(response.body).not.toContain('<script>alert(1)</script>')
    expect(response.body).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
  })

  it('CSRF: login, cancel and logout without a valid token are refused with a 403 page', async () => {
    const { jar, csrf } = await openForm()
    const fields = { login: CUST_A.login, password: CUST_A.password, return_to: '/account' }
    const missing = await postForm(api.app, jar, '/login', fields)
    expect(missing.statusCode).toBe(403)
    expect(missing.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(missing.body).toContain('data-cds-page="error"')
    expect(missing.cookies.find((c) => c.name === 'cds_session')).toBeUndefined()
    const wrong = await postForm(api.app, jar, '/login', { ...fields, _csrf: `${csrf.slice(0, -2)}xx` })
    expect(wrong.statusCode).toBe(403)
    // A token without the secret cookie it belongs to (another browser) is refused too.
    const otherBrowser = await postForm(api.app, new CookieJar(), '/login', { ...fields, _csrf: csrf })
    expect(otherBrowser.statusCode).toBe(403)
    expect((await postForm(api.app, jar, '/login/cancel', { return_to: INTERACTION })).statusCode).toBe(403)
    const session = await loginAs(api.app, 'CUST-A')
    expect((await postForm(api.app, session, '/logout', {})).statusCode).toBe(403)
    expect((await browse(api.app, session, '/account')).statusCode).toBe(200)
  })

  it('R3-01-9.1.2-04 Cancel goes back to return_to with login=cancelled', async () => {
    const { jar, csrf } = await openForm(INTERACTION)
    const response = await postForm(api.app, jar, '/login/cancel', { _csrf: csrf, return_to: INTERACTION })
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe(`${INTERACTION}?login=cancelled`)
    const withQuery = await postForm(api.app, jar, '/login/cancel', { _csrf: csrf, return_to: `${INTERACTION}?step=2` })
    expect(withQuery.headers.location).toBe(`${INTERACTION}?step=2&login=cancelled`)
    expect(withQuery.cookies.find((c) => c.name === 'cds_session')).toBeUndefined()
  })

  it('return_to that leaves this server is replaced by /account on login, cancel, logout and the session shortcut', async () => {
    const attempts = ['https://evil.example/', '//evil.example/x', '/\\evil.example', '/\t/evil.example', 'javascript:alert(1)', 'evil.example']
    const { jar, csrf } = await openForm()
    // The form itself never carries the foreign value.
    const form = await browse(api.app, jar, `/login?return_to=${encodeURIComponent('//evil.example/x')}`)
    expect(form.body).not.toContain('evil.example')
    const login = await postForm(api.app, jar, '/login', { _csrf: csrf, login: CUST_A.login, password: CUST_A.password, return_to: attempts[0]! })
    expect(login.statusCode).toBe(303)
    expect(login.headers.location).toBe('/account')
    for (const return_to of attempts) {
      const shortcut = await browse(api.app, jar, `/login?return_to=${encodeURIComponent(return_to)}`)
      expect(shortcut.statusCode).toBe(303)
      expect(shortcut.headers.location).toBe('/account')
      const cancel = await postForm(api.app, jar, '/login/cancel', { _csrf: csrf, return_to })
      expect(cancel.headers.location).toBe('/account?login=cancelled')
    }
    const logout = await postForm(api.app, jar, '/logout', { _csrf: csrf, return_to: '//evil.example/' })
    expect(logout.statusCode).toBe(303)
    expect(logout.headers.location).toBe('/login')
  })

  it('R3-01-9.1.2-02 a live session skips the form; force=1 (prompt=login) shows it again', async () => {
    const jar = await loginAs(api.app, 'CUST-A')
    const skip = await browse(api.app, jar, `/login?return_to=${encodeURIComponent(INTERACTION)}`)
    expect(skip.statusCode).toBe(303)
    expect(skip.headers.location).toBe(INTERACTION)
    const forced = await browse(api.app, jar, `/login?return_to=${encodeURIComponent(INTERACTION)}&force=1`)
    expect(forced.statusCode).toBe(200)
    expect(forced.body).toContain('data-cds-page="login"')
    expect(forced.body).toContain(`You are logged in as ${CUST_A.display_name}.`)
  })

  it('CDS-WG1-02 §11.3 the 6th attempt after 5 failures for one login is sent back from an authorization (login=cancelled), without a password check', async () => {
    const customer = demoCustomer('CUST-B')
    for (let i = 1; i <= 5; i++) {
      // A different address each time: the per-login counter does the locking here.
      const ip = `10.2.0.${i}`
      const { jar, csrf } = await openForm(INTERACTION, ip)
      const failed = await postForm(api.app, jar, '/login', { _csrf: csrf, login: customer.login, password: `wrong-${i}`, return_to: INTERACTION }, ip)
      expect(failed.statusCode).toBe(401)
    }
    const { jar, csrf } = await openForm(INTERACTION, '10.2.0.6')
    // Even the right password does not get through while locked.
    const locked = await postForm(api.app, jar, '/login', { _csrf: csrf, login: customer.login.toUpperCase(), password: customer.password, return_to: INTERACTION }, '10.2.0.6')
    expect(locked.statusCode).toBe(303)
    expect(locked.headers.location).toBe(`${INTERACTION}?login=cancelled`)
    expect(locked.cookies.find((c) => c.name === 'cds_session')).toBeUndefined()

    // Outside an authorization request: a 429 page with Retry-After (the rest of the 15-minute window).
    const { jar: jar2, csrf: csrf2 } = await openForm('/account', '10.2.0.7')
    const page = await postForm(api.app, jar2, '/login', { _csrf: csrf2, login: customer.login, password: customer.password, return_to: '/account' }, '10.2.0.7')
    expect(page.statusCode).toBe(429)
    expect(page.headers['retry-after']).toBe('900')
    expect(page.body).toContain('data-cds-page="login-locked"')
    expect(page.body).toContain('logging in is paused for 15 minutes')

    // Another login is not affected, and the window ends with the clock.
    await loginAs(api.app, 'CUST-C')
    api.clock.advance(900)
    await loginAs(api.app, 'CUST-B')
  })

  it('CDS-WG1-02 §11.3 five failures from one address lock that address for every login; successful logins do not count', async () => {
    const ip = '10.3.0.1'
    const attempt = async (login: string, password: string): Promise<number> => {
      const { jar, csrf } = await openForm('/account', ip)
      return (await postForm(api.app, jar, '/login', { _csrf: csrf, login, password, return_to: '/account' }, ip)).statusCode
    }
    for (let i = 0; i < 6; i++) expect(await attempt(CUST_A.login, CUST_A.password)).toBe(303)
    for (let i = 0; i < 5; i++) expect(await attempt(`nobody-${i}@example.com`, 'x')).toBe(401)
    expect(await attempt(CUST_A.login, CUST_A.password)).toBe(429)
    // From another address the same customer logs in.
    const { jar, csrf } = await openForm('/account', '10.3.0.2')
    expect((await postForm(api.app, jar, '/login', { _csrf: csrf, login: CUST_A.login, password: CUST_A.password, return_to: '/account' }, '10.3.0.2')).statusCode).toBe(303)
    api.clock.advance(899)
    expect(await attempt(CUST_A.login, CUST_A.password)).toBe(429)
    api.clock.advance(1)
    expect(await attempt(CUST_A.login, CUST_A.password)).toBe(303)
  })
})
