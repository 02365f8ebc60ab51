import { checkStrict, Client, ClientRegistrationResponse } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { memoryStore } from '../test/memory-store.js'
import { rejection } from '../test/_setup.js'
import { file, PNG, RECEIPT, registrationOptions } from '../test/registration-fixtures.js'
import { fixedClock } from './clock.js'
import { verifySecret } from './crypto.js'
import { ServerError } from './errors.js'
import { registerClient, type RegisterClientOptions } from './registration.js'
import { toClientObject } from './registration-plan.js'
import { clientUrls } from '../test/registration-fixtures.js'
import type { AuthStore, ClientRecord } from './store.js'

const clock = fixedClock('2026-03-01T12:00:00Z')
const ISSUED_AT = Date.parse('2026-03-01T12:00:00Z') / 1000

async function register(body: unknown, overrides: Partial<RegisterClientOptions> = {}, store: AuthStore = memoryStore()) {
  const registration = await registerClient(body, registrationOptions(store, { clock, ...overrides }))
  const clients = await store.clients.listByRegistration(registration.registration_id)
  return { registration, clients, store }
}

/** The Client objects of a registration by scope string. */
function byScope(clients: readonly ClientRecord[]): Record<string, ClientRecord[]> {
  const out: Record<string, ClientRecord[]> = {}
  for (const c of clients) (out[c.scope] ??= []).push(c)
  return out
}

