import type { AuthorizationDetail } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { WG3_SCOPES } from '../test/customer-data-fixtures.js'
import { thrown } from '../test/_setup.js'
import { manualClock } from './clock.js'
import { checkNarrowing, type NarrowingOptions } from './narrowing.js'
import { fillScopeDefaults, validateAuthorizationDetails } from './rar.js'

// 2026-01-15 12:00 in Chicago (CST, -06:00).
const clock = manualClock('2026-01-15T18:00:00Z')
const options: NarrowingOptions = { clock, timezone: 'America/Chicago', resolveRelative: false }

/** The checked request, defaults filled, relative values kept (they resolve at approval). */
function request(entries: Record<string, unknown>[], scopes: string[] = []): AuthorizationDetail[] {
  const checked = validateAuthorizationDetails(entries, WG3_SCOPES, options)
  const all = [...new Set([...scopes, ...entries.map((entry) => String(entry.type))])]
  return fillScopeDefaults(checked, all, WG3_SCOPES, options)
}

const copy = (details: AuthorizationDetail[]) => structuredClone(details) as (AuthorizationDetail & Record<string, unknown>)[]
const narrow = (requested: AuthorizationDetail[], modified: AuthorizationDetail[], extra: Partial<NarrowingOptions> = {}) =>
  checkNarrowing(requested, modified, WG3_SCOPES, { ...options, ...extra })
const refusal = (requested: AuthorizationDetail[], modified: AuthorizationDetail[]) => thrown(() => narrow(requested, modified))

/** `requested` with one field of the entry of `type` changed. */
function change(requested: AuthorizationDetail[], type: string, name: string, value: unknown): AuthorizationDetail[] {
  const result = copy(requested)
  const entry = result.find((e) => e.type === type)
  if (entry === undefined) throw new Error(`no ${type}`)
  entry[name] = value
  return result
}

const usage = request([{ type: 'cds_usage_1' }])
const contracts = request([{ type: 'cds_service_contracts_1', include_meter_devices: true, include_service_points: true }])
const bills = request([{ type: 'cds_bill_statements_1', statement_date_start: 'P2Y' }])

describe('CDS-WG3-01 §9.2.1.4 an unmodified approval', () => {
  it('R3-01-9.2.1.4-04 approving the request as prefilled grants exactly the request', () => {
    expect(narrow(usage, copy(usage))).toEqual(usage)
  })

  it('R3-01-7.3-05 resolves relative durations at the approval when asked to', () => {
    const [entry] = narrow(usage, copy(usage), { resolveRelative: true }) as Record<string, unknown>[]
    // P13M back from 2026-01-15 12:00 CST, in the server zone.
    expect(entry?.segment_start).toBe('2024-12-15T12:00:00-06:00')
    expect(entry?.sync_until).toBe('infinite')
  })
})

describe('A-30 removing Request Sections', () => {
  const two = request([{ type: 'cds_usage_1' }, { type: 'cds_bill_statements_1' }])

  it('R3-01-9.2.1.3-03 removes a whole section but never the last one', () => {
    expect(narrow(two, copy(two).slice(1)).map((e) => e.type)).toEqual(['cds_bill_statements_1'])
    const error = refusal(two, [])
    expect(error.error).toBe('invalid_authorization_details')
    expect(error.error_description).toBe('at least one requested scope must be approved')
  })

  it('A-26 keeps or removes merged scopes together', () => {
    const merged = request([
      { type: 'cds_meters_1', merge_selection_with: 'cds_usage_1', authorization_form_selection_type: 'service_contract_selection' },
      { type: 'cds_usage_1', merge_selection_with: 'cds_meters_1' },
      { type: 'cds_bill_statements_1' },
    ])
    expect(refusal(merged, copy(merged).slice(1)).error_description).toBe('scopes cds_meters_1, cds_usage_1 share one Request Section and are kept or removed together')
    expect(narrow(merged, copy(merged).slice(2)).map((e) => e.type)).toEqual(['cds_bill_statements_1'])
  })

  it('A-30 never adds a scope or approves one twice', () => {
    expect(refusal(usage, [...copy(usage), { type: 'cds_meters_1' }]).error_description).toBe('approved entry 1 is not one of the requested scopes')
    expect(refusal(usage, [{ type: 'nope' }]).error).toBe('invalid_authorization_details')
    expect(refusal(usage, [...copy(usage), ...copy(usage)]).error_description).toBe("scope 'cds_usage_1' is approved twice")
  })

  it('R3-01-7.4.5-05 a section the Client did not let the customer change cannot be removed', () => {
    const locked = request([{ type: 'cds_usage_1' }, { type: 'cds_bill_statements_1', allow_scope_modifications: false }])
    expect(refusal(locked, copy(locked).slice(0, 1)).error_description).toBe('scope cds_bill_statements_1 cannot be removed: the Client did not allow modifications')
  })
})

