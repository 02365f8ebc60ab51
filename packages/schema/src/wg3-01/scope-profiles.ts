/**
 * The fixed rules each Customer Data scope type of CDS-WG3-01 §6 puts on its Scope Description
 * and on the Server: fields it must, may or must not offer, its Selection choices, the data it
 * always includes, and the request values it refuses.
 *
 * @module
 */
import type { CustomerDataAuthorizationDetailsFieldId } from './enums-auth.js'
import type { CustomerDataScope, CustomerDataScopeProfile } from './scopes.js'

// CDS-WG3-01 §6.1: consent scopes use the Authorization Code flow and need `code`; each §6.1.x forbids client_credentials.
const CONSENT = {
  access: 'customer_consent',
  responseTypesMustInclude: ['code'],
  responseTypesMustBeEmpty: false,
  grantTypesMustInclude: ['authorization_code', 'refresh_token'],
  grantTypesMustExclude: ['client_credentials'],
  fieldsBySelection: {},
  requiredDefaults: {},
  rejectedValues: [],
  omitsPreselectionFieldsFromGrant: true,
  preselectionFieldsKeptInGrant: [],
} as const

// CDS-WG3-01 §6.2: direct scopes have no authorization request and use the Client Credentials flow.
// §7.1.13, §7.4.2, §7.4.4 and §7.4.5 keep four fields off scopes whose response types are empty.
const DIRECT = {
  access: 'direct_access',
  responseTypesMustInclude: [],
  responseTypesMustBeEmpty: true,
  grantTypesMustInclude: ['client_credentials'],
  grantTypesMustExclude: [],
  fieldsWhenDataAvailable: [],
  forbiddenFields: ['addresses', 'merge_selection_with', 'purpose', 'allow_scope_modifications'],
  selectionChoices: null,
  singleSelectionChoice: false,
  fieldsBySelection: {},
  requiredDefaults: {},
  rejectedValues: [],
  omitsPreselectionFieldsFromGrant: false,
  preselectionFieldsKeptInGrant: [],
} as const

// The form-control fields every consent scope of §6.1.1–§6.1.9 must offer.
const FORM_FIELDS = ['authorization_form_selection_type', 'merge_selection_with', 'error_if_no_preselections', 'allow_scope_modifications', 'jwk'] as const
// Bill and usage data are kept out of the scopes that do not share them.
const NO_BILLS_NO_USAGE = ['include_bill_statements', 'include_bill_sections', 'include_usage_segments'] as const

/**
 * The fixed rules of every Customer Data scope type, from CDS-WG3-01 §6.1.1–§6.1.10 and
 * §6.2.1–§6.2.8 (catalog Part C, T6 and T7).
 *
 * @see CDS-WG3-01 §6 Scopes Supported
 */
