import { InvalidRequest } from '@cds-ts/auth'
import { Decimal, stringifyJson, type BillStatementListingQuery } from '@cds-ts/schema'
import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess, type FakeAccessOptions } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import { expectPages, walkListing } from '../../../../test/listing-walk.js'
import { defaultConfig } from '../../../config/defaults.js'
import type { BillStatementsTable } from '../../../db/database.js'
import { toJsonText } from '../../../db/json-text.js'
import { decodeKeyCursor, encodeKeyCursor, type KeyCursor } from '../../../shared/pagination.js'
import type { IncludeField } from '../types.js'
import { sumDifferenceChargeId } from './bill-statement-object.js'
import { billStatementsListing } from './list-bill-statements.js'

const CONFIG = defaultConfig('https://utility.example')
const STAMPS = { cds_created: '2025-01-01T00:00:00Z', cds_synced: '2025-04-01T00:00:00.250Z' }
const ALL_GATES: IncludeField[] = [
  'include_account_numbers',
  'include_bill_statement_files',
  'include_bill_statement_charges',
  'include_bill_statement_programs',
  'include_bill_sections',
]
const PROGRAM = { id: 'prog-1', program_number: 'CARE-7', types: ['credit_bank'], name: 'Solar credit', balance: Decimal.from('12.50'), currency: 'USD' }

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

function statement(id: string, date: string, fields: Partial<Insertable<BillStatementsTable>> = {}): Insertable<BillStatementsTable> {
  return {
    cds_billstatement_id: id,
    cds_account_id: 'acct-1',
    account_number: 'A-100',
    statement_date: date,
    currency: 'USD',
    amount_due: '10.00',
    amount_due_date: '2025-05-01',
    cds_modified: `${date}T12:00:00Z`,
    ...STAMPS,
    ...fields,
  }
}

const ROWS: Insertable<BillStatementsTable>[] = [
  // The full statement: stored file, charges that add up, programs, a shutoff notice.
  statement('bs-full', '2025-03-15', {
    file_id: 'file-1',
    file_mimetype: 'application/octet-stream',
    previous_balance_amount: '1500.00',
    previous_balance_paid: '500.00',
    previous_balance_unpaid: '1000.00',
    new_charges_amount: '1000.00',
    new_charges: toJsonText([
      { id: 'nc-1', name: 'Electric Service Charges', types: ['electric_total'], amount: Decimal.from('1000.00'), included_in_amount_due: true, related_billsections: ['sec-1', 'sec-hidden'] },
      { id: 'nc-2', name: 'Payment plan', types: ['adhoc'], amount: Decimal.from('-75.50'), included_in_amount_due: false },
    ]),
    new_balance_amount: '2000.00',
    amount_due: '2000.00',
    amount_due_date: '2025-04-05',
    shutoff_prevention_minimum_due: '250.10',
    shutoff_prevention_date: '2025-04-20',
    account_programs: toJsonText([PROGRAM]),
  }),
  // An external file; a bill whose charges do not add up (the gap is 12.345).
  statement('bs-external', '2025-02-15', {
    file_uri: 'https://files.utility.example/bills/feb.pdf',
    file_mimetype: 'application/pdf',
    previous_balance_unpaid: '0',
    new_charges: toJsonText([{ id: 'nc-3', name: 'Water', types: ['water_total'], amount: Decimal.from('30.000'), included_in_amount_due: true }]),
    amount_due: '42.345',
  }),
  // D-3: 0.1 + 0.2 = 0.3 exactly, so no difference charge.
  statement('bs-float-trap', '2025-01-15', {
    previous_balance_unpaid: '0',
    new_charges: toJsonText([
      { id: 'nc-4', name: 'Tax', types: ['tax'], amount: Decimal.from('0.1'), included_in_amount_due: true },
      { id: 'nc-5', name: 'Fee', types: ['fixed_fee'], amount: Decimal.from('0.2'), included_in_amount_due: true },
    ]),
    amount_due: '0.3',
  }),
  // Another Account and number, same date as bs-float-trap but modified later; same instant as bs-tie-b.
  statement('bs-other', '2025-01-15', { cds_account_id: 'acct-2', account_number: 'B-200', cds_modified: '2025-01-16T00:00:00.000001Z' }),
  statement('bs-tie-b', '2025-01-10', { cds_modified: '2025-01-10T12:00:00Z' }),
  statement('bs-tie-a', '2025-01-10', { cds_modified: '2025-01-10T12:00:00Z' }),
  statement('bs-hidden', '2025-03-20'),
  // no amount-due date, so never published.
  statement('bs-incomplete', '2025-03-01', { amount_due_date: null }),
]
const VISIBLE = ROWS.map((row) => row.cds_billstatement_id).filter((id) => id !== 'bs-hidden')
const ORDER = ['bs-full', 'bs-external', 'bs-other', 'bs-float-trap', 'bs-tie-a', 'bs-tie-b']

