import { Decimal, stringifyJson, type AggregationListingQuery } from '@cds-ts/schema'
import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess, type FakeAccessOptions } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import { expectPages, walkListing } from '../../../../test/listing-walk.js'
import { defaultConfig } from '../../../config/defaults.js'
import type { AggregationMembersTable, AggregationsTable } from '../../../db/database.js'
import { toJsonText } from '../../../db/json-text.js'
import type { KeyCursor } from '../../../shared/pagination.js'
import type { IncludeField } from '../types.js'
import { aggregationsListing } from './list-aggregations.js'

const CONFIG = defaultConfig('https://utility.example')
const STAMPS = { cds_created: '2025-01-01T00:00:00Z', cds_synced: '2025-04-01T00:00:00Z' }
const DETAILS = [{ type: 'cds_query_usage_1', aggregation_numbers: ['BID-1234'], exampleutility_minimum_share: Decimal.from('0.50') }]
const REGION = { id: 'reg-1', name: 'Downtown', types: ['postal_code'], postal_codes: ['94110'] }
const CONSENT = { id: 'cr-1', name: 'Tenant consent', types: ['sometimes'], documentation: 'https://utility.example/docs/consent' }

function aggregation(id: string, modified: string, fields: Partial<Insertable<AggregationsTable>> = {}): Insertable<AggregationsTable> {
  return { cds_aggregation_id: id, aggregation_types: toJsonText(['public']), cds_modified: modified, ...STAMPS, ...fields }
}

const ROWS: Insertable<AggregationsTable>[] = [
  aggregation('agg-1', '2025-03-05T00:00:00Z', {
    aggregation_number: 'BID-1234',
    aggregation_types: toJsonText(['public', 'building', 'account_number']),
    scope: 'cds_query_usage_1',
    authorization_details: toJsonText(DETAILS),
    grouped_addresses: toJsonText(['123 Main St\nSpringfield']),
    grouped_regions: toJsonText([REGION]),
    consent_requirements: toJsonText([CONSENT]),
  }),
  aggregation('agg-2', '2025-03-01T00:00:00Z', {
    aggregation_types: toJsonText(['listed', 'country', 'region']),
    grouped_regions: toJsonText([{ id: 'reg-9', name: 'Mission District', types: ['neighborhood'], neighborhoods: ['Mission'] }]),
    criteria: toJsonText({ countries: ['US'] }),
  }),
  aggregation('agg-3', '2025-03-03T00:00:00.000005Z', {
    aggregation_number: 'BLD-7',
    aggregation_types: toJsonText(['confidential', 'rateplan_code']),
    scope: '',
    grouped_addresses: toJsonText(['500 Harbor Rd']),
    criteria: toJsonText({ rateplan_code: ['E-TOU-C'] }),
  }),
  aggregation('agg-4', '2025-03-03T00:00:00.000005Z', { aggregation_number: 'X_1%' }),
  aggregation('agg-hidden', '2025-03-09T00:00:00Z', { aggregation_number: 'BID-9999' }),
]
const member = (cds_aggregation_id: string, object_type: AggregationMembersTable['object_type'], object_id: string) => ({ cds_aggregation_id, object_type, object_id })
const MEMBERS = [
  member('agg-1', 'account', 'acct-2'),
  member('agg-1', 'account', 'acct-1'),
  member('agg-1', 'account', 'acct-hidden'),
  member('agg-1', 'service_contract', 'sc-1'),
  member('agg-1', 'service_point', 'sp-1'),
  member('agg-1', 'service_point', 'sp-hidden'),
  member('agg-1', 'meter_device', 'md-1'),
  member('agg-1', 'aggregation', 'agg-2'),
  member('agg-1', 'aggregation', 'agg-hidden'),
  member('agg-hidden', 'account', 'acct-1'),
]
const VISIBLE: FakeAccessOptions['visible'] = {
  aggregation: ['agg-1', 'agg-2', 'agg-3', 'agg-4'],
  account: ['acct-1', 'acct-2'],
  service_contract: ['sc-1'],
  service_point: ['sp-1'],
  meter_device: ['md-1'],
}

