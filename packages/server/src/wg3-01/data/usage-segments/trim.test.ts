import { checkStrict, Decimal, stringifyJson, UsageSegment } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess, NO_WINDOWS } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import type { ServerConfig } from '../../../config/config-schema.js'
import { writeUsageSegments } from '../../../customer-data/write-usage-segments.js'
import type { Database } from '../../../db/database.js'
import type { DateWindows } from '../types.js'
import { usageSegmentsListing } from './list-usage-segments.js'
import { intervalMillis, parseTrimmedId, segmentWindow, trimmedId, trimSegment } from './trim.js'

const NOW = new Date('2025-12-01T00:00:00Z')

describe('trim.ts arithmetic (catalog §3.10)', () => {
  const window = (w: Partial<DateWindows>) => segmentWindow({ ...NO_WINDOWS, ...w })
  const S = new Date('2025-01-15T08:00:00Z')

  it('reads intervals from their digits', () => {
    expect([intervalMillis('900'), intervalMillis('0.5'), intervalMillis('2678400'), intervalMillis('1.0005')]).toEqual([900_000, 500, 2_678_400_000, 1001])
    expect(() => intervalMillis('-1')).toThrow(TypeError)
  })

  it('sync_until caps the end like segment_end; sub-millisecond bounds round inwards', () => {
    expect(window({ segment_end: '2025-02-01T00:00:00Z', sync_until: '2025-01-20T00:00:00Z' })).toMatchObject({
      end: Date.parse('2025-01-20T00:00:00Z'),
      endText: '2025-01-20T00:00:00Z',
    })
    expect(window({ segment_start: '2025-01-15T20:00:00.0004Z' }).start).toBe(Date.parse('2025-01-15T20:00:00Z') + 1)
    expect(window({ segment_start: '2025-01-15T12:00:00-08:00' }).start).toBe(Date.parse('2025-01-15T20:00:00Z'))
  })

  it('catalog §3.18 example F: k_first = 48 of 96, start 20:00Z', () => {
    const trim = trimSegment(S, 900_000, 96, window({ segment_start: '2025-01-15T20:00:00Z' }))
    expect(trim).toEqual({ skip: 48, keep: 96, start: new Date('2025-01-15T20:00:00Z'), end: new Date('2025-01-16T08:00:00Z'), trimmed: true })
  })

  it('keeps only whole intervals: an edge inside an interval drops that interval', () => {
    const trim = trimSegment(S, 900_000, 96, window({ segment_start: '2025-01-15T08:10:00Z', segment_end: '2025-01-15T09:05:00Z' }))
    expect(trim).toMatchObject({ skip: 1, keep: 4, start: new Date('2025-01-15T08:15:00Z'), end: new Date('2025-01-15T09:00:00Z') })
  })

  it('inside the window: unchanged; outside, or no whole interval inside: not visible (A-34)', () => {
    expect(trimSegment(S, 900_000, 96, window({ segment_start: '2025-01-15T08:00:00Z', segment_end: '2025-01-16T08:00:00Z' }))?.trimmed).toBe(false)
    expect(trimSegment(S, 900_000, 96, window({ segment_start: '2025-01-16T08:00:00Z' }))).toBeNull()
    expect(trimSegment(S, 900_000, 96, window({ segment_end: '2025-01-15T08:00:00Z' }))).toBeNull()
    expect(trimSegment(S, 900_000, 96, window({ segment_start: '2025-01-15T08:01:00Z', segment_end: '2025-01-15T08:16:00Z' }))).toBeNull()
    // A monthly segment (one Value Set) straddling an edge is excluded, not split.
    expect(trimSegment(new Date('2025-01-01T08:00:00Z'), 2_678_400_000, 1, window({ segment_start: '2025-01-10T00:00:00Z' }))).toBeNull()
  })

  it('trimmed ids are deterministic and decode to the original id and bounds', () => {
    const id = trimmedId('3f9c1d7a52e04b88', new Date('2025-01-15T20:00:00Z'), new Date('2025-01-16T08:00:00.5Z'))
    expect(id).toBe('3f9c1d7a52e04b88-t-1736971200-1737014400.5')
    expect(parseTrimmedId(id)).toEqual({ id: '3f9c1d7a52e04b88', start: '1736971200', end: '1737014400.5' })
    expect(parseTrimmedId('3f9c1d7a52e04b88')).toBeUndefined()
  })
})

/** One local day of 15-minute data from `start` (UTC) to `end`, value `0.0k` in set k. */
function day(start: string, end: string, related = ['m-1']) {
  const sets = (Date.parse(end) - Date.parse(start)) / (15 * 60_000)
  return {
    segment_start: new Date(start),
    interval: '900',
    formats: [{ id: 'e', type: 'electric_usage', units: 'kWh' }],
    values: Array.from({ length: sets }, (_, k) => [{ eu: Decimal.from(`0.${String(k).padStart(3, '0')}`) }]),
    related: { meter_device: related },
  }
}

