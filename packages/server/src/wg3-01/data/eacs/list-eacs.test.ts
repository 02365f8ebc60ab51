import { InvalidRequest } from '@cds-ts/auth'
import type { EacListingQuery } from '@cds-ts/schema'
import type { Insertable } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { fakeAccess, type FakeAccessOptions } from '../../../../test/data-access-fake.js'
import { forEachDialect } from '../../../../test/dialects.js'
import { expectPages, walkListing } from '../../../../test/listing-walk.js'
import { defaultConfig } from '../../../config/defaults.js'
import type { EacsTable } from '../../../db/database.js'
import { toJsonText } from '../../../db/json-text.js'
import type { KeyCursor } from '../../../shared/pagination.js'
import type { IncludeField } from '../types.js'
import { eacsListing } from './list-eacs.js'

const CONFIG = defaultConfig('https://utility.example')
const STAMPS = { cds_modified: '2025-04-02T00:00:00Z', cds_synced: '2025-04-03T00:00:00Z' }

function eac(id: string, type: string, beneficiaries: string[], start: string, end: string, created: string, fields: Partial<Insertable<EacsTable>> = {}): Insertable<EacsTable> {
  return {
    cds_eac_id: id,
    beneficiary_type: type,
    beneficiaries: toJsonText(beneficiaries),
    eac_format: 'energytag_api_v1',
    eac_data_url: `https://eacs.utility.example/${id}`,
    period_start: start,
    period_end: end,
    cds_created: created,
    ...STAMPS,
    ...fields,
  }
}

const ROWS: Insertable<EacsTable>[] = [
  eac('eac-acct', 'account', ['acct-hidden', 'acct-1'], '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z', '2025-03-02T00:00:00Z', {
    eac_numbers: toJsonText(['REG-1', 'REG-2']),
  }),
  eac('eac-sc', 'servicecontract', ['sc-1', 'sc-hidden'], '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z', '2025-03-02T00:00:00Z'),
  eac('eac-cust', 'customer', ['CUST-1', 'CUST-9'], '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z', '2025-03-03T00:00:00Z'),
  eac('eac-rate', 'rateplan', ['E-TOU-C', 'E-HIDDEN'], '2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z', '2025-02-02T00:00:00Z'),
  eac('eac-prog', 'program', ['SOLAR-2', 'CARE-7', 'HIDE-1'], '2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', '2025-01-02T00:00:00Z'),
  eac('eac-gen', 'general', [], '2025-04-01T00:00:00.000001Z', '2025-05-01T00:00:00Z', '2025-04-01T00:00:00Z'),
  // A beneficiary type this server does not know: nothing in it can be shown.
  eac('eac-unknown', 'future_type', ['acct-1'], '2024-12-01T00:00:00Z', '2025-01-01T00:00:00Z', '2024-12-02T00:00:00Z'),
  // §10.9.1: eac_data_url is REQUIRED; a row without one is not published.
  eac('eac-nourl', 'general', [], '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z', '2025-03-02T00:00:00Z', { eac_data_url: null }),
  eac('eac-hidden', 'general', [], '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z', '2025-03-02T00:00:00Z'),
]
const VISIBLE: FakeAccessOptions['visible'] = {
  eac: ROWS.map((row) => row.cds_eac_id).filter((id) => id !== 'eac-hidden'),
  account: ['acct-1'],
  service_contract: ['sc-1'],
}
const ORDER = ['eac-gen', 'eac-cust', 'eac-acct', 'eac-sc', 'eac-rate', 'eac-prog', 'eac-unknown']
const NUMBER_GATES: IncludeField[] = ['include_account_numbers', 'include_rate_plans', 'include_account_programs', 'include_service_programs']

