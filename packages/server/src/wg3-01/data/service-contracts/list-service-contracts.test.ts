import { Decimal, stringifyJson, type ServiceContractListingQuery } from '@cds-ts/schema'
import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import { expectPages, walkListing } from '../../../../test/listing-walk.js'
import { defaultConfig } from '../../../config/defaults.js'
import type { AccountsTable, ServiceContractsTable } from '../../../db/database.js'
import { toJsonText } from '../../../db/json-text.js'
import type { KeyCursor } from '../../../shared/pagination.js'
import type { IncludeField } from '../types.js'
import { serviceContractsListing } from './list-service-contracts.js'

const CONFIG = defaultConfig('https://utility.example')
const STAMPS = { cds_created: new Date('2025-01-01T00:00:00Z'), cds_synced: new Date('2025-03-10T00:00:00Z') }
const ACCOUNTS: Insertable<AccountsTable>[] = [
  { cds_account_id: 'acct-A', account_number: 'A-1', account_status: 'active', cds_modified: new Date('2025-01-01T00:00:00Z'), ...STAMPS },
  { cds_account_id: 'acct-B', account_number: 'A-2', account_status: 'closed', cds_modified: new Date('2025-01-01T00:00:00Z'), ...STAMPS },
]

const ENTITY = { id: 'ent-1', types: ['distributor', 'supplier'], entity_number: 'US-XX-IOU', entity_name: 'Example Utility', entity_abbreviation: 'EU' }
const PROGRAM = {
  id: 'sp-1',
  program_number: 'DR-1',
  types: ['credit_bank', 'demand_response'],
  name: 'Peak rewards',
  description: 'Credits for lowering use at peak times.',
  documentation: 'https://utility.example/programs/dr',
  balance: Decimal.from('3.250'),
  units: 'kWh',
  pnode: 'PNODE-7',
  automated: true,
}

function contract(id: string, account: string, day: string, fields: Partial<Insertable<ServiceContractsTable>> = {}): Insertable<ServiceContractsTable> {
  return {
    cds_servicecontract_id: id,
    cds_account_id: account,
    contract_status: 'active',
    contract_types: toJsonText(['utility_service']),
    service_types: toJsonText(['electric']),
    cds_modified: new Date(`2025-03-${day}T08:00:00Z`),
    ...STAMPS,
    ...fields,
  }
}

const ROWS: Insertable<ServiceContractsTable>[] = [
  contract('sc-hidden', 'acct-A', '06', { contract_number: 'SC-999', contract_address: '1 Elm St' }),
  contract('sc-01', 'acct-A', '05', {
    contract_number: 'SC-100',
    contract_address: '1 Elm St\nUnit 2',
    contract_types: toJsonText(['utility_service', 'billed_monthly']),
    contract_entity: toJsonText(ENTITY),
    contract_start: '2024-01-01',
    service_types: toJsonText(['electric', 'distribution', 'supply']),
    rateplan_code: 'E-TOU-C',
    rateplan_name: 'Time of Use',
    service_programs: toJsonText([PROGRAM]),
    program_numbers: toJsonText(['DR-1']),
  }),
  contract('sc-02', 'acct-B', '03', {
    contract_types: toJsonText(['project']),
    contract_status: 'closed',
    contract_end: '2024-06-30',
    service_types: toJsonText(['water']),
  }),
  contract('sc-03', 'acct-A', '03', {
    contract_number: 'SC-300',
    contract_status: 'paused',
    contract_start: '2023-05-01',
    service_types: toJsonText(['natural_gas', 'metered']),
    rateplan_code: 'G1',
    rateplan_name: 'Gas Residential',
  }),
]
const VISIBLE = ['sc-01', 'sc-02', 'sc-03']
const ALL_GATES: IncludeField[] = [
  'include_account_numbers',
  'include_contract_numbers',
  'include_service_contract_details',
  'include_rate_plans',
  'include_service_programs',
]

