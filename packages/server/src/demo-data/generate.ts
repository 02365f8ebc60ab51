/**
 * Writes a generated demo data set: customers who can log in, their Customer Data objects, a Usage
 * Segment per meter per local month, monthly Bill Statements and Sections consistent with the
 * usage, aggregations with their aggregated usage, EACs, and the customers' directories. Also adds
 * usage and bills for the catalog fixture customers (CUST-A…) when their objects are stored.
 *
 * Deterministic: ids, values and timestamps derive from the seed and the window only, so the same
 * seed and window give the same rows byte for byte, except `cds_synced`, which is the load time.
 * All of it is one transaction.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import { rebuildCustomerDirectory } from '../customer-data/directory.js'
import type { BillSectionInput, BillStatementInput } from '../customer-data/write-bills.js'
import { inTransaction, writeCustomerData } from '../customer-data/write-objects.js'
import { writeUsageSegments, type UsageSegmentInput } from '../customer-data/write-usage-segments.js'
import type { Database } from '../db/database.js'
import { aggregatedSegments, buildAggregations, buildEacs } from './aggregations.js'
import { contractSections, sectionIds } from './bills.js'
import { addMonths, localMidnight, monthOf, type LocalMonth } from './calendar.js'
import { generateCustomers } from './customers.js'
import { dateText } from './services.js'
import { DEMO_CUSTOMERS } from '../customers/demo-customers.js'
import { fixtureId, fixturePlans } from './fixture.js'
import type { AccountPlan, CustomerPlan, DemoWindow } from './model.js'
import { demoCustomerPasswordHash } from './password.js'
import { DemoRandom, demoId } from './prng.js'
import { statement, type Balance } from './statements.js'
import { monthSegments } from './usage.js'

/**
 * What to generate.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export interface DemoDataOptions {
  /** How many customers to generate (0: only usage and bills for the fixture customers). */
  customers: number
  /** Years of history, in whole months before `until`. */
  years: number
  seed: string
  /** The utility's time zone (`cds_timezone`); default America/Los_Angeles. */
  timezone?: string
  /** The first month not covered, `YYYY-MM`; default the current month in `timezone`. */
  until?: string
  /**
   * The server's base URL: EAC data and region maps are then linked under it, where the server
   * serves them to the tokens that see them (CDS-WG3-01 §10.7.3, §10.9.1). Without it they point
   * at example addresses that do not answer.
   */
  base_url?: string
}

/** What a run wrote. */
export interface DemoDataSummary {
  /** False when the set was there already and nothing was written. */
  written: boolean
  customers: number
  accounts: number
  service_contracts: number
  meter_devices: number
  usage_segments: number
  /** Value Sets (readings) in the segments. */
  readings: number
  bill_statements: number
  bill_sections: number
  aggregations: number
  eacs: number
}

/** Progress of a run: accounts whose usage and bills are written, of `total`. */
export type DemoProgress = (done: number, total: number) => void

// Flush generated segments to the database once this many Value Sets are waiting.
const FLUSH_READINGS = 150_000

/** The months a set covers. */
export function demoWindow(options: DemoDataOptions, now: Date): DemoWindow {
  const timeZone = options.timezone ?? 'America/Los_Angeles'
  const until: LocalMonth = options.until === undefined ? monthOf(timeZone, now) : { year: Number(options.until.slice(0, 4)), month: Number(options.until.slice(5, 7)) }
  if (!(Number.isInteger(options.years) && options.years >= 1 && options.years <= 10)) throw new RangeError('years must be an integer from 1 to 10')
  if (!(Number.isInteger(options.customers) && options.customers >= 0)) throw new RangeError('customers must be a whole number')
  if (!(until.month >= 1 && until.month <= 12)) throw new RangeError(`until ${String(options.until)} is not a YYYY-MM month`)
  const months = options.years * 12
  return { timeZone, first: addMonths(until, -months), months, end: localMidnight(timeZone, until.year, until.month, 1) }
}

/** The id marking that a seed's set is stored: its service territory aggregation. */
export function demoMarkerId(seed: string): string {
  return demoId(seed, 'aggregation', 'region')
}

interface Counters {
  segments: number
  readings: number
  statements: number
  sections: number
}