forEachDialect('CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates', (t) => {
  beforeAll(async () => {
    await t.db
      .insertInto('accounts')
      .values([
        { cds_account_id: 'acct-1', customer_number: 'CUST-1', account_number: 'A-1', program_numbers: toJsonText(['CARE-7']) },
        { cds_account_id: 'acct-hidden', customer_number: 'CUST-9', account_number: 'A-9', program_numbers: toJsonText(['HIDE-1']) },
      ].map((row) => ({ ...row, account_status: 'active', cds_created: STAMPS.cds_modified, ...STAMPS })))
      .execute()
    await t.db
      .insertInto('service_contracts')
      .values([
        { cds_servicecontract_id: 'sc-1', cds_account_id: 'acct-1', rateplan_code: 'E-TOU-C', program_numbers: toJsonText(['SOLAR-2']) },
        { cds_servicecontract_id: 'sc-hidden', cds_account_id: 'acct-hidden', rateplan_code: 'E-HIDDEN', program_numbers: toJsonText(['HIDE-1']) },
      ].map((row) => ({ ...row, contract_status: 'active', cds_created: STAMPS.cds_modified, ...STAMPS })))
      .execute()
    await t.db.insertInto('eacs').values(ROWS).execute()
  })

  const list = (query: EacListingQuery = {}, includes: IncludeField[] = NUMBER_GATES, visible = VISIBLE) =>
    eacsListing.list({ db: t.db, config: CONFIG, access: fakeAccess({ visible, includes }), query, cursor: undefined, now: new Date() })
  const ids = async (query: EacListingQuery, includes?: IncludeField[]) => (await list(query, includes)).items.map((e) => e.cds_eac_id)
  const beneficiaries = async (id: string, includes?: IncludeField[]) => (await list({ cds_eac_ids: id }, includes)).items[0]?.beneficiaries

  describe('R3-01-10.9.1 EAC object', () => {
    it('R3-01-10.9.1-01: every field', async () => {
      expect((await list({ cds_eac_ids: 'eac-acct' })).items).toEqual([
        {
          cds_eac_id: 'eac-acct',
          cds_created: '2025-03-02T00:00:00Z',
          cds_modified: '2025-04-02T00:00:00Z',
          cds_synced: '2025-04-03T00:00:00Z',
          beneficiary_type: 'account',
          beneficiaries: ['acct-1'],
          eac_numbers: ['REG-1', 'REG-2'],
          eac_format: 'energytag_api_v1',
          eac_data_url: 'https://eacs.utility.example/eac-acct',
          period_start: '2025-03-01T00:00:00Z',
          period_end: '2025-04-01T00:00:00Z',
        },
      ])
    })

    it('R3-01-10.9.1-02: eac_numbers is [] when there are none', async () => {
      expect((await list({ cds_eac_ids: 'eac-sc' })).items[0]?.eac_numbers).toEqual([])
    })

    it('R3-01-10.9.2-03, -04: account and servicecontract beneficiaries are only visible objects', async () => {
      expect(await beneficiaries('eac-acct')).toEqual(['acct-1'])
      expect(await beneficiaries('eac-sc')).toEqual(['sc-1'])
    })

    it('R3-01-10.9.2-02, A-40: customer numbers only of visible Accounts, and only with include_account_numbers', async () => {
      expect(await beneficiaries('eac-cust')).toEqual(['CUST-1'])
      expect(await beneficiaries('eac-cust', [])).toEqual([])
    })

    it('R3-01-10.9.2-05, A-40: rate plans only of visible Service Contracts, and only with include_rate_plans', async () => {
      expect(await beneficiaries('eac-rate')).toEqual(['E-TOU-C'])
      expect(await beneficiaries('eac-rate', ['include_account_numbers'])).toEqual([])
    })

    it('R3-01-10.9.2-06, A-40: program numbers of visible programs, in stored order', async () => {
      expect(await beneficiaries('eac-prog')).toEqual(['SOLAR-2', 'CARE-7'])
      expect(await beneficiaries('eac-prog', ['include_account_programs'])).toEqual(['CARE-7'])
      expect(await beneficiaries('eac-prog', ['include_service_programs'])).toEqual(['SOLAR-2'])
      expect(await beneficiaries('eac-prog', [])).toEqual([])
    })

    it('R3-01-10.9.2-07: general lists nobody; an unknown beneficiary type shows nothing', async () => {
      expect(await beneficiaries('eac-gen')).toEqual([])
      expect(await beneficiaries('eac-unknown')).toEqual([])
    })
  })

  describe('R3-01-10.9.4 filters and order', () => {
    it('R3-01-10.9.4-01, -11: visible, complete EACs; period_start desc, cds_created desc, id asc', async () => {
      expect(await ids({})).toEqual(ORDER)
    })

    it('R3-01-10.9.4-04 cds_eac_ids', async () => {
      expect(await ids({ cds_eac_ids: 'eac-prog eac-hidden eac-nourl eac-gen' })).toEqual(['eac-gen', 'eac-prog'])
    })

    it('R3-01-10.9.4-05: eac_numbers matches any element', async () => {
      expect(await ids({ eac_numbers: 'REG-2 NOPE' })).toEqual(['eac-acct'])
      expect(await ids({ eac_numbers: 'NOPE' })).toEqual([])
    })

    it('R3-01-10.9.4-06, A-13: beneficiaries matches any visible beneficiary, whatever its type', async () => {
      expect(await ids({ beneficiaries: 'acct-1 sc-1 E-TOU-C' })).toEqual(['eac-acct', 'eac-sc', 'eac-rate'])
      expect(await ids({ beneficiaries: 'acct-hidden CUST-9 HIDE-1 E-HIDDEN' })).toEqual([])
      expect(await ids({ beneficiaries: 'CUST-1' })).toEqual(['eac-cust'])
      expect(await ids({ beneficiaries: 'CUST-1' }, [])).toEqual([])
    })

    it('R3-01-10.9.4-08, -09: before compares period_start, after period_end, both inclusive', async () => {
      expect(await ids({ before: '2025-03-01T00:00:00Z' })).toEqual(['eac-cust', 'eac-acct', 'eac-sc', 'eac-rate', 'eac-prog', 'eac-unknown'])
      expect(await ids({ after: '2025-04-01T00:00:00Z' })).toEqual(['eac-gen', 'eac-cust', 'eac-acct', 'eac-sc'])
      expect(await ids({ after: '2025-02-15T00:00:00Z', before: '2025-02-20T00:00:00+01:00' })).toEqual(['eac-rate'])
      expect(await ids({ before: '2025-04-01T00:00:00Z' })).not.toContain('eac-gen')
    })

    it('A-14: a malformed datetime (or a bare date) is 400 invalid_request', async () => {
      await expect(list({ before: '2025-03-01' })).rejects.toBeInstanceOf(InvalidRequest)
      await expect(list({ after: 'yesterday' })).rejects.toBeInstanceOf(InvalidRequest)
    })

    it('R3-01-10.9.4-10: filters intersect', async () => {
      expect(await ids({ beneficiaries: 'acct-1 sc-1', before: '2025-03-01T00:00:00Z', eac_numbers: 'REG-1' })).toEqual(['eac-acct'])
      expect(await ids({ beneficiaries: 'sc-1', eac_numbers: 'REG-1' })).toEqual([])
    })
  })
})

