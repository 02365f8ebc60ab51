/**
 * Every Authorization Details Field of CDS-WG3-01 §7, as this server publishes it, against the
 * request validation of `@cds-ts/auth`: one table row per field id with values that pass (and
 * what they become) and values that are refused, then the rules that span fields and entries.
 * The server zone is America/New_York so that relative durations cross the 2026-03-08 DST change.
 */
import type {
  OAuthError} from '@cds-ts/auth';
import {
  checkCustomerDataRequest,
  fillScopeDefaults,
  fixedClock,
  InvalidAuthorizationDetails,
  validateAuthorizationDetails,
  type AuthorizationDetailsOptions,
} from '@cds-ts/auth'
import {
  CUSTOMER_CONSENT_SCOPES,
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  CUSTOMER_DATA_SCOPE_PROFILES,
  type AuthorizationDetail,
  type CustomerDataAuthorizationDetailsFieldId,
  type CustomerDataScope,
} from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { customerDataScopeDescriptions } from './customer-data-scopes.js'
import { DEMO_DEFAULT_PURPOSES } from './defaults.js'

type FieldId = CustomerDataAuthorizationDetailsFieldId

const BASE = 'https://utility.example.com'
// Fields no scope offers by default are added where §6 allows them (T7 "·" and the §4.10 column).
const scopes = customerDataScopeDescriptions(BASE, { default_purposes: DEMO_DEFAULT_PURPOSES, extra_fields: { cds_meters: ['meter_apps'], cds_usage: ['include_eacs', 'include_usage_segments'] } })
// 2026-03-01 12:00 EST; daylight saving time starts on 2026-03-08 in New York.
const options: AuthorizationDetailsOptions = { clock: fixedClock('2026-03-01T17:00:00Z'), timezone: 'America/New_York' }

const EC = { kty: 'EC', use: 'enc', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }
const OTHER_EC = { ...EC, x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0', y: 'SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps' }
const AI_BASE = { aggregation_numbers: ['B2222'], premise_numbers: ['PREM-2'] }

/** The request as the authorization endpoint takes it: checked, defaults filled, cross-field rules run. */
function effective(entries: Record<string, unknown>[], opts: AuthorizationDetailsOptions = options): AuthorizationDetail[] {
  const checked = validateAuthorizationDetails(entries, scopes, opts)
  const ids = [...new Set(entries.map((entry) => String(entry.type)))]
  const details = fillScopeDefaults(checked, ids, scopes, opts)
  checkCustomerDataRequest(details, ids, scopes)
  return details
}

function refusal(entries: Record<string, unknown>[]): string {
  try {
    effective(entries)
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidAuthorizationDetails)
    expect(error).toMatchObject({ error: 'invalid_authorization_details', status: 400 })
    return (error as OAuthError).error_description ?? ''
  }
  throw new Error(`expected ${JSON.stringify(entries)} to be refused`)
}

/** A value that passes, and what the effective request holds for it (itself unless given). */
type Valid = { value: unknown; becomes?: unknown }

interface Row {
  field: FieldId
  scope: CustomerDataScope
  /** Other members the entry needs (Aggregation Inclusion refuses null preselections). */
  base?: Record<string, unknown>
  valid: Valid[]
  invalid: unknown[]
}

const v = (value: unknown, becomes?: unknown): Valid => (becomes === undefined ? { value } : { value, becomes })
const LONG = 'x'.repeat(1001)

