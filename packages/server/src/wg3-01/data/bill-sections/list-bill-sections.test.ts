import { InvalidRequest } from '@cds-ts/auth'
import { Decimal, stringifyJson, type BillSectionListingQuery } from '@cds-ts/schema'
import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess, type FakeAccessOptions } from '../../../../test/data-access-fake.js'
import { forEachDialect, type DialectContext } from '../../../../test/dialects.js'
import { expectPages, walkListing } from '../../../../test/listing-walk.js'
import { defaultConfig } from '../../../config/defaults.js'
import { SORT_LAST, type BillSectionLinksTable, type BillSectionsTable } from '../../../db/database.js'
import { toJsonText } from '../../../db/json-text.js'
import type { KeyCursor } from '../../../shared/pagination.js'
import type { IncludeField } from '../types.js'
import { billSectionsListing } from './list-bill-sections.js'

const CONFIG = defaultConfig('https://utility.example')
const STAMPS = { cds_created: '2025-01-01T00:00:00Z', cds_synced: '2025-04-01T00:00:00Z' }
const D = (text: string) => Decimal.from(text)
const ENTITY = { id: 'ent-1', types: ['distributor', 'supplier'], entity_number: 'US-XX', entity_name: 'Example Utility', entity_abbreviation: null }
const USAGE = [{ id: 'u-1', name: 'Total kWh', types: ['electric_usage'], value: D('512.250'), units: 'kWh', start_date: '2025-01-01', end_date: '2025-01-31' }]
const COSTS = [{ id: 'c-1', name: 'Total', types: ['overall_total'], cost: D('100.10') }]
const LINE_ITEMS = [
  {
    id: 'li-1',
    name: 'Distribution - Usage',
    types: ['usage_charge', 'distribution'],
    start_date: '2025-01-01',
    end_date: '2025-01-31',
    cost: D('60.000'),
    value: D('512.250'),
    units: 'kWh',
    rate: D('0.11713'),
    related_usage_details: ['u-1'],
    related_cost_details: ['c-1'],
  },
  { id: 'li-2', name: 'State tax', types: ['tax'], start_date: '2025-01-01', end_date: '2025-01-31', cost: D('-0.50'), value: null, rate: null, related_usage_details: [], related_cost_details: [] },
]

function section(id: string, fields: Partial<Insertable<BillSectionsTable>> = {}): Insertable<BillSectionsTable> {
  return {
    cds_billsection_id: id,
    cds_billstatement_id: null,
    cds_account_id: 'acct-1',
    account_number: 'A-100',
    section_types: toJsonText(['service_contract', 'electric']),
    start_date: '2025-01-01',
    end_date: '2025-01-31',
    currency: 'USD',
    sort_contract_number: 'C-2',
    cds_modified: '2025-02-01T00:00:00Z',
    ...STAMPS,
    ...fields,
  }
}

const SECTIONS: Insertable<BillSectionsTable>[] = [
  section('sec-a', {
    cds_billstatement_id: 'bs-1',
    sort_contract_number: 'C-1',
    distribution_entity: toJsonText(ENTITY),
    supply_entity: toJsonText(ENTITY),
    usage_details: toJsonText(USAGE),
    cost_details: toJsonText(COSTS),
    line_items: toJsonText(LINE_ITEMS),
  }),
  section('sec-b', { cds_billstatement_id: 'bs-hidden', sort_contract_number: 'C-1', cds_modified: '2025-02-01T00:00:00.000001Z' }),
  section('sec-c', { start_date: '2024-12-01', end_date: '2024-12-31' }),
  section('sec-tie-1'),
  section('sec-tie-2'),
  section('sec-d', { cds_account_id: 'acct-2', account_number: 'B-200', sort_contract_number: SORT_LAST, start_date: '2025-02-01', end_date: '2025-02-28' }),
  // a sub-account's section carries the parent's statement. Code-point order puts 'a-300' after 'B-200'.
  section('sec-e', {
    cds_billstatement_id: 'bs-1',
    cds_account_id: 'acct-3',
    account_number: 'a-300',
    section_types: toJsonText(['sub_account', 'electric']),
    start_date: '2025-03-01',
    end_date: '2025-03-31',
  }),
  section('sec-hidden', { account_number: 'A-000' }),
]
const link = (cds_billsection_id: string, object_type: BillSectionLinksTable['object_type'], object_id: string) => ({ cds_billsection_id, object_type, object_id })
const LINKS = [
  link('sec-a', 'service_contract', 'sc-1'),
  link('sec-a', 'service_contract', 'sc-hidden'),
  link('sec-a', 'service_point', 'sp-1'),
  link('sec-a', 'service_point', 'sp-hidden'),
  link('sec-a', 'meter_device', 'md-1'),
  // Stored one way only: the listing reads related_billsections from both sides.
  link('sec-a', 'bill_section', 'sec-b'),
  link('sec-hidden', 'bill_section', 'sec-a'),
  link('sec-b', 'service_contract', 'sc-1'),
  link('sec-c', 'service_contract', 'sc-2'),
  link('sec-tie-1', 'service_contract', 'sc-2'),
  link('sec-hidden', 'service_contract', 'sc-2'),
]
const VISIBLE: FakeAccessOptions['visible'] = {
  bill_section: SECTIONS.map((s) => s.cds_billsection_id).filter((id) => id !== 'sec-hidden'),
  bill_statement: ['bs-1'],
  service_contract: ['sc-1', 'sc-2'],
  service_point: ['sp-1'],
  meter_device: ['md-1'],
}
const ALL_GATES: IncludeField[] = ['include_account_numbers', 'include_bill_section_line_items', 'include_contract_numbers']
const ORDER = ['sec-b', 'sec-a', 'sec-c', 'sec-tie-1', 'sec-tie-2', 'sec-d', 'sec-e']

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

