import { stringifyJson, type ServicePointListingQuery } from '@cds-ts/schema'
import type { Insertable, Kysely } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import { expectPages, walkListing } from '../../../../test/listing-walk.js'
import { defaultConfig } from '../../../config/defaults.js'
import type { Database, ServicePointServiceContractsTable, ServicePointsTable } from '../../../db/database.js'
import { toJsonText } from '../../../db/json-text.js'
import type { IncludeField } from '../types.js'
import { servicePointsListing } from './list-service-points.js'

const CONFIG = defaultConfig('https://utility.example')
const STAMPS = { cds_created: new Date('2025-01-01T00:00:00Z'), cds_synced: new Date('2025-03-10T00:00:00Z') }
const PREMISE = { id: 'pr-1', premise_number: 'PREM-9', types: ['building', 'service_group'] }

function point(id: string, day: string, fields: Partial<Insertable<ServicePointsTable>> = {}): Insertable<ServicePointsTable> {
  return { cds_servicepoint_id: id, servicepoint_types: toJsonText(['electric']), cds_modified: new Date(`2025-03-${day}T08:00:00Z`), ...STAMPS, ...fields }
}

const POINTS: Insertable<ServicePointsTable>[] = [
  point('sp-hidden', '06', { servicepoint_number: 'SP-999', servicepoint_address: '1 Oak Ave' }),
  point('sp-01', '05', {
    servicepoint_number: 'SP-100',
    servicepoint_types: toJsonText(['electric', 'physical']),
    servicepoint_address: '5 Oak Ave\nBasement',
    latitude: '37.774929000',
    longitude: '-122.419416',
    premises: toJsonText([PREMISE]),
    premise_numbers: toJsonText(['PREM-9']),
  }),
  point('sp-02', '04', { servicepoint_types: toJsonText(['water']) }),
  point('sp-03', '04', { servicepoint_number: 'SP-300', servicepoint_types: toJsonText(['virtual']), servicepoint_address: 'Oakland Yard' }),
]
const VISIBLE = ['sp-01', 'sp-02', 'sp-03']
const CONTRACTS = ['sc-1', 'sc-2', 'sc-3', 'sc-4']
// sc-3 exists but the token may not see it.
const VISIBLE_CONTRACTS = ['sc-1', 'sc-2', 'sc-4']

const link = (sp: string, sc: string, from: string, to: string | null = null): Insertable<ServicePointServiceContractsTable> => ({
  cds_servicepoint_id: sp,
  cds_servicecontract_id: sc,
  valid_from: `${from}T00:00:00Z`,
  valid_to: to === null ? null : `${to}T00:00:00Z`,
})
const LINKS = [
  link('sp-01', 'sc-1', '2024-01-01'),
  link('sp-01', 'sc-3', '2024-02-01'),
  link('sp-01', 'sc-2', '2020-01-01', '2023-12-31'),
  // sc-4 left sp-01 and came back: current only, never also previous.
  link('sp-01', 'sc-4', '2019-01-01', '2020-01-01'),
  link('sp-01', 'sc-4', '2021-01-01'),
  link('sp-02', 'sc-3', '2018-01-01', '2019-01-01'),
  link('sp-02', 'sc-2', '2024-01-01'),
  link('sp-03', 'sc-4', '2015-01-01', '2016-01-01'),
  link('sp-hidden', 'sc-1', '2024-01-01'),
]

async function seedContracts(db: Kysely<Database>) {
  const at = new Date('2025-01-01T00:00:00Z')
  await db
    .insertInto('accounts')
    .values({ cds_account_id: 'acct-A', account_number: 'A-1', account_status: 'active', cds_modified: at, ...STAMPS })
    .execute()
  await db
    .insertInto('service_contracts')
    .values(CONTRACTS.map((id) => ({ cds_servicecontract_id: id, cds_account_id: 'acct-A', contract_status: 'active', cds_modified: at, ...STAMPS })))
    .execute()
}