// §7.1 preselection, §7.3 durations and §7.4 other fields, each with its own values.
const ROWS: Row[] = [
  { field: 'account_numbers', scope: 'cds_accounts', valid: [v(['1111-1']), v(['_all', '_include_future']), v(null)], invalid: ['1111-1', [1111], [], [LONG], [null]] },
  { field: 'account_programs', scope: 'cds_account_programs', valid: [v(['budget_billing'])], invalid: [null, ['gym'], 'budget_billing'] },
  { field: 'contract_numbers', scope: 'cds_service_contracts', valid: [v(['222222']), v(['_all']), v(['_include_future']), v(null)], invalid: [[], [222222], '222222'] },
  { field: 'service_types', scope: 'cds_service_contracts', valid: [v(['electric', 'natural_gas']), v(null)], invalid: [['gas'], 'electric', [1]] },
  { field: 'service_programs', scope: 'cds_service_programs', valid: [v(['demand_response'])], invalid: [null, ['solar_rebate']] },
  { field: 'servicepoint_numbers', scope: 'cds_meters', valid: [v(['SP-1']), v(['_all']), v(null)], invalid: [['_include_future'], [], 'SP-1'] },
  { field: 'servicepoint_types', scope: 'cds_meters', valid: [v(['electric', 'virtual']), v(null)], invalid: [['bogus'], 'electric'] },
  { field: 'premise_numbers', scope: 'cds_meters', valid: [v(['PREM-1']), v(null)], invalid: [['_all'], [], {}] },
  { field: 'meter_numbers', scope: 'cds_meters', valid: [v(['M-1001']), v(['_all']), v(null)], invalid: [['_include_future'], [null], []] },
  { field: 'meter_types', scope: 'cds_meters', valid: [v(['bidirectional', 'ami_meter']), v(null)], invalid: [['smart'], 'bidirectional'] },
  { field: 'meter_apps', scope: 'cds_meters', valid: [v(['APP-EV']), v(null)], invalid: [['APP-X'], 'APP-EV'] },
  { field: 'aggregation_numbers', scope: 'cds_aggregation_consent', base: AI_BASE, valid: [v(['B1111', 'B2222'])], invalid: [null, ['_all'], []] },
  { field: 'addresses', scope: 'cds_accounts', valid: [v(['123 Main Street, Anytown, CA 90000']), v(null)], invalid: [['_all'], [], '123 Main Street'] },
  {
    field: 'include_usage_segment_value_types',
    scope: 'cds_usage',
    valid: [v(['electric_usage_kwh']), v([]), v(null)],
    invalid: [['gas_monthly_01'], 'electric_usage_kwh', true],
  },
  // §7.3: relative values resolve at the request in New York time, across the DST change.
  {
    field: 'sync_until',
    scope: 'cds_accounts',
    valid: [
      // A calendar month keeps the wall-clock time: 12:00 EST becomes 12:00 EDT (one hour less elapsed).
      v('P1M', '2026-04-01T12:00:00-04:00'),
      // 744 hours are exact elapsed time: 17:00Z + 31 days is 13:00 EDT.
      v('PT744H', '2026-04-01T13:00:00-04:00'),
      v('P0S', '2026-03-01T12:00:00-05:00'),
      v('infinite'),
      v('2027-01-15T12:00:00Z'),
    ],
    invalid: ['P1.5Y', '2026-01-15T12:00:00Z', 'Infinite', '2026-03-01 12:00:00', '2026-03-01T12:00:00', null, 1],
  },
  {
    field: 'statement_date_start',
    scope: 'cds_bill_statements',
    valid: [v('P3Y', '2023-03-01'), v('P1Y6M', '2024-09-01'), v('P0D', '2026-03-01'), v('2024-02-29')],
    invalid: ['P3Y1D', 'PT1H', 'infinite', '2026-02-30', '2026-03-02', 'P'],
  },
  { field: 'statement_date_end', scope: 'cds_bill_statements', valid: [v('infinite'), v('P0D', '2026-03-01'), v('P2W', '2026-03-15')], invalid: ['2020-01-01', 'P1DT2H', '-P1Y'] },
  { field: 'start_date', scope: 'cds_service_bills', valid: [v('P3Y', '2023-03-01'), v('P13M', '2025-02-01')], invalid: ['P4Y', 'infinite', '2026-1-15'] },
  { field: 'end_date', scope: 'cds_service_bills', valid: [v('infinite'), v('P1M', '2026-04-01')], invalid: ['2026-02-01', 'PT0S', false] },
  {
    field: 'segment_start',
    scope: 'cds_usage',
    valid: [v('P3Y', '2023-03-01T12:00:00-05:00'), v('P13M', '2025-02-01T12:00:00-05:00'), v('PT0S', '2026-03-01T12:00:00-05:00')],
    invalid: ['P3YT1H', 'infinite', 'yesterday', '2026-03-02T00:00:00Z'],
  },
  { field: 'segment_end', scope: 'cds_usage', valid: [v('infinite'), v('P1YT23H', '2027-03-02T11:00:00-05:00')], invalid: ['2026-02-01T00:00:00Z', 'PT'] },
  // P30D lands after the change (EDT), then two hours more.
  { field: 'expires', scope: 'cds_aggregation_consent', base: AI_BASE, valid: [v('P1Y', '2027-03-01T12:00:00-05:00'), v('P30DT2H', '2026-03-31T14:00:00-04:00')], invalid: ['P2Y', 'infinite', 'P1Y1D'] },
  { field: 'authorization_form_selection_type', scope: 'cds_meters', valid: [v('meter_device_selection'), v('account_selection')], invalid: ['aggregation_selection', null, ['account_selection']] },
  { field: 'merge_selection_with', scope: 'cds_usage', valid: [v(null)], invalid: ['', LONG, ['cds_meters'], 'cds_meters'] },
  { field: 'error_if_no_preselections', scope: 'cds_accounts', valid: [v(true), v(false)], invalid: ['yes', null] },
  { field: 'purpose', scope: 'cds_usage', valid: [v('default-01'), v(null)], invalid: ['someone-elses', 1] },
  { field: 'allow_scope_modifications', scope: 'cds_accounts', valid: [v(true), v(false)], invalid: ['false', 0] },
  {
    field: 'jwk',
    scope: 'cds_usage',
    valid: [v(EC), v(null)],
    invalid: [{ ...EC, use: 'sig' }, { ...EC, d: 'private' }, { kty: 'EC', use: 'enc', crv: 'P-256', x: EC.x }, { kty: 'oct', use: 'enc', k: 'AAAA' }, 'key'],
  },
]

