/**
 * The hot queries of the Customer Data listings (CDS-WG3-01 §10.1–§10.7, §10.9) are answered
 * through the indexes of migration 0004 (issue 6: "an index behind every filter and ordering").
 * On PostgreSQL, a utility-sized database (`test/listing-plans-data.ts`) is filled, each listing
 * runs its real query for three kinds of token, every statement it sends is recorded with its
 * parameters, and `explain (format json)` must show the expected index and no Seq Scan of the big
 * tables. Usage Segments have their own plan test (`usage-segments/usage-segments-plan.test.ts`).
 *
 * The three tokens:
 * - `fake`: {@link fakeAccess} listing one customer's ids outright;
 * - `consent`: the real access of a consent Grant of that customer (`accessForGrant`), whose
 *   conditions on the big tables are `cds_account_id in (…)` and link-table semi-joins;
 * - `direct`: the real access of a direct-access Grant over every object, where the listing's
 *   order index alone must find the page.
 *
 * After a cursor, an order index must seek to it (an `Index Cond` on the first sort key), so a deep
 * page costs what the first one does. `PLAN_DUMP=1` prints every page query and its plan.
 */
import { sql, type RawBuilder } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess } from '../../../test/data-access-fake.js'
import { forEachDialect } from '../../../test/dialects.js'
import { CUSTOMER, fillPlanDatabase, id, OWN, SCALE } from '../../../test/listing-plans-data.js'
import {
  explainPlan,
  INDEX_SCANS,
  indexesUsed,
  planNodes,
  planText,
  queryText,
  recordQueries,
  seqScannedTables,
  type PlanNode,
  type RecordedQuery,
} from '../../../test/query-plans.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { defaultConfig } from '../../config/defaults.js'
import type { GrantSelection } from '../../db/database.js'
import type { KeyCursor } from '../../shared/pagination.js'
import { scopeAccess, windowsOf, type GrantAccess, type ScopeAccess } from './access-grant.js'
import { accessForGrant } from './access.js'
import { accountsListing } from './accounts/list-accounts.js'
import { aggregationsListing } from './aggregations/list-aggregations.js'
import { billSectionsListing } from './bill-sections/list-bill-sections.js'
import { billStatementsListing } from './bill-statements/list-bill-statements.js'
import { eacsListing } from './eacs/list-eacs.js'
import { meterDevicesListing } from './meter-devices/list-meter-devices.js'
import { serviceContractsListing } from './service-contracts/list-service-contracts.js'
import { servicePointsListing } from './service-points/list-service-points.js'
import type { DataAccess, DataListing, IncludeField } from './types.js'

const CONFIG: ServerConfig = defaultConfig('https://utility.example')
const NOW = new Date('2025-06-01T00:00:00Z')

/** The tables too big to read whole for one page (catalog §7: they grow with every bill and reading). */
const BIG_TABLES = ['bill_statements', 'bill_sections', 'bill_section_links', 'usage_segment_links', 'usage_segments', 'eacs'] as const

type TokenKind = 'fake' | 'consent' | 'direct'
type AnyListing = DataListing<Record<string, string>>

/**
 * One hot request: a listing, its filters, and for each token the indexes (any of them) its page
 * query may read: the order index, or the index of the most selective condition.
 */
interface PlanCase {
  listing: AnyListing
  name: string
  query: Record<string, string>
  index: Readonly<Record<TokenKind, readonly string[]>>
  /** Whether the direct token gets more than one page, so next and previous pages are checked too. */
  paged: boolean
}

const listing = <Q>(l: DataListing<Q>): AnyListing => l as unknown as AnyListing
const plan = (l: AnyListing, name: string, query: Record<string, string>, paged: boolean, fake: string[], consent: string[], direct: string[]): PlanCase => ({
  listing: l,
  name,
  query,
  paged,
  index: { fake, consent, direct },
})

const GATES: IncludeField[] = [
  'include_account_numbers',
  'include_account_details',
  'include_account_programs',
  'include_contract_numbers',
  'include_service_contract_details',
  'include_rate_plans',
  'include_meter_numbers',
  'include_premises',
  'include_service_point_addresses',
  'include_bill_statement_charges',
  'include_bill_sections',
]

/** A selection of the customer's own account on the authorization form. */
function byAccount(scope: string): GrantSelection[] {
  return [{ scopes: [scope], selection_type: 'account_selection', resource_type: 'account', numbers: [OWN.accountNumber], all: false, include_future: false }]
}

