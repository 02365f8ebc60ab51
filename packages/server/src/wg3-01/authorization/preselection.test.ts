import type { AuthorizationDetail } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { DEMO_CUSTOMERS, demoDirectory } from '../../customers/demo-customers.js'
import type { DirectoryResource } from '../../customers/directory.js'
import type { ResourceType } from '../../db/database.js'
import { translator } from '../../pages/i18n.js'
import { isTypicalAddress, matchAddress, normalizeInputAddress, normalizeServerAddress } from './address-matching.js'
import { describeRequested, preselect, PRESELECTION_FIELDS } from './preselection.js'

/** The catalog F.0 directory of a demo customer, as `listCustomerResources` returns it. */
function directory(customer_id: string): DirectoryResource[] {
  const customer = DEMO_CUSTOMERS.find((c) => c.customer_id === customer_id)
  if (customer === undefined) throw new Error(customer_id)
  return demoDirectory(customer).map((row) => ({ ...row, created: new Date('2026-01-01T00:00:00Z') }))
}
const CUST_A = directory('CUST-A')
const entry = (fields: Record<string, unknown>) => ({ type: 'cds_x', ...fields }) as AuthorizationDetail
const numbers = (fields: Record<string, unknown>, type: ResourceType, resources = CUST_A) => [...preselect([entry(fields)], type, resources).numbers].sort()

describe('CDS-WG3-01 §7.1 preselection against the F.0 directory (catalog T10)', () => {
  it('§7.1.1 account_numbers: accounts by number, contracts by their account (A-16), _all and _include_future', () => {
    expect(numbers({ account_numbers: ['1111-1'] }, 'account')).toEqual(['1111-1'])
    expect(numbers({ account_numbers: ['1111-1'] }, 'service_contract')).toEqual(['222222', '333333'])
    expect(numbers({ account_numbers: ['_all'] }, 'account')).toEqual(['1000-0', '1111-1', '2222-2'])
    const future = preselect([entry({ account_numbers: ['_include_future'] })], 'account', CUST_A)
    expect(future).toMatchObject({ include_future: true })
    expect([...future.numbers]).toEqual([])
  })

  it('§7.1.2 account_programs', () => {
    expect(numbers({ account_programs: ['CARE'] }, 'account')).toEqual(['1111-1'])
  })

  it('§7.1.3 contract_numbers: contracts, and the accounts that own them', () => {
    expect(numbers({ contract_numbers: ['444444'] }, 'service_contract')).toEqual(['444444'])
    expect(numbers({ contract_numbers: ['444444'] }, 'account')).toEqual(['2222-2'])
    expect(numbers({ contract_numbers: ['_all'] }, 'service_contract')).toEqual(['222222', '333333', '444444'])
  })

  it('§7.1.4 service_types and §7.1.5 service_programs', () => {
    expect(numbers({ service_types: ['electric'] }, 'service_contract')).toEqual(['222222', '444444'])
    expect(numbers({ service_types: ['natural_gas'] }, 'account')).toEqual(['1111-1'])
    expect(numbers({ service_programs: ['DR-1'] }, 'service_contract')).toEqual(['222222'])
  })

  it('§7.1.6 servicepoint_numbers reach the point, its contracts, accounts and meters', () => {
    expect(numbers({ servicepoint_numbers: ['SP-200'] }, 'service_point')).toEqual(['SP-200'])
    expect(numbers({ servicepoint_numbers: ['SP-200'] }, 'service_contract')).toEqual(['333333'])
    expect(numbers({ servicepoint_numbers: ['SP-200'] }, 'account')).toEqual(['1111-1'])
    expect(numbers({ servicepoint_numbers: ['SP-200'] }, 'meter_device')).toEqual(['M-2001'])
    expect(numbers({ servicepoint_numbers: ['_all'] }, 'service_point')).toEqual(['SP-100', 'SP-200', 'SP-300'])
  })

  it('§7.1.7 servicepoint_types and §7.1.8 premise_numbers', () => {
    expect(numbers({ servicepoint_types: ['natural_gas'] }, 'service_point')).toEqual(['SP-200'])
    expect(numbers({ premise_numbers: ['PREM-2'] }, 'service_point')).toEqual(['SP-300'])
    expect(numbers({ premise_numbers: ['PREM-2'] }, 'service_contract')).toEqual(['444444'])
  })

  it('§7.1.9 meter_numbers, §7.1.10 meter_types (A-17), §7.1.11 meter_apps', () => {
    expect(numbers({ meter_numbers: ['M-1001'] }, 'meter_device')).toEqual(['M-1001'])
    expect(numbers({ meter_numbers: ['M-1001'] }, 'service_contract')).toEqual(['222222'])
    expect(numbers({ meter_numbers: ['M-1001'] }, 'account')).toEqual(['1111-1'])
    expect(numbers({ meter_numbers: ['_all'] }, 'meter_device')).toEqual(['M-1001', 'M-2001', 'M-3001'])
    expect(numbers({ meter_types: ['bidirectional'] }, 'meter_device')).toEqual(['M-1001'])
    expect(numbers({ meter_types: ['ami_meter'] }, 'service_point')).toEqual(['SP-100', 'SP-300'])
    expect(numbers({ meter_apps: ['APP-EV'] }, 'meter_device')).toEqual(['M-1001'])
    expect(numbers({ meter_apps: ['APP-EV'] }, 'service_contract')).toEqual(['222222'])
  })

  it('§7.1.12 aggregation_numbers: the aggregation and what it groups', () => {
    expect(numbers({ aggregation_numbers: ['B2222'] }, 'aggregation')).toEqual(['B2222'])
    expect(numbers({ aggregation_numbers: ['B2222'] }, 'service_point')).toEqual(['SP-300'])
    expect(numbers({ aggregation_numbers: ['B2222'] }, 'account')).toEqual(['2222-2'])
  })

  it('§7.1.13 addresses, normalized per §7.1.13.1; an address two resources share matches neither', () => {
    const industrial = ['500 Industrial Way, Anytown, CA 90000']
    expect(numbers({ addresses: industrial }, 'account')).toEqual(['2222-2'])
    expect(numbers({ addresses: industrial }, 'service_contract')).toEqual(['444444'])
    expect(numbers({ addresses: industrial }, 'service_point')).toEqual(['SP-300'])
    expect(numbers({ addresses: industrial }, 'meter_device')).toEqual(['M-3001'])
    expect(numbers({ addresses: industrial }, 'aggregation')).toEqual(['B2222'])
    const main = ['123 main street, ANYTOWN, ca 90000']
    expect(numbers({ addresses: main }, 'account')).toEqual(['1111-1'])
    // SC-1 and SC-2 share 123 Main St: insufficiently unique.
    expect(numbers({ addresses: main }, 'service_contract')).toEqual([])
    // Abbreviations are the server's to expand, not the Client's.
    expect(numbers({ addresses: ['123 Main St, Anytown, CA 90000'] }, 'account')).toEqual([])
  })

  it('R3-01-7.1-03 several fields intersect; null fields do not count', () => {
    expect(numbers({ account_numbers: ['1111-1'], service_types: ['natural_gas'], meter_numbers: null }, 'service_contract')).toEqual(['333333'])
    expect(numbers({ account_numbers: ['2222-2'], service_types: ['natural_gas'] }, 'service_contract')).toEqual([])
    expect(preselect([entry({ account_numbers: null })], 'account', CUST_A).requested).toEqual([])
  })

  it('A-11 TS-9-ERR-03 the error fires only with preselection fields, the flag, and nothing existing matched', () => {
    const custB = directory('CUST-B')
    expect(preselect([entry({ service_types: ['electric'], error_if_no_preselections: true })], 'service_contract', custB).fails).toBe(true)
    const partial = preselect([entry({ account_numbers: ['1111-1', '9999-9'], error_if_no_preselections: true })], 'account', CUST_A)
    expect(partial.fails).toBe(false)
    expect([...partial.numbers]).toEqual(['1111-1'])
    expect(preselect([entry({ account_numbers: ['_include_future'], error_if_no_preselections: true })], 'account', CUST_A).fails).toBe(true)
    expect(preselect([entry({ service_types: ['electric'] })], 'service_contract', custB).fails).toBe(false)
    expect(preselect([entry({ error_if_no_preselections: true })], 'service_contract', custB).fails).toBe(false)
  })

  it('§9.3.1 lists the requested resources in the customer’s words', () => {
    const t = translator('en')
    const requested = preselect([entry({ account_numbers: ['1111-1', '_all'], service_types: ['electric', 'natural_gas'] })], 'account', CUST_A).requested
    expect(describeRequested(requested, t)).toEqual(['Accounts: 1111-1, all of them', 'electric or natural gas services'])
    expect(PRESELECTION_FIELDS).toHaveLength(13)
  })
})

