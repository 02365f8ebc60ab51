import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { FIXTURE_CREATED, insertAccount, insertCustomerDataFixture } from '../../../test/customer-data-fixture.js'
import { forEachDialect } from '../../../test/dialects.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { defaultConfig } from '../../config/defaults.js'
import type { GrantSelection, ResourceType } from '../../db/database.js'
import { scopeAccess, windowsOf, type GrantAccess } from './access-grant.js'
import { accessForGrant, DATA_TABLES } from './access.js'
import type { DataAccess, DataObjectType } from './types.js'

const config: ServerConfig = defaultConfig('https://utility.example.com')

type ScopeSpec = [scope: string, entry?: Record<string, unknown>, selections?: GrantSelection[]]

/** A selection of the customer's form (A-10). */
function selected(scope: string, resource_type: ResourceType, numbers: string[], extra: Partial<GrantSelection> = {}): GrantSelection[] {
  return [{ scopes: [scope], selection_type: `${resource_type}_selection`, resource_type, numbers, all: false, include_future: false, ...extra }]
}

/** A resolved Grant of `cust-1` (consent) or of nobody (direct access). */
function grant(specs: ScopeSpec[], customer_id: string | null = 'cust-1'): GrantAccess {
  const scopes = specs.map(([id, entry = {}, selections = []]) => {
    const description = config.oauth.scope_descriptions[id]
    if (description === undefined) throw new Error(`no scope ${id}`)
    return scopeAccess(description, entry, selections)
  })
  return { grant_id: 'g-1', client_id: 'c-1', status: 'active', customer_id, created: '2025-01-01T00:00:00Z', scopes, windows: windowsOf(scopes.map((s) => s.entry)), valueFormats: 'all' }
}

