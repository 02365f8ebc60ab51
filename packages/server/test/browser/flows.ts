/**
 * The customer's side of an authorization in the browser, selected by the page hooks contract
 * only (never by wording): open the Client's authorization URL, log in, act on the Authorization
 * Form or the Preselection Error page, land on the Client's redirect URI; find the receipt link in
 * the dev outbox.
 *
 * @see CDS-WG3-01 §9.1 Authorization Process
 */
import type { Page } from 'playwright-core'
import { DEMO_CUSTOMERS, type DemoCustomer } from '../../src/customers/demo-customers.js'
import type { PendingAuthorization, TestClient } from './client-kit.js'
import { clickAndWait, expectPage, loginAsCustomer, pageName } from './harness.js'

/** A demo customer by login (the documented test accounts). */
export function demoCustomer(login: string): DemoCustomer {
  const customer = DEMO_CUSTOMERS.find((c) => c.login === login)
  if (customer === undefined) throw new Error(`no demo customer ${login}`)
  return customer
}

/**
 * Opens the authorization URL in a browser without a session, logs in as `login` on the login
 * page it is sent to, and returns the page it lands on (`authorization-form`, `preselection-error`, …).
 */
export async function openAndLogIn(page: Page, pending: PendingAuthorization, login: string): Promise<string> {
  await page.goto(pending.authorizeUrl)
  await expectPage(page, 'login')
  const customer = demoCustomer(login)
  await loginAsCustomer(page, customer.login, customer.password)
  return (await pageName(page)) ?? '?'
}

/** The decisions of the approval section and the Preselection Error page (hooks contract). */
export type Decision = 'approve' | 'decline' | 'reauthenticate'

/** Clicks `button[name=decision][value=<decision>]` and waits for the next page. */
export async function decide(page: Page, decision: Decision): Promise<void> {
  await clickAndWait(page, `button[name=decision][value=${decision}]`)
}

/**
 * Decides and expects the browser at the Client's redirect URI; returns the query it brought.
 */
export async function decideAndReturn(page: Page, client: TestClient, decision: Decision): Promise<URL> {
  const before = client.callback.hits.length
  await decide(page, decision)
  if (client.callback.hits.length === before) {
    const alert = await page
      .locator('[role=alert]')
      .allInnerTexts()
      .catch(() => [])
    throw new Error(`"${decision}" did not reach the Client: the browser is on ${page.url()} (page "${(await pageName(page)) ?? '?'}")${alert.length > 0 ? `, alert: ${alert.join(' | ')}` : ''}`)
  }
  return client.callback.last()
}

/** The `data-cds-section` values of the page in document order. */
export async function sectionOrder(page: Page): Promise<string[]> {
  return page.locator('[data-cds-section]').evaluateAll((elements) => elements.map((e) => e.getAttribute('data-cds-section') ?? ''))
}

/**
 * The receipt link of the notification sent to `to` for the receipt with this confirmation
 * number, read from the dev outbox pages like a customer reading their mail (no session needed).
 */
export async function receiptLinkFromOutbox(page: Page, to: string, confirmation: string): Promise<string> {
  await page.goto('/dev/outbox')
  await expectPage(page, 'outbox')
  const hrefs = await page.locator('a[data-cds-email]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))
  for (const href of hrefs) {
    await page.goto(href)
    await expectPage(page, 'outbox-email')
    const recipient = (await page.locator('[data-cds-email-to]').innerText()).trim()
    const body = page.locator('[data-cds-email-body]')
    const text = await body.innerText()
    if (!recipient.includes(to) || !text.includes(confirmation)) continue
    const linked = await body.locator('a[href*="/receipts/"]').evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href))
    const link = linked[0] ?? /https?:\/\/\S+\/receipts\/[A-Za-z0-9_-]+/.exec(text)?.[0]
    if (link !== undefined) return link
    throw new Error(`the email to ${to} with confirmation ${confirmation} has no receipt link:\n${text}`)
  }
  throw new Error(`no email to ${to} with confirmation ${confirmation} among ${hrefs.length} in the outbox`)
}
