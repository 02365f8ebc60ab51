/**
 * The done-when scenarios of issue 5 in chromium, on every test database: a Client builds each
 * request through PAR with RAR `authorization_details` and PKCE (oauth4webapi), the customer logs
 * in as custa@example.com and acts on the Authorization Form, the Client exchanges the code and
 * reads the Grant through the Grants API. Then a decline, a preselection error and a revocation
 * from the receipt link of the notification email, without logging in. Every customer page on the
 * way passes axe-core and is photographed at 375 px and 1280 px.
 *
 * @see CDS-WG3-01 §4 Scenarios (catalog Part F: TS-4.1, TS-4.4-01, TS-4.8-01, TS-9-ERR-03, TS-9-RCPT-01)
 * @see CDS-WG3-01 §9 Customer Authorizations
 */
import { PRESELECTION_FIELD_IDS } from '@cds-ts/schema'
import type { Grant } from '@cds-ts/schema'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { TestClient, type ExchangeResult } from './client-kit.js'
import { decideAndReturn, openAndLogIn, receiptLinkFromOutbox, sectionOrder } from './flows.js'
import { axeCheck, clickAndWait, expectNoPageProblems, expectPage, forEachBrowserDialect, horizontalExtent, screenshot } from './harness.js'

const CUSTA = 'custa@example.com'

/** The §7.1 preselection fields: a consent Grant records the customer's selection instead. */
const PRESELECTION_FIELDS = PRESELECTION_FIELD_IDS

/** no preselection field in a consent Grant's (or token's) authorization details. */
function expectNoPreselections(details: readonly Record<string, unknown>[]): void {
  for (const entry of details) {
    for (const field of PRESELECTION_FIELDS) expect(entry, `${String(entry.type)} keeps ${field}`).not.toHaveProperty(field)
  }
}

/** The authorization details entry of one scope. */
function detailOf(grant: Grant, type: string): Record<string, unknown> {
  const entry = (grant.authorization_details as Record<string, unknown>[]).find((d) => d.type === type)
  if (entry === undefined) throw new Error(`the Grant has no authorization details of ${type}`)
  return entry
}

/** The text of the list entry that holds the resource checkbox `select.<index>` of value `number`. */
async function entryText(page: Page, index: number, number: string): Promise<string> {
  return page
    .locator(`input[type=checkbox][name="select.${index}"][value="${number}"]`)
    .evaluate((input) => (input.closest('tr, li') ?? input.closest('label') ?? input.parentElement)?.textContent ?? '')
}

/** The values of the checked (or all) resource checkboxes of a Request Section. */
async function selectionValues(page: Page, index: number, checkedOnly: boolean): Promise<string[]> {
  return page
    .locator(`input[type=checkbox][name="select.${index}"]${checkedOnly ? ':checked' : ''}`)
    .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value).sort())
}

