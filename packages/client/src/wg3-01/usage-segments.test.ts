import { describe, expect, it } from 'vitest'
import { CdsClient } from '../client.js'
import { Decimal } from '../decimal.js'
import type { Issue } from '@cds-ts/schema'
import { fakeAuthorizationServer, fakeFetch } from '../../test/fake-fetch.js'

const base = 'https://utility.example'

function segment(id: string, formats: unknown[], values: unknown[][]) {
  return {
    cds_usagesegment_id: id,
    cds_created: '2026-01-01T00:00:00Z',
    cds_modified: '2026-01-01T00:00:00Z',
    cds_synced: '2026-01-01T00:00:00Z',
    related_aggregations: [],
    related_accounts: [],
    related_servicecontracts: [],
    related_servicepoints: [],
    related_meterdevices: [],
    related_billsections: [],
    segment_start: '2026-01-01T00:00:00Z',
    segment_end: '2026-01-01T00:30:00Z',
    interval: 900,
    formats,
    values,
  }
}

const formats = [
  { id: 'kwh', type: 'electric_usage', units: 'kWh', direction: 'net', quality: 'measured' },
  { id: 'read', type: 'meter_readings', related_meterdevice: 'm1', register: null, units: 'kWh' },
  { id: 'future', type: 'vendor_heat_index' },
]

describe('CDS-WG3-01 §10.8 Usage Segments', () => {
  it('§10.8.3 decodes cells by column: decimals exact, unknown types and nulls kept', async () => {
    const text = JSON.stringify({
      usage_segments: [segment('s1', formats, [[{ eu: 1 }, { r: '00123' }, { h: 7 }], [null, { r: '00124' }, { h: 8 }]])],
      next: `${base}/api/usagesegments?cursor=2`,
      previous: null,
    }).replace('{"eu":1}', '{"eu":1.250}')
    const fetch = fakeFetch(
      { text, headers: { 'content-type': 'application/json' } },
      { json: { usage_segments: [segment('s2', formats.slice(0, 1), [[{ eu: 2 }], [{ eu: '3.5' }]])], next: null, previous: `${base}/api/usagesegments` } },
    )
    const warnings: Issue[] = []
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base, { cds_usagesegments_api: `${base}/api/usagesegments` }) }, { fetch, onWarnings: (w) => warnings.push(...w) })
    const all = []
    for await (const s of cds.customerData('t').usageSegments.all({ meter_numbers: ['M-1'] })) all.push(s)
    expect(fetch.calls.map((c) => c.url)).toEqual([`${base}/api/usagesegments?meter_numbers=M-1`, `${base}/api/usagesegments?cursor=2`])
    expect(all.map((s) => s.cds_usagesegment_id)).toEqual(['s1', 's2'])
    const [first, second] = all
    expect(first?.interval).toBeInstanceOf(Decimal)
    const [row1, row2] = first?.values ?? []
    expect(String((row1?.[0] as { eu: Decimal }).eu)).toBe('1.250')
    expect(row1?.[1]).toEqual({ r: '00123' })
    expect(row1?.[2]).toEqual({ h: 7 })
    expect(row2?.[0]).toBeNull()
    expect((second?.values[0]?.[0] as { eu: Decimal }).eu).toEqual(Decimal.from(2))
    expect(String((second?.values[1]?.[0] as { eu: Decimal }).eu)).toBe('3.5')
    // Values the SDK does not know (the format's `quality`, here) are warnings, never errors.
    expect(warnings.some((w) => w.path === '/usage_segments/0/formats/0/quality')).toBe(true)
  })

  it('a segment without its required members is still refused', async () => {
    const { formats: _f, ...broken } = segment('s1', formats, [])
    const fetch = fakeFetch({ json: { usage_segments: [broken], next: null, previous: null } })
    const cds = new CdsClient({ authorizationServer: fakeAuthorizationServer(base, { cds_usagesegments_api: `${base}/api/usagesegments` }) }, { fetch })
    await expect(cds.customerData('t').usageSegments.list()).rejects.toMatchObject({ code: 'INVALID_RESPONSE' })
  })
})