async function seedParents(t: DialectContext, accounts: string[]) {
  await t.db
    .insertInto('accounts')
    .values(accounts.map((id) => ({ cds_account_id: id, account_number: id, account_status: 'active', cds_modified: STAMPS.cds_created, ...STAMPS })))
    .execute()
}

forEachDialect('CDS-WG3-01 §10.6.9 Listing Bill Sections', (t) => {
  beforeAll(async () => {
    await seedParents(t, ['acct-1', 'acct-2', 'acct-3'])
    await t.db
      .insertInto('service_contracts')
      .values(
        [
          ['sc-1', 'C-1'],
          ['sc-2', 'C-2'],
          ['sc-hidden', 'C-9'],
        ].map(([id, number]) => ({ cds_servicecontract_id: id!, cds_account_id: 'acct-1', contract_number: number!, contract_status: 'active', cds_modified: STAMPS.cds_created, ...STAMPS })),
      )
      .execute()
    await t.db
      .insertInto('bill_statements')
      .values(
        ['bs-1', 'bs-hidden'].map((id) => ({
          cds_billstatement_id: id,
          cds_account_id: 'acct-1',
          account_number: 'A-100',
          statement_date: '2025-02-05',
          currency: 'USD',
          amount_due: '1',
          amount_due_date: '2025-03-01',
          cds_modified: STAMPS.cds_created,
          ...STAMPS,
        })),
      )
      .execute()
    await t.db.insertInto('bill_sections').values(SECTIONS).execute()
    await t.db.insertInto('bill_section_links').values(LINKS).execute()
  })

  const list = (query: BillSectionListingQuery = {}, includes: IncludeField[] = ALL_GATES, visible: FakeAccessOptions['visible'] = VISIBLE) =>
    billSectionsListing.list({ db: t.db, config: CONFIG, access: fakeAccess({ visible, includes }), query, cursor: undefined, now: new Date() })
  const ids = async (query: BillSectionListingQuery, includes?: IncludeField[]) => (await list(query, includes)).items.map((s) => s.cds_billsection_id)
  const byId = async (id: string, includes?: IncludeField[], visible?: FakeAccessOptions['visible']) => {
    const found = (await list({ cds_billsection_ids: id }, includes, visible)).items[0]
    if (found === undefined) throw new Error(`${id} is not listed`)
    return found
  }

  describe('R3-01-10.6.1 Bill Section object', () => {
    it('every gate on: every field, exact decimals in the details, pruned and symmetric related_* arrays', async () => {
      expect(exact(await byId('sec-a'))).toBe(
        exact({
          cds_billsection_id: 'sec-a',
          cds_created: '2025-01-01T00:00:00Z',
          cds_modified: '2025-02-01T00:00:00Z',
          cds_synced: '2025-04-01T00:00:00Z',
          cds_billstatement_id: 'bs-1',
          cds_account_id: 'acct-1',
          account_number: 'A-100',
          section_types: ['service_contract', 'electric'],
          start_date: '2025-01-01',
          end_date: '2025-01-31',
          currency: 'USD',
          distribution_entity: ENTITY,
          supply_entity: ENTITY,
          related_servicecontracts: ['sc-1'],
          related_servicepoints: ['sp-1'],
          related_meterdevices: ['md-1'],
          related_billsections: ['sec-b'],
          usage_details: USAGE,
          cost_details: COSTS,
          line_items: LINE_ITEMS,
        }),
      )
      const text = stringifyJson(await byId('sec-a'))
      for (const token of ['"value":512.250', '"cost":100.10', '"rate":0.11713', '"cost":-0.50', '"value":null']) expect(text).toContain(token)
    })

    it('R3-01-10.6.1-07: related_billsections is symmetric (a link stored on the other side counts)', async () => {
      expect((await byId('sec-b')).related_billsections).toEqual(['sec-a'])
    })

    it('every gate off: no account_number, no line_items; the rest is always there', async () => {
      const s = await byId('sec-a', [])
      expect('account_number' in s).toBe(false)
      expect('line_items' in s).toBe(false)
      expect(Object.keys(s)).toHaveLength(18)
    })

    it('R3-01-10.6.1-02, A-06: cds_billstatement_id is null when the statement is not visible or does not exist', async () => {
      expect((await byId('sec-b')).cds_billstatement_id).toBeNull()
      expect((await byId('sec-d')).cds_billstatement_id).toBeNull()
      expect((await byId('sec-a', ALL_GATES, { ...VISIBLE, bill_statement: [] })).cds_billstatement_id).toBeNull()
    })

    it('R3-01-10.6.2-02, A-30: a sub-account section keeps its own account and the parent statement', async () => {
      const s = await byId('sec-e')
      expect([s.cds_account_id, s.account_number, s.cds_billstatement_id]).toEqual(['acct-3', 'a-300', 'bs-1'])
    })

    it('R3-01-10.6.1-04: no entities and no links are null and []', async () => {
      const s = await byId('sec-d')
      expect([s.distribution_entity, s.supply_entity, s.related_servicecontracts, s.related_billsections, s.usage_details, s.line_items]).toEqual([
        null,
        null,
        [],
        [],
        [],
        [],
      ])
    })

    it('A-06: with no related type visible, every related_* array is []', async () => {
      const s = await byId('sec-a', ALL_GATES, { bill_section: ['sec-a'] })
      expect([s.related_servicecontracts, s.related_servicepoints, s.related_meterdevices, s.related_billsections]).toEqual([[], [], [], []])
    })
  })

  describe('R3-01-10.6.9 filters and order', () => {
    it('R3-01-10.6.9-01, -13 (A-17): only visible sections, by account number and contract number (code points), start date, modified desc, id', async () => {
      expect(await ids({})).toEqual(ORDER)
    })

    it('R3-01-10.6.9-04 cds_billsection_ids', async () => {
      expect(await ids({ cds_billsection_ids: 'sec-e sec-hidden sec-a' })).toEqual(['sec-a', 'sec-e'])
    })

    it('R3-01-10.6.9-05, -06: before compares start_date, after compares end_date, boundaries included (overlap)', async () => {
      expect(await ids({ before: '2025-01-01' })).toEqual(['sec-b', 'sec-a', 'sec-c', 'sec-tie-1', 'sec-tie-2'])
      expect(await ids({ after: '2025-01-31' })).toEqual(['sec-b', 'sec-a', 'sec-tie-1', 'sec-tie-2', 'sec-d', 'sec-e'])
      expect(await ids({ after: '2025-02-28', before: '2025-02-28' })).toEqual(['sec-d'])
      expect(await ids({ after: '2024-12-15', before: '2024-12-20' })).toEqual(['sec-c'])
    })

    it('A-14: a malformed date is 400 invalid_request', async () => {
      await expect(list({ after: '2025-13-01' })).rejects.toBeInstanceOf(InvalidRequest)
    })

    it('R3-01-10.6.9-07, A-13: cds_billstatement_ids matches only a visible statement reference', async () => {
      expect(await ids({ cds_billstatement_ids: 'bs-1' })).toEqual(['sec-a', 'sec-e'])
      expect(await ids({ cds_billstatement_ids: 'bs-hidden' })).toEqual([])
    })

    it('R3-01-10.6.9-08 cds_account_ids', async () => {
      expect(await ids({ cds_account_ids: 'acct-2 acct-3' })).toEqual(['sec-d', 'sec-e'])
    })

    it('R3-01-10.6.9-09, A-13: account_numbers only when account numbers are visible', async () => {
      expect(await ids({ account_numbers: 'B-200 a-300' })).toEqual(['sec-d', 'sec-e'])
      expect(await ids({ account_numbers: 'B-200' }, ['include_bill_section_line_items'])).toEqual([])
    })

    it('R3-01-10.6.9-10: cds_servicecontract_ids matches the pruned related_servicecontracts', async () => {
      expect(await ids({ cds_servicecontract_ids: 'sc-2' })).toEqual(['sec-c', 'sec-tie-1'])
      expect(await ids({ cds_servicecontract_ids: 'sc-hidden' })).toEqual([])
    })

    it('R3-01-10.6.9-11, A-13: contract_numbers through visible related contracts, only when contract numbers are visible', async () => {
      expect(await ids({ contract_numbers: 'C-1' })).toEqual(['sec-b', 'sec-a'])
      expect(await ids({ contract_numbers: 'C-9' })).toEqual([])
      expect(await ids({ contract_numbers: 'C-1' }, ['include_account_numbers'])).toEqual([])
    })

    it('R3-01-10.6.9-12: filters intersect', async () => {
      expect(await ids({ contract_numbers: 'C-1 C-2', before: '2024-12-31', cds_account_ids: 'acct-1' })).toEqual(['sec-c'])
      expect(await ids({ cds_servicecontract_ids: 'sc-1', cds_billstatement_ids: 'bs-1' })).toEqual(['sec-a'])
    })
  })
})

