import type { Grant } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, call, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { clientsByScope, expectError, getGrant, grantMessages, listGrants } from '../../../test/grants-kit.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../../config/defaults.js'
import { createGrant, type NewGrant } from './grant-changes.js'

const GRANT_FIELDS = [
  'authorization_details',
  'children',
  'client_id',
  'created',
  'eta',
  'enabled_authorization_details',
  'enabled_scope',
  'expires',
  'grant_id',
  'modified',
  'not_after',
  'not_before',
  'parent',
  'receipt_confirmations',
  'replaced_by',
  'replacing',
  'scope',
  'status',
  'uri',
]

const uri = (grant_id: string) => `${API_BASE_URL}/api/grants/${grant_id}`

forEachDialect('CDS-WG1-02 §8 Grants API', (t) => {
  let api: ApiApp
  let a: TestRegistration
  let b: TestRegistration
  let aClients: Map<string, string>

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    a = await register(api.app)
    b = await register(api.app)
    aClients = await clientsByScope(t.db, a.admin.client_id)
  })
  afterAll(async () => api.app.close())

  const codeClient = () => aClients.get(DEMO_CODE_SCOPE) ?? ''
  const directClient = () => aClients.get(DEMO_DIRECT_SCOPE) ?? ''

  describe('CDS-WG1-02 §8 Grants of a registration (A-22)', () => {
    it('A-22 registration creates one active Grant per client_credentials Client object, with its scope and no changelog', async () => {
      const { grants, next, previous } = await listGrants(api.app, a.adminToken)
      expect(next).toBeNull()
      expect(previous).toBeNull()
      const byClient = new Map(grants.map((g) => [g.client_id, g]))
      expect([...byClient.keys()].sort()).toEqual([a.admin.client_id, aClients.get(DEMO_GRANT_ADMIN_SCOPE), directClient()].sort())
      expect(grants).toHaveLength(3)
      for (const g of grants) {
        expect(g).toMatchObject({ status: 'active', enabled_scope: g.scope, authorization_details: [], receipt_confirmations: [], parent: null, eta: null })
        // R1-02-8.1-04: never modified yet.
        expect(g.modified).toBe(g.created)
      }
      expect(byClient.get(a.admin.client_id)?.scope).toBe('cds_client_admin')
      expect(byClient.get(directClient())?.scope).toBe(DEMO_DIRECT_SCOPE)
      // Grants made inside the registration are not announced.
      expect(await grantMessages(t.db, a.admin.client_id)).toEqual([])
    })

    it('R1-02-8.1-01 every Grant has exactly the 19 fields, uri under the Grants API', async () => {
      const { grants } = await listGrants(api.app, a.adminToken)
      for (const g of grants) {
        expect(Object.keys(g).sort()).toEqual([...GRANT_FIELDS].sort())
        expect(g.uri).toBe(uri(g.grant_id))
      }
    })
  })

  describe('CDS-WG1-02 §8.5 Retrieving Individual Grants', () => {
    it('R1-02-8.5-01 GET on a Grant uri returns the same object as the listing', async () => {
      const { grants } = await listGrants(api.app, a.adminToken)
      const first = grants[0] as Grant
      const response = await call(api.app, 'GET', first.uri, a.adminToken)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.json()).toEqual(first)
    })

    it('R1-02-X-01 R1-02-X-02 another registration’s Grant and an unknown id are 404 not_found', async () => {
      const { grants } = await listGrants(api.app, a.adminToken)
      const foreign = grants[0] as Grant
      expectError(await call(api.app, 'GET', foreign.uri, b.adminToken), 404, 'not_found')
      expectError(await call(api.app, 'PATCH', foreign.uri, b.adminToken, { status: 'closed' }), 404, 'not_found')
      expectError(await call(api.app, 'GET', '/api/grants/does-not-exist', a.adminToken), 404, 'not_found')
      // B's own listing has none of A's Grants.
      const ofB = await listGrants(api.app, b.adminToken)
      expect(ofB.grants.map((g) => g.grant_id)).not.toContain(foreign.grant_id)
      expect(ofB.grants).toHaveLength(3)
    })

    it('R1-02-8-01 the Grants API needs a bearer token: none or an unknown one is 401', async () => {
      const none = await call(api.app, 'GET', '/api/grants', undefined)
      expect(none.statusCode).toBe(401)
      expect(none.headers['www-authenticate']).toMatch(/^Bearer/)
      const bogus = await call(api.app, 'GET', '/api/grants', 'not-a-token')
      expectError(bogus, 401, 'invalid_token')
    })

    it('R1-02-X-05 DELETE and POST on Grants are 405 with Allow', async () => {
      const { grants } = await listGrants(api.app, a.adminToken)
      const del = await call(api.app, 'DELETE', (grants[0] as Grant).uri, a.adminToken)
      expect(del.statusCode).toBe(405)
      expect(String(del.headers.allow)).toMatch(/PATCH/)
      const post = await call(api.app, 'POST', '/api/grants', a.adminToken, {})
      expect(post.statusCode).toBe(405)
    })
  })

  describe('CDS-WG1-02 §8.4 Listing Grants', () => {
    let parent: string
    let child: string
    let replacer: string
    let early: string
    let late: string

    const created: string[] = []

    beforeAll(async () => {
      // A minute apart, so `created` orders them (the tokens stay valid).
      const next = () => api.clock.advance(60)
      const details = [{ type: DEMO_CODE_SCOPE, resolution: 'hourly' }]
      const make = async (input: Omit<NewGrant, 'changelog'>) => {
        next()
        const grant = await createGrant(t.db, api.clock, { ...input, changelog: false })
        created.push(grant.created)
        return grant.grant_id
      }
      early = await make({ client_id: codeClient(), scope: DEMO_CODE_SCOPE, authorization_details: details, receipt_confirmations: ['RCPT000001'] })
      parent = await make({ client_id: codeClient(), scope: '', authorization_details: details, status: 'needs_sub_grants' })
      child = await make({ client_id: codeClient(), scope: DEMO_CODE_SCOPE, parent, status: 'pending', eta: '2025-03-01T00:00:00Z' })
      next()
      const replacing = await createGrant(t.db, api.clock, { client_id: codeClient(), scope: DEMO_CODE_SCOPE, replacing: [early], changelog: { base_url: API_BASE_URL } })
      replacer = replacing.grant_id
      created.push(replacing.created)
      late = await make({ client_id: directClient(), scope: DEMO_DIRECT_SCOPE, status: 'suspended' })
    })

    const ids = async (query: string) => (await listGrants(api.app, a.adminToken, query)).grants.map((g) => g.grant_id)

    it('R1-02-8.4-01 R1-02-8.4-12 lists the registration’s Grants, most recently modified first', async () => {
      const { grants } = await listGrants(api.app, a.adminToken)
      expect(grants).toHaveLength(8)
      expect(grants.slice(0, 5).map((g) => g.grant_id)).toEqual([late, replacer, child, parent, early])
      const modified = grants.map((g) => g.modified)
      expect([...modified].sort().reverse()).toEqual(modified)
    })

    it('R1-02-8.1-02 R1-02-8.1-03 replacing/replaced_by are URIs of each other; children list the sub-Grants', async () => {
      expect(await getGrant(api.app, a.adminToken, early)).toMatchObject({ replaced_by: [uri(replacer)], replacing: [] })
      expect(await getGrant(api.app, a.adminToken, replacer)).toMatchObject({ replacing: [uri(early)], replaced_by: [] })
      expect(await getGrant(api.app, a.adminToken, parent)).toMatchObject({ children: [child], parent: null, status: 'needs_sub_grants' })
      expect(await getGrant(api.app, a.adminToken, child)).toMatchObject({ parent, children: [], status: 'pending', eta: '2025-03-01T00:00:00Z' })
    })

    it('R1-02-8.1-09 R1-02-8.1-10 a suspended Grant enables nothing (A-21)', async () => {
      expect(await getGrant(api.app, a.adminToken, late)).toMatchObject({ status: 'suspended', enabled_scope: '', enabled_authorization_details: [] })
    })

    it('R1-02-8.4-03 grant_ids filters by id (space-separated)', async () => {
      expect((await ids(`?grant_ids=${early}%20${late}`)).sort()).toEqual([early, late].sort())
      expect(await ids('?grant_ids=nope')).toEqual([])
    })

    it('R1-02-8.4-04 parents returns the sub-Grants of the listed parents', async () => {
      expect(await ids(`?parents=${parent}`)).toEqual([child])
    })

    it('R1-02-8.4-05 statuses filters; an unknown status finds nothing rather than 400', async () => {
      expect((await ids('?statuses=pending+suspended')).sort()).toEqual([child, late].sort())
      expect(await ids('?statuses=no_such_status')).toEqual([])
    })

    it('R1-02-8.4-06 client_ids filters by Client object', async () => {
      expect((await ids(`?client_ids=${codeClient()}`)).sort()).toEqual([early, parent, child, replacer].sort())
      // Another registration's client_id finds nothing.
      expect(await ids(`?client_ids=${b.admin.client_id}`)).toEqual([])
    })

    it('R1-02-8.4-07 scopes matches a scope token or an authorization_details type', async () => {
      expect((await ids(`?scopes=${DEMO_CODE_SCOPE}`)).sort()).toEqual([early, parent, child, replacer].sort())
      // `parent` has an empty scope: it matches through its entry type only.
      expect(await ids(`?scopes=${DEMO_CODE_SCOPE}&statuses=needs_sub_grants`)).toEqual([parent])
      expect((await ids(`?scopes=${DEMO_DIRECT_SCOPE}%20cds_client_admin`)).length).toBe(3)
    })

    it('R1-02-8.4-08 receipt_confirmations finds the Grant that lists the code', async () => {
      expect(await ids('?receipt_confirmations=RCPT000001')).toEqual([early])
      expect(await ids('?receipt_confirmations=UNKNOWN')).toEqual([])
    })

    it('R1-02-8.4-09 R1-02-8.4-10 after and before are inclusive bounds on created', async () => {
      const at = (i: number) => encodeURIComponent(created[i] ?? '')
      expect(await ids(`?after=${at(3)}`)).toEqual([late, replacer])
      expect(await ids(`?before=${at(1)}&after=${at(0)}`)).toEqual([parent, early])
      expect(await ids(`?after=${at(1)}&before=${at(1)}`)).toEqual([parent])
    })

    it('R1-02-8.4-11 filters intersect', async () => {
      expect(await ids(`?client_ids=${codeClient()}&statuses=active&after=${encodeURIComponent(created[1] ?? '')}`)).toEqual([replacer])
    })

    it('R1-02-8.4-09 a bad datetime or cursor is 400 invalid_request naming the parameter', async () => {
      const bad = await call(api.app, 'GET', '/api/grants?after=yesterday', a.adminToken)
      expectError(bad, 400, 'invalid_request')
      expect(bad.json<{ error_description: string }>().error_description).toContain('after')
      expectError(await call(api.app, 'GET', '/api/grants?cursor=%%%', a.adminToken), 400, 'invalid_request')
    })
  })

  describe('CDS-WG1-02 §8.4 pages of Grants', () => {
    it('R1-02-8.4-02 more than 100 Grants come in pages of 100 with next and previous links that keep the filters', async () => {
      const c = await register(api.app)
      const code = (await clientsByScope(t.db, c.admin.client_id)).get(DEMO_CODE_SCOPE) ?? ''
      for (let i = 0; i < 101; i += 1) {
        api.clock.advance(1)
        await createGrant(t.db, api.clock, { client_id: code, scope: DEMO_CODE_SCOPE, changelog: false })
      }
      const first = await listGrants(api.app, c.adminToken, `?client_ids=${code}`)
      expect(first.grants).toHaveLength(100)
      expect(first.previous).toBeNull()
      expect(first.next).toMatch(new RegExp(`^${API_BASE_URL}/api/grants\\?client_ids=${code}&cursor=`))
      const second = await listGrants(api.app, c.adminToken, (first.next ?? '').slice(`${API_BASE_URL}/api/grants`.length))
      expect(second.grants).toHaveLength(1)
      expect(second.next).toBeNull()
      expect(second.previous).not.toBeNull()
      const seen = new Set([...first.grants, ...second.grants].map((g) => g.grant_id))
      expect(seen.size).toBe(101)
      const back = await listGrants(api.app, c.adminToken, (second.previous ?? '').slice(`${API_BASE_URL}/api/grants`.length))
      expect(back.grants.map((g) => g.grant_id)).toEqual(first.grants.map((g) => g.grant_id))
    })
  })

  describe('CDS-WG1-02 §8.1 dates of server-created Grants', () => {
    it('A-24 R1-02-8.1-08 expires follows not_after unless set; R1-02-8.1-05 a future Grant states not_before', async () => {
      const c = await register(api.app)
      const direct = (await clientsByScope(t.db, c.admin.client_id)).get(DEMO_DIRECT_SCOPE) ?? ''
      const ending = await createGrant(t.db, api.clock, { client_id: direct, scope: DEMO_DIRECT_SCOPE, not_after: '2026-01-01T00:00:00Z', changelog: false })
      expect(await getGrant(api.app, c.adminToken, ending.grant_id)).toMatchObject({ not_after: '2026-01-01T00:00:00Z', expires: '2026-01-01T00:00:00Z' })
      const later = await createGrant(t.db, api.clock, {
        client_id: direct,
        scope: DEMO_DIRECT_SCOPE,
        status: 'future',
        not_before: '2025-06-01T00:00:00Z',
        expires: '2027-01-01T00:00:00Z',
        changelog: { base_url: API_BASE_URL },
      })
      expect(await getGrant(api.app, c.adminToken, later.grant_id)).toMatchObject({
        status: 'future',
        not_before: '2025-06-01T00:00:00Z',
        expires: '2027-01-01T00:00:00Z',
        enabled_scope: '',
      })
      expect(await grantMessages(t.db, c.admin.client_id)).toEqual([{ name: 'Grant created', related_uri: uri(later.grant_id), type: 'notification' }])
      await expect(createGrant(t.db, api.clock, { client_id: direct, scope: DEMO_DIRECT_SCOPE, status: 'future', changelog: false })).rejects.toMatchObject({
        error: 'invalid_request',
      })
    })
  })
})
