import { createReadStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { parseJson } from '@cds-ts/schema'
import { beforeAll, describe, expect, it } from 'vitest'
import { DIALECTS, forEachDialect } from '../../../test/dialects.js'
import { counts, ELECTRIC_GAS_XML, seedAccount, segmentsOf } from '../../../test/green-button-kit.js'
import { importGreenButton } from './green-button.js'
import { LOCAL_TIME_PRESETS } from './local-time.js'
import { ImportError } from './segmenter.js'

const NOW = new Date('2025-02-03T00:00:00Z')
const LATER = new Date('2025-03-01T00:00:00Z')
const fixture = () => createReadStream(ELECTRIC_GAS_XML)
const text = (xml: string) => Readable.from([Buffer.from(xml)])

// The fixture's 15-minute values, in mWh: see test/fixtures/green-button/electric-gas.xml.
const mwh = (k: number) => 100000 + ((k * 7919) % 450000)
const kwh = (k: number) => `0.${String(mwh(k)).padStart(6, '0')}`

type Sets = (Record<string, unknown> | null)[][]
const rawValues = (values: string) => parseJson(values) as Sets

forEachDialect('CDS-WG3-01 §10.8 Green Button import', (t) => {
  let account: string
  beforeAll(async () => {
    account = await seedAccount(t.db, 'acct0001', '0012345678')
    await seedAccount(t.db, 'acct0002', '0099999999')
  })

  it('imports 15-minute electricity, solar export and daily gas as monthly segments in local time', async () => {
    const summary = await importGreenButton(t.db, fixture(), { account: '0012345678', sourceName: 'electric-gas.xml', now: NOW })
    expect(summary).toMatchObject({ cds_account_id: account, readings: 301, skipped: 0, segments: 5, meters: 2, metersCreated: 2 })
    const segments = await segmentsOf(t.db, account)
    expect(segments.map((s) => [s.meter_number, s.segment_start, s.segment_end, s.interval])).toEqual([
      ['1001', '2025-01-30T05:00:00.000Z', '2025-02-01T05:00:00.000Z', '900'],
      ['1001', '2025-01-30T16:00:00.000Z', '2025-01-30T19:00:00.000Z', '900'],
      ['1001', '2025-02-01T05:00:00.000Z', '2025-02-02T05:00:00.000Z', '900'],
      ['G-2002', '2025-01-30T05:00:00.000Z', '2025-02-01T05:00:00.000Z', '86400'],
      ['G-2002', '2025-02-01T05:00:00.000Z', '2025-02-02T05:00:00.000Z', '86400'],
    ])
  })

  it('keeps every digit of value × 10^powerOfTenMultiplier, in kWh, one column per quality', async () => {
    const [january] = await segmentsOf(t.db, account)
    expect(JSON.parse(january?.formats ?? '')).toEqual([
      { id: 'electric_usage_kWh_forward_unknown', type: 'electric_usage', units: 'kWh', direction: 'forward' },
      { id: 'electric_usage_kWh_forward_manual', type: 'electric_usage', units: 'kWh', direction: 'forward', quality: 'manual' },
      { id: 'electric_usage_kWh_forward_estimated', type: 'electric_usage', units: 'kWh', direction: 'forward', quality: 'estimated' },
    ])
    const values = january?.values ?? ''
    const sets = rawValues(values)
    expect(sets).toHaveLength(192)
    // Raw JSON tokens: trailing zeros kept (catalog §5.2).
    expect(values.startsWith(`[[{"eu":${kwh(0)}},null,null],[{"eu":${kwh(1)}},null,null]`)).toBe(true)
    expect(values).toContain(`[null,null,{"eu":${kwh(5)}}]`)
    expect(values).toContain(`[null,{"eu":${kwh(150)}},null]`)
    // Two intervals never received, one stated without a value: all null, never dropped (§10.8.3).
    expect(sets[40]).toEqual([null, null, null])
    expect(sets[41]).toEqual([null, null, null])
    expect(sets[106]).toEqual([null, null, null])
  })

  it('makes received (reverse) energy negative, and keeps 0 as 0', async () => {
    const solar = (await segmentsOf(t.db, account))[1]
    expect(JSON.parse(solar?.formats ?? '')).toEqual([{ id: 'electric_usage_kWh_reverse_unknown', type: 'electric_usage', units: 'kWh', direction: 'reverse' }])
    expect(solar?.values).toBe(
      '[[{"eu":-0.037}],[{"eu":-0.074}],[{"eu":-0.111}],[{"eu":-0.148}],[{"eu":-0.185}],[{"eu":-0.222}],[{"eu":0.000}],[{"eu":-0.296}],[{"eu":-0.333}],[{"eu":-0.370}],[{"eu":-0.407}],[{"eu":-0.444}]]',
    )
  })

  it('maps therms and reading quality 17 (validated) to natural_gas_usage, valid', async () => {
    const gas = (await segmentsOf(t.db, account)).filter((s) => s.meter_number === 'G-2002')
    expect(JSON.parse(gas[0]?.formats ?? '')).toEqual([{ id: 'natural_gas_usage_therm_unknown_valid', type: 'natural_gas_usage', units: 'therm', quality: 'valid' }])
    expect(gas.map((s) => s.values)).toEqual(['[[{"gu":2.150}],[{"gu":1.875}]]', '[[{"gu":2.040}]]'])
  })

  it('adds the missing meters under the contract of their service, and relates each segment to all of them', async () => {
    const meters = await t.db
      .selectFrom('meter_devices as md')
      .innerJoin('meterdevice_servicepoints as l', 'l.cds_meterdevice_id', 'md.cds_meterdevice_id')
      .innerJoin('servicepoint_servicecontracts as c', 'c.cds_servicepoint_id', 'l.cds_servicepoint_id')
      .select(['md.meter_number', 'md.meter_types', 'c.cds_servicecontract_id', 'md.cds_meterdevice_id', 'l.cds_servicepoint_id'])
      .orderBy('md.meter_number')
      .execute()
    expect(meters.map((m) => [m.meter_number, m.meter_types, m.cds_servicecontract_id])).toEqual([
      ['1001', '["electric_usage"]', 'acct0001-e'],
      ['G-2002', '["natural_gas_usage"]', 'acct0001-g'],
    ])
    const links = await t.db.selectFrom('usage_segment_links').select(['object_type', 'object_id']).where('cds_usagesegment_id', 'in', (eb) =>
      eb.selectFrom('usage_segment_links').select('cds_usagesegment_id').where('object_type', '=', 'meter_device').where('object_id', '=', meters[1]?.cds_meterdevice_id ?? ''),
    ).distinct().orderBy('object_type').execute()
    expect(links).toEqual([
      { object_type: 'account', object_id: account },
      { object_type: 'meter_device', object_id: meters[1]?.cds_meterdevice_id },
      { object_type: 'service_contract', object_id: 'acct0001-g' },
      { object_type: 'service_point', object_id: meters[1]?.cds_servicepoint_id },
    ])
  })

  it('is idempotent: a second import finds the meters and leaves rows and cds_modified unchanged', async () => {
    const before = await segmentsOf(t.db, account)
    const rows = await counts(t.db)
    const summary = await importGreenButton(t.db, fixture(), { account: 'acct0001', now: LATER })
    expect(summary).toMatchObject({ segments: 5, meters: 2, metersCreated: 0 })
    expect(await counts(t.db)).toEqual(rows)
    expect(await segmentsOf(t.db, account)).toEqual(before)
    expect(before.every((s) => s.cds_modified === NOW.toISOString())).toBe(true)
  })

  it('reports progress by bytes read and readings', async () => {
    const calls: [number, number][] = []
    const size = (await readFile(ELECTRIC_GAS_XML)).length
    await importGreenButton(t.db, fixture(), { account: 'acct0001', now: NOW, onProgress: (bytes, readings) => calls.push([bytes, readings]) })
    expect(calls.at(-1)).toEqual([size, 301])
  })

  describe('bad input changes nothing', () => {
    const cases: [string, string, RegExp][] = [
      ['malformed XML', '<feed xmlns="http://www.w3.org/2005/Atom"><entry></feed>', /^bad\.xml:1:\d+: unexpected close tag/],
      [
        'a DOCTYPE (entity expansion bomb)',
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>\n<feed>&lol2;</feed>',
        /^bad\.xml:2:\d+: a DOCTYPE is not accepted/,
      ],
      ['an undeclared entity', '<feed xmlns="http://www.w3.org/2005/Atom">&xxe;</feed>', /^bad\.xml:1:\d+: undefined entity/],
    ]
    for (const [name, xml, message] of cases) {
      it(`refuses ${name}`, async () => {
        const rows = await counts(t.db)
        await expect(importGreenButton(t.db, text(xml), { account: 'acct0002', sourceName: 'bad.xml' })).rejects.toThrow(message)
        expect(await counts(t.db)).toEqual(rows)
      })
    }

    it('refuses a value that is not an integer, naming its line, column and element, after writing earlier months', async () => {
      const xml = (await readFile(ELECTRIC_GAS_XML, 'utf8')).replace(`<espi:value>${mwh(250)}</espi:value>`, '<espi:value>12x</espi:value>')
      const line = xml.split('\n').findIndex((l) => l.includes('12x'))
      const rows = await counts(t.db)
      const error = await importGreenButton(t.db, text(xml), { account: 'acct0002', sourceName: 'bad.xml' }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ImportError)
      // findIndex counts from 0, lines from 1; the column is the one after `<espi:value>`.
      expect((error as Error).message).toBe(`bad.xml:${line + 1}:23 <IntervalReading>/value: "12x" is not an integer`)
      expect(await counts(t.db)).toEqual(rows)
    })

    it('refuses an unknown account', async () => {
      await expect(importGreenButton(t.db, fixture(), { account: 'nobody' })).rejects.toThrow('unknown account "nobody"')
    })

    it('refuses a meter the account has no contract for', async () => {
      const rows = await counts(t.db)
      await t.db.deleteFrom('service_contracts').where('cds_servicecontract_id', '=', 'acct0002-g').execute()
      await expect(importGreenButton(t.db, fixture(), { account: 'acct0002' })).rejects.toThrow(
        'meter G-2002 is not a current meter of account 0099999999, and the account has no service contract with service type "natural_gas" to add it to',
      )
      expect(await counts(t.db)).toEqual(rows)
    })
  })

  it('cuts months in the fallback local time when the feed states none', async () => {
    const xml = (await readFile(ELECTRIC_GAS_XML, 'utf8')).replace(/<link rel="related" href="[^"]*LocalTimeParameters\/1"\/>/g, '').replace('LocalTimeParameters/1"', 'LocalTimeParameters/9"')
    const other = await DIALECTS.find((d) => d.name === t.dialect)?.open()
    if (other === undefined) throw new Error('no dialect')
    try {
      const id = await seedAccount(other.db, 'acct0003', '0033333333')
      // Two LocalTimeParameters-free UsagePoints and no fallback: UTC months.
      await importGreenButton(other.db, text(xml.replace(/<entry>\s*<id>[^<]*<\/id>\s*<link rel="self" href="[^"]*LocalTimeParameters\/9"\/>[\s\S]*?<\/entry>/, '')), {
        account: id,
        localTime: LOCAL_TIME_PRESETS.utc,
      })
      const starts = (await segmentsOf(other.db, id)).filter((s) => s.meter_number === '1001').map((s) => [s.segment_start, s.segment_end])
      expect(starts).toContainEqual(['2025-01-30T05:00:00.000Z', '2025-02-01T00:00:00.000Z'])
      expect(starts).toContainEqual(['2025-02-01T00:00:00.000Z', '2025-02-02T05:00:00.000Z'])
    } finally {
      await other.dispose()
    }
  })
})