describe('CDS-WG3-01 §7.1.13.1 address matching', () => {
  it('normalizes a Typical Address: name removed, abbreviations written out, lower case, segments joined', () => {
    expect(normalizeServerAddress('Acme Co.\n123 Main  St. #234\nAnytown, CA 90000')).toBe('123 main street unit 234, anytown, ca 90000')
    expect(normalizeServerAddress('  500 Industrial Way\nAnytown, CA 90000 ')).toBe('500 industrial way, anytown, ca 90000')
    expect(isTypicalAddress('42 Oak Ave, Anytown, CA 90000')).toBe(true)
  })

  it('normalizes an Atypical Address and every input address without expanding anything', () => {
    const atypical = 'Acme Farm Irrigation, 12 mi North on FM 5555\n150 ft West into the field'
    expect(isTypicalAddress(atypical)).toBe(false)
    expect(normalizeServerAddress(atypical)).toBe('acme farm irrigation, 12 mi north on fm 5555 150 ft west into the field')
    expect(normalizeInputAddress(' 123 Main  St.\nAnytown ')).toBe('123 main st. anytown')
  })

  it('matches exactly one candidate, or none', () => {
    const candidates = [
      { item: 'a', addresses: ['1 First St\nTown, CA'] },
      { item: 'b', addresses: ['2 Second Ave\nTown, CA'] },
      { item: 'c', addresses: ['2 Second Avenue, Town, CA'] },
    ]
    expect(matchAddress('1 first street, town, ca', candidates)).toEqual(['a'])
    expect(matchAddress('2 second avenue, town, ca', candidates)).toEqual([])
    expect(matchAddress('3 third street, town, ca', candidates)).toEqual([])
  })
})
