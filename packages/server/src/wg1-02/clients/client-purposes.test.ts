import { purposeOrigin } from '@cds-ts/auth'
import { checkStrict, Client, type AuthorizationServerMetadata, type ClientListing, type Credential, type Purpose, type ServerMetadata } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, basic, buildApiApp, call, type ApiApp, type TestRegistration, register } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { DEMO_DIRECT_SCOPE } from '../../config/defaults.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { planClientUpdate } from './plan-client-update.js'
import { storedClient } from './client-object.js'

const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'
const OWN: Purpose = {
  id: '',
  name: 'Savings report',
  content: 'We analyse your usage to suggest savings.\nNothing else.',
  related_uri: 'https://client.example/privacy',
  related_name: 'Our privacy policy',
  scopes_supported: [],
}
const SCOPES = 'cds_client_admin cds_usage cds_service_contracts demo_meter_readings'

async function objects(app: FastifyInstance, reg: TestRegistration): Promise<Client[]> {
  return (await call(app, 'GET', '/api/clients', reg.adminToken)).json<ClientListing>().clients
}

async function objectOf(app: FastifyInstance, reg: TestRegistration, scope: string): Promise<Client> {
  const found = (await objects(app, reg)).find((c) => c.scope === scope)
  if (found === undefined) throw new Error(`no ${scope} object`)
  return found
}

/** The one Client-written Purpose of an object. */
function ownPurpose(client: Client): Purpose {
  const own = Object.values(client.cds_purposes ?? {}).filter((p) => p.id !== 'default-01')
  expect(own).toHaveLength(1)
  return own[0] as Purpose
}

