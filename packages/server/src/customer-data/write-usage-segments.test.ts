import { Decimal } from '@cds-ts/schema'
import { beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { SORT_LAST } from '../db/database.js'
import { segmentEnd, writeUsageSegments, type UsageSegmentInput } from './write-usage-segments.js'

const NOW = new Date('2025-03-01T00:00:00.000Z')
const LATER = new Date('2025-03-02T00:00:00.000Z')
const FORMATS = [{ type: 'electric_usage', units: 'kWh', direction: 'forward' }]

function segment(overrides: Partial<UsageSegmentInput> = {}): UsageSegmentInput {
  return {
    segment_start: new Date('2025-02-01T08:00:00.000Z'),
    interval: '900',
    formats: FORMATS,
    values: [[{ value: Decimal.from('0.250') }], [null], [{ value: Decimal.from('1.12345678901234567890') }]],
    related: { account: ['acc-1'], service_contract: ['sc-1', 'sc-2'], meter_device: ['md-1'] },
    ...overrides,
  }
}

describe('segmentEnd', () => {
  it('is start + n × interval, fractional intervals included', () => {
    expect(segmentEnd(new Date('2025-01-01T00:00:00Z'), '900', 4).toISOString()).toBe('2025-01-01T01:00:00.000Z')
    expect(segmentEnd(new Date('2025-01-01T00:00:00Z'), '0.5', 3).toISOString()).toBe('2025-01-01T00:00:01.500Z')
  })
})

forEachDialect('writeUsageSegments (CDS-WG3-01 §10.8.1)', (t) => {
  beforeAll(async () => {
    const stamps = { cds_created: NOW, cds_modified: NOW, cds_synced: NOW }
    await t.db.insertInto('accounts').values({ cds_account_id: 'acc-1', account_number: 'A-200', account_status: 'active', ...stamps }).execute()
    await t.db
      .insertInto('service_contracts')
      .values([
        { cds_servicecontract_id: 'sc-1', cds_account_id: 'acc-1', contract_number: 'C-9', contract_status: 'active', ...stamps },
        { cds_servicecontract_id: 'sc-2', cds_account_id: 'acc-1', contract_number: 'C-10', contract_status: 'active', ...stamps },
      ])
      .execute()
  })

  it('stores the Value Sets with their exact digits, the end, the links and the A-17 sort keys', async () => {
    const [id] = await writeUsageSegments(t.db, [segment()], NOW)
    const row = await t.db.selectFrom('usage_segments').selectAll().where('cds_usagesegment_id', '=', id!).executeTakeFirstOrThrow()
    expect(row.values.replace(/\s/g, '')).toBe('[[{"value":0.250}],[null],[{"value":1.12345678901234567890}]]')
    expect(row.segment_end.toISOString()).toBe('2025-02-01T08:45:00.000Z')
    expect(row.interval).toBe('900')
    // Code-point order: "C-10" < "C-9".
    expect([row.sort_account_number, row.sort_contract_number, row.sort_aggregation_number]).toEqual(['A-200', 'C-10', SORT_LAST])
    const links = await t.db.selectFrom('usage_segment_links').select(['object_type', 'object_id']).where('cds_usagesegment_id', '=', id!).orderBy('object_id').execute()
    expect(links).toEqual([
      { object_type: 'account', object_id: 'acc-1' },
      { object_type: 'meter_device', object_id: 'md-1' },
      { object_type: 'service_contract', object_id: 'sc-1' },
      { object_type: 'service_contract', object_id: 'sc-2' },
    ])
  })

  it('a re-write with the same source_key keeps the id, and moves cds_modified only when the content changed', async () => {
    const [first] = await writeUsageSegments(t.db, [segment({ source_key: 'import:1' })], NOW)
    const [again] = await writeUsageSegments(t.db, [segment({ source_key: 'import:1', cds_usagesegment_id: 'ignored' })], LATER)
    expect(again).toBe(first)
    const unchanged = await t.db.selectFrom('usage_segments').selectAll().where('source_key', '=', 'import:1').executeTakeFirstOrThrow()
    expect(unchanged.cds_modified.toISOString()).toBe(NOW.toISOString())
    expect(unchanged.cds_synced.toISOString()).toBe(LATER.toISOString())
    await writeUsageSegments(t.db, [segment({ source_key: 'import:1', values: [[{ value: Decimal.from('0.251') }]] })], LATER)
    const changed = await t.db.selectFrom('usage_segments').selectAll().where('source_key', '=', 'import:1').executeTakeFirstOrThrow()
    expect(changed.cds_modified.toISOString()).toBe(LATER.toISOString())
    expect(changed.values.replace(/\s/g, '')).toBe('[[{"value":0.251}]]')
  })

  it('writes nothing when one segment of the batch is invalid', async () => {
    const before = await t.db.selectFrom('usage_segments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    await expect(writeUsageSegments(t.db, [segment({ source_key: 'batch:1' }), segment({ values: [] })], NOW)).rejects.toThrow(/at least one Value Set/)
    await expect(writeUsageSegments(t.db, [segment({ interval: '15m' })], NOW)).rejects.toThrow(/not a decimal/)
    const after = await t.db.selectFrom('usage_segments').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    expect(after.n).toEqual(before.n)
  })
})