/** A resolved Grant: its scopes (with `include_eacs` added where asked, A-05) and windows. */
function grantOf(customer_id: string | null, specs: readonly [scope: string, selections: GrantSelection[], eacs?: boolean][]): GrantAccess {
  const scopes: ScopeAccess[] = specs.map(([scope, selections, eacs]) => {
    const description = CONFIG.oauth.scope_descriptions[scope]
    if (description === undefined) throw new Error(`no scope ${scope}`)
    // Every gate the scope offers is on, so number filters and `q` reach their columns.
    const entry = Object.fromEntries([...GATES, 'include_aggregations'].map((gate) => [gate, true]))
    const access = scopeAccess(description, entry, selections)
    return eacs === true ? { ...access, includes: new Set<IncludeField>([...access.includes, 'include_eacs']) } : access
  })
  return { grant_id: 'g-plan', client_id: 'c-plan', status: 'active', customer_id, created: '2025-01-01T00:00:00Z', scopes, windows: windowsOf([]), valueFormats: 'all' }
}

const CONSENT = grantOf(OWN.customer, [
  ['cds_accounts', byAccount('cds_accounts'), true],
  ['cds_service_contracts', byAccount('cds_service_contracts')],
  ['cds_meters', byAccount('cds_meters')],
  ['cds_bill_statements', byAccount('cds_bill_statements')],
  ['cds_service_bills', byAccount('cds_service_bills')],
])
const DIRECT = grantOf(null, [
  ['cds_query_accounts', [], true],
  ['cds_query_service_contracts', []],
  ['cds_query_service_points', []],
  ['cds_query_meter_devices', []],
  ['cds_query_bill_statements', []],
  ['cds_query_bill_sections', []],
  ['cds_query_aggregations', []],
])

const OTHER = CUSTOMER + 1000
const [ACCOUNTS, CONTRACTS, POINTS, METERS, STATEMENTS, SECTIONS, AGGREGATIONS, EACS] = [
  listing(accountsListing),
  listing(serviceContractsListing),
  listing(servicePointsListing),
  listing(meterDevicesListing),
  listing(billStatementsListing),
  listing(billSectionsListing),
  listing(aggregationsListing),
  listing(eacsListing),
]
const CASES: PlanCase[] = [
  // The small types: a customer's few ids by primary key; every object by the order index.
  plan(ACCOUNTS, 'no filter', {}, true, ['accounts_pkey'], ['accounts_pkey'], ['accounts_order_idx']),
  plan(ACCOUNTS, 'account_numbers', { account_numbers: `${OWN.accountNumber} ${id('AN', OTHER)}` }, false, ['accounts_pkey', 'accounts_number_idx'], ['accounts_pkey', 'accounts_number_idx'], ['accounts_number_idx']),
  // q is a substring search: within the customer's accounts, found by primary key; over every account it may scan (2,000 rows).
  plan(ACCOUNTS, 'q', { q: 'main st' }, true, ['accounts_pkey'], ['accounts_pkey'], ['accounts_order_idx']),
  plan(CONTRACTS, 'no filter', {}, true, ['service_contracts_pkey'], ['service_contracts_pkey'], ['service_contracts_order_idx']),
  plan(CONTRACTS, 'contract_numbers', { contract_numbers: OWN.contractNumbers.join(' ') }, false, ['service_contracts_pkey', 'service_contracts_number_idx'], ['service_contracts_pkey', 'service_contracts_number_idx'], ['service_contracts_number_idx']),
  plan(POINTS, 'no filter', {}, true, ['service_points_pkey'], ['service_points_pkey'], ['service_points_order_idx']),
  plan(POINTS, 'current_servicecontracts', { current_servicecontracts: OWN.contracts[0] ?? '' }, false, ['service_points_pkey'], ['service_points_pkey'], ['servicepoint_servicecontracts_contract_idx']),
  plan(METERS, 'no filter', {}, true, ['meter_devices_pkey'], ['meter_devices_pkey'], ['meter_devices_order_idx']),
  plan(METERS, 'meter_number', { meter_number: OWN.meterNumbers[0] ?? '' }, false, ['meter_devices_pkey', 'meter_devices_number_idx'], ['meter_devices_pkey', 'meter_devices_number_idx'], ['meter_devices_number_idx']),
  plan(METERS, 'current_servicepoints', { current_servicepoints: OWN.servicePoints[1] ?? '' }, false, ['meter_devices_pkey'], ['meter_devices_pkey'], ['meterdevice_servicepoints_point_idx']),
  plan(AGGREGATIONS, 'no filter', {}, true, ['aggregations_pkey'], ['aggregations_pkey'], ['aggregations_order_idx']),
  plan(AGGREGATIONS, 'aggregation_numbers', { aggregation_numbers: id('AGN', 6) }, false, ['aggregations_pkey', 'aggregations_number_idx'], ['aggregations_pkey', 'aggregations_number_idx'], ['aggregations_number_idx']),
  // The big types: a customer's rows through the account index (the real access is `cds_account_id in (…)`).
  plan(STATEMENTS, 'no filter', {}, true, ['bill_statements_pkey'], ['bill_statements_account_idx'], ['bill_statements_order_idx']),
  plan(STATEMENTS, 'after/before (one year)', { after: '2024-01-01', before: '2024-12-31' }, true, ['bill_statements_pkey'], ['bill_statements_account_idx'], ['bill_statements_order_idx']),
  plan(STATEMENTS, 'cds_account_ids', { cds_account_ids: OWN.account }, false, ['bill_statements_pkey', 'bill_statements_account_idx'], ['bill_statements_account_idx'], ['bill_statements_account_idx']),
  plan(SECTIONS, 'no filter', {}, true, ['bill_sections_pkey'], ['bill_sections_account_idx'], ['bill_sections_order_idx']),
  plan(SECTIONS, 'after/before (one quarter)', { after: '2024-01-01', before: '2024-03-31' }, true, ['bill_sections_pkey'], ['bill_sections_account_idx'], ['bill_sections_order_idx', 'bill_sections_dates_idx']),
  plan(SECTIONS, 'cds_servicecontract_ids', { cds_servicecontract_ids: OWN.contracts[1] ?? '' }, false, ['bill_sections_pkey', 'bill_section_links_object_idx'], ['bill_sections_account_idx', 'bill_section_links_object_idx'], ['bill_section_links_object_idx']),
  plan(SECTIONS, 'cds_billstatement_ids', { cds_billstatement_ids: OWN.statements.slice(0, 3).join(' ') }, false, ['bill_sections_pkey', 'bill_sections_statement_idx'], ['bill_sections_account_idx', 'bill_sections_statement_idx'], ['bill_sections_statement_idx']),
  // EACs of the customer's accounts through the GIN index on beneficiaries (visibility.ts `beneficiaries`).
  plan(EACS, 'no filter', {}, true, ['eacs_pkey'], ['eacs_beneficiaries_idx', 'eacs_order_idx'], ['eacs_order_idx']),
  plan(EACS, 'eac_numbers', { eac_numbers: id('EAC', CUSTOMER + SCALE.accounts) }, false, ['eacs_pkey', 'eacs_numbers_idx'], ['eacs_beneficiaries_idx', 'eacs_numbers_idx'], ['eacs_numbers_idx']),
  plan(EACS, 'after/before (one month)', { after: '2023-02-10T00:00:00Z', before: '2023-03-10T00:00:00Z' }, true, ['eacs_pkey'], ['eacs_beneficiaries_idx', 'eacs_order_idx'], ['eacs_order_idx']),
]