forEachDialect('CDS-WG3-01 §10.2.7 Listing Service Contracts', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('accounts').values(ACCOUNTS).execute()
    await t.db.insertInto('service_contracts').values(ROWS).execute()
  })

  const list = (query: ServiceContractListingQuery = {}, includes: IncludeField[] = [], visible = VISIBLE, cursor?: KeyCursor) =>
    serviceContractsListing.list({
      db: t.db,
      config: CONFIG,
      // The Accounts are not visible: the contracts still name them and copy their number.
      access: fakeAccess({ visible: { service_contract: visible }, includes }),
      query,
      cursor,
      now: new Date(),
    })
  const ids = async (query: ServiceContractListingQuery, includes: IncludeField[] = []) =>
    (await list(query, includes)).items.map((c) => c.cds_servicecontract_id)
  const byId = async (includes: IncludeField[]) => new Map((await list({}, includes)).items.map((c) => [c.cds_servicecontract_id, c]))

  describe('R3-01-10.2.1-01 fields', () => {
    it('with every gate off, only the always-present fields', async () => {
      expect((await byId([])).get('sc-02')).toEqual({
        cds_servicecontract_id: 'sc-02',
        cds_created: '2025-01-01T00:00:00Z',
        cds_modified: '2025-03-03T08:00:00Z',
        cds_synced: '2025-03-10T00:00:00Z',
        cds_account_id: 'acct-B',
        contract_types: ['project'],
        contract_status: 'closed',
        service_types: ['water'],
      })
    })

    it('include_account_numbers adds the Account number, also for an Account the token cannot list', async () => {
      const contracts = await byId(['include_account_numbers'])
      expect(contracts.get('sc-02')).toMatchObject({ cds_account_id: 'acct-B', account_number: 'A-2' })
      expect(contracts.get('sc-01')).toMatchObject({ account_number: 'A-1' })
      expect(contracts.get('sc-01')).not.toHaveProperty('contract_number')
    })

    it('R3-01-10.2.1-02, -04 include_contract_numbers adds number and entity, null when unknown', async () => {
      const contracts = await byId(['include_contract_numbers'])
      expect(contracts.get('sc-01')).toMatchObject({ contract_number: 'SC-100', contract_entity: ENTITY })
      expect(contracts.get('sc-02')).toMatchObject({ contract_number: null, contract_entity: null })
      expect(contracts.get('sc-01')).not.toHaveProperty('account_number')
    })

    it('R3-01-10.2.1-05 include_service_contract_details: address and start absent when unknown, end null while ongoing', async () => {
      const contracts = await byId(['include_service_contract_details'])
      expect(contracts.get('sc-01')).toMatchObject({ contract_address: '1 Elm St\nUnit 2', contract_start: '2024-01-01', contract_end: null })
      const ended = contracts.get('sc-02')!
      expect(ended.contract_end).toBe('2024-06-30')
      expect(ended).not.toHaveProperty('contract_address')
      expect(ended).not.toHaveProperty('contract_start')
    })

    it('include_rate_plans adds the rate plan when known', async () => {
      const contracts = await byId(['include_rate_plans'])
      expect(contracts.get('sc-01')).toMatchObject({ rateplan_code: 'E-TOU-C', rateplan_name: 'Time of Use' })
      expect(contracts.get('sc-02')).not.toHaveProperty('rateplan_code')
      expect(contracts.get('sc-02')).not.toHaveProperty('rateplan_name')
    })

    it('R3-01-10.2.1-06 include_service_programs adds the programs, [] when none, with exact decimals', async () => {
      const contracts = await byId(['include_service_programs'])
      expect(contracts.get('sc-02')!.service_programs).toEqual([])
      const text = stringifyJson(contracts.get('sc-01')!.service_programs)
      expect(text).toContain('"balance":3.250,')
      expect(JSON.parse(text)).toEqual([{ ...PROGRAM, balance: 3.25 }])
    })

    it('every gate on: the exact object, fields in §10.2.1 order', async () => {
      expect(stringifyJson((await byId(ALL_GATES)).get('sc-03'))).toBe(
        '{"cds_servicecontract_id":"sc-03","cds_created":"2025-01-01T00:00:00Z","cds_modified":"2025-03-03T08:00:00Z",' +
          '"cds_synced":"2025-03-10T00:00:00Z","cds_account_id":"acct-A","account_number":"A-1","contract_number":"SC-300",' +
          '"contract_types":["utility_service"],"contract_entity":null,"contract_status":"paused","contract_start":"2023-05-01",' +
          '"contract_end":null,"service_types":["natural_gas","metered"],"rateplan_code":"G1","rateplan_name":"Gas Residential",' +
          '"service_programs":[]}',
      )
    })
  })

  describe('R3-01-10.2.7-12 ordering and visibility', () => {
    it('only visible contracts, cds_modified newest first, equal instants by id ascending (A-15)', async () => {
      expect(await ids({})).toEqual(['sc-01', 'sc-02', 'sc-03'])
    })

    it('R3-01-10.2.7-01 nothing visible: an empty page with no links', async () => {
      expect(await list({}, [], [])).toEqual({ items: [], next: null, previous: null })
    })
  })

  describe('R3-01-10.2.7-04..-11 filters', () => {
    it('cds_servicecontract_ids: any of the listed ids, never a hidden one', async () => {
      expect(await ids({ cds_servicecontract_ids: 'sc-03 sc-hidden sc-01' })).toEqual(['sc-01', 'sc-03'])
    })

    it('R3-01-10.2.7-05 account_numbers, the owning Account number, when visible (A-13)', async () => {
      expect(await ids({ account_numbers: 'A-2' }, ['include_account_numbers'])).toEqual(['sc-02'])
      expect(await ids({ account_numbers: 'A-1' }, ['include_account_numbers'])).toEqual(['sc-01', 'sc-03'])
      expect(await ids({ account_numbers: 'A-1 A-2' }, ['include_contract_numbers'])).toEqual([])
    })

    it('R3-01-10.2.7-06 contract_numbers, when visible (A-13); a hidden contract is never confirmed', async () => {
      expect(await ids({ contract_numbers: 'SC-100 SC-999' }, ['include_contract_numbers'])).toEqual(['sc-01'])
      expect(await ids({ contract_numbers: 'SC-100' }, ['include_account_numbers'])).toEqual([])
    })

    it('R3-01-10.2.7-07 contract_statuses; unknown values match nothing (A-14)', async () => {
      expect(await ids({ contract_statuses: 'active paused' })).toEqual(['sc-01', 'sc-03'])
      expect(await ids({ contract_statuses: 'bogus' })).toEqual([])
    })

    it('R3-01-10.2.7-08 contract_types: any type of the contract matches any value', async () => {
      expect(await ids({ contract_types: 'billed_monthly project' })).toEqual(['sc-01', 'sc-02'])
      expect(await ids({ contract_types: 'utility_service' })).toEqual(['sc-01', 'sc-03'])
    })

    it('R3-01-10.2.7-09 service_types: any type matches', async () => {
      expect(await ids({ service_types: 'supply water' })).toEqual(['sc-01', 'sc-02'])
    })

    it('R3-01-10.2.7-11 filters intersect', async () => {
      expect(await ids({ service_types: 'electric natural_gas', contract_statuses: 'paused' })).toEqual(['sc-03'])
      expect(await ids({ contract_types: 'project', service_types: 'electric' })).toEqual([])
    })

    it('R3-01-10.2.7-10 q: case-insensitive substring of the visible searchable fields', async () => {
      expect(await ids({ q: 'SC-0' })).toEqual(VISIBLE)
      expect(await ids({ q: 'elm st' }, ['include_service_contract_details'])).toEqual(['sc-01'])
      expect(await ids({ q: 'TIME OF' }, ['include_rate_plans'])).toEqual(['sc-01'])
      expect(await ids({ q: 'g1' }, ['include_rate_plans'])).toEqual(['sc-03'])
      expect(await ids({ q: 'dr-1' }, ['include_service_programs'])).toEqual(['sc-01'])
      expect(await ids({ q: 'a-2' }, ['include_account_numbers'])).toEqual(['sc-02'])
      expect(await ids({ q: 'sc-3' }, ['include_contract_numbers'])).toEqual(['sc-03'])
    })

    it('q never searches a gated-off field', async () => {
      const others = (gate: IncludeField) => ALL_GATES.filter((g) => g !== gate)
      expect(await ids({ q: 'elm' }, others('include_service_contract_details'))).toEqual([])
      expect(await ids({ q: 'time of' }, others('include_rate_plans'))).toEqual([])
      expect(await ids({ q: 'dr-1' }, others('include_service_programs'))).toEqual([])
      expect(await ids({ q: 'a-2' }, others('include_account_numbers'))).toEqual([])
      expect(await ids({ q: 'sc-3' }, others('include_contract_numbers'))).toEqual([])
    })
  })
})

