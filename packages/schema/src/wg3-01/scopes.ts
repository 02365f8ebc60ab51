/**
 * The Customer Data scopes of CDS-WG3-01 §6 by their Scope Description `type` strings. A Server
 * picks its own scope ids (for example `cds_usage_1`); the `type` is what the spec fixes
 * (CDS-WG1-02 §3.4). The rules of each scope are in `scope-profiles.ts`.
 *
 * @module
 */
import type { Static } from 'typebox'
import { Cds } from '../common/cds.js'
import type { AuthorizationFormSelectionType, CustomerDataAuthorizationDetailsFieldId } from './enums-auth.js'

/**
 * The consent scope types of CDS-WG3-01 §6.1, in section order.
 *
 * @see CDS-WG3-01 §6.1 Customer Consent Scopes
 */
export const CUSTOMER_CONSENT_SCOPES = [
  'cds_rate_plan',
  'cds_account_programs',
  'cds_service_programs',
  'cds_accounts',
  'cds_service_contracts',
  'cds_meters',
  'cds_bill_statements',
  'cds_service_bills',
  'cds_usage',
  'cds_aggregation_consent',
] as const

/**
 * The direct access scope types of CDS-WG3-01 §6.2, in section order.
 *
 * @see CDS-WG3-01 §6.2 Direct Access Scopes
 */
export const DIRECT_ACCESS_SCOPES = [
  'cds_query_accounts',
  'cds_query_service_contracts',
  'cds_query_service_points',
  'cds_query_meter_devices',
  'cds_query_bill_statements',
  'cds_query_bill_sections',
  'cds_query_aggregations',
  'cds_query_usage',
] as const

/**
 * A Customer Data scope type: the Scope Description `type` value of a §6.1 customer consent scope
 * or a §6.2 direct access scope.
 *
 * @see CDS-WG3-01 §6 Scopes Supported
 */
export const CustomerDataScope = Cds.Enum([...CUSTOMER_CONSENT_SCOPES, ...DIRECT_ACCESS_SCOPES], {
  $id: 'CustomerDataScope',
  description:
    'Scope Description `type` of a Customer Data scope: customer consent scopes (§6.1) or direct access scopes (§6.2) (CDS-WG3-01 §6).',
})
export type CustomerDataScope = Static<typeof CustomerDataScope>

type Field = CustomerDataAuthorizationDetailsFieldId
type Selection = AuthorizationFormSelectionType

/**
 * What CDS-WG3-01 §6 fixes for one scope type. Field lists name Authorization Details Field ids
 * that go in the Scope Description's `authorization_details_fields_supported` (catalog A-01).
 *
 * @see CDS-WG3-01 §6 Scopes Supported
 */
export interface CustomerDataScopeProfile {
  /** Spec section, e.g. `6.1.9`. */
  readonly section: string
  /** Section title. */
  readonly title: string
  /** `customer_consent` (§6.1, Authorization Code flow) or `direct_access` (§6.2, Client Credentials flow). */
  readonly access: 'customer_consent' | 'direct_access'
  /** Values `response_types_supported` must contain. */
  readonly responseTypesMustInclude: readonly string[]
  /** Whether `response_types_supported` must be `[]`. */
  readonly responseTypesMustBeEmpty: boolean
  /** Values `grant_types_supported` must contain. */
  readonly grantTypesMustInclude: readonly string[]
  /** Values `grant_types_supported` must not contain. */
  readonly grantTypesMustExclude: readonly string[]
  /** Fields that must always be offered. */
  readonly requiredFields: readonly Field[]
  /** Fields that must be offered when the Server has the data behind them. */
  readonly fieldsWhenDataAvailable: readonly Field[]
  /** Fields that must not be offered. */
  readonly forbiddenFields: readonly Field[]
  /** Choices of `authorization_form_selection_type`: those it must list and those it may list; `null` when there is no form. */
  readonly selectionChoices: { readonly mustInclude: readonly Selection[]; readonly mayInclude: readonly Selection[] } | null
  /** Whether `authorization_form_selection_type` must list exactly one choice. */
  readonly singleSelectionChoice: boolean
  /** Extra fields that must be offered when a given Selection is among the choices. */
  readonly fieldsBySelection: Readonly<Partial<Record<Selection, readonly Field[]>>>
  /** Included data fields the Server treats as `true` for this scope (its default access). */
  readonly impliedTrueFields: readonly Field[]
  /** `default` values the field objects of this scope must carry. */
  readonly requiredDefaults: Readonly<Partial<Record<Field, boolean | null>>>
  /** Request values the Server must refuse with `invalid_authorization_details`. */
  readonly rejectedValues: readonly { readonly field: Field; readonly value: boolean | null }[]
  /** Whether preselection fields are left out of the token response's and Grant's `authorization_details`. */
  readonly omitsPreselectionFieldsFromGrant: boolean
  /** Preselection fields that must still appear there. */
  readonly preselectionFieldsKeptInGrant: readonly Field[]
}
