/**
 * The Authorization Form's presentation rules in chromium: the Purpose Component shows Client
 * text literally in a bounded, independently scrolling block (TS-9-UI-02), a long selection list
 * gets search, counter, select-all and hide-unselected (TS-9-UI-01), nothing overflows a 375×812
 * phone (TS-9-UI-04), approval works with the keyboard alone, and without JavaScript.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 * @see CDS-WG3-01 §9.2.2.4 Purpose Component
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TestClient } from './client-kit.js'
import { decideAndReturn, openAndLogIn } from './flows.js'
import {
  axeCheck,
  BROWSER_TIMEOUT,
  expectNoPageProblems,
  expectPage,
  horizontalExtent,
  pageProblems,
  screenshot,
  tabTo,
  textsBrokenAcrossLines,
  useBrowserHarness,
} from './harness.js'

/** Asserts that the page fits its viewport without horizontal scrolling (§9.2: mobile layout). */
async function expectNoHorizontalOverflow(page: Page, label: string): Promise<void> {
  const { scrollWidth, innerWidth } = await horizontalExtent(page)
  expect(scrollWidth, `${label}: scrollWidth ${scrollWidth} > innerWidth ${innerWidth}`).toBeLessThanOrEqual(innerWidth)
}

describe('the Authorization Form in chromium', { timeout: BROWSER_TIMEOUT }, () => {
  const h = useBrowserHarness()
  let client: TestClient

  beforeAll(async () => {
    client = await TestClient.register(h.server, { types: ['cds_accounts', 'cds_service_contracts', 'cds_meters'], client_name: 'Acme Energy Auditors' })
  })
  afterAll(async () => {
    await client.close()
  })

  it('TS-9-UI-02: a Client-written Purpose renders as literal text in a bounded, scrolling, wrapping block', async () => {
    const longWord = 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(5).slice(0, 200)
    const markup = '<b>x</b><script>alert(1)</script>'
    const lines = Array.from({ length: 50 }, (_, i) => `Line ${i + 1}: how we use your data.`)
    lines[2] = markup
    lines[3] = longWord
    const purpose = await client.addPurpose({ content: lines.join('\n'), related_uri: 'https://auditors.example/terms', related_name: 'See our full Terms of Service' })
    const AL = client.scope('cds_accounts')
    const pending = await client.push({ scope: AL, authorization_details: [{ type: AL, purpose, account_numbers: ['1111-1'] }] })

    const page = await h.newPage(375)
    expect(await openAndLogIn(page, pending, 'custa@example.com')).toBe('authorization-form')
    const content = page.locator('[data-cds-purpose-content]')
    await expect(content.count()).resolves.toBe(1)
    // §9.2.2.4: text only. The markup is shown, not parsed, and the script never runs.
    const text = (await content.textContent()) ?? ''
    expect(text).toContain(markup)
    expect(text).toContain(longWord)
    expect(text).toContain('Line 50: how we use your data.')
    await expect(content.locator('b, script').count()).resolves.toBe(0)
    expect(pageProblems(page).filter((p) => p.startsWith('dialog'))).toEqual([])

    // §9.2.2.4, A-35: pre-wrap, break-word, overflow scroll, a 10-line maximum and no minimum height.
    const style = await content.evaluate((el) => {
      const s = getComputedStyle(el)
      return {
        whiteSpace: s.whiteSpace,
        wordBreak: s.wordBreak,
        overflowY: s.overflowY,
        maxHeight: s.maxHeight,
        minHeight: s.minHeight,
        lineHeight: s.lineHeight,
        scrollHeight: el.scrollHeight,
        clientHeight: el.clientHeight,
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
      }
    })
    expect(style.whiteSpace).toBe('pre-wrap')
    expect(style.wordBreak).toBe('break-word')
    expect(style.overflowY).toBe('scroll')
    expect(style.maxHeight).not.toBe('none')
    expect(['0px', 'auto']).toContain(style.minHeight)
    if (style.lineHeight.endsWith('px') && style.maxHeight.endsWith('px')) {
      const lines = Number.parseFloat(style.maxHeight) / Number.parseFloat(style.lineHeight)
      expect(lines, `max-height ${style.maxHeight} at line-height ${style.lineHeight}`).toBeGreaterThanOrEqual(9.5)
      expect(lines).toBeLessThanOrEqual(11)
    }
    // 50 lines do not fit in 10: the block scrolls on its own; the 200-character word wraps inside it.
    expect(style.scrollHeight).toBeGreaterThan(style.clientHeight)
    expect(style.scrollWidth).toBeLessThanOrEqual(style.clientWidth + 1)
    await expectNoHorizontalOverflow(page, 'form with a long Purpose at 375 px')
    // The related link follows the content, in a new tab that cannot reach back.
    const related = page.locator('[data-cds-component="purpose"] a[href="https://auditors.example/terms"]')
    expect(await related.getAttribute('target')).toBe('_blank')
    expect(await related.getAttribute('rel')).toMatch(/\bnoopener\b/)
    await axeCheck(page, 'form with a long Client-written Purpose')
    await screenshot(page, 'authorization-form-purpose')
    expectNoPageProblems(page)
  })

  it('TS-9-UI-01: twelve accounts get a search box, a live counter, select all and hide-unselected, in a scrolling block', async () => {
    const AL = client.scope('cds_accounts')
    const pending = await client.push({ scope: AL, authorization_details: [{ type: AL }] })
    const page = await h.newPage(1280)
    expect(await openAndLogIn(page, pending, 'custe@example.com')).toBe('authorization-form')
    const boxes = page.locator('input[type=checkbox][name="select.0"]')
    await expect(boxes.count()).resolves.toBe(12)
    const counter = page.locator('[data-cds-selected-count="0"]')
    const count = async () => Number(/\d+/.exec(await counter.innerText())?.[0])

    // Select all, then the counter follows each change (JavaScript enhancement).
    await page.locator('[data-cds-select-all="0"]').first().click()
    await expect(page.locator('input[type=checkbox][name="select.0"]:checked').count()).resolves.toBe(12)
    expect(await count()).toBe(12)
    await boxes.first().uncheck()
    expect(await count()).toBe(11)

    // Search by number narrows the visible entries.
    const search = page.locator('input[type=search][data-cds-search="0"]')
    await search.fill('E-05')
    const visible = await boxes.evaluateAll((inputs) => inputs.filter((i) => (i as HTMLElement).offsetParent !== null).map((i) => (i as HTMLInputElement).value))
    expect(visible).toEqual(['E-05'])
    await search.fill('')

    // Hide the unselected entries: only the one unchecked entry disappears.
    await page.locator('[data-cds-hide-unselected="0"]').first().click()
    const shown = await boxes.evaluateAll((inputs) => inputs.filter((i) => (i as HTMLElement).offsetParent !== null).length)
    expect(shown).toBe(11)
    await axeCheck(page, 'form with twelve accounts')
    await screenshot(page, 'authorization-form-many')
    await page.setViewportSize({ width: 375, height: 812 })
    await expectNoHorizontalOverflow(page, 'form with twelve accounts at 375 px')
    expectNoPageProblems(page)
  })

  it('approves with the keyboard alone: Tab to Authorize, Enter', async () => {
    const AL = client.scope('cds_accounts')
    const pending = await client.push({ scope: AL, authorization_details: [{ type: AL, account_numbers: ['1111-1'] }] })
    const page = await h.newPage(375)
    expect(await openAndLogIn(page, pending, 'custa@example.com')).toBe('authorization-form')
    // §7.1.1: the preselected account is checked.
    expect(await page.locator('input[type=checkbox][name="select.0"][value="1111-1"]').isChecked()).toBe(true)
    await page.locator('body').focus()
    await tabTo(page, 'button[name=decision][value=approve]', 80)
    const before = client.callback.hits.length
    const loaded = page.waitForEvent('load')
    await page.keyboard.press('Enter')
    await loaded
    expect(client.callback.hits.length).toBe(before + 1)
    expect(client.callback.last().searchParams.get('code')).toMatch(/\S/)
    expectNoPageProblems(page)
  })

  it('works without JavaScript: log in, approve, back at the Client with a code', async () => {
    const AL = client.scope('cds_accounts')
    const pending = await client.push({ scope: AL, authorization_details: [{ type: AL, account_numbers: ['1111-1'] }] })
    const page = await h.newPage(1280, { javaScriptEnabled: false })
    expect(await openAndLogIn(page, pending, 'custa@example.com')).toBe('authorization-form')
    await page.locator('input[type=checkbox][name="select.0"][value="2222-2"]').check()
    const back = await decideAndReturn(page, client, 'approve')
    const exchanged = await client.exchange(pending, back)
    expect((await client.readGrant(exchanged.grant_id)).status).toBe('active')
  })

  it('TS-9-UI-04: at 375×812 no customer page overflows horizontally', async () => {
    const page = await h.newPage(375)
    for (const path of ['/login', '/test-accounts', '/dev/outbox']) {
      await page.goto(path)
      await expectNoHorizontalOverflow(page, path)
    }
    // Logged in: the account pages.
    const AL = client.scope('cds_accounts')
    const pending = await client.push({ scope: AL, authorization_details: [{ type: AL, account_numbers: ['1111-1'] }] })
    expect(await openAndLogIn(page, pending, 'custa@example.com')).toBe('authorization-form')
    await expectNoHorizontalOverflow(page, 'authorization form')
    for (const path of ['/account', '/account/authorizations']) {
      await page.goto(path)
      await expectNoHorizontalOverflow(page, path)
    }
    await expectPage(page, 'customer-authorizations')
    await axeCheck(page, 'customer authorizations at 375 px')
    expectNoPageProblems(page)
  })

  it('at 375 px the selection list keeps every number on one line (readable entries on a phone)', async () => {
    // Service List merged with Meter List: each service entry also names its meters.
    const SL = client.scope('cds_service_contracts')
    const ML = client.scope('cds_meters')
    const common = { contract_numbers: ['_all'], authorization_form_selection_type: 'service_contract_selection' }
    const pending = await client.push({
      scope: `${SL} ${ML}`,
      authorization_details: [
        { type: SL, ...common, merge_selection_with: ML },
        { type: ML, ...common, merge_selection_with: SL },
      ],
    })
    const page = await h.newPage(375)
    expect(await openAndLogIn(page, pending, 'custa@example.com')).toBe('authorization-form')
    await expectNoHorizontalOverflow(page, 'service contract list')
    const numbers = ['222222', '333333', '444444', '1111-1', '2222-2', 'M-1001', 'M-2001', 'M-3001']
    const shown = (await page.locator('[data-cds-component="selection"]').innerText()).replace(/\s+/g, '')
    expect(numbers.filter((n) => !shown.includes(n))).toEqual([])
    await screenshot(page, 'authorization-form-services')
    expect(await textsBrokenAcrossLines(page, '[data-cds-component="selection"]', numbers)).toEqual([])
  })
})