/**
 * Writes the demo data set for `options` unless it is stored already (its territory aggregation
 * exists), and reports what it wrote.
 *
 * @example
 * ```ts
 * const summary = await generateDemoData(db, systemClock, { customers: 12, years: 1, seed: 'demo' })
 * ```
 * @see CDS-WG3-01 §10 Customer Data API
 */
export async function generateDemoData(db: Kysely<Database>, clock: Clock, options: DemoDataOptions, onProgress?: DemoProgress): Promise<DemoDataSummary> {
  const window = demoWindow(options, clock.now())
  const seed = options.seed
  const none: DemoDataSummary = { written: false, customers: 0, accounts: 0, service_contracts: 0, meter_devices: 0, usage_segments: 0, readings: 0, bill_statements: 0, bill_sections: 0, aggregations: 0, eacs: 0 }
  return inTransaction(db, async (trx) => {
    if ((await trx.selectFrom('aggregations').select('cds_aggregation_id').where('cds_aggregation_id', '=', demoMarkerId(seed)).executeTakeFirst()) !== undefined) return none
    const times = { cds_created: window.end, cds_modified: window.end, cds_synced: window.end }
    const { customers, extras } = generateCustomers(seed, window, options.customers)
    const fixturePresent = (await trx.selectFrom('accounts').select('cds_account_id').where('cds_account_id', '=', fixtureId('ACC-1')).executeTakeFirst()) !== undefined
    const fixture = fixturePresent ? fixturePlans(DEMO_CUSTOMERS, times) : []
    const { aggregations, groups } = buildAggregations(seed, customers, times, options.base_url)
    const eacs = buildEacs(seed, window, customers, times, options.base_url)

    // Logins first (accounts reference them), all with the one documented password.
    if (customers.length > 0) {
      const taken = await trx
        .selectFrom('customers')
        .select('login')
        .where('login', 'in', customers.map((c) => c.login))
        .where('customer_id', 'not in', customers.map((c) => c.customer_id))
        .executeTakeFirst()
      if (taken !== undefined) throw new Error(`login ${taken.login} belongs to another demo set (another seed): generate into a fresh database`)
      const password_hash = await demoCustomerPasswordHash(seed)
      await trx
        .insertInto('customers')
        .values(customers.map((c) => ({ customer_id: c.customer_id, login: c.login, password_hash, display_name: c.display_name, email: c.email, is_test_account: false, created: window.end })))
        .onConflict((oc) => oc.doNothing())
        .execute()
    }
    const accounts = customers.flatMap((c) => c.accounts)
    const contracts = accounts.flatMap((a) => a.contracts)
    const points = contracts.flatMap((sc) => (sc.point === null ? [] : [sc.point]))
    await writeCustomerData(trx, {
      accounts: [...extras.accounts, ...accounts.map((a) => a.input)],
      service_contracts: [...extras.contracts, ...contracts.map((sc) => sc.input)],
      service_points: points.map((p) => p.input),
      meter_devices: points.flatMap((p) => p.meters.map((m) => m.input)),
      aggregations,
      eacs,
    })

    const counters: Counters = { segments: 0, readings: 0, statements: 0, sections: 0 }
    const billed = [...fixture, ...customers].flatMap((c: CustomerPlan) => c.accounts)
    const totals = new Map<string, Map<string, bigint>>()
    const pending = new Map<string, UsageSegmentInput[]>()
    let waiting = 0
    const flush = async () => {
      for (const [monthKey, segments] of pending) {
        const [y, m] = monthKey.split('-').map(Number)
        const created = Math.min(localMidnight(window.timeZone, y ?? 0, (m ?? 0) + 1, 1).getTime() + 6 * 3_600_000, window.end.getTime())
        await writeUsageSegments(trx, segments, new Date(created))
      }
      pending.clear()
      waiting = 0
    }
    for (const [i, account] of billed.entries()) {
      const { statements, sections } = accountMonths(seed, window, account, totals, (monthKey, segments) => {
        pending.set(monthKey, [...(pending.get(monthKey) ?? []), ...segments])
        for (const s of segments) {
          counters.segments += 1
          counters.readings += s.values.length
          waiting += s.values.length
        }
      })
      if (waiting >= FLUSH_READINGS) await flush()
      await writeCustomerData(trx, { bill_statements: statements, bill_sections: sections })
      counters.statements += statements.length
      counters.sections += sections.length
      onProgress?.(i + 1, billed.length)
    }
    await flush()
    for (let n = 0; n < window.months; n++) {
      const month = addMonths(window.first, n)
      const monthKey = `${month.year}-${month.month}`
      const start = localMidnight(window.timeZone, month.year, month.month, 1)
      const end = localMidnight(window.timeZone, month.year, month.month + 1, 1)
      const segments = aggregatedSegments(seed, groups, monthKey, start, end, totals.get(monthKey) ?? new Map())
      counters.segments += segments.length
      counters.readings += segments.length
      await writeUsageSegments(trx, segments, window.end)
    }
    await rebuildCustomerDirectory(trx, customers.map((c) => c.customer_id), window.end)
    await markSynced(trx, clock.now())
    return {
      written: true,
      customers: customers.length,
      accounts: accounts.length + extras.accounts.length,
      service_contracts: contracts.length + extras.contracts.length,
      meter_devices: points.reduce((n, p) => n + p.meters.length, 0),
      usage_segments: counters.segments,
      readings: counters.readings,
      bill_statements: counters.statements,
      bill_sections: counters.sections,
      aggregations: aggregations.length,
      eacs: eacs.length,
    }
  })
}