// 105 sections whose keys tie a lot: account numbers in code-point order, contract numbers with
// SORT_LAST, dates, and modified instants that differ only in microseconds.
const ACCOUNT_NUMBERS = ['b', 'B', 'a', 'é', 'Z']
const CONTRACT_NUMBERS = ['C-1', SORT_LAST, 'c-1']
const PAGED = Array.from({ length: 105 }, (_, i) =>
  section(`pg-${String((i * 37) % 105).padStart(3, '0')}`, {
    cds_account_id: 'acct-p',
    account_number: ACCOUNT_NUMBERS[i % ACCOUNT_NUMBERS.length]!,
    sort_contract_number: CONTRACT_NUMBERS[i % CONTRACT_NUMBERS.length]!,
    start_date: `2025-01-0${1 + (i % 2)}`,
    cds_modified: `2025-02-01T00:00:00.00000${i % 3}Z`,
  }),
)
// UTF-8 byte order is code-point order.
const codePoints = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
const PAGED_ORDER = [...PAGED]
  .sort(
    (r, s) =>
      codePoints(r.account_number, s.account_number) ||
      codePoints(r.sort_contract_number, s.sort_contract_number) ||
      r.start_date.localeCompare(s.start_date) ||
      String(s.cds_modified).localeCompare(String(r.cds_modified)) ||
      codePoints(r.cds_billsection_id, s.cds_billsection_id),
  )
  .map((row) => row.cds_billsection_id)