/** Which page of the listing a plan is taken for. */
type PageKind = 'first page' | 'next page' | 'previous page'

/** One recorded run of a listing: the statements it sent. */
async function recordRun(db: Parameters<typeof recordQueries>[0], access: DataAccess, c: PlanCase, cursor: KeyCursor | undefined): Promise<RecordedQuery[]> {
  const recorder = recordQueries(db)
  await c.listing.list({ db: recorder.db, config: CONFIG, access, query: c.query, cursor, now: NOW })
  return recorder.queries
}

/** The page query: the one statement with both `order by` and `limit` (exists checks have no order). */
function pageQueryOf(queries: readonly RecordedQuery[]): RecordedQuery {
  const found = queries.find((q) => /\border by\b/i.test(q.sql) && /\blimit\b/i.test(q.sql))
  if (found === undefined) throw new Error(`the listing ran no page query:\n${queries.map(queryText).join('\n\n')}`)
  return found
}

/** The plan node reading `index`, if any. */
const scanOf = (root: PlanNode, index: string): PlanNode | undefined =>
  planNodes(root).find((node) => INDEX_SCANS.has(node['Node Type']) && node['Index Name'] === index)

forEachDialect('CDS-WG3-01 §10 listing query plans: the recorder', (t) => {
  beforeAll(async () => {
    await fillPlanDatabase(t.db)
  }, 120_000)

  it('records every statement a listing sends, with its parameters, and explain reads the page query', async () => {
    const access = fakeAccess({ visible: { bill_statement: OWN.statements }, includes: GATES })
    const c = plan(STATEMENTS, 'cds_account_ids', { cds_account_ids: OWN.account }, false, [], [], [])
    const page = pageQueryOf(await recordRun(t.db, access, c, undefined))
    expect(page.sql).toMatch(/from "bill_statements"/)
    expect(page.parameters).toContain(OWN.account)
    expect(page.parameters).toEqual(expect.arrayContaining(OWN.statements))
    const root = await explainPlan(t.db, page)
    expect(planText(root)).toMatch(/^-> Limit/)
    // The customer's 25 statements are found by key, whichever index the engine prefers.
    expect([...indexesUsed(root)].some((index) => index.startsWith('bill_statements_')), planText(root)).toBe(true)
  })
})

