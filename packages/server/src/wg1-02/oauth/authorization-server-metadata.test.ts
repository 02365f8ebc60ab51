import { AuthorizationServerMetadata, checkStrict, CustomerDataServerMetadataExtension, Decimal, parseJson, type ScopeDescription, type ServerMetadata } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDiscoveryApp, TEST_BASE_URL, testConfig } from '../../../test/discovery-app.js'
import { ServerConfig } from '../../config/config-schema.js'
import { grantAdminScope } from '../../config/defaults.js'
import { validateConfig } from '../../config/validate-config.js'
import { computeMetadataUnions } from './compute-metadata-unions.js'
import { buildAuthorizationServerMetadata } from './get-authorization-server-metadata.js'

const WELL_KNOWN = '/.well-known/oauth-authorization-server'

function filesScope(): ScopeDescription {
  const id = 'cds_server_provided_files_01'
  return {
    id,
    type: 'cds_server_provided_files',
    name: 'Server-Provided Files',
    description: 'This scope grants access to specific files that the Server wants make available to the Client.',
    documentation: `${TEST_BASE_URL}/docs/oauth/scopes#${id}`,
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: [],
    token_endpoint_auth_methods_supported: [],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: 'cds_grant_admin_1',
    authorization_details_types_supported: [id],
    authorization_details_fields_supported: [
      {
        id: 'file_id',
        name: 'File identifier',
        description: 'A file provided by the Server that may be accessed by the Client as part of the Grant.',
        documentation: `${TEST_BASE_URL}/docs/oauth/scopes#${id}-file_id`,
        for_types: [id],
        format: 'string',
        is_required: true,
        maximum: 1000,
        minimum: 1,
      },
    ],
  }
}

/** A configuration without any user-authorization scope. */
function machineOnlyConfig(): ServerConfig {
  const config = testConfig()
  // Every scope a customer authorizes goes: the demo one and the Customer Data consent scopes (CDS-WG3-01 §6.1).
  for (const [id, scope] of Object.entries(config.oauth.scope_descriptions)) {
    if (scope.response_types_supported.length > 0) delete config.oauth.scope_descriptions[id]
  }
  delete config.oauth.registration_fields.company_logo
  return config
}

/**
 * Closed-schema issues of a metadata document: the CDS-WG1-02 members against the closed WG1-02
 * schema, and the CDS-WG3-01 §5 members (with their conditions) against the WG3 extension.
 */
function metadataIssues(body: unknown): unknown[] {
  const wg3 = new Set(Object.keys(CustomerDataServerMetadataExtension.properties))
  const wg1 = Object.fromEntries(Object.entries(body as Record<string, unknown>).filter(([key]) => !wg3.has(key)))
  return [...checkStrict(AuthorizationServerMetadata, wg1, { closed: true }), ...checkStrict(CustomerDataServerMetadataExtension, body)]
}

async function fetchMetadata(config: ServerConfig): Promise<{ text: string; body: AuthorizationServerMetadata }> {
  expect(checkStrict(ServerConfig, config, { closed: true })).toEqual([])
  expect(validateConfig(config)).toEqual([])
  const app = await buildDiscoveryApp(config)
  const response = await app.inject({ method: 'GET', url: WELL_KNOWN })
  await app.close()
  expect(response.statusCode).toBe(200)
  const body = parseJson(response.body) as AuthorizationServerMetadata
  expect(metadataIssues(body)).toEqual([])
  return { text: response.body, body }
}

