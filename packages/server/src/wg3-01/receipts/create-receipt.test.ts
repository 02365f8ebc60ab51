import { hashSecret, NotFound, openSecret } from '@cds-ts/auth'
import { describe, expect, it } from 'vitest'
import { API_BASE_URL } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { getGrant } from '../../../test/grants-kit.js'
import { receiptsFixture, snapshotFor } from '../../../test/receipts-kit.js'
import { createReceipt } from './create-receipt.js'

forEachDialect('CDS-WG3-01 §9.4 creating Authorization Receipts', (t) => {
  const f = receiptsFixture(t)

  describe('createReceipt', () => {
    it('R3-01-9.4-04 -05 -06 a unique 12-digit number on the Grant, and a random URL tied to no identifier', async () => {
      const grant = await f.newGrant()
      const first = await f.receiptFor(grant.grant_id)
      const second = await f.receiptFor((await f.newGrant()).grant_id)
      expect(first.confirmation).toMatch(/^\d{12}$/)
      expect(second.confirmation).not.toBe(first.confirmation)
      expect((await getGrant(f.api.app, f.reg.adminToken, grant.grant_id)).receipt_confirmations).toEqual([first.confirmation])
      const token = first.url.split('/').pop() ?? ''
      expect(first.url).toBe(`${API_BASE_URL}/receipts/${token}`)
      // R3-01-9.4-06: at least 128 random bits, and nothing of the confirmation, Grant or Client in it.
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
      for (const id of [first.confirmation, grant.grant_id, f.client_id]) expect(first.url).not.toContain(id)
      const row = await t.db.selectFrom('authorization_receipts').selectAll().where('receipt_id', '=', first.receipt_id).executeTakeFirstOrThrow()
      // Stored as a digest for lookup and sealed for links, never in the clear.
      expect(row.url_token_hash).toBe(hashSecret(token))
      expect(row.url_token_hash).not.toBe(token)
      expect(row.url_token_sealed).not.toContain(token)
      expect(openSecret(row.url_token_sealed, f.api.config.client_management.secret_key ?? '')).toBe(token)
      expect(row).toMatchObject({ grant_id: grant.grant_id, customer_id: 'cust-a', confirmation: first.confirmation, superseded_by: null })
    })

    it('R3-01-9.4-14 -38 a second approval of the same Grant adds a receipt and supersedes the first', async () => {
      const grant = await f.newGrant()
      const first = await f.receiptFor(grant.grant_id)
      f.api.clock.advance(60)
      const second = await f.receiptFor(grant.grant_id)
      expect((await getGrant(f.api.app, f.reg.adminToken, grant.grant_id)).receipt_confirmations).toEqual([first.confirmation, second.confirmation])
      const rows = await t.db.selectFrom('authorization_receipts').select(['receipt_id', 'superseded_by']).where('grant_id', '=', grant.grant_id).execute()
      expect(rows).toHaveLength(2)
      expect(rows.find((r) => r.receipt_id === first.receipt_id)?.superseded_by).toBe(second.receipt_id)
      expect(rows.find((r) => r.receipt_id === second.receipt_id)?.superseded_by).toBeNull()
      // The Client's Grant was not "modified" by the receipt bookkeeping.
      expect((await getGrant(f.api.app, f.reg.adminToken, grant.grant_id)).modified).toBe(grant.modified)
    })

    it('R3-01-9.4-09 -10 the receipt email is queued in the outbox with the brand, number and link', async () => {
      const before = f.api.clock.now()
      const receipt = await f.receiptFor((await f.newGrant()).grant_id, { notify_email: 'a@customer.example' })
      const emails = await t.db.selectFrom('outbox_emails').selectAll().where('created', '>=', before).where('subject', 'like', `%${receipt.confirmation}%`).execute()
      expect(emails).toHaveLength(1)
      const email = emails[0]
      expect(email).toMatchObject({ to_address: 'a@customer.example', transport: 'outbox', sent_at: null, error: null })
      expect(email?.text_body).toContain(f.api.config.customer_authorization.brand.name)
      expect(email?.text_body).toContain(receipt.confirmation)
      expect(email?.text_body).toContain(receipt.url)
    })

    it('no email without a contact; transport smtp when an SMTP server is configured', async () => {
      const count = async () => Number((await t.db.selectFrom('outbox_emails').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)
      const before = await count()
      await f.receiptFor((await f.newGrant()).grant_id, { notify_email: null })
      expect(await count()).toBe(before)
      const smtpConfig = structuredClone(f.api.config)
      smtpConfig.customer_authorization.email.smtp_url = 'smtp://127.0.0.1:1'
      const grant = await f.newGrant()
      const receipt = await createReceipt(t.db, { config: smtpConfig, clock: f.api.clock }, { grant_id: grant.grant_id, customer_id: null, snapshot: snapshotFor(f.client_id, f.terms()), notify_email: 'x@customer.example' })
      const email = await t.db.selectFrom('outbox_emails').select(['transport', 'to_address']).where('subject', 'like', `%${receipt.confirmation}%`).executeTakeFirstOrThrow()
      expect(email).toEqual({ transport: 'smtp', to_address: 'x@customer.example' })
    })

    it('runs in the caller’s transaction: a rollback leaves no receipt, number or email', async () => {
      const grant = await f.newGrant()
      let confirmation = ''
      await expect(
        t.db.transaction().execute(async (trx) => {
          confirmation = (await createReceipt(trx, { config: f.api.config, clock: f.api.clock }, { grant_id: grant.grant_id, customer_id: 'cust-a', snapshot: snapshotFor(f.client_id, f.terms()), notify_email: 'a@customer.example' })).confirmation
          throw new Error('the approval failed later')
        }),
      ).rejects.toThrow('the approval failed later')
      expect(confirmation).toMatch(/^\d{12}$/)
      expect(await t.db.selectFrom('authorization_receipts').select('receipt_id').where('confirmation', '=', confirmation).execute()).toEqual([])
      expect(await t.db.selectFrom('outbox_emails').select('email_id').where('subject', 'like', `%${confirmation}%`).execute()).toEqual([])
      expect((await getGrant(f.api.app, f.reg.adminToken, grant.grant_id)).receipt_confirmations).toEqual([])
    })

    it('an unknown Grant is NotFound', async () => {
      await expect(f.receiptFor('no-such-grant')).rejects.toBeInstanceOf(NotFound)
    })
  })

})
