import { checkStrict, Decimal, parseJson, stringifyJson, UsageSegment, UsageSegmentListing } from '@cds-ts/schema'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Kysely } from 'kysely'
import { fakeAccess, type FakeAccessOptions } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import type { ServerConfig } from '../../../config/config-schema.js'
import { writeUsageSegments, type UsageSegmentInput } from '../../../customer-data/write-usage-segments.js'
import type { Database } from '../../../db/database.js'
import { decimalSerializerCompiler } from '../../../shared/decimal-json.js'
import type { UsageSegmentListingQuery } from '@cds-ts/schema'
import { usageSegmentsListing } from './list-usage-segments.js'

const NOW = new Date('2025-02-01T00:00:00Z')
const START = new Date('2025-01-15T08:00:00Z')

/** Everything visible: the meter `m-1`, the certificate `eac-1`; `m-hidden` and `eac-hidden` are not. */
const VISIBLE: FakeAccessOptions['visible'] = { meter_device: ['m-1'], eac: ['eac-1'], account: ['a-1'] }

async function list(db: Kysely<Database>, options: Partial<FakeAccessOptions>, query: UsageSegmentListingQuery = {}) {
  const access = fakeAccess({ visible: VISIBLE, ...options })
  return usageSegmentsListing.list({ db, config: {} as ServerConfig, access, query, cursor: undefined, now: NOW })
}

/** Writes one segment whose formats and values are JSON text (decimals exact), visible to the fake access. */
async function write(db: Kysely<Database>, formats: string, values: string, extra: Partial<UsageSegmentInput> = {}): Promise<string> {
  const [id] = await writeUsageSegments(
    db,
    [
      {
        segment_start: START,
        interval: '900',
        formats: parseJson(formats) as Record<string, unknown>[],
        values: parseJson(values) as (Record<string, unknown> | null)[][],
        related: { meter_device: ['m-1'], account: ['a-1'] },
        ...extra,
      },
    ],
    NOW,
  )
  return id ?? ''
}

/** The listed segment with that id; it must be there. */
async function listed(db: Kysely<Database>, id: string, options: Partial<FakeAccessOptions> = {}) {
  const page = await list(db, { visible: { ...VISIBLE, usage_segment: [id] }, ...options })
  expect(page.items).toHaveLength(1)
  const item = page.items[0] ?? {}
  expect(checkStrict(UsageSegment, item)).toEqual([])
  return item
}

/** A one-segment page as the server writes it to the socket. */
const serialize = (item: Record<string, unknown>) =>
  decimalSerializerCompiler({ schema: UsageSegmentListing, method: 'GET', url: '/', httpStatus: '200' })({ usage_segments: [item], next: null, previous: null })

/** Thousandths of a decimal text with at most three fraction digits, as a bigint (exact sums). */
const milli = (value: unknown) => {
  const [whole = '0', fraction = ''] = String(value).replace('-', '').split('.')
  const magnitude = BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0'))
  return String(value).startsWith('-') ? -magnitude : magnitude
}

// Catalog §3.13 worked example A: one PST day of 15-minute net kWh, intervals 40 and 41 missing.
const EXAMPLE_A = `0.134 0.126 0.159 0.127 0.157 0.150 0.134 0.164 0.139 0.166 0.148 0.152 0.175 0.203 0.164 0.173
0.201 0.223 0.204 0.196 0.234 0.181 0.232 0.200 0.194 0.195 0.458 0.491 0.454 0.480 0.485 0.470 0.481 0.453 0.453 0.462
0.241 0.226 0.218 0.234 - - 0.244 0.237 0.208 0.226 0.221 0.240 0.309 0.280 0.319 0.265 0.280 0.298 0.258 0.275
0.165 0.200 0.202 0.188 0.203 0.166 0.185 0.176 0.172 0.161 0.181 0.185 0.603 0.612 0.573 0.609 0.603 0.622 0.610 0.576
0.580 0.595 0.555 0.580 0.562 0.558 0.554 0.596 0.558 0.565 0.574 0.603 0.107 0.130 0.137 0.158 0.156 0.160 0.127 0.137`
  .split(/\s+/)
  .map((v) => (v === '-' ? '[null]' : `[{"eu":${v}}]`))
const ELECTRIC_NET = '{"id":"electric_intervals_01","type":"electric_usage","units":"kWh","direction":"net","quality":"raw"}'

