/**
 * What CDS-WG3-01 §7 fixes for each Authorization Details Field: the `id`, the `format` values the
 * field object may use, when `is_required` must be `false`, the fixed defaults and the special
 * values. Limits (`minimum`/`maximum`) are the Server's to publish; the spec fixes none.
 *
 * @module
 */
import type { CustomerDataAuthorizationDetailsFieldId } from './enums-auth.js'

/**
 * The Authorization Details Field `format` values CDS-WG3-01 §7 uses. `string_list_or_null`,
 * `choice_list_or_null` and `choice_or_null` are not in CDS-WG1-02 §3.9 (catalog A-03).
 *
 * @see CDS-WG3-01 §7 Authorization Details Fields
 */
export type CustomerDataFieldFormat =
  | 'string_list_or_null'
  | 'choice_list_or_null'
  | 'boolean'
  | 'relative_or_absolute_date'
  | 'relative_or_absolute_datetime'
  | 'choice'
  | 'choice_or_null'
  | 'string_or_null'
  | 'jwk_or_null'

/**
 * The fixed properties of one Authorization Details Field (CDS-WG3-01 §7).
 *
 * @see CDS-WG3-01 §7 Authorization Details Fields
 */
export interface CustomerDataFieldDefinition {
  /** Spec section, e.g. `7.1.1`. */
  readonly section: string
  /** Section title. */
  readonly title: string
  /** Preselection (§7.1), included data (§7.2), duration (§7.3) or other (§7.4). */
  readonly category: 'preselection' | 'included_data' | 'duration' | 'other'
  /** The `format` values the field object may carry. */
  readonly formats: readonly CustomerDataFieldFormat[]
  /** Where `is_required` must be `false`: every scope, consent scopes only, or not fixed (catalog A-48). */
  readonly isRequiredFalse: 'always' | 'consent_scopes' | 'unspecified'
  /** The field must not be offered by a scope whose `response_types_supported` is `[]`. */
  readonly consentScopesOnly: boolean
  /** Reserved strings a value may hold (`_all`, `_include_future`, `infinite`). */
  readonly specialValues: readonly string[]
  /** The field object must publish a `default`. */
  readonly defaultRequired: boolean
  /** The `default` the field object must have in consent scopes, when the spec fixes one. */
  readonly consentScopeDefault?: null
  /** Durations: relative values are added to or subtracted from the anchor; the absolute form returned in Grants. */
  readonly duration?: { readonly direction: 'add' | 'subtract'; readonly absolute: 'date' | 'datetime' }
  /** Every Choice of the field object carries `usagesegment_format` (§5.2). */
  readonly choicesCarryUsageSegmentFormat: boolean
}

const BASE = { isRequiredFalse: 'consent_scopes', consentScopesOnly: false, specialValues: [], defaultRequired: false, choicesCarryUsageSegmentFormat: false } as const
const LIST_FORMATS = ['string_list_or_null', 'choice_list_or_null'] as const
const CHOICE_LIST = ['choice_list_or_null'] as const

function preselection(section: string, title: string, formats: readonly CustomerDataFieldFormat[], specialValues: readonly string[] = []): CustomerDataFieldDefinition {
  return { ...BASE, section, title, category: 'preselection', formats, specialValues }
}

function included(section: string, title: string): CustomerDataFieldDefinition {
  return { ...BASE, section, title, category: 'included_data', formats: ['boolean'] }
}

function duration(section: string, title: string, absolute: 'date' | 'datetime', direction: 'add' | 'subtract'): CustomerDataFieldDefinition {
  return {
    ...BASE,
    section,
    title,
    category: 'duration',
    formats: [absolute === 'date' ? 'relative_or_absolute_date' : 'relative_or_absolute_datetime'],
    specialValues: ['infinite'],
    duration: { direction, absolute },
  }
}

/**
 * Every Authorization Details Field of CDS-WG3-01 §7, keyed by `id` (catalog Part C, T8).
 *
 * @see CDS-WG3-01 §7 Authorization Details Fields
 */
