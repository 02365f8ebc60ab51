/**
 * The generated demo data set in storage (CDS-WG3-01 §10): determinism, every object and field,
 * bills consistent with usage, DST months, the fixture's numbers, directories and idempotence.
 */
import { manualClock } from '@cds-ts/auth'
import { sql, type Kysely } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { directoryFromData } from '../customer-data/directory.js'
import { DEMO_CUSTOMERS, demoDirectory, seedDemoCustomers } from '../customers/demo-customers.js'
import { verifyPassword } from '../customers/passwords.js'
import type { Database } from '../db/database.js'
import { openPGlite } from '../db/dialects.js'
import { fromJsonText } from '../db/json-text.js'
import { migrateToLatest } from '../db/migrate.js'
import { fixtureId } from './fixture.js'
import { generateCustomers } from './customers.js'
import { demoWindow, generateDemoData, type DemoDataOptions, type DemoDataSummary } from './generate.js'
import { DEMO_CUSTOMER_PASSWORD } from './password.js'

const TABLES = ['accounts', 'service_contracts', 'service_points', 'servicepoint_servicecontracts', 'meter_devices', 'meterdevice_servicepoints', 'bill_statements', 'bill_files', 'bill_sections', 'bill_section_links', 'aggregations', 'aggregation_members', 'usage_segments', 'usage_segment_links', 'eacs', 'customer_resources'] as const
// Five customers (the fifth a business) over Dec 2024 – Nov 2025: both DST changes of 2025.
const OPTIONS: DemoDataOptions = { customers: 5, years: 1, seed: 'test-seed', until: '2025-12' }

/** Every row of every table, as comparable text in a stable order. */
async function dump(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  for (const table of [...TABLES, 'customers'] as const) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db)
    out[table] = rows.rows
      .filter((r) => table !== 'customers' || !String(r.customer_id).startsWith('CUST-'))
      // cds_synced is the load time (CDS-WG3-01 §4.4, §4.5); everything else is a function of seed and window.
      .map((r) => JSON.stringify({ ...r, cds_synced: undefined }, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v)))
      .sort()
  }
  return out
}

/** A decimal as an integer count of thousandths (every demo quantity has at most three digits). */
function milli(value: unknown): bigint {
  const [int = '0', frac = ''] = String(value).split('.')
  const negative = int.startsWith('-')
  const n = BigInt(int.replace('-', '')) * 1000n + BigInt((frac + '000').slice(0, 3))
  return negative ? -n : n
}

