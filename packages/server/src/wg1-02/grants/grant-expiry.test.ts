import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { clientsByScope, getGrant, grantMessages, listGrants } from '../../../test/grants-kit.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE } from '../../config/defaults.js'
import { serverAuthorizationGrants } from './authorization-grants.js'
import { createGrant } from './grant-changes.js'
import { approvedExpiry } from './grant-expiry.js'

describe('CDS-WG3-01 §7.3.8 the end an approval asks for', () => {
  it('R3-01-7.3.8-02 the earliest absolute expires of the entries; "infinite" or none is no end', () => {
    expect(approvedExpiry([{ type: 'a', expires: '2027-01-15T04:00:00-08:00' }, { type: 'b', expires: '2026-06-01T00:00:00Z' }])).toBe('2026-06-01T00:00:00.000Z')
    expect(approvedExpiry([{ type: 'a', expires: 'infinite' }, { type: 'b' }])).toBeNull()
    expect(approvedExpiry([])).toBeNull()
  })
})

forEachDialect('CDS-WG1-02 §8.2 Grants whose end has passed', (t) => {
  let api: ApiApp
  let a: TestRegistration
  beforeAll(async () => {
    api = await buildApiApp(t.database)
    a = await register(api.app)
  })
  afterAll(async () => api.app.close())

  it('R3-01-7.3.8-02 an approval with expires makes a Grant that ends then (expires and not_after)', async () => {
    const code = (await clientsByScope(t.db, a.admin.client_id)).get(DEMO_CODE_SCOPE) ?? ''
    const ends = new Date(api.clock.now().getTime() + 3_600_000).toISOString()
    const grants = serverAuthorizationGrants(t.db, api.clock, api.config)
    const grant_id = await grants.recordApproval({
      client_id: code,
      customer_id: 'CUST-A',
      scope: DEMO_CODE_SCOPE,
      authorization_details: [{ type: DEMO_CODE_SCOPE, expires: ends }],
      cds_grant_id: undefined,
      approved_at: api.clock.now(),
      selections: [],
    })
    const iso = ends.replace('.000Z', 'Z')
    expect(await getGrant(api.app, a.adminToken, grant_id)).toMatchObject({ status: 'active', expires: iso, not_after: iso })
  })

  it('R3-01-7.3.8-03 R1-02-8.2-04 a Grant past its not_after reads as expired, with nothing enabled and a Message', async () => {
    const direct = (await clientsByScope(t.db, a.admin.client_id)).get(DEMO_DIRECT_SCOPE) ?? ''
    const past = new Date(api.clock.now().getTime() - 60_000).toISOString()
    const future = new Date(api.clock.now().getTime() + 86_400_000).toISOString()
    const lapsed = await createGrant(t.db, api.clock, { client_id: direct, scope: DEMO_DIRECT_SCOPE, not_after: past, changelog: false })
    const running = await createGrant(t.db, api.clock, { client_id: direct, scope: DEMO_DIRECT_SCOPE, not_after: future, changelog: false })
    expect(await getGrant(api.app, a.adminToken, lapsed.grant_id)).toMatchObject({ status: 'expired', enabled_scope: '', not_after: past.replace('.000Z', 'Z') })
    const listed = (await listGrants(api.app, a.adminToken)).grants
    expect(listed.find((g) => g.grant_id === running.grant_id)).toMatchObject({ status: 'active', enabled_scope: DEMO_DIRECT_SCOPE })
    expect((await grantMessages(t.db, a.admin.client_id)).filter((m) => m.name === 'Grant expired')).toEqual([{ name: 'Grant expired', related_uri: `${API_BASE_URL}/api/grants/${lapsed.grant_id}`, type: 'notification' }])
  })
})
