/**
 * The enumerations of the authorization side of CDS-WG3-01 (§5–§7): the Authorization Details
 * Field ids, the Selection choices of the Authorization Form and the special preselection
 * strings. The scope types are in `scopes.ts`, the registration formats in `metadata-extension.ts`.
 *
 * @module
 */
import type { Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * The preselection fields of CDS-WG3-01 §7.1, in section order.
 *
 * @see CDS-WG3-01 §7.1 Preselection Fields
 */
export const PRESELECTION_FIELD_IDS = [
  'account_numbers',
  'account_programs',
  'contract_numbers',
  'service_types',
  'service_programs',
  'servicepoint_numbers',
  'servicepoint_types',
  'premise_numbers',
  'meter_numbers',
  'meter_types',
  'meter_apps',
  'aggregation_numbers',
  'addresses',
] as const

/**
 * The included data fields of CDS-WG3-01 §7.2, in section order.
 *
 * @see CDS-WG3-01 §7.2 Included Data Fields
 */
export const INCLUDED_DATA_FIELD_IDS = [
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
  'include_meter_devices',
  'include_meter_numbers',
  'include_meter_apps',
  'include_bill_statements',
  'include_bill_statement_files',
  'include_bill_statement_charges',
  'include_bill_statement_programs',
  'include_bill_sections',
  'include_bill_section_line_items',
  'include_aggregations',
  'include_aggregation_addresses',
  'include_usage_segments',
  'include_usage_segment_value_types',
  'include_eacs',
] as const

/**
 * The duration fields of CDS-WG3-01 §7.3, in section order.
 *
 * @see CDS-WG3-01 §7.3 Duration Fields
 */
export const DURATION_FIELD_IDS = [
  'sync_until',
  'statement_date_start',
  'statement_date_end',
  'start_date',
  'end_date',
  'segment_start',
  'segment_end',
  'expires',
] as const

/**
 * The other fields of CDS-WG3-01 §7.4, in section order.
 *
 * @see CDS-WG3-01 §7.4 Other Fields
 */
export const OTHER_FIELD_IDS = [
  'authorization_form_selection_type',
  'merge_selection_with',
  'error_if_no_preselections',
  'purpose',
  'allow_scope_modifications',
  'jwk',
] as const

/**
 * The `id` of every Authorization Details Field CDS-WG3-01 defines; it is also the member name
 * inside an `authorization_details` object.
 *
 * @see CDS-WG3-01 §7 Authorization Details Fields
 */
export const CustomerDataAuthorizationDetailsFieldId = Cds.Enum(
  [...PRESELECTION_FIELD_IDS, ...INCLUDED_DATA_FIELD_IDS, ...DURATION_FIELD_IDS, ...OTHER_FIELD_IDS],
  {
    $id: 'CustomerDataAuthorizationDetailsFieldId',
    description:
      'Id of an Authorization Details Field defined for Customer Data: preselection (§7.1), included data (§7.2), duration (§7.3) or other (§7.4) (CDS-WG3-01 §7).',
  },
)
export type CustomerDataAuthorizationDetailsFieldId = Static<typeof CustomerDataAuthorizationDetailsFieldId>

/**
 * The Selection Components an Authorization Form can render for a scope; the Choice ids of the
 * `authorization_form_selection_type` field.
 *
 * @see CDS-WG3-01 §7.4.1 Selection Type
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export const AuthorizationFormSelectionType = Cds.Enum(
  ['account_selection', 'service_contract_selection', 'servicepoint_selection', 'meter_device_selection', 'aggregation_selection'],
  {
    $id: 'AuthorizationFormSelectionType',
    description:
      'Which Selection Component the Authorization Form shows for a scope: accounts, service contracts, service points, meter devices or aggregations (CDS-WG3-01 §7.4.1, §9.2.3).',
  },
)
export type AuthorizationFormSelectionType = Static<typeof AuthorizationFormSelectionType>

/**
 * Special strings a preselection list may hold: `_all` preselects every resource of the Selection,
 * `_include_future` ticks the Selection's include-future option. `_all` is defined for
 * `account_numbers`, `contract_numbers`, `servicepoint_numbers` and `meter_numbers`;
 * `_include_future` only for `account_numbers` and `contract_numbers`.
 *
 * @see CDS-WG3-01 §7.1.1 Preselect Account Numbers
 * @see CDS-WG3-01 §7.1.3 Preselect Contract Numbers
 */
export const PreselectionSpecialValue = Cds.Enum(['_all', '_include_future'], {
  $id: 'PreselectionSpecialValue',
  description:
    'Reserved preselection strings: `_all` (every resource) and `_include_future` (the include-future option) (CDS-WG3-01 §7.1.1, §7.1.3, §7.1.6, §7.1.9).',
})
export type PreselectionSpecialValue = Static<typeof PreselectionSpecialValue>
