/**
 * The demo configuration the reference server starts with: a fictional utility with two coverage
 * entries, the fixed Client Admin and Grant Admin scopes, one user-authorization scope, one
 * direct-access (client credentials) scope, the 18 Customer Data scopes of CDS-WG3-01 §6, three
 * registration fields and the Customer Data options. Every URL is built from the base URL.
 *
 * @module
 */
import type { AuthorizationDetailsField, CoverageEntry, RegistrationField, ScopeDescription } from '@cds-ts/schema'
import type { ServerConfig } from './config-schema.js'
import { DEMO_EXTRA_FIELDS, type DefaultPurpose } from './customer-data-fields.js'
import { defaultCustomerDataConfig } from './customer-data-config.js'
import { customerDataScopeDescriptions } from './customer-data-scopes.js'

/** Where the server listens and which origin it publishes when nothing else is configured. */
export const DEFAULT_HOST = '127.0.0.1'
/** Default TCP port. */
export const DEFAULT_PORT = 8080
/** Default storage: a PGlite data directory under the working directory, so data survives restarts. */
export const DEFAULT_DATABASE_URL = '.cds-data/pglite'

/** Id of the demo Grant Admin scope (CDS-WG1-02 §3.3.2 recommends the `cds_grant_admin_` prefix). */
export const DEMO_GRANT_ADMIN_SCOPE = 'cds_grant_admin_1'
/** Id of the demo user-authorization scope. */
export const DEMO_CODE_SCOPE = 'demo_usage_data'
/** Id of the demo direct-access (client credentials) scope. */
export const DEMO_DIRECT_SCOPE = 'demo_meter_readings'
/** Id of the demo Server-Provided Files scope (CDS-WG1-02 §3.3.3 recommends the `cds_server_provided_files_` prefix). */
export const DEMO_FILES_SCOPE = 'cds_server_provided_files_1'

/** Id of the demo Registration Field carrying a Client's own Purposes (`cds_purposes`, CDS-WG3-01 §5.1, A-40). */
export const DEMO_PURPOSES_FIELD = 'purposes'

/** The server default Purposes every consent Client object gets (CDS-WG3-01 §8.1; catalog F.0 `default-01`). */
export const DEMO_DEFAULT_PURPOSES: readonly DefaultPurpose[] = [
  { id: 'default-01', content: 'This Client may use the data you authorize them to access for any purpose.' },
]

const CREATED = '2025-01-01T00:00:00Z'

/**
 * The fixed Client Admin Scope Description.
 *
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 */
export function clientAdminScope(baseUrl: string): ScopeDescription {
  // CDS-WG1-02 §3.3.1 (R1-02-3.3.1-01): every value but `documentation` is fixed.
  return {
    id: 'cds_client_admin',
    type: 'cds_client_admin',
    name: 'Client Admin',
    description: 'This scope grants administrative access to the Client management APIs.',
    documentation: `${baseUrl}/docs/oauth/scopes#cds_client_admin`,
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: null,
    authorization_details_types_supported: [],
    authorization_details_fields_supported: [],
  }
}

/**
 * The fixed `client_id` and `grant_id` fields of a Grant Admin scope. `for_types` is the scope's
 * own id, as CDS-WG1-02 §3.8 requires.
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export function grantAdminFields(baseUrl: string, scopeId: string): AuthorizationDetailsField[] {
  const field = (id: string, name: string, description: string): AuthorizationDetailsField => ({
    id,
    name,
    description,
    documentation: `${baseUrl}/docs/oauth/scopes#${scopeId}-${id}`,
    for_types: [scopeId],
    format: 'string',
    is_required: true,
    maximum: 1000,
    minimum: 1,
  })
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-03, -04): fixed names, descriptions, format and limits.
  return [
    field('client_id', 'Client Object identifier', 'The Client Object identifier for which the Grant is issued.'),
    field('grant_id', 'Grant identifier', 'The Grant identifier for which the returned access_token will be given access.'),
  ]
}

/**
 * A Grant Admin Scope Description with the given id.
 *
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 */
export function grantAdminScope(baseUrl: string, id: string = DEMO_GRANT_ADMIN_SCOPE): ScopeDescription {
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-01): fixed values; the one RAR type is the scope's own id.
  return {
    id,
    type: 'cds_grant_admin',
    name: 'Grant Admin',
    description: 'This scope grants administrative access to previously created Grants.',
    documentation: `${baseUrl}/docs/oauth/scopes#${id}`,
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: null,
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: grantAdminFields(baseUrl, id),
  }
}

/**
 * A Server-Provided Files Scope Description with the given id: Grants of it are made by the
 * server, and the Client reaches them only through the Grant Admin scope.
 *
 * @see CDS-WG1-02 §3.3.3 Server-Provided Files Scope
 */
