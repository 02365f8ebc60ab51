import { Decimal, stringifyJson, type AccountListingQuery } from '@cds-ts/schema'
import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess, type FakeAccessOptions } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import { expectPages, walkListing } from '../../../../test/listing-walk.js'
import { defaultConfig } from '../../../config/defaults.js'
import type { AccountsTable } from '../../../db/database.js'
import { toJsonText } from '../../../db/json-text.js'
import type { KeyCursor } from '../../../shared/pagination.js'
import type { IncludeField } from '../types.js'
import { accountsListing } from './list-accounts.js'

const CONFIG = defaultConfig('https://utility.example')
const AT = (day: string) => new Date(`2025-03-${day}T08:00:00Z`)

const ENTITY = { id: 'ent-1', types: ['distributor', 'supplier'], entity_number: 'US-XX-IOU', entity_name: 'Example Utility', entity_abbreviation: null }
const PROGRAM = {
  id: 'prog-1',
  program_number: 'CARE-7',
  types: ['credit_bank', 'active'],
  name: 'Community solar credit',
  description: 'Bill credits from a community solar garden.',
  documentation: 'https://utility.example/programs/care',
  balance: Decimal.from('12.50'),
  currency: 'USD',
}

function account(id: string, day: string, fields: Partial<Insertable<AccountsTable>> = {}): Insertable<AccountsTable> {
  return {
    cds_account_id: id,
    account_number: `N-${id}`,
    account_status: 'active',
    cds_created: new Date('2025-01-01T00:00:00Z'),
    cds_modified: AT(day),
    cds_synced: new Date('2025-03-10T00:00:00.500Z'),
    ...fields,
  }
}

const ROWS: Insertable<AccountsTable>[] = [
  account('acct-hidden', '06', { account_number: 'A-9999', customer_number: 'C-100', account_name: 'Secret Main' }),
  account('acct-01', '05', {
    customer_number: 'C-100',
    account_number: 'A-1001',
    account_entity: toJsonText(ENTITY),
    account_name: 'Ada Lovelace',
    account_address: '123 Main St\nSpringfield',
    account_types: toJsonText(['residential']),
    account_contacts: toJsonText([{ id: 'con-1', types: ['email', 'primary'], value: 'ada@example.com' }]),
    account_programs: toJsonText([PROGRAM]),
    program_numbers: toJsonText(['CARE-7']),
  }),
  account('acct-02', '04', { cds_account_parent: 'acct-01', account_number: 'A-1002', account_status: 'closed' }),
  account('acct-03', '04', {
    cds_account_parent: 'acct-hidden',
    customer_number: 'C-100',
    account_number: 'A-1003',
    account_name: 'Grace Hopper',
    account_address: '9 Harbor Rd',
    account_types: toJsonText(['commercial', 'billed_monthly']),
    account_status: 'suspended',
    account_contacts: toJsonText([{ id: 'con-2', types: ['phone_number', 'mobile'], value: '+15554443333' }]),
  }),
  account('acct-04', '01', { customer_number: 'C-200', account_number: 'A-1004', account_name: 'Main Street Bakery', account_types: toJsonText(['commercial']) }),
]
const VISIBLE = ['acct-01', 'acct-02', 'acct-03', 'acct-04']
const ALL_GATES: IncludeField[] = ['include_account_numbers', 'include_account_details', 'include_account_programs']