describe('A-30 included data', () => {
  it('turns optional data off', () => {
    const [entry] = narrow(usage, change(usage, 'cds_usage_1', 'include_meter_numbers', false)) as Record<string, unknown>[]
    expect(entry?.include_meter_numbers).toBe(false)
  })

  it('never turns data on', () => {
    expect(refusal(contracts, change(contracts, 'cds_service_contracts_1', 'include_account_numbers', true)).error_description).toBe(
      'cds_service_contracts_1.include_account_numbers can only be turned off',
    )
  })

  it('A-44 never turns off data the scope type always shares', () => {
    // CDS-WG3-01 §6.1.5: Service List always shares Accounts and Service Contracts.
    for (const name of ['include_accounts', 'include_service_contracts']) {
      expect(refusal(contracts, change(contracts, 'cds_service_contracts_1', name, false)).error_description).toBe(
        `cds_service_contracts_1.${name} is always shared by this scope and cannot be turned off`,
      )
    }
  })

  it('A-87 keeps the Service Points between shared contracts and meters, until the meters go', () => {
    expect(refusal(contracts, change(contracts, 'cds_service_contracts_1', 'include_service_points', false)).error).toBe('invalid_authorization_details')
    const withoutMeters = change(change(contracts, 'cds_service_contracts_1', 'include_meter_devices', false), 'cds_service_contracts_1', 'include_service_points', false)
    const [entry] = narrow(contracts, withoutMeters) as Record<string, unknown>[]
    expect(entry).toMatchObject({ include_meter_devices: false, include_service_points: false })
  })

  it('CDS-WG3-01 §7.2.8.1 keeps fewer usage value types, or none, never others', () => {
    const fewer = narrow(usage, change(usage, 'cds_usage_1', 'include_usage_segment_value_types', ['electric_usage_kwh'])) as Record<string, unknown>[]
    expect(fewer[0]?.include_usage_segment_value_types).toEqual(['electric_usage_kwh'])
    const none = narrow(usage, change(usage, 'cds_usage_1', 'include_usage_segment_value_types', null)) as Record<string, unknown>[]
    expect(none[0]?.include_usage_segment_value_types).toBeNull()
    const gasOnly = request([{ type: 'cds_usage_1', include_usage_segment_value_types: ['natural_gas_usage_therm'] }])
    expect(refusal(gasOnly, change(gasOnly, 'cds_usage_1', 'include_usage_segment_value_types', ['electric_usage_kwh'])).error_description).toBe(
      'cds_usage_1.include_usage_segment_value_types can only keep requested value types',
    )
    expect(refusal(usage, change(usage, 'cds_usage_1', 'include_usage_segment_value_types', ['solar'])).error).toBe('invalid_authorization_details')
  })
})