// 230 contracts of one Account, ties in pairs: pages of 100/100/30 (catalog §1.7, A-09, A-15).
const PAGED = Array.from({ length: 230 }, (_, i) =>
  contract(`page-${String(i).padStart(3, '0')}`, 'acct-A', '02', {
    cds_modified: new Date(Date.UTC(2025, 2, 2, 8, 0, 0, Math.floor(i / 2))),
  }),
)
const PAGED_ORDER = [...PAGED]
  .sort((a, b) => (b.cds_modified as Date).getTime() - (a.cds_modified as Date).getTime() || (a.cds_servicecontract_id < b.cds_servicecontract_id ? -1 : 1))
  .map((row) => row.cds_servicecontract_id)

forEachDialect('CDS-WG3-01 §10.2.7 Listing Service Contracts: pagination', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('accounts').values(ACCOUNTS).execute()
    await t.db.insertInto('service_contracts').values(PAGED).execute()
  })
  it('R3-01-10.2.7-02, -03 pages of 100, 100 and 30, walked forward and back', async () => {
    const access = fakeAccess({ visible: { service_contract: PAGED.map((row) => row.cds_servicecontract_id) } })
    const walk = await walkListing(serviceContractsListing, { db: t.db, config: CONFIG, access, query: {}, now: new Date() }, 'cds_servicecontract_id')
    expect(walk.forward.map((ids) => ids.length)).toEqual([100, 100, 30])
    expectPages(walk, PAGED_ORDER)
  })
})