/** JSON text with every object's keys sorted and decimals written exactly: compares values and digits, not key order. */
function exact(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : typeof v === 'object' && v !== null && !Decimal.isDecimal(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sorted(x)]))
        : v
  return stringifyJson(sorted(value))
}

forEachDialect('CDS-WG3-01 §10.7.8 Listing Aggregations', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('aggregations').values(ROWS).execute()
    await t.db.insertInto('aggregation_members').values(MEMBERS).execute()
  })

  const list = (query: AggregationListingQuery = {}, includes: IncludeField[] = ['include_aggregation_addresses'], visible = VISIBLE) =>
    aggregationsListing.list({ db: t.db, config: CONFIG, access: fakeAccess({ visible, includes }), query, cursor: undefined, now: new Date() })
  const ids = async (query: AggregationListingQuery, includes?: IncludeField[]) => (await list(query, includes)).items.map((a) => a.cds_aggregation_id)
  const byId = async (id: string, includes?: IncludeField[], visible?: FakeAccessOptions['visible']) => {
    const found = (await list({ cds_aggregation_ids: id }, includes, visible)).items[0]
    if (found === undefined) throw new Error(`${id} is not listed`)
    return found
  }

  describe('R3-01-10.7.1 Aggregation object', () => {
    it('every field; grouped_* pruned to visible ids (A-06); nested objects whole with exact decimals', async () => {
      expect(exact(await byId('agg-1'))).toBe(
        exact({
          cds_aggregation_id: 'agg-1',
          cds_created: '2025-01-01T00:00:00Z',
          cds_modified: '2025-03-05T00:00:00Z',
          cds_synced: '2025-04-01T00:00:00Z',
          aggregation_types: ['public', 'building', 'account_number'],
          aggregation_number: 'BID-1234',
          scope: 'cds_query_usage_1',
          authorization_details: DETAILS,
          grouped_accounts: ['acct-1', 'acct-2'],
          grouped_servicecontracts: ['sc-1'],
          grouped_servicepoints: ['sp-1'],
          grouped_meterdevices: ['md-1'],
          grouped_aggregations: ['agg-2'],
          grouped_addresses: ['123 Main St\nSpringfield'],
          grouped_regions: [REGION],
          consent_requirements: [CONSENT],
        }),
      )
      expect(stringifyJson(await byId('agg-1'))).toContain('"exampleutility_minimum_share":0.50')
    })

    it('R3-01-10.7.1-06: grouped_addresses only with include_aggregation_addresses; [] when gated on but none', async () => {
      expect('grouped_addresses' in (await byId('agg-1', []))).toBe(false)
      expect((await byId('agg-4')).grouped_addresses).toEqual([])
    })

    it('R3-01-10.7.1-02, -03, -04, -05, -07: null number, "" scope, [] details, [] members, [] consents', async () => {
      const a = await byId('agg-2')
      expect([a.aggregation_number, a.scope, a.authorization_details, a.consent_requirements]).toEqual([null, '', [], []])
      expect([a.grouped_accounts, a.grouped_servicecontracts, a.grouped_servicepoints, a.grouped_meterdevices, a.grouped_aggregations]).toEqual([[], [], [], [], []])
    })

    it('§10.7.2: the type-specific criteria fields are part of the object', async () => {
      expect((await byId('agg-2')).countries).toEqual(['US'])
      expect((await byId('agg-3')).rateplan_code).toEqual(['E-TOU-C'])
    })

    it('R3-01-10.7.1-05: with no member type visible every grouped_* array is []', async () => {
      const a = await byId('agg-1', [], { aggregation: ['agg-1'] })
      expect([a.grouped_accounts, a.grouped_servicecontracts, a.grouped_servicepoints, a.grouped_meterdevices, a.grouped_aggregations]).toEqual([[], [], [], [], []])
    })
  })

  describe('R3-01-10.7.8 filters and order', () => {
    it('R3-01-10.7.8-01, -09: only visible Aggregations, newest cds_modified first, ties by id', async () => {
      expect(await ids({})).toEqual(['agg-1', 'agg-3', 'agg-4', 'agg-2'])
    })

    it('R3-01-10.7.8-04 cds_aggregation_ids', async () => {
      expect(await ids({ cds_aggregation_ids: 'agg-2 agg-hidden agg-4' })).toEqual(['agg-4', 'agg-2'])
    })

    it('R3-01-10.7.8-05 aggregation_numbers (hidden numbers find nothing)', async () => {
      expect(await ids({ aggregation_numbers: 'BID-1234 BID-9999 BLD-7' })).toEqual(['agg-1', 'agg-3'])
    })

    it('R3-01-10.7.8-06: aggregation_types matches any type; an unknown type matches nothing (A-14)', async () => {
      expect(await ids({ aggregation_types: 'country rateplan_code' })).toEqual(['agg-3', 'agg-2'])
      expect(await ids({ aggregation_types: 'no_such_type' })).toEqual([])
    })

    it('R3-01-10.7.8-07, A-39: q searches id, number, visible addresses and region id and name, case-insensitively', async () => {
      expect(await ids({ q: 'bid-12' })).toEqual(['agg-1'])
      expect(await ids({ q: 'AGG-4' })).toEqual(['agg-4'])
      expect(await ids({ q: 'harbor' })).toEqual(['agg-3'])
      expect(await ids({ q: 'mission' })).toEqual(['agg-2'])
      expect(await ids({ q: 'reg-1' })).toEqual(['agg-1'])
      expect(await ids({ q: 'no such thing' })).toEqual([])
    })

    it('catalog §1.8: q never searches gated-off addresses; % and _ match themselves', async () => {
      expect(await ids({ q: 'harbor' }, [])).toEqual([])
      expect(await ids({ q: '_' })).toEqual(['agg-4'])
      expect(await ids({ q: '%' })).toEqual(['agg-4'])
    })

    it('R3-01-10.7.8-08: filters intersect', async () => {
      expect(await ids({ aggregation_types: 'public', q: 'b' })).toEqual(['agg-1'])
      expect(await ids({ aggregation_types: 'public', aggregation_numbers: 'BLD-7' })).toEqual([])
    })
  })
})