describe('CDS-WG1-02 §3.1 Metadata URL, §3.2 Metadata Object Format', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await buildDiscoveryApp()
  })
  afterAll(async () => {
    await app.close()
  })

  it('R1-02-3-01, R1-02-3.1-01: the URL named by oauth_metadata serves 200 JSON valid under the closed schema', async () => {
    const metadata = (await app.inject({ method: 'GET', url: '/.well-known/cds-server-metadata.json' })).json<ServerMetadata>()
    const response = await app.inject({ method: 'GET', url: new URL(metadata.oauth_metadata!).pathname })
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json(;|$)/)
    const body = parseJson(response.body) as AuthorizationServerMetadata
    expect(metadataIssues(body)).toEqual([])
    // RFC 8414 §3.3 (R1-02-3.1-05): the issuer is the one the well-known URL was built from.
    expect(body.issuer).toBe(TEST_BASE_URL)
  })

  it('R1-02-3.2-01, -04 to -08, -15 to -21, -29: every required member, endpoints on the base URL', async () => {
    const body = (await app.inject({ method: 'GET', url: WELL_KNOWN })).json<AuthorizationServerMetadata>()
    const config = testConfig()
    expect(body).toMatchObject({
      issuer: TEST_BASE_URL,
      authorization_endpoint: `${TEST_BASE_URL}/oauth/authorize`,
      token_endpoint: `${TEST_BASE_URL}/oauth/token`,
      registration_endpoint: `${TEST_BASE_URL}/oauth/register`,
      revocation_endpoint: `${TEST_BASE_URL}/oauth/revoke`,
      introspection_endpoint: `${TEST_BASE_URL}/oauth/introspect`,
      pushed_authorization_request_endpoint: `${TEST_BASE_URL}/oauth/par`,
      require_pushed_authorization_requests: false,
      response_modes_supported: ['query'],
      service_documentation: config.oauth.service_documentation,
      op_policy_uri: config.oauth.op_policy_uri,
      op_tos_uri: config.oauth.op_tos_uri,
      cds_oauth_version: 'v1',
      cds_human_registration: `${TEST_BASE_URL}/register`,
      cds_timezone: 'America/Los_Angeles',
      cds_clients_api: `${TEST_BASE_URL}/api/clients`,
      cds_messages_api: `${TEST_BASE_URL}/api/messages`,
      cds_credentials_api: `${TEST_BASE_URL}/api/credentials`,
      cds_grants_api: `${TEST_BASE_URL}/api/grants`,
      cds_test_accounts: `${TEST_BASE_URL}/test-accounts`,
      cds_server_provided_files_api: `${TEST_BASE_URL}/api/files`,
      revocation_endpoint_auth_methods_supported: ['client_secret_basic'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    })
  })

  it('R1-02-3.2-24, -25: the scope descriptions and registration fields of the configuration, keyed by id', async () => {
    const body = (await app.inject({ method: 'GET', url: WELL_KNOWN })).json<AuthorizationServerMetadata>()
    const config = testConfig()
    expect(body.cds_scope_descriptions).toEqual(config.oauth.scope_descriptions)
    expect(body.cds_registration_fields).toEqual(config.oauth.registration_fields)
    for (const [key, scope] of Object.entries(body.cds_scope_descriptions)) expect(scope.id).toBe(key)
  })

  it('R1-02-3.2-02, -09, -10, -12, -13, -14: the unions are computed from the scope descriptions', async () => {
    const body = (await app.inject({ method: 'GET', url: WELL_KNOWN })).json<AuthorizationServerMetadata>()
    expect(body).toMatchObject(computeMetadataUnions(testConfig().oauth.scope_descriptions))
    expect(body.scopes_supported).toEqual(Object.keys(body.cds_scope_descriptions))
    expect(body.code_challenge_methods_supported).toEqual(['S256'])
    expect(body.code_challenge_methods_supported).not.toContain('plain')
  })

  it('RFC 8414 §3, CDS-WG1-01 §3 (R1-01-3-03): strong ETag, public Cache-Control, 304 on If-None-Match', async () => {
    const first = await app.inject({ method: 'GET', url: WELL_KNOWN })
    const etag = first.headers.etag as string
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/)
    expect(first.headers['cache-control']).toBe('public, max-age=300')
    const cached = await app.inject({ method: 'GET', url: WELL_KNOWN, headers: { 'if-none-match': etag } })
    expect(cached.statusCode).toBe(304)
    expect(cached.body).toBe('')
    expect(cached.headers.etag).toBe(etag)
  })
})

