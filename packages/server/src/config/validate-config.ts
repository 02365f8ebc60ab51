/**
 * The checks a JSON Schema cannot make on a {@link ServerConfig}: keys against ids, references
 * between scopes, registration fields and coverage entries, the time zone, the base URL, and
 * what this server implements. Each problem names the JSON Pointer of the bad value.
 *
 * @module
 */
import type { AuthorizationDetailsField, ScopeDescription } from '@cds-ts/schema'
import type { ServerConfig } from './config-schema.js'
import { parseDatabaseUrl } from './database-url.js'

/** One problem in a configuration: where (a JSON Pointer into the configuration) and what. */
export interface ConfigIssue {
  /** JSON Pointer to the bad value, e.g. `/oauth/timezone`. */
  path: string
  /** What is wrong, e.g. `"Mars/Base" is not an IANA time zone`. */
  message: string
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

// What this server implements (issue 3): anything else in a Scope Description would be a promise it cannot keep.
const IMPLEMENTED = {
  response_types_supported: ['code'],
  grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
  token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
  code_challenge_methods_supported: ['S256'],
} as const

/** RFC 6901: escapes a map key for use in a JSON Pointer. */
function pointer(...segments: (string | number)[]): string {
  return segments.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')
}

/**
 * Whether `name` is a time zone the IANA database (as known to this Node's ICU) defines, with
 * the canonical spelling of a zone name (`Area/Location` or `UTC`), not an offset.
 *
 * @see CDS-WG1-02 §2 Terminology ("timezone")
 */
export function isIanaTimeZone(name: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/.test(name)) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/**
 * Checks `base_url`: the issuer and origin of every published URL.
 *
 * @see CDS-WG1-01 §3 Metadata Endpoint
 * @see {@link https://www.rfc-editor.org/rfc/rfc8414#section-2 | RFC 8414 §2}
 */
function checkBaseUrl(baseUrl: string): ConfigIssue[] {
  let url: URL
  try {
    url = new URL(baseUrl)
  } catch {
    return [{ path: '/base_url', message: `${JSON.stringify(baseUrl)} is not a URL` }]
  }
  const problems: string[] = []
  // CDS-WG1-01 §3 (R1-01-3-01) and RFC 8414 §2: the metadata and the issuer are https; plain
  // http is tolerated only on a loopback host, for development.
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    problems.push('must be https (http only for localhost, 127.0.0.1 or [::1])')
  }
  // RFC 8414 §2: the issuer has no query or fragment. The well-known paths sit at the root of
  // the host (CDS-WG1-01 §3.1), so the base is an origin without a path.
  if (url.search !== '' || url.hash !== '' || baseUrl.includes('?') || baseUrl.includes('#')) problems.push('must have no query or fragment')
  if (url.pathname !== '/') problems.push('must be an origin without a path')
  if (url.username !== '' || url.password !== '') problems.push('must have no user information')
  return problems.map((message) => ({ path: '/base_url', message: `${JSON.stringify(baseUrl)} ${message}` }))
}

function checkFixedFields(key: string, scope: ScopeDescription, expectedId: string): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const base = pointer('oauth', 'scope_descriptions', key)
  // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-01) and §3.3.3 (R1-02-3.3.3-02): the one RAR type is the scope's own id.
  if (scope.authorization_details_types_supported.length !== 1 || scope.authorization_details_types_supported[0] !== scope.id) {
    issues.push({ path: `${base}/authorization_details_types_supported`, message: `must be exactly [${JSON.stringify(scope.id)}]` })
  }
  const fixed: Record<string, Partial<AuthorizationDetailsField>> =
    expectedId === 'file_id'
      ? {
          // CDS-WG1-02 §3.3.3 (R1-02-3.3.3-06): the fixed file_id field.
          file_id: {
            name: 'File identifier',
            description: 'A file provided by the Server that may be accessed by the Client as part of the Grant.',
          },
        }
      : {
          // CDS-WG1-02 §3.3.2 (R1-02-3.3.2-03, -04): the fixed client_id and grant_id fields.
          client_id: { name: 'Client Object identifier', description: 'The Client Object identifier for which the Grant is issued.' },
          grant_id: { name: 'Grant identifier', description: 'The Grant identifier for which the returned access_token will be given access.' },
        }
  scope.authorization_details_fields_supported.forEach((field, index) => {
    const expected = fixed[field.id]
    if (expected === undefined) return
    const want: Partial<AuthorizationDetailsField> = { ...expected, format: 'string', is_required: true, maximum: 1000, minimum: 1 }
    for (const [name, value] of Object.entries(want)) {
      if ((field as Record<string, unknown>)[name] !== value) {
        issues.push({ path: `${base}/authorization_details_fields_supported/${index}/${name}`, message: `must be ${JSON.stringify(value)}` })
      }
    }
    for (const absent of ['default', 'choices'] as const) {
      if (field[absent] !== undefined) issues.push({ path: `${base}/authorization_details_fields_supported/${index}/${absent}`, message: 'must be absent' })
    }
  })
  return issues
}