export function serverProvidedFilesScope(baseUrl: string, id: string = DEMO_FILES_SCOPE): ScopeDescription {
  // CDS-WG1-02 §3.3.3 (R1-02-3.3.3-02, -04, -05, -06): no grant type of its own; one `file_id` field.
  return {
    id,
    type: 'cds_server_provided_files',
    name: 'Server-Provided Files',
    description: 'This scope grants access to specific files that the Server wants make available to the Client.',
    documentation: `${baseUrl}/docs/oauth/scopes#${id}`,
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: [],
    token_endpoint_auth_methods_supported: [],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: DEMO_GRANT_ADMIN_SCOPE,
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: [
      {
        id: 'file_id',
        name: 'File identifier',
        description: 'A file provided by the Server that may be accessed by the Client as part of the Grant.',
        documentation: `${baseUrl}/docs/oauth/scopes#${id}-file_id`,
        for_types: [id],
        format: 'string',
        is_required: true,
        maximum: 1000,
        minimum: 1,
      },
    ],
  }
}

function codeScope(baseUrl: string): ScopeDescription {
  const id = DEMO_CODE_SCOPE
  const doc = (anchor: string) => `${baseUrl}/docs/oauth/scopes#${id}-${anchor}`
  return {
    id,
    type: id,
    name: 'Demo usage data',
    description: 'Read a customer’s interval usage and billing history, with the customer’s authorization.',
    documentation: `${baseUrl}/docs/oauth/scopes#${id}`,
    registration_requirements: ['company_name'],
    registration_optional: ['company_logo'],
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    // CDS-WG1-02 §3.4 (R1-02-3.4-11): an authorization-code scope offers S256 and never plain.
    code_challenge_methods_supported: ['S256'],
    coverages_supported: ['demo-residential-electric', 'demo-commercial-gas'],
    grant_admin_scope: DEMO_GRANT_ADMIN_SCOPE,
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: [
      {
        id: 'start_date',
        name: 'Start date',
        description: 'How far back usage history is shared.',
        documentation: doc('start_date'),
        for_types: [id],
        format: 'relative_or_absolute_date',
        is_required: false,
        default: 'P1Y',
        maximum: 'P3Y',
        minimum: 'P0D',
      },
      {
        id: 'access_end',
        name: 'Access end',
        description: 'When the Client stops receiving new data.',
        documentation: doc('access_end'),
        for_types: [id],
        format: 'relative_or_absolute_datetime',
        is_required: false,
        default: 'P1Y',
        maximum: 'infinite',
        minimum: 'P1D',
      },
      {
        id: 'resolution',
        name: 'Data resolution',
        description: 'How finely usage is shared.',
        documentation: doc('resolution'),
        for_types: [id],
        format: 'choice',
        is_required: false,
        default: 'monthly',
        choices: [
          { id: 'monthly', name: 'Monthly', description: 'One value per billing month.', documentation: doc('resolution-monthly') },
          { id: 'hourly', name: 'Hourly', description: 'One value per hour.', documentation: doc('resolution-hourly') },
        ],
      },
    ],
  }
}

function directScope(baseUrl: string): ScopeDescription {
  const id = DEMO_DIRECT_SCOPE
  const doc = (anchor: string) => `${baseUrl}/docs/oauth/scopes#${id}-${anchor}`
  return {
    id,
    type: id,
    name: 'Demo meter readings',
    description: 'Read commercial gas meter readings directly, for the meters the Client names.',
    documentation: `${baseUrl}/docs/oauth/scopes#${id}`,
    registration_requirements: ['company_name'],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    code_challenge_methods_supported: [],
    coverages_supported: ['demo-commercial-gas'],
    grant_admin_scope: null,
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: [
      {
        id: 'meter_ids',
        name: 'Meter identifiers',
        description: 'The meters whose readings the token may read.',
        documentation: doc('meter_ids'),
        for_types: [id],
        format: 'string_list',
        is_required: true,
        maximum: 1000,
        minimum: 1,
      },
      {
        id: 'max_readings',
        name: 'Readings per request',
        description: 'Largest number of readings one request may return.',
        documentation: doc('max_readings'),
        for_types: [id],
        format: 'int',
        is_required: false,
        default: 100,
        maximum: 1000,
        minimum: 1,
      },
    ],
  }
}

function registrationFields(baseUrl: string): Record<string, RegistrationField> {
  return {
    company_name: {
      id: 'company_name',
      type: 'registration_field',
      field_name: 'cds_company_name',
      format: 'string',
      max_length: 256,
      description: 'The company name shown to customers on the authorization form.',
      documentation: `${baseUrl}/docs/oauth/registration#company_name`,
    },
    company_logo: {
      id: 'company_logo',
      type: 'registration_field',
      field_name: 'cds_company_logo',
      format: 'image_or_null',
      default: null,
      max_size: 262144,
      description: 'A logo shown to customers on the authorization form (PNG or JPEG, Base64).',
      documentation: `${baseUrl}/docs/oauth/registration#company_logo`,
    },
    // CDS-WG3-01 §5.1: a Client may send its own Purposes; the server assigns their ids and scopes.
    [DEMO_PURPOSES_FIELD]: {
      id: DEMO_PURPOSES_FIELD,
      type: 'registration_field',
      field_name: 'cds_purposes',
      format: 'purposes_or_null',
      default: null,
      description: 'Purposes the Client may show customers on the authorization form, each with an empty id and scopes_supported; the server assigns both.',
      documentation: `${baseUrl}/docs/oauth/registration#purposes`,
    },
  }
}