const PAGED = Array.from({ length: 105 }, (_, i) => aggregation(`pg-${String(i).padStart(3, '0')}`, `2025-03-01T00:00:0${i % 3}.00000${i % 2}Z`))
const PAGED_ORDER = [...PAGED]
  .sort((a, b) => String(b.cds_modified).localeCompare(String(a.cds_modified)) || (a.cds_aggregation_id < b.cds_aggregation_id ? -1 : 1))
  .map((row) => row.cds_aggregation_id)

forEachDialect('CDS-WG3-01 §10.7.8 Listing Aggregations: pagination', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('aggregations').values(PAGED).execute()
  })
  const page = (query: AggregationListingQuery, cursor?: KeyCursor) =>
    aggregationsListing.list({
      db: t.db,
      config: CONFIG,
      access: fakeAccess({ visible: { aggregation: PAGED.map((row) => row.cds_aggregation_id) } }),
      query,
      cursor,
      now: new Date(),
    })

  it('R3-01-10.7.8-02, -03: pages of 100 and 5, forward and back, filters kept', async () => {
    expect(aggregationsListing.sortKeys).toBe(2)
    const query = { aggregation_types: 'public' }
    const access = fakeAccess({ visible: { aggregation: PAGED.map((row) => row.cds_aggregation_id) } })
    const walk = await walkListing(aggregationsListing, { db: t.db, config: CONFIG, access, query: query, now: new Date() }, 'cds_aggregation_id')
    expect(walk.forward.map((ids) => ids.length)).toEqual([100, 5])
    expectPages(walk, PAGED_ORDER)
    expect((await page({ aggregation_types: 'listed' })).items).toEqual([])
  })
})