forEachDialect('CDS-WG3-01 §10.1.10 Listing Accounts', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('accounts').values(ROWS).execute()
  })

  const list = (query: AccountListingQuery = {}, includes: IncludeField[] = [], options: Partial<FakeAccessOptions> = {}, cursor?: KeyCursor) =>
    accountsListing.list({
      db: t.db,
      config: CONFIG,
      access: fakeAccess({ visible: { account: VISIBLE }, includes, ...options }),
      query,
      cursor,
      now: new Date(),
    })
  const ids = async (query: AccountListingQuery, includes: IncludeField[] = []) => (await list(query, includes)).items.map((a) => a.cds_account_id)
  const byId = async (includes: IncludeField[]) => new Map((await list({}, includes)).items.map((a) => [a.cds_account_id, a]))

  describe('R3-01-10.1.1-01 fields', () => {
    it('with every gate off, only the always-present fields', async () => {
      const accounts = await byId([])
      expect(accounts.get('acct-01')).toEqual({
        cds_account_id: 'acct-01',
        cds_created: '2025-01-01T00:00:00Z',
        cds_modified: '2025-03-05T08:00:00Z',
        cds_synced: '2025-03-10T00:00:00.500Z',
        cds_account_parent: null,
      })
    })

    it('include_account_numbers adds the numbers and the entity; unknown ones are null', async () => {
      const accounts = await byId(['include_account_numbers'])
      expect(accounts.get('acct-01')).toMatchObject({ customer_number: 'C-100', account_number: 'A-1001', account_entity: ENTITY })
      expect(accounts.get('acct-02')).toMatchObject({ customer_number: null, account_number: 'A-1002', account_entity: null })
      expect(accounts.get('acct-01')).not.toHaveProperty('account_name')
    })

    it('include_account_details adds name, address, types, status and contacts; unknown ones are absent (A-02, A-20)', async () => {
      const accounts = await byId(['include_account_details'])
      expect(accounts.get('acct-01')).toMatchObject({
        account_name: 'Ada Lovelace',
        account_address: '123 Main St\nSpringfield',
        account_types: ['residential'],
        account_status: 'active',
        account_contacts: [{ id: 'con-1', types: ['email', 'primary'], value: 'ada@example.com' }],
      })
      const bare = accounts.get('acct-02')!
      expect(Object.keys(bare).sort()).toEqual(
        ['account_contacts', 'account_status', 'cds_account_id', 'cds_account_parent', 'cds_created', 'cds_modified', 'cds_synced'].sort(),
      )
      expect(bare).toMatchObject({ account_status: 'closed', account_contacts: [] })
      expect(accounts.get('acct-01')).not.toHaveProperty('account_number')
    })

    it('R3-01-10.1.1-09 include_account_programs adds the programs, [] when none, with exact decimals', async () => {
      const accounts = await byId(['include_account_programs'])
      expect(accounts.get('acct-02')!.account_programs).toEqual([])
      // jsonb keeps the digits (12.50 stays 12.50) but not the key order, which JSON does not fix.
      const text = stringifyJson(accounts.get('acct-01')!.account_programs)
      expect(text).toContain('"balance":12.50,')
      expect(JSON.parse(text)).toEqual([{ ...PROGRAM, balance: 12.5 }])
    })

    it('A-16: a Program scope shows only the preselected Program objects', async () => {
      const only = async (numbers: string[]) =>
        (await list({ cds_account_ids: 'acct-01' }, ['include_account_programs'], { programs: { account: new Set(numbers), service: null } })).items[0]?.account_programs
      expect(await only(['CARE-7'])).toHaveLength(1)
      expect(await only(['OTHER'])).toEqual([])
    })

    it('every gate on: the exact object', async () => {
      const accounts = await byId(ALL_GATES)
      expect(stringifyJson(accounts.get('acct-03'))).toBe(
        '{"cds_account_id":"acct-03","cds_created":"2025-01-01T00:00:00Z","cds_modified":"2025-03-04T08:00:00Z",' +
          '"cds_synced":"2025-03-10T00:00:00.500Z","cds_account_parent":null,"customer_number":"C-100","account_number":"A-1003",' +
          '"account_entity":null,"account_name":"Grace Hopper","account_address":"9 Harbor Rd","account_types":["commercial","billed_monthly"],' +
          '"account_status":"suspended","account_contacts":[{"id":"con-2","types":["phone_number","mobile"],"value":"+15554443333"}],' +
          '"account_programs":[]}',
      )
    })

    it('A-06 cds_account_parent names only a parent the token may see', async () => {
      const accounts = await byId([])
      expect(accounts.get('acct-02')!.cds_account_parent).toBe('acct-01')
      expect(accounts.get('acct-03')!.cds_account_parent).toBeNull()
    })
  })

  describe('R3-01-10.1.10-13 ordering and visibility', () => {
    it('only visible Accounts, cds_modified newest first, equal instants by id ascending (A-15)', async () => {
      expect(await ids({})).toEqual(['acct-01', 'acct-02', 'acct-03', 'acct-04'])
    })

    it('R3-01-10.1.10-02 nothing visible: an empty page with no links', async () => {
      expect(await list({}, [], { visible: {} })).toEqual({ items: [], next: null, previous: null })
    })
  })

  describe('R3-01-10.1.10-06..-12 filters', () => {
    it('cds_account_ids: any of the listed ids, never a hidden one', async () => {
      expect(await ids({ cds_account_ids: 'acct-03 acct-01  acct-hidden unknown' })).toEqual(['acct-01', 'acct-03'])
    })

    it('A-14 an empty or blank filter is absent', async () => {
      expect(await ids({ cds_account_ids: '', account_statuses: '  ', q: '' })).toEqual(VISIBLE)
    })

    it('R3-01-10.1.10-07 customer_numbers, when the numbers are visible; a null number never matches', async () => {
      expect(await ids({ customer_numbers: 'C-100 C-200' }, ['include_account_numbers'])).toEqual(['acct-01', 'acct-03', 'acct-04'])
      expect(await ids({ customer_numbers: 'null' }, ['include_account_numbers'])).toEqual([])
    })

    it('R3-01-10.1.10-08 account_numbers matches visible Accounts only', async () => {
      expect(await ids({ account_numbers: 'A-1002 A-9999' }, ['include_account_numbers'])).toEqual(['acct-02'])
    })

    it('A-13 number filters match nothing while the numbers are gated off', async () => {
      expect(await ids({ account_numbers: 'A-1002' }, ['include_account_details'])).toEqual([])
      expect(await ids({ customer_numbers: 'C-100' })).toEqual([])
    })

    it('R3-01-10.1.10-09 account_statuses, also with the details gated off (A-13); unknown values match nothing', async () => {
      expect(await ids({ account_statuses: 'closed suspended' })).toEqual(['acct-02', 'acct-03'])
      expect(await ids({ account_statuses: 'bogus' })).toEqual([])
    })

    it('R3-01-10.1.10-12 filters intersect', async () => {
      expect(await ids({ account_statuses: 'active', customer_numbers: 'C-100' }, ['include_account_numbers'])).toEqual(['acct-01'])
      expect(await ids({ cds_account_ids: 'acct-02 acct-03', account_statuses: 'active' })).toEqual([])
    })

    it('R3-01-10.1.10-10 q: case-insensitive substring of the visible searchable fields', async () => {
      expect(await ids({ q: 'MAIN' }, ALL_GATES)).toEqual(['acct-01', 'acct-04'])
      expect(await ids({ q: 'Acct-0' })).toEqual(VISIBLE)
      expect(await ids({ q: 'c-2' }, ['include_account_numbers'])).toEqual(['acct-04'])
      expect(await ids({ q: 'a-1003' }, ['include_account_numbers'])).toEqual(['acct-03'])
      expect(await ids({ q: 'ADA@example' }, ['include_account_details'])).toEqual(['acct-01'])
      expect(await ids({ q: '5554443' }, ['include_account_details'])).toEqual(['acct-03'])
      expect(await ids({ q: 'care-7' }, ['include_account_programs'])).toEqual(['acct-01'])
    })

    it('R3-01-10.1.10-11 q never searches a gated-off field', async () => {
      expect(await ids({ q: 'main' }, ['include_account_numbers', 'include_account_programs'])).toEqual([])
      expect(await ids({ q: 'ada@example' }, ['include_account_numbers'])).toEqual([])
      expect(await ids({ q: 'A-1003' }, ['include_account_details'])).toEqual([])
      expect(await ids({ q: 'CARE' }, ['include_account_details'])).toEqual([])
    })

    it('A-12 q treats %, _ and JSON punctuation as plain text', async () => {
      expect(await ids({ q: '%' }, ALL_GATES)).toEqual([])
      expect(await ids({ q: '_' }, ALL_GATES)).toEqual([])
      expect(await ids({ q: '"' }, ALL_GATES)).toEqual([])
    })
  })
})