forEachBrowserDialect('issue 5 scenarios: PAR + RAR → browser login and form → code exchange → Grants API', (h) => {
  let client: TestClient
  // Scenario (c) leaves its Grant and tokens for the revocation test.
  let meterData: { grant: Grant; exchanged: ExchangeResult } | undefined

  beforeAll(async () => {
    client = await TestClient.register(h.server, {
      types: ['cds_accounts', 'cds_service_contracts', 'cds_meters', 'cds_bill_statements', 'cds_usage'],
      client_name: 'Acme Energy Auditors',
      client_uri: 'https://auditors.example',
    })
  })
  afterAll(async () => {
    await client.close()
  })

  it('(c) TS-4.4-01 meter data: merged Service List + Meter List + Meter Usage, SC-2 unchecked, approved', async () => {
    const SL = client.scope('cds_service_contracts')
    const ML = client.scope('cds_meters')
    const MU = client.scope('cds_usage')
    const purpose = await client.addPurpose({
      name: 'Efficiency score',
      content: 'To calculate your home energy efficiency score.',
      related_uri: 'https://auditors.example/terms',
      related_name: 'See our full Terms of Service',
    })
    const shared = { contract_numbers: ['_all'], sync_until: 'P3Y', purpose, authorization_form_selection_type: 'service_contract_selection' }
    const pending = await client.push({
      scope: `${SL} ${ML} ${MU}`,
      state: 'TS-4.4-01',
      authorization_details: [
        { type: SL, ...shared, merge_selection_with: ML },
        { type: ML, ...shared, merge_selection_with: MU },
        { type: MU, ...shared, merge_selection_with: SL, segment_start: 'P3Y', segment_end: 'infinite', include_meter_devices: true },
      ],
    })

    const page = await h.newPage(1280)
    expect(await openAndLogIn(page, pending, CUSTA)).toBe('authorization-form')

    // §9.2.1 (TS-9-UI-04): the six sections in order, no site navigation.
    expect((await sectionOrder(page)).filter((s) => ['header', 'requester', 'requests', 'closing', 'approval', 'footer'].includes(s))).toEqual([
      'header',
      'requester',
      'requests',
      'closing',
      'approval',
      'footer',
    ])
    await expect(page.locator('nav').count()).resolves.toBe(0)
    // §9.2.1.2: the Client's name, linked to client_uri in a new tab that cannot reach back.
    const requester = page.locator('[data-cds-section="requester"]')
    await expect(requester.innerText()).resolves.toContain('Acme Energy Auditors')
    const clientLink = requester.locator('a[href="https://auditors.example"]')
    expect(await clientLink.getAttribute('target')).toBe('_blank')
    expect(await clientLink.getAttribute('rel')).toMatch(/\bnoopener\b/)
    // Every link away from the form opens in a new tab (§9.2).
    const external = await page.locator('a[href^="http"]').evaluateAll((links) =>
      links.filter((a) => new URL((a as HTMLAnchorElement).href).origin !== location.origin).map((a) => [(a as HTMLAnchorElement).href, a.getAttribute('target')]),
    )
    for (const [href, target] of external) expect(target, href ?? '').toBe('_blank')

    // §7.4.2: one Request Section for the three merged scopes, with its components in order.
    const sections = page.locator('[data-cds-request-section]')
    await expect(sections.count()).resolves.toBe(1)
    const section = sections.first()
    expect(await section.getAttribute('data-cds-request-section')).toBe('0')
    expect((await section.getAttribute('data-scopes'))?.split(' ').sort()).toEqual([SL, ML, MU].sort())
    const components = await section.locator('[data-cds-component]').evaluateAll((els) => els.map((e) => e.getAttribute('data-cds-component')))
    expect(components).toEqual(['data', 'duration', 'selection', 'purpose'])

    // §9.2.3.2: every service contract of CUST-A, all selected by `_all`, with number, account and address.
    expect(await selectionValues(page, 0, false)).toEqual(['222222', '333333', '444444'])
    expect(await selectionValues(page, 0, true)).toEqual(['222222', '333333', '444444'])
    expect(await entryText(page, 0, '222222')).toContain('1111-1')
    expect(await entryText(page, 0, '222222')).toContain('123 Main St')
    expect(await entryText(page, 0, '444444')).toContain('2222-2')
    await expect(page.locator('[data-cds-select-all="0"]').count()).resolves.toBe(1)
    const future = page.locator('input[type=checkbox][name="include_future.0"]')
    await expect(future.count()).resolves.toBe(1)
    expect(await future.isChecked()).toBe(false)

    // §9.2.2.4: the Client's Purpose as text, with its related link in a new tab.
    await expect(section.locator('[data-cds-purpose-content]').innerText()).resolves.toContain('To calculate your home energy efficiency score.')
    const related = section.locator('[data-cds-component="purpose"] a[href="https://auditors.example/terms"]')
    await expect(related.innerText()).resolves.toContain('See our full Terms of Service')
    expect(await related.getAttribute('target')).toBe('_blank')
    expect(await related.getAttribute('rel')).toMatch(/\bnoopener\b/)

    // §9.2.1.7: who is logged in, and a way to log in as someone else.
    await expect(page.locator('[data-cds-section="footer"]').innerText()).resolves.toContain(CUSTA)
    await expect(page.locator('a[data-cds-relogin]').count()).resolves.toBe(1)

    await axeCheck(page, 'authorization form (meter data)')
    await screenshot(page, 'authorization-form')
    await page.setViewportSize({ width: 375, height: 812 })
    const extent = await horizontalExtent(page)
    expect(extent.scrollWidth, 'horizontal overflow at 375 px').toBeLessThanOrEqual(extent.innerWidth)
    await axeCheck(page, 'authorization form at 375 px')

    // The customer leaves SC-2 (333333) out and authorizes.
    await page.locator('input[type=checkbox][name="select.0"][value="333333"]').uncheck()
    const back = await decideAndReturn(page, client, 'approve')
    expect(back.searchParams.get('state')).toBe('TS-4.4-01')
    expect(back.searchParams.get('code')).toMatch(/\S/)
    expect(back.searchParams.has('error')).toBe(false)
    expectNoPageProblems(page)

    // CDS-WG1-02 §8.3: the Grant exists before the code is exchanged.
    const fresh = (await client.grants()).filter((g) => !pending.grantsBefore.includes(g.grant_id))
    expect(fresh).toHaveLength(1)
    const grant = fresh[0]!
    expect(grant.status).toBe('active')
    expect(grant.scope.split(' ').sort()).toEqual([SL, ML, MU].sort())
    expect(grant.receipt_confirmations).toHaveLength(1)
    expect(grant.parent).toBeNull()
    expect(grant.children).toEqual([])
    expectNoPreselections(grant.authorization_details)
    for (const type of [SL, ML, MU]) {
      expect(detailOf(grant, type)).toMatchObject({ sync_until: '2029-01-15T12:00:00Z', purpose })
    }
    expect(detailOf(grant, MU)).toMatchObject({ segment_start: '2023-01-15T12:00:00Z', segment_end: 'infinite', include_meter_devices: true })
    // §6.1.5: the implied fields of the Service List.
    expect(detailOf(grant, SL)).toMatchObject({ include_accounts: true, include_service_contracts: true })

    const exchanged = await client.exchange(pending, back)
    expect(exchanged.grant_id).toBe(grant.grant_id)
    if (exchanged.cds_grant_ids !== undefined) expect(exchanged.cds_grant_ids).toEqual([grant.grant_id])
    expect(exchanged.tokens.refresh_token).toMatch(/\S/)
    expect(exchanged.tokens.scope?.split(' ').sort()).toEqual([SL, ML, MU].sort())
    expect(exchanged.tokens.authorization_details).toEqual(grant.authorization_details)
    // The Client finds the same Grant by the receipt confirmation number (CDS-WG1-02 §8.4).
    const byReceipt = await client.grants(`receipt_confirmations=${grant.receipt_confirmations[0]!}`)
    expect(byReceipt.map((g) => g.grant_id)).toEqual([grant.grant_id])
    meterData = { grant: await client.readGrant(grant.grant_id), exchanged }

    // The customer's own list of authorizations, and the receipt it links to (logged in: details shown).
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto('/account/authorizations')
    await expectPage(page, 'customer-authorizations')
    const row = page.locator(`[data-cds-grant="${grant.grant_id}"]`)
    await expect(row.count()).resolves.toBe(1)
    await expect(row.locator('button[data-cds-revoke-grant]').count()).resolves.toBe(1)
    await axeCheck(page, 'customer authorizations')
    await screenshot(page, 'customer-authorizations')
    await clickAndWait(page, `[data-cds-grant="${grant.grant_id}"] a[data-cds-receipt-link]`)
    await expectPage(page, 'receipt')
    expect((await page.locator('[data-cds-confirmation]').innerText()).trim()).toBe(grant.receipt_confirmations[0])
    await expect(page.locator('[data-cds-grant-status]').count()).resolves.toBe(1)
    // §9.4: the receipt is not indexed; the selection as approved (SC-2 left out).
    expect(await page.locator('meta[name=robots]').getAttribute('content')).toMatch(/\bnoindex\b/)
    const receiptText = await page.locator('main').innerText()
    expect(receiptText).toContain('222222')
    expect(receiptText).toContain('444444')
    expect(receiptText).not.toContain('333333')
    await axeCheck(page, 'receipt (logged in)')
    await screenshot(page, 'receipt')
    expectNoPageProblems(page)
  })

  it('(a) TS-4.1 style usage self-access: Meter Usage for the past year of M-1001, approved', async () => {
    const MU = client.scope('cds_usage')
    const pending = await client.push({
      scope: MU,
      authorization_details: [{ type: MU, segment_start: 'P1Y', authorization_form_selection_type: 'meter_device_selection' }],
    })
    const page = await h.newPage(375)
    expect(await openAndLogIn(page, pending, CUSTA)).toBe('authorization-form')
    expect(await selectionValues(page, 0, false)).toEqual(['M-1001', 'M-2001', 'M-3001'])
    await page.locator('input[type=checkbox][name="select.0"][value="M-1001"]').check()
    const extent = await horizontalExtent(page)
    expect(extent.scrollWidth, 'horizontal overflow at 375 px').toBeLessThanOrEqual(extent.innerWidth)
    await axeCheck(page, 'authorization form (usage) at 375 px')
    await screenshot(page, 'authorization-form-usage')
    const back = await decideAndReturn(page, client, 'approve')
    const exchanged = await client.exchange(pending, back)
    const grant = await client.readGrant(exchanged.grant_id)
    expect(grant).toMatchObject({ status: 'active', scope: MU })
    expect(grant.receipt_confirmations).toHaveLength(1)
    expectNoPreselections(grant.authorization_details)
    // CDS-WG1-02 §3.9: the relative start resolves at approval, in the server's timezone (UTC here).
    expect(detailOf(grant, MU)).toMatchObject({ segment_start: '2025-01-15T12:00:00Z' })
    expect(exchanged.tokens.authorization_details).toEqual(grant.authorization_details)
    expectNoPageProblems(page)
  })

  it('(b) TS-4.8-01 customer bills: Bill Statements of ACC-1 and ACC-2 for 3 years with files and charges, approved', async () => {
    const BS = client.scope('cds_bill_statements')
    const pending = await client.push({
      scope: BS,
      authorization_details: [{ type: BS, statement_date_start: 'P3Y', include_bill_statement_files: true, include_bill_statement_charges: true }],
    })
    const page = await h.newPage(1280)
    expect(await openAndLogIn(page, pending, CUSTA)).toBe('authorization-form')
    for (const number of ['1111-1', '2222-2']) await page.locator(`input[type=checkbox][name="select.0"][value="${number}"]`).check()
    await axeCheck(page, 'authorization form (bills)')
    await screenshot(page, 'authorization-form-bills')
    const back = await decideAndReturn(page, client, 'approve')
    const exchanged = await client.exchange(pending, back)
    const grant = await client.readGrant(exchanged.grant_id)
    expect(grant).toMatchObject({ status: 'active', scope: BS })
    expect(grant.receipt_confirmations).toHaveLength(1)
    expectNoPreselections(grant.authorization_details)
    // A date field resolves to a date (TS-4.8-01).
    expect(detailOf(grant, BS)).toMatchObject({
      statement_date_start: '2023-01-15',
      statement_date_end: 'infinite',
      include_bill_statement_files: true,
      include_bill_statement_charges: true,
    })
    expectNoPageProblems(page)
  })

  it('a decline goes back with error=access_denied and the state, and creates no Grant', async () => {
    const AL = client.scope('cds_accounts')
    const pending = await client.push({ scope: AL, state: 'decline-1', authorization_details: [{ type: AL }] })
    const page = await h.newPage(1280)
    expect(await openAndLogIn(page, pending, CUSTA)).toBe('authorization-form')
    const back = await decideAndReturn(page, client, 'decline')
    expect(back.searchParams.get('error')).toBe('access_denied')
    expect(back.searchParams.get('state')).toBe('decline-1')
    expect(back.searchParams.has('code')).toBe(false)
    expect((await client.grants()).filter((g) => !pending.grantsBefore.includes(g.grant_id))).toEqual([])
    expectNoPageProblems(page)
  })

  it('TS-9-ERR-03 style: nothing preselected with error_if_no_preselections → Preselection Error page → decline → error=no_preselections', async () => {
    const AL = client.scope('cds_accounts')
    const pending = await client.push({
      scope: AL,
      state: 'presel-1',
      authorization_details: [{ type: AL, account_numbers: ['9999-9'], error_if_no_preselections: true }],
    })
    const page = await h.newPage(375)
    expect(await openAndLogIn(page, pending, CUSTA)).toBe('preselection-error')
    await expect(page.locator('button[name=decision][value=reauthenticate]').count()).resolves.toBe(1)
    await axeCheck(page, 'preselection error')
    await screenshot(page, 'preselection-error')
    const back = await decideAndReturn(page, client, 'decline')
    expect(back.searchParams.get('error')).toBe(h.server.config.customer_authorization.no_preselections_error)
    expect(back.searchParams.get('error')).toBe('no_preselections')
    expect(back.searchParams.get('state')).toBe('presel-1')
    expect((await client.grants()).filter((g) => !pending.grantsBefore.includes(g.grant_id))).toEqual([])
    expectNoPageProblems(page)
  })

  it('TS-9-RCPT-01: the receipt link of the email opens without login, hides customer data, and revokes; the Client sees revoked', async () => {
    expect(meterData, 'scenario (c) ran first').toBeDefined()
    const { grant, exchanged } = meterData!
    const confirmation = grant.receipt_confirmations[0]!

    // A new browser: no session, no cookies, like opening the email on a phone.
    const mail = await h.newPage(375)
    const link = await receiptLinkFromOutbox(mail, CUSTA, confirmation)
    // §9.4: the URL is random, unrelated to the confirmation number.
    expect(link).not.toContain(confirmation)
    const page = await h.newPage(375)
    const response = await page.goto(link)
    expect(response?.status()).toBe(200)
    await expectPage(page, 'receipt')
    expect((await page.locator('[data-cds-confirmation]').innerText()).trim()).toBe(confirmation)
    expect(await page.locator('meta[name=robots]').getAttribute('content')).toMatch(/\bnoindex\b/)
    // no Customer Data before login, only a way to log in for the details.
    const anonymous = await page.locator('main').innerText()
    for (const number of ['222222', '444444', '1111-1', '2222-2', 'M-1001']) expect(anonymous).not.toContain(number)
    await expect(page.locator('a[data-cds-login-for-details]').count()).resolves.toBe(1)
    await axeCheck(page, 'receipt (anonymous)')
    await screenshot(page, 'receipt-anonymous')

    await clickAndWait(page, 'a[data-cds-revoke]')
    await expectPage(page, 'receipt-revoke')
    await axeCheck(page, 'receipt revoke confirmation')
    await screenshot(page, 'receipt-revoke')
    await clickAndWait(page, 'button[data-cds-confirm-revoke]')
    await expectPage(page, 'receipt')
    // Revoked: no revoke link any more.
    await expect(page.locator('a[data-cds-revoke]').count()).resolves.toBe(0)
    await axeCheck(page, 'receipt (revoked)')
    await screenshot(page, 'receipt-revoked')
    expectNoPageProblems(page)

    const revoked = await client.readGrant(grant.grant_id)
    expect(revoked.status).toBe('revoked')
    expect(revoked.enabled_scope).toBe('')
    // CDS-WG1-02 §8: revoking the Grant revokes its tokens.
    expect((await client.introspect(exchanged.tokens.access_token)).active).toBe(false)
  })
})