const PAGED = Array.from({ length: 105 }, (_, i) =>
  eac(
    `pg-${String(i).padStart(3, '0')}`,
    'general',
    [],
    `2025-01-0${1 + (i % 3)}T00:00:00.00000${i % 2}Z`,
    '2025-06-01T00:00:00Z',
    `2025-01-01T00:00:00.00000${i % 4}Z`,
  ),
)
const PAGED_ORDER = [...PAGED]
  .sort(
    (a, b) =>
      String(b.period_start).localeCompare(String(a.period_start)) ||
      String(b.cds_created).localeCompare(String(a.cds_created)) ||
      (a.cds_eac_id < b.cds_eac_id ? -1 : 1),
  )
  .map((row) => row.cds_eac_id)

forEachDialect('CDS-WG3-01 §10.9.4 Listing Energy Attribute Certificates: pagination', (t) => {
  beforeAll(async () => {
    await t.db.insertInto('eacs').values(PAGED).execute()
  })
  const page = (query: EacListingQuery, cursor?: KeyCursor) =>
    eacsListing.list({ db: t.db, config: CONFIG, access: fakeAccess({ visible: { eac: PAGED.map((row) => row.cds_eac_id) } }), query, cursor, now: new Date() })

  it('R3-01-10.9.4-02, -03: pages of 100 and 5 in the exact order, forward and back, filters kept', async () => {
    expect(eacsListing.sortKeys).toBe(3)
    const query = { after: '2025-05-01T00:00:00Z' }
    const access = fakeAccess({ visible: { eac: PAGED.map((row) => row.cds_eac_id) } })
    const walk = await walkListing(eacsListing, { db: t.db, config: CONFIG, access, query: query, now: new Date() }, 'cds_eac_id')
    expect(walk.forward.map((ids) => ids.length)).toEqual([100, 5])
    expectPages(walk, PAGED_ORDER)
    expect((await page({ before: '2024-12-31T00:00:00Z' })).items).toEqual([])
  })
})
