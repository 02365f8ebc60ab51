import { nowSeconds } from '@cds-ts/auth'
import type { Client, Credential } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, buildApiApp, call, clientCredentialsToken, operator, register, type ApiApp, type TestRegistration } from '../../test/api-app.js'
import { forEachDialect } from '../../test/dialects.js'
import { clientMessages, clientObjects } from '../../test/operator-helpers.js'
import { DEMO_CODE_SCOPE } from '../config/defaults.js'

interface Listed {
  registration_id: string
  client: Client
}

forEachDialect('operator Credentials and Client objects', (t) => {
  let api: ApiApp
  let acme: TestRegistration
  let clients: Client[]
  /** The Client object of a scope; for the code scope, the sandbox one (A-46 also makes a production twin). */
  const clientWith = (scope: string) => {
    const found = clients.find((c) => c.scope.split(' ').includes(scope) && (scope !== DEMO_CODE_SCOPE || c.cds_status === 'sandbox'))
    if (found === undefined) throw new Error(`no Client object with ${scope}`)
    return found
  }
  const credentialsOf = async (client_id: string) =>
    (await call(api.app, 'GET', `/api/credentials?client_ids=${client_id}`, acme.adminToken)).json<{ credentials: Credential[] }>().credentials

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    acme = await register(api.app)
    clients = await clientObjects(api, acme)
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('CDS-WG1-02 §7.6 expiring a leaked Credential', () => {
    it('R1-02-7.6-09 R1-02-7.6-06 the secret expires now, its tokens are revoked, and the Client reads why', async () => {
      // A second secret of the admin Client object (CDS-WG1-02 §7.5), leaked; the first keeps the registration reachable.
      const created = await call(api.app, 'POST', '/api/credentials', acme.adminToken, { client_id: acme.admin.client_id })
      expect(created.statusCode).toBe(201)
      const credential = created.json<Credential>()
      const secret = credential.client_secret ?? ''
      const token = await clientCredentialsToken(api.app, acme.admin.client_id, secret, 'cds_client_admin')
      expect((await call(api.app, 'GET', '/api/clients', token)).statusCode).toBe(200)

      api.clock.advance(30)
      const response = await operator(api.app, 'POST', `/operator/credentials/${credential.credential_id}/expire`, { reason: 'It was posted publicly.' })
      expect(response.statusCode).toBe(200)
      expect(response.headers['cache-control']).toBe('no-store')
      const expired = response.json<{ registration_id: string; credential: Credential }>().credential
      expect(expired.client_secret_expires_at).toBe(nowSeconds(api.clock))
      expect(expired.client_secret).toBe(secret)

      const refused = await api.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(acme.admin.client_id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      })
      expect(refused.statusCode).toBe(401)
      expect(refused.json()).toMatchObject({ error: 'invalid_client' })
      // The token obtained with the leaked secret no longer works; the registration's other secret does.
      expect((await call(api.app, 'GET', '/api/clients', token)).statusCode).toBe(401)
      const seen = (await credentialsOf(acme.admin.client_id)).find((c) => c.credential_id === credential.credential_id)
      expect(seen?.client_secret_expires_at).toBe(expired.client_secret_expires_at)
      const message = (await clientMessages(api, acme)).find((m) => m.name === 'Credential expired')
      expect(message).toMatchObject({ type: 'notification', related_type: 'credential', related_uri: credential.uri })
      expect(message?.description).toMatch(/It was posted publicly\./)
    })

    it('expiring it again changes nothing; an unknown Credential is 404', async () => {
      const credential = (await credentialsOf(acme.admin.client_id)).find((c) => c.client_secret_expires_at !== 0)!
      const before = (await clientMessages(api, acme)).length
      api.clock.advance(30)
      const again = await operator(api.app, 'POST', `/operator/credentials/${credential.credential_id}/expire`)
      expect(again.statusCode).toBe(200)
      expect(again.json<{ credential: Credential }>().credential.client_secret_expires_at).toBe(credential.client_secret_expires_at)
      expect(await clientMessages(api, acme)).toHaveLength(before)
      const unknown = await operator(api.app, 'POST', '/operator/credentials/nope/expire')
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json()).toMatchObject({ error: 'not_found' })
    })
  })

  describe('CDS-WG1-02 §5.2 disabling and enabling Client objects', () => {
    it('A-16 disabling shows the disable time on its Credentials and tells the Client; enabling restores them', async () => {
      const code = clientWith(DEMO_CODE_SCOPE)
      api.clock.advance(60)
      const response = await operator(api.app, 'POST', `/operator/clients/${code.client_id}/status`, { status: 'disabled', reason: 'Abuse report.' })
      expect(response.statusCode).toBe(200)
      expect(response.json<Listed>().client).toMatchObject({ client_id: code.client_id, cds_status: 'disabled' })
      const [credential] = await credentialsOf(code.client_id)
      expect(credential?.client_secret_expires_at).toBe(nowSeconds(api.clock))
      const got = await call(api.app, 'GET', code.cds_client_uri, acme.adminToken)
      expect(got.json<Client>().cds_status).toBe('disabled')
      expect((await clientMessages(api, acme)).find((m) => m.name === 'Client object disabled')).toMatchObject({ related_type: 'client', related_uri: code.cds_client_uri })

      const enabled = await operator(api.app, 'POST', `/operator/clients/${code.client_id}/status`, { status: code.cds_status })
      expect(enabled.statusCode).toBe(200)
      expect(enabled.json<Listed>().client.cds_status).toBe(code.cds_status)
      expect((await credentialsOf(code.client_id))[0]?.client_secret_expires_at).toBe(0)
      expect((await clientMessages(api, acme)).some((m) => m.name === 'Client object enabled')).toBe(true)
    })

    it('refuses a status outside the options, disabling the admin object, and an unknown client', async () => {
      const code = clientWith(DEMO_CODE_SCOPE)
      const outside = await operator(api.app, 'POST', `/operator/clients/${code.client_id}/status`, { status: code.cds_status === 'sandbox' ? 'production' : 'sandbox' })
      expect(outside.statusCode).toBe(400)
      const admin = await operator(api.app, 'POST', `/operator/clients/${acme.admin.client_id}/status`, { status: 'disabled' })
      expect(admin.statusCode).toBe(400)
      expect(admin.json<{ error_description: string }>().error_description).toMatch(/cds_client_admin/)
      const unknown = await operator(api.app, 'POST', '/operator/clients/nope/status', { status: 'disabled' })
      expect(unknown.statusCode).toBe(404)
    })

    it('lists Client objects with their registration and filters by status', async () => {
      const response = await operator(api.app, 'GET', `/operator/clients?client_ids=${acme.admin.client_id}%20${clientWith(DEMO_CODE_SCOPE).client_id}`)
      expect(response.statusCode).toBe(200)
      const listed = response.json<{ clients: Listed[] }>().clients
      expect(listed.map((l) => l.client.client_id).sort()).toEqual([acme.admin.client_id, clientWith(DEMO_CODE_SCOPE).client_id].sort())
      expect(new Set(listed.map((l) => l.registration_id)).size).toBe(1)
      expect((await operator(api.app, 'GET', '/operator/clients?statuses=retired')).statusCode).toBe(400)
    })
  })

  describe('CDS-WG1-02 §5.1 Scope Description overrides', () => {
    it('R1-02-5.1-14 narrowing a scope points cds_server_metadata at the object’s own metadata; null restores the public one', async () => {
      const code = clientWith(DEMO_CODE_SCOPE)
      const response = await operator(api.app, 'PUT', `/operator/clients/${code.client_id}/scope-overrides`, {
        scope_overrides: { [DEMO_CODE_SCOPE]: { coverages_supported: ['demo-commercial-gas'] } },
      })
      expect(response.statusCode).toBe(200)
      const narrowed = response.json<Listed>().client
      expect(narrowed.cds_server_metadata).not.toBe(code.cds_server_metadata)
      const metadata = await call(api.app, 'GET', narrowed.cds_server_metadata, acme.adminToken)
      expect(metadata.statusCode).toBe(200)
      const asm = await call(api.app, 'GET', metadata.json<{ oauth_metadata: string }>().oauth_metadata, acme.adminToken)
      const sd = asm.json<{ cds_scope_descriptions: Record<string, { coverages_supported: string[] }> }>().cds_scope_descriptions[DEMO_CODE_SCOPE]
      expect(sd?.coverages_supported).toEqual(['demo-commercial-gas'])
      expect((await clientMessages(api, acme)).some((m) => m.name === 'Client object modified' && m.related_uri === code.cds_client_uri)).toBe(true)

      const cleared = await operator(api.app, 'PUT', `/operator/clients/${code.client_id}/scope-overrides`, { scope_overrides: null })
      expect(cleared.json<Listed>().client.cds_server_metadata).toBe(code.cds_server_metadata)
      const foreign = await operator(api.app, 'PUT', `/operator/clients/${code.client_id}/scope-overrides`, { scope_overrides: { cds_client_admin: { name: 'x' } } })
      expect(foreign.statusCode).toBe(400)
      const unknown = await operator(api.app, 'PUT', '/operator/clients/nope/scope-overrides', { scope_overrides: null })
      expect(unknown.statusCode).toBe(404)
    })
  })
})
