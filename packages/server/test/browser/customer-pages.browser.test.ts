/**
 * The customer's own pages in a real browser: the login page and the test accounts page render,
 * pass axe-core without serious or critical violations, fit a 375 px phone without horizontal
 * scrolling, and the login works with the keyboard alone.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @see CDS-WG1-02 §3.2 (`cds_test_accounts`)
 */
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { DEMO_CUSTOMERS } from '../../src/customers/demo-customers.js'
import {
  axeCheck,
  BROWSER_TIMEOUT,
  clickAndWait,
  expectNoPageProblems,
  expectPage,
  horizontalExtent,
  loginAsCustomer,
  screenshot,
  tabTo,
  useBrowserHarness,
} from './harness.js'

const custa = DEMO_CUSTOMERS.find((c) => c.login === 'custa@example.com')!

describe('customer pages in chromium', { timeout: BROWSER_TIMEOUT }, () => {
  const h = useBrowserHarness()

  it('the login page renders with labelled fields and the page headers of the pages plugin', async () => {
    const page = await h.newPage(375)
    const response = await page.goto('/login?return_to=%2Faccount')
    expect(response?.status()).toBe(200)
    await expectPage(page, 'login')
    // CDS-WG3-01 §9.2 / CDS-WG1-02 §11: no framing, same-origin resources only, no referrer.
    const headers = response!.headers()
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'")
    expect(headers['content-security-policy']).toContain("default-src 'none'")
    expect(headers['referrer-policy']).toBe('no-referrer')
    expect(headers['cache-control']).toBe('no-store')
    // Every field has an accessible name (a label), so a screen reader announces it.
    await expect(page.getByLabel(/./).and(page.locator('input[name=login]')).count()).resolves.toBe(1)
    await expect(page.getByLabel(/./).and(page.locator('input[name=password]')).count()).resolves.toBe(1)
    expect(await page.locator('input[name=password]').getAttribute('type')).toBe('password')
    expect(await page.locator('form:has(button[data-cds-login]) input[type=hidden][name=return_to]').inputValue()).toBe('/account')
    expect(await page.locator('button[data-cds-login]').isVisible()).toBe(true)
    expect(await page.locator('button[data-cds-cancel]').isVisible()).toBe(true)
    await axeCheck(page, 'login')
    const extent = await horizontalExtent(page)
    expect(extent.scrollWidth).toBeLessThanOrEqual(extent.innerWidth)
    const shots = await screenshot(page, 'login')
    expect(shots.map((p) => p.replace(/^.*\//, ''))).toEqual(['login-375.png', 'login-1280.png'])
    // A PNG signature, not an empty file.
    expect((await readFile(shots[0]!)).subarray(1, 4).toString('latin1')).toBe('PNG')
    expectNoPageProblems(page)
  })

  it('a wrong password keeps the customer on the login page with an error in an alert, still axe clean', async () => {
    const page = await h.newPage(1280)
    await page.goto('/login')
    await page.locator('input[name=login]').fill(custa.login)
    await page.locator('input[name=password]').fill('not-the-password')
    await clickAndWait(page, 'button[data-cds-login]')
    await expectPage(page, 'login')
    await expect(page.locator('[role=alert]').innerText()).resolves.not.toBe('')
    // The password is never echoed back into the form.
    expect(await page.locator('input[name=password]').inputValue()).toBe('')
    await axeCheck(page, 'login with an error')
    await screenshot(page, 'login-error')
    expectNoPageProblems(page)
  })

  it('the test accounts page lists every demo customer with login and password, axe clean at both widths', async () => {
    const page = await h.newPage(375)
    const response = await page.goto('/test-accounts')
    expect(response?.status()).toBe(200)
    await expectPage(page, 'test-accounts')
    for (const customer of DEMO_CUSTOMERS) {
      const row = page.locator(`[data-cds-test-account="${customer.login}"]`)
      await expect(row.count()).resolves.toBe(1)
      const text = await row.innerText()
      expect(text).toContain(customer.login)
      expect(text).toContain(customer.password)
    }
    await axeCheck(page, 'test-accounts at 375 px')
    const extent = await horizontalExtent(page)
    expect(extent.scrollWidth).toBeLessThanOrEqual(extent.innerWidth)
    await page.setViewportSize({ width: 1280, height: 900 })
    await axeCheck(page, 'test-accounts at 1280 px')
    await screenshot(page, 'test-accounts')
    expectNoPageProblems(page)
  })

  it('logs in and out with the keyboard alone (Tab to each field, Enter to submit)', async () => {
    const page = await h.newPage(375)
    await page.goto('/login?return_to=%2Faccount')
    await expectPage(page, 'login')
    await tabTo(page, 'input[name=login]')
    await page.keyboard.type(custa.login)
    await tabTo(page, 'input[name=password]', 5)
    await page.keyboard.type(custa.password)
    const loaded = page.waitForEvent('load')
    await page.keyboard.press('Enter')
    await loaded
    await expectPage(page, 'account')
    expect(new URL(page.url()).pathname).toBe('/account')
    await expect(page.locator('main').innerText()).resolves.toContain(custa.display_name)
    await axeCheck(page, 'account')
    await screenshot(page, 'account')

    // The logout button is reachable and works from the keyboard too.
    await page.locator('body').focus()
    await tabTo(page, 'form[data-cds-logout] button')
    const out = page.waitForEvent('load')
    await page.keyboard.press('Enter')
    await out
    // Logged out: the account page now asks for a login again.
    await page.goto('/account')
    await expectPage(page, 'login')
    expectNoPageProblems(page)
  })

  it('a login helper round trip: return_to brings the customer back to where they started', async () => {
    const page = await h.newPage(1280)
    await page.goto('/account')
    await loginAsCustomer(page, custa.login, custa.password)
    await expectPage(page, 'account')
  })
})
