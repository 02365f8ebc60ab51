import { InvalidRequest } from '@cds-ts/auth'
import { checkStrict, Decimal, UsageSegment, type UsageSegmentListingQuery } from '@cds-ts/schema'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess, type FakeAccessOptions } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import type { ServerConfig } from '../../../config/config-schema.js'
import { writeUsageSegments, type UsageSegmentInput } from '../../../customer-data/write-usage-segments.js'
import type { UsageSegmentLinkType } from '../../../db/database.js'
import type { KeyCursor } from '../../../shared/pagination.js'
import type { IncludeField } from '../types.js'
import { fillPage, usageSegmentsListing } from './list-usage-segments.js'

const T0 = new Date('2025-01-01T00:00:00Z')
const LATER = new Date('2025-01-01T06:00:00Z')
const hour = (h: number) => new Date(T0.getTime() + h * 3_600_000)

/** A one-hour segment starting `h` hours after T0. */
const segment = (id: string, h: number, related: Partial<Record<UsageSegmentLinkType, string[]>>): UsageSegmentInput => ({
  cds_usagesegment_id: id,
  segment_start: hour(h),
  interval: '3600',
  formats: [{ id: 'e', type: 'electric_usage', units: 'kWh' }],
  values: [[{ eu: Decimal.from('1.50') }]],
  related,
})

const B = { account: ['a-1'], service_contract: ['c-1'], service_point: ['p-1'], meter_device: ['m-1'], bill_section: ['b-1'] }
// In listing order (§10.8.8, A-17): aggregation number, account number, contract number, earliest start, latest modified, id.
// The number keys are computed by the writer over every related object, hidden ones included, so
// seg-hidden sorts by its hidden account's number ACC-0 (A-17 would put it last; a known limit).
const ORDERED = ['seg-agg', 'seg-hidden', 'seg-a', 'seg-b-sc1', 'seg-b1', 'seg-b2', 'seg-tie-new', 'seg-tie-old', 'seg-t3', 'seg-t4', 'seg-none']
const FIXTURES: UsageSegmentInput[] = [
  segment('seg-none', 0, { meter_device: ['m-1'] }),
  segment('seg-b2', 30, B),
  segment('seg-b1', 20, B),
  segment('seg-t4', 50, B),
  segment('seg-t3', 50, B),
  segment('seg-tie-old', 40, B),
  segment('seg-b-sc1', 60, { account: ['a-1'], service_contract: ['c-1', 'c-2'] }),
  segment('seg-a', 70, { account: ['a-2', 'a-1'], service_contract: ['c-2'], service_point: ['p-2'], meter_device: ['m-2'] }),
  segment('seg-agg', 80, { aggregation: ['g-2', 'g-1'] }),
  segment('seg-hidden', 10, { account: ['a-hidden'], service_contract: ['c-hidden'], meter_device: ['m-hidden'] }),
]

const VISIBLE: FakeAccessOptions['visible'] = {
  usage_segment: ORDERED,
  aggregation: ['g-1', 'g-2'],
  account: ['a-1', 'a-2'],
  service_contract: ['c-1', 'c-2'],
  service_point: ['p-1', 'p-2'],
  meter_device: ['m-1', 'm-2'],
  bill_section: ['b-1'],
}
const NUMBERS: IncludeField[] = ['include_account_numbers', 'include_contract_numbers', 'include_meter_numbers']

