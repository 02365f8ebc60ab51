/**
 * The test accounts page (`cds_test_accounts`, CDS-WG1-02 §3.2; A-52): content, escaping, and its
 * absence on a server without demo customers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiConfig, buildApiApp, type ApiApp } from '../../test/api-app.js'
import { browse, CookieJar } from '../../test/customers-session.js'
import { forEachDialect } from '../../test/dialects.js'
import { pageContext } from '../pages/layout.js'
import { DEMO_CUSTOMERS, type DemoCustomer } from './demo-customers.js'
import { renderTestAccountsPage } from './test-accounts.js'

/** The text of the section of one test account. */
function section(body: string, login: string): string {
  const start = body.indexOf(`data-cds-test-account="${login}"`)
  expect(start).toBeGreaterThan(-1)
  return body.slice(start, body.indexOf('</section>', start))
}

describe('CDS-WG1-02 §3.2 test accounts page (rendering)', () => {
  const ctx = pageContext(apiConfig())

  it('escapes every value it shows', () => {
    const hostile: DemoCustomer = {
      ...DEMO_CUSTOMERS[1]!,
      login: 'x"><img src=x onerror=alert(1)>@example.com',
      password: '<script>alert("pw")</script>',
      display_name: 'Eve & <b>Mallory</b>',
      accounts: [{ ...DEMO_CUSTOMERS[1]!.accounts[0]!, account_name: '<i>Home</i>', account_address: "1 O'Hare <Rd>" }],
    }
    const page = renderTestAccountsPage(ctx, [hostile])
    expect(page).not.toContain('<script>alert')
    expect(page).not.toContain('<img src=x')
    expect(page).not.toContain('<b>Mallory</b>')
    expect(page).not.toContain('<i>Home</i>')
    expect(page).toContain('data-cds-test-account="x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;@example.com"')
    expect(page).toContain('<code data-cds-password>&lt;script&gt;alert(&quot;pw&quot;)&lt;/script&gt;</code>')
    expect(page).toContain('Eve &amp; &lt;b&gt;Mallory&lt;/b&gt;')
    expect(page).toContain('1 O&#39;Hare &lt;Rd&gt;')
  })
})

forEachDialect('CDS-WG1-02 §3.2 test accounts page', (t) => {
  let api: ApiApp
  beforeAll(async () => {
    api = await buildApiApp(t.database)
  }, 60_000)
  afterAll(async () => {
    await api.app.close()
  })

  it('lists every demo customer with login, password, name and resources, without login', async () => {
    const page = await browse(api.app, new CookieJar(), '/test-accounts')
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.body).toContain('data-cds-page="test-accounts"')
    expect(page.body).toContain('<link rel="stylesheet" href="/assets/customers.css">')
    for (const customer of DEMO_CUSTOMERS) {
      const text = section(page.body, customer.login)
      expect(text).toContain(`<code data-cds-login>${customer.login}</code>`)
      expect(text).toContain(`<code data-cds-password>${customer.password}</code>`)
      expect(text).toContain(customer.display_name)
    }
    const a = section(page.body, 'custa@example.com')
    for (const value of ['1000-0', 'Acme Holdings', '1111-1', 'Main Street Home', '123 Main St, Anytown, CA 90000', '2222-2', 'Warehouse']) expect(a).toContain(value)
    for (const value of ['222222', '333333', '444444', 'Rate plan E-TOU-C (Time of Use C)', 'Programs: DR-1', 'Programs: CARE']) expect(a).toContain(value)
    for (const value of ['SP-100', 'SP-200', 'SP-300', 'Premises: PREM-1', 'M-1001', 'M-2001', 'M-3001', 'Meter apps: APP-EV', 'B2222', 'Part of account 1000-0']) {
      expect(a).toContain(value)
    }
    expect(a).toContain('<h3>Accounts</h3>')
    expect(a).toContain('<h3>Building or group</h3>')
    const b = section(page.body, 'custb@example.com')
    expect(b).toContain('<h3>Account</h3>')
    expect(b).toContain('555555')
    expect(b).toContain('natural_gas')
    const e = section(page.body, 'custe@example.com')
    expect(e.match(/<tr><td>E-\d\d<\/td>/g)).toHaveLength(12)
  })

  it('serves the area stylesheet', async () => {
    const css = await api.app.inject({ method: 'GET', url: '/assets/customers.css' })
    expect(css.statusCode).toBe(200)
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    expect(css.body).toContain('.table-scroll')
  })

  it('is a 404 page when demo customers are off', async () => {
    const off = await buildApiApp(t.database, (config) => {
      config.customer_authorization.demo_customers = false
    })
    try {
      const page = await off.app.inject({ method: 'GET', url: '/test-accounts' })
      expect(page.statusCode).toBe(404)
      expect(page.body).toContain('data-cds-page="not-found"')
      expect(page.body).not.toContain('demo-custa-password')
      // And the login page does not point at it.
      const login = await off.app.inject({ method: 'GET', url: '/login' })
      expect(login.body).not.toContain('/test-accounts')
    } finally {
      await off.app.close()
    }
  })
})
