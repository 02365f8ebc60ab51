import { checkStrict, Client, type ClientListing, type Credential, type ScopeDescription } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, basic, buildApiApp, call, clientCredentialsToken, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../../config/defaults.js'

const RECEIPT = `${API_BASE_URL}/oauth/receipt`
const CALLBACK = 'https://client.example/cb'
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
const METER_DETAILS = [{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-1'] }]

/** Two more code scopes: one that fits a code object as it is, one whose addition needs review. */
function extraScopes(config: ServerConfig): void {
  const base = config.oauth.scope_descriptions[DEMO_CODE_SCOPE] as ScopeDescription
  const copy = (id: string, requirements: string[]): ScopeDescription => ({
    ...base,
    id,
    type: id,
    registration_requirements: requirements,
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: base.authorization_details_fields_supported.map((f) => ({ ...f, for_types: [id] })),
  })
  config.oauth.scope_descriptions.demo_usage_extra = copy('demo_usage_extra', ['company_name'])
  config.oauth.scope_descriptions.demo_usage_reviewed = copy('demo_usage_reviewed', ['company_name', 'manual_check'])
  config.oauth.registration_fields.manual_check = {
    id: 'manual_check',
    type: 'internal_review',
    description: 'A person at the utility checks the use case.',
    documentation: `${API_BASE_URL}/docs/oauth/registration#manual_check`,
  }
}

async function objects(app: FastifyInstance, reg: TestRegistration): Promise<Client[]> {
  return (await call(app, 'GET', '/api/clients', reg.adminToken)).json<ClientListing>().clients
}

async function pick(app: FastifyInstance, reg: TestRegistration, scope: string, status?: string): Promise<Client> {
  const found = (await objects(app, reg)).find((c) => c.scope === scope && (status === undefined || c.cds_status === status))
  if (found === undefined) throw new Error(`no ${scope} object`)
  return found
}

async function secretOf(app: FastifyInstance, reg: TestRegistration, client_id: string): Promise<string> {
  const response = await call(app, 'GET', `/api/credentials?client_ids=${client_id}`, reg.adminToken)
  return response.json<{ credentials: Credential[] }>().credentials[0]?.client_secret ?? ''
}

forEachDialect('CDS-WG1-02 §5.5 Modifying Client Objects', (t) => {
  let api: ApiApp
  let reg: TestRegistration
  const put = (client: Client, body: object) => call(api.app, 'PUT', client.cds_client_uri, reg.adminToken, body)
  const messagesAbout = (uri: string) => t.db.selectFrom('messages').selectAll().where('related_uri', '=', uri).orderBy('created').execute()
  const expect400 = async (client: Client, body: object, error: string, description?: RegExp) => {
    const response = await put(client, body)
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ error })
    if (description !== undefined) expect(response.json<{ error_description: string }>().error_description).toMatch(description)
    // R1-02-5.5-04: nothing changed.
    expect((await call(api.app, 'GET', client.cds_client_uri, reg.adminToken)).json()).toEqual(client)
  }

  beforeAll(async () => {
    api = await buildApiApp(t.database, extraScopes)
    reg = await register(api.app)
    api.clock.advance(60)
  })
  afterAll(async () => {
    await api.app.close()
  })

  it('R1-02-5.5-01 a PUT of the object as read: 200, unchanged, no changelog', async () => {
    const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
    const response = await put(code, code)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual(code)
    expect(await messagesAbout(code.cds_client_uri)).toEqual([])
  })

  it('R1-02-5.5-02 every mutable field can change (R1-02-5.1-07 cds_modified moves, R1-02-5.3-07 changelog)', async () => {
    const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
    const changes = {
      client_name: 'x',
      contacts: ['a@b.example'],
      client_uri: 'https://client.example/',
      logo_uri: 'https://client.example/logo.png',
      tos_uri: 'https://client.example/tos',
      policy_uri: 'https://client.example/policy',
      redirect_uris: [RECEIPT, CALLBACK],
      cds_default_redirect_uri: CALLBACK,
      cds_default_scope: DEMO_CODE_SCOPE,
      cds_default_authorization_details: [{ type: DEMO_CODE_SCOPE, resolution: 'hourly' }],
    }
    const response = await put(code, { ...code, ...changes })
    expect(response.statusCode).toBe(200)
    const updated = response.json<Client>()
    expect(checkStrict(Client, updated)).toEqual([])
    expect(updated).toEqual({ ...code, ...changes, cds_modified: updated.cds_modified })
    expect(Date.parse(updated.cds_modified)).toBeGreaterThan(Date.parse(code.cds_modified))
    expect((await call(api.app, 'GET', code.cds_client_uri, reg.adminToken)).json()).toEqual(updated)
    const [changelog] = await messagesAbout(code.cds_client_uri)
    expect(changelog).toMatchObject({ type: 'notification', status: 'complete', related_type: 'client', creator: null, read: false, name: 'Client object modified' })
    expect(changelog?.description).toContain('client_name')
  })

  it('R1-02-5.5-03 an added redirect URI is accepted by the authorization server', async () => {
    const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
    expect(code.redirect_uris).toContain(CALLBACK)
    const secret = await secretOf(api.app, reg, code.client_id)
    const par = (redirect_uri: string) =>
      api.app.inject({
        method: 'POST',
        url: '/oauth/par',
        headers: { authorization: basic(code.client_id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ response_type: 'code', client_id: code.client_id, redirect_uri, scope: DEMO_CODE_SCOPE, code_challenge: CHALLENGE, code_challenge_method: 'S256' }).toString(),
      })
    expect((await par(CALLBACK)).statusCode).toBe(201)
    expect((await par('https://elsewhere.example/cb')).statusCode).toBe(400)
  })

  it('R1-02-5.5-06 omitted mutable fields reset to the server defaults (A-18); omitted server-set fields stay', async () => {
    const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
    const response = await put(code, {})
    expect(response.statusCode).toBe(200)
    const reset = response.json<Client>()
    expect(reset).toEqual({
      ...code,
      client_name: code.client_id,
      contacts: [],
      client_uri: undefined,
      logo_uri: undefined,
      tos_uri: undefined,
      policy_uri: undefined,
      redirect_uris: [RECEIPT],
      cds_default_redirect_uri: RECEIPT,
      cds_default_scope: DEMO_CODE_SCOPE,
      cds_default_authorization_details: [],
      cds_modified: reset.cds_modified,
    })
    expect(reset).not.toHaveProperty('logo_uri')
  })

  it('A-18 a list without the receipt page drops it, and the default becomes the first URI; [] brings it back', async () => {
    const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
    const own = await put(code, { ...code, redirect_uris: [CALLBACK, 'http://127.0.0.1:8000/cb'], cds_default_redirect_uri: undefined })
    expect(own.json()).toMatchObject({ redirect_uris: [CALLBACK, 'http://127.0.0.1:8000/cb'], cds_default_redirect_uri: CALLBACK })
    const back = await put(code, { ...code, redirect_uris: [], cds_default_redirect_uri: undefined })
    expect(back.json()).toMatchObject({ redirect_uris: [RECEIPT], cds_default_redirect_uri: RECEIPT })
  })

  describe('R1-02-5.5-04 server-set fields', () => {
    const changed: [string, unknown][] = [
      ['grant_types', ['client_credentials']],
      ['response_types', []],
      ['token_endpoint_auth_method', 'none'],
      ['cds_status_options', ['sandbox']],
      ['client_id', 'another-id'],
      ['client_id_issued_at', 1],
      ['cds_created', '2020-01-01T00:00:00Z'],
      ['cds_client_uri', `${API_BASE_URL}/api/clients/another-id`],
      ['cds_server_metadata', 'https://elsewhere.example/metadata.json'],
      ['authorization_details_types', []],
      ['software_id', 'mine'],
    ]
    for (const [field, value] of changed) {
      it(`R1-02-5.5-04 a changed ${field} is 400 invalid_client_metadata and changes nothing`, async () => {
        const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
        await expect400(code, { ...code, [field]: value }, 'invalid_client_metadata', new RegExp(`^${field} is set by the server`))
      })
    }

    it('R1-02-5.5-04 client_secret_expires_at is refused; a stale cds_modified and a client_secret are ignored (D-42)', async () => {
      const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
      await expect400(code, { ...code, client_secret_expires_at: 0 }, 'invalid_client_metadata')
      const response = await put(code, { ...code, cds_modified: '2020-01-01T00:00:00Z', client_secret: 'mine', cds_created: code.cds_created.replace('Z', '+00:00') })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual(code)
    })
  })

  describe('R1-02-5.5-05 invalid values', () => {
    it('R1-02-5.5-05 bad redirect URIs: not a URL, http off loopback, a fragment', async () => {
      const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
      await expect400(code, { ...code, redirect_uris: ['not a url'] }, 'invalid_client_metadata')
      await expect400(code, { ...code, redirect_uris: ['http://client.example/cb'] }, 'invalid_redirect_uri', /must use https/)
      await expect400(code, { ...code, redirect_uris: ['https://client.example/cb#x'] }, 'invalid_redirect_uri', /without a fragment/)
      await expect400(code, { ...code, client_uri: 'ftp://client.example/' }, 'invalid_client_metadata', /^client_uri must be/)
    })

    it('R1-02-5.5-05 a status outside cds_status_options, on any object (A-57 for the admin object)', async () => {
      const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
      await expect400(code, { ...code, cds_status: 'production' }, 'invalid_client_metadata', /not one of this Client object's cds_status_options/)
      const admin = await pick(api.app, reg, 'cds_client_admin')
      await expect400(admin, { ...admin, cds_status: 'disabled' }, 'invalid_client_metadata', /cds_status_options \(production\)/)
    })

    it('R1-02-5.5-05 defaults must agree with redirect_uris, scope and authorization_details_types', async () => {
      const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
      await expect400(code, { ...code, cds_default_redirect_uri: CALLBACK }, 'invalid_client_metadata', /one of redirect_uris/)
      await expect400(code, { ...code, cds_default_scope: `${DEMO_CODE_SCOPE} ${DEMO_DIRECT_SCOPE}` }, 'invalid_client_metadata', /demo_meter_readings is not in the scope/)
      await expect400(code, { ...code, cds_default_authorization_details: [{ type: DEMO_DIRECT_SCOPE }] }, 'invalid_client_metadata', /^cds_default_authorization_details/)
      await expect400(code, { ...code, cds_default_authorization_details: [{ type: DEMO_CODE_SCOPE, resolution: 'weekly' }] }, 'invalid_client_metadata')
    })

    it('R1-02-5.5-05 redirect URIs and defaults on an object without response_types', async () => {
      const direct = await pick(api.app, reg, DEMO_DIRECT_SCOPE)
      await expect400(direct, { ...direct, redirect_uris: [CALLBACK] }, 'invalid_client_metadata', /takes no authorization requests/)
      await expect400(direct, { ...direct, cds_default_scope: DEMO_DIRECT_SCOPE }, 'invalid_client_metadata', /takes no authorization requests/)
      expect((await put(direct, { ...direct, redirect_uris: [] })).statusCode).toBe(200)
    })
  })

  describe('A-19 changing the scope', () => {
    it('A-19 a scope that fits is added and removed synchronously, authorization_details_types following', async () => {
      const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
      const added = await put(code, { ...code, scope: `${DEMO_CODE_SCOPE} demo_usage_extra`, cds_default_scope: 'demo_usage_extra' })
      expect(added.statusCode).toBe(200)
      expect(added.json()).toMatchObject({
        scope: `${DEMO_CODE_SCOPE} demo_usage_extra`,
        authorization_details_types: [DEMO_CODE_SCOPE, 'demo_usage_extra'],
        cds_default_scope: 'demo_usage_extra',
      })
      // authorization_details_types may be sent as it was, or as the new scope makes it.
      const removed = await put(added.json<Client>(), { ...added.json<Client>(), scope: DEMO_CODE_SCOPE, cds_default_scope: undefined })
      expect(removed.statusCode).toBe(200)
      expect(removed.json()).toMatchObject({ scope: DEMO_CODE_SCOPE, authorization_details_types: [DEMO_CODE_SCOPE], cds_default_scope: DEMO_CODE_SCOPE })
    })

    it('A-19 unknown scopes, other shapes, cds_client_admin and Grant Admin mixes are 400', async () => {
      const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
      await expect400(code, { ...code, scope: `${DEMO_CODE_SCOPE} nonsense` }, 'invalid_client_metadata', /nonsense is not a scope of this server/)
      await expect400(code, { ...code, scope: `${DEMO_CODE_SCOPE} ${DEMO_DIRECT_SCOPE}` }, 'invalid_client_metadata', /needs other response types/)
      await expect400(code, { ...code, scope: `${DEMO_CODE_SCOPE} cds_client_admin` }, 'invalid_client_metadata', /admin Client object only/)
      const admin = await pick(api.app, reg, 'cds_client_admin')
      await expect400(admin, { ...admin, scope: '' }, 'invalid_client_metadata', /cds_client_admin Client object cannot change/)
      const ga = await pick(api.app, reg, DEMO_GRANT_ADMIN_SCOPE)
      await expect400(ga, { ...ga, scope: `${DEMO_GRANT_ADMIN_SCOPE} ${DEMO_DIRECT_SCOPE}` }, 'invalid_client_metadata', /Grant Admin scope is never combined/)
    })

    it('A-19 a scope with a requirement the object has not met waits for review: 202 and a field_changes Message', async () => {
      const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
      const response = await put(code, { ...code, scope: `${DEMO_CODE_SCOPE} demo_usage_reviewed`, client_name: 'renamed' })
      expect(response.statusCode).toBe(202)
      expect(response.json()).toMatchObject({ scope: DEMO_CODE_SCOPE, client_name: 'renamed' })
      const held = (await messagesAbout(code.cds_client_uri)).filter((m) => m.type === 'field_changes')
      expect(held).toHaveLength(1)
      expect(held[0]).toMatchObject({ status: 'pending', creator: null, related_type: 'client' })
      expect(JSON.parse(String(held[0]?.updates_requested))).toEqual([{ field: 'scope', previous_value: DEMO_CODE_SCOPE, new_value: `${DEMO_CODE_SCOPE} demo_usage_reviewed` }])
    })
  })

  describe('CDS-WG1-02 §5.2 disabling (A-16)', () => {
    it('R1-02-5.2-04 a disabled object loses its tokens and gets none; re-enabling restores its Credentials (R1-02-7.1-04)', async () => {
      const direct = await pick(api.app, reg, DEMO_DIRECT_SCOPE)
      const secret = await secretOf(api.app, reg, direct.client_id)
      const token = await clientCredentialsToken(api.app, direct.client_id, secret, undefined, METER_DETAILS)
      api.clock.advance(30)
      const disabledAt = Math.floor(api.clock.now().getTime() / 1000)
      const response = await put(direct, { ...direct, cds_status: 'disabled' })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toMatchObject({ cds_status: 'disabled', cds_status_options: direct.cds_status_options })
      await expect(clientCredentialsToken(api.app, direct.client_id, secret, undefined, METER_DETAILS)).rejects.toThrow(/401 .*invalid_client/)
      const introspected = await api.app.inject({
        method: 'POST',
        url: '/oauth/introspect',
        headers: { authorization: basic(reg.admin.client_id, reg.admin.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `token=${token}`,
      })
      expect(introspected.json()).toEqual({ active: false })
      const shown = await call(api.app, 'GET', `/api/credentials?client_ids=${direct.client_id}`, reg.adminToken)
      expect(shown.json<{ credentials: Credential[] }>().credentials.map((c) => c.client_secret_expires_at)).toEqual([disabledAt])
      expect((await messagesAbout(direct.cds_client_uri)).map((m) => m.name)).toContain('Client object disabled')

      api.clock.advance(30)
      const enabled = await put(direct, { ...direct, cds_status: 'production' })
      expect(enabled.json()).toMatchObject({ cds_status: 'production' })
      const restored = await call(api.app, 'GET', `/api/credentials?client_ids=${direct.client_id}`, reg.adminToken)
      expect(restored.json<{ credentials: Credential[] }>().credentials.map((c) => c.client_secret_expires_at)).toEqual([0])
      expect(await clientCredentialsToken(api.app, direct.client_id, secret, undefined, METER_DETAILS)).toMatch(/^[A-Za-z0-9_-]{43}$/)
      // tokens revoked by disabling stay revoked.
      expect((await call(api.app, 'GET', '/api/clients', token)).statusCode).toBe(401)
    })
  })
})

forEachDialect('CDS-WG1-02 §5.5 Modifying Client Objects under review', (t) => {
  let api: ApiApp
  let reg: TestRegistration
  const logo = 'https://client.example/logo-1.png'

  beforeAll(async () => {
    api = await buildApiApp(t.database, (config) => {
      config.client_management.review_fields = ['logo_uri', 'redirect_uris']
    })
    reg = await register(api.app, undefined, { logo_uri: logo })
  })
  afterAll(async () => {
    await api.app.close()
  })

  it('R1-02-5.5-07 a reviewed field keeps its value: 202, a pending field_changes Message; the rest applies', async () => {
    const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
    expect(code.logo_uri).toBe(logo)
    const response = await call(api.app, 'PUT', code.cds_client_uri, reg.adminToken, { ...code, logo_uri: 'https://client.example/logo-2.png', client_name: 'Renamed' })
    expect(response.statusCode).toBe(202)
    expect(response.json()).toMatchObject({ logo_uri: logo, client_name: 'Renamed' })
    expect((await call(api.app, 'GET', code.cds_client_uri, reg.adminToken)).json()).toEqual(response.json())
    const messages = await t.db.selectFrom('messages').selectAll().where('related_uri', '=', code.cds_client_uri).execute()
    const held = messages.find((m) => m.type === 'field_changes')
    expect(held).toMatchObject({ status: 'pending', creator: null, read: false, related_type: 'client' })
    expect(JSON.parse(String(held?.updates_requested))).toEqual([{ field: 'logo_uri', previous_value: logo, new_value: 'https://client.example/logo-2.png' }])
    expect(messages.filter((m) => m.type === 'notification').map((m) => m.description)).toEqual([`The Client object ${code.client_id} changed: client_name.`])
  })

  it('R1-02-5.5-07 a held field holds the fields that depend on it', async () => {
    const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
    api.clock.advance(10)
    const response = await call(api.app, 'PUT', code.cds_client_uri, reg.adminToken, { ...code, redirect_uris: [RECEIPT, CALLBACK], cds_default_redirect_uri: CALLBACK })
    expect(response.statusCode).toBe(202)
    expect(response.json()).toMatchObject({ redirect_uris: [RECEIPT], cds_default_redirect_uri: RECEIPT })
    const held = await t.db.selectFrom('messages').selectAll().where('related_uri', '=', code.cds_client_uri).where('type', '=', 'field_changes').orderBy('created', 'desc').execute()
    expect(JSON.parse(String(held[0]?.updates_requested)).map((u: { field: string }) => u.field)).toEqual(['redirect_uris', 'cds_default_redirect_uri'])
  })

  it('R1-02-5.5-08 an unchanged reviewed field is not held: 200', async () => {
    const code = await pick(api.app, reg, DEMO_CODE_SCOPE, 'sandbox')
    const response = await call(api.app, 'PUT', code.cds_client_uri, reg.adminToken, { ...code, contacts: ['x@client.example'] })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ logo_uri: logo, contacts: ['x@client.example'] })
  })
})
