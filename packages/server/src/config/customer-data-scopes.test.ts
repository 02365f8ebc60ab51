import { fillScopeDefaults, fixedClock, InvalidAuthorizationDetails, validateAuthorizationDetails, type AuthorizationDetailsOptions } from '@cds-ts/auth'
import {
  checkStrict,
  CUSTOMER_CONSENT_SCOPES,
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  CUSTOMER_DATA_SCOPE_PROFILES,
  DIRECT_ACCESS_SCOPES,
  ScopeDescription,
  ValueFormat,
  type AuthorizationDetailsField,
  type CustomerDataAuthorizationDetailsFieldId,
} from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { customerDataScopeDescriptions } from './customer-data-scopes.js'
import { defaultConfig } from './defaults.js'
import { validateConfig } from './validate-config.js'

const BASE = 'https://utility.example.com'
const ALL = [...CUSTOMER_CONSENT_SCOPES, ...DIRECT_ACCESS_SCOPES]
const scopes = customerDataScopeDescriptions(BASE, { coverages: ['demo-residential-electric'] })
const options: AuthorizationDetailsOptions = { clock: fixedClock('2026-01-15T06:00:00Z'), timezone: 'America/Los_Angeles' }

function fieldOf(scope: string, id: CustomerDataAuthorizationDetailsFieldId): AuthorizationDetailsField {
  const field = scopes[scope]?.authorization_details_fields_supported.find((f) => f.id === id)
  if (field === undefined) throw new Error(`${scope} has no ${id}`)
  return field
}