/** One account's segments (handed to `emit` month by month), statements and sections over the window. */
function accountMonths(
  seed: string,
  window: DemoWindow,
  account: AccountPlan,
  totals: Map<string, Map<string, bigint>>,
  emit: (monthKey: string, segments: UsageSegmentInput[]) => void,
): { statements: BillStatementInput[]; sections: BillSectionInput[] } {
  const statements: BillStatementInput[] = []
  const sections: BillSectionInput[] = []
  const a = account.input
  // One random stream per contract, so its values do not depend on any other object.
  const streams = new Map(account.contracts.map((sc) => [sc.input.cds_servicecontract_id, new DemoRandom(seed, 'usage', sc.input.cds_servicecontract_id)]))
  let balance: Balance = { due: 0n, unpaid: 0n }
  for (let n = 0; n < window.months; n++) {
    const month = addMonths(window.first, n)
    const monthKey = `${month.year}-${month.month}`
    const statementId = demoId(seed, 'statement', a.cds_account_id, monthKey)
    const monthEnd = localMidnight(window.timeZone, month.year, month.month + 1, 1)
    const issued = new Date(Math.min(monthEnd.getTime() + 8 * 3_600_000, window.end.getTime()))
    const times = { cds_created: issued, cds_modified: issued, cds_synced: window.end }
    const priced = account.contracts.flatMap((sc) => {
      const rng = streams.get(sc.input.cds_servicecontract_id)
      if (rng === undefined) return []
      const result = monthSegments(seed, rng, sc, a.cds_account_id, month, window.timeZone, sectionIds(seed, sc, monthKey))
      if (result === null) return []
      emit(monthKey, result.segments)
      if (sc.commodity === 'electric') {
        const byContract = totals.get(monthKey) ?? new Map<string, bigint>()
        byContract.set(sc.input.cds_servicecontract_id, result.usage.total)
        totals.set(monthKey, byContract)
      }
      return contractSections(seed, sc, result.usage, monthKey, { id: statementId, account_id: a.cds_account_id, account_number: a.account_number, times })
    })
    if (priced.length === 0) continue
    // Issued the day after the period (the window's end is never earlier).
    const result = statement(account, statementId, dateText(window, monthEnd), priced, balance, times)
    balance = result.balance
    statements.push(result.input)
    sections.push(...priced.map((p) => p.input))
  }
  return { statements, sections }
}

/** The top-level tables of CDS-WG3-01 §10, whose rows carry `cds_synced` (catalog §1.12). */
const SYNCED_TABLES = ['accounts', 'service_contracts', 'service_points', 'meter_devices', 'bill_statements', 'bill_sections', 'aggregations', 'usage_segments', 'eacs'] as const

/**
 * Stamps the set's rows with the load time as `cds_synced`: loading is when the demo data was
 * last confirmed against its source, and the scenarios want it recent (CDS-WG3-01 §4.4: daily for
 * interval usage, §4.5–§4.9: weekly). Everything else stays a function of the seed and the window.
 */
async function markSynced(trx: Kysely<Database>, loaded: Date): Promise<void> {
  for (const table of SYNCED_TABLES) await trx.updateTable(table).set({ cds_synced: loaded }).where('cds_synced', '<', loaded).execute()
}
