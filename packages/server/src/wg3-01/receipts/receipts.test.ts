import { fixedClock, hashSecret, randomOpaqueValue } from '@cds-ts/auth'
import type { Grant } from '@cds-ts/schema'
import { describe, beforeAll, expect, it } from 'vitest'
import { API_BASE_URL } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { getGrant, grantMessages, oauthPost } from '../../../test/grants-kit.js'
import { csrfOf, ITEMS, receiptsFixture, SELECTIONS, snapshotFor } from '../../../test/receipts-kit.js'
import { DEMO_CODE_SCOPE } from '../../config/defaults.js'
import type { GrantSelection } from '../../db/database.js'
import { toJsonText } from '../../db/json-text.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { createGrant } from '../../wg1-02/grants/grant-changes.js'
import { createReceipt } from './create-receipt.js'

forEachDialect('CDS-WG3-01 §9.4 the Authorization Receipt page and revocation', (t) => {
  const f = receiptsFixture(t)

  describe('GET /receipts/<token>', () => {
    let path: string
    let confirmation: string

    beforeAll(async () => {
      // Figure 5's "(3 months ago)": the page is read later than the approval.
      const approvedAt = new Date(f.api.clock.now().getTime() - 92 * 24 * 3600_000)
      const grant = await f.newGrant()
      const receipt = await createReceipt(
        t.db,
        { config: f.api.config, clock: fixedClock(approvedAt) },
        { grant_id: grant.grant_id, customer_id: 'cust-a', snapshot: snapshotFor(f.client_id, f.terms()), notify_email: null },
      )
      path = f.pathOf(receipt.url)
      confirmation = receipt.confirmation
    })

    it('R3-01-9.4-07 -08 -15 -16 -17 -18 -19 -20 loads without login: noindex, branded, number, date, status and the Client link', async () => {
      const page = await f.get(path)
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(page.headers['cache-control']).toBe('no-store')
      expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
      expect(page.body).toContain('<meta name="robots" content="noindex, nofollow">')
      expect(page.body).toContain('data-cds-page="receipt"')
      expect(page.body).toContain('data-cds-section="header"')
      expect(page.body).toContain(f.api.config.customer_authorization.brand.name.replace('&', '&amp;'))
      expect(page.body).toContain(`<dd data-cds-confirmation>${confirmation}</dd>`)
      expect(page.body).toMatch(/<time datetime="2024-10-01T00:0\d:00\.000Z">Sep 30, 2024, 5:0\d PM PDT<\/time> \(3 months ago\)/)
      expect(page.body).toContain('data-cds-grant-status="active">Active:')
      expect(page.body).toContain('<a href="https://client.example/" target="_blank" rel="noopener nofollow">Test Client')
      expect(page.body).toContain('data-cds-print hidden')
    })

    it('R3-01-9.4-21 -25 -27 -29 -31 -32 -33 shows the snapshot: data, durations, selection summary, Purpose, terms, support, revoke', async () => {
      const { body } = await f.get(path)
      expect(body).toContain('<li>Your interval energy usage</li>')
      expect(body).toContain('<li>Usage for each hour, for example 1.2 kWh</li>')
      expect(body).toContain('<li>1 year of past usage</li>')
      expect(body).toContain('<h3>For these services:</h3>')
      expect(body).toContain('Services you add before Jan 1, 2027 are included too.')
      expect(body).toContain('<p class="attribution">Written by Test Client:</p>')
      expect(body).toContain('<p class="purpose-content" data-cds-purpose-content>To score your home.\nSecond line.</p>')
      expect(body).toContain('<a href="https://client.example/purpose" target="_blank" rel="noopener nofollow">About our score')
      expect(body).toMatch(new RegExp(`<p data-cds-terms><a href="${f.terms()}" target="_blank" rel="noopener noreferrer">`))
      expect(body).toContain(`<a href="${f.api.config.customer_authorization.brand.support_uri}" target="_blank" rel="noopener noreferrer">Contact support`)
      expect(body).toContain(`<a href="${path}/revoke" data-cds-revoke>Revoke access</a>`)
    })

    it('R3-01-9.4-23 -24 -28 A-34 anonymous viewers get counts and a login link back here, never the resources', async () => {
      const { body } = await f.get(path)
      expect(body).toContain('2 services')
      for (const number of ['222222', '333333', 'Main St', 'Elm St']) expect(body).not.toContain(number)
      expect(body).toContain(`<a href="/login?return_to=${encodeURIComponent(path)}" data-cds-login-for-details>Log in to see more details</a>`)
    })

    it('R3-01-9.4-23 the receipt’s own customer, logged in, sees the resources; another customer must log in again', async () => {
      const owner = await f.get(path, f.ownerCookie)
      expect(owner.statusCode).toBe(200)
      for (const item of ITEMS) expect(owner.body).toContain(`<li>${item}</li>`)
      expect(owner.body).not.toContain('data-cds-login-for-details')
      const other = await f.get(path, f.otherCookie)
      expect(other.body).not.toContain('222222')
      expect(other.body).toContain(`<a href="/login?return_to=${encodeURIComponent(path)}&amp;force=1" data-cds-login-for-details>`)
    })

    it('every snapshot string is escaped (no markup from a Client or the form reaches the page)', async () => {
      const attack = '<script>alert(1)</script><img src=x onerror=alert(2)>"\''
      const snapshot = snapshotFor(f.client_id, f.terms(), { client_name: attack, client_uri: `https://client.example/"><script>alert(3)</script>` })
      const section = snapshot.sections[0]
      if (section === undefined) throw new Error('no section')
      section.data = [attack]
      section.data_details = [attack]
      section.durations = [attack]
      section.selection = { ...section.selection, heading: attack, items: [attack], include_future_text: attack }
      section.purpose = { content: attack, client_authored: true, related_uri: 'https://client.example/', related_name: attack }
      const receipt = await f.receiptFor((await f.newGrant()).grant_id, { snapshot })
      for (const cookie of [undefined, f.ownerCookie]) {
        const { body } = await f.get(f.pathOf(receipt.url), cookie)
        expect(body).not.toContain('<script>alert')
        expect(body).not.toContain('<img src=x')
        expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;&#39;')
      }
    })

    it('a section without a Selection type (all of the customer’s data) shows its heading, no count and no login link', async () => {
      const snapshot = snapshotFor(f.client_id, f.terms())
      const section = snapshot.sections[0]
      if (section === undefined) throw new Error('no section')
      section.selection = { resource_type: 'account', heading: 'For all of your information', items: [], count: 0, all: true, include_future: false, include_future_text: null }
      const receipt = await f.receiptFor((await f.newGrant()).grant_id, { snapshot })
      const { body } = await f.get(f.pathOf(receipt.url))
      expect(body).toContain('<h3>For all of your information</h3>')
      expect(body).not.toContain('All of your accounts')
      expect(body).not.toContain('data-cds-login-for-details')
    })

    it('A-34 with several sections, one login link, beside the first count', async () => {
      const snapshot = snapshotFor(f.client_id, f.terms())
      const first = snapshot.sections[0]
      if (first === undefined) throw new Error('no section')
      snapshot.sections.push({ ...first, scopes: ['other'], selection: { ...first.selection, resource_type: 'meter_device', heading: 'For these meters:', items: ['Meter M-1001'], count: 1, include_future: false, include_future_text: null } })
      const receipt = await f.receiptFor((await f.newGrant()).grant_id, { snapshot })
      const { body } = await f.get(f.pathOf(receipt.url))
      expect(body.match(/data-cds-login-for-details/g)).toHaveLength(1)
      expect(body).toMatch(/2 services <a href="[^"]+" data-cds-login-for-details>/)
      expect(body).toContain('<p data-cds-selected-count>1 meter</p>')
      expect(body).not.toContain('M-1001')
    })

    it('its stylesheet and print script are served from this origin', async () => {
      const css = await f.get('/assets/receipts.css')
      expect(css.statusCode).toBe(200)
      expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
      expect(css.body).toContain('.purpose-content{white-space:pre-wrap')
      const js = await f.get('/assets/receipts.js')
      expect(js.statusCode).toBe(200)
      expect(js.body).toContain('window.print()')
    })

    it('an unknown token is 404 with the same page for every token', async () => {
      const a = await f.get(`/receipts/${randomOpaqueValue()}`)
      const b = await f.get('/receipts/short')
      expect(a.statusCode).toBe(404)
      expect(b.statusCode).toBe(404)
      expect(a.body).toBe(b.body)
      expect(a.body).toContain('data-cds-page="receipt-not-found"')
      expect(a.body).toContain('<meta name="robots" content="noindex, nofollow">')
    })

    it('R3-01-9.4-38 a superseded receipt says so and links to the newer one', async () => {
      const grant = await f.newGrant()
      const first = await f.receiptFor(grant.grant_id)
      const second = await f.receiptFor(grant.grant_id)
      const { body } = await f.get(f.pathOf(first.url))
      expect(body).toMatch(new RegExp(`<div class="notice" role="note" data-cds-superseded><p>[^<]+ <a href="${f.pathOf(second.url)}">`))
      expect((await f.get(f.pathOf(second.url))).body).not.toContain('data-cds-superseded')
    })

    it('R3-01-9.4-37 changes since approval are shown beside the original; resource numbers only to the owner', async () => {
      const grant = await f.newGrant()
      const receipt = await f.receiptFor(grant.grant_id)
      const path2 = f.pathOf(receipt.url)
      expect((await f.get(path2)).body).not.toContain('data-cds-changes')
      const renamed = { client_name: 'Renamed Client', client_uri: 'https://renamed.example/' }
      const original = await t.db.selectFrom('clients').select(['client_name', 'client_uri']).where('client_id', '=', f.client_id).executeTakeFirstOrThrow()
      await t.db.updateTable('clients').set(renamed).where('client_id', '=', f.client_id).execute()
      const narrower: GrantSelection[] = [{ ...SELECTIONS[0] as GrantSelection, numbers: ['222222'] }]
      await t.db.updateTable('grants').set({ selections: toJsonText(narrower) }).where('grant_id', '=', grant.grant_id).execute()
      try {
        const { body } = await f.get(path2)
        expect(body).toContain('data-cds-changes')
        // The receipt keeps what was approved, and the change shows both.
        expect(body).toContain('<dd data-cds-client><a href="https://client.example/" target="_blank" rel="noopener nofollow">Test Client')
        expect(body).toMatch(/data-cds-change="client_name"><div class="was">When you approved: Test Client<\/div><div class="now">Now: Renamed Client<\/div>/)
        expect(body).toContain('<a href="https://renamed.example/" target="_blank" rel="noopener nofollow">https://renamed.example/')
        expect(body).toMatch(/data-cds-change="selection"><div class="was">When you approved: 2 services\. Services you add in the future are included too\.<\/div><div class="now">Now: 1 service\./)
        expect(body).not.toContain('222222')
        const owner = await f.get(path2, f.ownerCookie)
        expect(owner.body).toContain('When you approved: 2 services (222222, 333333).')
        expect(owner.body).toContain('Now: 1 service (222222).')
      } finally {
        await t.db.updateTable('clients').set(original).where('client_id', '=', f.client_id).execute()
      }
    })

    it('R3-01-9.4-37 new terms of service show beside the ones approved', async () => {
      const receipt = await f.receiptFor((await f.newGrant()).grant_id)
      const brand = f.api.config.customer_authorization.brand
      const approved = brand.terms_uri
      brand.terms_uri = `${API_BASE_URL}/legal/terms-2026`
      try {
        const { body } = await f.get(f.pathOf(receipt.url))
        expect(body).toMatch(new RegExp(`data-cds-change="terms"><div class="was">When you approved: <a href="${approved}"[^>]*>${approved}<span[^<]*</span></a></div><div class="now">Now: <a href="${brand.terms_uri}"`))
        // The terms link of the receipt itself stays the one approved.
        expect(body).toContain(`<p data-cds-terms><a href="${approved}"`)
      } finally {
        brand.terms_uri = approved
      }
    })

    it('R3-01-9.4-37 a changed scope and changed authorization details show the old and the new; preselected numbers only to the owner', async () => {
      const grant = await createGrant(t.db, f.api.clock, {
        client_id: f.client_id,
        scope: DEMO_CODE_SCOPE,
        customer_id: 'cust-a',
        authorization_details: [{ type: DEMO_CODE_SCOPE, resolution: 'monthly', contract_numbers: ['222222'] }],
        changelog: { base_url: API_BASE_URL },
      })
      const receipt = await f.receiptFor(grant.grant_id)
      await t.db
        .updateTable('grants')
        .set({ scope: '', authorization_details: toJsonText([{ type: DEMO_CODE_SCOPE, resolution: 'hourly', contract_numbers: ['333333'] }]) })
        .where('grant_id', '=', grant.grant_id)
        .execute()
      const { body } = await f.get(f.pathOf(receipt.url))
      expect(body).toContain('data-cds-change="scope"><div class="was">When you approved: <ul><li>Demo usage data</li></ul></div><div class="now">Now: nothing</div>')
      expect(body).toContain(
        'data-cds-change="authorization_details"><div class="was">When you approved: <ul><li>Demo usage data – contract_numbers: hidden until you log in</li><li>Demo usage data – Data resolution: Monthly</li></ul></div>' +
          '<div class="now">Now: <ul><li>Demo usage data – contract_numbers: hidden until you log in</li><li>Demo usage data – Data resolution: Hourly</li></ul></div>',
      )
      expect(body).not.toContain('222222')
      const owner = await f.get(f.pathOf(receipt.url), f.ownerCookie)
      expect(owner.body).toContain('<li>Demo usage data – contract_numbers: 222222</li>')
      expect(owner.body).toContain('<li>Demo usage data – contract_numbers: 333333</li>')
    })
  })

  describe('§9.4 revoking from the receipt, without login (A-79)', () => {
    it('R3-01-9.4-33 -34 confirm, POST with CSRF: the Grant is revoked, its tokens die, the Client sees revoked and a Message', async () => {
      const grant = await f.newGrant()
      const receipt = await f.receiptFor(grant.grant_id)
      const path = f.pathOf(receipt.url)
      // A live access token of the Grant, as the token endpoint would have issued it.
      const access = randomOpaqueValue()
      const now = f.api.clock.now()
      await new KyselyAuthStore(t.db).tokens.insert({
        token_hash: hashSecret(access),
        token_type: 'access_token',
        client_id: f.client_id,
        credential_id: null,
        grant_id: grant.grant_id,
        code_hash: null,
        scope: DEMO_CODE_SCOPE,
        authorization_details: [],
        issued_at: now,
        expires_at: new Date(now.getTime() + 3600_000),
        revoked_at: null,
      })
      const introspect = async () => (await oauthPost(f.api.app, '/oauth/introspect', f.client_id, f.secret, { token: access })).json<{ active: boolean }>().active
      expect(await introspect()).toBe(true)

      const confirm = await f.get(`${path}/revoke`)
      expect(confirm.statusCode).toBe(200)
      expect(confirm.body).toContain('data-cds-page="receipt-revoke"')
      expect(confirm.body).toContain('<button type="submit" class="button" data-cds-confirm-revoke>')
      expect(confirm.body).toContain(receipt.confirmation)
      const csrf = csrfOf(confirm)

      // Without the CSRF token nothing happens.
      const forged = await f.api.app.inject({ method: 'POST', url: `${path}/revoke`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: '' })
      expect(forged.statusCode).toBe(403)
      expect(forged.headers['content-type']).toBe('text/html; charset=utf-8')
      expect((await getGrant(f.api.app, f.reg.adminToken, grant.grant_id)).status).toBe('active')

      const done = await f.postForm(`${path}/revoke`, csrf)
      expect(done.statusCode).toBe(303)
      expect(done.headers.location).toBe(`${path}?revoked=1`)

      const after: Grant = await getGrant(f.api.app, f.reg.adminToken, grant.grant_id)
      expect(after).toMatchObject({ status: 'revoked', enabled_scope: '', enabled_authorization_details: [] })
      expect(await introspect()).toBe(false)
      expect(await grantMessages(t.db, f.reg.admin.client_id)).toContainEqual({ name: 'Grant revoked', related_uri: after.uri, type: 'notification' })

      // R3-01-9.4-18 -33: the receipt now reads "Revoked" and offers no revoke link.
      const page = await f.get(`${path}?revoked=1`)
      expect(page.body).toContain('data-cds-grant-status="revoked">Revoked:')
      expect(page.body).toContain('<div class="notice" role="status">')
      expect(page.body).not.toContain('data-cds-revoke')
      // A second POST changes nothing and lands on the receipt.
      const again = await f.postForm(`${path}/revoke`, csrf)
      expect(again.headers.location).toBe(path)
      const confirmAgain = await f.get(`${path}/revoke`)
      expect(confirmAgain.body).not.toContain('data-cds-confirm-revoke')
    })

    it('unknown tokens get the 404 page on GET and POST', async () => {
      const unknown = `/receipts/${randomOpaqueValue()}/revoke`
      expect((await f.get(unknown)).statusCode).toBe(404)
      const confirm = await f.get(`${f.pathOf((await f.receiptFor((await f.newGrant()).grant_id)).url)}/revoke`)
      const csrf = csrfOf(confirm)
      const posted = await f.postForm(unknown, csrf)
      expect(posted.statusCode).toBe(404)
      expect(posted.body).toContain('data-cds-page="receipt-not-found"')
    })
  })
})