forEachDialect('CDS-WG3-01 §10.5.4 Listing Bill Statements', (t) => {
  beforeAll(async () => {
    await t.db
      .insertInto('accounts')
      .values(['acct-1', 'acct-2'].map((id) => ({ cds_account_id: id, account_number: id, account_status: 'active', cds_modified: STAMPS.cds_created, ...STAMPS })))
      .execute()
    await t.db
      .insertInto('bill_files')
      .values({ file_id: 'file-1', content_type: 'application/pdf', file_name: 'March bill.pdf', content: new Uint8Array([37, 80, 68, 70]), size: 4 })
      .execute()
    await t.db.insertInto('bill_statements').values(ROWS).execute()
  })

  const list = (query: BillStatementListingQuery = {}, includes: IncludeField[] = ALL_GATES, options: Partial<FakeAccessOptions> = {}) =>
    billStatementsListing.list({
      db: t.db,
      config: CONFIG,
      access: fakeAccess({ visible: { bill_statement: VISIBLE, bill_section: ['sec-1', 'sec-2'] }, includes, ...options }),
      query,
      cursor: undefined,
      now: new Date(),
    })
  const ids = async (query: BillStatementListingQuery, includes?: IncludeField[]) => (await list(query, includes)).items.map((s) => s.cds_billstatement_id)
  const byId = async (id: string, includes?: IncludeField[], options?: Partial<FakeAccessOptions>) => {
    const found = (await list({ cds_billstatement_ids: id }, includes, options)).items[0]
    if (found === undefined) throw new Error(`${id} is not listed`)
    return found
  }

  describe('R3-01-10.5.1 Bill Statement object', () => {
    it('every gate on: every field, decimals with their digits, the stored file on the bill-files route', async () => {
      const D = (text: string) => Decimal.from(text)
      expect(exact(await byId('bs-full'))).toBe(
        exact({
          cds_billstatement_id: 'bs-full',
          cds_created: '2025-01-01T00:00:00Z',
          cds_modified: '2025-03-15T12:00:00Z',
          cds_synced: '2025-04-01T00:00:00.250Z',
          cds_account_id: 'acct-1',
          account_number: 'A-100',
          statement_date: '2025-03-15',
          currency: 'USD',
          file_uri: 'https://utility.example/api/bill-files/file-1',
          file_mimetype: 'application/pdf',
          previous_balance_amount: D('1500.00'),
          previous_balance_paid: D('500.00'),
          previous_balance_unpaid: D('1000.00'),
          new_charges_amount: D('1000.00'),
          new_charges: [
            { id: 'nc-1', name: 'Electric Service Charges', types: ['electric_total'], amount: D('1000.00'), included_in_amount_due: true, related_billsections: ['sec-1'] },
            { id: 'nc-2', name: 'Payment plan', types: ['adhoc'], amount: D('-75.50'), included_in_amount_due: false },
          ],
          new_balance_amount: D('2000.00'),
          amount_due: D('2000.00'),
          amount_due_date: '2025-04-05',
          shutoff_prevention_minimum_due: D('250.10'),
          shutoff_prevention_date: '2025-04-20',
          account_programs: [{ ...PROGRAM }],
        }),
      )
      // The raw tokens keep their scale (catalog §5.5 D-1).
      expect(stringifyJson(await byId('bs-full'))).toContain('"amount_due":2000.00,')
    })

    it('every gate off: only the always-present fields (A-07: no account_number)', async () => {
      const s = await byId('bs-full', [])
      expect(Object.keys(s).sort()).toEqual(
        [
          'amount_due',
          'amount_due_date',
          'cds_account_id',
          'cds_billstatement_id',
          'cds_created',
          'cds_modified',
          'cds_synced',
          'currency',
          'shutoff_prevention_date',
          'shutoff_prevention_minimum_due',
          'statement_date',
        ].sort(),
      )
    })

    it('each gate turns on its own fields only', async () => {
      expect(Object.keys(await byId('bs-full', ['include_account_numbers']))).toContain('account_number')
      const files = await byId('bs-full', ['include_bill_statement_files'])
      expect([files.file_uri, files.file_mimetype, files.account_number, files.new_charges]).toEqual([
        'https://utility.example/api/bill-files/file-1',
        'application/pdf',
        undefined,
        undefined,
      ])
      const programs = await byId('bs-full', ['include_bill_statement_programs'])
      expect(stringifyJson(programs.account_programs)).toContain('"balance":12.50')
      expect(programs.file_uri).toBeUndefined()
    })

    it('R3-01-10.5.1-05, A-27: an external file keeps its URI and type; no file is null with no type', async () => {
      const external = await byId('bs-external', ['include_bill_statement_files'])
      expect([external.file_uri, external.file_mimetype]).toEqual(['https://files.utility.example/bills/feb.pdf', 'application/pdf'])
      const none = await byId('bs-tie-a', ['include_bill_statement_files'])
      expect(none.file_uri).toBeNull()
      expect('file_mimetype' in none).toBe(false)
    })

    it('R3-01-10.5.1-07, -08: no shutoff notice is null for both fields', async () => {
      const s = await byId('bs-tie-a', [])
      expect([s.shutoff_prevention_minimum_due, s.shutoff_prevention_date]).toEqual([null, null])
    })

    it('R3-01-10.5.1-09, A-02: charges and programs gated on but empty are []; unknown amounts are absent', async () => {
      const s = await byId('bs-tie-a')
      expect([s.new_charges, s.account_programs]).toEqual([[], []])
      expect('previous_balance_amount' in s).toBe(false)
    })

    it('R3-01-10.5.1-10, -11 (A-28): a bill that does not add up gets the gap as an included charge', async () => {
      const s = await byId('bs-external', ['include_bill_statement_charges'])
      expect(exact(s.new_charges)).toBe(
        exact([
          { id: 'nc-3', name: 'Water', types: ['water_total'], amount: Decimal.from('30.000'), included_in_amount_due: true },
          {
            id: sumDifferenceChargeId('bs-external'),
            name: 'Difference between the amount due and the sum of the previous unpaid balance and the new charges',
            types: ['amount_due_sum_difference'],
            amount: Decimal.from('12.345'),
            included_in_amount_due: true,
          },
        ]),
      )
    })

    it('D-3: 0.1 + 0.2 equals 0.3 exactly, so no difference charge; a bill that adds up gets none either', async () => {
      const trap = await byId('bs-float-trap', ['include_bill_statement_charges'])
      expect((trap.new_charges as { id: string }[]).map((c) => c.id)).toEqual(['nc-4', 'nc-5'])
      expect(stringifyJson(trap.amount_due)).toBe('0.3')
      const full = await byId('bs-full', ['include_bill_statement_charges'])
      expect((full.new_charges as { id: string }[]).map((c) => c.id)).toEqual(['nc-1', 'nc-2'])
    })

    it('the sum rule does not apply without previous_balance_unpaid', async () => {
      const s = await byId('bs-tie-a', ['include_bill_statement_charges'])
      expect(s.new_charges).toEqual([])
    })

    it('R3-01-10.5.2-02: without Bill Sections in the scopes, New Charges carry no related_billsections', async () => {
      const s = await byId('bs-full', ['include_bill_statement_charges'])
      expect((s.new_charges as Record<string, unknown>[]).map((c) => 'related_billsections' in c)).toEqual([false, false])
    })

    it('R3-01-10.5.2-03, A-06: related_billsections lists only visible sections', async () => {
      const s = await byId('bs-full', ['include_bill_statement_charges', 'include_bill_sections'], { visible: { bill_statement: VISIBLE } })
      expect((s.new_charges as Record<string, unknown>[])[0]?.related_billsections).toEqual([])
    })
  })

  describe('R3-01-10.5.4 filters', () => {
    it('R3-01-10.5.4-01: only visible, complete statements, in order (statement_date desc, cds_modified desc, id asc)', async () => {
      expect(await ids({})).toEqual(ORDER)
    })

    it('an empty visible set is an empty list with no links', async () => {
      expect(await list({}, ALL_GATES, { visible: {} })).toEqual({ items: [], next: null, previous: null })
    })

    it('R3-01-10.5.4-04 cds_billstatement_ids (hidden ids find nothing)', async () => {
      expect(await ids({ cds_billstatement_ids: 'bs-tie-b bs-hidden bs-full unknown' })).toEqual(['bs-full', 'bs-tie-b'])
    })

    it('R3-01-10.5.4-05, -06: before and after compare statement_date, boundaries included', async () => {
      expect(await ids({ before: '2025-01-15' })).toEqual(['bs-other', 'bs-float-trap', 'bs-tie-a', 'bs-tie-b'])
      expect(await ids({ after: '2025-02-15' })).toEqual(['bs-full', 'bs-external'])
      expect(await ids({ after: '2025-01-15', before: '2025-02-15' })).toEqual(['bs-external', 'bs-other', 'bs-float-trap'])
      expect(await ids({ after: '2025-03-16' })).toEqual([])
    })

    it('A-14: a malformed date is 400 invalid_request', async () => {
      await expect(list({ before: '2025-02-30' })).rejects.toBeInstanceOf(InvalidRequest)
      await expect(list({ after: '2025-01-15T00:00:00Z' })).rejects.toBeInstanceOf(InvalidRequest)
    })

    it('R3-01-10.5.4-07 cds_account_ids', async () => {
      expect(await ids({ cds_account_ids: 'acct-2' })).toEqual(['bs-other'])
    })

    it('R3-01-10.5.4-08, A-13: account_numbers matches the number at issuance, only when numbers are visible', async () => {
      expect(await ids({ account_numbers: 'B-200 Z-1' })).toEqual(['bs-other'])
      expect(await ids({ account_numbers: 'B-200' }, ['include_bill_statement_files'])).toEqual([])
    })

    it('R3-01-10.5.4-09: filters intersect', async () => {
      expect(await ids({ cds_account_ids: 'acct-1', after: '2025-01-12', before: '2025-02-28', account_numbers: 'A-100 B-200' })).toEqual([
        'bs-external',
        'bs-float-trap',
      ])
      expect(await ids({ cds_account_ids: 'acct-2', account_numbers: 'A-100' })).toEqual([])
    })
  })
})