forEachDialect('CDS-WG3-01 §10.6.9 Listing Bill Sections: pagination', (t) => {
  beforeAll(async () => {
    await seedParents(t, ['acct-p'])
    await t.db.insertInto('bill_sections').values(PAGED).execute()
  })
  const page = (query: BillSectionListingQuery, cursor?: KeyCursor) =>
    billSectionsListing.list({
      db: t.db,
      config: CONFIG,
      access: fakeAccess({ visible: { bill_section: PAGED.map((row) => row.cds_billsection_id) } }),
      query,
      cursor,
      now: new Date(),
    })
  const ids = (items: Record<string, unknown>[]) => items.map((s) => s.cds_billsection_id)

  it('R3-01-10.6.9-02, -03: pages of 100 and 5 in the exact order, forward and back, filters kept', async () => {
    expect(billSectionsListing.sortKeys).toBe(5)
    const query = { cds_account_ids: 'acct-p', before: '2025-01-02' }
    const access = fakeAccess({ visible: { bill_section: PAGED.map((row) => row.cds_billsection_id) } })
    const walk = await walkListing(billSectionsListing, { db: t.db, config: CONFIG, access, query: query, now: new Date() }, 'cds_billsection_id')
    expect(walk.forward.map((ids) => ids.length)).toEqual([100, 5])
    expectPages(walk, PAGED_ORDER)
    const filtered = await page({ before: '2025-01-01' })
    expect(ids(filtered.items)).toEqual(PAGED_ORDER.filter((id) => PAGED.find((row) => row.cds_billsection_id === id)?.start_date === '2025-01-01'))
  })
})