/** The consent scope (or else direct scope) that offers an include field, and whether it always shares it. */
function includeRow(field: FieldId): Row {
  const scope = (Object.keys(scopes) as CustomerDataScope[]).find((id) => scopes[id]?.authorization_details_fields_supported.some((f) => f.id === field))
  if (scope === undefined) throw new Error(`no scope offers ${field}`)
  const implied = CUSTOMER_DATA_SCOPE_PROFILES[scope].impliedTrueFields.includes(field)
  // an implied field is always true; false is refused.
  return { field, scope, valid: implied ? [v(true)] : [v(true), v(false)], invalid: implied ? [false, 'true', null] : ['true', 1, null] }
}

const INCLUDE_FLAGS = (Object.keys(CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS) as FieldId[]).filter(
  (id) => CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[id].category === 'included_data' && id !== 'include_usage_segment_value_types',
)
const TABLE = [...ROWS, ...INCLUDE_FLAGS.map(includeRow)]

describe('CDS-WG3-01 §7 every Authorization Details Field: valid and invalid values', () => {
  it('the table covers every field id of §7', () => {
    expect(TABLE.map((row) => row.field).sort()).toEqual(Object.keys(CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS).sort())
    for (const row of TABLE) {
      expect(row.valid.length, row.field).toBeGreaterThan(0)
      expect(row.invalid.length, row.field).toBeGreaterThan(0)
    }
  })

  describe.each(TABLE.map((row) => [row.field, row] as const))('%s', (_field, row) => {
    it.each(row.valid.map((valid) => [JSON.stringify(valid.value), valid] as const))('accepts %s', (_label, valid) => {
      const [entry] = effective([{ type: row.scope, ...row.base, [row.field]: valid.value }])
      expect((entry as Record<string, unknown>)[row.field]).toEqual(Object.hasOwn(valid, 'becomes') ? valid.becomes : valid.value)
    })

    it.each(row.invalid.map((value) => [JSON.stringify(value) ?? 'undefined', value] as const))('refuses %s', (_label, value) => {
      const description = refusal([{ type: row.scope, ...row.base, [row.field]: value }])
      expect(description).toContain(row.field)
    })
  })

  it('R3-01-7-02 an omitted field takes its default, so a plain request gets every effective value', () => {
    const [entry] = effective([{ type: 'cds_usage' }])
    expect(entry).toMatchObject({
      purpose: 'default-01',
      jwk: null,
      merge_selection_with: null,
      allow_scope_modifications: true,
      error_if_no_preselections: false,
      include_usage_segments: true,
      sync_until: 'infinite',
      segment_start: '2025-02-01T12:00:00-05:00',
    })
  })

  it('A-07 relative dates take the current date in cds_timezone, not in UTC', () => {
    // 03:00Z on 1 March is still 28 February in New York.
    const late = { ...options, clock: fixedClock('2026-03-01T03:00:00Z') }
    const [entry] = effective([{ type: 'cds_bill_statements', statement_date_start: 'P1M', statement_date_end: 'P0D' }], late)
    expect(entry).toMatchObject({ statement_date_start: '2026-01-28', statement_date_end: '2026-02-28' })
  })

  it('A-37 purpose is published as choice_or_null defaulting to the server default Purpose', () => {
    for (const scope of CUSTOMER_CONSENT_SCOPES.filter((id) => id !== 'cds_aggregation_consent')) {
      const field = scopes[scope]?.authorization_details_fields_supported.find((f) => f.id === 'purpose')
      expect(field, scope).toMatchObject({ format: 'choice_or_null', default: 'default-01', is_required: false })
    }
  })
})