function checkScope(key: string, scope: ScopeDescription, config: ServerConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = []
  const base = pointer('oauth', 'scope_descriptions', key)
  const scopes = config.oauth.scope_descriptions
  // CDS-WG1-02 §3.4 (R1-02-3.4-02): the key is the scope id.
  if (scope.id !== key) issues.push({ path: `${base}/id`, message: `${JSON.stringify(scope.id)} must equal its key ${JSON.stringify(key)}` })
  // CDS-WG1-02 §3.4 (R1-02-3.4-05) and A-44: requirement and optional ids are keys of registration_fields.
  for (const list of ['registration_requirements', 'registration_optional'] as const) {
    scope[list].forEach((id, index) => {
      if (!Object.hasOwn(config.oauth.registration_fields, id)) {
        issues.push({ path: `${base}/${list}/${index}`, message: `${JSON.stringify(id)} is not a key of /oauth/registration_fields` })
      }
    })
  }
  // CDS-WG1-02 §3.4 (R1-02-3.4-13, R1-02-3.3.2-11): grant_admin_scope names a Grant Admin scope.
  if (scope.grant_admin_scope !== null) {
    const target = Object.hasOwn(scopes, scope.grant_admin_scope) ? scopes[scope.grant_admin_scope] : undefined
    if (target?.type !== 'cds_grant_admin') {
      issues.push({ path: `${base}/grant_admin_scope`, message: `${JSON.stringify(scope.grant_admin_scope)} is not the id of a cds_grant_admin scope` })
    }
  }
  // CDS-WG1-02 §3.4 (R1-02-3.4-12): coverages_supported are CDS-WG1-01 coverage entry ids.
  const coverageIds = new Set(config.coverage_entries.map((entry) => entry.id))
  scope.coverages_supported.forEach((id, index) => {
    if (!coverageIds.has(id)) issues.push({ path: `${base}/coverages_supported/${index}`, message: `${JSON.stringify(id)} is not the id of a coverage entry` })
  })
  // CDS-WG1-02 §3.8: a field's for_types are RAR types of its own scope.
  scope.authorization_details_fields_supported.forEach((field, index) => {
    field.for_types.forEach((type, t) => {
      if (!scope.authorization_details_types_supported.includes(type)) {
        issues.push({
          path: `${base}/authorization_details_fields_supported/${index}/for_types/${t}`,
          message: `${JSON.stringify(type)} is not in this scope's authorization_details_types_supported`,
        })
      }
    })
  })
  for (const [list, implemented] of Object.entries(IMPLEMENTED) as [keyof typeof IMPLEMENTED, readonly string[]][]) {
    scope[list].forEach((value, index) => {
      if (!implemented.includes(value)) issues.push({ path: `${base}/${list}/${index}`, message: `${JSON.stringify(value)} is not implemented by this server` })
    })
  }
  // RFC 6749 §4.1: the code response type and the authorization_code grant go together.
  if (scope.response_types_supported.includes('code') !== scope.grant_types_supported.includes('authorization_code')) {
    issues.push({ path: `${base}/response_types_supported`, message: 'the "code" response type and the "authorization_code" grant type must be offered together' })
  }
  // RFC 6749 §4.4: the client credentials grant is for confidential clients only.
  if (scope.token_endpoint_auth_methods_supported.includes('none') && scope.grant_types_supported.includes('client_credentials')) {
    issues.push({ path: `${base}/token_endpoint_auth_methods_supported`, message: '"none" (public clients) cannot be offered with the client_credentials grant' })
  }
  if (scope.type === 'cds_grant_admin') issues.push(...checkFixedFields(key, scope, 'client_id'))
  if (scope.type === 'cds_server_provided_files') issues.push(...checkFixedFields(key, scope, 'file_id'))
  return issues
}

