import { toDateTime } from '@cds-ts/auth'
import { AuthorizationServerMetadata, checkStrict, Client, ClientListing, OAuthErrorResponse, ServerMetadata, type Credential } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, call, clientCredentialsToken, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { client as clientFixture } from '../../../test/records.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_FILES_SCOPE } from '../../config/defaults.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { setScopeOverrides } from './scope-overrides.js'

const CLIENTS = `${API_BASE_URL}/api/clients`

forEachDialect('CDS-WG1-02 §5 Clients API', (t) => {
  let api: ApiApp
  let a: TestRegistration
  let b: TestRegistration
  const list = async (reg: TestRegistration, query = '') => {
    const response = await call(api.app, 'GET', `/api/clients${query}`, reg.adminToken)
    expect(response.statusCode).toBe(200)
    return response.json<ClientListing>()
  }
  const byScope = async (reg: TestRegistration, scope: string, status?: string) => {
    const found = (await list(reg)).clients.find((c) => c.scope === scope && (status === undefined || c.cds_status === status))
    if (found === undefined) throw new Error(`no ${scope} object`)
    return found
  }

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    a = await register(api.app)
    api.clock.advance(10)
    b = await register(api.app)
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('CDS-WG1-02 §5 authentication', () => {
    it('R1-02-5-01 no token: 401 with a bare Bearer challenge', async () => {
      const response = await call(api.app, 'GET', '/api/clients', undefined)
      expect(response.statusCode).toBe(401)
      expect(response.headers['www-authenticate']).toBe(`Bearer realm="${API_BASE_URL}"`)
      expect(response.json()).toMatchObject({ error: 'invalid_token' })
    })

    it('R1-02-5-01 an unknown token: 401 invalid_token', async () => {
      const response = await call(api.app, 'GET', '/api/clients', 'not-a-real-token')
      expect(response.statusCode).toBe(401)
      expect(response.headers['www-authenticate']).toContain('error="invalid_token"')
      expect(checkStrict(OAuthErrorResponse, response.json())).toEqual([])
    })

    it('R1-02-5-01 a token without cds_client_admin: 403 insufficient_scope', async () => {
      const direct = await byScope(a, DEMO_DIRECT_SCOPE)
      const secrets = await call(api.app, 'GET', `/api/credentials?client_ids=${direct.client_id}`, a.adminToken)
      const [credential] = secrets.json<{ credentials: Credential[] }>().credentials
      const token = await clientCredentialsToken(api.app, direct.client_id, credential?.client_secret ?? '', undefined, [{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-1'] }])
      const response = await call(api.app, 'GET', '/api/clients', token)
      expect(response.statusCode).toBe(403)
      expect(response.json()).toMatchObject({ error: 'insufficient_scope' })
      expect(response.headers['www-authenticate']).toContain('scope="cds_client_admin"')
    })
  })

  describe('CDS-WG1-02 §5.1 Client Object Format', () => {
    it('R1-02-5.1-01..04 every object has the required fields and no secret', async () => {
      const { clients } = await list(a)
      expect(clients.length).toBeGreaterThanOrEqual(5)
      for (const client of clients) {
        expect(checkStrict(Client, client)).toEqual([])
        for (const field of ['client_id', 'client_id_issued_at', 'scope', 'redirect_uris', 'token_endpoint_auth_method', 'grant_types', 'response_types', 'client_name', 'contacts', 'authorization_details_types']) {
          expect(client).toHaveProperty(field)
        }
        expect(client).not.toHaveProperty('client_secret')
        expect(client).not.toHaveProperty('client_secret_expires_at')
        expect(client).not.toHaveProperty('registration_id')
        expect(client).not.toHaveProperty('registration_fields')
      }
    })

    it('R1-02-5.1-08 cds_client_uri is unique and GET there returns the same object (R1-02-5.4-01)', async () => {
      const { clients } = await list(a)
      expect(new Set(clients.map((c) => c.cds_client_uri)).size).toBe(clients.length)
      for (const client of clients) {
        expect(client.cds_client_uri).toBe(`${CLIENTS}/${client.client_id}`)
        const response = await call(api.app, 'GET', client.cds_client_uri, a.adminToken)
        expect(response.statusCode).toBe(200)
        expect(response.json()).toEqual(client)
      }
    })

    it('R1-02-5.1-11, -12 only non-admin objects offer disabled', async () => {
      for (const client of (await list(a)).clients) {
        if (client.scope === 'cds_client_admin') expect(client.cds_status_options).toEqual(['production'])
        else expect(client.cds_status_options).toContain('disabled')
      }
    })

    it('R1-02-5.1-15 without overrides cds_server_metadata is the public metadata', async () => {
      for (const client of (await list(a)).clients) expect(client.cds_server_metadata).toBe(`${API_BASE_URL}/.well-known/cds-server-metadata.json`)
    })

    it('R1-02-5.1-06 cds_created never changes across reads', async () => {
      const first = (await list(a)).clients.map((c) => [c.client_id, c.cds_created])
      api.clock.advance(5)
      expect((await list(a)).clients.map((c) => [c.client_id, c.cds_created])).toEqual(first)
    })
  })

  describe('CDS-WG1-02 §5.3 Listing Client Objects', () => {
    it('R1-02-5.3-01, -04 a listing object with next and previous present and null on a single page', async () => {
      const body = await list(a)
      expect(checkStrict(ClientListing, body)).toEqual([])
      expect(body.next).toBeNull()
      expect(body.previous).toBeNull()
    })

    it('R1-02-5.3-02 (R1-02-X-01) each registration sees only its own objects', async () => {
      const ofA = new Set((await list(a)).clients.map((c) => c.client_id))
      const ofB = (await list(b)).clients.map((c) => c.client_id)
      expect(ofA.has(a.admin.client_id)).toBe(true)
      expect(ofB).toContain(b.admin.client_id)
      expect(ofB.filter((id) => ofA.has(id))).toEqual([])
    })

    it('R1-02-5.3-05 client_ids filters to those ids; unknown and foreign ids find nothing', async () => {
      const [first, second] = (await list(a)).clients
      const ids = `${first?.client_id} ${second?.client_id}`
      const filtered = await list(a, `?client_ids=${encodeURIComponent(`${ids} unknown-id ${b.admin.client_id}`)}`)
      expect(filtered.clients.map((c) => c.client_id).sort()).toEqual([first?.client_id, second?.client_id].sort())
      // R1-02-X-10: `+` and `%20` both separate; an empty value is no filter.
      const plus = await list(a, `?client_ids=${first?.client_id}+${second?.client_id}`)
      expect(plus.clients).toEqual(filtered.clients)
      expect((await list(a, '?client_ids=')).clients).toHaveLength((await list(a)).clients.length)
      expect((await list(a, `?client_ids=${b.admin.client_id}`)).clients).toEqual([])
    })

    it('R1-02-5.3-06 newest cds_modified first', async () => {
      const { clients } = await list(a)
      for (let i = 1; i < clients.length; i++) {
        const [prev, cur] = [clients[i - 1] as Client, clients[i] as Client]
        expect(Date.parse(prev.cds_modified)).toBeGreaterThanOrEqual(Date.parse(cur.cds_modified))
        if (prev.cds_modified === cur.cds_modified) expect(prev.client_id > cur.client_id).toBe(true)
      }
    })

    it('R1-02-5.3-03 (R1-02-X-09) pages of at most 100 whose links keep the filters and cover everything once', async () => {
      const c = await register(api.app, 'cds_client_admin')
      const caller = (await list(c)).clients[0] as Client
      const store = new KyselyAuthStore(t.db)
      const registration_id = (await t.db.selectFrom('clients').select('registration_id').where('client_id', '=', caller.client_id).executeTakeFirstOrThrow()).registration_id
      const extra: string[] = []
      for (let i = 0; i < 130; i++) {
        const client_id = `bulk-${t.dialect}-${String(i).padStart(3, '0')}`
        extra.push(client_id)
        // Every third object shares a cds_modified, so the client_id tie-break is exercised.
        const modified = toDateTime(new Date(Date.parse('2024-06-01T00:00:00Z') + Math.floor(i / 3) * 1000))
        await store.clients.insert(clientFixture({ client_id, registration_id, cds_modified: modified, cds_created: modified }))
      }
      const filter = extra.slice(0, 120).join(' ')
      const seen: string[] = []
      let url: string | null = `/api/clients?client_ids=${encodeURIComponent(filter)}&unknown=kept`
      const pages: ClientListing[] = []
      while (url !== null) {
        const response = await call(api.app, 'GET', url, c.adminToken)
        expect(response.statusCode).toBe(200)
        const page: ClientListing = response.json<ClientListing>()
        expect(page.clients.length).toBeLessThanOrEqual(100)
        seen.push(...page.clients.map((x) => x.client_id))
        pages.push(page)
        if (page.next !== null) {
          const next = new URL(page.next)
          expect(next.origin).toBe(API_BASE_URL)
          expect(next.searchParams.get('client_ids')).toBe(filter)
          expect(next.searchParams.get('unknown')).toBe('kept')
        }
        url = page.next
      }
      expect(pages).toHaveLength(2)
      expect(seen).toHaveLength(120)
      expect(new Set(seen)).toEqual(new Set(extra.slice(0, 120)))
      // The order runs on across the page boundary, and `previous` leads back to the first page.
      expect(seen).toEqual([...extra.slice(0, 120)].reverse())
      expect(pages[0]?.previous).toBeNull()
      const back = await call(api.app, 'GET', pages[1]?.previous ?? '', c.adminToken)
      expect(back.json<ClientListing>().clients).toEqual(pages[0]?.clients)
    })

    it('R1-02-5.3-03 a cursor this server did not write is 400 invalid_request', async () => {
      const response = await call(api.app, 'GET', '/api/clients?cursor=bogus!', a.adminToken)
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ error: 'invalid_request' })
    })
  })

  describe('CDS-WG1-02 §5.4 Retrieving Individual Client Objects', () => {
    it('R1-02-X-02 an unknown client_id is 404 not_found', async () => {
      const response = await call(api.app, 'GET', '/api/clients/doesnotexist', a.adminToken)
      expect(response.statusCode).toBe(404)
      expect(response.json()).toEqual({ error: 'not_found', error_description: 'no Client object doesnotexist' })
    })

    it('R1-02-X-01 another registration’s object is 404 for GET and PUT', async () => {
      expect((await call(api.app, 'GET', `/api/clients/${b.admin.client_id}`, a.adminToken)).statusCode).toBe(404)
      const put = await call(api.app, 'PUT', `/api/clients/${b.admin.client_id}`, a.adminToken, { client_name: 'stolen' })
      expect(put.statusCode).toBe(404)
      expect(put.json()).toMatchObject({ error: 'not_found' })
      expect((await call(api.app, 'GET', `/api/clients/${b.admin.client_id}`, b.adminToken)).json()).toMatchObject({ client_name: 'Test Client' })
    })

    it('R1-02-X-05 DELETE on cds_client_uri is 405 with Allow; POST on the listing too', async () => {
      const response = await call(api.app, 'DELETE', `/api/clients/${a.admin.client_id}`, a.adminToken)
      expect(response.statusCode).toBe(405)
      expect(response.headers.allow).toBe('GET, HEAD, PUT')
      expect(response.json()).toMatchObject({ error: 'method_not_allowed' })
      const post = await call(api.app, 'POST', '/api/clients', a.adminToken, {})
      expect(post.statusCode).toBe(405)
      expect(post.headers.allow).toBe('GET, HEAD')
    })
  })

  describe('CDS-WG1-02 §5.1 client-specific metadata (cds_server_metadata)', () => {
    const narrowed = ['demo-commercial-gas']

    it('R1-02-5.1-13, -14 overrides lead to client-specific metadata with the narrowed values', async () => {
      const code = await byScope(a, DEMO_CODE_SCOPE, 'sandbox')
      const updated = await setScopeOverrides(t.db, api.clock, api.config, code.client_id, { [DEMO_CODE_SCOPE]: { coverages_supported: narrowed } })
      expect(updated.cds_server_metadata).toBe(`${CLIENTS}/${code.client_id}/cds-server-metadata.json`)
      const fetched = (await call(api.app, 'GET', code.cds_client_uri, a.adminToken)).json<Client>()
      expect(fetched).toEqual(updated)
      expect(Date.parse(fetched.cds_modified)).toBeGreaterThan(Date.parse(code.cds_modified))

      const cdsm = await call(api.app, 'GET', fetched.cds_server_metadata, a.adminToken)
      expect(cdsm.statusCode).toBe(200)
      const metadata = cdsm.json<ServerMetadata>()
      expect(checkStrict(ServerMetadata, metadata)).toEqual([])
      expect(metadata.cds_metadata_url).toBe(fetched.cds_server_metadata)
      expect(metadata.oauth_metadata).toBe(`${CLIENTS}/${code.client_id}/oauth-authorization-server`)

      const asm = await call(api.app, 'GET', metadata.oauth_metadata ?? '', a.adminToken)
      expect(asm.statusCode).toBe(200)
      const oauth = asm.json<AuthorizationServerMetadata>()
      expect(checkStrict(AuthorizationServerMetadata, oauth)).toEqual([])
      expect(oauth.cds_scope_descriptions[DEMO_CODE_SCOPE]?.coverages_supported).toEqual(narrowed)
      // A-41: issuer and endpoints stay the public ones; other scopes are untouched.
      const pub = (await api.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json<AuthorizationServerMetadata>()
      expect(oauth.issuer).toBe(pub.issuer)
      expect(oauth.token_endpoint).toBe(pub.token_endpoint)
      expect(oauth.cds_scope_descriptions[DEMO_DIRECT_SCOPE]).toEqual(pub.cds_scope_descriptions[DEMO_DIRECT_SCOPE])
      expect(pub.cds_scope_descriptions[DEMO_CODE_SCOPE]?.coverages_supported).toEqual(['demo-residential-electric', 'demo-commercial-gas'])

      // R1-02-5.3-07: the Server's change is in the changelog.
      const messages = await t.db.selectFrom('messages').selectAll().where('related_uri', '=', code.cds_client_uri).execute()
      expect(messages.map((m) => [m.type, m.status, m.related_type, m.creator, m.read])).toContainEqual(['notification', 'complete', 'client', null, false])
    })

    it('R1-02-5.1-16 without a token both documents answer 401 with a Bearer challenge', async () => {
      const code = await byScope(a, DEMO_CODE_SCOPE, 'sandbox')
      for (const url of [code.cds_server_metadata, `${CLIENTS}/${code.client_id}/oauth-authorization-server`]) {
        const response = await call(api.app, 'GET', url, undefined)
        expect(response.statusCode).toBe(401)
        expect(response.headers['www-authenticate']).toBe(`Bearer realm="${API_BASE_URL}"`)
      }
    })

    it('R1-02-X-01 another registration’s token gets 404', async () => {
      const code = await byScope(a, DEMO_CODE_SCOPE, 'sandbox')
      const response = await call(api.app, 'GET', code.cds_server_metadata, b.adminToken)
      expect(response.statusCode).toBe(404)
      expect(response.json()).toMatchObject({ error: 'not_found' })
    })

    it('setScopeOverrides refuses a scope the object lacks and an invalid result; null restores the public URL', async () => {
      const code = await byScope(a, DEMO_CODE_SCOPE, 'sandbox')
      await expect(setScopeOverrides(t.db, api.clock, api.config, code.client_id, { [DEMO_FILES_SCOPE]: { name: 'x' } })).rejects.toThrow(/is not a scope of the Client object/)
      await expect(setScopeOverrides(t.db, api.clock, api.config, code.client_id, { [DEMO_CODE_SCOPE]: { coverages_supported: 'x' as unknown as string[] } })).rejects.toThrow(
        /overridden Scope Description demo_usage_data is invalid/,
      )
      await expect(setScopeOverrides(t.db, api.clock, api.config, 'nobody', null)).rejects.toThrow(/no Client object nobody/)
      const restored = await setScopeOverrides(t.db, api.clock, api.config, code.client_id, null)
      expect(restored.cds_server_metadata).toBe(`${API_BASE_URL}/.well-known/cds-server-metadata.json`)
    })
  })
})