forEachDialect('CDS-WG3-01 §10.8.8 Listing Usage Segments', (t) => {
  beforeAll(async () => {
    const times = { cds_created: T0, cds_modified: T0, cds_synced: T0 }
    await t.db
      .insertInto('aggregations')
      .values([
        { cds_aggregation_id: 'g-1', aggregation_number: 'AGG-2', scope: null, authorization_details: null, ...times },
        { cds_aggregation_id: 'g-2', aggregation_number: 'AGG-1', scope: null, authorization_details: null, ...times },
      ])
      .execute()
    const account = (id: string, number: string) => ({
      cds_account_id: id,
      account_number: number,
      account_status: 'active',
      customer_id: null,
      cds_account_parent: null,
      customer_number: null,
      account_entity: null,
      account_name: null,
      account_address: null,
      ...times,
    })
    await t.db.insertInto('accounts').values([account('a-1', 'ACC-B'), account('a-2', 'ACC-A'), account('a-hidden', 'ACC-0')]).execute()
    const contract = (id: string, accountId: string, number: string) => ({
      cds_servicecontract_id: id,
      cds_account_id: accountId,
      contract_number: number,
      contract_status: 'active',
      contract_address: null,
      contract_entity: null,
      rateplan_code: null,
      rateplan_name: null,
      ...times,
    })
    await t.db.insertInto('service_contracts').values([contract('c-1', 'a-1', 'SC-2'), contract('c-2', 'a-1', 'SC-1'), contract('c-hidden', 'a-hidden', 'SC-0')]).execute()
    await t.db
      .insertInto('service_points')
      .values(['p-1', 'p-2'].map((id) => ({ cds_servicepoint_id: id, servicepoint_number: `SP-${id}`, servicepoint_address: null, latitude: null, longitude: null, ...times })))
      .execute()
    await t.db
      .insertInto('meter_devices')
      .values(['m-1', 'm-2', 'm-hidden'].map((id) => ({ cds_meterdevice_id: id, meter_number: `MTR-${id}`, ...times })))
      .execute()
    await writeUsageSegments(t.db, FIXTURES, T0)
    // Same start, later modification: listed first (cds_modified descending).
    await writeUsageSegments(t.db, [segment('seg-tie-new', 40, B)], LATER)
  })

  const list = (query: UsageSegmentListingQuery = {}, options: Partial<FakeAccessOptions> = {}, cursor?: KeyCursor) =>
    usageSegmentsListing.list({
      db: t.db,
      config: {} as ServerConfig,
      access: fakeAccess({ visible: VISIBLE, includes: NUMBERS, ...options }),
      query,
      cursor,
      now: LATER,
    })
  const ids = async (query: UsageSegmentListingQuery = {}, options: Partial<FakeAccessOptions> = {}) =>
    (await list(query, options)).items.map((item) => item.cds_usagesegment_id)

  it('R3-01-10.8.8-17 order: aggregation, account, contract numbers (smallest related, none last), earliest start, latest modified, id', async () => {
    const page = await list()
    expect(page.items.map((item) => item.cds_usagesegment_id)).toEqual(ORDERED)
    expect(page).toMatchObject({ next: null, previous: null })
  })

  it('R3-01-10.8.1-01, -05, -06: all six related_* arrays, unique and pruned to visible ids; schema-valid objects', async () => {
    const { items } = await list()
    for (const item of items) expect(checkStrict(UsageSegment, item)).toEqual([])
    const byId = new Map(items.map((item) => [item.cds_usagesegment_id, item]))
    expect(byId.get('seg-a')).toMatchObject({
      related_aggregations: [],
      related_accounts: ['a-1', 'a-2'],
      related_servicecontracts: ['c-2'],
      related_servicepoints: ['p-2'],
      related_meterdevices: ['m-2'],
      related_billsections: [],
      interval: Decimal.from('3600'),
      cds_created: '2025-01-01T00:00:00Z',
    })
    expect(byId.get('seg-hidden')).toMatchObject({ related_accounts: [], related_servicecontracts: [], related_meterdevices: [] })
    expect(byId.get('seg-agg')).toMatchObject({ related_aggregations: ['g-1', 'g-2'] })
  })

  it('R3-01-10.8.8-04 cds_usagesegment_ids', async () => {
    expect(await ids({ cds_usagesegment_ids: 'seg-b1 unknown seg-a' })).toEqual(['seg-a', 'seg-b1'])
  })

  it('R3-01-10.8.8-05, -06 before (segment_start ≤) and after (segment_end ≥), inclusive (A-52)', async () => {
    expect(await ids({ before: hour(10).toISOString() })).toEqual(['seg-hidden', 'seg-none'])
    // seg-b1 runs 20:00–21:00: it ends exactly at `after`, so it matches.
    expect(await ids({ after: hour(21).toISOString(), before: hour(30).toISOString() })).toEqual(['seg-b1', 'seg-b2'])
    expect(await ids({ after: '2025-01-01T21:00:00.001Z', before: '2025-01-02T05:59:59+00:00' })).toEqual([])
  })

  it('A-14: a malformed before/after is 400 invalid_request', async () => {
    await expect(list({ before: '2025-01-01' })).rejects.toBeInstanceOf(InvalidRequest)
    await expect(list({ after: 'yesterday' })).rejects.toMatchObject({ status: 400, error: 'invalid_request' })
  })

  it('R3-01-10.8.8-07, -09, -11, -13, -15 and A-38: id filters match the related arrays', async () => {
    expect(await ids({ cds_account_ids: 'a-2' })).toEqual(['seg-a'])
    expect(await ids({ cds_servicecontract_ids: 'c-2' })).toEqual(['seg-a', 'seg-b-sc1'])
    expect(await ids({ cds_servicepoint_ids: 'p-1' })).toEqual(['seg-b1', 'seg-b2', 'seg-tie-new', 'seg-tie-old', 'seg-t3', 'seg-t4'])
    expect(await ids({ cds_meterdevice_ids: 'm-2 m-9' })).toEqual(['seg-a'])
    expect(await ids({ cds_billsection_ids: 'b-1' })).toHaveLength(6)
    expect(await ids({ cds_aggregation_ids: 'g-1' })).toEqual(['seg-agg'])
  })

  it('A-13: id filters match the pruned arrays, so hidden relations cannot be probed', async () => {
    expect(await ids({ cds_account_ids: 'a-hidden' })).toEqual([])
    expect(await ids({ cds_meterdevice_ids: 'm-hidden' })).toEqual([])
  })

  it('R3-01-10.8.8-08, -10, -12, -14: number filters match the numbers of visible related objects', async () => {
    expect(await ids({ account_numbers: 'ACC-A' })).toEqual(['seg-a'])
    expect(await ids({ contract_numbers: 'SC-1' })).toEqual(['seg-a', 'seg-b-sc1'])
    expect(await ids({ servicepoint_numbers: 'SP-p-2' })).toEqual(['seg-a'])
    expect(await ids({ meter_numbers: 'MTR-m-2' })).toEqual(['seg-a'])
    expect(await ids({ aggregation_numbers: 'AGG-2' })).toEqual(['seg-agg'])
  })

  it('A-13: a number the token may not see matches nothing (hidden object, or its gate off)', async () => {
    expect(await ids({ account_numbers: 'ACC-0' })).toEqual([])
    expect(await ids({ account_numbers: 'ACC-A' }, { includes: [] })).toEqual([])
    expect(await ids({ contract_numbers: 'SC-1' }, { includes: ['include_account_numbers'] })).toEqual([])
    expect(await ids({ meter_numbers: 'MTR-m-2' }, { includes: [] })).toEqual([])
    // Service point and aggregation numbers have no gate.
    expect(await ids({ servicepoint_numbers: 'SP-p-2' }, { includes: [] })).toEqual(['seg-a'])
  })

  it('R3-01-10.8.8-16 filters intersect', async () => {
    expect(await ids({ cds_account_ids: 'a-1', cds_meterdevice_ids: 'm-2' })).toEqual(['seg-a'])
    expect(await ids({ cds_account_ids: 'a-1', cds_meterdevice_ids: 'm-1', before: hour(25).toISOString() })).toEqual(['seg-b1'])
    expect(await ids({ cds_usagesegment_ids: 'seg-a', account_numbers: 'ACC-B', cds_servicepoint_ids: 'p-1' })).toEqual([])
  })

  it('only segments the access shows are listed', async () => {
    expect(await ids({}, { visible: { ...VISIBLE, usage_segment: ['seg-none', 'seg-a'] } })).toEqual(['seg-a', 'seg-none'])
  })
})