forEachDialect('CDS-WG3-01 §10.3.5 Listing Service Points', (t) => {
  beforeAll(async () => {
    await seedContracts(t.db)
    await t.db.insertInto('service_points').values(POINTS).execute()
    await t.db.insertInto('servicepoint_servicecontracts').values(LINKS).execute()
  })

  const list = (query: ServicePointListingQuery = {}, includes: IncludeField[] = [], visible = VISIBLE) =>
    servicePointsListing.list({
      db: t.db,
      config: CONFIG,
      access: fakeAccess({ visible: { service_point: visible, service_contract: VISIBLE_CONTRACTS }, includes }),
      query,
      cursor: undefined,
      now: new Date(),
    })
  const ids = async (query: ServicePointListingQuery, includes: IncludeField[] = []) => (await list(query, includes)).items.map((p) => p.cds_servicepoint_id)
  const byId = async (includes: IncludeField[]) => new Map((await list({}, includes)).items.map((p) => [p.cds_servicepoint_id, p]))

  describe('R3-01-10.3.1-01 fields', () => {
    it('with every gate off, only the always-present fields; the number is ungated and null when unknown', async () => {
      expect((await byId([])).get('sp-02')).toEqual({
        cds_servicepoint_id: 'sp-02',
        cds_created: '2025-01-01T00:00:00Z',
        cds_modified: '2025-03-04T08:00:00Z',
        cds_synced: '2025-03-10T00:00:00Z',
        servicepoint_number: null,
        servicepoint_types: ['water'],
        current_servicecontracts: ['sc-2'],
        previous_servicecontracts: [],
      })
    })

    it('R3-01-10.3.1-05, -06 contract arrays: current while a period is open, pruned to visible contracts (A-06)', async () => {
      const points = await byId([])
      expect(points.get('sp-01')).toMatchObject({ current_servicecontracts: ['sc-4', 'sc-1'], previous_servicecontracts: ['sc-2'] })
      expect(points.get('sp-03')).toMatchObject({ current_servicecontracts: [], previous_servicecontracts: ['sc-4'] })
    })

    it('R3-01-10.3.1-03 include_service_point_addresses adds the address, null when unknown', async () => {
      const points = await byId(['include_service_point_addresses'])
      expect(points.get('sp-01')!.servicepoint_address).toBe('5 Oak Ave\nBasement')
      expect(points.get('sp-02')).toHaveProperty('servicepoint_address', null)
      expect(points.get('sp-01')).not.toHaveProperty('latitude')
    })

    it('R3-01-10.3.1-04 include_coordinates adds exact decimal coordinates, null when not stored', async () => {
      const points = await byId(['include_coordinates'])
      expect(stringifyJson(points.get('sp-01'))).toContain('"latitude":37.774929000,"longitude":-122.419416,')
      expect(points.get('sp-02')).toMatchObject({ latitude: null, longitude: null })
      expect(points.get('sp-01')).not.toHaveProperty('servicepoint_address')
    })

    it('R3-01-10.3.1-07 include_premises adds the premises, [] when none', async () => {
      const points = await byId(['include_premises'])
      expect(points.get('sp-01')!.premises).toEqual([PREMISE])
      expect(points.get('sp-02')!.premises).toEqual([])
    })

    it('every gate on: the exact object, fields in §10.3.1 order', async () => {
      const points = await byId(['include_service_point_addresses', 'include_coordinates', 'include_premises'])
      expect(stringifyJson(points.get('sp-03'))).toBe(
        '{"cds_servicepoint_id":"sp-03","cds_created":"2025-01-01T00:00:00Z","cds_modified":"2025-03-04T08:00:00Z",' +
          '"cds_synced":"2025-03-10T00:00:00Z","servicepoint_number":"SP-300","servicepoint_types":["virtual"],' +
          '"servicepoint_address":"Oakland Yard","latitude":null,"longitude":null,"current_servicecontracts":[],' +
          '"previous_servicecontracts":["sc-4"],"premises":[]}',
      )
    })
  })

  describe('R3-01-10.3.5-10 ordering and visibility', () => {
    it('only visible points, cds_modified newest first, equal instants by id ascending (A-15)', async () => {
      expect(await ids({})).toEqual(VISIBLE)
    })

    it('R3-01-10.3.5-01 nothing visible: an empty page with no links', async () => {
      expect(await list({}, [], [])).toEqual({ items: [], next: null, previous: null })
    })
  })

  describe('R3-01-10.3.5-04..-09 filters', () => {
    it('cds_servicepoint_ids: any of the listed ids, never a hidden one', async () => {
      expect(await ids({ cds_servicepoint_ids: 'sp-hidden sp-03 sp-02' })).toEqual(['sp-02', 'sp-03'])
    })

    it('R3-01-10.3.5-05 servicepoint_numbers (ungated); a null number never matches', async () => {
      expect(await ids({ servicepoint_numbers: 'SP-100 SP-999' })).toEqual(['sp-01'])
      expect(await ids({ servicepoint_numbers: 'null' })).toEqual([])
    })

    it('R3-01-10.3.5-06 current_servicecontracts: any current, visible contract (A-25)', async () => {
      expect(await ids({ current_servicecontracts: 'sc-1' })).toEqual(['sp-01'])
      expect(await ids({ current_servicecontracts: 'sc-1 sc-2' })).toEqual(['sp-01', 'sp-02'])
      // sc-4 is current at sp-01 again, and only previous at sp-03.
      expect(await ids({ current_servicecontracts: 'sc-4' })).toEqual(['sp-01'])
    })

    it('R3-01-10.3.5-07 previous_servicecontracts: any ended, visible contract that is not current', async () => {
      expect(await ids({ previous_servicecontracts: 'sc-4' })).toEqual(['sp-03'])
      expect(await ids({ previous_servicecontracts: 'sc-2' })).toEqual(['sp-01'])
    })

    it('A-13 a contract the token cannot see matches nothing, as in the pruned arrays', async () => {
      expect(await ids({ current_servicecontracts: 'sc-3' })).toEqual([])
      expect(await ids({ previous_servicecontracts: 'sc-3' })).toEqual([])
    })

    it('R3-01-10.3.5-09 filters intersect', async () => {
      expect(await ids({ servicepoint_numbers: 'SP-100 SP-300', previous_servicecontracts: 'sc-4' })).toEqual(['sp-03'])
      expect(await ids({ current_servicecontracts: 'sc-2', previous_servicecontracts: 'sc-2' })).toEqual([])
    })

    it('R3-01-10.3.5-08 q: case-insensitive substring of the visible searchable fields', async () => {
      expect(await ids({ q: 'SP-0' })).toEqual(VISIBLE)
      expect(await ids({ q: 'sp-3' })).toEqual(['sp-03'])
      expect(await ids({ q: 'OAK' }, ['include_service_point_addresses'])).toEqual(['sp-01', 'sp-03'])
      expect(await ids({ q: 'prem-9' }, ['include_premises'])).toEqual(['sp-01'])
    })

    it('q never searches a gated-off field', async () => {
      expect(await ids({ q: 'oak' }, ['include_coordinates', 'include_premises'])).toEqual([])
      expect(await ids({ q: 'prem' }, ['include_service_point_addresses', 'include_coordinates'])).toEqual([])
    })
  })
})

