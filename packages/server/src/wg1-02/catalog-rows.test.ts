/**
 * Catalog rows of CDS-WG1-02 §5–§8 that cut across the area tests: the object-level invariants
 * (no secret on a Client object, enum values, defaults of code clients, extra fields allowed,
 * no RFC 7592 fields), an operator-made Credential showing in the Credentials API, expired
 * Grants, and the Grant a code flow leaves.
 */
import { checkStrict, Client, ClientStatus, Credential, CredentialType, Grant, GrantStatus, type ClientListing } from '@cds-ts/schema'
import { Value } from 'typebox/value'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiApp, call, clientCredentialsToken, operator, register, type ApiApp, type TestRegistration } from '../../test/api-app.js'
import { forEachDialect } from '../../test/dialects.js'
import { authorizeCode, clientsByScope, listGrants } from '../../test/grants-kit.js'
import { DEMO_CODE_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../config/defaults.js'

forEachDialect('CDS-WG1-02 §5–§8 object invariants across the APIs', (t) => {
  let api: ApiApp
  let reg: TestRegistration
  let clients: Client[]

  beforeAll(async () => {
    api = await buildApiApp(t.database, (config) => {
      config.registration.production_access = 'review'
    })
    reg = await register(api.app)
    clients = (await call(api.app, 'GET', '/api/clients', reg.adminToken)).json<ClientListing>().clients
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('CDS-WG1-02 §5.1 Client Object Format', () => {
    it('R1-02-5.1-03, -04 no Client object outside the registration response carries client_secret or client_secret_expires_at', async () => {
      const one = await call(api.app, 'GET', clients[0]!.cds_client_uri, reg.adminToken)
      const put = await call(api.app, 'PUT', clients[0]!.cds_client_uri, reg.adminToken, one.json())
      for (const body of [...clients, one.json<Client>(), put.json<Client>()]) {
        expect(body).not.toHaveProperty('client_secret')
        expect(body).not.toHaveProperty('client_secret_expires_at')
      }
    })

    it('R1-02-5.1-09, -10, R1-02-5.2-01 cds_status and every cds_status_options value are Client statuses', () => {
      for (const client of clients) {
        expect(Value.Check(ClientStatus, client.cds_status)).toBe(true)
        for (const option of client.cds_status_options) expect(Value.Check(ClientStatus, option)).toBe(true)
        expect(checkStrict(Client, client)).toEqual([])
      }
    })

    it('R1-02-5.1-18, -19 a code Client object defaults to the server receipt redirect and no authorization details', () => {
      const code = clients.find((c) => c.scope === DEMO_CODE_SCOPE)!
      expect(code.response_types).toEqual(['code'])
      expect(code.cds_default_redirect_uri).toBe(code.redirect_uris[0])
      expect(code.cds_default_redirect_uri).toBe(`${api.config.base_url}${api.config.registration.receipt_path}`)
      expect(code.cds_default_authorization_details).toEqual([])
      expect(code.cds_default_scope).toBe(DEMO_CODE_SCOPE)
    })

    it('R1-02-5.1-21 the Client schema accepts server-added fields (extension), so clients must ignore them', () => {
      const admin = clients.find((c) => c.client_id === reg.admin.client_id)!
      expect(checkStrict(Client, { ...admin, cds_company_name: 'Acme Energy' })).toEqual([])
    })

    it('R1-02-5.4-02 RFC 7592 is not offered: no registration_client_uri or registration_access_token anywhere', () => {
      expect(reg.admin).not.toHaveProperty('registration_client_uri')
      expect(reg.admin).not.toHaveProperty('registration_access_token')
      for (const client of clients) expect(client).not.toHaveProperty('registration_client_uri')
    })
  })

  describe('CDS-WG1-02 §7 Credentials API', () => {
    it('R1-02-7-01 a Credential the operator creates (production approval) shows in the Credentials API', async () => {
      const sandbox = clients.find((c) => c.scope === DEMO_CODE_SCOPE)!
      const request = await call(api.app, 'POST', '/api/messages', reg.adminToken, {
        type: 'production_request',
        name: 'Go live',
        description: 'Please.',
        related_uri: sandbox.cds_client_uri,
      })
      expect(request.statusCode).toBe(201)
      const approved = await operator(api.app, 'POST', `/operator/messages/${request.json<{ message_id: string }>().message_id}/approve-production`, {})
      expect(approved.statusCode).toBeLessThan(300)
      const after = (await call(api.app, 'GET', '/api/clients', reg.adminToken)).json<ClientListing>().clients
      const production = after.find((c) => c.scope === DEMO_CODE_SCOPE && c.cds_status === 'production')!
      const listed = (await call(api.app, 'GET', `/api/credentials?client_ids=${production.client_id}`, reg.adminToken)).json<{ credentials: Credential[] }>()
      expect(listed.credentials).toHaveLength(1)
    })

    it('R1-02-7.1-03, R1-02-7.2-01 every Credential is of a known type with an integer expiry ≥ 0', async () => {
      const { credentials } = (await call(api.app, 'GET', '/api/credentials', reg.adminToken)).json<{ credentials: Credential[] }>()
      expect(credentials.length).toBeGreaterThan(0)
      for (const credential of credentials) {
        expect(Value.Check(CredentialType, credential.type)).toBe(true)
        expect(Number.isInteger(credential.client_secret_expires_at)).toBe(true)
        expect(credential.client_secret_expires_at).toBeGreaterThanOrEqual(0)
        expect(checkStrict(Credential, credential)).toEqual([])
      }
    })
  })

  describe('CDS-WG1-02 §8.1 Grant Object Format', () => {
    it('R1-02-8.1-13 after a code flow, the Grant names the code client and the default scope', async () => {
      const code = (await clientsByScope(t.db, reg.admin.client_id)).get(DEMO_CODE_SCOPE)!
      const { error } = await authorizeCode(api.app, code)
      expect(error).toBeNull()
      const { grants } = await listGrants(api.app, reg.adminToken, `?client_ids=${code}`)
      expect(grants).toHaveLength(1)
      expect(grants[0]).toMatchObject({ client_id: code, scope: DEMO_CODE_SCOPE, status: 'active' })
      expect(Value.Check(GrantStatus, grants[0]!.status)).toBe(true)
      expect(checkStrict(Grant, grants[0])).toEqual([])
    })

    it('R1-02-8.1-06 an expired Grant has a not_after at or before now, and gives no Grant Admin token', async () => {
      const code = (await clientsByScope(t.db, reg.admin.client_id)).get(DEMO_CODE_SCOPE)!
      const [grant] = (await listGrants(api.app, reg.adminToken, `?client_ids=${code}`)).grants
      api.clock.advance(30)
      const expired = await operator(api.app, 'POST', `/operator/grants/${grant!.grant_id}/status`, { status: 'expired' })
      expect(expired.statusCode).toBe(200)
      const [after] = (await listGrants(api.app, reg.adminToken, `?grant_ids=${grant!.grant_id}`)).grants
      expect(after!.status).toBe('expired')
      expect(after!.not_after).not.toBeNull()
      expect(Date.parse(after!.not_after!)).toBeLessThanOrEqual(api.clock.now().getTime())
      expect(after!.enabled_scope).toBe('')
      const ga = (await clientsByScope(t.db, reg.admin.client_id)).get(DEMO_GRANT_ADMIN_SCOPE)!
      const [credential] = (await call(api.app, 'GET', `/api/credentials?client_ids=${ga}`, reg.adminToken)).json<{ credentials: Credential[] }>().credentials
      await expect(
        clientCredentialsToken(api.app, ga, credential!.client_secret!, undefined, [{ type: DEMO_GRANT_ADMIN_SCOPE, client_id: code, grant_id: grant!.grant_id }]),
      ).rejects.toThrow(/invalid_authorization_details/)
    })
  })
})