export const CUSTOMER_DATA_SCOPE_PROFILES: { readonly [S in CustomerDataScope]: CustomerDataScopeProfile } = {
  cds_rate_plan: {
    ...CONSENT,
    section: '6.1.1',
    title: 'Rate Plan',
    requiredFields: ['contract_numbers', 'service_types', 'include_contract_numbers', 'sync_until', ...FORM_FIELDS],
    fieldsWhenDataAvailable: ['account_numbers', 'meter_numbers', 'addresses', 'include_accounts', 'include_account_numbers', 'include_meter_devices', 'include_meter_numbers'],
    forbiddenFields: NO_BILLS_NO_USAGE,
    selectionChoices: { mustInclude: ['service_contract_selection'], mayInclude: [] },
    singleSelectionChoice: true,
    impliedTrueFields: ['include_service_contracts', 'include_rate_plans'],
  },
  cds_account_programs: {
    ...CONSENT,
    section: '6.1.2',
    title: 'Account Program Participation',
    requiredFields: ['account_numbers', 'account_programs', 'include_account_numbers', 'sync_until', ...FORM_FIELDS],
    fieldsWhenDataAvailable: ['addresses'],
    forbiddenFields: NO_BILLS_NO_USAGE,
    selectionChoices: { mustInclude: ['account_selection'], mayInclude: [] },
    singleSelectionChoice: true,
    impliedTrueFields: ['include_accounts', 'include_account_programs'],
    // CDS-WG3-01 §6.1.2: the Client must name the programs, and they are echoed in the Grant.
    rejectedValues: [{ field: 'account_programs', value: null }],
    preselectionFieldsKeptInGrant: ['account_programs'],
  },
  cds_service_programs: {
    ...CONSENT,
    section: '6.1.3',
    title: 'Service Program Participation',
    requiredFields: ['contract_numbers', 'service_programs', 'service_types', 'include_contract_numbers', 'sync_until', ...FORM_FIELDS],
    fieldsWhenDataAvailable: [
      'account_numbers',
      'meter_numbers',
      'addresses',
      'include_accounts',
      'include_account_numbers',
      'include_rate_plans',
      'include_meter_devices',
      'include_meter_numbers',
    ],
    forbiddenFields: NO_BILLS_NO_USAGE,
    selectionChoices: { mustInclude: ['service_contract_selection'], mayInclude: [] },
    singleSelectionChoice: true,
    impliedTrueFields: ['include_service_contracts', 'include_service_programs'],
    // CDS-WG3-01 §6.1.3: the Client must name the programs, and they are echoed in the Grant.
    rejectedValues: [{ field: 'service_programs', value: null }],
    preselectionFieldsKeptInGrant: ['service_programs'],
  },
  cds_accounts: {
    ...CONSENT,
    section: '6.1.4',
    title: 'Account List',
    requiredFields: ['account_numbers', 'include_account_numbers', 'sync_until', ...FORM_FIELDS],
    fieldsWhenDataAvailable: ['addresses', 'include_account_details', 'include_account_programs', 'include_aggregations'],
    forbiddenFields: NO_BILLS_NO_USAGE,
    selectionChoices: { mustInclude: ['account_selection'], mayInclude: [] },
    singleSelectionChoice: true,
    impliedTrueFields: ['include_accounts'],
  },
  cds_service_contracts: {
    ...CONSENT,
    section: '6.1.5',
    title: 'Service List',
    requiredFields: ['contract_numbers', 'service_types', 'include_contract_numbers', 'sync_until', ...FORM_FIELDS],
    fieldsWhenDataAvailable: [
      'account_numbers',
      'meter_numbers',
      'addresses',
      'include_account_numbers',
      'include_account_details',
      'include_account_programs',
      'include_rate_plans',
      'include_service_contract_details',
      'include_service_programs',
      'include_meter_devices',
      'include_meter_numbers',
      'include_meter_apps',
      'include_aggregations',
    ],
    forbiddenFields: NO_BILLS_NO_USAGE,
    selectionChoices: { mustInclude: ['service_contract_selection'], mayInclude: ['account_selection'] },
    singleSelectionChoice: false,
    impliedTrueFields: ['include_accounts', 'include_service_contracts'],
  },
  cds_meters: {
    ...CONSENT,
    section: '6.1.6',
    title: 'Meter List',
    requiredFields: ['meter_numbers', 'meter_types', 'include_meter_numbers', 'sync_until', ...FORM_FIELDS],
    fieldsWhenDataAvailable: [
      'account_numbers',
      'contract_numbers',
      'service_types',
      'servicepoint_numbers',
      'servicepoint_types',
      'premise_numbers',
      'addresses',
      'include_accounts',
      'include_account_numbers',
      'include_account_details',
      'include_account_programs',
      'include_service_contracts',
      'include_contract_numbers',
      'include_rate_plans',
      'include_service_contract_details',
      'include_service_programs',
      'include_service_points',
      'include_premises',
      'include_service_point_addresses',
      'include_coordinates',
      'include_meter_apps',
      'include_aggregations',
    ],
    forbiddenFields: NO_BILLS_NO_USAGE,
    selectionChoices: { mustInclude: ['meter_device_selection'], mayInclude: ['service_contract_selection', 'account_selection', 'servicepoint_selection'] },
    singleSelectionChoice: false,
    impliedTrueFields: ['include_meter_devices'],
  },
  cds_bill_statements: {
    ...CONSENT,
    section: '6.1.7',
    title: 'Bill Statements',
    // CDS-WG3-01 §6.1.7 does not list `sync_until` (catalog A-65).
    requiredFields: ['account_numbers', 'statement_date_start', 'statement_date_end', ...FORM_FIELDS],
    fieldsWhenDataAvailable: [
      'contract_numbers',
      'meter_numbers',
      'addresses',
      'include_bill_statement_files',
      'include_bill_statement_charges',
      'include_bill_statement_programs',
    ],
    forbiddenFields: ['include_usage_segments'],
    selectionChoices: { mustInclude: ['account_selection'], mayInclude: [] },
    singleSelectionChoice: true,
    impliedTrueFields: ['include_bill_statements', 'include_accounts', 'include_account_numbers'],
  },
  cds_service_bills: {
    ...CONSENT,
    section: '6.1.8',
    title: 'Service Bills',
    requiredFields: ['contract_numbers', 'service_types', 'start_date', 'end_date', ...FORM_FIELDS],
    fieldsWhenDataAvailable: [
      'account_numbers',
      'meter_numbers',
      'addresses',
      'statement_date_start',
      'statement_date_end',
      'include_bill_statements',
      'include_bill_statement_files',
      'include_bill_statement_charges',
      'include_bill_statement_programs',
      'include_bill_section_line_items',
      'include_aggregations',
      'include_service_points',
      'include_meter_devices',
      'include_meter_numbers',
    ],
    forbiddenFields: ['include_usage_segments'],
    selectionChoices: { mustInclude: ['service_contract_selection', 'account_selection'], mayInclude: [] },
    singleSelectionChoice: false,
    impliedTrueFields: ['include_bill_sections', 'include_accounts', 'include_account_numbers', 'include_service_contracts', 'include_contract_numbers'],
  },
  cds_usage: {
    ...CONSENT,
    section: '6.1.9',
    title: 'Meter Usage',
    requiredFields: ['include_meter_devices', 'include_meter_numbers', 'include_usage_segment_value_types', 'segment_start', 'segment_end', ...FORM_FIELDS],
    fieldsWhenDataAvailable: [
      'account_numbers',
      'contract_numbers',
      'service_types',
      'servicepoint_numbers',
      'servicepoint_types',
      'premise_numbers',
      'meter_numbers',
      'meter_types',
      'aggregation_numbers',
      'addresses',
      'include_accounts',
      'include_account_numbers',
      'include_service_contracts',
      'include_contract_numbers',
      'include_service_points',
      'include_premises',
      'include_service_point_addresses',
      'include_coordinates',
      'include_aggregations',
      'include_aggregation_addresses',
      'include_bill_sections',
      'include_bill_section_line_items',
    ],
    forbiddenFields: [],
    // CDS-WG3-01 §6.1.9: at least one of the five Selections, each bringing its own fields.
    selectionChoices: {
      mustInclude: [],
      mayInclude: ['account_selection', 'service_contract_selection', 'servicepoint_selection', 'meter_device_selection', 'aggregation_selection'],
    },
    singleSelectionChoice: false,
    fieldsBySelection: {
      account_selection: ['sync_until', 'account_numbers', 'include_accounts', 'include_account_numbers', 'include_service_contracts', 'include_contract_numbers'],
      service_contract_selection: [
        'sync_until',
        'account_numbers',
        'contract_numbers',
        'include_accounts',
        'include_account_numbers',
        'include_service_contracts',
        'include_contract_numbers',
      ],
      servicepoint_selection: ['sync_until', 'servicepoint_numbers', 'include_service_points'],
      meter_device_selection: ['sync_until', 'meter_numbers'],
      aggregation_selection: ['sync_until', 'aggregation_numbers', 'include_aggregations'],
    },
    impliedTrueFields: ['include_usage_segments'],
  },
  cds_aggregation_consent: {
    ...CONSENT,
    section: '6.1.10',
    title: 'Aggregation Inclusion',
    // CDS-WG3-01 §6.1.10 lists no merge_selection_with, jwk or sync_until (catalog A-86).
    requiredFields: [
      'aggregation_numbers',
      'premise_numbers',
      'expires',
      'authorization_form_selection_type',
      'error_if_no_preselections',
      'allow_scope_modifications',
    ],
    fieldsWhenDataAvailable: [],
    forbiddenFields: [],
    selectionChoices: { mustInclude: ['aggregation_selection'], mayInclude: [] },
    singleSelectionChoice: true,
    impliedTrueFields: [],
    // CDS-WG3-01 §6.1.10: the form is never editable and must error when nothing is preselected.
    requiredDefaults: { error_if_no_preselections: true, allow_scope_modifications: false },
    rejectedValues: [
      { field: 'aggregation_numbers', value: null },
      { field: 'premise_numbers', value: null },
      { field: 'error_if_no_preselections', value: false },
      { field: 'allow_scope_modifications', value: true },
    ],
    // §6.1.10 does not say preselection fields leave the Grant (catalog T6 keeps them).
    omitsPreselectionFieldsFromGrant: false,
  },
  cds_query_accounts: { ...DIRECT, section: '6.2.1', title: 'Accounts Query', requiredFields: ['sync_until'], impliedTrueFields: ['include_accounts'] },
  cds_query_service_contracts: {
    ...DIRECT,
    section: '6.2.2',
    title: 'Service Contracts Query',
    requiredFields: ['sync_until'],
    impliedTrueFields: ['include_accounts', 'include_service_contracts'],
  },
  cds_query_service_points: {
    ...DIRECT,
    section: '6.2.3',
    title: 'Service Points Query',
    requiredFields: ['sync_until'],
    impliedTrueFields: ['include_service_points'],
  },
  cds_query_meter_devices: {
    ...DIRECT,
    section: '6.2.4',
    title: 'Meter Devices Query',
    requiredFields: ['sync_until'],
    impliedTrueFields: ['include_meter_devices'],
  },
  cds_query_bill_statements: {
    ...DIRECT,
    section: '6.2.5',
    title: 'Bill Statements Query',
    requiredFields: ['sync_until', 'statement_date_start', 'statement_date_end'],
    impliedTrueFields: ['include_bill_statements'],
  },
  cds_query_bill_sections: {
    ...DIRECT,
    section: '6.2.6',
    title: 'Bill Sections Query',
    requiredFields: ['sync_until', 'start_date', 'end_date'],
    impliedTrueFields: ['include_bill_sections'],
  },
  cds_query_aggregations: {
    ...DIRECT,
    section: '6.2.7',
    title: 'Aggregations Query',
    requiredFields: ['sync_until'],
    impliedTrueFields: ['include_aggregations'],
  },
  cds_query_usage: {
    ...DIRECT,
    section: '6.2.8',
    title: 'Usage Query',
    requiredFields: ['sync_until', 'segment_start', 'segment_end'],
    impliedTrueFields: ['include_usage_segments', 'include_usage_segment_value_types'],
  },
}

/**
 * The scope types whose default access includes the data of `field` (their `impliedTrueFields`).
 *
 * @see CDS-WG3-01 §5 Server Metadata
 */
export function scopesImplying(field: CustomerDataAuthorizationDetailsFieldId): CustomerDataScope[] {
  return (Object.keys(CUSTOMER_DATA_SCOPE_PROFILES) as CustomerDataScope[]).filter((scope) =>
    CUSTOMER_DATA_SCOPE_PROFILES[scope].impliedTrueFields.includes(field),
  )
}