forEachDialect('CDS-WG3-01 §7, catalog §1.4 Customer Data visibility', (t) => {
  beforeAll(async () => {
    await insertCustomerDataFixture(t.db)
  })

  const access = (specs: ScopeSpec[], customer_id?: string | null, adjust?: (c: ServerConfig) => ServerConfig) =>
    accessForGrant(t.db, adjust ? adjust(structuredClone(config)) : config, grant(specs, customer_id))

  /** The ids of `type` the access makes visible, sorted. */
  async function visible(a: DataAccess, type: DataObjectType): Promise<string[]> {
    const { table, id } = DATA_TABLES[type]
    const rows = await sql<{ id: string }>`select ${sql.ref(`${table}.${id}`)} as id from ${sql.table(table)} where ${a.visible(type)} order by 1`.execute(t.db)
    return rows.rows.map((r) => r.id)
  }

  describe('consent scopes (§6.1)', () => {
    it('cds_usage by meter: that meter\'s segments only, never another meter\'s or customer\'s; accounts only when included (A-04)', async () => {
      const a = await access([['cds_usage', {}, selected('cds_usage', 'meter_device', ['MN-1'])]])
      expect(await visible(a, 'usage_segment')).toEqual(['US1', 'US3'])
      expect(await visible(a, 'meter_device')).toEqual(['MD1'])
      expect(await visible(a, 'account')).toEqual([])
      expect(a.includes('include_usage_segments')).toBe(true)
      expect(a.includes('include_accounts')).toBe(false)
      const withAccounts = await access([['cds_usage', { include_accounts: true }, selected('cds_usage', 'meter_device', ['MN-1'])]])
      // §7.2.1: the segment's related account and its ancestors; A2 (another meter's) stays out.
      expect(await visible(withAccounts, 'account')).toEqual(['A0', 'A1'])
      expect(await visible(withAccounts, 'usage_segment')).toEqual(['US1', 'US3'])
    })

    it('A-05: a usage scope offering include_eacs reaches the EACs naming the accounts of its data, never another customer\'s', async () => {
      const at = new Date('2024-06-01T00:00:00Z')
      const eac = (id: string, beneficiaries: string[]) => ({
        cds_eac_id: id,
        beneficiary_type: 'account',
        beneficiaries: JSON.stringify(beneficiaries),
        eac_format: 'cds_ts_demo_eac_v1',
        eac_data_url: `https://utility.example/eacs/${id}`,
        period_start: at,
        period_end: at,
        cds_created: at,
        cds_modified: at,
        cds_synced: at,
      })
      await t.db.insertInto('eacs').values([eac('EAC-1', ['A1']), eac('EAC-9', ['A9'])]).onConflict((oc) => oc.doNothing()).execute()
      const usage = (entry: Record<string, unknown>) => access([['cds_usage', entry, selected('cds_usage', 'meter_device', ['MN-1'])]])
      expect(await visible(await usage({ include_eacs: true }), 'eac')).toEqual(['EAC-1'])
      expect(await visible(await usage({}), 'eac')).toEqual([])
    })

    it('cds_usage: the segment window is an overlap (§7.3.6, §7.3.7; the listing trims)', async () => {
      const a = await access([['cds_usage', { segment_start: '2024-01-01T12:00:00Z', segment_end: 'infinite' }, selected('cds_usage', 'account', ['ACC-1'])]])
      expect(await visible(a, 'usage_segment')).toEqual(['US1'])
      expect(a.windows.segment_start).toBe('2024-01-01T12:00:00Z')
      expect(a.windows.segment_end).toBeNull()
    })

    it('A-16: a Program scope limits the Program objects to its preselected numbers; another scope that includes programs does not', async () => {
      const programs = await access([['cds_account_programs', { account_programs: ['PRG-1'] }, selected('cds_account_programs', 'account', ['ACC-1'])]])
      expect([...(programs.programs?.account ?? ['unrestricted'])]).toEqual(['PRG-1'])
      expect(programs.programs?.service).toEqual(new Set())
      const both = await access([
        ['cds_account_programs', { account_programs: ['PRG-1'] }, selected('cds_account_programs', 'account', ['ACC-1'])],
        ['cds_accounts', { include_account_programs: true }, selected('cds_accounts', 'account', ['ACC-1'])],
      ])
      expect(both.programs?.account).toBeNull()
    })

    it('cds_accounts: the selected account only, never widened to its parent (A-04)', async () => {
      const a = await access([['cds_accounts', {}, selected('cds_accounts', 'account', ['ACC-1'])]])
      expect(await visible(a, 'account')).toEqual(['A1'])
      expect(await visible(a, 'service_contract')).toEqual([])
      expect(await visible(a, 'usage_segment')).toEqual([])
      expect(await visible(a, 'bill_statement')).toEqual([])
      const withAggregations = await access([['cds_accounts', { include_aggregations: true }, selected('cds_accounts', 'account', ['ACC-1'])]])
      expect(await visible(withAggregations, 'aggregation')).toEqual(['AG1'])
    })

    it('cds_service_contracts: by contract or by account; accounts and their ancestors come along (§6.1.5)', async () => {
      const byContract = await access([['cds_service_contracts', {}, selected('cds_service_contracts', 'service_contract', ['CN-1'])]])
      expect(await visible(byContract, 'service_contract')).toEqual(['SC1'])
      expect(await visible(byContract, 'account')).toEqual(['A0', 'A1'])
      // include_meter_devices defaults to true (catalog T8), and with contracts it brings the service points.
      expect(await visible(byContract, 'meter_device')).toEqual(['MD1'])
      expect(await visible(byContract, 'service_point')).toEqual(['SP1'])
      const byAccount = await access([['cds_service_contracts', {}, selected('cds_service_contracts', 'account', ['ACC-2'])]])
      expect(await visible(byAccount, 'service_contract')).toEqual(['SC2'])
    })

    it('cds_meters: meters now at the selected contract\'s service points (§6.1.6)', async () => {
      const a = await access([['cds_meters', {}, selected('cds_meters', 'service_contract', ['CN-2'])]])
      expect(await visible(a, 'meter_device')).toEqual(['MD2'])
      // include_service_contracts defaults to true (catalog T8): reached back through the service point.
      expect(await visible(a, 'service_contract')).toEqual(['SC2'])
      expect(await visible(a, 'service_point')).toEqual(['SP2'])
      expect(await visible(a, 'account')).toEqual([])
    })

    it('cds_bill_statements: the selected account\'s statements inside the statement window (§6.1.7, §7.3.2)', async () => {
      const a = await access([['cds_bill_statements', { statement_date_start: '2024-01-01', statement_date_end: 'infinite' }, selected('cds_bill_statements', 'account', ['ACC-1'])]])
      expect(await visible(a, 'bill_statement')).toEqual(['BS1'])
      expect(await visible(a, 'account')).toEqual(['A0', 'A1'])
      expect(a.includes('include_account_numbers')).toBe(true)
    })

    it('cds_service_bills: sections naming a selected contract, or of a selected account; window by containment (§6.1.8)', async () => {
      const byContract = await access([['cds_service_bills', {}, selected('cds_service_bills', 'service_contract', ['CN-1'])]])
      expect(await visible(byContract, 'bill_section')).toEqual(['BX1'])
      expect(await visible(byContract, 'service_contract')).toEqual(['SC1'])
      const byAccount = await access([['cds_service_bills', { start_date: '2024-02-02', end_date: 'infinite' }, selected('cds_service_bills', 'account', ['ACC-2'])]])
      expect(await visible(byAccount, 'bill_section')).toEqual([])
      const open = await access([['cds_service_bills', { start_date: '2024-02-01', end_date: '2024-02-29' }, selected('cds_service_bills', 'account', ['ACC-2'])]])
      expect(await visible(open, 'bill_section')).toEqual(['BX2'])
    })

    it('cds_rate_plan: the selected contracts, no bills or usage (§6.1.1)', async () => {
      const a = await access([['cds_rate_plan', {}, selected('cds_rate_plan', 'service_contract', ['CN-2'])]])
      expect(await visible(a, 'service_contract')).toEqual(['SC2'])
      expect(await visible(a, 'bill_statement')).toEqual([])
      expect(a.includes('include_rate_plans')).toBe(true)
    })

    it('a selection never reaches another customer\'s objects (base set, §1.4 step 2)', async () => {
      const a = await access([['cds_usage', { include_accounts: true }, selected('cds_usage', 'account', ['ACC-9'])]])
      expect(await visible(a, 'usage_segment')).toEqual([])
      expect(await visible(a, 'account')).toEqual([])
      expect(await a.visibleIds('account', ['A9', 'A1'])).toEqual(new Set())
    })

    it('the union over scopes (A-58) and visibleIds for pruning (A-06)', async () => {
      const a = await access([
        ['cds_usage', { include_service_contracts: false }, selected('cds_usage', 'meter_device', ['MN-1'])],
        ['cds_service_contracts', {}, selected('cds_service_contracts', 'service_contract', ['CN-2'])],
      ])
      expect(await visible(a, 'service_contract')).toEqual(['SC2'])
      expect(await visible(a, 'usage_segment')).toEqual(['US1', 'US3'])
      expect(await a.visibleIds('service_contract', ['SC1', 'SC2', 'SC9'])).toEqual(new Set(['SC2']))
      expect(await a.visibleIds('usage_segment', ['US1', 'US2'])).toEqual(new Set(['US1']))
      expect(a.includes('include_accounts')).toBe(true)
    })

    it('include future: objects created after the Grant join the selection (A-81); sync_until stops them (§7.3.1)', async () => {
      await insertAccount(t.db, 'A3', 'cust-1', 'ACC-3', null, new Date('2025-02-01T00:00:00Z'))
      const future = await access([['cds_accounts', {}, selected('cds_accounts', 'account', ['ACC-2'], { include_future: true })]])
      expect(await visible(future, 'account')).toEqual(['A2', 'A3'])
      const frozen = await access([['cds_accounts', { sync_until: '2025-01-15T00:00:00Z' }, selected('cds_accounts', 'account', ['ACC-2'], { include_future: true })]])
      expect(await visible(frozen, 'account')).toEqual(['A2'])
      const fixed = await access([['cds_accounts', {}, selected('cds_accounts', 'account', ['ACC-2'])]])
      expect(await visible(fixed, 'account')).toEqual(['A2'])
      expect(FIXTURE_CREATED.getTime()).toBeLessThan(Date.parse('2025-01-01T00:00:00Z'))
    })
  })

  describe('direct access scopes (§6.2, §7.1)', () => {
    it('cds_query_accounts: the base set narrowed by account_numbers; _all lifts the filter (A-50)', async () => {
      const narrowed = await access([['cds_query_accounts', { account_numbers: ['ACC-9', 'ACC-2'] }]], null)
      expect(await visible(narrowed, 'account')).toEqual(['A2', 'A9'])
      const all = await access([['cds_query_accounts', { account_numbers: ['_all'] }]], null)
      expect(await visible(all, 'account')).toEqual(expect.arrayContaining(['A0', 'A1', 'A2', 'A9']))
      const none = await access([['cds_query_accounts', { account_numbers: null }]], null, (c) => ({ ...c, customer_data: { ...c.customer_data, direct_access_base: 'none' } }))
      expect(await visible(none, 'account')).toEqual([])
    })

    it('cds_query_usage: segments of the preselected meters only, within sync_until (§6.2.8)', async () => {
      const a = await access([['cds_query_usage', { meter_numbers: ['MN-2', 'MN-9'], segment_start: 'infinite', segment_end: 'infinite', sync_until: 'infinite' }]], null)
      expect(await visible(a, 'usage_segment')).toEqual(['US2', 'US9'])
      expect(await visible(a, 'meter_device')).toEqual([])
      expect(a.valueFormats).toBe('all')
      const frozen = await access([['cds_query_usage', { meter_numbers: ['MN-2'], sync_until: '2023-06-01T00:00:00Z' }]], null)
      expect(await visible(frozen, 'usage_segment')).toEqual([])
    })

    it('cds_query_bill_statements: statements of the preselected accounts', async () => {
      const a = await access([['cds_query_bill_statements', { account_numbers: ['ACC-1'], statement_date_start: '2020-01-01', statement_date_end: 'infinite' }]], null)
      expect(await visible(a, 'bill_statement')).toEqual(['BS1', 'BS2'])
    })
  })

  it('EACs: no scope includes them (A-05)', async () => {
    const a = await access([['cds_usage', {}, selected('cds_usage', 'account', ['ACC-1'])]])
    expect(await visible(a, 'eac')).toEqual([])
  })
})