describe('A-30 durations', () => {
  it('shortens an end (sync_until, segment_end) to an earlier relative or absolute value', () => {
    const [entry] = narrow(usage, change(change(usage, 'cds_usage_1', 'sync_until', 'P6M'), 'cds_usage_1', 'segment_end', '2026-06-01T00:00:00Z'), {
      resolveRelative: true,
    }) as Record<string, unknown>[]
    // Six calendar months in Chicago: 2026-07-15 12:00 CDT.
    expect(entry?.sync_until).toBe('2026-07-15T12:00:00-05:00')
    expect(entry?.segment_end).toBe('2026-06-01T00:00:00Z')
  })

  it('never lengthens an end', () => {
    const short = request([{ type: 'cds_usage_1', sync_until: 'P6M' }])
    expect(refusal(short, change(short, 'cds_usage_1', 'sync_until', 'P1Y')).error_description).toBe('cds_usage_1.sync_until can only be shortened')
    expect(refusal(short, change(short, 'cds_usage_1', 'sync_until', 'infinite')).error).toBe('invalid_authorization_details')
  })

  it('moves a start later (segment_start, statement_date_start), never earlier', () => {
    const later = narrow(usage, change(usage, 'cds_usage_1', 'segment_start', 'P6M')) as Record<string, unknown>[]
    expect(later[0]?.segment_start).toBe('P6M')
    expect(refusal(usage, change(usage, 'cds_usage_1', 'segment_start', 'P2Y')).error_description).toBe('cds_usage_1.segment_start can only be shortened')
    const [bill] = narrow(bills, change(bills, 'cds_bill_statements_1', 'statement_date_start', '2025-06-01'), { resolveRelative: true }) as Record<string, unknown>[]
    expect(bill?.statement_date_start).toBe('2025-06-01')
    expect(refusal(bills, change(bills, 'cds_bill_statements_1', 'statement_date_start', '2023-06-01')).error).toBe('invalid_authorization_details')
  })

  it('CDS-WG1-02 §3.8 keeps a shorter value within the field limits and format', () => {
    // segment_end's minimum is PT0S: an end in the past is closer than the minimum.
    expect(refusal(usage, change(usage, 'cds_usage_1', 'segment_end', '2025-01-01T00:00:00Z')).error_description).toBe(
      'cds_usage_1.segment_end is closer to now than the minimum PT0S',
    )
    expect(refusal(usage, change(usage, 'cds_usage_1', 'sync_until', 'soon')).error).toBe('invalid_authorization_details')
    expect(refusal(bills, change(bills, 'cds_bill_statements_1', 'statement_date_start', 'PT1H')).error).toBe('invalid_authorization_details')
  })
})

describe('A-30 what the customer cannot change', () => {
  const preselected = request([{ type: 'cds_service_contracts_1', account_numbers: ['1111-1'], service_types: ['electric'] }])
  const cases: [string, unknown][] = [
    ['account_numbers', ['2222-2']],
    ['account_numbers', null],
    ['service_types', ['electric', 'natural_gas']],
    ['authorization_form_selection_type', 'account_selection'],
    ['merge_selection_with', 'cds_usage_1'],
    ['error_if_no_preselections', true],
    ['purpose', null],
    ['allow_scope_modifications', false],
    ['jwk', { kty: 'EC', use: 'enc', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }],
  ]
  it.each(cases)('keeps %s as requested', (name, value) => {
    const error = refusal(preselected, change(preselected, 'cds_service_contracts_1', name, value))
    expect(error.error).toBe('invalid_authorization_details')
    expect(error.error_description).toBe(`cds_service_contracts_1.${name} cannot be changed`)
  })

  it('adds no field and drops none', () => {
    const added = change(usage, 'cds_usage_1', 'include_accounts', false)
    expect(refusal(usage, added).error_description).toBe('cds_usage_1.include_accounts was not requested and cannot be added')
    const dropped = copy(usage)
    delete dropped[0]?.sync_until
    expect(refusal(usage, dropped).error_description).toBe('cds_usage_1.sync_until must be kept')
  })
})

describe('CDS-WG3-01 §7.4.5 allow_scope_modifications false', () => {
  const locked = request([{ type: 'cds_usage_1', allow_scope_modifications: false }])

  it('R3-01-7.4.5-05 accepts only the request exactly as asked', () => {
    expect(narrow(locked, copy(locked))).toEqual(locked)
    expect(refusal(locked, change(locked, 'cds_usage_1', 'include_meter_numbers', false)).error_description).toBe(
      'cds_usage_1 cannot be modified: the Client did not allow modifications',
    )
  })

  it('R3-01-6.1.10-12 Aggregation Inclusion is never modifiable', () => {
    const ai = request([{ type: 'cds_aggregation_consent_1', aggregation_numbers: ['B2222'], premise_numbers: ['PREM-2'] }])
    expect(refusal(ai, change(ai, 'cds_aggregation_consent_1', 'expires', 'P1M')).error).toBe('invalid_authorization_details')
    expect(narrow(ai, copy(ai))).toEqual(ai)
  })
})