// The plans of the production engine, PostgreSQL: declared only when a server is configured.
if (process.env.CDS_TEST_DATABASE_URL !== undefined && process.env.CDS_TEST_DATABASE_URL !== '') {
  forEachDialect('CDS-WG3-01 §10 listing query plans use their indexes', (t) => {
    if (t.dialect !== 'postgres') return
    const accesses = new Map<TokenKind, DataAccess>()
    const accessOf = (kind: TokenKind): DataAccess => {
      const access = accesses.get(kind)
      if (access === undefined) throw new Error(`no ${kind} access`)
      return access
    }

    beforeAll(async () => {
      await fillPlanDatabase(t.db)
      const ids = async (query: RawBuilder<{ id: string }>) => (await query.execute(t.db)).rows.map((row) => row.id)
      accesses.set(
        'fake',
        fakeAccess({
          visible: {
            account: [OWN.account],
            service_contract: OWN.contracts,
            service_point: OWN.servicePoints,
            meter_device: OWN.meters,
            bill_statement: OWN.statements,
            bill_section: OWN.sections,
            aggregation: await ids(sql`select cds_aggregation_id as id from aggregation_members where object_type = 'account' and object_id = ${OWN.account}`),
            eac: await ids(sql`select cds_eac_id as id from eacs where beneficiaries ? ${OWN.account}`),
          },
          includes: GATES,
        }),
      )
      accesses.set('consent', await accessForGrant(t.db, CONFIG, CONSENT))
      accesses.set('direct', await accessForGrant(t.db, CONFIG, DIRECT))
    }, 120_000)

    /** The cursor of a page kind, taken from the direct token's pages so every token pages from the same key. */
    async function cursorFor(c: PlanCase, pageKind: PageKind): Promise<KeyCursor | undefined> {
      if (pageKind === 'first page') return undefined
      const run = (cursor: KeyCursor | undefined) => c.listing.list({ db: t.db, config: CONFIG, access: accessOf('direct'), query: c.query, cursor, now: NOW })
      const first = await run(undefined)
      expect(first.next, 'the direct token must get a second page').not.toBeNull()
      if (pageKind === 'next page') return first.next ?? undefined
      const second = await run(first.next ?? undefined)
      expect(second.previous).not.toBeNull()
      return second.previous ?? undefined
    }

    for (const c of CASES) {
      describe(`${c.listing.operationId}, ${c.name}`, () => {
        for (const kind of ['fake', 'consent', 'direct'] as const) {
          const indexes = c.index[kind]
          for (const pageKind of (c.paged ? ['first page', 'next page', 'previous page'] : ['first page']) as PageKind[]) {
            it(`${kind} token, ${pageKind}: reads ${indexes.join(' or ')}, never a Seq Scan of a big table`, async () => {
              const cursor = await cursorFor(c, pageKind)
              const queries = await recordRun(t.db, accessOf(kind), c, cursor)
              const page = pageQueryOf(queries)
              const root = await explainPlan(t.db, page)
              const shown = `${queryText(page)}\n${planText(root)}`
              if (process.env.PLAN_DUMP !== undefined) console.log(`--- ${c.listing.operationId} ${c.name}, ${kind}, ${pageKind}\n${shown}`)
              expect(
                indexes.some((index) => indexesUsed(root).has(index)),
                `expected ${indexes.join(' or ')} in:\n${shown}`,
              ).toBe(true)
              // After a cursor, an order index must seek to it (an Index Cond), not filter every row before it.
              const order = [...indexesUsed(root)].find((index) => index.endsWith('_order_idx'))
              if (cursor !== undefined && order !== undefined) expect(scanOf(root, order)?.['Index Cond'], `${order} without an Index Cond in:\n${shown}`).toBeDefined()
              // Every statement of the request (page, next/previous checks, links, pruning) stays off Seq Scans of big tables.
              for (const query of queries) {
                const statementPlan = query === page ? root : await explainPlan(t.db, query)
                expect(seqScannedTables(statementPlan, BIG_TABLES), `Seq Scan of a big table in:\n${queryText(query)}\n${planText(statementPlan)}`).toEqual([])
              }
            })
          }
        }
      })
    }
  })
}