function coverageEntries(): CoverageEntry[] {
  const entry = (id: string, updated: string, fields: Partial<CoverageEntry>): CoverageEntry => ({
    id,
    created: CREATED,
    updated,
    entity_name: 'Demo Gas & Electric',
    entity_abbreviation: 'DG&E',
    country: 'US',
    name: '',
    type: 'logical',
    role: 'authoritative',
    infrastructure_types: ['distribution_utility', 'metering_provider'],
    commodity_types: [],
    capabilities: ['oauth'],
    ...fields,
  })
  return [
    entry('demo-residential-electric', '2025-03-01T00:00:00Z', {
      name: 'Residential electric customers',
      description: 'Every residential electric service contract of Demo Gas & Electric.',
      commodity_types: ['electricity'],
    }),
    entry('demo-commercial-gas', '2025-06-01T00:00:00Z', {
      name: 'Commercial gas customers',
      description: 'Every commercial natural gas service contract of Demo Gas & Electric.',
      commodity_types: ['natural_gas'],
    }),
  ]
}

/**
 * The demo configuration for a server published at `baseUrl` (an origin without a trailing
 * slash). `loadConfig` starts from this and merges the file and environment on top.
 *
 * @example
 * ```ts
 * const config = defaultConfig('http://127.0.0.1:8080')
 * config.oauth.scope_descriptions.cds_client_admin.name // 'Client Admin'
 * ```
 * @see CDS-WG1-01 §3.2 Metadata Object Format
 * @see CDS-WG1-02 §3.3 Scopes Supported
 */
export function defaultConfig(baseUrl: string, port: number = DEFAULT_PORT): ServerConfig {
  const client = clientAdminScope(baseUrl)
  const grantAdmin = grantAdminScope(baseUrl)
  const code = codeScope(baseUrl)
  const direct = directScope(baseUrl)
  const files = serverProvidedFilesScope(baseUrl)
  // CDS-WG3-01 §6: the 18 Customer Data scopes, beside the demo scopes above.
  const customerData = customerDataScopeDescriptions(baseUrl, { default_purposes: DEMO_DEFAULT_PURPOSES, purposes_registration_field: DEMO_PURPOSES_FIELD, extra_fields: DEMO_EXTRA_FIELDS })
  return {
    base_url: baseUrl,
    host: DEFAULT_HOST,
    port,
    database_url: DEFAULT_DATABASE_URL,
    metadata: {
      name: 'Demo Gas & Electric',
      description: 'A fictional electric and gas utility run by the cds-ts reference server.',
      website: `${baseUrl}/`,
      documentation: `${baseUrl}/docs`,
      support: `${baseUrl}/support`,
      created: CREATED,
      updated: CREATED,
    },
    coverage_entries: coverageEntries(),
    oauth: {
      service_documentation: `${baseUrl}/docs/oauth`,
      op_policy_uri: `${baseUrl}/legal/registration-policy`,
      op_tos_uri: `${baseUrl}/legal/terms`,
      timezone: 'America/Los_Angeles',
      scope_descriptions: { [client.id]: client, [grantAdmin.id]: grantAdmin, [code.id]: code, [direct.id]: direct, [files.id]: files, ...customerData },
      registration_fields: registrationFields(baseUrl),
    },
    // the catalog's recommended lifetimes.
    token_lifetimes: { access_token: 3600, refresh_token: 7_776_000, authorization_code: 60, request_uri: 90 },
    registration: { production_access: 'immediate', group_scopes: false, receipt_path: '/oauth/receipt' },
    // the smallest limit CDS-WG1-02 §6.9 allows, in bytes of decoded attachments.
    client_management: { review_fields: [], grant_changes_need_review: false, attachment_limit: 10 * 1024 * 1024, secret_display: 'always' },
    operator: {},
    customer_authorization: {
      brand: {
        name: 'Demo Gas & Electric',
        website: `${baseUrl}/`,
        support_uri: `${baseUrl}/support`,
        terms_uri: `${baseUrl}/legal/terms`,
        privacy_uri: `${baseUrl}/legal/privacy`,
      },
      // idle timeout from the last request, above the 10 minutes of §9.1.2.
      session_idle_seconds: 900,
      interaction_lifetime_seconds: 1800,
      login_throttle: { max_failures: 5, window_seconds: 900 },
      // the explicit MUST of §7.4.3.
      no_preselections_error: 'no_preselections',
      // Catalog F.0: the server default Purpose.
      default_purposes: DEMO_DEFAULT_PURPOSES.map((purpose) => ({ ...purpose })),
      demo_customers: true,
      locale: 'en',
      email: { from: 'Demo Gas & Electric <no-reply@demo-utility.example>', outbox_page: true },
    },
    customer_data: defaultCustomerDataConfig(baseUrl),
  }
}