// One case per Value Type of §10.8.5: formats and values as the client must receive them, byte for byte.
const VALUE_TYPES: readonly { name: string; formats: string; values: string }[] = [
  {
    name: '§10.8.5.1 electric usage, bidirectional (catalog §3.14): forward ≥ 0, reverse ≤ 0, net = forward + reverse',
    formats: `[${[
      '{"id":"elec_fwd_15","type":"electric_usage","units":"kWh","direction":"forward","quality":"raw","related_meterdevices":["m-1"]}',
      '{"id":"elec_rev_15","type":"electric_usage","units":"kWh","direction":"reverse","quality":"raw","related_meterdevices":["m-1"]}',
      '{"id":"elec_net_15","type":"electric_usage","units":"kWh","direction":"net","quality":"raw","related_meterdevices":["m-1"]}',
    ].join(',')}]`,
    values: '[[{"eu":0.134},{"eu":0.000},{"eu":0.134}],[{"eu":0.050},{"eu":-0.410},{"eu":-0.360}],[null,null,null]]',
  },
  {
    name: '§10.8.5.1.1 tou/tier/season: null = none applies, absent = unknown',
    formats:
      '[{"id":"e_tiered","type":"electric_usage","units":"Wh","tou":null,"tier":"tier_2","season":null},{"id":"e_unknown","type":"electric_usage","units":"MWh"}]',
    values: '[[{"eu":250},{"eu":0.000250}]]',
  },
  {
    name: '§10.8.5.2 electric demand of every demand type',
    formats: `[${['peak', 'average', 'starting', 'ending']
      .map((t, i) => `{"id":"demand_${t}","type":"electric_demand","units":"${['W', 'kW', 'MW', 'kW'][i]}","demand_type":"${t}","direction":"net","tou":"peak"}`)
      .join(',')}]`,
    values: '[[{"ed":4.20},{"ed":1.05},{"ed":-0.003},{"ed":0.0}]]',
  },
  {
    name: '§10.8.5.3 electric supply mix (ratio 0–1, carbon intensity, certificates pruned to visible ones)',
    formats:
      '[{"id":"e","type":"electric_usage","units":"kWh"},{"id":"mix_solar","type":"electric_supply_mix","indexes":[0],"attribution":"individual","supply_type":"solar"},{"id":"mix_rest","type":"electric_supply_mix","indexes":[0],"attribution":"residual","supply_type":"general"}]',
    values: '[[{"eu":1.000},{"sm":0.250,"ci":0.0,"eacs":["eac-1"]},{"sm":0.750,"ci":412.5}]]',
  },
  {
    name: '§10.8.5.4 water usage',
    formats: '[{"id":"water_daily","type":"water_usage","units":"gal","tier":"baseline","season":"summer","quality":"valid","related_meterdevices":["m-1"]}]',
    values: '[[{"wu":12.50}],[null]]',
  },
  {
    name: '§10.8.5.5 natural gas usage',
    formats: '[{"id":"gas","type":"natural_gas_usage","units":"therm","tier":null,"quality":"estimated"}]',
    values: '[[{"gu":0.20}]]',
  },
  { name: '§10.8.5.6 fuel oil usage', formats: '[{"id":"oil","type":"fuel_oil_usage","units":"L","season":"winter"}]', values: '[[{"fu":12.000}]]' },
  {
    name: '§10.8.5.7 interval cost: exact products, and a flat cost with indexes []',
    formats: `[${ELECTRIC_NET},{"id":"interval_cost_usd_01","type":"cost","currency":"USD","indexes":[0]},{"id":"flat_fee","type":"cost","currency":"USD","indexes":[]}]`,
    values: '[[{"eu":0.134},{"c":0.03752},{"c":0.10}],[null,null,{"c":0.10}],[{"eu":0.603},{"c":0.31356},{"c":0.10}]]',
  },
  {
    name: '§10.8.5.8 meter readings: r is a string, register may be null',
    formats:
      '[{"id":"reg_180","type":"meter_readings","related_meterdevice":"m-1","register":"1.8.0","units":"kWh"},{"id":"reg_x","type":"meter_readings","related_meterdevice":"m-1","register":null,"units":"count"}]',
    values: '[[{"r":"004512.7"},{"r":"17"}],[{"r":"004513.0"},null]]',
  },
  {
    name: 'catalog §5: 20 significant digits and integers beyond 2^53 survive',
    formats: `[${ELECTRIC_NET}]`,
    values: '[[{"eu":12345678901.234567890}],[{"eu":12345678901234567890}],[{"eu":-0.00000000000000000001}]]',
  },
]