describe('CDS-WG3-01 §6, §7 rules across fields and entries', () => {
  it('A-28 one entry per scope', () => {
    expect(refusal([{ type: 'cds_accounts' }, { type: 'cds_accounts' }])).toBe('authorization_details[1] is a second entry for scope cds_accounts')
  })

  it('A-27 merges match scopes named only in authorization_details; a missing target is refused (R3-01-7.4.2-06)', () => {
    const merged = effective([
      { type: 'cds_service_contracts', contract_numbers: ['_all'], merge_selection_with: 'cds_usage' },
      { type: 'cds_usage', contract_numbers: ['_all'], merge_selection_with: 'cds_service_contracts', authorization_form_selection_type: 'service_contract_selection' },
    ])
    expect(merged.map((d) => d.type)).toEqual(['cds_service_contracts', 'cds_usage'])
    expect(refusal([{ type: 'cds_usage', merge_selection_with: 'cds_meters' }])).toBe('authorization_details[0].merge_selection_with names no other requested scope')
  })

  it('TS-4.4-04 Meter List (meter_device_selection) cannot merge with Service List (service_contract_selection)', () => {
    expect(refusal([{ type: 'cds_meters', merge_selection_with: 'cds_service_contracts' }, { type: 'cds_service_contracts', merge_selection_with: 'cds_meters' }])).toBe(
      'merged scopes cds_meters, cds_service_contracts must have the same authorization_form_selection_type',
    )
  })

  it('R3-01-7.4.2-12, -13 shared preselections are equal; others stay null', () => {
    const contracts = { type: 'cds_service_contracts', merge_selection_with: 'cds_usage' }
    const usage = { type: 'cds_usage', merge_selection_with: 'cds_service_contracts', authorization_form_selection_type: 'service_contract_selection' }
    expect(refusal([{ ...contracts, contract_numbers: ['_all'] }, { ...usage, contract_numbers: ['222222'] }])).toContain('must have the same contract_numbers')
    // cds_usage offers servicepoint_numbers, cds_service_contracts does not.
    expect(refusal([contracts, { ...usage, servicepoint_numbers: ['SP-1'] }])).toBe('authorization_details[1].servicepoint_numbers must be null: not every merged scope offers it')
  })

  it('R3-01-7.4.6-05, -06 one jwk per request; TS-9-JWK-01', () => {
    expect(refusal([{ type: 'cds_usage', jwk: EC }, { type: 'cds_meters', jwk: OTHER_EC }])).toContain('one key per request')
    expect(effective([{ type: 'cds_usage', jwk: EC }, { type: 'cds_meters', jwk: EC }])).toHaveLength(2)
    expect(refusal([{ type: 'cds_usage', jwk: EC }, { type: 'cds_aggregation_consent', ...AI_BASE }])).toContain('cannot be requested together with a jwk')
  })

  it('TS-4.11-05, A-29 Aggregation Inclusion is never modifiable and always errors on no preselections', () => {
    expect(refusal([{ type: 'cds_aggregation_consent', ...AI_BASE, allow_scope_modifications: true }])).toContain('allow_scope_modifications cannot be true')
    expect(refusal([{ type: 'cds_aggregation_consent', ...AI_BASE, error_if_no_preselections: false }])).toContain('error_if_no_preselections cannot be false')
    expect(effective([{ type: 'cds_aggregation_consent', ...AI_BASE }])[0]).toMatchObject({ allow_scope_modifications: false, error_if_no_preselections: true })
  })

  it('A-47 special values are accepted on direct scopes too (no filter / ignored)', () => {
    expect(effective([{ type: 'cds_query_accounts', account_numbers: ['_all', '_include_future'] }])).toHaveLength(1)
    expect(refusal([{ type: 'cds_query_usage', aggregation_numbers: ['_all'] }])).toContain('aggregation_numbers cannot hold the special value _all')
  })
})
