import type { AuthorizationDetail, Purpose } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { WG3_SCOPES } from '../test/customer-data-fixtures.js'
import { clientRecord, thrown } from '../test/_setup.js'
import { checkAuthorizationParameters, type AuthorizationSettings } from './authorization-request.js'
import { clientScopeDescription, purposeOrigin } from './client-purposes.js'
import { manualClock } from './clock.js'
import { checkCustomerDataRequest } from './customer-data-request.js'
import { fillScopeDefaults, validateAuthorizationDetails } from './rar.js'

const clock = manualClock('2026-01-15T12:00:00Z')
const options = { clock, timezone: 'UTC' }
const EC = { kty: 'EC', use: 'enc', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' }
const OTHER_EC = { ...EC, x: 'gI0GAILBdu7T53akrFmMyGcsF3n5dO7MmwNBHKW5SV0', y: 'SLW_xSffzlPWrHEVI30DHM_4egVwt3NQqeUD7nMFpps' }

/** Validates, fills defaults and runs the cross-field checks, as the authorization endpoint does. */
function effective(entries: Record<string, unknown>[], scopes: string[] = []): AuthorizationDetail[] {
  const checked = validateAuthorizationDetails(entries, WG3_SCOPES, options)
  const all = [...new Set([...scopes, ...entries.map((e) => String(e.type))])]
  const details = fillScopeDefaults(checked, all, WG3_SCOPES, options)
  checkCustomerDataRequest(details, all, WG3_SCOPES)
  return details
}
const refusal = (entries: Record<string, unknown>[], scopes: string[] = []) => {
  const error = thrown(() => effective(entries, scopes))
  expect(error.error).toBe('invalid_authorization_details')
  expect(error.status).toBe(400)
  return error.error_description ?? ''
}

describe('A-28 one entry per scope', () => {
  it('refuses a second entry for the same scope', () => {
    expect(refusal([{ type: 'cds_usage_1' }, { type: 'cds_usage_1', sync_until: 'P1Y' }])).toBe('authorization_details[1] is a second entry for scope cds_usage_1')
  })
})

describe('CDS-WG3-01 §6.1.x values a scope type refuses (catalog T6)', () => {
  const ai = { type: 'cds_aggregation_consent_1', aggregation_numbers: ['B2222'], premise_numbers: ['PREM-2'] }

  it('TS-4.11-05 Aggregation Inclusion refuses modifications, no error, and null preselections', () => {
    expect(effective([ai])).toHaveLength(1)
    const cases: [string, unknown][] = [
      ['allow_scope_modifications', true],
      ['error_if_no_preselections', false],
      ['aggregation_numbers', null],
      ['premise_numbers', null],
    ]
    for (const [field, value] of cases) {
      expect(refusal([{ ...ai, [field]: value }])).toBe(`authorization_details[0].${field} cannot be ${JSON.stringify(value)} for Aggregation Inclusion (CDS-WG3-01 section 6.1.10)`)
    }
  })

  it('R3-01-6.1.2 Account Program Participation needs its programs named', () => {
    expect(refusal([{ type: 'cds_account_programs_1', account_programs: null }])).toContain('account_programs cannot be null')
    expect(effective([{ type: 'cds_account_programs_1' }])[0]).toMatchObject({ account_programs: ['budget_billing'] })
  })
})

describe('A-44 data a scope always shares', () => {
  it('refuses false for an implied include field, accepts true', () => {
    expect(refusal([{ type: 'cds_service_contracts_1', include_accounts: false }])).toBe(
      'authorization_details[0].include_accounts cannot be false: Service List always shares this data',
    )
    expect(refusal([{ type: 'cds_usage_1', include_usage_segments: false }])).toContain('include_usage_segments cannot be false')
    expect(effective([{ type: 'cds_service_contracts_1', include_service_contracts: true }])).toHaveLength(1)
  })
})

describe('CDS-WG3-01 §7.1 special values (catalog T0, A-47)', () => {
  it('accepts _all and _include_future where the field defines them', () => {
    expect(effective([{ type: 'cds_service_contracts_1', contract_numbers: ['_all', '_include_future'], account_numbers: ['_include_future'] }])).toHaveLength(1)
    expect(effective([{ type: 'cds_meters_1', meter_numbers: ['_all'] }])).toHaveLength(1)
  })

  it('refuses them elsewhere', () => {
    expect(refusal([{ type: 'cds_meters_1', meter_numbers: ['_include_future'] }])).toBe('authorization_details[0].meter_numbers cannot hold the special value _include_future')
    expect(refusal([{ type: 'cds_aggregation_consent_1', aggregation_numbers: ['_all'], premise_numbers: ['P'] }])).toContain('aggregation_numbers cannot hold')
    expect(refusal([{ type: 'cds_service_contracts_1', addresses: ['_all'] }])).toContain('addresses cannot hold')
  })
})

describe('CDS-WG3-01 §7.4.6 one jwk per request (A-54)', () => {
  it('TS-9-JWK-01 (a) refuses two different keys', () => {
    expect(refusal([{ type: 'cds_usage_1', jwk: EC }, { type: 'cds_meters_1', jwk: OTHER_EC }])).toBe(
      'authorization_details[1].jwk differs from authorization_details[0].jwk: one key per request',
    )
  })

  it('TS-9-JWK-01 (b) refuses a signing key', () => {
    expect(refusal([{ type: 'cds_usage_1', jwk: { ...EC, use: 'sig' } }])).toContain('jwk must be a JWK public encryption key')
  })

  it('accepts the same key (compared by thumbprint members) and entries without one', () => {
    const details = effective([{ type: 'cds_usage_1', jwk: EC }, { type: 'cds_meters_1', jwk: { ...EC, kid: 'k1', key_ops: ['encrypt'] } }, { type: 'cds_bill_statements_1' }])
    expect(details.map((d) => d.jwk)).toEqual([EC, { ...EC, kid: 'k1', key_ops: ['encrypt'] }, null])
  })

  it('A-54 refuses a key with a scope that cannot carry one', () => {
    const ai = { type: 'cds_aggregation_consent_1', aggregation_numbers: ['B2222'], premise_numbers: ['PREM-2'] }
    expect(refusal([{ type: 'cds_usage_1', jwk: EC }, ai])).toBe('authorization_details[1]: Aggregation Inclusion cannot be requested together with a jwk')
    expect(effective([{ type: 'cds_usage_1' }, ai])).toHaveLength(2)
  })
})

describe('CDS-WG3-01 §7.4.2 merge_selection_with (A-25, A-26, A-27)', () => {
  const meters = { type: 'cds_meters_1', merge_selection_with: 'cds_usage_1', authorization_form_selection_type: 'service_contract_selection' }
  const usage = { type: 'cds_usage_1', merge_selection_with: 'cds_meters_1' }

  it('R3-01-7.4.2-15 accepts a consistent pair and a transitive chain', () => {
    expect(effective([meters, usage])).toHaveLength(2)
    const contracts = { type: 'cds_service_contracts_1', merge_selection_with: 'cds_meters_1' }
    expect(effective([meters, { ...usage, merge_selection_with: 'cds_service_contracts_1' }, contracts])).toHaveLength(3)
  })

  it('R3-01-7.4.2-06 refuses a target outside the request, or itself', () => {
    expect(refusal([{ ...usage, merge_selection_with: 'nope' }])).toBe('authorization_details[0].merge_selection_with names no other requested scope')
    expect(refusal([{ ...usage, merge_selection_with: 'cds_usage_1' }])).toContain('names no other requested scope')
  })

  it('A-27 a scope named only in authorization_details counts as requested', () => {
    expect(effective([meters, usage], ['cds_meters_1'])).toHaveLength(2)
  })

  it('R3-01-7.4.2-08 refuses a target whose own merge_selection_with is null', () => {
    expect(refusal([meters, { type: 'cds_usage_1' }])).toBe('scope cds_usage_1 is merged with cds_meters_1 but its merge_selection_with is null')
  })

  it('TS-4.4-04 refuses merging different Selection types', () => {
    const pair = { ...meters, merge_selection_with: 'cds_service_contracts_1', authorization_form_selection_type: 'meter_device_selection' }
    expect(refusal([pair, { type: 'cds_service_contracts_1', merge_selection_with: 'cds_meters_1' }])).toBe(
      'merged scopes cds_meters_1, cds_service_contracts_1 must have the same authorization_form_selection_type',
    )
  })

  it('R3-01-7.4.2-10, -11 refuses different purposes or editability', () => {
    expect(refusal([meters, { ...usage, purpose: null }])).toContain('must have the same purpose')
    expect(refusal([meters, { ...usage, allow_scope_modifications: false }])).toContain('must have the same allow_scope_modifications')
  })

  it('R3-01-7.4.2-12 (A-25) refuses different values of a shared preselection field', () => {
    expect(refusal([{ ...meters, contract_numbers: ['_all'] }, { ...usage, contract_numbers: ['222222'] }])).toBe(
      'merged scopes cds_meters_1, cds_usage_1 must have the same contract_numbers',
    )
    expect(effective([{ ...meters, contract_numbers: ['_all'] }, { ...usage, contract_numbers: ['_all'] }])).toHaveLength(2)
  })

  it('R3-01-7.4.2-13 a preselection field only one merged scope offers stays null', () => {
    const contracts = { type: 'cds_service_contracts_1', merge_selection_with: 'cds_usage_1' }
    const withMeters = { type: 'cds_usage_1', merge_selection_with: 'cds_service_contracts_1', authorization_form_selection_type: 'service_contract_selection' }
    expect(refusal([contracts, { ...withMeters, meter_numbers: ['M-1001'] }])).toBe('authorization_details[1].meter_numbers must be null: not every merged scope offers it')
    expect(effective([contracts, withMeters])).toHaveLength(2)
  })
})

describe('CDS-WG3-01 §7.4.4 purpose: the Client object’s Purposes for the scope (A-37, A-38)', () => {
  const own: Purpose = { id: 'p-own', name: 'Own', content: 'Savings tips.', related_uri: null, scopes_supported: ['cds_usage_1'] }
  const defaults: Purpose = { id: 'default-01', name: 'Default', content: 'Any purpose.', related_uri: null, scopes_supported: ['cds_usage_1', 'cds_meters_1'] }
  const client = clientRecord({
    client_id: 'consent',
    scope: 'cds_usage_1 cds_meters_1',
    redirect_uris: ['https://client.example/cb'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    authorization_details_types: ['cds_usage_1', 'cds_meters_1'],
    cds_status: 'sandbox',
    cds_status_options: ['sandbox', 'disabled'],
    cds_purposes: { 'default-01': defaults, 'p-own': own },
    purpose_origins: { 'default-01': 'server' },
  })
  const settings: AuthorizationSettings = { scope_descriptions: WG3_SCOPES, timezone: 'UTC', request_uri_lifetime: 90, authorization_code_lifetime: 60 }
  const request = (details: unknown[]) =>
    checkAuthorizationParameters(
      {
        response_type: 'code',
        scope: 'cds_usage_1',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        authorization_details: JSON.stringify(details),
      },
      client,
      settings,
      clock,
    )

  it('lists the Client’s Purposes for the scope as the choices', () => {
    const view = clientScopeDescription(WG3_SCOPES.cds_usage_1!, client)
    const field = view.authorization_details_fields_supported.find((f) => f.id === 'purpose')
    expect(field?.choices?.map((c) => c.id)).toEqual(['default-01', 'p-own'])
    expect(field?.default).toBe('default-01')
    const meters = clientScopeDescription(WG3_SCOPES.cds_meters_1!, client).authorization_details_fields_supported.find((f) => f.id === 'purpose')
    expect(meters?.choices?.map((c) => c.id)).toEqual(['default-01'])
    // without the default among its Purposes, the default is null.
    const bare = clientScopeDescription(WG3_SCOPES.cds_usage_1!, { cds_purposes: { 'p-own': own } }).authorization_details_fields_supported.find((f) => f.id === 'purpose')
    expect(bare?.default).toBeNull()
    // A Client object stored before Purposes existed sees the public choices.
    expect(clientScopeDescription(WG3_SCOPES.cds_usage_1!, {})).toBe(WG3_SCOPES.cds_usage_1)
  })

  it('R3-01-7.4.4-11 accepts the Client’s Purposes and null; refuses others', () => {
    expect(request([{ type: 'cds_usage_1', purpose: 'p-own' }]).authorization_details[0]).toMatchObject({ purpose: 'p-own' })
    expect(request([{ type: 'cds_usage_1', purpose: null }]).authorization_details[0]).toMatchObject({ purpose: null })
    expect(request([{ type: 'cds_usage_1' }]).authorization_details[0]).toMatchObject({ purpose: 'default-01' })
    const error = thrown(() => request([{ type: 'cds_usage_1', purpose: 'someone-elses' }]))
    expect(error.error).toBe('invalid_authorization_details')
    expect(error.error_description).toBe("authorization_details[0].purpose must be one of 'default-01', 'p-own'")
  })

  it('A-36 an unrecorded Purpose is the Client’s', () => {
    expect(purposeOrigin(client, 'default-01')).toBe('server')
    expect(purposeOrigin(client, 'p-own')).toBe('client')
  })

  it('runs the cross-field rules on the effective request (A-27, A-28)', () => {
    const error = thrown(() => request([{ type: 'cds_usage_1', merge_selection_with: 'cds_meters_1' }]))
    expect(error.error_description).toBe('authorization_details[0].merge_selection_with names no other requested scope')
    const merged = request([
      { type: 'cds_usage_1', merge_selection_with: 'cds_meters_1' },
      { type: 'cds_meters_1', merge_selection_with: 'cds_usage_1', authorization_form_selection_type: 'service_contract_selection' },
    ])
    expect(merged.scope).toBe('cds_usage_1 cds_meters_1')
  })
})