export const CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS: { readonly [F in CustomerDataAuthorizationDetailsFieldId]: CustomerDataFieldDefinition } = {
  // §7.1: `_all` and `_include_future` are defined only where the section names them.
  account_numbers: preselection('7.1.1', 'Preselect Account Numbers', LIST_FORMATS, ['_all', '_include_future']),
  account_programs: preselection('7.1.2', 'Preselect Account Programs', CHOICE_LIST),
  contract_numbers: preselection('7.1.3', 'Preselect Contract Numbers', LIST_FORMATS, ['_all', '_include_future']),
  service_types: preselection('7.1.4', 'Preselect Service Types', CHOICE_LIST),
  service_programs: preselection('7.1.5', 'Preselect Service Programs', CHOICE_LIST),
  servicepoint_numbers: preselection('7.1.6', 'Preselect Service Point Numbers', LIST_FORMATS, ['_all']),
  servicepoint_types: preselection('7.1.7', 'Preselect Service Point Types', CHOICE_LIST),
  premise_numbers: preselection('7.1.8', 'Preselect Premise Numbers', LIST_FORMATS),
  meter_numbers: preselection('7.1.9', 'Preselect Meter Numbers', LIST_FORMATS, ['_all']),
  meter_types: preselection('7.1.10', 'Preselect Meter Device Types', CHOICE_LIST),
  meter_apps: preselection('7.1.11', 'Preselect Meter Apps', CHOICE_LIST),
  aggregation_numbers: preselection('7.1.12', 'Preselect Aggregation Numbers', LIST_FORMATS),
  // CDS-WG3-01 §7.1.13: addresses cannot filter direct access scopes.
  addresses: { ...preselection('7.1.13', 'Preselect Addresses', LIST_FORMATS), consentScopesOnly: true },

  include_accounts: included('7.2.1', 'Include Accounts'),
  include_account_numbers: included('7.2.1.1', 'Include Account Numbers'),
  include_account_details: included('7.2.1.2', 'Include Account Details'),
  include_account_programs: included('7.2.1.3', 'Include Account Programs'),
  include_service_contracts: included('7.2.2', 'Include Service Contracts'),
  include_contract_numbers: included('7.2.2.1', 'Include Contract Numbers'),
  include_rate_plans: included('7.2.2.2', 'Include Rate Plans'),
  include_service_contract_details: included('7.2.2.3', 'Include Service Contract Details'),
  include_service_programs: included('7.2.2.4', 'Include Service Programs'),
  include_service_points: included('7.2.3', 'Include Service Points'),
  include_premises: included('7.2.3.1', 'Include Premises'),
  include_service_point_addresses: included('7.2.3.2', 'Include Service Point Addresses'),
  include_coordinates: included('7.2.3.3', 'Include Coordinates'),
  include_meter_devices: included('7.2.4', 'Include Meter Devices'),
  include_meter_numbers: included('7.2.4.1', 'Include Meter Numbers'),
  include_meter_apps: included('7.2.4.2', 'Include Meter Apps'),
  include_bill_statements: included('7.2.5', 'Include Bill Statements'),
  include_bill_statement_files: included('7.2.5.1', 'Include Bill Statement Files'),
  include_bill_statement_charges: included('7.2.5.2', 'Include Bill Statement Charges'),
  include_bill_statement_programs: included('7.2.5.3', 'Include Bill Statement Programs'),
  include_bill_sections: included('7.2.6', 'Include Bill Sections'),
  include_bill_section_line_items: included('7.2.6.1', 'Include Bill Section Line Items'),
  include_aggregations: included('7.2.7', 'Include Aggregations'),
  include_aggregation_addresses: included('7.2.7.1', 'Include Aggregation Addresses'),
  include_usage_segments: included('7.2.8', 'Include Usage Segments'),
  // CDS-WG3-01 §7.2.8.1 with §5.2: a choice list whose Choices each carry a Value Format.
  include_usage_segment_value_types: {
    ...BASE,
    section: '7.2.8.1',
    title: 'Include Usage Segment Formats',
    category: 'included_data',
    formats: CHOICE_LIST,
    choicesCarryUsageSegmentFormat: true,
  },
  include_eacs: included('7.2.9', 'Include Energy Attribute Certificates'),

  // CDS-WG3-01 §7.3 and catalog A-05: start fields count back from the anchor, the others forward.
  sync_until: duration('7.3.1', 'Sync Until', 'datetime', 'add'),
  statement_date_start: duration('7.3.2', 'Bill Statement Date Start', 'date', 'subtract'),
  statement_date_end: duration('7.3.3', 'Bill Statement Date End', 'date', 'add'),
  start_date: duration('7.3.4', 'Bill Section Start Date', 'date', 'subtract'),
  end_date: duration('7.3.5', 'Bill Section End Date', 'date', 'add'),
  segment_start: duration('7.3.6', 'Usage Segment Start', 'datetime', 'subtract'),
  segment_end: duration('7.3.7', 'Usage Segment End', 'datetime', 'add'),
  expires: duration('7.3.8', 'Expires', 'datetime', 'add'),

  // CDS-WG3-01 §7.4.1: never required, and the Server always publishes its default Selection.
  authorization_form_selection_type: {
    ...BASE,
    section: '7.4.1',
    title: 'Selection Type',
    category: 'other',
    formats: ['choice'],
    isRequiredFalse: 'always',
    defaultRequired: true,
  },
  merge_selection_with: {
    ...BASE,
    section: '7.4.2',
    title: 'Merge Selections',
    category: 'other',
    formats: ['string_or_null'],
    isRequiredFalse: 'always',
    consentScopesOnly: true,
  },
  error_if_no_preselections: {
    ...BASE,
    section: '7.4.3',
    title: 'Error If No Preselections',
    category: 'other',
    formats: ['boolean'],
    isRequiredFalse: 'unspecified',
  },
  purpose: {
    ...BASE,
    section: '7.4.4',
    title: 'Purpose Identifier',
    category: 'other',
    formats: ['choice', 'choice_or_null'],
    isRequiredFalse: 'always',
    consentScopesOnly: true,
  },
  allow_scope_modifications: {
    ...BASE,
    section: '7.4.5',
    title: 'Allow Scope Modifications',
    category: 'other',
    formats: ['boolean'],
    isRequiredFalse: 'unspecified',
    consentScopesOnly: true,
  },
  // CDS-WG3-01 §7.4.6: in consent scopes the default is no extra encryption.
  jwk: {
    ...BASE,
    section: '7.4.6',
    title: 'Additional JWK Encryption',
    category: 'other',
    formats: ['jwk_or_null'],
    consentScopeDefault: null,
  },
}
