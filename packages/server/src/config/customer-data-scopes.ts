/**
 * The Scope Descriptions (CDS-WG1-02 §3.4) of the Customer Data scopes of CDS-WG3-01 §6: the
 * customer consent scopes of §6.1 and the direct access scopes of §6.2, each with the
 * Authorization Details Fields of §7 its profile needs. Pure: the server configuration adds them
 * with `config.oauth.scope_descriptions = { ...config.oauth.scope_descriptions, ...customerDataScopeDescriptions(baseUrl) }`.
 * Choices made here are listed on the docs page `interpretations/server-customer-data-scopes.md`.
 *
 * @module
 */
import {
  CUSTOMER_CONSENT_SCOPES,
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  CUSTOMER_DATA_SCOPE_PROFILES,
  DIRECT_ACCESS_SCOPES,
  type CustomerDataAuthorizationDetailsFieldId,
  type CustomerDataScope,
  type CustomerDataScopeProfile,
  type ScopeDescription,
} from '@cds-ts/schema'
import { customerDataField, type CustomerDataChoices, type DefaultPurpose, type FieldContext, type FieldLimits } from './customer-data-fields.js'
import { DEMO_GRANT_ADMIN_SCOPE } from './defaults.js'

type FieldId = CustomerDataAuthorizationDetailsFieldId

/**
 * Options of {@link customerDataScopeDescriptions}.
 *
 * @see CDS-WG3-01 §6 Scopes Supported
 */
export interface CustomerDataScopeOptions {
  /** The scope types to describe, in any order. Default: all of §6.1 and §6.2. */
  scopes?: readonly CustomerDataScope[]
  /** Id of the `cds_grant_admin` scope reaching these Grants (CDS-WG1-02 §3.4). Default `cds_grant_admin_1`. */
  grant_admin_scope?: string | null
  /** CDS-WG1-01 coverage entry ids where the scopes are offered. Default `[]`. */
  coverages?: readonly string[]
  /** `minimum`/`maximum` per field id, replacing the reference limits (catalog T8). */
  limits?: Readonly<Partial<Record<FieldId, FieldLimits>>>
  /** The Server's program and value-type choices. Default: the demo choices. */
  choices?: CustomerDataChoices
  /** Optional fields to offer besides the ones the profile needs, per scope type. */
  extra_fields?: Readonly<Partial<Record<CustomerDataScope, readonly FieldId[]>>>
  /** Fields a direct access scope publishes with `is_required: true` (for example `aggregation_numbers` of Usage Query under §4.11, A-20). */
  required_fields?: Readonly<Partial<Record<CustomerDataScope, readonly FieldId[]>>>
  /** The server default Purposes, the public choices of `purpose`; the first is its default. Default none. */
  default_purposes?: readonly DefaultPurpose[]
  /**
   * Id of the Registration Field (format `purposes_or_null`, field name `cds_purposes`, A-40) that
   * scopes offering `purpose` list in `registration_optional`. Default `null`: none.
   */
  purposes_registration_field?: string | null
}

// Aggregation Inclusion has no Purpose; every other consent scope offers one when the server has default Purposes (§7.4.4, A-37).
const WITHOUT_PURPOSE: readonly CustomerDataScope[] = ['cds_aggregation_consent']

// The optional filters and data a direct scope offers by default: the §4.1/§4.2 columns of the
// catalog's T7 that the profiles leave open. `addresses` stays off direct scopes (§7.1.13, A-19).
const DIRECT_FIELDS: Readonly<Record<(typeof DIRECT_ACCESS_SCOPES)[number], readonly FieldId[]>> = {
  cds_query_accounts: ['account_numbers', 'include_account_numbers', 'include_account_details', 'error_if_no_preselections'],
  cds_query_service_contracts: ['account_numbers', 'contract_numbers', 'include_account_numbers', 'include_contract_numbers', 'include_rate_plans', 'error_if_no_preselections'],
  cds_query_service_points: ['servicepoint_numbers', 'premise_numbers', 'include_premises', 'error_if_no_preselections'],
  cds_query_meter_devices: ['meter_numbers', 'include_meter_numbers', 'error_if_no_preselections'],
  cds_query_bill_statements: ['account_numbers', 'include_bill_statement_files', 'include_bill_statement_charges', 'include_bill_statement_programs'],
  cds_query_bill_sections: ['account_numbers', 'contract_numbers', 'include_bill_section_line_items'],
  cds_query_aggregations: ['aggregation_numbers', 'servicepoint_numbers', 'include_aggregation_addresses'],
  cds_query_usage: ['meter_numbers', 'aggregation_numbers', 'error_if_no_preselections'],
}