/**
 * Runs every cross-field check on a configuration that already matches the `ServerConfig`
 * schema. Returns the problems found; an empty list means the configuration is usable.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export function validateConfig(config: ServerConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [...checkBaseUrl(config.base_url)]
  if (parseDatabaseUrl(config.database_url) === undefined) {
    issues.push({ path: '/database_url', message: `${JSON.stringify(config.database_url)} is not a postgres:// URL, a PGlite data directory or memory:` })
  }
  // CDS-WG1-02 §2, §3.2 (R1-02-3.2-17): cds_timezone is an IANA time zone name.
  if (!isIanaTimeZone(config.oauth.timezone)) {
    issues.push({ path: '/oauth/timezone', message: `${JSON.stringify(config.oauth.timezone)} is not an IANA time zone` })
  }
  // CDS-WG1-01 §3.2 (R1-01-3.2-04): created is when the URL appeared, so it is not after updated.
  if (Date.parse(config.metadata.created) > Date.parse(config.metadata.updated)) {
    issues.push({ path: '/metadata/updated', message: 'must not be earlier than /metadata/created' })
  }
  // CDS-WG1-01 §4.3 (R1-01-4.3-02): coverage entry ids are unique.
  const seen = new Set<string>()
  config.coverage_entries.forEach((entry, index) => {
    if (seen.has(entry.id)) issues.push({ path: `/coverage_entries/${index}/id`, message: `${JSON.stringify(entry.id)} is used by an earlier entry` })
    seen.add(entry.id)
    if (Date.parse(entry.created) > Date.parse(entry.updated)) {
      issues.push({ path: `/coverage_entries/${index}/updated`, message: 'must not be earlier than created' })
    }
  })
  // A-33 (R1-02-3.3-06): registration needs the cds_client_admin scope (CDS-WG1-02 §4.1).
  const clientAdmin = config.oauth.scope_descriptions.cds_client_admin
  if (clientAdmin?.type !== 'cds_client_admin') {
    issues.push({ path: '/oauth/scope_descriptions', message: 'must contain the cds_client_admin scope (CDS-WG1-02 §4.1 requires it for registration)' })
  }
  for (const [key, scope] of Object.entries(config.oauth.scope_descriptions)) issues.push(...checkScope(key, scope, config))
  // CDS-WG1-02 §3.5: the key of a registration field is its id.
  for (const [key, field] of Object.entries(config.oauth.registration_fields)) {
    if (field.id !== key) {
      issues.push({ path: `${pointer('oauth', 'registration_fields', key)}/id`, message: `${JSON.stringify(field.id)} must equal its key ${JSON.stringify(key)}` })
    }
  }
  // CDS-WG3-01 §5: `cds_eac_formats` is keyed by format id, and the additional value types by `type`.
  for (const [key, format] of Object.entries(config.customer_data.eac_formats)) {
    if (format.id !== key) issues.push({ path: `${pointer('customer_data', 'eac_formats', key)}/id`, message: `${JSON.stringify(format.id)} must equal its key ${JSON.stringify(key)}` })
  }
  for (const [key, description] of Object.entries(config.customer_data.additional_value_types)) {
    if (description.type !== key) {
      issues.push({ path: `${pointer('customer_data', 'additional_value_types', key)}/type`, message: `${JSON.stringify(description.type)} must equal its key ${JSON.stringify(key)}` })
    }
  }
  return issues
}