// 230 points, ties in pairs: pages of 100/100/30 (catalog §1.7, A-09, A-15).
const PAGED = Array.from({ length: 230 }, (_, i) =>
  point(`page-${String(i).padStart(3, '0')}`, '02', { cds_modified: new Date(Date.UTC(2025, 2, 2, 8, 0, 0, Math.floor(i / 2))) }),
)
const PAGED_ORDER = [...PAGED]
  .sort((a, b) => (b.cds_modified as Date).getTime() - (a.cds_modified as Date).getTime() || (a.cds_servicepoint_id < b.cds_servicepoint_id ? -1 : 1))
  .map((row) => row.cds_servicepoint_id)

forEachDialect('CDS-WG3-01 §10.3.5 Listing Service Points: pagination', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('service_points').values(PAGED).execute()
  })
  it('R3-01-10.3.5-02, -03 pages of 100, 100 and 30, walked forward and back', async () => {
    const access = fakeAccess({ visible: { service_point: PAGED.map((row) => row.cds_servicepoint_id) } })
    const walk = await walkListing(servicePointsListing, { db: t.db, config: CONFIG, access, query: {}, now: new Date() }, 'cds_servicepoint_id')
    expect(walk.forward.map((ids) => ids.length)).toEqual([100, 100, 30])
    expectPages(walk, PAGED_ORDER)
  })
})