describe('CDS-WG1-02 §4.2 Client Registration Response', () => {
  it('R1-02-4.2-01..08 the response is the cds_client_admin Client object with its client_secret', async () => {
    const { registration, store } = await register({ scope: 'cds_client_admin', client_name: 'My App', contacts: ['dev@acme.example'] })
    const { response } = registration
    expect(checkStrict(ClientRegistrationResponse, response)).toEqual([])
    expect(response).toEqual({
      client_id: 'id-2',
      client_id_issued_at: ISSUED_AT,
      scope: 'cds_client_admin',
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      client_name: 'My App',
      contacts: ['dev@acme.example'],
      authorization_details_types: [],
      cds_created: '2026-03-01T12:00:00Z',
      cds_modified: '2026-03-01T12:00:00Z',
      cds_client_uri: 'https://utility.example/api/clients/id-2',
      cds_server_metadata: 'https://utility.example/.well-known/cds-server-metadata.json',
      cds_status: 'production',
      cds_status_options: ['production'],
      client_secret: response.client_secret,
      client_secret_expires_at: 0,
    })
    // RFC 7591 §3.2.1 requires the expiry beside the secret; 0 means it never expires.
    expect(response).toHaveProperty('client_secret_expires_at', 0)
    // R1-02-4.2-07: the secret is the admin Credential's, stored only as its digest.
    const [credential, ...others] = await store.credentials.listByClient(response.client_id)
    expect(others).toEqual([])
    expect(credential?.client_secret_hash).not.toBe(response.client_secret)
    expect(verifySecret(response.client_secret, credential?.client_secret_hash ?? '')).toBe(true)
    expect(credential).toMatchObject({ type: 'client_secret', client_secret_expires_at: 0 })
    expect(response.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('R1-02-5.1-01 client_name defaults to the client_id and contacts to []', async () => {
    const { registration } = await register({ scope: 'cds_client_admin' })
    expect(registration.response.client_name).toBe(registration.response.client_id)
    expect(registration.response.contacts).toEqual([])
  })

  it('R1-02-4.2-09, -11, -13, -16 every scope gets its objects; Grant Admin comes along; code scopes start in sandbox', async () => {
    const { registration, clients } = await register({ scope: 'cds_client_admin usage readings files_1', cds_company_name: 'Acme' })
    expect(clients.map((c) => [c.scope, c.cds_status])).toEqual([
      ['cds_client_admin', 'production'],
      ['usage', 'sandbox'],
      ['usage', 'production'],
      ['readings', 'production'],
      ['files_1', 'production'],
      ['cds_grant_admin_1', 'production'],
    ])
    const scoped = byScope(clients)
    for (const usage of scoped.usage ?? []) {
      expect(usage).toMatchObject({
        redirect_uris: [RECEIPT],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_method: 'client_secret_basic',
        authorization_details_types: ['usage'],
        cds_default_scope: 'usage',
        cds_default_redirect_uri: RECEIPT,
        cds_default_authorization_details: [],
        cds_status_options: [usage.cds_status, 'disabled'],
        registration_fields: { cds_company_name: 'Acme', cds_company_logo: null },
      })
    }
    // the files object has no grant types, no auth method and so no Credential.
    expect(scoped.files_1?.[0]).toMatchObject({ grant_types: [], token_endpoint_auth_method: null, redirect_uris: [] })
    expect(scoped.readings?.[0]).toMatchObject({ redirect_uris: [], registration_fields: { cds_company_name: 'Acme' } })
    expect(scoped.readings?.[0]).not.toHaveProperty('cds_default_scope')
    // R1-02-4.2-12: one Credential per object with an auth method.
    expect(registration.credentials.map((c) => c.record.client_id)).toEqual(clients.filter((c) => c.token_endpoint_auth_method !== null).map((c) => c.client_id))
    // Every object is a valid Client object on the wire.
    for (const client of clients) expect(checkStrict(Client, toClientObject(client, clientUrls(client.client_id)))).toEqual([])
  })

  it('R1-02-4.2-19 no object offers both production and sandbox; R1-02-5.1-12 every non-admin object offers disabled', async () => {
    const { clients } = await register({ scope: 'cds_client_admin usage usage_public meters', cds_company_name: 'Acme' })
    for (const c of clients.slice(1)) {
      expect(c.cds_status_options).toContain('disabled')
      expect(c.cds_status_options.includes('production') && c.cds_status_options.includes('sandbox')).toBe(false)
    }
    expect(clients[0]?.cds_status_options).toEqual(['production'])
  })

  it('R1-02-3.4-10 a public scope gets the none auth method and still a Credential (R1-02-4.2-12 counts every non-null method)', async () => {
    const { clients, registration } = await register({ scope: 'cds_client_admin usage_public' })
    const publicClients = clients.filter((c) => c.scope === 'usage_public')
    expect(publicClients.map((c) => c.token_endpoint_auth_method)).toEqual(['none', 'none'])
    expect(registration.credentials).toHaveLength(1 + publicClients.length)
  })

  it('A-46 a scope with after-registration requirements gets only a sandbox object, and its requirements are reported', async () => {
    const { clients, registration } = await register({ scope: 'cds_client_admin premium', cds_company_name: 'Acme' })
    expect(clients.map((c) => [c.scope, c.cds_status, c.cds_status_options])).toEqual([
      ['cds_client_admin', 'production', ['production']],
      ['premium', 'sandbox', ['sandbox', 'disabled']],
    ])
    expect(registration.pending_requirements.map((f) => f.id)).toEqual(['review', 'terms'])
  })

  it('A-46 production_access review: every non-admin object starts in sandbox', async () => {
    const { clients } = await register(
      { scope: 'cds_client_admin usage meters', cds_company_name: 'Acme' },
      { policy: { production_access: 'review', group_scopes: false } },
    )
    expect(clients.map((c) => [c.scope, c.cds_status])).toEqual([
      ['cds_client_admin', 'production'],
      ['usage', 'sandbox'],
      ['meters', 'sandbox'],
      ['cds_grant_admin_1', 'sandbox'],
    ])
  })

  it('R1-02-4.2-10 group_scopes puts scopes of one shape and status into one object; Grant Admin stays apart (A-47)', async () => {
    const { clients } = await register(
      { scope: 'cds_client_admin readings meters cds_grant_admin_1 usage', cds_company_name: 'Acme' },
      { policy: { production_access: 'immediate', group_scopes: true } },
    )
    expect(clients.map((c) => [c.scope, c.cds_status])).toEqual([
      ['cds_client_admin', 'production'],
      ['readings meters', 'production'],
      ['cds_grant_admin_1', 'production'],
      ['usage', 'sandbox'],
      ['usage', 'production'],
    ])
    expect(clients[1]?.authorization_details_types).toEqual(['readings', 'meters'])
  })

  it('R1-02-5.1-05 RFC 7591 metadata is copied to every object; R1-02-4.1-07 redirect_uris and other server-set members are ignored', async () => {
    const { clients } = await register({
      scope: 'cds_client_admin usage',
      cds_company_name: 'Acme',
      client_uri: 'https://acme.example',
      logo_uri: 'https://acme.example/logo.png',
      software_id: 'acme-app',
      redirect_uris: ['https://attacker.example/cb', 'not even a url'],
      grant_types: ['implicit'],
      response_types: ['token'],
      token_endpoint_auth_method: 'none',
      software_statement: 'e30.e30.',
    })
    for (const c of clients) {
      expect(c).toMatchObject({ client_uri: 'https://acme.example', logo_uri: 'https://acme.example/logo.png', software_id: 'acme-app' })
      expect(c.redirect_uris).not.toContain('https://attacker.example/cb')
      expect(c.grant_types).not.toContain('implicit')
      expect(c.token_endpoint_auth_method).not.toBe('none')
    }
  })

  it('R1-02-3.5-04 a valid image registration field is stored with the objects of its scope', async () => {
    const logo = file(PNG, 16)
    const { clients } = await register({ scope: 'cds_client_admin usage', cds_company_name: 'Acme', cds_company_logo: logo })
    expect(byScope(clients).usage?.[0]?.registration_fields).toEqual({ cds_company_name: 'Acme', cds_company_logo: logo })
    expect(clients[0]?.registration_fields).toEqual({})
  })

  it('onRegistered runs inside the transaction; a throw there stores nothing', async () => {
    const store = memoryStore()
    const seen: string[] = []
    const error = await rejection(
      registerClient(
        { scope: 'cds_client_admin meters' },
        registrationOptions(store, {
          clock,
          onRegistered: async (tx, registration) => {
            seen.push(...(await tx.clients.listByRegistration(registration.registration_id)).map((c) => c.scope))
            throw new ServerError('message store down')
          },
        }),
      ),
    )
    expect(error.error).toBe('server_error')
    expect(seen).toEqual(['cds_client_admin', 'meters'])
    expect(await store.clients.find('id-2')).toBeUndefined()
  })
})

describe('CDS-WG1-02 §4.1 Client Registration Request (RFC 7591 §3.2.2 errors)', () => {
  const cases: [string, unknown, string][] = [
    ['A-15 a body that is not an object', ['scope'], 'the registration request must be a JSON object of client metadata'],
    ['A-15 a missing scope', { client_name: 'x' }, "the client metadata 'scope' is required and must include cds_client_admin"],
    ['A-15 a scope that is not a string', { scope: ['cds_client_admin'] }, "the client metadata 'scope' must be a space-separated string"],
    ['R1-02-4.1-03 a scope without cds_client_admin', { scope: 'meters' }, 'the scope must include cds_client_admin'],
    ['R1-02-4.1-05 an unknown scope next to known ones', { scope: 'cds_client_admin openid' }, "the scope 'openid' is not in cds_scope_descriptions"],
    ['R1-02-4.1-05 a prototype key is not a scope', { scope: 'cds_client_admin constructor toString' }, "the scope 'constructor', 'toString' are not in cds_scope_descriptions"],
    ['RFC 7591 §2 a client_uri that is not a URL', { scope: 'cds_client_admin', client_uri: 'acme' }, "the client metadata 'client_uri' must match format 'uri'"],
    ['RFC 7591 §2 contacts that are not strings', { scope: 'cds_client_admin', contacts: [7] }, "the client metadata 'contacts/0' must be string"],
    ['RFC 7591 §2 jwks_uri and jwks together', { scope: 'cds_client_admin', jwks_uri: 'https://a.example/j', jwks: { keys: [] } }, "the client metadata 'jwks_uri' and 'jwks' must not both be present"],
    ['R1-02-3.4-06 a missing required registration field', { scope: 'cds_client_admin readings' }, "the registration field 'cds_company_name' is required by the scope 'readings'"],
    ['R1-02-3.5-06 a registration field over max_length', { scope: 'cds_client_admin readings', cds_company_name: 'Acme Energy Inc' }, "the registration field 'cds_company_name' must be at most 10 characters long"],
    ['R1-02-3.5-07 an image over max_size', { scope: 'cds_client_admin usage', cds_company_name: 'Acme', cds_company_logo: file(PNG, 17) }, "the registration field 'cds_company_logo' is 17 bytes once decoded; at most 16 are allowed"],
  ]
  for (const [name, body, description] of cases) {
    it(`${name} is 400 invalid_client_metadata and stores nothing`, async () => {
      const store = memoryStore()
      const error = await rejection(registerClient(body, registrationOptions(store, { clock })))
      expect({ error: error.error, status: error.status, error_description: error.error_description }).toEqual({
        error: 'invalid_client_metadata',
        status: 400,
        error_description: description,
      })
      expect(await store.clients.find('id-1')).toBeUndefined()
      expect(await store.clients.find('id-2')).toBeUndefined()
    })
  }
})
