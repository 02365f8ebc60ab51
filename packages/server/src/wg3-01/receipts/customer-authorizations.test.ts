import { describe, expect, it } from 'vitest'
import { forEachDialect } from '../../../test/dialects.js'
import { getGrant } from '../../../test/grants-kit.js'
import { csrfOf, receiptsFixture } from '../../../test/receipts-kit.js'

forEachDialect('CDS-WG3-01 §9.4 the customer’s authorizations', (t) => {
  const f = receiptsFixture(t)

  describe('GET /account/authorizations', () => {
    it('R3-01-9.1.1-26 needs login: a 303 to the login page that comes back', async () => {
      const page = await f.get('/account/authorizations')
      expect(page.statusCode).toBe(303)
      expect(page.headers.location).toBe(`/login?return_to=${encodeURIComponent('/account/authorizations')}`)
    })

    it('lists only the customer’s own Grants, each with its receipts, and revokes only its own', async () => {
      const mine = await f.newGrant('cust-b')
      const mineReceipt = await f.receiptFor(mine.grant_id, { customer_id: 'cust-b' })
      const theirs = await f.newGrant('cust-a')
      await f.receiptFor(theirs.grant_id)
      const page = await f.get('/account/authorizations', f.otherCookie)
      expect(page.statusCode).toBe(200)
      expect(page.body).toContain('data-cds-page="customer-authorizations"')
      expect(page.body).toContain(`<tr data-cds-grant="${mine.grant_id}">`)
      expect(page.body).not.toContain(theirs.grant_id)
      expect(page.body).toContain(`<a href="${f.pathOf(mineReceipt.url)}" data-cds-receipt-link>Receipt ${mineReceipt.confirmation}</a>`)
      expect(page.body).toContain('<td data-cds-grant-status="active">Active</td>')
      expect(page.body).toContain('data-cds-revoke-grant')
      const csrf = csrfOf(page)
      const post = (grant_id: string) => f.postForm(`/account/authorizations/${grant_id}/revoke`, csrf, f.otherCookie)
      // Someone else's Grant looks like one that does not exist.
      const foreign = await post(theirs.grant_id)
      expect(foreign.statusCode).toBe(404)
      expect((await post('no-such-grant')).body).toBe(foreign.body)
      expect((await getGrant(f.api.app, f.reg.adminToken, theirs.grant_id)).status).toBe('active')

      const done = await post(mine.grant_id)
      expect(done.statusCode).toBe(303)
      expect(done.headers.location).toBe('/account/authorizations?revoked=1')
      expect((await getGrant(f.api.app, f.reg.adminToken, mine.grant_id)).status).toBe('revoked')
      const after = await f.get('/account/authorizations?revoked=1', f.otherCookie)
      expect(after.body).toContain('<td data-cds-grant-status="revoked">Revoked</td>')
      expect(after.body).not.toContain('data-cds-revoke-grant')
      expect(after.body).toContain('role="status"')
    })

    it('a revoke POST without a session goes to the login page', async () => {
      const page = await f.get('/account/authorizations', f.ownerCookie)
      const csrf = csrfOf(page)
      const posted = await f.postForm('/account/authorizations/x/revoke', csrf)
      expect(posted.statusCode).toBe(303)
      expect(posted.headers.location).toMatch(/^\/login\?return_to=/)
    })
  })
})
