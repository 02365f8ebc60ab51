import { stringifyJson } from '@cds-ts/schema'
import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import { expectPages, walkListing } from '../../../../test/listing-walk.js'
import { defaultConfig } from '../../../config/defaults.js'
import type { MeterDeviceServicePointsTable, MeterDevicesTable } from '../../../db/database.js'
import { toJsonText } from '../../../db/json-text.js'
import type { IncludeField } from '../types.js'
import { meterDevicesListing, type MeterDevicesQuery } from './list-meter-devices.js'

const CONFIG = defaultConfig('https://utility.example')
const STAMPS = { cds_created: new Date('2025-01-01T00:00:00Z'), cds_synced: new Date('2025-03-10T00:00:00Z') }
const APP = { id: 'app-1', app_number: 'APP-7', types: ['installed', 'customer_installable'], name: 'Energy Insights', start: '2024-05-01T00:00:00Z' }

function meter(id: string, day: string, fields: Partial<Insertable<MeterDevicesTable>> = {}): Insertable<MeterDevicesTable> {
  return { cds_meterdevice_id: id, meter_types: toJsonText(['electric_usage']), cds_modified: new Date(`2025-03-${day}T08:00:00Z`), ...STAMPS, ...fields }
}

const METERS: Insertable<MeterDevicesTable>[] = [
  meter('md-hidden', '06', { meter_number: 'M-999' }),
  meter('md-01', '05', {
    meter_number: 'M-100',
    meter_types: toJsonText(['electric_usage', 'ami_meter', 'bidirectional']),
    meter_apps: toJsonText([APP]),
    app_numbers: toJsonText(['APP-7']),
  }),
  meter('md-02', '04', { meter_types: toJsonText(['water_usage']) }),
  meter('md-03', '04', { meter_number: 'M-300', meter_types: toJsonText(['natural_gas_usage']) }),
]
const VISIBLE = ['md-01', 'md-02', 'md-03']
const POINTS = ['sp-1', 'sp-2', 'sp-3']
// sp-3 exists but the token may not see it.
const VISIBLE_POINTS = ['sp-1', 'sp-2']

const link = (md: string, sp: string, from: string, to: string | null = null): Insertable<MeterDeviceServicePointsTable> => ({
  cds_meterdevice_id: md,
  cds_servicepoint_id: sp,
  valid_from: `${from}T00:00:00Z`,
  valid_to: to === null ? null : `${to}T00:00:00Z`,
})
const LINKS = [
  link('md-01', 'sp-1', '2024-01-01'),
  link('md-01', 'sp-3', '2024-02-01'),
  link('md-01', 'sp-2', '2020-01-01', '2023-12-31'),
  link('md-02', 'sp-2', '2024-01-01'),
  link('md-02', 'sp-3', '2019-01-01', '2020-01-01'),
  // A meter swap: md-03 was at sp-1 before md-01.
  link('md-03', 'sp-1', '2015-01-01', '2024-01-01'),
  link('md-hidden', 'sp-1', '2024-01-01'),
]

