/**
 * CDS-WG3-01 Customer Data Scope Descriptions for this package's tests: consent scopes of §6.1
 * with the §7 fields the reference server publishes (formats, defaults and limits of catalog T8),
 * written out here because `@cds-ts/auth` cannot import the server's builder.
 */
import type { AuthorizationDetailsField, AuthorizationDetailsFieldChoice, ScopeDescription } from '@cds-ts/schema'
import { scopeDescription } from './_setup.js'

const DOC = 'https://utility.example/docs/oauth/scopes'

const choice = (id: string): AuthorizationDetailsFieldChoice => ({ id, name: id, description: id, documentation: `${DOC}#${id}` })

type Template = Omit<AuthorizationDetailsField, 'id' | 'name' | 'description' | 'documentation' | 'for_types' | 'is_required'>

const list: Template = { format: 'string_list_or_null', default: null, minimum: 1, maximum: 1000 }
const on: Template = { format: 'boolean', default: true }
const off: Template = { format: 'boolean', default: false }

/** The field templates, keyed by §7 id. */
export const FIELD_TEMPLATES: Readonly<Record<string, Template>> = {
  account_numbers: list,
  contract_numbers: list,
  meter_numbers: list,
  premise_numbers: list,
  aggregation_numbers: list,
  addresses: list,
  service_types: { format: 'choice_list_or_null', default: null, choices: ['electric', 'natural_gas'].map(choice) },
  account_programs: { format: 'choice_list_or_null', default: ['budget_billing'], choices: [choice('budget_billing')] },
  include_accounts: on,
  include_account_numbers: off,
  include_service_contracts: on,
  include_contract_numbers: on,
  include_service_points: off,
  include_meter_devices: on,
  include_meter_numbers: on,
  include_usage_segments: on,
  include_usage_segment_value_types: {
    format: 'choice_list_or_null',
    default: ['electric_usage_kwh', 'natural_gas_usage_therm'],
    choices: ['electric_usage_kwh', 'natural_gas_usage_therm'].map(choice),
  },
  sync_until: { format: 'relative_or_absolute_datetime', default: 'infinite', minimum: 'PT0S', maximum: 'infinite' },
  statement_date_start: { format: 'relative_or_absolute_date', default: 'P1Y', minimum: 'P0D', maximum: 'P3Y' },
  statement_date_end: { format: 'relative_or_absolute_date', default: 'infinite', minimum: 'P0D', maximum: 'infinite' },
  segment_start: { format: 'relative_or_absolute_datetime', default: 'P13M', minimum: 'PT0S', maximum: 'P3Y' },
  segment_end: { format: 'relative_or_absolute_datetime', default: 'infinite', minimum: 'PT0S', maximum: 'infinite' },
  expires: { format: 'relative_or_absolute_datetime', default: 'P1Y', minimum: 'PT0S', maximum: 'P1Y' },
  merge_selection_with: { format: 'string_or_null', default: null, minimum: 1, maximum: 1000 },
  error_if_no_preselections: off,
  purpose: { format: 'choice_or_null', default: 'default-01', choices: [choice('default-01')] },
  allow_scope_modifications: on,
  jwk: { format: 'jwk_or_null', default: null },
}

/** A consent Scope Description of WG3 `type` with the given fields (and per-field overrides). */
export function consentScope(
  id: string,
  type: string,
  fields: readonly string[],
  selections: readonly string[],
  overrides: Readonly<Record<string, Partial<AuthorizationDetailsField>>> = {},
): ScopeDescription {
  const field = (fieldId: string): AuthorizationDetailsField => {
    const template = FIELD_TEMPLATES[fieldId]
    if (template === undefined) throw new TypeError(`no template for ${fieldId}`)
    return {
      id: fieldId,
      name: fieldId,
      description: fieldId,
      documentation: `${DOC}#${id}-${fieldId}`,
      for_types: [id],
      is_required: false,
      ...template,
      ...overrides[fieldId],
    }
  }
  const selection: AuthorizationDetailsField = {
    id: 'authorization_form_selection_type',
    name: 'Selection type',
    description: 'Selection type',
    documentation: `${DOC}#${id}-authorization_form_selection_type`,
    for_types: [id],
    is_required: false,
    format: 'choice',
    default: selections[0],
    choices: selections.map(choice),
  }
  return scopeDescription(id, {
    type,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    authorization_details_fields_supported: [...fields.map(field), selection],
  })
}

const FORM = ['merge_selection_with', 'error_if_no_preselections', 'purpose', 'allow_scope_modifications', 'jwk']

/** Service List (§6.1.5), Meter List (§6.1.6), Meter Usage (§6.1.9), Bill Statements (§6.1.7), Account Programs (§6.1.2) and Aggregation Inclusion (§6.1.10). */
export const WG3_SCOPES: Readonly<Record<string, ScopeDescription>> = {
  cds_service_contracts_1: consentScope(
    'cds_service_contracts_1',
    'cds_service_contracts',
    [
      'account_numbers',
      'contract_numbers',
      'service_types',
      'addresses',
      'include_accounts',
      'include_account_numbers',
      'include_service_contracts',
      'include_contract_numbers',
      'include_meter_devices',
      'include_service_points',
      'sync_until',
      ...FORM,
    ],
    ['service_contract_selection', 'account_selection'],
    { include_meter_devices: { default: false } },
  ),
  cds_meters_1: consentScope(
    'cds_meters_1',
    'cds_meters',
    ['meter_numbers', 'contract_numbers', 'include_meter_devices', 'include_meter_numbers', 'sync_until', ...FORM],
    ['meter_device_selection', 'service_contract_selection'],
  ),
  cds_usage_1: consentScope(
    'cds_usage_1',
    'cds_usage',
    [
      'contract_numbers',
      'meter_numbers',
      'include_meter_devices',
      'include_meter_numbers',
      'include_usage_segments',
      'include_usage_segment_value_types',
      'segment_start',
      'segment_end',
      'sync_until',
      ...FORM,
    ],
    ['service_contract_selection', 'meter_device_selection'],
  ),
  cds_bill_statements_1: consentScope(
    'cds_bill_statements_1',
    'cds_bill_statements',
    ['account_numbers', 'statement_date_start', 'statement_date_end', ...FORM],
    ['account_selection'],
  ),
  cds_account_programs_1: consentScope(
    'cds_account_programs_1',
    'cds_account_programs',
    ['account_numbers', 'account_programs', 'include_accounts', 'include_account_numbers', 'sync_until', ...FORM],
    ['account_selection'],
  ),
  cds_aggregation_consent_1: consentScope(
    'cds_aggregation_consent_1',
    'cds_aggregation_consent',
    ['aggregation_numbers', 'premise_numbers', 'expires', 'error_if_no_preselections', 'allow_scope_modifications'],
    ['aggregation_selection'],
    { error_if_no_preselections: { default: true }, allow_scope_modifications: { default: false } },
  ),
}