forEachDialect('demo data set (CDS-WG3-01 §10)', (t) => {
  const clock = manualClock('2026-01-15T12:00:00Z')
  let summary: DemoDataSummary
  beforeAll(async () => {
    await seedDemoCustomers(t.db, clock)
    summary = await generateDemoData(t.db, clock, OPTIONS)
  }, 300_000)

  it('writes customers, objects, segments, statements, aggregations and EACs', () => {
    expect(summary).toMatchObject({ written: true, customers: 5 })
    for (const n of [summary.accounts, summary.meter_devices, summary.usage_segments, summary.bill_statements, summary.bill_sections, summary.aggregations, summary.eacs]) expect(n).toBeGreaterThan(0)
    expect(summary.readings).toBeGreaterThan(5 * 12 * 2800)
  })

  it('fills every column of every table somewhere (nested objects included)', async () => {
    // Columns that are legitimately always empty in this set: external file URIs, importer keys, and extra authorization details.
    const optional = new Set(['bill_statements.file_uri', 'usage_segments.source_key', 'aggregations.authorization_details', 'bill_statements.shutoff_prevention_minimum_due', 'bill_statements.shutoff_prevention_date'])
    for (const table of TABLES) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(t.db)).rows
      expect(rows.length, table).toBeGreaterThan(0)
      for (const column of Object.keys(rows[0] ?? {})) {
        if (optional.has(`${table}.${column}`)) continue
        expect(rows.some((r) => r[column] !== null && r[column] !== '[]' && r[column] !== '{}'), `${table}.${column}`).toBe(true)
      }
    }
    const contract = await t.db.selectFrom('service_contracts').selectAll().where('cds_servicecontract_id', '=', fixtureId('SC-1')).executeTakeFirstOrThrow()
    expect(fromJsonText(contract.service_programs)[0]).toMatchObject({ program_number: 'DR-1', types: ['active', 'demand_response'], pnode: expect.any(String) })
    const account = await t.db.selectFrom('accounts').selectAll().where('cds_account_id', '=', fixtureId('ACC-1')).executeTakeFirstOrThrow()
    expect(fromJsonText(account.account_programs)[0]).toMatchObject({ program_number: 'CARE', types: ['active', 'low_income'], documentation: expect.stringMatching(/^https:/) })
    expect(fromJsonText(account.account_contacts).map((c) => c.types)).toEqual([['email', 'primary'], ['phone_number', 'mobile']])
    expect(fromJsonText(account.account_entity!)).toMatchObject({ entity_number: 'US-CA-IOU-DGE', types: ['distributor', 'supplier', 'iou'] })
    const previous = await t.db.selectFrom('servicepoint_servicecontracts').selectAll().where('valid_to', 'is not', null).execute()
    const swapped = await t.db.selectFrom('meterdevice_servicepoints').selectAll().where('valid_to', 'is not', null).execute()
    expect(previous.length + swapped.length).toBeGreaterThan(0)
  })

  it('bills agree with usage: usage details sum the interval values, line items sum to the total, amount due adds up', async () => {
    const sections = await t.db.selectFrom('bill_sections').selectAll().execute()
    let checked = 0
    for (const section of sections) {
      const links = await t.db.selectFrom('usage_segment_links').select('cds_usagesegment_id').where('object_type', '=', 'bill_section').where('object_id', '=', section.cds_billsection_id).execute()
      const segments = links.length === 0 ? [] : await t.db.selectFrom('usage_segments').select(['formats', 'values']).where('cds_usagesegment_id', 'in', links.map((l) => l.cds_usagesegment_id)).execute()
      let sum = 0n
      for (const s of segments) {
        const formats = fromJsonText(s.formats)
        const column = formats.findIndex((f) => ['electric_usage_kwh', 'natural_gas_usage_therm', 'water_usage_gal'].includes(String(f.id)))
        const key = { electric_usage: 'eu', natural_gas_usage: 'gu', water_usage: 'wu' }[String(formats[column]?.type)] ?? 'eu'
        for (const set of fromJsonText(s.values)) if (set[column] != null) sum += milli(set[column]?.[key])
      }
      const details = fromJsonText(section.usage_details)
      const total = details.find((d) => String(d.name).startsWith('Total'))!
      expect(milli(total.value), section.cds_billsection_id).toBe(sum)
      const lines = fromJsonText(section.line_items)
      const overall = fromJsonText(section.cost_details).find((c) => (c.types as string[]).includes('overall_total'))!
      expect(lines.reduce((n, l) => n + milli(l.cost), 0n)).toBe(milli(overall.cost))
      checked += 1
    }
    expect(checked).toBe(sections.length)
    for (const s of await t.db.selectFrom('bill_statements').selectAll().execute()) {
      const included = fromJsonText(s.new_charges).filter((c) => c.included_in_amount_due === true)
      expect(milli(s.previous_balance_unpaid) + included.reduce((n, c) => n + milli(c.amount), 0n)).toBe(milli(s.amount_due))
      expect((await t.db.selectFrom('bill_files').select('size').where('file_id', '=', s.file_id!).executeTakeFirstOrThrow()).size).toBeLessThan(2000)
    }
  })

  it('cuts electric segments per local month: 2972 Value Sets in March 2025, 2884 in November (DST)', async () => {
    const meter = fixtureId('MD-3')
    const rows = await t.db
      .selectFrom('usage_segments')
      .innerJoin('usage_segment_links', 'usage_segment_links.cds_usagesegment_id', 'usage_segments.cds_usagesegment_id')
      .select(['segment_start', 'segment_end', 'interval', 'values'])
      .where('object_type', '=', 'meter_device')
      .where('object_id', '=', meter)
      .orderBy('segment_start')
      .execute()
    expect(rows).toHaveLength(12)
    const byStart = new Map(rows.map((r) => [r.segment_start.toISOString(), r]))
    const march = byStart.get('2025-03-01T08:00:00.000Z')!
    expect(fromJsonText(march.values)).toHaveLength(2972)
    expect(march.segment_end.toISOString()).toBe('2025-04-01T07:00:00.000Z')
    expect(fromJsonText(byStart.get('2025-11-01T07:00:00.000Z')!.values)).toHaveLength(2884)
    for (const r of rows) expect(r.segment_end.getTime() - r.segment_start.getTime()).toBe(Number(r.interval) * 1000 * fromJsonText(r.values).length)
  })

  it('keeps the fixture’s numbers and relations, and its directory equals the fixture’s', async () => {
    const accounts = await t.db.selectFrom('accounts').select(['account_number', 'customer_id']).where('customer_id', 'like', 'CUST-%').orderBy('account_number').execute()
    expect(accounts.map((a) => a.account_number)).toEqual(DEMO_CUSTOMERS.flatMap((c) => c.accounts.map((a) => a.account_number)).sort())
    for (const customer of DEMO_CUSTOMERS) {
      const fromData = await directoryFromData(t.db, customer.customer_id)
      const sorted = (rows: typeof fromData) => [...rows].sort((a, b) => `${a.resource_type}${a.number}`.localeCompare(`${b.resource_type}${b.number}`))
      expect(sorted(fromData), customer.customer_id).toEqual(sorted(demoDirectory(customer)))
    }
    const members = await t.db.selectFrom('aggregation_members').select('object_id').where('cds_aggregation_id', '=', fixtureId('AGG-2')).orderBy('object_id').execute()
    expect(members.map((m) => m.object_id)).toEqual([fixtureId('SP-3'), fixtureId('SP-5')].sort())
  })

  it('generated customers log in with the documented password and can select their objects', async () => {
    const rows = await t.db.selectFrom('customers').selectAll().where('login', 'like', '%@demo-utility.example').orderBy('login').execute()
    expect(rows.map((r) => r.login)).toEqual(['customer001', 'customer002', 'customer003', 'customer004', 'customer005'].map((l) => `${l}@demo-utility.example`))
    expect(rows.every((r) => !r.is_test_account)).toBe(true)
    expect(await verifyPassword(DEMO_CUSTOMER_PASSWORD, rows[0]!.password_hash)).toBe(true)
    for (const r of rows) {
      const directory = await t.db.selectFrom('customer_resources').select(['resource_type', 'number']).where('customer_id', '=', r.customer_id).execute()
      expect(directory.filter((d) => d.resource_type === 'account').length).toBeGreaterThan(0)
      expect(directory.filter((d) => d.resource_type === 'meter_device').length).toBeGreaterThan(0)
    }
  })

  it('stamps every object of the set with the load time as cds_synced (CDS-WG3-01 §4.4, §4.5)', async () => {
    for (const table of ['accounts', 'service_contracts', 'bill_statements', 'bill_sections', 'usage_segments', 'eacs'] as const) {
      const rows = await sql<{ cds_synced: Date | string }>`select cds_synced from ${sql.table(table)}`.execute(t.db)
      expect(rows.rows.length, table).toBeGreaterThan(0)
      for (const row of rows.rows) expect(new Date(row.cds_synced).toISOString(), table).toBe('2026-01-15T12:00:00.000Z')
    }
  })

  it('seeding again adds nothing (the set and the fixture are idempotent)', async () => {
    const before = await dump(t.db)
    clock.advance(86_400)
    expect((await generateDemoData(t.db, clock, OPTIONS)).written).toBe(false)
    await seedDemoCustomers(t.db, clock)
    expect(await dump(t.db)).toEqual(before)
  }, 120_000)

  it('the same seed gives byte-identical rows in another database; another seed gives other data', async () => {
    if (t.dialect !== 'pglite') return
    const other = await openPGlite(undefined)
    try {
      await migrateToLatest(other.db)
      await seedDemoCustomers(other.db, manualClock('2026-01-15T12:00:00Z'))
      await generateDemoData(other.db, manualClock('2026-01-20T09:00:00Z'), OPTIONS)
      const mine = await dump(t.db)
      const theirs = await dump(other.db)
      for (const table of [...TABLES, 'customers']) expect(theirs[table], table).toEqual(mine[table])
      // Another seed: other customers and data; its logins clash with this set's, which is refused with nothing written.
      const window = demoWindow(OPTIONS, clock.now())
      const a = generateCustomers(OPTIONS.seed, window, 2).customers
      const b = generateCustomers('another-seed', window, 2).customers
      expect(b.map((c) => c.customer_id)).not.toEqual(a.map((c) => c.customer_id))
      expect(b.map((c) => c.accounts[0]?.input.account_address)).not.toEqual(a.map((c) => c.accounts[0]?.input.account_address))
      await expect(generateDemoData(other.db, clock, { ...OPTIONS, customers: 1, seed: 'another-seed' })).rejects.toThrow(/another demo set/)
      expect(await dump(other.db)).toEqual(theirs)
    } finally {
      await other.close()
    }
  }, 300_000)
})
