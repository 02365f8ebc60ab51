import { toDateTime } from '@cds-ts/auth'
import { checkStrict, Credential, CredentialListing, type Client, type ClientListing } from '@cds-ts/schema'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, basic, buildApiApp, call, clientCredentialsToken, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { DEMO_DIRECT_SCOPE, DEMO_FILES_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../../config/defaults.js'
import { issueCredential } from './issue-credential.js'
import { nextExpiry } from './modify-credential.js'

const CREDENTIALS = `${API_BASE_URL}/api/credentials`
const METER_DETAILS = [{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-1'] }]

function expectNoStore(response: LightMyRequestResponse): void {
  // CDS-WG1-02 R1-02-X-06: a response with a secret is never stored.
  expect(response.headers['cache-control']).toBe('no-store')
  expect(response.headers.pragma).toBe('no-cache')
}

forEachDialect('CDS-WG1-02 §7 Credentials API', (t) => {
  let api: ApiApp
  let a: TestRegistration
  let b: TestRegistration
  let clientsOfA: Client[]
  const objectOf = (scope: string) => clientsOfA.find((c) => c.scope === scope) as Client
  const list = async (query = '', reg: TestRegistration = a) => {
    const response = await call(api.app, 'GET', `/api/credentials${query}`, reg.adminToken)
    expect(response.statusCode).toBe(200)
    expectNoStore(response)
    return response.json<CredentialListing>()
  }
  const create = (client_id: string, reg: TestRegistration = a) => call(api.app, 'POST', '/api/credentials', reg.adminToken, { client_id })
  const patch = (credential: Credential, body: object) => call(api.app, 'PATCH', credential.uri, a.adminToken, body)
  const now = () => Math.floor(api.clock.now().getTime() / 1000)

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    a = await register(api.app)
    b = await register(api.app)
    clientsOfA = (await call(api.app, 'GET', '/api/clients', a.adminToken)).json<ClientListing>().clients
    api.clock.advance(60)
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('CDS-WG1-02 §7 authentication', () => {
    it('R1-02-7-02 no token 401, an unknown token 401 invalid_token, a token without cds_client_admin 403', async () => {
      const none = await call(api.app, 'GET', '/api/credentials', undefined)
      expect(none.statusCode).toBe(401)
      expect(none.headers['www-authenticate']).toBe(`Bearer realm="${API_BASE_URL}"`)
      expect((await call(api.app, 'GET', '/api/credentials', 'bogus')).json()).toMatchObject({ error: 'invalid_token' })
      const direct = objectOf(DEMO_DIRECT_SCOPE)
      const secret = (await list(`?client_ids=${direct.client_id}`)).credentials[0]?.client_secret ?? ''
      const token = await clientCredentialsToken(api.app, direct.client_id, secret, undefined, METER_DETAILS)
      const denied = await call(api.app, 'GET', '/api/credentials', token)
      expect(denied.statusCode).toBe(403)
      expect(denied.json()).toMatchObject({ error: 'insufficient_scope' })
    })
  })

  describe('CDS-WG1-02 §7.1 Credentials Object Format', () => {
    it('R1-02-7.1-01..03 every Client object with an auth method has a Credential showing its secret and expiry', async () => {
      const { credentials } = await list()
      for (const credential of credentials) {
        expect(checkStrict(Credential, credential)).toEqual([])
        expect(credential.uri).toBe(`${CREDENTIALS}/${credential.credential_id}`)
        expect(credential.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
        expect(credential.client_secret_expires_at).toBe(0)
      }
      const withMethod = clientsOfA.filter((c) => c.token_endpoint_auth_method !== null).map((c) => c.client_id)
      expect(credentials.map((c) => c.client_id).sort()).toEqual(withMethod.sort())
      expect(credentials.map((c) => c.client_id)).not.toContain(objectOf(DEMO_FILES_SCOPE).client_id)
      // §7.1: the shown secret is the one the registration returned, and it works.
      const admin = credentials.find((c) => c.client_id === a.admin.client_id)
      expect(admin?.client_secret).toBe(a.admin.client_secret)
      expect(new Set(credentials.map((c) => c.client_secret)).size).toBe(credentials.length)
    })

    it('R1-02-7.6-08 the secret is the same on every read', async () => {
      const [first] = (await list()).credentials
      const again = await call(api.app, 'GET', first?.uri ?? '', a.adminToken)
      expect(again.json<Credential>().client_secret).toBe(first?.client_secret)
    })

    it('stores only a digest and a sealed copy, never the secret itself', async () => {
      const rows = await t.db.selectFrom('credentials').selectAll().where('client_id', '=', a.admin.client_id).execute()
      expect(rows).toHaveLength(1)
      expect(rows[0]?.client_secret_sealed).toMatch(/^v1\./)
      expect(JSON.stringify(rows)).not.toContain(a.admin.client_secret)
    })
  })

  describe('CDS-WG1-02 §7.3 Listing Credentials', () => {
    it('R1-02-7.3-01 (R1-02-X-01) a listing of the registration’s Credentials only', async () => {
      const ofA = await list()
      expect(checkStrict(CredentialListing, ofA)).toEqual([])
      expect(ofA.next).toBeNull()
      expect(ofA.previous).toBeNull()
      const ofB = await list('', b)
      expect(ofB.credentials.map((c) => c.client_id)).toContain(b.admin.client_id)
      expect(ofB.credentials.filter((c) => ofA.credentials.some((x) => x.credential_id === c.credential_id))).toEqual([])
    })

    it('R1-02-7.3-03, -04, -07 credential_ids and client_ids filter and intersect', async () => {
      const { credentials } = await list()
      const [one, two] = credentials as [Credential, Credential]
      expect((await list(`?credential_ids=${one.credential_id}`)).credentials).toEqual([one])
      expect((await list(`?credential_ids=${one.credential_id}+${two.credential_id}`)).credentials).toHaveLength(2)
      expect((await list(`?client_ids=${two.client_id}`)).credentials).toEqual([two])
      expect((await list(`?credential_ids=${one.credential_id}&client_ids=${two.client_id}`)).credentials).toEqual([])
      const foreign = (await list('', b)).credentials[0]?.credential_id
      expect((await list(`?credential_ids=${foreign}`)).credentials).toEqual([])
      expect((await list('?client_ids=&credential_ids=')).credentials).toHaveLength(credentials.length)
    })

    it('R1-02-7.3-05, -06 after and before are inclusive bounds on created; a bad value is 400 naming it', async () => {
      api.clock.advance(100)
      const created = (await create(a.admin.client_id)).json<Credential>()
      api.clock.advance(100)
      const at = created.created
      const plus = toDateTime(new Date(Date.parse(at) + 1000))
      const minus = toDateTime(new Date(Date.parse(at) - 1000))
      const ids = async (query: string) => (await list(query)).credentials.map((c) => c.credential_id)
      expect(await ids(`?after=${at}`)).toEqual([created.credential_id])
      expect(await ids(`?after=${plus}`)).toEqual([])
      expect(await ids(`?before=${at}`)).toContain(created.credential_id)
      expect(await ids(`?before=${minus}`)).not.toContain(created.credential_id)
      expect(await ids(`?after=${at}&before=${at}&client_ids=${a.admin.client_id}`)).toEqual([created.credential_id])
      expect(await ids(`?after=${encodeURIComponent(at.replace('Z', '+00:00'))}`)).toEqual([created.credential_id])
      for (const name of ['after', 'before']) {
        const bad = await call(api.app, 'GET', `/api/credentials?${name}=yesterday`, a.adminToken)
        expect(bad.statusCode).toBe(400)
        expect(bad.json()).toEqual({ error: 'invalid_request', error_description: `the query parameter '${name}' must be an RFC 3339 date-time, such as 2025-01-31T00:00:00Z` })
      }
    })

    it('R1-02-7.3-08 newest modified first; a PATCH moves a Credential to the top', async () => {
      const before = (await list()).credentials
      for (let i = 1; i < before.length; i++) expect(Date.parse(before[i - 1]?.modified ?? '')).toBeGreaterThanOrEqual(Date.parse(before[i]?.modified ?? ''))
      const oldest = before[before.length - 1] as Credential
      api.clock.advance(10)
      expect((await patch(oldest, { client_secret_expires_at: now() + 86_400 })).statusCode).toBe(200)
      expect((await list()).credentials[0]?.credential_id).toBe(oldest.credential_id)
    })

    it('R1-02-7.3-02 (R1-02-X-09) pages of at most 100 that keep the filters', async () => {
      const c = await register(api.app, 'cds_client_admin')
      for (let i = 0; i < 104; i++) {
        api.clock.advance(1)
        await issueCredential(t.db, api.clock, api.config, c.admin.client_id)
      }
      const seen: string[] = []
      let url: string | null = `/api/credentials?client_ids=${c.admin.client_id}`
      let pages = 0
      while (url !== null) {
        const response = await call(api.app, 'GET', url, c.adminToken)
        const page: CredentialListing = response.json<CredentialListing>()
        expect(page.credentials.length).toBeLessThanOrEqual(100)
        if (page.next !== null) expect(new URL(page.next).searchParams.get('client_ids')).toBe(c.admin.client_id)
        seen.push(...page.credentials.map((x) => x.credential_id))
        url = page.next
        pages++
      }
      expect(pages).toBe(2)
      expect(new Set(seen).size).toBe(105)
    })
  })

  describe('CDS-WG1-02 §7.4 Retrieving Individual Credentials', () => {
    it('R1-02-7.4-01 GET on uri equals the listing entry; unknown and foreign ids are 404', async () => {
      const [first] = (await list()).credentials
      const response = await call(api.app, 'GET', first?.uri ?? '', a.adminToken)
      expect(response.statusCode).toBe(200)
      expectNoStore(response)
      expect(response.json()).toEqual(first)
      const foreign = (await list('', b)).credentials[0]
      for (const uri of [`${CREDENTIALS}/unknown`, foreign?.uri ?? '']) {
        const missing = await call(api.app, 'GET', uri, a.adminToken)
        expect(missing.statusCode).toBe(404)
        expect(missing.json()).toMatchObject({ error: 'not_found' })
      }
    })

    it('R1-02-X-05 DELETE on a Credential and PUT on the listing are 405 with Allow', async () => {
      const [first] = (await list()).credentials
      const response = await call(api.app, 'DELETE', first?.uri ?? '', a.adminToken)
      expect(response.statusCode).toBe(405)
      expect(response.headers.allow).toBe('GET, HEAD, PATCH')
      expect((await call(api.app, 'PUT', '/api/credentials', a.adminToken, {})).headers.allow).toBe('GET, HEAD, POST')
    })
  })

  describe('CDS-WG1-02 §7.5 Creating Credentials', () => {
    it('R1-02-7.5-01, -03 201 with a new secret that works at once; the old one keeps working (R1-02-7.3-09 changelog)', async () => {
      const direct = objectOf(DEMO_DIRECT_SCOPE)
      const old = (await list(`?client_ids=${direct.client_id}`)).credentials[0] as Credential
      const response = await create(direct.client_id)
      expect(response.statusCode).toBe(201)
      expectNoStore(response)
      const created = response.json<Credential>()
      expect(checkStrict(Credential, created)).toEqual([])
      expect(response.headers.location).toBe(created.uri)
      expect(created).toMatchObject({ client_id: direct.client_id, type: 'client_secret', client_secret_expires_at: 0, created: toDateTime(api.clock.now()) })
      expect(created.client_secret).not.toBe(old.client_secret)
      for (const secret of [created.client_secret ?? '', old.client_secret ?? '']) {
        expect(await clientCredentialsToken(api.app, direct.client_id, secret, undefined, METER_DETAILS)).toMatch(/^[A-Za-z0-9_-]{43}$/)
      }
      expect((await call(api.app, 'GET', created.uri, a.adminToken)).json()).toEqual(created)
      const messages = await t.db.selectFrom('messages').selectAll().where('related_uri', '=', created.uri).execute()
      expect(messages.map((m) => [m.type, m.status, m.related_type, m.creator, m.read, m.name])).toEqual([['notification', 'complete', 'credential', null, false, 'Credential created']])
    })

    it('R1-02-7.5-02 a missing, foreign, unknown or secretless client_id is 400', async () => {
      const cases: [object, RegExp][] = [
        [{}, /client_id/],
        [{ client_id: b.admin.client_id }, /is not a Client object of this registration/],
        [{ client_id: 'unknown' }, /is not a Client object of this registration/],
        [{ client_id: objectOf(DEMO_FILES_SCOPE).client_id }, /has no token_endpoint_auth_method/],
      ]
      for (const [body, description] of cases) {
        const response = await call(api.app, 'POST', '/api/credentials', a.adminToken, body)
        expect(response.statusCode).toBe(400)
        expectNoStore(response)
        expect(response.json()).toMatchObject({ error: 'invalid_request' })
        expect(response.json<{ error_description: string }>().error_description).toMatch(description)
      }
      const raw = await api.app.inject({ method: 'POST', url: '/api/credentials', headers: { authorization: `Bearer ${a.adminToken}` }, payload: 'not json' })
      expect(raw.statusCode).toBe(400)
    })
  })

  describe('CDS-WG1-02 §7.6 Modifying Credentials', () => {
    let credential: Credential
    beforeAll(async () => {
      credential = (await create(objectOf(DEMO_GRANT_ADMIN_SCOPE).client_id)).json<Credential>()
    })

    it('R1-02-7.6-01, -04 an empty PATCH and foreign members change nothing', async () => {
      api.clock.advance(5)
      for (const body of [{}, { client_secret: 'mine', client_id: 'other', type: 'other' }]) {
        const response = await patch(credential, body)
        expect(response.statusCode).toBe(200)
        expectNoStore(response)
        expect(response.json()).toEqual(credential)
      }
    })

    it('R1-02-7.6-02, -03 (A-27) earlier only; 0 only while 0; not an integer or negative is 400', async () => {
      const later = now() + 3600
      const first = await patch(credential, { client_secret_expires_at: later })
      expect(first.statusCode).toBe(200)
      expect(first.json()).toMatchObject({ client_secret_expires_at: later, modified: toDateTime(api.clock.now()) })
      for (const value of [later + 3600, 0, 'abc', -1, 1.5, null]) {
        const refused = await patch(credential, { client_secret_expires_at: value })
        expect(refused.statusCode).toBe(400)
        expect(refused.json()).toMatchObject({ error: 'invalid_request' })
      }
      expect((await call(api.app, 'GET', credential.uri, a.adminToken)).json()).toMatchObject({ client_secret_expires_at: later })
      const messages = await t.db.selectFrom('messages').selectAll().where('related_uri', '=', credential.uri).execute()
      expect(messages.map((m) => m.name)).toEqual(['Credential created', 'Credential modified'])
    })

    it('R1-02-7.6-06 an expiry in the past revokes the secret and its tokens at once (R1-02-7.1-05)', async () => {
      const extra = (await create(a.admin.client_id)).json<Credential>()
      const token = await clientCredentialsToken(api.app, a.admin.client_id, extra.client_secret ?? '')
      expect((await call(api.app, 'GET', '/api/clients', token)).statusCode).toBe(200)
      api.clock.advance(10)
      const response = await patch(extra, { client_secret_expires_at: now() - 60 })
      expect(response.statusCode).toBe(200)
      // a time already past is stored as the moment of the change.
      expect(response.json()).toMatchObject({ client_secret_expires_at: now(), client_secret: extra.client_secret })
      await expect(clientCredentialsToken(api.app, a.admin.client_id, extra.client_secret ?? '')).rejects.toThrow(/401 .*invalid_client/)
      const used = await call(api.app, 'GET', '/api/clients', token)
      expect(used.statusCode).toBe(401)
      expect(used.json()).toMatchObject({ error: 'invalid_token' })
      const introspected = await api.app.inject({
        method: 'POST',
        url: '/oauth/introspect',
        headers: { authorization: basic(a.admin.client_id, a.admin.client_secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `token=${token}`,
      })
      expect(introspected.json()).toEqual({ active: false })
      // The registration's own secret is untouched.
      expect((await call(api.app, 'GET', '/api/clients', a.adminToken)).statusCode).toBe(200)
      const names = (await t.db.selectFrom('messages').select('name').where('related_uri', '=', extra.uri).execute()).map((m) => m.name)
      expect(names).toEqual(['Credential created', 'Credential expired'])
    })

    it('R1-02-7.1-04 a disabled Client object’s Credentials report the disable time, and their own expiry again once enabled', async () => {
      const direct = objectOf(DEMO_DIRECT_SCOPE)
      const expiries = async () => new Map((await list(`?client_ids=${direct.client_id}`)).credentials.map((c) => [c.credential_id, c.client_secret_expires_at]))
      const stored = await expiries()
      api.clock.advance(5)
      const disabledAt = now()
      expect((await call(api.app, 'PUT', direct.cds_client_uri, a.adminToken, { ...direct, cds_status: 'disabled' })).statusCode).toBe(200)
      const shown = (await list(`?client_ids=${direct.client_id}`)).credentials
      expect(shown.length).toBeGreaterThanOrEqual(2)
      for (const c of shown) expect(c.client_secret_expires_at).toBe(disabledAt)
      api.clock.advance(5)
      expect((await call(api.app, 'PUT', direct.cds_client_uri, a.adminToken, { ...direct, cds_status: 'production' })).statusCode).toBe(200)
      expect(await expiries()).toEqual(stored)
    })
  })
})

describe('CDS-WG1-02 §7.6 Modifying Credentials: the expiry rules (A-27)', () => {
  const now = 1_800_000_000
  it('R1-02-7.6-02 keeps 0 only while 0, and only moves earlier', () => {
    expect(nextExpiry(0, 0, now)).toBeUndefined()
    expect(nextExpiry(0, now + 10, now)).toBe(now + 10)
    expect(nextExpiry(now + 10, now + 10, now)).toBeUndefined()
    expect(nextExpiry(now + 10, now + 5, now)).toBe(now + 5)
    expect(() => nextExpiry(now + 10, 0, now)).toThrow(/cannot go back to 0/)
    expect(() => nextExpiry(now + 10, now + 11, now)).toThrow(/must not be later than the current value/)
  })

  it('R1-02-7.6-06 a past or present time is stored as now, never later than an expiry already past', () => {
    expect(nextExpiry(0, 1, now)).toBe(now)
    expect(nextExpiry(0, now, now)).toBe(now)
    expect(nextExpiry(now + 10, now - 60, now)).toBe(now)
    expect(nextExpiry(now - 100, now - 200, now)).toBeUndefined()
  })
})

forEachDialect('CDS-WG1-02 §7.1 secret display settings', (t) => {
  it('D-41 with secret_display "once" the secret appears only when created', async () => {
    const api = await buildApiApp(t.database, (config) => {
      config.client_management.secret_display = 'once'
    })
    const reg = await register(api.app)
    const { credentials } = (await call(api.app, 'GET', '/api/credentials', reg.adminToken)).json<CredentialListing>()
    expect(credentials.length).toBeGreaterThan(0)
    for (const c of credentials) expect(c).not.toHaveProperty('client_secret')
    const created = await call(api.app, 'POST', '/api/credentials', reg.adminToken, { client_id: reg.admin.client_id })
    expect(created.json<Credential>().client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await call(api.app, 'GET', created.json<Credential>().uri, reg.adminToken)).json()).not.toHaveProperty('client_secret')
    const rows = await t.db.selectFrom('credentials').select('client_secret_sealed').where('client_id', '=', reg.admin.client_id).execute()
    expect(rows.map((r) => r.client_secret_sealed)).toEqual([null, null])
    await api.app.close()
  })

  it('without a configured key, secrets are sealed with a key of the process and still shown', async () => {
    const api = await buildApiApp(t.database, (config) => {
      delete config.client_management.secret_key
    })
    const reg = await register(api.app)
    const { credentials } = (await call(api.app, 'GET', `/api/credentials?client_ids=${reg.admin.client_id}`, reg.adminToken)).json<CredentialListing>()
    expect(credentials.map((c) => c.client_secret)).toEqual([reg.admin.client_secret])
    await api.app.close()
  })
})
