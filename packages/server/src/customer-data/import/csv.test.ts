import { Readable } from 'node:stream'
import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../../../test/dialects.js'
import { counts, seedAccount, segmentsOf } from '../../../test/green-button-kit.js'
import { importCsv } from './csv.js'
import { LOCAL_TIME_PRESETS } from './local-time.js'

const NOW = new Date('2025-02-03T00:00:00Z')
const csv = (lines: string[]) => Readable.from([Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`)])

const GOOD = [
  'meter_number,interval_start,interval_seconds,value,units,quality,direction',
  '1001,2025-01-31T23:30:00-08:00,900,0.150,kWh,raw,forward',
  '1001,2025-01-31T23:45:00-08:00,900,,kWh,raw,forward',
  '1001,2025-02-01T00:15:00-08:00,900,12345678901234567.891,kWh,estimated,forward',
  '1001,2025-02-01T00:00:00-08:00,900,0.2,kWh,raw,forward',
  '1001,2025-01-31T23:30:00-08:00,900,-0.410,kWh,,reverse',
  '"W 7",2025-01-01T00:00:00-08:00,86400,1.5,gal,valid,',
]

forEachDialect('CDS-WG3-01 §10.8 CSV import', (t) => {
  beforeAll(async () => {
    await seedAccount(t.db, 'acct0001', '0012345678')
    // A water contract for meter "W 7".
    await t.db.updateTable('service_contracts').set({ service_types: '["natural_gas","water"]' }).where('cds_servicecontract_id', '=', 'acct0001-g').execute()
  })

  it('imports readings as monthly segments in local time, with exact decimals and nulls', async () => {
    const summary = await importCsv(t.db, csv(GOOD), { account: 'acct0001', sourceName: 'usage.csv', now: NOW, localTime: LOCAL_TIME_PRESETS['us-pacific'] })
    expect(summary).toMatchObject({ readings: 6, segments: 4, meters: 2, metersCreated: 2 })
    const segments = await segmentsOf(t.db, 'acct0001')
    expect(segments.map((s) => [s.meter_number, s.segment_start, s.interval, s.values])).toEqual([
      ['1001', '2025-02-01T07:30:00.000Z', '900', '[[{"eu":0.150}],[null]]'],
      ['1001', '2025-02-01T07:30:00.000Z', '900', '[[{"eu":-0.410}]]'],
      ['1001', '2025-02-01T08:00:00.000Z', '900', '[[{"eu":0.2},null],[null,{"eu":12345678901234567.891}]]'],
      ['W 7', '2025-01-01T08:00:00.000Z', '86400', '[[{"wu":1.5}]]'],
    ])
    expect(JSON.parse(segments[2]?.formats ?? '')).toEqual([
      { id: 'electric_usage_kWh_forward_raw', type: 'electric_usage', units: 'kWh', direction: 'forward', quality: 'raw' },
      { id: 'electric_usage_kWh_forward_estimated', type: 'electric_usage', units: 'kWh', direction: 'forward', quality: 'estimated' },
    ])
  })

  it('is idempotent', async () => {
    const before = await segmentsOf(t.db, 'acct0001')
    const rows = await counts(t.db)
    await importCsv(t.db, csv(GOOD), { account: '0012345678', now: new Date('2025-06-01T00:00:00Z'), localTime: LOCAL_TIME_PRESETS['us-pacific'] })
    expect(await counts(t.db)).toEqual(rows)
    expect(await segmentsOf(t.db, 'acct0001')).toEqual(before)
  })

  const bad: [string, string[], string][] = [
    ['a missing column', ['meter_number,interval_start,value,units', '1,2025-01-01T00:00:00Z,1,kWh'], 'bad.csv:1: missing column interval_seconds'],
    ['a bad number', [GOOD[0] ?? '', GOOD[1] ?? '', '1001,2025-01-31T23:45:00-08:00,900,1e3,kWh,raw,forward'], 'bad.csv:3 value: "1e3" is not a decimal number'],
    ['a date without offset', [GOOD[0] ?? '', '1001,2025-01-31T23:45:00,900,1,kWh,raw,forward'], 'bad.csv:2 interval_start: "2025-01-31T23:45:00" is not an RFC 3339 date-time'],
    ['a unit of another type', [GOOD[0] ?? '', '1001,2025-01-31T23:45:00Z,900,1,therm,raw,forward'], 'bad.csv:2 direction: "forward" is not a direction of natural_gas_usage'],
    ['an unknown quality', [GOOD[0] ?? '', '1001,2025-01-31T23:45:00Z,900,1,kWh,good,'], 'bad.csv:2 quality: "good" is not a ReadingQualityType'],
    ['a duplicate interval', [GOOD[0] ?? '', GOOD[1] ?? '', GOOD[1] ?? ''], 'bad.csv:3: meter 1001 already has a reading starting at 2025-02-01T07:30:00.000Z'],
    ['a ragged line', [GOOD[0] ?? '', '1001,2025-01-31T23:45:00Z,900'], 'bad.csv: Invalid Record Length'],
  ]
  for (const [name, lines, message] of bad) {
    it(`refuses ${name}, naming the line, and writes nothing`, async () => {
      const rows = await counts(t.db)
      await expect(importCsv(t.db, csv(lines), { account: 'acct0001', sourceName: 'bad.csv' })).rejects.toThrow(message)
      expect(await counts(t.db)).toEqual(rows)
    })
  }
})