// Short descriptions of what each scope shares, in the words of this server.
const SHARES: Readonly<Record<CustomerDataScope, string>> = {
  cds_rate_plan: 'the rate plans of the selected service contracts',
  cds_account_programs: 'whether the selected accounts take part in the named account programs',
  cds_service_programs: 'whether the selected service contracts take part in the named service programs',
  cds_accounts: 'the list of the selected accounts',
  cds_service_contracts: 'the list of the selected service contracts',
  cds_meters: 'the list of the selected meters',
  cds_bill_statements: 'the bill statements of the selected accounts',
  cds_service_bills: 'the bill sections of the selected service contracts',
  cds_usage: 'the interval usage related to the selected items',
  cds_aggregation_consent: 'the inclusion of the selected premises in an aggregation a third party requested',
  cds_query_accounts: 'the accounts the Client may reach',
  cds_query_service_contracts: 'the service contracts the Client may reach',
  cds_query_service_points: 'the service points the Client may reach',
  cds_query_meter_devices: 'the meter devices the Client may reach',
  cds_query_bill_statements: 'the bill statements the Client may reach',
  cds_query_bill_sections: 'the bill sections the Client may reach',
  cds_query_aggregations: 'the aggregations the Client is authorized for',
  cds_query_usage: 'the usage segments the Client may reach',
}

/** §7 order: the order of CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS. */
const FIELD_ORDER = Object.keys(CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS) as FieldId[]

/** The Selection choices a consent scope offers: the ones it must list, then the ones it may (§6.1.x). */
function selectionsOf(profile: CustomerDataScopeProfile): string[] {
  if (profile.selectionChoices === null) return []
  const all = [...profile.selectionChoices.mustInclude, ...profile.selectionChoices.mayInclude]
  // CDS-WG3-01 §6.1.1–§6.1.4, §6.1.7, §6.1.10: exactly one Selection.
  return profile.singleSelectionChoice ? all.slice(0, 1) : all
}

/**
 * The field ids a scope offers: those its profile requires, those it needs when the Server has
 * the data (this server claims all of them), those each offered Selection brings, the direct
 * scope's defaults and the configured extras, less what the profile or §7 forbids, in §7 order.
 */
function offeredFields(scope: CustomerDataScope, profile: CustomerDataScopeProfile, selections: readonly string[], options: CustomerDataScopeOptions): FieldId[] {
  const wanted = new Set<FieldId>([...profile.requiredFields, ...profile.fieldsWhenDataAvailable])
  for (const selection of selections) {
    // CDS-WG3-01 §6.1.9: each Selection brings its own fields.
    for (const id of profile.fieldsBySelection[selection as keyof typeof profile.fieldsBySelection] ?? []) wanted.add(id)
  }
  if (profile.access === 'direct_access') for (const id of DIRECT_FIELDS[scope as keyof typeof DIRECT_FIELDS]) wanted.add(id)
  for (const id of options.extra_fields?.[scope] ?? []) wanted.add(id)
  for (const id of options.required_fields?.[scope] ?? []) wanted.add(id)
  // a `purpose` field needs at least one public choice, the server default Purposes.
  const purposes = options.default_purposes ?? []
  if (profile.access === 'customer_consent' && !WITHOUT_PURPOSE.includes(scope) && purposes.length > 0) wanted.add('purpose')
  return FIELD_ORDER.filter((id) => {
    if (!wanted.has(id)) return false
    // CDS-WG3-01 §6.1.x, §6.2 (catalog T7 X cells): never a forbidden field.
    if (profile.forbiddenFields.includes(id)) return false
    // CDS-WG3-01 §7.1.13, §7.4.2, §7.4.4, §7.4.5: some fields only exist where there is an authorization form.
    return !(CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[id].consentScopesOnly && profile.access === 'direct_access')
  })
}

