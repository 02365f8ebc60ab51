import { hashSecret, type AuthStore } from '@cds-ts/auth'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, type ApiApp } from '../../../test/api-app.js'
import { APP_REDIRECT, authorizeQuery, postEntries, returningLocation, seedConsentClient, selectBoxes } from '../../../test/authorization-form-kit.js'
import { browse, CookieJar, csrfToken, loginAs } from '../../../test/customers-session.js'
import { forEachDialect } from '../../../test/dialects.js'
import { formHeaders } from '../../../test/oauth-app.js'
import { fromJsonText } from '../../db/json-text.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'

forEachDialect('CDS-WG3-01 §9.1.1 §9.2.1.6 answering the Authorization Form', (t) => {
  let api: ApiApp
  let store: AuthStore
  let client_id: string
  let authorization: string

  beforeAll(async () => {
    api = await buildApiApp(t.database, undefined, null)
    store = new KyselyAuthStore(t.db)
    const seeded = await seedConsentClient(store)
    client_id = seeded.client.client_id
    authorization = seeded.authorization
  })
  afterAll(async () => api.app.close())

  const details = (entries: Record<string, unknown>[]) => JSON.stringify(entries)

  interface Opened {
    path: string
    code_verifier: string
    jar: CookieJar
    page: LightMyRequestResponse
  }

  /** Authorization request → interaction page → login as `customer` → the page after login. */
  async function open(fields: Record<string, string | undefined>, customer = 'CUST-A', client = client_id): Promise<Opened> {
    const jar = new CookieJar()
    const { url, code_verifier } = authorizeQuery(client, fields)
    const started = await browse(api.app, jar, url)
    expect(started.statusCode, started.body).toBe(303)
    const path = String(started.headers.location)
    await loginAs(api.app, customer, path, jar)
    return { path, code_verifier, jar, page: await browse(api.app, jar, path) }
  }

  const location = (response: LightMyRequestResponse) => {
    expect(response.statusCode, response.body).toBe(303)
    return new URL(String(response.headers.location), API_BASE_URL)
  }
  const answer = (opened: Opened, entries: [string, string][], page = opened.page) =>
    postEntries(api.app, opened.jar, opened.path, [['_csrf', csrfToken(page.body)], ...entries])
  const grantsOf = () => t.db.selectFrom('grants').selectAll().where('client_id', '=', client_id).execute()

  it('R3-01-9.1.1-21 decline sends access_denied with the state and creates no Grant; the interaction is used up', async () => {
    const before = (await grantsOf()).length
    const opened = await open({ scope: 'cds_accounts' })
    const declined = location(await answer(opened, [['decision', 'decline']]))
    expect(`${declined.origin}${declined.pathname}`).toBe(APP_REDIRECT)
    expect(declined.searchParams.get('error')).toBe('access_denied')
    expect(declined.searchParams.get('state')).toBe('st-9')
    expect(await grantsOf()).toHaveLength(before)
    const again = await browse(api.app, opened.jar, opened.path)
    expect(again.statusCode).toBe(400)
    expect(again.body).toContain('data-cds-page="invalid-request"')
  })

  it('R3-01-9.1.1-22..26 approve → code and state → token; the Grant has the customer, the selections and one receipt', async () => {
    const opened = await open({
      scope: 'cds_service_contracts',
      authorization_details: details([{ type: 'cds_service_contracts', contract_numbers: ['222222'], sync_until: 'P1Y' }]),
    })
    expect(selectBoxes(opened.page.body, 0).filter((b) => b.checked).map((b) => b.value)).toEqual(['222222'])
    const approved = location(
      await answer(opened, [
        ['select.0', '222222'],
        ['select.0', '444444'],
        ['include_future.0', '1'],
        ['keep.0', 'cds_service_contracts:include_contract_numbers'],
        ['decision', 'approve'],
      ]),
    )
    expect(`${approved.origin}${approved.pathname}`).toBe(APP_REDIRECT)
    expect(approved.searchParams.get('state')).toBe('st-9')
    const code = approved.searchParams.get('code') ?? ''
    const { grant_id } = await t.db.selectFrom('authorization_codes').select('grant_id').where('code_hash', '=', hashSecret(code)).executeTakeFirstOrThrow()
    const token = await api.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: formHeaders(authorization),
      payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: APP_REDIRECT, code_verifier: opened.code_verifier }).toString(),
    })
    expect(token.statusCode, token.body).toBe(200)
    const body = token.json<{ scope: string; authorization_details: Record<string, unknown>[] }>()
    expect(body.scope).toBe('cds_service_contracts')
    // the customer's choices are not preselection fields of the Grant.
    expect(body.authorization_details[0]).not.toHaveProperty('contract_numbers')
    // what Service List always shares is echoed.
    expect(body.authorization_details[0]).toMatchObject({ type: 'cds_service_contracts', include_accounts: true, include_service_contracts: true, include_contract_numbers: true })
    const grant = await t.db.selectFrom('grants').selectAll().where('grant_id', '=', grant_id ?? '').executeTakeFirstOrThrow()
    expect(grant).toMatchObject({ customer_id: 'CUST-A', status: 'active' })
    expect(fromJsonText(grant.selections)).toEqual([
      { scopes: ['cds_service_contracts'], selection_type: 'service_contract_selection', resource_type: 'service_contract', numbers: ['222222', '444444'], all: false, include_future: true },
    ])
    const receipts = await t.db.selectFrom('authorization_receipts').selectAll().where('grant_id', '=', grant.grant_id).execute()
    expect(receipts).toHaveLength(1)
    const receipt = receipts[0]
    if (receipt === undefined) throw new Error('no receipt')
    expect(fromJsonText(grant.receipt_confirmations)).toEqual([receipt.confirmation])
    const snapshot = fromJsonText(receipt.snapshot) as { sections: { selection: { items: string[] }; durations: string[] }[] }
    expect(snapshot.sections[0]?.selection.items).toEqual([expect.stringContaining('Service 222222'), expect.stringContaining('Service 444444')])
    expect(snapshot.sections[0]?.durations).toEqual([expect.stringMatching(/^Updates to your service details for 1 year/)])
    const mail = await t.db.selectFrom('outbox_emails').select(['to_address', 'text_body']).where('to_address', '=', 'custa@example.com').execute()
    expect(mail.some((m) => m.text_body.includes(receipt.confirmation))).toBe(true)
    // R3-01-9.2.1.6-05: the same form cannot approve twice.
    const replay = await answer(opened, [['select.0', '222222'], ['decision', 'approve']])
    expect(replay.statusCode).toBe(400)
    expect(replay.body).toContain('data-cds-page="invalid-request"')
    expect(await t.db.selectFrom('authorization_receipts').select('receipt_id').where('grant_id', '=', grant.grant_id).execute()).toHaveLength(1)
  })

  it('A-30 R3-01-9.2.1.3-02 removes a section and switches optional data off; the Grant narrows', async () => {
    const opened = await open({ scope: 'cds_accounts cds_meters' })
    const removed = await answer(opened, [['remove_section', '1']])
    expect(removed.statusCode).toBe(200)
    expect(removed.body).toContain('<input type="hidden" name="removed" value="1">')
    expect(removed.body).not.toContain('data-cds-request-section="1"')
    // R3-01-9.2.1.3-03: the last section cannot be removed.
    expect(removed.body).not.toContain('name="remove_section"')
    const approved = location(await answer(opened, [['removed', '1'], ['select.0', '1111-1'], ['decision', 'approve']], removed))
    const code = approved.searchParams.get('code') ?? ''
    const row = await t.db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', hashSecret(code)).executeTakeFirstOrThrow()
    expect(row.scope).toBe('cds_accounts')
    expect(fromJsonText(row.authorization_details).map((e) => e.type)).toEqual(['cds_accounts'])
  })

  it('A-61 R3-01-9.2.1.6-04 approving with nothing selected shows the form again with the error marked', async () => {
    const opened = await open({ scope: 'cds_accounts' })
    const again = await answer(opened, [['decision', 'approve']])
    expect(again.statusCode).toBe(400)
    expect(again.body).toMatch(/role="alert" data-cds-form-error/)
    expect(again.body).toContain('aria-invalid="true"')
    // Select all (without JavaScript) then approve.
    const all = await answer(opened, [['select_all', '0']], again)
    expect(selectBoxes(all.body, 0).every((b) => b.checked)).toBe(true)
    expect(location(await answer(opened, [['select.0', '1000-0'], ['decision', 'approve']], all)).searchParams.has('code')).toBe(true)
  })

  it('R3-01-9.1.1-20 TS-9-ERR-03 a preselection that matches nothing shows the Preselection Error; decline sends no_preselections', async () => {
    const fields = { scope: 'cds_rate_plan', authorization_details: details([{ type: 'cds_rate_plan', service_types: ['electric'], error_if_no_preselections: true }]) }
    const opened = await open(fields, 'CUST-B')
    expect(opened.page.statusCode).toBe(200)
    expect(opened.page.body).toContain('data-cds-page="preselection-error"')
    expect(opened.page.body).toContain('Acme Energy Auditors')
    expect(opened.page.body).toContain('electric services')
    const declined = location(await answer(opened, [['step', 'preselection-error'], ['decision', 'decline']]))
    expect(declined.searchParams.get('error')).toBe('no_preselections')
    expect(declined.searchParams.get('state')).toBe('st-9')
  })

  it('TS-9-ERR-03 "log in as a different customer" forces a login, then the form for the new customer', async () => {
    const fields = { scope: 'cds_rate_plan', authorization_details: details([{ type: 'cds_rate_plan', service_types: ['electric'], error_if_no_preselections: true }]) }
    const opened = await open(fields, 'CUST-B')
    api.clock.advance(5)
    const again = location(await answer(opened, [['step', 'preselection-error'], ['decision', 'reauthenticate']]))
    expect(again.pathname).toBe('/login')
    expect(again.searchParams.get('force')).toBe('1')
    // Coming back without a new login leads to the login page again.
    api.clock.advance(5)
    expect(location(await browse(api.app, opened.jar, opened.path)).pathname).toBe('/login')
    await loginAs(api.app, 'CUST-A', opened.path, opened.jar)
    const form = await browse(api.app, opened.jar, opened.path)
    expect(form.body).toContain('data-cds-page="authorization-form"')
    expect(selectBoxes(form.body, 0).filter((b) => b.checked).map((b) => b.value)).toEqual(['222222', '444444'])
  })

  it('A-11 a partial match preselects what matched and does not fire', async () => {
    const opened = await open({ scope: 'cds_accounts', authorization_details: details([{ type: 'cds_accounts', account_numbers: ['1111-1', '9999-9'], error_if_no_preselections: true }]) })
    expect(opened.page.body).toContain('data-cds-page="authorization-form"')
    expect(selectBoxes(opened.page.body, 0).filter((b) => b.checked).map((b) => b.value)).toEqual(['1111-1'])
  })

  it('R3-01-9.1.2-05 a cancelled login ends with access_denied and the state, through a page (the login form’s CSP)', async () => {
    const jar = new CookieJar()
    const { url } = authorizeQuery(client_id, { scope: 'cds_accounts' })
    const path = String((await browse(api.app, jar, url)).headers.location)
    const page = await browse(api.app, jar, `${path}?login=cancelled`)
    expect(page.body).toContain('data-cds-page="returning-to-client"')
    expect(page.body).toContain('Returning you to Acme Energy Auditors')
    const cancelled = returningLocation(page)
    expect(`${cancelled.origin}${cancelled.pathname}`).toBe(APP_REDIRECT)
    expect(cancelled.searchParams.get('error')).toBe('access_denied')
    expect(cancelled.searchParams.get('state')).toBe('st-9')
  })

  it('A-52 TS-9-SBX-01 a sandbox Client object with a real customer ends with access_denied', async () => {
    const sandbox = await seedConsentClient(store, { cds_status: 'sandbox', cds_status_options: ['sandbox', 'disabled'] })
    await t.db.updateTable('customers').set({ is_test_account: false }).where('customer_id', '=', 'CUST-C').execute()
    try {
      const opened = await open({ scope: 'cds_accounts' }, 'CUST-C', sandbox.client.client_id)
      expect(returningLocation(opened.page).searchParams.get('error')).toBe('access_denied')
      // A test account gets the form.
      expect((await open({ scope: 'cds_accounts' }, 'CUST-A', sandbox.client.client_id)).page.body).toContain('data-cds-page="authorization-form"')
    } finally {
      await t.db.updateTable('customers').set({ is_test_account: true }).where('customer_id', '=', 'CUST-C').execute()
    }
  })

  it('R1-02-8.3 prompt=login asks for a login even with a live session, once per request', async () => {
    const jar = await loginAs(api.app, 'CUST-A')
    api.clock.advance(10)
    const { url } = authorizeQuery(client_id, { scope: 'cds_accounts', prompt: 'login' })
    const path = String((await browse(api.app, jar, url)).headers.location)
    const forced = location(await browse(api.app, jar, path))
    expect(forced.searchParams.get('force')).toBe('1')
    await loginAs(api.app, 'CUST-A', path, jar)
    expect((await browse(api.app, jar, path)).body).toContain('data-cds-page="authorization-form"')
  })

  it('R3-01-9.2.1.7-01 the footer’s re-login link forces a new login and comes back', async () => {
    const opened = await open({ scope: 'cds_accounts' })
    expect(opened.page.body).toContain(`href="${opened.path}?relogin=1" data-cds-relogin`)
    const forced = location(await browse(api.app, opened.jar, `${opened.path}?relogin=1`))
    expect(forced.searchParams.get('force')).toBe('1')
    api.clock.advance(5)
    await loginAs(api.app, 'CUST-E', opened.path, opened.jar)
    const form = await browse(api.app, opened.jar, opened.path)
    expect(form.body).toContain('Logged in as custe@example.com.')
    expect(selectBoxes(form.body, 0)).toHaveLength(12)
    expect(form.body).toContain('data-cds-search="0"')
  })

  it('CSRF: a post without the token is refused with 403 and changes nothing', async () => {
    const opened = await open({ scope: 'cds_accounts' })
    const refused = await postEntries(api.app, opened.jar, opened.path, [['decision', 'decline']])
    expect(refused.statusCode).toBe(403)
    expect(refused.headers['content-type']).toMatch(/^text\/html/)
    expect((await browse(api.app, opened.jar, opened.path)).statusCode).toBe(200)
  })
})