forEachDialect('CDS-WG3-01 §8 Client objects and their Purposes', (t) => {
  let api: ApiApp
  let reg: TestRegistration
  const put = (client: Client, body: object) => call(api.app, 'PUT', client.cds_client_uri, reg.adminToken, body)
  const get = async (client: Client) => (await call(api.app, 'GET', client.cds_client_uri, reg.adminToken)).json<Client>()

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    reg = await register(api.app, SCOPES, { cds_purposes: [OWN] })
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('CDS-WG3-01 §8.1 at registration (A-36, A-40)', () => {
    it('R3-01-8.1-01, -02 a consent Client object gets the server default and its own Purposes, keyed by id', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      expect(checkStrict(Client, usage)).toEqual([])
      const purposes = usage.cds_purposes ?? {}
      for (const [key, purpose] of Object.entries(purposes)) expect(purpose.id).toBe(key)
      expect(purposes['default-01']).toEqual({
        id: 'default-01',
        name: 'Server default purpose default-01',
        content: api.config.customer_authorization.default_purposes[0]?.content,
        related_uri: null,
        scopes_supported: ['cds_usage'],
      })
      const own = ownPurpose(usage)
      // the server chose the id and the scopes.
      expect(own.id).toMatch(/^[0-9a-f-]{36}$/)
      expect(own).toEqual({ ...OWN, id: own.id, scopes_supported: ['cds_usage'] })
      // The origin is the server's own bookkeeping, never on the wire.
      expect(usage).not.toHaveProperty('purpose_origins')
      // The auth ClientRecord carries both, for the Authorization Form ("Written by …", A-36).
      const record = await new KyselyAuthStore(t.db).clients.find(usage.client_id)
      expect(record?.purpose_origins).toEqual({ 'default-01': 'server', [own.id]: 'client' })
      expect(record?.cds_purposes).toEqual(usage.cds_purposes)
      expect(purposeOrigin(record ?? {}, own.id)).toBe('client')
      expect(purposeOrigin(record ?? {}, 'default-01')).toBe('server')
    })

    it('R3-01-8.1 Client objects without authorization requests have no Purposes', async () => {
      expect(reg.admin).not.toHaveProperty('cds_purposes')
      const direct = await objectOf(api.app, reg, DEMO_DIRECT_SCOPE)
      expect(direct).not.toHaveProperty('cds_purposes')
    })

    it('R3-01-5.1-02 null (or nothing) gives only the server defaults', async () => {
      const other = await register(api.app, 'cds_client_admin cds_accounts', { cds_purposes: null })
      const accounts = await objectOf(api.app, other, 'cds_accounts')
      expect(Object.keys(accounts.cds_purposes ?? {})).toEqual(['default-01'])
      // Nothing differs from the public metadata, so the object points there (CDS-WG1-02 §5.1, R1-02-5.1-15).
      expect(accounts.cds_server_metadata).toBe(`${API_BASE_URL}/.well-known/cds-server-metadata.json`)
    })

    it('R3-01-5.1-01 a submitted Purpose with an id, or a blank content, is refused with 400', async () => {
      for (const purpose of [{ ...OWN, id: 'abc' }, { ...OWN, content: '  \n ' }, { ...OWN, related_name: 'two\nlines' }, { ...OWN, scopes_supported: ['cds_usage'] }]) {
        const response = await api.app.inject({
          method: 'POST',
          url: '/oauth/register',
          payload: { scope: 'cds_client_admin cds_usage', cds_purposes: [purpose] },
        })
        expect(response.statusCode).toBe(400)
        expect(response.json()).toMatchObject({ error: 'invalid_client_metadata' })
        expect(response.json<{ error_description: string }>().error_description).toContain('cds_purposes')
      }
    })
  })

  describe('CDS-WG3-01 §7.4.4 the purpose field in public and Client-specific metadata (A-37, A-38)', () => {
    it('R3-01-7.4.4-05 the public metadata offers the server default Purposes, choice_or_null with its default', async () => {
      const metadata = (await api.app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json<AuthorizationServerMetadata>()
      const field = metadata.cds_scope_descriptions.cds_usage?.authorization_details_fields_supported.find((f) => f.id === 'purpose')
      expect(field).toMatchObject({ format: 'choice_or_null', is_required: false, default: 'default-01' })
      expect(field?.choices?.map((c) => c.id)).toEqual(['default-01'])
      expect(field?.choices?.[0]?.documentation).toBe(`${API_BASE_URL}/docs/oauth/scopes#cds_usage-purpose-default-01`)
      // R3-01-7.4.4-07, A-86: never on direct scopes nor on Aggregation Inclusion.
      for (const id of ['cds_query_usage', 'cds_aggregation_consent']) {
        expect(metadata.cds_scope_descriptions[id]?.authorization_details_fields_supported.map((f) => f.id)).not.toContain('purpose')
      }
    })

    it('R3-01-7.4.4-04 the Client-specific metadata lists the object’s Purposes for each of its scopes', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const own = ownPurpose(usage)
      // CDS-WG1-02 §5.1 (R1-02-5.1-14): its scope descriptions differ, so cds_server_metadata is its own.
      expect(usage.cds_server_metadata).toBe(`${usage.cds_client_uri}/cds-server-metadata.json`)
      const cds = (await call(api.app, 'GET', usage.cds_server_metadata, reg.adminToken)).json<ServerMetadata>()
      const oauth = await call(api.app, 'GET', cds.oauth_metadata ?? '', reg.adminToken)
      expect(oauth.statusCode).toBe(200)
      const scopes = oauth.json<AuthorizationServerMetadata>().cds_scope_descriptions
      const field = scopes.cds_usage?.authorization_details_fields_supported.find((f) => f.id === 'purpose')
      expect(field?.choices).toEqual([
        { id: 'default-01', name: 'Server default purpose default-01', description: expect.any(String) as string, documentation: `${API_BASE_URL}/docs/oauth/scopes#cds_usage-purpose-default-01` },
        // a Client-written choice documents itself by its own link.
        { id: own.id, name: OWN.name, description: OWN.content, documentation: OWN.related_uri },
      ])
      expect(field?.default).toBe('default-01')
      // Scopes of other objects keep the public choices.
      const other = scopes.cds_service_contracts?.authorization_details_fields_supported.find((f) => f.id === 'purpose')
      expect(other?.choices?.map((c) => c.id)).toEqual(['default-01'])
    })
  })

  describe('CDS-WG3-01 §7.4.4 authorization requests name a Purpose of the Client object (R3-01-7.4.4-11)', () => {
    async function par(client: Client, details: unknown[]) {
      const credentials = (await call(api.app, 'GET', `/api/credentials?client_ids=${client.client_id}`, reg.adminToken)).json<{ credentials: Credential[] }>()
      const secret = credentials.credentials[0]?.client_secret ?? ''
      const form = new URLSearchParams({
        response_type: 'code',
        client_id: client.client_id,
        scope: client.scope,
        code_challenge: CHALLENGE,
        code_challenge_method: 'S256',
        authorization_details: JSON.stringify(details),
      })
      return api.app.inject({
        method: 'POST',
        url: '/oauth/par',
        headers: { authorization: basic(client.client_id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: form.toString(),
      })
    }

    it('accepts the object’s own Purpose, the default one and null', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      for (const purpose of [ownPurpose(usage).id, 'default-01', null]) {
        const response = await par(usage, [{ type: 'cds_usage', purpose }])
        expect(response.statusCode).toBe(201)
      }
    })

    it('refuses a Purpose the object does not have for that scope', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const contracts = await objectOf(api.app, reg, 'cds_service_contracts')
      // The other object's own Purpose supports cds_service_contracts only.
      for (const purpose of ['nope', ownPurpose(contracts).id]) {
        const response = await par(usage, [{ type: 'cds_usage', purpose }])
        expect(response.statusCode).toBe(400)
        expect(response.json()).toMatchObject({ error: 'invalid_authorization_details' })
        expect(response.json<{ error_description: string }>().error_description).toContain('purpose')
      }
    })
  })

  describe('CDS-WG3-01 §8.2 modifying Purposes by PUT (A-39)', () => {
    it('R1-02-5.5-01 a PUT of the object as read changes nothing', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const response = await put(usage, usage)
      expect(response.statusCode).toBe(200)
      expect(response.json()).toEqual(usage)
    })

    it('R3-01-8.2-01, -02 default Purposes stay; a Client Purpose takes new words but keeps its id and scopes', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const own = ownPurpose(usage)
      const response = await put(usage, {
        ...usage,
        cds_purposes: {
          // Changing the default is ignored; so is a new scopes_supported.
          'default-01': { ...usage.cds_purposes?.['default-01'], content: 'Anything goes.' },
          [own.id]: { ...own, content: 'New words.', related_uri: null, related_name: null, scopes_supported: ['cds_meters'] },
        },
      })
      expect(response.statusCode).toBe(200)
      const updated = response.json<Client>()
      expect(updated.cds_purposes?.['default-01']).toEqual(usage.cds_purposes?.['default-01'])
      expect(updated.cds_purposes?.[own.id]).toEqual({ ...own, content: 'New words.', related_uri: null, related_name: null })
      expect(await get(usage)).toEqual(updated)
    })

    it('R3-01-8.2-04 an unknown id is a new Purpose with a server id and scopes', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const response = await put(usage, { ...usage, cds_purposes: { ...usage.cds_purposes, x: { ...OWN, id: 'x', scopes_supported: ['cds_meters'] } } })
      expect(response.statusCode).toBe(200)
      const added = Object.values(response.json<Client>().cds_purposes ?? {}).filter((p) => p.content === OWN.content)
      expect(added).toHaveLength(1)
      expect(added[0]?.id).not.toBe('x')
      expect(added[0]?.scopes_supported).toEqual(['cds_usage'])
    })

    it('R3-01-8.2-03 a Client Purpose left out is removed; the default cannot be', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const [keep] = Object.values(usage.cds_purposes ?? {}).filter((p) => p.id !== 'default-01')
      const response = await put(usage, { ...usage, cds_purposes: { [keep?.id ?? '']: keep } })
      expect(response.statusCode).toBe(200)
      expect(Object.keys(response.json<Client>().cds_purposes ?? {}).sort()).toEqual(['default-01', keep?.id].sort())
    })

    it('A-39 leaving cds_purposes out resets them to the server defaults', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const { cds_purposes: _purposes, ...rest } = usage
      const response = await put(usage, rest)
      expect(response.statusCode).toBe(200)
      const updated = response.json<Client>()
      expect(Object.keys(updated.cds_purposes ?? {})).toEqual(['default-01'])
      // Back to the public metadata: nothing of its own remains (R1-02-5.1-15).
      expect(updated.cds_server_metadata).toBe(`${API_BASE_URL}/.well-known/cds-server-metadata.json`)
      const changelog = await t.db.selectFrom('messages').select('description').where('related_uri', '=', usage.cds_client_uri).orderBy('created', 'desc').executeTakeFirst()
      expect(changelog?.description).toContain('cds_purposes')
    })

    it('R3-01-8.2-06, R3-01-8.3-03..05 invalid Purposes are refused with 400 and change nothing', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const bad: Record<string, unknown>[] = [
        { ...OWN, id: 'n1', content: '   ' },
        { ...OWN, id: 'n2', related_name: undefined },
        { ...OWN, id: 'n3', related_name: 'a\nb' },
        { id: 'n4', name: 'x', content: 'y', scopes_supported: [] },
      ]
      for (const purpose of bad) {
        const response = await put(usage, { ...usage, cds_purposes: { [String(purpose.id)]: purpose } })
        expect(response.statusCode).toBe(400)
        expect(response.json()).toMatchObject({ error: 'invalid_client_metadata' })
      }
      expect(await get(usage)).toEqual(usage)
    })

    it('R3-01-8.1 a Client object without authorization requests cannot take Purposes', async () => {
      const direct = await objectOf(api.app, reg, DEMO_DIRECT_SCOPE)
      const response = await put(direct, { ...direct, cds_purposes: {} })
      expect(response.statusCode).toBe(400)
      expect(response.json<{ error_description: string }>().error_description).toMatch(/^cds_purposes: /)
    })

    it('R3-01-8.2-05 a Purpose change under review is held with the scope group (202 path)', async () => {
      const usage = await objectOf(api.app, reg, 'cds_usage')
      const row = await t.db.selectFrom('clients').selectAll().where('client_id', '=', usage.client_id).executeTakeFirstOrThrow()
      const config = { ...api.config, client_management: { ...api.config.client_management, review_fields: ['cds_purposes'] } }
      const plan = planClientUpdate(config, api.clock, storedClient(row), { ...usage, cds_purposes: { n: { ...OWN, id: 'n' } } })
      expect(plan.appliedFields).toEqual([])
      expect(plan.review.map((r) => r.field)).toEqual(['cds_purposes'])
      expect(plan.review[0]?.previous_value).toEqual(usage.cds_purposes)
      expect(Object.keys(plan.review[0]?.new_value as object)).toHaveLength(2)
    })
  })
})