forEachDialect('CDS-WG3-01 §7.3.6, §7.3.7 trimming Usage Segments to the Grant window', (t) => {
  let ids: string[] = []
  // catalog §3.15: 2025-03-09 (spring forward, 92 sets), 2025-01-15 (96), 2025-11-02 (fall back, 100), PST/PDT days.
  const DAYS = [
    ['2025-01-14T08:00:00Z', '2025-01-15T08:00:00Z'],
    ['2025-01-15T08:00:00Z', '2025-01-16T08:00:00Z'],
    ['2025-03-09T08:00:00Z', '2025-03-10T07:00:00Z'],
    ['2025-11-02T07:00:00Z', '2025-11-03T08:00:00Z'],
  ] as const
  beforeAll(async () => {
    ids = await writeUsageSegments(t.db, [...DAYS.map(([s, e]) => day(s, e)), { ...day('2025-01-01T08:00:00Z', '2025-01-01T08:15:00Z'), interval: '2678400' }], NOW)
  })

  const list = async (db: Kysely<Database>, windows: Partial<DateWindows>, query = {}) =>
    (
      await usageSegmentsListing.list({
        db,
        config: {} as ServerConfig,
        access: fakeAccess({ visible: { usage_segment: ids, meter_device: ['m-1'] }, windows }),
        query,
        cursor: undefined,
        now: NOW,
      })
    ).items

  it('catalog §3.15: DST days have 92 and 100 Value Sets, and segment_end - segment_start = n × interval', async () => {
    const items = await list(t.db, {})
    const dst = items.filter((item) => ['2025-03-09T08:00:00Z', '2025-11-02T07:00:00Z'].includes(String(item.segment_start)))
    expect(dst.map((item) => [item.segment_end, (item.values as unknown[]).length])).toEqual([
      ['2025-03-10T07:00:00Z', 92],
      ['2025-11-03T08:00:00Z', 100],
    ])
    for (const item of items) {
      const span = Date.parse(String(item.segment_end)) - Date.parse(String(item.segment_start))
      expect(span).toBe((item.values as unknown[]).length * intervalMillis(stringifyJson(item.interval)))
    }
  })

  it('catalog §3.18 example F: the straddling day becomes a new segment from the window start; earlier days vanish', async () => {
    const items = await list(t.db, { segment_start: '2025-01-15T20:00:00Z' })
    expect(items.map((item) => item.cds_usagesegment_id)).toEqual([`${ids[1]}-t-1736971200-1737014400`, ids[2], ids[3]])
    const [trimmed] = items
    expect(trimmed).toMatchObject({ segment_start: '2025-01-15T20:00:00Z', segment_end: '2025-01-16T08:00:00Z', related_meterdevices: ['m-1'] })
    expect(stringifyJson((trimmed?.values as unknown[])[0])).toBe('[{"eu":0.048}]')
    expect(trimmed?.values).toHaveLength(48)
    expect(checkStrict(UsageSegment, trimmed)).toEqual([])
    // The original is never exposed: not in the list, not through the id filter.
    expect(items.some((item) => item.cds_usagesegment_id === ids[1])).toBe(false)
    expect(await list(t.db, { segment_start: '2025-01-15T20:00:00Z' }, { cds_usagesegment_ids: ids[1] })).toEqual([])
  })

  it('a window inside one segment trims both edges; the trimmed id finds it again', async () => {
    const windows = { segment_start: '2025-11-02T08:00:00Z', segment_end: '2025-11-02T10:10:00Z' }
    const items = await list(t.db, windows)
    expect(items).toHaveLength(1)
    const [only] = items
    expect(only).toMatchObject({ segment_start: '2025-11-02T08:00:00Z', segment_end: '2025-11-02T10:00:00Z' })
    expect(stringifyJson(only?.values)).toBe(`[${Array.from({ length: 8 }, (_, k) => `[{"eu":0.${String(k + 4).padStart(3, '0')}}]`).join(',')}]`)
    const id = String(only?.cds_usagesegment_id)
    expect(id).not.toBe(ids[3])
    expect((await list(t.db, windows, { cds_usagesegment_ids: `nothing ${id}` })).map((item) => item.cds_usagesegment_id)).toEqual([id])
    // The same trimmed id means nothing under another window.
    expect(await list(t.db, { segment_start: '2025-11-02T09:00:00Z' }, { cds_usagesegment_ids: id })).toEqual([])
  })

  it('sync_until caps the data like segment_end (§7.3.1); segments fully inside keep their ids', async () => {
    const items = await list(t.db, { segment_start: '2025-01-14T08:00:00Z', sync_until: '2025-01-15T12:00:00Z' })
    expect(items.map((item) => [item.cds_usagesegment_id, item.segment_end])).toEqual([
      [ids[0], '2025-01-15T08:00:00Z'],
      [`${ids[1]}-t-1736928000-1736942400`, '2025-01-15T12:00:00Z'],
    ])
  })

  it('a single-Value-Set segment straddling the window is excluded (A-34)', async () => {
    const items = await list(t.db, { segment_start: '2025-01-01T09:00:00Z', segment_end: '2025-01-20T00:00:00Z' })
    expect(items.map((item) => item.cds_usagesegment_id)).not.toContain(ids[4])
    expect(items.some((item) => String(item.cds_usagesegment_id).startsWith(`${ids[4] ?? ''}-t-`))).toBe(false)
  })

  it('before/after compare the trimmed bounds (catalog §3.10 step 5, A-52)', async () => {
    const windows = { segment_start: '2025-01-15T20:00:00Z' }
    // The stored segment starts at 08:00Z, its trimmed copy at 20:00Z.
    expect(await list(t.db, windows, { before: '2025-01-15T19:00:00Z', after: '2025-01-15T18:00:00Z' })).toEqual([])
    const at = await list(t.db, windows, { before: '2025-01-15T20:00:00Z', after: '2025-01-15T20:00:00Z' })
    expect(at.map((item) => item.segment_start)).toEqual(['2025-01-15T20:00:00Z'])
    // A segment_end cap moves `after` matches the same way.
    const capped = await list(t.db, { segment_end: '2025-01-15T12:00:00Z' }, { after: '2025-01-15T13:00:00Z' })
    expect(capped).toEqual([])
  })
})
