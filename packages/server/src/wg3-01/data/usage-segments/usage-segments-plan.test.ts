/**
 * The hot query of the Usage Segments listing (one meter's segments in a time range, in listing
 * order) must be answered through the indexes of migration 0004, not by reading the whole table.
 * The ORDER BY is checked on every dialect; the plan, with `explain analyze`, on PostgreSQL only.
 */
import { Decimal, type UsageSegmentListingQuery } from '@cds-ts/schema'
import { CompiledQuery, sql, type Kysely, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { fakeAccess, NO_WINDOWS } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import type { ServerConfig } from '../../../config/config-schema.js'
import { writeUsageSegments } from '../../../customer-data/write-usage-segments.js'
import type { Database } from '../../../db/database.js'
import type { DataAccess, DateWindows } from '../types.js'
import { usageSegmentsListing } from './list-usage-segments.js'

const T0 = new Date('2025-01-01T08:00:00Z')
const DAY = 86_400_000
const METERS = Array.from({ length: 40 }, (_, i) => `m-${String(i).padStart(2, '0')}`)
const DAYS = 50
// The token's customer has a few of the meters; the others are other customers'.
const OWN_METERS = METERS.slice(0, 4)

/** An access like the real one: segments linked to a visible meter (catalog §1.4), as a semi-join. */
function meterAccess(windows: Partial<DateWindows> = {}): DataAccess {
  const base = fakeAccess({ visible: { meter_device: OWN_METERS }, windows })
  return {
    ...base,
    windows: { ...NO_WINDOWS, ...windows },
    visible: (type) =>
      type === 'usage_segment'
        ? sql<boolean>`exists (select 1 from usage_segment_links as seen where seen.cds_usagesegment_id = usage_segments.cds_usagesegment_id
            and seen.object_type = 'meter_device' and seen.object_id in (${sql.join(OWN_METERS)}))`
        : base.visible(type),
  }
}

/** Runs the listing on a database that records the queries it runs, and returns the page query. */
async function pageQuery(db: Kysely<Database>, access: DataAccess, query: UsageSegmentListingQuery): Promise<CompiledQuery> {
  const seen: { node: RootOperationNode; queryId: QueryId }[] = []
  const recorder: KyselyPlugin = {
    transformQuery: (args) => {
      seen.push(args)
      return args.node
    },
    transformResult: (args) => Promise.resolve(args.result),
  }
  const recorded = db.withPlugin(recorder)
  const page = await usageSegmentsListing.list({ db: recorded, config: {} as ServerConfig, access, query, cursor: undefined, now: T0 })
  expect(page.items.length).toBeGreaterThan(0)
  const compiled = seen.map(({ node, queryId }) => db.getExecutor().compileQuery(node, queryId)).find((q) => /order by/i.test(q.sql))
  if (compiled === undefined) throw new Error('the listing ran no ordered query')
  return compiled
}

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  Plans?: PlanNode[]
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)]

// One meter, one week, as a client syncing a meter's usage would ask.
const HOT: UsageSegmentListingQuery = {
  cds_meterdevice_ids: 'm-03',
  after: new Date(T0.getTime() + 20 * DAY).toISOString(),
  before: new Date(T0.getTime() + 27 * DAY).toISOString(),
}

forEachDialect('CDS-WG3-01 §10.8.8 Listing Usage Segments: query plan', (t) => {
  beforeAll(async () => {
    const segments = METERS.flatMap((meter) =>
      Array.from({ length: DAYS }, (_, d) => ({
        segment_start: new Date(T0.getTime() + d * DAY),
        interval: '3600',
        formats: [{ id: 'e', type: 'electric_usage', units: 'kWh' }],
        values: Array.from({ length: 24 }, (_, h) => [{ eu: Decimal.from(`0.${h + 100}`) }]),
        related: { meter_device: [meter] },
      })),
    )
    for (let i = 0; i < segments.length; i += 500) await writeUsageSegments(t.db, segments.slice(i, i + 500), T0)
    await sql`analyze`.execute(t.db)
  }, 240_000)

  it('the page query orders by the six columns of usage_segments_order_idx, in its directions', async () => {
    const compiled = await pageQuery(t.db, meterAccess(), HOT)
    const order = compiled.sql.slice(compiled.sql.toLowerCase().lastIndexOf('order by'))
    expect(order.replace(/\s+/g, ' ')).toMatch(
      /order by "usage_segments"\."sort_aggregation_number" collate "C" asc, "usage_segments"\."sort_account_number" collate "C" asc, "usage_segments"\."sort_contract_number" collate "C" asc, "usage_segments"\."segment_start" asc, "usage_segments"\."cds_modified" desc, "usage_segments"\."cds_usagesegment_id" asc limit/,
    )
  })

  if (t.dialect === 'postgres') {
    for (const [name, windows] of [
      ['without a Grant window', {}],
      ['with a Grant window (trimming)', { segment_start: '2025-01-10T20:00:00Z', segment_end: '2025-02-10T00:00:00Z' }],
    ] as const) {
      it(`one meter's week ${name} reads through the indexes, never a Seq Scan of usage_segments`, async () => {
        const compiled = await pageQuery(t.db, meterAccess(windows), HOT)
        const result = await t.db.executeQuery<{ 'QUERY PLAN': unknown }>(
          CompiledQuery.raw(`explain (analyze, format json) ${compiled.sql}`, [...compiled.parameters]),
        )
        // The drivers hand json back as text (db/dialects.ts).
        const text = result.rows[0]?.['QUERY PLAN']
        const plan = (typeof text === 'string' ? (JSON.parse(text) as [{ Plan: PlanNode }]) : (text as [{ Plan: PlanNode }] | undefined))?.[0].Plan
        if (plan === undefined) throw new Error('no plan')
        const all = nodes(plan)
        expect(all.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name']?.startsWith('usage_segment'))).toEqual([])
        const indexes = new Set(all.map((n) => n['Index Name']).filter((n) => n !== undefined))
        expect(['usage_segment_links_object_idx', 'usage_segments_order_idx', 'usage_segments_time_idx'].some((index) => indexes.has(index))).toBe(true)
      })
    }
  }
})