forEachDialect('CDS-WG3-01 §10.8.8 Listing Usage Segments: pagination', (t) => {
  const all: string[] = []
  beforeAll(async () => {
    // 230 segments on meter m-p (one an hour, ids in time order) and 40 on m-q, interleaved in time.
    const onP = Array.from({ length: 230 }, (_, i) => segment(`p-${String(i).padStart(3, '0')}`, i, { meter_device: ['m-p'] }))
    const onQ = Array.from({ length: 40 }, (_, i) => segment(`q-${String(i).padStart(3, '0')}`, i * 5, { meter_device: ['m-q'] }))
    await writeUsageSegments(t.db, [...onQ, ...onP], T0)
    all.push(...onP.map((s) => s.cds_usagesegment_id ?? ''))
    await t.db
      .insertInto('meter_devices')
      .values(['m-p', 'm-q'].map((id) => ({ cds_meterdevice_id: id, meter_number: id, cds_created: T0, cds_modified: T0, cds_synced: T0 })))
      .execute()
  })
  const page = (cursor?: KeyCursor) =>
    usageSegmentsListing.list({
      db: t.db,
      config: {} as ServerConfig,
      access: fakeAccess({ visible: { usage_segment: [...all, ...Array.from({ length: 40 }, (_, i) => `q-${String(i).padStart(3, '0')}`)], meter_device: ['m-p', 'm-q'] } }),
      query: { cds_meterdevice_ids: 'm-p' },
      cursor,
      now: T0,
    })

  it('R3-01-10.8.8-02, -03: pages of 100 with next/previous, null at the ends, filters kept, no row twice or skipped', async () => {
    const first = await page()
    const second = await page(first.next ?? undefined)
    const third = await page(second.next ?? undefined)
    const sizes = [first, second, third].map((p) => p.items.length)
    expect(sizes).toEqual([100, 100, 30])
    expect(first.previous).toBeNull()
    expect(third.next).toBeNull()
    expect([first, second, third].flatMap((p) => p.items.map((item) => item.cds_usagesegment_id))).toEqual(all)
    // Walking back from the last page gives the same pages.
    const back = await page(third.previous ?? undefined)
    expect(back.items.map((item) => item.cds_usagesegment_id)).toEqual(second.items.map((item) => item.cds_usagesegment_id))
    const front = await page(back.previous ?? undefined)
    expect(front.items.map((item) => item.cds_usagesegment_id)).toEqual(all.slice(0, 100))
    expect(front.previous).toBeNull()
    expect(front.next).not.toBeNull()
  })
})

