import { hashSecret } from '@cds-ts/auth'
import type { Grant, ScopeDescription } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { authorizeCode, clientsByScope, expectError, getGrant, grantMessages, listGrants, oauthPost, secretFor } from '../../../test/grants-kit.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_GRANT_ADMIN_SCOPE, grantAdminScope } from '../../config/defaults.js'
import { changeGrantStatus } from './grant-changes.js'

/** A second Grant Admin scope, and a code scope whose Grants it (not the first) reaches. */
const GA2 = 'cds_grant_admin_2'
const OTHER_CODE = 'demo_usage_data_other'

function secondGrantAdmin(config: ServerConfig): void {
  const demo = config.oauth.scope_descriptions[DEMO_CODE_SCOPE]!
  config.oauth.scope_descriptions[GA2] = grantAdminScope(API_BASE_URL, GA2)
  config.oauth.scope_descriptions[OTHER_CODE] = {
    ...demo,
    id: OTHER_CODE,
    type: OTHER_CODE,
    grant_admin_scope: GA2,
    authorization_details_types_supported: [OTHER_CODE],
    authorization_details_fields_supported: demo.authorization_details_fields_supported.map((f) => ({ ...f, for_types: [OTHER_CODE] })),
  }
}

interface Party {
  reg: TestRegistration
  clients: Map<string, string>
  secrets: Map<string, string>
}