forEachDialect('CDS-WG3-01 §10.8.5 Usage Segment Value Types', (t) => {
  beforeAll(async () => {
    // Meter readings columns are kept only for meters the token sees, which must exist (A-53).
    const times = { cds_created: NOW, cds_modified: NOW, cds_synced: NOW }
    await t.db
      .insertInto('meter_devices')
      .values(['m-1', 'm-hidden'].map((id) => ({ cds_meterdevice_id: id, meter_number: id, ...times })))
      .execute()
  })

  for (const { name, formats, values } of VALUE_TYPES) {
    it(`R3-01-10.8.5 ${name}`, async () => {
      const id = await write(t.db, formats, values)
      const item = await listed(t.db, id)
      expect(stringifyJson(item.formats)).toBe(formats)
      expect(stringifyJson(item.values)).toBe(values)
    })
  }

  it('R3-01-10.8.5.1-09 the sign convention holds for every direction: net = forward + reverse, reverse ≤ 0', async () => {
    const [bidirectional] = VALUE_TYPES
    const item = await listed(t.db, await write(t.db, bidirectional?.formats ?? '', bidirectional?.values ?? ''))
    for (const set of item.values as ({ eu: unknown } | null)[][]) {
      const [forward, reverse, net] = set
      if (forward === null || reverse === null || net === null || forward === undefined || reverse === undefined || net === undefined) continue
      expect(milli(forward.eu) >= 0n && milli(reverse.eu) <= 0n).toBe(true)
      expect(milli(forward.eu) + milli(reverse.eu)).toBe(milli(net.eu))
    }
  })

  it('R3-01-10.8.7-01 every Field Type value is emitted as stored and passes the UsageSegment schema', async () => {
    const cycle = <T>(values: readonly T[], i: number): T => values[i % values.length] as T
    const quality = ['raw', 'manual', 'valid', 'revenue', 'estimated', 'calculated', 'corrected', 'website']
    const tiers = ['baseline', 'overage', 'tier_1', 'tier_2', 'tier_3', 'tier_4', 'tier_5', 'tier_6', 'tier_7', 'tier_8', 'tier_9']
    const supply = ['general', 'carbonfree', 'peaker', 'solar', 'wind', 'hydro', 'geothermal', 'biomass', 'nuclear', 'storage', 'demand_management', 'distributed', 'natural_gas', 'coal', 'oil']
    const units = 'Wh kWh MWh W kW MW m3 ft3 CCF MCF MMCF MMCFD L gal Btu therm Sm3 scf SCFM C F var kvar varh kvarh years months days hours minutes seconds money count percent'.split(' ')
    const formats: Record<string, unknown>[] = [
      ...tiers.map((tier, i) => ({
        id: `eu_${i}`,
        type: 'electric_usage',
        units: cycle(['Wh', 'kWh', 'MWh'], i),
        direction: cycle(['net', 'forward', 'reverse'], i),
        tou: cycle(['super_peak', 'peak', 'partial_peak', 'off_peak', 'super_off_peak'], i),
        tier,
        season: cycle(['spring', 'summer', 'fall', 'winter'], i),
        quality: cycle(quality, i),
      })),
      ...['peak', 'average', 'starting', 'ending'].map((demand_type, i) => ({ id: `ed_${i}`, type: 'electric_demand', units: cycle(['W', 'kW', 'MW'], i), demand_type })),
      ...supply.map((supply_type, i) => ({ id: `sm_${i}`, type: 'electric_supply_mix', indexes: [0], attribution: cycle(['base', 'individual', 'residual'], i), supply_type })),
      ...['m3', 'L', 'gal', 'ft3', 'CCF', 'MCF', 'MMCF'].map((u, i) => ({ id: `wu_${i}`, type: 'water_usage', units: u })),
      ...['Btu', 'therm', 'Sm3', 'scf'].map((u, i) => ({ id: `gu_${i}`, type: 'natural_gas_usage', units: u })),
      ...['L', 'gal'].map((u, i) => ({ id: `fu_${i}`, type: 'fuel_oil_usage', units: u })),
      ...['USD', 'EUR'].map((currency, i) => ({ id: `c_${i}`, type: 'cost', currency, indexes: [0, 1] })),
      ...units.map((u, i) => ({ id: `r_${i}`, type: 'meter_readings', related_meterdevice: 'm-1', register: i % 2 === 0 ? null : `reg${i}`, units: u })),
    ]
    const KEY: Record<string, string> = { electric_usage: 'eu', electric_demand: 'ed', electric_supply_mix: 'sm', water_usage: 'wu', natural_gas_usage: 'gu', fuel_oil_usage: 'fu', cost: 'c' }
    const set = formats.map((f, j) => (f.type === 'meter_readings' ? { r: `${j}.0` } : { [KEY[String(f.type)] ?? '']: Decimal.from(`0.${j}0`) }))
    const text = { formats: stringifyJson(formats), values: stringifyJson([set, set.map(() => null)]) }
    const item = await listed(t.db, await write(t.db, text.formats, text.values))
    expect(stringifyJson(item.formats)).toBe(text.formats)
    expect(stringifyJson(item.values)).toBe(text.values)
    // The response serializer (the schema as allow-list) keeps every field of every Value Type.
    expect(serialize(item)).toContain(`"formats":${text.formats},"values":${text.values}}`)
  })

  it('server-defined Value Types (§10.8.6) pass through untouched, unknown fields included', async () => {
    const id = await write(t.db, '[{"id":"x","type":"exampleutility_temp","units":"F","probe":"roof"}]', '[[{"t":71.60,"note":"ok"}]]')
    const item = await listed(t.db, id)
    expect(item.formats).toEqual([{ id: 'x', type: 'exampleutility_temp', units: 'F', probe: 'roof' }])
    expect(stringifyJson(item.values)).toContain('71.60')
  })

  it('R3-01-10.8.3-02 catalog §3.13 example A: missing intervals are null in place, decimals keep their digits, sums are exact', async () => {
    const id = await write(t.db, `[${ELECTRIC_NET}]`, `[${EXAMPLE_A.join(',')}]`, { related: { meter_device: ['m-1'] } })
    const item = await listed(t.db, id)
    const values = item.values as ({ eu: unknown } | null)[][]
    expect(values).toHaveLength(96)
    expect(item.segment_start).toBe('2025-01-15T08:00:00Z')
    expect(item.segment_end).toBe('2025-01-16T08:00:00Z')
    expect(stringifyJson(item.interval)).toBe('900')
    expect(values[40]).toEqual([null])
    expect(values[41]).toEqual([null])
    expect(stringifyJson(values[5])).toBe('[{"eu":0.150}]')
    const sum = values.flat().reduce((total, cell) => (cell === null ? total : total + milli(cell.eu)), 0n)
    expect(sum).toBe(28781n)
    // The response serializer keeps the digits too.
    const body = serialize(item)
    expect(body).toContain('[{"eu":0.150}],[{"eu":0.134}]')
    expect(body).toContain(ELECTRIC_NET)
  })

  describe('A-06, A-53: ids inside formats and cells are pruned to what the token sees', () => {
    it('format related_meterdevices and supply mix eacs lose hidden ids; meter readings of a hidden meter lose their column', async () => {
      const id = await write(
        t.db,
        '[{"id":"e","type":"electric_usage","units":"kWh","related_meterdevices":["m-1","m-hidden"]},{"id":"mix","type":"electric_supply_mix","indexes":[0],"attribution":"base","supply_type":"wind"},{"id":"r","type":"meter_readings","related_meterdevice":"m-hidden","register":null,"units":"kWh"}]',
        '[[{"eu":1.5},{"sm":0.5,"eacs":["eac-hidden","eac-1"]},{"r":"1"}]]',
        { related: { meter_device: ['m-1', 'm-hidden'] } },
      )
      const item = await listed(t.db, id)
      expect(stringifyJson(item.formats)).toBe(
        '[{"id":"e","type":"electric_usage","units":"kWh","related_meterdevices":["m-1"]},{"id":"mix","type":"electric_supply_mix","indexes":[0],"attribution":"base","supply_type":"wind"}]',
      )
      expect(stringifyJson(item.values)).toBe('[[{"eu":1.5},{"sm":0.5,"eacs":["eac-1"]}]]')
      expect(item.related_meterdevices).toEqual(['m-1'])
    })

    it('a segment holding only readings of a hidden meter is omitted', async () => {
      const id = await write(t.db, '[{"id":"r","type":"meter_readings","related_meterdevice":"m-hidden","register":null,"units":"kWh"}]', '[[{"r":"1"}]]')
      const page = await list(t.db, { visible: { ...VISIBLE, usage_segment: [id] } })
      expect(page.items).toEqual([])
    })
  })

  describe('§7.2.8.1 include_usage_segment_value_types (catalog §3.9, §3.17 example E, A-44)', () => {
    const FWD = '{"id":"elec_fwd_15","type":"electric_usage","units":"kWh","direction":"forward","quality":"raw"}'
    const REV = '{"id":"elec_rev_15","type":"electric_usage","units":"kWh","direction":"reverse","quality":"raw"}'
    const NET = '{"id":"elec_net_15","type":"electric_usage","units":"kWh","direction":"net","quality":"raw"}'
    const COST = (indexes: string) => `{"id":"interval_cost_usd_01","type":"cost","currency":"USD","indexes":[${indexes}]}`
    const FORMATS = `[${FWD},${REV},${NET},${COST('2')}]`
    const VALUES = '[[{"eu":0.134},{"eu":0.000},{"eu":0.134},{"c":0.03752}],[{"eu":0.050},{"eu":-0.410},{"eu":-0.360},{"c":-0.1008}]]'
    const choice = (text: string) => parseJson(text) as Record<string, unknown>
    let id = ''
    beforeAll(async () => {
      id = await write(t.db, FORMATS, VALUES)
    })

    it('example E: removed columns leave every Value Set, and cost indexes are re-mapped', async () => {
      const item = await listed(t.db, id, { valueFormats: [choice(NET), choice(COST('2'))] })
      expect(stringifyJson(item.formats)).toBe(`[${NET},${COST('0')}]`)
      expect(stringifyJson(item.values)).toBe('[[{"eu":0.134},{"c":0.03752}],[{"eu":-0.360},{"c":-0.1008}]]')
    })

    it("'all' keeps every column", async () => {
      const item = await listed(t.db, id, { valueFormats: 'all' })
      expect(stringifyJson(item.formats)).toBe(FORMATS)
      expect(stringifyJson(item.values)).toBe(VALUES)
    })

    it('a null Grant value ([]) keeps the segment with formats [] and values []', async () => {
      const item = await listed(t.db, id, { valueFormats: [] })
      expect(item.formats).toEqual([])
      expect(item.values).toEqual([])
      expect(item.segment_start).toBe('2025-01-15T08:00:00Z')
      expect(item.segment_end).toBe('2025-01-15T08:30:00Z')
    })

    it('a cost column pricing only removed columns goes too, and a segment left empty is omitted (example D)', async () => {
      const page = await list(t.db, { visible: { ...VISIBLE, usage_segment: [id] }, valueFormats: [choice(COST('2'))] })
      expect(page.items).toEqual([])
    })

    it('a choice matches by id and every stated field; per-segment fields are not compared', async () => {
      const otherUnits = choice('{"id":"elec_net_15","type":"electric_usage","units":"Wh"}')
      expect((await list(t.db, { visible: { ...VISIBLE, usage_segment: [id] }, valueFormats: [otherUnits] })).items).toEqual([])
      const looser = choice('{"id":"elec_fwd_15","type":"electric_usage","related_meterdevices":["elsewhere"]}')
      const item = await listed(t.db, id, { valueFormats: [looser] })
      expect(stringifyJson(item.formats)).toBe(`[${FWD}]`)
      expect(stringifyJson(item.values)).toBe('[[{"eu":0.134}],[{"eu":0.050}]]')
    })

    it('omitted segments do not thin out pages: the query leaves them out', async () => {
      const gas = Array.from({ length: 120 }, (_, i) => ({
        segment_start: new Date(Date.UTC(2024, 0, 1, i)),
        interval: '3600',
        formats: [{ id: 'gas', type: 'natural_gas_usage', units: 'therm' }],
        values: [[{ gu: Decimal.from('0.5') }]],
        related: { meter_device: ['m-1'] },
      }))
      const gasIds = await writeUsageSegments(t.db, gas, NOW)
      const page = await list(t.db, { visible: { ...VISIBLE, usage_segment: [...gasIds, id] }, valueFormats: [choice(NET)] })
      expect(page.items.map((item) => item.cds_usagesegment_id)).toEqual([id])
      expect(page.next).toBeNull()
    })
  })
})
