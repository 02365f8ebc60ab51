import { describe, expect, it } from 'vitest'
import { Decimal } from '../common/decimal.js'
import { checkStrict, parseLenient } from '../common/validate.js'
import { checkUsageSegmentCells } from './usage-segment-cells.js'
import { UsageSegment, UsageSegmentListing } from './usage-segment.js'

const segment = `{
  "cds_usagesegment_id": "seg-1",
  "cds_created": "2024-01-02T00:00:00Z",
  "cds_modified": "2024-01-02T00:00:00Z",
  "cds_synced": "2024-01-02T00:00:00Z",
  "related_aggregations": [], "related_accounts": ["a1"], "related_servicecontracts": [],
  "related_servicepoints": [], "related_meterdevices": ["m1"], "related_billsections": [],
  "segment_start": "2024-01-01T00:00:00Z",
  "segment_end": "2024-01-01T00:30:00Z",
  "interval": 900,
  "formats": [
    { "id": "f1", "type": "electric_usage", "units": "kWh" },
    { "id": "f2", "type": "cost", "currency": "USD", "indexes": [0] },
    { "id": "f3", "type": "example_server_type" }
  ],
  "values": [
    [{ "eu": 0.10 }, { "c": 0.0123456789012345678901 }, { "anything": 1 }],
    [{ "eu": 2 }, null, { "anything": 2 }]
  ]
}`

describe('CDS-WG3-01 §10.8.3 Usage Segment cells', () => {
  const parsed = parseLenient(UsageSegment, segment)

  it('decodes every cell decimal of a known Value Type to an exact Decimal', () => {
    expect(parsed.ok && parsed.warnings).toEqual([])
    if (!parsed.ok) return
    const [first, second] = parsed.value.values as Array<Array<Record<string, unknown> | null>>
    expect(first![0]!.eu).toBeInstanceOf(Decimal)
    expect(String(first![0]!.eu)).toBe('0.10')
    expect(String(first![1]!.c)).toBe('0.0123456789012345678901')
    expect(second![0]!.eu).toBeInstanceOf(Decimal)
    // A type this package does not know is kept as it came (CDS-WG3-01 §10.8.5: clients skip it).
    expect(first![2]).toEqual({ anything: 1 })
    expect(checkStrict(UsageSegment, parsed.value)).toEqual([])
  })

  it('refuses a float in a cell, with the cell path, in the strict check', () => {
    if (!parsed.ok) throw new Error('fixture does not parse')
    const value = { ...parsed.value, values: [[{ eu: 0.1 }, null, null]] }
    expect(checkStrict(UsageSegment, value)).toEqual([expect.objectContaining({ path: '/values/0/0/eu', keyword: 'decimal' })])
  })

  it('refuses a Value Set whose length differs from the formats (A-41)', () => {
    if (!parsed.ok) throw new Error('fixture does not parse')
    expect(checkUsageSegmentCells({ ...parsed.value, values: [[null, null]] })).toEqual([
      { path: '/values/0', keyword: 'cells', message: 'has 2 cells for 3 formats' },
    ])
  })

  it('reports cell problems inside a listing with the full path, and as warnings when parsing leniently', () => {
    if (!parsed.ok) throw new Error('fixture does not parse')
    const listing = { usage_segments: [{ ...parsed.value, values: [[{ eu: 'lots' }, null, null]] }], next: null, previous: null }
    expect(checkStrict(UsageSegmentListing, listing)).toEqual([expect.objectContaining({ path: '/usage_segments/0/values/0/0/eu' })])
    const lenient = parseLenient(UsageSegmentListing, listing)
    expect(lenient.ok).toBe(true)
    if (lenient.ok) expect(lenient.warnings.map((w) => w.path)).toEqual(['/usage_segments/0/values/0/0/eu'])
  })
})