// 230 Accounts, ten per second, whose instants differ below the millisecond and tie in pairs:
// pages of 100/100/30 must visit each exactly once (catalog §1.7, A-09, A-15).
const PAGED = Array.from({ length: 230 }, (_, i) => {
  const second = 59 - Math.floor(i / 10)
  const micros = String((i % 5) * 7).padStart(6, '0')
  return account(`page-${String(i).padStart(3, '0')}`, '02', { cds_modified: `2025-03-02T08:00:${String(second).padStart(2, '0')}.${micros}Z` })
})
const PAGED_ORDER = [...PAGED]
  .map((row) => ({ id: row.cds_account_id, at: String(row.cds_modified) }))
  .sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at < b.at ? 1 : -1))
  .map((row) => row.id)

forEachDialect('CDS-WG3-01 §10.1.10 Listing Accounts: pagination', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('accounts').values(PAGED).execute()
  })

  it('R3-01-10.1.10-03, -04 pages of 100, 100 and 30, walked forward and back', async () => {
    const access = fakeAccess({ visible: { account: PAGED.map((row) => row.cds_account_id) } })
    const walk = await walkListing(accountsListing, { db: t.db, config: CONFIG, access, query: {}, now: new Date() }, 'cds_account_id')
    expect(walk.forward.map((ids) => ids.length)).toEqual([100, 100, 30])
    expectPages(walk, PAGED_ORDER)
  })
})