describe('fillPage: pages refilled when rows are not shown', () => {
  // 300 rows 0…299; every third is not shown, as a row the SQL could not judge exactly.
  const ROWS = Array.from({ length: 300 }, (_, i) => i)
  const cursorAt = (direction: KeyCursor['direction'], row: number): KeyCursor => ({ direction, values: [String(row)] })
  // The keysetPageBy contract over an in-memory list.
  const fetch = (cursor: KeyCursor | undefined, limit: number) => {
    const at = Number(cursor?.values[0] ?? -1)
    if (cursor?.direction === 'previous') {
      const before = ROWS.filter((r) => r < at)
      const items = before.slice(-limit)
      const [first] = items
      const last = items.at(-1)
      return Promise.resolve({
        items,
        previous: before.length > limit && first !== undefined ? cursorAt('previous', first) : null,
        next: last !== undefined && last < 299 ? cursorAt('next', last) : null,
      })
    }
    const items = ROWS.filter((r) => r > at).slice(0, limit)
    const [first] = items
    const last = items.at(-1)
    return Promise.resolve({
      items,
      next: last !== undefined && last < 299 ? cursorAt('next', last) : null,
      previous: cursor !== undefined && first !== undefined && first > 0 ? cursorAt('previous', first) : null,
    })
  }
  const project = (rows: number[]) => Promise.resolve(rows.map((r) => (r % 3 === 0 ? null : r)))
  const shown = ROWS.filter((r) => r % 3 !== 0)

  it('walks forward and back over full pages of shown rows, none twice or skipped', async () => {
    const pages = [await fillPage(fetch, project, undefined)]
    for (let last = pages[0]; last?.next; last = pages.at(-1)) pages.push(await fillPage(fetch, project, last.next))
    expect(pages.map((p) => p.items.length)).toEqual([100, 100])
    expect(pages.flatMap((p) => p.items)).toEqual(shown)
    expect(pages[0]?.previous).toBeNull()
    const back = await fillPage(fetch, project, pages[1]?.previous ?? undefined)
    expect(back.items).toEqual(shown.slice(0, 100))
    expect(back.next).not.toBeNull()
    // Row 0 is before it and not shown: a link to an empty page is the one imperfection allowed.
    if (back.previous !== null) expect((await fillPage(fetch, project, back.previous)).items).toEqual([])
  })
})
