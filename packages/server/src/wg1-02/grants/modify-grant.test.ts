import { hashSecret } from '@cds-ts/auth'
import type { Grant } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, call, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { authorizeCode, expectError, getGrant, grantMessages, listGrants, oauthPost, secretFor } from '../../../test/grants-kit.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { DEMO_CODE_SCOPE } from '../../config/defaults.js'
import { GRANT_REVIEW_ETA_SECONDS } from './modify-grant.js'

/** A second code scope like the demo one, so one code Client object holds two scopes. */
const SECOND = `${DEMO_CODE_SCOPE}_2`
const BOTH = `${DEMO_CODE_SCOPE} ${SECOND}`

function twoCodeScopes(config: ServerConfig): void {
  const demo = config.oauth.scope_descriptions[DEMO_CODE_SCOPE]!
  config.oauth.scope_descriptions[SECOND] = {
    ...demo,
    id: SECOND,
    type: SECOND,
    authorization_details_types_supported: [SECOND],
    authorization_details_fields_supported: demo.authorization_details_fields_supported.map((f) => ({ ...f, for_types: [SECOND] })),
  }
  config.registration.group_scopes = true
}

forEachDialect('CDS-WG1-02 §8.6 Modifying Grants', (t) => {
  let api: ApiApp
  let a: TestRegistration
  let code: string
  let secret: string

  /** A fresh active Grant of the code client for both scopes, with its access token. */
  async function approvedGrant(extra: Record<string, string> = {}): Promise<{ grant: Grant; access_token: string }> {
    api.clock.advance(60)
    const result = await authorizeCode(api.app, code, { scope: BOTH, ...extra })
    const exchanged = await oauthPost(api.app, '/oauth/token', code, secret, { grant_type: 'authorization_code', code: result.code ?? '', code_verifier: result.code_verifier })
    expect(exchanged.statusCode).toBe(200)
    const grant_id = (await t.db.selectFrom('authorization_codes').select('grant_id').where('code_hash', '=', hashSecret(result.code ?? '')).executeTakeFirstOrThrow()).grant_id ?? ''
    api.clock.advance(60)
    return { grant: await getGrant(api.app, a.adminToken, grant_id), access_token: exchanged.json<{ access_token: string }>().access_token }
  }
  const patch = (grant: Grant, body: unknown) => call(api.app, 'PATCH', grant.uri, a.adminToken, body)
  const introspect = async (token: string) =>
    (await oauthPost(api.app, '/oauth/introspect', code, secret, { token })).json<{ active: boolean; scope?: string }>()
  const entryOf = (grant: Grant, type: string) => grant.authorization_details.find((e) => e.type === type) as Record<string, unknown> & { type: string }

  beforeAll(async () => {
    api = await buildApiApp(t.database, twoCodeScopes)
    a = await register(api.app, `cds_client_admin ${BOTH}`)
    const row = await t.db.selectFrom('clients').select('client_id').where('scope', '=', BOTH).where('cds_status', '=', 'sandbox').executeTakeFirstOrThrow()
    code = row.client_id
    secret = await secretFor(t.db, api.clock, api.config, code)
  })
  afterAll(async () => api.app.close())

  describe('CDS-WG1-02 §8.6 what a Client may send', () => {
    it('R1-02-8.6-01 R1-02-8.6-08 an empty body, or only members a Client cannot change, changes nothing (200)', async () => {
      const { grant } = await approvedGrant()
      const messages = (await grantMessages(t.db, a.admin.client_id)).length
      for (const body of [{}, { client_id: 'x', grant_id: 'y', created: '2020-01-01T00:00:00Z', enabled_scope: '', receipt_confirmations: ['Z'] }]) {
        const response = await patch(grant, body)
        expect(response.statusCode).toBe(200)
        expect(response.json()).toEqual(grant)
      }
      expect((await grantMessages(t.db, a.admin.client_id)).length).toBe(messages)
    })

    it('R1-02-8.6-02 a status other than closed is 400 invalid_request and changes nothing', async () => {
      const { grant } = await approvedGrant()
      for (const status of ['active', 'revoked', 'disabled', 'pending']) expectError(await patch(grant, { status }), 400, 'invalid_request')
      expect(await getGrant(api.app, a.adminToken, grant.grant_id)).toEqual(grant)
    })

    it('R1-02-8.6-07 invalid values are 400', async () => {
      const { grant } = await approvedGrant()
      expectError(await patch(grant, { scope: 123 }), 400, 'invalid_request')
      expectError(await patch(grant, { scope: 'cds_client_admin' }), 400, 'invalid_request')
      expectError(await patch(grant, { scope: 'a  b' }), 400, 'invalid_request')
      expectError(await patch(grant, { scope: '', authorization_details: [] }), 400, 'invalid_request')
      expectError(await patch(grant, { authorization_details: [{ type: DEMO_CODE_SCOPE, resolution: 'weekly' }] }), 400, 'invalid_authorization_details')
      expectError(await patch(grant, { authorization_details: 'all' }), 400, 'invalid_request')
      expectError(await call(api.app, 'PATCH', grant.uri, a.adminToken, 'not json'), 400, 'invalid_request')
      expect(await getGrant(api.app, a.adminToken, grant.grant_id)).toEqual(grant)
    })

    it('A-22 the Client Admin Grant cannot be closed', async () => {
      const { grants } = await listGrants(api.app, a.adminToken, `?scopes=cds_client_admin`)
      expect(grants).toHaveLength(1)
      expectError(await patch(grants[0] as Grant, { status: 'closed' }), 400, 'invalid_request')
      expect((await getGrant(api.app, a.adminToken, (grants[0] as Grant).grant_id)).status).toBe('active')
    })
  })

  describe('CDS-WG1-02 §8.6 closing', () => {
    it('R1-02-8.6-02 R1-02-8.2-04 closed: nothing enabled (A-21), tokens revoked, a Message written; then the Grant is final (A-23)', async () => {
      const { grant, access_token } = await approvedGrant()
      expect(await introspect(access_token)).toMatchObject({ active: true })
      // with status closed, other members are ignored.
      const response = await patch(grant, { status: 'closed', scope: DEMO_CODE_SCOPE })
      expect(response.statusCode).toBe(200)
      const closed = response.json<Grant>()
      expect(closed).toMatchObject({ status: 'closed', scope: BOTH, enabled_scope: '', enabled_authorization_details: [], eta: null })
      expect(closed.modified > grant.modified).toBe(true)
      // R1-02-8.2-07: closed by the Client, never revoked.
      expect(await introspect(access_token)).toEqual({ active: false })
      expect(await grantMessages(t.db, a.admin.client_id)).toContainEqual({ name: 'Grant closed', related_uri: grant.uri, type: 'notification' })
      // R1-02-8.4-12: the changed Grant lists first.
      expect((await listGrants(api.app, a.adminToken)).grants[0]?.grant_id).toBe(grant.grant_id)
      for (const body of [{ status: 'closed' }, { scope: DEMO_CODE_SCOPE }, {}]) expectError(await patch(closed, body), 400, 'invalid_request')
    })
  })

  describe('CDS-WG1-02 §8.6 scope and authorization_details', () => {
    it('R1-02-8.6-04 R1-02-8.6-09 a reduction applies at once: 200, status kept, enabled_scope the new scope, tokens narrowed', async () => {
      const { grant, access_token } = await approvedGrant()
      expect(grant.enabled_scope).toBe(BOTH)
      const kept = entryOf(grant, DEMO_CODE_SCOPE)
      const response = await patch(grant, { scope: DEMO_CODE_SCOPE, authorization_details: [kept] })
      expect(response.statusCode).toBe(200)
      expect(response.json<Grant>()).toMatchObject({
        status: 'active',
        scope: DEMO_CODE_SCOPE,
        enabled_scope: DEMO_CODE_SCOPE,
        authorization_details: [kept],
        enabled_authorization_details: [kept],
      })
      // R1-02-8.2-05: the token of the Grant keeps only what is still enabled.
      expect(await introspect(access_token)).toMatchObject({ active: true, scope: DEMO_CODE_SCOPE })
      expect(await grantMessages(t.db, a.admin.client_id)).toContainEqual({ name: 'Grant modified', related_uri: grant.uri, type: 'notification' })
    })

    it('R1-02-8.6-05 a wider scope needs authorization (200): enabled_scope stays the old one until cds_grant_id restores active', async () => {
      const { grant } = await approvedGrant({ scope: DEMO_CODE_SCOPE })
      expect(grant.scope).toBe(DEMO_CODE_SCOPE)
      const response = await patch(grant, { scope: BOTH })
      expect(response.statusCode).toBe(200)
      expect(response.json<Grant>()).toMatchObject({ status: 'needs_authorization', scope: BOTH, enabled_scope: DEMO_CODE_SCOPE, eta: null })
      expect(response.json<Grant>().enabled_authorization_details).toEqual(grant.enabled_authorization_details)
      // R1-02-8.3-01: the user authorizes the wider Grant.
      api.clock.advance(60)
      const result = await authorizeCode(api.app, code, { scope: BOTH, cds_grant_id: grant.grant_id })
      expect(result.error).toBeNull()
      expect(await getGrant(api.app, a.adminToken, grant.grant_id)).toMatchObject({ status: 'active', scope: BOTH, enabled_scope: BOTH })
    })

    it('R1-02-8.6-06 authorization_details: a later start_date is a reduction, a finer resolution needs authorization', async () => {
      const { grant } = await approvedGrant({ scope: DEMO_CODE_SCOPE })
      const entry = entryOf(grant, DEMO_CODE_SCOPE)
      const later = { ...entry, start_date: '2024-06-01' }
      const reduced = await patch(grant, { authorization_details: [later] })
      expect(reduced.statusCode).toBe(200)
      expect(reduced.json<Grant>()).toMatchObject({ status: 'active', authorization_details: [later], enabled_authorization_details: [later] })
      const wider = await patch(grant, { authorization_details: [{ ...later, resolution: 'hourly' }] })
      expect(wider.statusCode).toBe(200)
      expect(wider.json<Grant>()).toMatchObject({
        status: 'needs_authorization',
        authorization_details: [{ ...later, resolution: 'hourly' }],
        // The access already enabled stays until a user authorizes the rest.
        enabled_authorization_details: [later],
        enabled_scope: DEMO_CODE_SCOPE,
      })
      const earlier = await patch(grant, { authorization_details: [{ ...later, resolution: 'hourly', start_date: '2023-01-01' }] })
      expect(earlier.json<Grant>()).toMatchObject({ status: 'needs_authorization', enabled_authorization_details: [later] })
    })
  })
})

