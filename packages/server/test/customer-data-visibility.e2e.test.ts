/**
 * Customer Data visibility end to end (CDS-WG3-01 §10, catalog §1.2–§1.11): the real server over
 * `inject`, two customers' data, Grants and access tokens written as the authorization and token
 * endpoints would write them, and the Accounts listing as the Client sees it.
 */
import { hashSecret, randomOpaqueValue } from '@cds-ts/auth'
import { Decimal, type Grant } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { KyselyGrantStore } from '../src/db/grant-store.js'
import { toJsonText } from '../src/db/json-text.js'
import type { GrantSelection } from '../src/db/database.js'
import { KyselyAuthStore } from '../src/db/oauth-store.js'
import { writeUsageSegments } from '../src/customer-data/write-usage-segments.js'
import { resolveDataAccess } from '../src/wg3-01/data/access.js'
import { buildApiApp, call, clientCredentialsToken, register, type ApiApp } from './api-app.js'
import { insertAccount, insertCustomerDataFixture } from './customer-data-fixture.js'
import { forEachDialect } from './dialects.js'
import { clientsByScope, secretFor } from './grants-kit.js'

const NOW = '2025-01-01T00:00:00Z'

forEachDialect('CDS-WG3-01 §10 Customer Data visibility, end to end', (t) => {
  let api: ApiApp
  let app: FastifyInstance
  let client_id: string
  let adminToken: string

  /** Stores an active Grant with one scope and its entry, and returns a fresh access token for it. */
  async function grantToken(scope: string, entry: Record<string, unknown>, customer_id: string | null, selections: GrantSelection[] = []): Promise<{ token: string; grant_id: string }> {
    const grant_id = `g-${randomOpaqueValue().slice(0, 12)}`
    const details = [{ type: scope, ...entry }] as Grant['authorization_details']
    await new KyselyGrantStore(t.db).insert({
      grant_id,
      parent: null,
      created: NOW,
      modified: NOW,
      not_before: null,
      not_after: null,
      eta: null,
      expires: null,
      status: 'active',
      client_id,
      scope,
      authorization_details: details,
      receipt_confirmations: [],
      enabled_scope: scope,
      enabled_authorization_details: details,
      replacing: [],
      customer_id,
    })
    await t.db.updateTable('grants').set({ selections: toJsonText(selections) }).where('grant_id', '=', grant_id).execute()
    const token = randomOpaqueValue()
    await new KyselyAuthStore(t.db).tokens.insert({
      token_hash: hashSecret(token),
      token_type: 'access_token',
      client_id,
      credential_id: null,
      grant_id,
      code_hash: null,
      scope,
      authorization_details: details,
      issued_at: new Date(NOW),
      expires_at: new Date(Date.parse(NOW) + 3_600_000),
      revoked_at: null,
    })
    return { token, grant_id }
  }

  const accountsSelection = (scope: string, numbers: string[]): GrantSelection[] => [
    { scopes: [scope], selection_type: 'account_selection', resource_type: 'account', numbers, all: false, include_future: false },
  ]

  async function listAccounts(token: string, query = ''): Promise<{ accounts: Record<string, unknown>[]; next: string | null; previous: string | null }> {
    const response = await call(app, 'GET', `/api/accounts${query}`, token)
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    app = api.app
    await insertCustomerDataFixture(t.db)
    const registration = await register(app, 'cds_client_admin cds_accounts cds_query_accounts')
    adminToken = registration.adminToken
    client_id = registration.admin.client_id
  })
  afterAll(async () => {
    await app.close()
  })

  it('R3-01-10.1.10: a consent token lists only its customer\'s selected accounts, with gated fields left out (§7.2, A-04)', async () => {
    const { token } = await grantToken('cds_accounts', {}, 'cust-1', accountsSelection('cds_accounts', ['ACC-1', 'ACC-9']))
    const page = await listAccounts(token)
    // ACC-9 is another customer's: a selection never leaves the base set; A0 (the parent) and A2 were not selected.
    expect(page.accounts.map((a) => a.cds_account_id)).toEqual(['A1'])
    expect(page).toMatchObject({ next: null, previous: null })
    // §7.2.1.1: include_account_numbers is off by default, so the number is absent.
    expect(page.accounts[0]).not.toHaveProperty('account_number')
    const numbers = await grantToken('cds_accounts', { include_account_numbers: true }, 'cust-1', accountsSelection('cds_accounts', ['ACC-1']))
    expect((await listAccounts(numbers.token)).accounts[0]).toMatchObject({ cds_account_id: 'A1', account_number: 'ACC-1' })
  })

  it('catalog §1.11: a data token whose scopes do not reach accounts gets 200 and an empty list (A-08, A-10)', async () => {
    const { token } = await grantToken('cds_accounts', {}, 'cust-2', [])
    expect(await listAccounts(token)).toEqual({ accounts: [], next: null, previous: null })
  })

  it('catalog §1.2: revoked, suspended and expired Grants give 401 invalid_token', async () => {
    for (const status of ['revoked', 'suspended', 'expired'] as const) {
      const { token, grant_id } = await grantToken('cds_accounts', {}, 'cust-1', accountsSelection('cds_accounts', ['ACC-1']))
      await listAccounts(token)
      await t.db.updateTable('grants').set({ status }).where('grant_id', '=', grant_id).execute()
      const response = await call(app, 'GET', '/api/accounts', token)
      expect(response.statusCode).toBe(401)
      expect(String(response.headers['www-authenticate'])).toContain('invalid_token')
    }
  })

  it('catalog §1.11: a cds_client_admin token is 403 insufficient_scope; no token is 401', async () => {
    const forbidden = await call(app, 'GET', '/api/accounts', adminToken)
    expect(forbidden.statusCode).toBe(403)
    expect(String(forbidden.headers['www-authenticate'])).toContain('insufficient_scope')
    expect((await call(app, 'GET', '/api/accounts', undefined)).statusCode).toBe(401)
  })

  it('A-09, A-19: an unknown cursor is 400; another method is 405 with Allow: GET', async () => {
    const { token } = await grantToken('cds_accounts', {}, 'cust-1', accountsSelection('cds_accounts', ['ACC-1']))
    const bad = await call(app, 'GET', '/api/accounts?cursor=not-a-cursor', token)
    expect(bad.statusCode).toBe(400)
    expect(bad.json()).toMatchObject({ error: 'invalid_request' })
    const post = await call(app, 'POST', '/api/accounts', token, {})
    expect(post.statusCode).toBe(405)
    expect(String(post.headers.allow)).toContain('GET')
  })

  it('A-09, A-14: pages of 100 whose next/previous links keep the filters and unknown parameters', async () => {
    for (let i = 0; i < 101; i += 1) await insertAccount(t.db, `BULK-${String(i).padStart(3, '0')}`, null, `BULK-${i}`)
    const { token } = await grantToken('cds_query_accounts', { account_numbers: null, sync_until: 'infinite' }, null)
    const first = await listAccounts(token, '?account_statuses=active&x-unknown=1')
    expect(first.accounts).toHaveLength(100)
    expect(first.previous).toBeNull()
    const next = new URL(first.next ?? '')
    expect(next.origin).toBe(api.config.base_url)
    expect(next.searchParams.get('account_statuses')).toBe('active')
    expect(next.searchParams.get('x-unknown')).toBe('1')
    const second = await listAccounts(token, next.search)
    // Every active account (the fixture's, the 101 bulk ones, and any demo accounts the server seeded).
    const total = Number((await sql<{ n: string }>`select count(*) as n from accounts where account_status = 'active'`.execute(t.db)).rows[0]?.n)
    expect(total).toBeGreaterThan(100)
    expect(total).toBeLessThanOrEqual(200)
    expect(second.accounts).toHaveLength(total - 100)
    expect(second.next).toBeNull()
    expect(new URL(second.previous ?? '').searchParams.get('account_statuses')).toBe('active')
    const seen = new Set([...first.accounts.map((a) => a.cds_account_id), ...second.accounts.map((a) => a.cds_account_id)])
    expect(seen.size).toBe(total)
  })

  it('§7.3: a Grant\'s statement window limits what its token sees (containment, resolved from the stored token)', async () => {
    const { token } = await grantToken('cds_bill_statements', { statement_date_start: '2024-01-01', statement_date_end: 'infinite' }, 'cust-1', [
      { scopes: ['cds_bill_statements'], selection_type: 'account_selection', resource_type: 'account', numbers: ['ACC-1'], all: false, include_future: false },
    ])
    const record = await new KyselyAuthStore(t.db).tokens.find(hashSecret(token))
    const access = await resolveDataAccess({ db: t.db, config: api.config, clock: api.clock }, record ?? null)
    const rows = await sql<{ id: string }>`select cds_billstatement_id as id from bill_statements where ${access.visible('bill_statement')} order by 1`.execute(t.db)
    expect(rows.rows.map((r) => r.id)).toEqual(['BS1'])
  })

  it('§6.2: a direct-access token requested with preselections through the token endpoint sees only what they name', async () => {
    const byScope = await clientsByScope(t.db, client_id)
    const direct = byScope.get('cds_query_accounts')
    if (direct === undefined) throw new Error('the registration has no cds_query_accounts Client object')
    const secret = await secretFor(t.db, api.clock, api.config, direct)
    const narrowed = await clientCredentialsToken(app, direct, secret, undefined, [{ type: 'cds_query_accounts', account_numbers: ['ACC-2', 'ACC-9'] }])
    const listed = await listAccounts(narrowed)
    expect(listed.accounts.map((a) => a.cds_account_id).sort()).toEqual(['A2', 'A9'])
    // Asking for a number the listing filter also names only intersects further.
    expect((await listAccounts(narrowed, '?cds_account_ids=A2%20A1')).accounts.map((a) => a.cds_account_id)).toEqual(['A2'])
    const unnarrowed = await clientCredentialsToken(app, direct, secret, 'cds_query_accounts')
    const plain = await listAccounts(unnarrowed, '?cds_account_ids=A1%20A2%20A9')
    expect(plain.accounts).toHaveLength(3)
    expect(plain.accounts[0]).not.toHaveProperty('account_status')
    // An optional field the scope offers is on when the token asks for it (§7.2).
    const detailed = await clientCredentialsToken(app, direct, secret, undefined, [{ type: 'cds_query_accounts', include_account_details: true }])
    expect((await listAccounts(detailed, '?cds_account_ids=A2')).accounts[0]).toHaveProperty('account_status', 'active')
  })

  it('A-14: a repeated list parameter is one list; a repeated q is 400', async () => {
    const { token } = await grantToken('cds_query_accounts', { account_numbers: null, sync_until: 'infinite' }, null)
    const both = await listAccounts(token, '?cds_account_ids=A1&cds_account_ids=A2%20A9')
    expect(both.accounts.map((a) => a.cds_account_id).sort()).toEqual(['A1', 'A2', 'A9'])
    const twice = await call(app, 'GET', '/api/accounts?q=ACC&q=1', token)
    expect(twice.statusCode).toBe(400)
    expect(twice.json()).toMatchObject({ error: 'invalid_request' })
  })

  it('§10.8: Usage Segments over HTTP keep their digits and their Value Objects as written (the listing skips the allow-list pass)', async () => {
    await writeUsageSegments(
      t.db,
      [
        {
          cds_usagesegment_id: 'US-EXACT',
          segment_start: new Date('2024-02-01T08:00:00Z'),
          interval: '900',
          formats: [{ id: 'electric_usage_kwh', type: 'electric_usage', units: 'kWh', direction: 'forward' }],
          values: [[{ eu: Decimal.from('0.250') }], [null], [{ eu: Decimal.from('12345678901234567.125'), exampleutility_estimated: true }]],
          related: { account: ['A2'], service_contract: ['SC2'], service_point: ['SP2'], meter_device: ['MD2'] },
        },
      ],
      new Date(NOW),
    )
    const { token } = await grantToken('cds_usage', { segment_start: 'infinite', segment_end: 'infinite', sync_until: 'infinite' }, 'cust-1', [
      { scopes: ['cds_usage'], selection_type: 'meter_selection', resource_type: 'meter_device', numbers: ['MN-2'], all: false, include_future: false },
    ])
    const response = await call(app, 'GET', '/api/usagesegments?cds_usagesegment_ids=US-EXACT', token)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.body).toContain('"values":[[{"eu":0.250}],[null],[{"eu":12345678901234567.125,"exampleutility_estimated":true}]]')
    const [segment] = response.json<{ usage_segments: Record<string, unknown>[] }>().usage_segments
    expect(Object.keys(segment ?? {}).sort()).toEqual(
      ['cds_created', 'cds_modified', 'cds_synced', 'cds_usagesegment_id', 'formats', 'interval', 'related_accounts', 'related_aggregations', 'related_billsections',
        'related_meterdevices', 'related_servicecontracts', 'related_servicepoints', 'segment_end', 'segment_start', 'values'].sort(),
    )
    expect(segment).toMatchObject({ related_meterdevices: ['MD2'], segment_end: '2024-02-01T08:45:00Z', interval: 900 })
  })
})