forEachDialect('CDS-WG3-01 §10.4.5 Listing Meter Devices', (t) => {
  beforeAll(async () => {
    await t.db
      .insertInto('service_points')
      .values(POINTS.map((id) => ({ cds_servicepoint_id: id, cds_modified: new Date('2025-01-01T00:00:00Z'), ...STAMPS })))
      .execute()
    await t.db.insertInto('meter_devices').values(METERS).execute()
    await t.db.insertInto('meterdevice_servicepoints').values(LINKS).execute()
  })

  const list = (query: MeterDevicesQuery = {}, includes: IncludeField[] = [], visible = VISIBLE) =>
    meterDevicesListing.list({
      db: t.db,
      config: CONFIG,
      access: fakeAccess({ visible: { meter_device: visible, service_point: VISIBLE_POINTS }, includes }),
      query,
      cursor: undefined,
      now: new Date(),
    })
  const ids = async (query: MeterDevicesQuery, includes: IncludeField[] = []) => (await list(query, includes)).items.map((m) => m.cds_meterdevice_id)
  const byId = async (includes: IncludeField[]) => new Map((await list({}, includes)).items.map((m) => [m.cds_meterdevice_id, m]))

  describe('R3-01-10.4.1-01 fields', () => {
    it('with every gate off, only the always-present fields', async () => {
      expect((await byId([])).get('md-02')).toEqual({
        cds_meterdevice_id: 'md-02',
        cds_created: '2025-01-01T00:00:00Z',
        cds_modified: '2025-03-04T08:00:00Z',
        cds_synced: '2025-03-10T00:00:00Z',
        meter_types: ['water_usage'],
        current_servicepoints: ['sp-2'],
        previous_servicepoints: [],
      })
    })

    it('R3-01-10.4.1-03 point arrays: current while a period is open, pruned to visible points (A-06)', async () => {
      const meters = await byId([])
      expect(meters.get('md-01')).toMatchObject({ current_servicepoints: ['sp-1'], previous_servicepoints: ['sp-2'] })
      expect(meters.get('md-03')).toMatchObject({ current_servicepoints: [], previous_servicepoints: ['sp-1'] })
    })

    it('R3-01-10.4.1-02 include_meter_numbers adds the number, null when unknown', async () => {
      const meters = await byId(['include_meter_numbers'])
      expect(meters.get('md-01')!.meter_number).toBe('M-100')
      expect(meters.get('md-02')).toHaveProperty('meter_number', null)
      expect(meters.get('md-01')).not.toHaveProperty('meter_apps')
    })

    it('R3-01-10.4.1-04 include_meter_apps adds the apps, [] when none', async () => {
      const meters = await byId(['include_meter_apps'])
      expect(meters.get('md-01')!.meter_apps).toEqual([APP])
      expect(meters.get('md-02')!.meter_apps).toEqual([])
      expect(meters.get('md-01')).not.toHaveProperty('meter_number')
    })

    it('every gate on: the exact object, fields in §10.4.1 order', async () => {
      expect(stringifyJson((await byId(['include_meter_numbers', 'include_meter_apps'])).get('md-03'))).toBe(
        '{"cds_meterdevice_id":"md-03","cds_created":"2025-01-01T00:00:00Z","cds_modified":"2025-03-04T08:00:00Z",' +
          '"cds_synced":"2025-03-10T00:00:00Z","meter_number":"M-300","meter_types":["natural_gas_usage"],' +
          '"current_servicepoints":[],"previous_servicepoints":["sp-1"],"meter_apps":[]}',
      )
    })
  })

  describe('R3-01-10.4.5-10 ordering and visibility', () => {
    it('only visible meters, cds_modified newest first, equal instants by id ascending (A-15)', async () => {
      expect(await ids({})).toEqual(VISIBLE)
    })

    it('R3-01-10.4.5-01 nothing visible: an empty page with no links', async () => {
      expect(await list({}, [], [])).toEqual({ items: [], next: null, previous: null })
    })
  })

  describe('R3-01-10.4.5-04..-09 filters', () => {
    it('cds_meterdevice_ids: any of the listed ids, never a hidden one', async () => {
      expect(await ids({ cds_meterdevice_ids: 'md-03 md-hidden md-01' })).toEqual(['md-01', 'md-03'])
    })

    it('R3-01-10.4.5-05 meter_number (singular) lists numbers, matching visible meters only', async () => {
      expect(await ids({ meter_number: 'M-100 M-999' }, ['include_meter_numbers'])).toEqual(['md-01'])
    })

    it('A-26 meter_numbers is an alias; both together are united', async () => {
      expect(await ids({ meter_numbers: 'M-300' }, ['include_meter_numbers'])).toEqual(['md-03'])
      expect(await ids({ meter_number: 'M-100', meter_numbers: 'M-300' }, ['include_meter_numbers'])).toEqual(['md-01', 'md-03'])
    })

    it('A-13 meter numbers match nothing while gated off', async () => {
      expect(await ids({ meter_number: 'M-100' }, ['include_meter_apps'])).toEqual([])
      expect(await ids({ meter_numbers: 'M-300' })).toEqual([])
    })

    it('R3-01-10.4.5-06 current_servicepoints: any current, visible point', async () => {
      expect(await ids({ current_servicepoints: 'sp-1' })).toEqual(['md-01'])
      expect(await ids({ current_servicepoints: 'sp-1 sp-2' })).toEqual(['md-01', 'md-02'])
    })

    it('R3-01-10.4.5-07 previous_servicepoints: any ended, visible point', async () => {
      expect(await ids({ previous_servicepoints: 'sp-1' })).toEqual(['md-03'])
      expect(await ids({ previous_servicepoints: 'sp-2' })).toEqual(['md-01'])
    })

    it('A-13 a point the token cannot see matches nothing, as in the pruned arrays', async () => {
      expect(await ids({ current_servicepoints: 'sp-3' })).toEqual([])
      expect(await ids({ previous_servicepoints: 'sp-3' })).toEqual([])
    })

    it('R3-01-10.4.5-09 filters intersect', async () => {
      expect(await ids({ current_servicepoints: 'sp-1 sp-2', cds_meterdevice_ids: 'md-02 md-03' })).toEqual(['md-02'])
      expect(await ids({ previous_servicepoints: 'sp-1', meter_number: 'M-100' }, ['include_meter_numbers'])).toEqual([])
    })

    it('R3-01-10.4.5-08 q: the id, and the number when visible; nothing else', async () => {
      expect(await ids({ q: 'MD-0' })).toEqual(VISIBLE)
      expect(await ids({ q: 'm-3' }, ['include_meter_numbers'])).toEqual(['md-03'])
      expect(await ids({ q: 'm-3' }, ['include_meter_apps'])).toEqual([])
      expect(await ids({ q: 'app-7' }, ['include_meter_numbers', 'include_meter_apps'])).toEqual([])
    })
  })
})

// 230 meters, ties in pairs: pages of 100/100/30 (catalog §1.7, A-09, A-15).
const PAGED = Array.from({ length: 230 }, (_, i) =>
  meter(`page-${String(i).padStart(3, '0')}`, '02', { cds_modified: new Date(Date.UTC(2025, 2, 2, 8, 0, 0, Math.floor(i / 2))) }),
)
const PAGED_ORDER = [...PAGED]
  .sort((a, b) => (b.cds_modified as Date).getTime() - (a.cds_modified as Date).getTime() || (a.cds_meterdevice_id < b.cds_meterdevice_id ? -1 : 1))
  .map((row) => row.cds_meterdevice_id)

forEachDialect('CDS-WG3-01 §10.4.5 Listing Meter Devices: pagination', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('meter_devices').values(PAGED).execute()
  })
  it('R3-01-10.4.5-02, -03 pages of 100, 100 and 30, walked forward and back', async () => {
    const access = fakeAccess({ visible: { meter_device: PAGED.map((row) => row.cds_meterdevice_id) } })
    const walk = await walkListing(meterDevicesListing, { db: t.db, config: CONFIG, access, query: {}, now: new Date() }, 'cds_meterdevice_id')
    expect(walk.forward.map((ids) => ids.length)).toEqual([100, 100, 30])
    expectPages(walk, PAGED_ORDER)
  })
})