// 105 statements of one account over a few dates, with modified-instant ties down to microseconds.
const PAGED = Array.from({ length: 105 }, (_, i) =>
  statement(`pg-${String(i).padStart(3, '0')}`, `2024-0${1 + (i % 3)}-01`, {
    cds_account_id: 'acct-p',
    cds_modified: `2024-06-01T00:00:0${i % 4}.${String((i % 2) * 5).padStart(6, '0')}Z`,
  }),
)
const PAGED_ORDER = [...PAGED]
  .sort(
    (a, b) =>
      b.statement_date.localeCompare(a.statement_date) ||
      String(b.cds_modified).localeCompare(String(a.cds_modified)) ||
      (a.cds_billstatement_id < b.cds_billstatement_id ? -1 : 1),
  )
  .map((row) => row.cds_billstatement_id)

forEachDialect('CDS-WG3-01 §10.5.4 Listing Bill Statements: pagination', (t) => {
  beforeAll(async () => {
    await t.db
      .insertInto('accounts')
      .values({ cds_account_id: 'acct-p', account_number: 'P', account_status: 'active', cds_modified: STAMPS.cds_created, ...STAMPS })
      .execute()
    await t.db.insertInto('bill_statements').values(PAGED).execute()
  })
  const page = (query: BillStatementListingQuery, cursor?: KeyCursor) =>
    billStatementsListing.list({
      db: t.db,
      config: CONFIG,
      access: fakeAccess({ visible: { bill_statement: PAGED.map((row) => row.cds_billstatement_id) } }),
      query,
      cursor,
      now: new Date(),
    })
  const viaUrl = (cursor: KeyCursor | null) => decodeKeyCursor(encodeKeyCursor(cursor!), billStatementsListing.sortKeys)
  const ids = (items: Record<string, unknown>[]) => items.map((s) => s.cds_billstatement_id)

  it('R3-01-10.5.4-02, -03: pages of 100 and 5, forward and back, sortKeys matching the cursor', async () => {
    expect(billStatementsListing.sortKeys).toBe(3)
    const access = fakeAccess({ visible: { bill_statement: PAGED.map((row) => row.cds_billstatement_id) } })
    const walk = await walkListing(billStatementsListing, { db: t.db, config: CONFIG, access, query: {}, now: new Date() }, 'cds_billstatement_id')
    expect(walk.forward.map((ids) => ids.length)).toEqual([100, 5])
    expectPages(walk, PAGED_ORDER)
  })

  it('filters stay applied across pages', async () => {
    const query = { after: '2024-02-01' }
    const expected = PAGED_ORDER.filter((id) => PAGED.find((row) => row.cds_billstatement_id === id)?.statement_date !== '2024-01-01')
    const first = await page(query)
    expect(first.next).toBeNull()
    expect(ids(first.items)).toEqual(expected)
    const narrow = await page({ cds_account_ids: 'acct-p' })
    const rest = await page({ cds_account_ids: 'acct-p' }, viaUrl(narrow.next))
    expect([...ids(narrow.items), ...ids(rest.items)]).toEqual(PAGED_ORDER)
  })
})