forEachDialect('CDS-WG1-02 §3.3.2 Grant Admin Scope', (t) => {
  let api: ApiApp
  let a: Party
  let b: Party
  let codeGrant: Grant
  let codeAccess: string

  async function party(): Promise<Party> {
    const reg = await register(api.app, `cds_client_admin ${DEMO_CODE_SCOPE} ${DEMO_DIRECT_SCOPE} ${OTHER_CODE}`)
    const clients = await clientsByScope(t.db, reg.admin.client_id)
    const secrets = new Map<string, string>()
    for (const scope of [DEMO_CODE_SCOPE, DEMO_GRANT_ADMIN_SCOPE, GA2, OTHER_CODE]) {
      secrets.set(scope, await secretFor(t.db, api.clock, api.config, clients.get(scope) ?? ''))
    }
    return { reg, clients, secrets }
  }
  const id = (p: Party, scope: string) => p.clients.get(scope) ?? ''
  /** A user-approved Grant of a code scope, with its access token. */
  async function approved(p: Party, scope: string): Promise<{ grant: Grant; access_token: string }> {
    const client_id = id(p, scope)
    const result = await authorizeCode(api.app, client_id)
    const response = await oauthPost(api.app, '/oauth/token', client_id, p.secrets.get(scope) ?? '', {
      grant_type: 'authorization_code',
      code: result.code ?? '',
      code_verifier: result.code_verifier,
    })
    expect(response.statusCode).toBe(200)
    const row = await t.db.selectFrom('authorization_codes').select('grant_id').where('code_hash', '=', hashSecret(result.code ?? '')).executeTakeFirstOrThrow()
    return { grant: await getGrant(api.app, p.reg.adminToken, row.grant_id ?? ''), access_token: response.json<{ access_token: string }>().access_token }
  }
  /** A Grant Admin token request of party `p` through its Client object of scope `ga`. */
  const gaRequest = (p: Party, entries: unknown[], ga = DEMO_GRANT_ADMIN_SCOPE, scope?: string) =>
    oauthPost(api.app, '/oauth/token', id(p, ga), p.secrets.get(ga) ?? '', {
      grant_type: 'client_credentials',
      authorization_details: JSON.stringify(entries),
      ...(scope === undefined ? {} : { scope }),
    })
  const entry = (grant: Grant, type = DEMO_GRANT_ADMIN_SCOPE) => ({ type, client_id: grant.client_id, grant_id: grant.grant_id })
  const introspect = async (token: string) =>
    (await oauthPost(api.app, '/oauth/introspect', id(a, DEMO_CODE_SCOPE), a.secrets.get(DEMO_CODE_SCOPE) ?? '', { token })).json<{ active: boolean; scope?: string }>()
  const refused = (response: Awaited<ReturnType<typeof gaRequest>>) => {
    expectError(response, 400, 'invalid_authorization_details')
    expect(response.headers['cache-control']).toBe('no-store')
  }

  beforeAll(async () => {
    api = await buildApiApp(t.database, secondGrantAdmin)
    a = await party()
    b = await party()
    ;({ grant: codeGrant, access_token: codeAccess } = await approved(a, DEMO_CODE_SCOPE))
  })
  afterAll(async () => api.app.close())

  describe('CDS-WG1-02 §3.3.2 Grant Admin tokens', () => {
    it('R1-02-3.3.2-05 R1-02-3.3.2-09 one entry, with or without scope, gives a Bearer token bound to the Grant', async () => {
      for (const scope of [undefined, DEMO_GRANT_ADMIN_SCOPE]) {
        const response = await gaRequest(a, [entry(codeGrant)], DEMO_GRANT_ADMIN_SCOPE, scope)
        expect(response.statusCode).toBe(200)
        expect(response.headers['cache-control']).toBe('no-store')
        const body = response.json<{ access_token: string; token_type: string; expires_in: number; scope: string; authorization_details: unknown[] }>()
        expect(body.token_type.toLowerCase()).toBe('bearer')
        expect(body.expires_in).toBeGreaterThan(0)
        expect(body.scope).toBe(DEMO_GRANT_ADMIN_SCOPE)
        expect(body.authorization_details).toEqual([entry(codeGrant)])
        expect(body).not.toHaveProperty('refresh_token')
        expect(await introspect(body.access_token)).toMatchObject({ active: true })
      }
    })

    it('R1-02-3.3.2-06 the Client Admin object cannot ask for a Grant Admin token', async () => {
      const response = await oauthPost(api.app, '/oauth/token', a.reg.admin.client_id, a.reg.admin.client_secret, {
        grant_type: 'client_credentials',
        authorization_details: JSON.stringify([entry(codeGrant)]),
      })
      expect(response.statusCode).toBe(400)
      expect(['invalid_authorization_details', 'invalid_scope', 'unauthorized_client']).toContain(response.json<{ error: string }>().error)
    })

    it('R1-02-3.3.2-07 anything but exactly one entry with client_id and grant_id is refused', async () => {
      refused(await gaRequest(a, [entry(codeGrant), entry(codeGrant)]))
      refused(await gaRequest(a, [{ type: DEMO_GRANT_ADMIN_SCOPE, client_id: codeGrant.client_id }]))
      refused(await gaRequest(a, [{ type: DEMO_GRANT_ADMIN_SCOPE, grant_id: codeGrant.grant_id }]))
      refused(await gaRequest(a, [{ ...entry(codeGrant), extra: 'x' }]))
      expectError(await gaRequest(a, []), 400, 'invalid_request')
    })

    it('R1-02-3.3.2-08 refused: another client_id, a Grant without enabled scope, a scope without this Grant Admin scope, an unknown Grant', async () => {
      const description = (r: Awaited<ReturnType<typeof gaRequest>>) => r.json<{ error_description: string }>().error_description
      const wrongClient = await gaRequest(a, [{ ...entry(codeGrant), client_id: id(a, DEMO_DIRECT_SCOPE) }])
      refused(wrongClient)
      // (c): the direct-access Grant of the registration names no Grant Admin scope.
      const { grants } = await listGrants(api.app, a.reg.adminToken, `?client_ids=${id(a, DEMO_DIRECT_SCOPE)}`)
      refused(await gaRequest(a, [entry(grants[0] as Grant)]))
      const unknown = await gaRequest(a, [{ ...entry(codeGrant), grant_id: 'no-such-grant' }])
      refused(unknown)
      // every refusal reads the same, so nothing leaks about Grants out of reach.
      expect(description(wrongClient)).toBe(description(unknown))
    })

    it('R1-02-3.3.2-08 A-07 a Grant of another registration is refused like an unknown one', async () => {
      const { grant: theirs } = await approved(b, DEMO_CODE_SCOPE)
      refused(await gaRequest(a, [entry(theirs)]))
      // Its own registration reaches it.
      expect((await gaRequest(b, [entry(theirs)])).statusCode).toBe(200)
    })

    it('R1-02-3.3.2-10 R1-02-3.3.2-08 with two Grant Admin scopes, only the one the Grant’s scope names works', async () => {
      const { grant } = await approved(a, OTHER_CODE)
      refused(await gaRequest(a, [entry(grant, DEMO_GRANT_ADMIN_SCOPE)]))
      const response = await gaRequest(a, [entry(grant, GA2)], GA2)
      expect(response.statusCode).toBe(200)
      expect(response.json<{ scope: string }>().scope).toBe(GA2)
    })

    it('R1-02-3.3.2-11 every Scope Description with a grant_admin_scope names a Grant Admin Scope Description', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })
      const scopes = response.json<{ cds_scope_descriptions: Record<string, ScopeDescription> }>().cds_scope_descriptions
      const linked = Object.values(scopes).filter((s) => s.grant_admin_scope !== null)
      expect(linked.map((s) => s.id).sort()).toEqual(expect.arrayContaining([DEMO_CODE_SCOPE, OTHER_CODE]))
      for (const s of linked) expect(scopes[s.grant_admin_scope ?? '']?.type).toBe('cds_grant_admin')
    })
  })

  describe('CDS-WG1-02 §8.2 access follows the status', () => {
    it('R1-02-8.2-02 a pending Grant keeps its access and shows its eta', async () => {
      const { grant, access_token } = await approved(a, DEMO_CODE_SCOPE)
      const pending = await changeGrantStatus(t.db, api.clock, api.config, grant.grant_id, 'pending', { eta: '2025-02-01T00:00:00Z' })
      expect(pending).toMatchObject({ status: 'pending', eta: '2025-02-01T00:00:00Z', enabled_scope: DEMO_CODE_SCOPE })
      expect(await introspect(access_token)).toMatchObject({ active: true })
      expect((await gaRequest(a, [entry(grant)])).statusCode).toBe(200)
      // R1-02-8.1-07: eta only while pending.
      expect((await changeGrantStatus(t.db, api.clock, api.config, grant.grant_id, 'delayed')).eta).toBeNull()
    })

    it('R1-02-8.2-04 R1-02-6-01 suspended, disabled, revoked, expired, future: no access, tokens revoked, a Message each', async () => {
      for (const status of ['suspended', 'future', 'revoked', 'expired', 'disabled'] as const) {
        const { grant, access_token } = await approved(a, DEMO_CODE_SCOPE)
        const ga = (await gaRequest(a, [entry(grant)])).json<{ access_token: string }>().access_token
        const options = status === 'future' ? { not_before: '2026-01-01T00:00:00Z', reason: 'Meter work.' } : { reason: 'Meter work.' }
        api.clock.advance(1)
        const changed = await changeGrantStatus(t.db, api.clock, api.config, grant.grant_id, status, options)
        expect(changed).toMatchObject({ status, enabled_scope: '', enabled_authorization_details: [], eta: null })
        expect(await introspect(access_token)).toEqual({ active: false })
        expect(await introspect(ga)).toEqual({ active: false })
        refused(await gaRequest(a, [entry(grant)]))
        const shown = await getGrant(api.app, a.reg.adminToken, grant.grant_id)
        expect(shown).toMatchObject({ status, enabled_scope: '' })
        if (status === 'expired') expect(shown.not_after).toBe(shown.modified)
        if (status === 'future') expect(shown.not_before).toBe('2026-01-01T00:00:00Z')
        const messages = await grantMessages(t.db, a.reg.admin.client_id)
        expect(messages).toContainEqual({ name: `Grant ${status}`, related_uri: grant.uri, type: 'notification' })
      }
    })

    it('A-21 a suspended Grant that becomes active again has its access back (old tokens stay revoked)', async () => {
      const { grant, access_token } = await approved(a, DEMO_CODE_SCOPE)
      await changeGrantStatus(t.db, api.clock, api.config, grant.grant_id, 'suspended')
      const back = await changeGrantStatus(t.db, api.clock, api.config, grant.grant_id, 'active')
      expect(back).toMatchObject({ status: 'active', enabled_scope: grant.scope, enabled_authorization_details: grant.authorization_details })
      expect(await introspect(access_token)).toEqual({ active: false })
      expect((await gaRequest(a, [entry(grant)])).statusCode).toBe(200)
    })

    it('R1-02-8.2-05 a partial Grant limits its tokens to the enabled access', async () => {
      const enabled = { enabled_scope: '', enabled_authorization_details: codeGrant.authorization_details }
      const partial = await changeGrantStatus(t.db, api.clock, api.config, codeGrant.grant_id, 'partial', { enabled })
      expect(partial).toMatchObject({ status: 'partial', scope: DEMO_CODE_SCOPE, ...enabled })
      // The entry's type still stands for the scope, so the token keeps it through the entry.
      expect(await introspect(codeAccess)).toMatchObject({ active: true, scope: DEMO_CODE_SCOPE })
      const none = await changeGrantStatus(t.db, api.clock, api.config, codeGrant.grant_id, 'partial', { enabled: { enabled_scope: '', enabled_authorization_details: [] } })
      expect(none.enabled_scope).toBe('')
      expect(await introspect(codeAccess)).toEqual({ active: false })
    })

    it('changeGrantStatus: an unknown Grant is not_found; a future Grant needs not_before', async () => {
      await expect(changeGrantStatus(t.db, api.clock, api.config, 'no-such-grant', 'suspended')).rejects.toMatchObject({ error: 'not_found' })
      const { grant } = await approved(a, DEMO_CODE_SCOPE)
      await expect(changeGrantStatus(t.db, api.clock, api.config, grant.grant_id, 'future')).rejects.toMatchObject({ error: 'invalid_request' })
      expect((await getGrant(api.app, a.reg.adminToken, grant.grant_id)).status).toBe('active')
    })
  })
})