forEachDialect('CDS-WG1-02 §8.6 Modifying Grants under review', (t) => {
  let api: ApiApp
  let a: TestRegistration
  let code: string

  beforeAll(async () => {
    api = await buildApiApp(t.database, (config) => {
      twoCodeScopes(config)
      config.client_management.grant_changes_need_review = true
    })
    a = await register(api.app, `cds_client_admin ${BOTH}`)
    code = (await t.db.selectFrom('clients').select('client_id').where('scope', '=', BOTH).where('cds_status', '=', 'sandbox').executeTakeFirstOrThrow()).client_id
  })
  afterAll(async () => api.app.close())

  const approved = async (scope: string) => {
    const result = await authorizeCode(api.app, code, { scope })
    expect(result.error).toBeNull()
    const grant_id = (await t.db.selectFrom('authorization_codes').select('grant_id').where('code_hash', '=', hashSecret(result.code ?? '')).executeTakeFirstOrThrow()).grant_id ?? ''
    api.clock.advance(60)
    return getGrant(api.app, a.adminToken, grant_id)
  }

  it('R1-02-8.6-10 a reduction under review is 202 pending with an eta, keeping the current access', async () => {
    const grant = await approved(BOTH)
    const kept = grant.authorization_details.filter((e) => e.type === DEMO_CODE_SCOPE)
    const response = await call(api.app, 'PATCH', grant.uri, a.adminToken, { scope: DEMO_CODE_SCOPE, authorization_details: kept })
    expect(response.statusCode).toBe(202)
    const eta = new Date(api.clock.now().getTime() + GRANT_REVIEW_ETA_SECONDS * 1000).toISOString().replace('.000Z', 'Z')
    expect(response.json<Grant>()).toMatchObject({
      status: 'pending',
      scope: DEMO_CODE_SCOPE,
      authorization_details: kept,
      enabled_scope: BOTH,
      enabled_authorization_details: grant.enabled_authorization_details,
    })
    expect(response.json<Grant>().eta?.replace('.000Z', 'Z')).toBe(eta)
    expect(await grantMessages(t.db, a.admin.client_id)).toContainEqual({ name: 'Grant change under review', related_uri: grant.uri, type: 'notification' })
  })

  it('A-23 a widening needs the user first: 200 needs_authorization even under review', async () => {
    const grant = await approved(DEMO_CODE_SCOPE)
    const response = await call(api.app, 'PATCH', grant.uri, a.adminToken, { scope: BOTH })
    expect(response.statusCode).toBe(200)
    expect(response.json<Grant>()).toMatchObject({ status: 'needs_authorization', enabled_scope: DEMO_CODE_SCOPE, eta: null })
    expect(response.json<Grant>().uri).toBe(`${API_BASE_URL}/api/grants/${grant.grant_id}`)
  })
})