function requiredSet(scope: CustomerDataScope, profile: CustomerDataScopeProfile, options: CustomerDataScopeOptions): Set<FieldId> {
  const required = new Set(options.required_fields?.[scope] ?? [])
  for (const id of required) {
    // CDS-WG3-01 §7: consent scopes keep every field optional, and §7.4.1, §7.4.2 and §7.4.4 never require theirs.
    if (profile.access === 'customer_consent' || CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS[id].isRequiredFalse === 'always') {
      throw new TypeError(`${id} cannot be a required field of ${scope}`)
    }
  }
  return required
}

/**
 * The Scope Description of one Customer Data scope type; its id is the type itself.
 *
 * @see CDS-WG3-01 §6 Scopes Supported
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export function customerDataScopeDescription(baseUrl: string, scope: CustomerDataScope, options: CustomerDataScopeOptions = {}): ScopeDescription {
  const profile = CUSTOMER_DATA_SCOPE_PROFILES[scope]
  const consent = profile.access === 'customer_consent'
  const selections = selectionsOf(profile)
  const required = requiredSet(scope, profile, options)
  const context = (id: FieldId): FieldContext => ({
    baseUrl,
    scopeId: scope,
    access: profile.access,
    selections,
    implied: profile.impliedTrueFields,
    requiredDefaults: profile.requiredDefaults,
    required: required.has(id),
    limits: options.limits ?? {},
    choices: options.choices ?? {},
    default_purposes: options.default_purposes ?? [],
  })
  const fields = offeredFields(scope, profile, selections, options)
  const purposes = options.purposes_registration_field ?? null
  return {
    // CDS-WG1-02 §3.4: the id is the server's; A-02: this server uses the §6 type string as id, so the RAR type is both.
    id: scope,
    type: scope,
    name: profile.title,
    description: consent ? `With the customer's authorization, shares ${SHARES[scope]}.` : `Without a customer authorization, shares ${SHARES[scope]}.`,
    documentation: `${baseUrl}/docs/oauth/scopes#${scope}`,
    // CDS-WG3-01 §6 requires no registration field of these scopes; the §4 scenarios may (catalog T6 notes).
    registration_requirements: [],
    // Clients may send their own Purposes at registration for the scopes that show one.
    registration_optional: purposes !== null && fields.includes('purpose') ? [purposes] : [],
    // CDS-WG3-01 §6.1: the authorization code flow with refresh tokens; §6.2: client credentials only, no authorization request.
    response_types_supported: consent ? ['code'] : [],
    grant_types_supported: consent ? ['authorization_code', 'refresh_token'] : ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    // CDS-WG1-02 §3.4 (R3-01-3-04): PKCE with S256 for authorization code scopes, nothing otherwise.
    code_challenge_methods_supported: consent ? ['S256'] : [],
    coverages_supported: [...(options.coverages ?? [])],
    grant_admin_scope: options.grant_admin_scope === undefined ? DEMO_GRANT_ADMIN_SCOPE : options.grant_admin_scope,
    authorization_details_types_supported: [scope],
    // CDS-WG3-01 §6: the fields are listed in authorization_details_fields_supported.
    authorization_details_fields_supported: fields.map((id) => customerDataField(id, context(id))),
  }
}

/**
 * The Scope Descriptions of the requested Customer Data scope types (default: every §6.1 and
 * §6.2 scope), keyed by id, ready to merge into `config.oauth.scope_descriptions`.
 *
 * @example
 * ```ts
 * config.oauth.scope_descriptions = { ...config.oauth.scope_descriptions, ...customerDataScopeDescriptions(config.base_url, { scopes: ['cds_usage'] }) }
 * ```
 * @throws {TypeError} when `required_fields` asks for a field §7 keeps optional
 * @see CDS-WG3-01 §6.1 Customer Consent Scopes
 * @see CDS-WG3-01 §6.2 Direct Access Scopes
 */
export function customerDataScopeDescriptions(baseUrl: string, options: CustomerDataScopeOptions = {}): Record<string, ScopeDescription> {
  const scopes = options.scopes ?? [...CUSTOMER_CONSENT_SCOPES, ...DIRECT_ACCESS_SCOPES]
  return Object.fromEntries(scopes.map((scope) => [scope, customerDataScopeDescription(baseUrl, scope, options)]))
}