describe('CDS-WG1-02 §3.2 conditional members', () => {
  it('R1-02-3.2-11, -23, -29 (A-40): without user authorization, response_types_supported is [] and the authorization, PAR and test-accounts members are absent', async () => {
    const { body } = await fetchMetadata(machineOnlyConfig())
    expect(body.response_types_supported).toEqual([])
    for (const member of ['authorization_endpoint', 'pushed_authorization_request_endpoint', 'cds_test_accounts', 'response_modes_supported', 'require_pushed_authorization_requests']) {
      expect(body).not.toHaveProperty(member)
    }
    expect(body.grant_types_supported).toEqual(['client_credentials'])
  })

  it('R1-02-3.2-22: a cds_server_provided_files scope brings the Server-Provided Files API', async () => {
    const config = testConfig()
    config.oauth.scope_descriptions.cds_server_provided_files_01 = filesScope()
    const { body } = await fetchMetadata(config)
    expect(body.cds_server_provided_files_api).toBe(`${TEST_BASE_URL}/api/files`)
    expect(body.authorization_details_types_supported).toContain('cds_server_provided_files_01')
    const without = testConfig()
    delete without.oauth.scope_descriptions.cds_server_provided_files_1
    expect((await fetchMetadata(without)).body).not.toHaveProperty('cds_server_provided_files_api')
  })

  it('R1-02-3.4-10: a public scope adds none to the token (and revocation) auth methods', async () => {
    const config = testConfig()
    const code = config.oauth.scope_descriptions.demo_usage_data!
    config.oauth.scope_descriptions.demo_public_app = {
      ...code,
      id: 'demo_public_app',
      type: 'demo_public_app',
      token_endpoint_auth_methods_supported: ['none'],
      authorization_details_types_supported: ['demo_public_app'],
      authorization_details_fields_supported: [],
    }
    const { body } = await fetchMetadata(config)
    expect(body.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'none'])
    expect(body.revocation_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'none'])
    expect(body.introspection_endpoint_auth_methods_supported).toEqual(['client_secret_basic'])
  })

  it('several Grant Admin scopes are each published and each is an authorization details type (R1-02-3.3.2-10)', async () => {
    const config = testConfig()
    config.oauth.scope_descriptions.cds_grant_admin_2 = grantAdminScope(TEST_BASE_URL, 'cds_grant_admin_2')
    const { body } = await fetchMetadata(config)
    const types = body.authorization_details_types_supported ?? []
    expect(types).toEqual(expect.arrayContaining(['cds_grant_admin_1', 'demo_usage_data', 'demo_meter_readings', 'cds_server_provided_files_1', 'cds_grant_admin_2']))
    // The added scope comes last: the union keeps first-appearance order.
    expect(types.at(-1)).toBe('cds_grant_admin_2')
  })

  it('A-30: decimals in registration fields and authorization details limits keep their exact digits', async () => {
    const config = testConfig()
    config.oauth.registration_fields.setup_fee = {
      id: 'setup_fee',
      type: 'payment_required',
      description: 'A one-time setup fee.',
      documentation: `${TEST_BASE_URL}/docs/oauth/registration#setup_fee`,
      amount: Decimal.from('1.10'),
      currency: 'USD',
    }
    config.oauth.scope_descriptions.demo_meter_readings!.authorization_details_fields_supported.push({
      id: 'max_power_kw',
      name: 'Maximum power',
      description: 'Largest power, in kW, the Client may read.',
      documentation: `${TEST_BASE_URL}/docs/oauth/scopes#max_power_kw`,
      for_types: ['demo_meter_readings'],
      format: 'decimal',
      is_required: false,
      default: Decimal.from('5.50'),
      maximum: Decimal.from('123456789012345678901234567890.10'),
      minimum: Decimal.from('0.10'),
    })
    const { text, body } = await fetchMetadata(config)
    expect(text).toContain('"amount":1.10,')
    expect(text).toContain('"default":5.50,"maximum":123456789012345678901234567890.10,"minimum":0.10}')
    expect(String(body.cds_registration_fields.setup_fee!.amount)).toBe('1.10')
  })

  it('buildAuthorizationServerMetadata is what the route serves', async () => {
    const { body } = await fetchMetadata(testConfig())
    expect(body).toEqual(JSON.parse(JSON.stringify(buildAuthorizationServerMetadata(testConfig()))))
  })
})