/** The error a call throws, or a failure when it does not throw. */
function thrown(call: () => unknown): unknown {
  try {
    call()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw')
}

/** Checks one entry of `scope` and returns the normalized entry. */
const check = (scope: string, entry: Record<string, unknown>): Record<string, unknown> =>
  validateAuthorizationDetails([{ type: scope, ...entry }], [scopes[scope]!], options)[0]!

function refused(scope: string, entry: Record<string, unknown>, field: string): void {
  const error = thrown(() => check(scope, entry))
  expect(error).toBeInstanceOf(InvalidAuthorizationDetails)
  expect(error).toMatchObject({ error: 'invalid_authorization_details', status: 400 })
  expect((error as InvalidAuthorizationDetails).error_description).toContain(`authorization_details[0].${field}`)
}

describe('CDS-WG3-01 §6 Scope Descriptions of the Customer Data scopes', () => {
  it('describes every §6.1 and §6.2 scope, keyed by its type', () => {
    expect(Object.keys(scopes)).toEqual(ALL)
    expect(Object.keys(customerDataScopeDescriptions(BASE, { scopes: ['cds_usage'] }))).toEqual(['cds_usage'])
  })

  for (const id of ALL) {
    it(`${id} passes the strict schema and satisfies its §${CUSTOMER_DATA_SCOPE_PROFILES[id].section} profile`, () => {
      const sd = scopes[id]!
      const profile = CUSTOMER_DATA_SCOPE_PROFILES[id]
      const consent = profile.access === 'customer_consent'
      expect(checkStrict(ScopeDescription, sd)).toEqual([])
      expect(sd).toMatchObject({ id, type: id, documentation: `${BASE}/docs/oauth/scopes#${id}`, registration_requirements: [], registration_optional: [] })
      expect(sd).toMatchObject({ token_endpoint_auth_methods_supported: ['client_secret_basic'], grant_admin_scope: 'cds_grant_admin_1' })
      expect(sd.authorization_details_types_supported).toEqual([id])
      expect(sd.coverages_supported).toEqual(['demo-residential-electric'])
      expect(sd.code_challenge_methods_supported).toEqual(consent ? ['S256'] : [])
      // Response and grant types.
      for (const type of profile.responseTypesMustInclude) expect(sd.response_types_supported).toContain(type)
      if (profile.responseTypesMustBeEmpty) expect(sd.response_types_supported).toEqual([])
      for (const type of profile.grantTypesMustInclude) expect(sd.grant_types_supported).toContain(type)
      for (const type of profile.grantTypesMustExclude) expect(sd.grant_types_supported).not.toContain(type)
      // Fields: every required one, the data-dependent ones, none forbidden, no duplicate.
      const ids = sd.authorization_details_fields_supported.map((f) => f.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const field of [...profile.requiredFields, ...profile.fieldsWhenDataAvailable]) expect(ids).toContain(field)
      for (const field of profile.forbiddenFields) expect(ids).not.toContain(field)
      // Selections: the mandatory ones, only allowed ones, one when the scope says so, and the fields each brings.
      const selection = sd.authorization_details_fields_supported.find((f) => f.id === 'authorization_form_selection_type')
      if (profile.selectionChoices === null) {
        expect(selection).toBeUndefined()
      } else {
        const offered = (selection?.choices ?? []).map((c) => c.id)
        for (const must of profile.selectionChoices.mustInclude) expect(offered).toContain(must)
        for (const choice of offered) expect([...profile.selectionChoices.mustInclude, ...profile.selectionChoices.mayInclude]).toContain(choice)
        if (profile.singleSelectionChoice) expect(offered).toHaveLength(1)
        expect(offered).toContain(selection?.default)
        for (const choice of offered) {
          for (const field of profile.fieldsBySelection[choice as keyof typeof profile.fieldsBySelection] ?? []) expect(ids).toContain(field)
        }
      }
      for (const [field, value] of Object.entries(profile.requiredDefaults)) expect(fieldOf(id, field as CustomerDataAuthorizationDetailsFieldId).default).toBe(value)
      // Each field against its §7 definition.
      for (const field of sd.authorization_details_fields_supported) {
        const definition = CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[field.id as CustomerDataAuthorizationDetailsFieldId]
        expect(definition, field.id).toBeDefined()
        expect(definition.formats).toContain(field.format)
        expect(field.for_types).toEqual([id])
        expect(field.documentation).toBe(`${BASE}/docs/oauth/scopes#${id}-${field.id}`)
        if (definition.isRequiredFalse === 'always' || consent) expect(field.is_required).toBe(false)
        if (!consent) expect(definition.consentScopesOnly).toBe(false)
        if (definition.defaultRequired) expect(field).toHaveProperty('default')
        if (consent && definition.consentScopeDefault === null) expect(field.default).toBeNull()
        for (const choice of field.choices ?? []) {
          // CDS-WG3-01 §5.2: only the value-type Choices carry a Value Format, and it is a valid one.
          expect(Object.hasOwn(choice, 'usagesegment_format')).toBe(definition.choicesCarryUsageSegmentFormat)
          if (definition.choicesCarryUsageSegmentFormat) expect(checkStrict(ValueFormat, (choice as { usagesegment_format?: unknown }).usagesegment_format)).toEqual([])
        }
        // Every published default is accepted by the auth validator.
        if (Object.hasOwn(field, 'default')) expect(() => check(id, { [field.id]: field.default })).not.toThrow()
      }
    })
  }

  it('passes the server configuration checks when added to the demo configuration', () => {
    const config = defaultConfig(BASE)
    config.oauth.scope_descriptions = { ...config.oauth.scope_descriptions, ...customerDataScopeDescriptions(BASE, { coverages: ['demo-residential-electric'] }) }
    expect(validateConfig(config)).toEqual([])
  })

  it('A-48: refuses to make a field required in a consent scope or where §7 forbids it', () => {
    expect(() => customerDataScopeDescriptions(BASE, { scopes: ['cds_usage'], required_fields: { cds_usage: ['meter_numbers'] } })).toThrow(TypeError)
    expect(() => customerDataScopeDescriptions(BASE, { scopes: ['cds_usage'], required_fields: { cds_query_usage: ['merge_selection_with'] } })).not.toThrow()
  })
})

describe('CDS-WG3-01 §7 fields against the auth validator (CDS-WG1-02 §3.8, §3.9)', () => {
  it('string_list_or_null: a list or null; not a string, not an empty list', () => {
    expect(fieldOf('cds_usage', 'meter_numbers')).toMatchObject({ format: 'string_list_or_null', minimum: 1, maximum: 1000, default: null })
    expect(check('cds_usage', { meter_numbers: ['M-1', '_all'] }).meter_numbers).toEqual(['M-1', '_all'])
    expect(check('cds_usage', { meter_numbers: null }).meter_numbers).toBeNull()
    refused('cds_usage', { meter_numbers: 'M-1' }, 'meter_numbers')
    refused('cds_usage', { meter_numbers: [] }, 'meter_numbers')
    refused('cds_usage', { meter_numbers: ['x'.repeat(1001)] }, 'meter_numbers')
  })

  it('choice_list_or_null: known choices or null; an unknown choice is refused', () => {
    expect(check('cds_rate_plan', { service_types: ['electric', 'natural_gas'] }).service_types).toEqual(['electric', 'natural_gas'])
    expect(check('cds_rate_plan', { service_types: null }).service_types).toBeNull()
    refused('cds_rate_plan', { service_types: ['plasma'] }, 'service_types')
    expect(check('cds_usage', { include_usage_segment_value_types: ['electric_usage_kwh'] }).include_usage_segment_value_types).toEqual(['electric_usage_kwh'])
    refused('cds_usage', { include_usage_segment_value_types: ['gas_monthly_01'] }, 'include_usage_segment_value_types')
  })

  it('choice: a listed Selection; an unknown one is refused', () => {
    expect(check('cds_meters', { authorization_form_selection_type: 'account_selection' }).authorization_form_selection_type).toBe('account_selection')
    refused('cds_meters', { authorization_form_selection_type: 'aggregation_selection' }, 'authorization_form_selection_type')
    refused('cds_meters', { authorization_form_selection_type: null }, 'authorization_form_selection_type')
  })

  it('string_or_null: merge_selection_with takes a scope id or null', () => {
    expect(check('cds_usage', { merge_selection_with: 'cds_meters' }).merge_selection_with).toBe('cds_meters')
    expect(check('cds_usage', { merge_selection_with: null }).merge_selection_with).toBeNull()
    refused('cds_usage', { merge_selection_with: ['cds_meters'] }, 'merge_selection_with')
  })

  it('boolean: true or false only', () => {
    expect(check('cds_usage', { include_coordinates: true }).include_coordinates).toBe(true)
    refused('cds_usage', { include_coordinates: 'true' }, 'include_coordinates')
  })

  it('jwk_or_null: null or a public encryption key', () => {
    expect(check('cds_usage', { jwk: null }).jwk).toBeNull()
    refused('cds_usage', { jwk: { kty: 'oct', k: 'AAAA' } }, 'jwk')
  })

  it('relative_or_absolute_date: P3Y resolves back in America/Los_Angeles; PT1M and beyond the limit are refused', () => {
    // 06:00Z is still 2026-01-14 in Los Angeles: the start field counts back from that day.
    expect(check('cds_bill_statements', { statement_date_start: 'P3Y' }).statement_date_start).toBe('2023-01-14')
    expect(check('cds_bill_statements', { statement_date_start: '2024-02-29' }).statement_date_start).toBe('2024-02-29')
    expect(check('cds_bill_statements', { statement_date_end: 'infinite' }).statement_date_end).toBe('infinite')
    refused('cds_bill_statements', { statement_date_start: 'PT1M' }, 'statement_date_start')
    refused('cds_bill_statements', { statement_date_start: 'P4Y' }, 'statement_date_start')
    refused('cds_bill_statements', { statement_date_start: '2026-02-30' }, 'statement_date_start')
  })

  it('relative_or_absolute_datetime: durations count forward or back in the server time zone; expires stays within P1Y', () => {
    expect(check('cds_usage', { segment_start: 'P13M' }).segment_start).toBe('2024-12-14T22:00:00-08:00')
    expect(check('cds_aggregation_consent', { expires: 'P1Y' }).expires).toBe('2027-01-14T22:00:00-08:00')
    refused('cds_aggregation_consent', { expires: 'P2Y' }, 'expires')
    refused('cds_aggregation_consent', { expires: 'infinite' }, 'expires')
    refused('cds_usage', { segment_start: 'yesterday' }, 'segment_start')
  })

  it('fills the defaults of omitted fields, for an entry and for a scope requested without one', () => {
    const entry = check('cds_aggregation_consent', { aggregation_numbers: ['AGG-1'], premise_numbers: ['P-1'] })
    expect(entry).toMatchObject({ error_if_no_preselections: true, allow_scope_modifications: false, expires: '2027-01-14T22:00:00-08:00' })
    expect(entry).not.toHaveProperty('addresses')
    expect(entry.authorization_form_selection_type).toBe('aggregation_selection')
    const [filled] = fillScopeDefaults([], ['cds_query_usage'], scopes, options)
    expect(filled).toEqual({
      type: 'cds_query_usage',
      meter_numbers: null,
      aggregation_numbers: null,
      error_if_no_preselections: false,
      sync_until: 'infinite',
      segment_start: '2024-12-14T22:00:00-08:00',
      segment_end: 'infinite',
    })
  })

  it('A-20: a field a direct scope requires must be sent', () => {
    const strict = customerDataScopeDescriptions(BASE, { scopes: ['cds_query_usage'], required_fields: { cds_query_usage: ['aggregation_numbers'] } })
    const field = strict.cds_query_usage!.authorization_details_fields_supported.find((f) => f.id === 'aggregation_numbers')
    expect(field).toMatchObject({ is_required: true })
    expect(field).not.toHaveProperty('default')
    expect(checkStrict(ScopeDescription, strict.cds_query_usage)).toEqual([])
    const error = thrown(() => validateAuthorizationDetails([{ type: 'cds_query_usage' }], strict, options))
    expect(error).toMatchObject({ error: 'invalid_authorization_details', error_description: "authorization_details[0].aggregation_numbers is required for type 'cds_query_usage'" })
    expect(thrown(() => fillScopeDefaults([], ['cds_query_usage'], strict, options))).toBeInstanceOf(InvalidAuthorizationDetails)
    expect(validateAuthorizationDetails([{ type: 'cds_query_usage', aggregation_numbers: ['AGG-1'] }], strict, options)[0]).toMatchObject({ aggregation_numbers: ['AGG-1'] })
  })

  it('A-37, A-38, A-40 purpose: offered by consent scopes but Aggregation Inclusion when the server has default Purposes, with the registration field', () => {
    const withPurposes = customerDataScopeDescriptions(BASE, { default_purposes: [{ id: 'default-01', content: 'Any purpose.' }], purposes_registration_field: 'purposes' })
    for (const id of ALL) {
      const sd = withPurposes[id]!
      const offers = CUSTOMER_DATA_SCOPE_PROFILES[id].access === 'customer_consent' && id !== 'cds_aggregation_consent'
      expect(checkStrict(ScopeDescription, sd)).toEqual([])
      expect(sd.registration_optional, id).toEqual(offers ? ['purposes'] : [])
      const field = sd.authorization_details_fields_supported.find((f) => f.id === 'purpose')
      if (!offers) expect(field, id).toBeUndefined()
      else expect(field, id).toMatchObject({ format: 'choice_or_null', default: 'default-01', choices: [{ id: 'default-01', description: 'Any purpose.' }] })
    }
    // No default Purpose, no public choice: the field is left out (a choice field needs one).
    expect(scopes.cds_usage!.authorization_details_fields_supported.map((f) => f.id)).not.toContain('purpose')
  })

  it('refuses fields the scope does not offer', () => {
    refused('cds_rate_plan', { include_usage_segments: true }, 'include_usage_segments')
    refused('cds_query_accounts', { addresses: ['1 Main St'] }, 'addresses')
  })
})
