import { hashSecret } from '@cds-ts/auth'
import type { Grant } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { authorizeCode, clientsByScope, getGrant, grantMessages, listGrants, oauthPost, secretFor } from '../../../test/grants-kit.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE } from '../../config/defaults.js'
import { createGrant } from './grant-changes.js'
import { receiptConfirmation } from './receipt-confirmation.js'

const RECEIPT = `${API_BASE_URL}/oauth/receipt`

forEachDialect('CDS-WG1-02 §8.3 Grant Authorization Requests', (t) => {
  let api: ApiApp
  let a: TestRegistration
  let code: string
  let secret: string

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    a = await register(api.app)
    code = (await clientsByScope(t.db, a.admin.client_id)).get(DEMO_CODE_SCOPE) ?? ''
    secret = await secretFor(t.db, api.clock, api.config, code)
  })
  afterAll(async () => api.app.close())

  const codeGrantOf = async (authorization_code: string) =>
    (await t.db.selectFrom('authorization_codes').select('grant_id').where('code_hash', '=', hashSecret(authorization_code)).executeTakeFirstOrThrow()).grant_id
  const tokenGrantOf = async (token: string) =>
    (await t.db.selectFrom('tokens').select('grant_id').where('token_hash', '=', hashSecret(token)).executeTakeFirstOrThrow()).grant_id
  const newGrant = (fields: Partial<Parameters<typeof createGrant>[2]> = {}) =>
    createGrant(t.db, api.clock, { client_id: code, scope: DEMO_CODE_SCOPE, status: 'needs_authorization', changelog: { base_url: API_BASE_URL }, ...fields })

  describe('CDS-WG1-02 §8 a user’s approval becomes a Grant', () => {
    let approved: Grant
    let authorization_code: string
    let code_verifier: string
    let location: URL

    beforeAll(async () => {
      api.clock.advance(60)
      const result = await authorizeCode(api.app, code)
      location = result.location
      authorization_code = result.code ?? ''
      code_verifier = result.code_verifier
      const { grants } = await listGrants(api.app, a.adminToken, `?client_ids=${code}`)
      expect(grants).toHaveLength(1)
      approved = grants[0] as Grant
    })

    it('R1-02-8-01 R1-02-8.3-11 the approval creates an active Grant at once, before any token request', async () => {
      expect(`${location.origin}${location.pathname}`).toBe(RECEIPT)
      expect(authorization_code).not.toBe('')
      expect(approved).toMatchObject({ client_id: code, scope: DEMO_CODE_SCOPE, status: 'active', enabled_scope: DEMO_CODE_SCOPE, parent: null, eta: null })
      // R1-02-8.1-12: the entries granted, defaults filled, relative dates resolved (P1Y back from 2024-12-31 in Los Angeles, A-42).
      expect(approved.authorization_details).toHaveLength(1)
      expect(approved.authorization_details[0]).toMatchObject({ type: DEMO_CODE_SCOPE, resolution: 'monthly', start_date: '2023-12-31' })
      expect(approved.enabled_authorization_details).toEqual(approved.authorization_details)
      expect(approved.modified).toBe(approved.created)
      expect(await codeGrantOf(authorization_code)).toBe(approved.grant_id)
      // R1-02-6-01: the new Grant is announced in the Messages API.
      expect(await grantMessages(t.db, a.admin.client_id)).toContainEqual({ name: 'Grant authorized', related_uri: approved.uri, type: 'notification' })
    })

    it('R1-02-8.1-11 R1-02-4.2-14 the receipt page shows the receipt code the Grant lists, and the filter finds it (A-43)', async () => {
      expect(approved.receipt_confirmations).toEqual([receiptConfirmation(authorization_code)])
      const receipt = approved.receipt_confirmations[0] ?? ''
      expect(receipt).toMatch(/^[0-9A-Z]{10}$/)
      const page = await api.app.inject({ method: 'GET', url: `${location.pathname}${location.search}` })
      expect(page.statusCode).toBe(200)
      expect(page.headers['content-type']).toMatch(/^text\/html/)
      expect(page.body).toContain(`<dt>Receipt confirmation</dt><dd><code>${receipt}</code></dd>`)
      expect(page.body).not.toContain(authorization_code)
      const found = await listGrants(api.app, a.adminToken, `?receipt_confirmations=${receipt}`)
      expect(found.grants.map((g) => g.grant_id)).toEqual([approved.grant_id])
    })

    it('R1-02-X-08 tokens from the code, and those from their refresh token, carry the grant_id', async () => {
      const exchanged = await oauthPost(api.app, '/oauth/token', code, secret, { grant_type: 'authorization_code', code: authorization_code, code_verifier })
      expect(exchanged.statusCode).toBe(200)
      const tokens = exchanged.json<{ access_token: string; refresh_token: string }>()
      expect(await tokenGrantOf(tokens.access_token)).toBe(approved.grant_id)
      expect(await tokenGrantOf(tokens.refresh_token)).toBe(approved.grant_id)
      const refreshed = await oauthPost(api.app, '/oauth/token', code, secret, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token })
      expect(refreshed.statusCode).toBe(200)
      const rotated = refreshed.json<{ access_token: string; refresh_token: string }>()
      expect(await tokenGrantOf(rotated.access_token)).toBe(approved.grant_id)
      expect(await tokenGrantOf(rotated.refresh_token)).toBe(approved.grant_id)
    })
  })

  describe('CDS-WG1-02 §8.3 cds_grant_id', () => {
    it('R1-02-8.3-11 R1-02-8.3-12 approving a needs_authorization Grant updates it at once, before the token request', async () => {
      const waiting = await newGrant()
      expect(waiting).toMatchObject({ status: 'needs_authorization', enabled_scope: '', enabled_authorization_details: [] })
      api.clock.advance(60)
      const result = await authorizeCode(api.app, code, { cds_grant_id: waiting.grant_id })
      expect(result.error).toBeNull()
      expect(await codeGrantOf(result.code ?? '')).toBe(waiting.grant_id)
      const after = await getGrant(api.app, a.adminToken, waiting.grant_id)
      expect(after).toMatchObject({ status: 'active', enabled_scope: DEMO_CODE_SCOPE, scope: DEMO_CODE_SCOPE, created: waiting.created })
      expect(after.modified > waiting.modified).toBe(true)
      expect(after.enabled_authorization_details).toEqual(after.authorization_details)
      expect(after.receipt_confirmations).toEqual([receiptConfirmation(result.code ?? '')])
      // No second Grant was made for the approval.
      expect((await listGrants(api.app, a.adminToken, `?grant_ids=${waiting.grant_id}`)).grants).toHaveLength(1)
      expect(await grantMessages(t.db, a.admin.client_id)).toContainEqual({ name: 'Grant authorized', related_uri: after.uri, type: 'notification' })
    })

    it('R1-02-8.3-06 A-34 an unknown Grant, another client’s, a closed one or one not covering the scope is cds_grant_id_invalid_value', async () => {
      const before = (await listGrants(api.app, a.adminToken)).grants.length
      const { grants } = await listGrants(api.app, a.adminToken, `?client_ids=${a.admin.client_id}`)
      const closed = await newGrant({ status: 'closed' })
      const narrow = await newGrant({ scope: DEMO_DIRECT_SCOPE })
      for (const cds_grant_id of ['no-such-grant', (grants[0] as Grant).grant_id, closed.grant_id, narrow.grant_id]) {
        const result = await authorizeCode(api.app, code, { cds_grant_id })
        expect(result.code).toBeNull()
        expect(result.error).toBe('cds_grant_id_invalid_value')
        expect(result.location.searchParams.get('state')).toBe('st-1')
      }
      // Nothing was approved, so nothing was created.
      expect((await listGrants(api.app, a.adminToken)).grants.length).toBe(before + 2)
    })

    it('R1-02-8.3-10 a Grant another customer authorized is cds_grant_id_invalid_user and stays as it was', async () => {
      const theirs = await newGrant({ status: 'active', customer_id: 'another-customer' })
      api.clock.advance(60)
      const result = await authorizeCode(api.app, code, { cds_grant_id: theirs.grant_id })
      expect(result.code).toBeNull()
      expect(result.error).toBe('cds_grant_id_invalid_user')
      expect(result.location.searchParams.get('state')).toBe('st-1')
      expect((await getGrant(api.app, a.adminToken, theirs.grant_id)).modified).toBe(theirs.modified)
    })

    it('R3-01-4.11-19 R3-01-6.1.10-13 the last sub-Grant authorized makes its needs_sub_grants parent active', async () => {
      const parent = await newGrant({ status: 'needs_sub_grants' })
      const first = await newGrant({ parent: parent.grant_id })
      const second = await newGrant({ parent: parent.grant_id })
      api.clock.advance(60)
      expect((await authorizeCode(api.app, code, { cds_grant_id: first.grant_id })).error).toBeNull()
      // One sub-Grant still waits: the parent keeps waiting and enables nothing.
      expect(await getGrant(api.app, a.adminToken, parent.grant_id)).toMatchObject({ status: 'needs_sub_grants', enabled_scope: '', enabled_authorization_details: [] })
      api.clock.advance(60)
      expect((await authorizeCode(api.app, code, { cds_grant_id: second.grant_id })).error).toBeNull()
      const after = await getGrant(api.app, a.adminToken, parent.grant_id)
      expect(after).toMatchObject({ status: 'active', enabled_scope: DEMO_CODE_SCOPE })
      expect([...after.children].sort()).toEqual([first.grant_id, second.grant_id].sort())
      expect(after.enabled_authorization_details).toEqual(after.authorization_details)
      expect(await grantMessages(t.db, a.admin.client_id)).toContainEqual({ name: 'Grant active', related_uri: after.uri, type: 'notification' })
    })

    it('R1-02-8.3-07 an empty cds_grant_id is ignored: a new Grant is created', async () => {
      const before = (await listGrants(api.app, a.adminToken, `?client_ids=${code}`)).grants.length
      const result = await authorizeCode(api.app, code, { cds_grant_id: '' })
      expect(result.error).toBeNull()
      const grant_id = await codeGrantOf(result.code ?? '')
      expect((await listGrants(api.app, a.adminToken, `?client_ids=${code}`)).grants.length).toBe(before + 1)
      expect((await getGrant(api.app, a.adminToken, grant_id ?? '')).status).toBe('active')
    })
  })
})
