import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AuthorizationDetailsField, checkStrict, Decimal, RegistrationField, ScopeDescription } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ServerConfig } from './config-schema.js'
import { ConfigError, deepMerge, loadConfig } from './load-config.js'

let dir = ''
let counter = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cds-config-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function configFile(content: unknown): Promise<string> {
  const path = join(dir, `config-${++counter}.json`)
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

/** Loads and returns the ConfigError's lines (fails the test if loading succeeds). */
async function errorLines(options: Parameters<typeof loadConfig>[0]): Promise<string[]> {
  const error = await loadConfig(options).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  const message = (error as ConfigError).message
  expect(message.startsWith('invalid server configuration:\n')).toBe(true)
  return message.split('\n').slice(1)
}

describe('defaults', () => {
  it('are valid under the closed ServerConfig schema and every cross-field check', async () => {
    const config = await loadConfig({ env: {} })
    expect(checkStrict(ServerConfig, config, { closed: true })).toEqual([])
    expect(config.base_url).toBe('http://127.0.0.1:8080')
    expect(config.host).toBe('127.0.0.1')
    expect(config.port).toBe(8080)
    expect(config.database_url).toBe('.cds-data/pglite')
  })

  it('CDS-WG1-02 §3.3.1 (R1-02-3.3.1-01) publish the fixed cds_client_admin scope', async () => {
    const config = await loadConfig({ env: { CDS_BASE_URL: 'https://utility.example.com' } })
    const scope = config.oauth.scope_descriptions.cds_client_admin!
    expect(checkStrict(ScopeDescription, scope, { closed: true })).toEqual([])
    expect(scope).toEqual({
      id: 'cds_client_admin',
      type: 'cds_client_admin',
      name: 'Client Admin',
      description: 'This scope grants administrative access to the Client management APIs.',
      documentation: 'https://utility.example.com/docs/oauth/scopes#cds_client_admin',
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
    })
  })

  it('CDS-WG1-02 §3.3.2 (R1-02-3.3.2-01, -03, -04) publish a fixed Grant Admin scope whose fields name its own id (A-02)', async () => {
    const config = await loadConfig({ env: { CDS_BASE_URL: 'https://utility.example.com' } })
    const scope = config.oauth.scope_descriptions.cds_grant_admin_1!
    expect(checkStrict(ScopeDescription, scope, { closed: true })).toEqual([])
    expect(scope.type).toBe('cds_grant_admin')
    expect(scope.authorization_details_types_supported).toEqual(['cds_grant_admin_1'])
    expect(scope.authorization_details_fields_supported.map((f) => [f.id, f.name, f.format, f.is_required, f.maximum, f.minimum, f.for_types])).toEqual([
      ['client_id', 'Client Object identifier', 'string', true, 1000, 1, ['cds_grant_admin_1']],
      ['grant_id', 'Grant identifier', 'string', true, 1000, 1, ['cds_grant_admin_1']],
    ])
  })

  it('offer a code scope (S256, refresh) and a direct-access scope with authorization details of several formats', async () => {
    const config = await loadConfig({ env: {} })
    const scopes = Object.values(config.oauth.scope_descriptions)
    const code = scopes.find((s) => s.response_types_supported.includes('code'))!
    expect(code.grant_types_supported).toEqual(['authorization_code', 'refresh_token'])
    expect(code.code_challenge_methods_supported).toEqual(['S256'])
    expect(code.grant_admin_scope).toBe('cds_grant_admin_1')
    const direct = scopes.find((s) => s.grant_types_supported.includes('client_credentials') && s.authorization_details_fields_supported.length > 0 && s.type !== 'cds_grant_admin')!
    expect(direct.response_types_supported).toEqual([])
    const formats = new Set([...code.authorization_details_fields_supported, ...direct.authorization_details_fields_supported].map((f) => f.format))
    expect(formats.size).toBeGreaterThanOrEqual(4)
    for (const scope of scopes) {
      for (const field of scope.authorization_details_fields_supported) expect(checkStrict(AuthorizationDetailsField, field, { closed: true })).toEqual([])
    }
    for (const field of Object.values(config.oauth.registration_fields)) expect(checkStrict(RegistrationField, field, { closed: true })).toEqual([])
    expect(config.coverage_entries.map((e) => e.id)).toEqual(['demo-residential-electric', 'demo-commercial-gas'])
  })
})

describe('environment overrides', () => {
  it('PORT, HOST, CDS_BASE_URL and CDS_DATABASE_URL replace the defaults, and the published URLs follow the base URL', async () => {
    const config = await loadConfig({
      env: { PORT: '9443', HOST: '0.0.0.0', CDS_BASE_URL: 'https://utility.example.com/', CDS_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' },
    })
    expect(config.port).toBe(9443)
    expect(config.host).toBe('0.0.0.0')
    // The trailing slash goes, so issuer and URLs are written one way only.
    expect(config.base_url).toBe('https://utility.example.com')
    expect(config.database_url).toBe('postgres://postgres@127.0.0.1:5432/test')
    expect(config.oauth.service_documentation).toBe('https://utility.example.com/docs/oauth')
  })

  it('without CDS_BASE_URL the base URL is the loopback address on PORT', async () => {
    const config = await loadConfig({ env: { PORT: '3000' } })
    expect(config.base_url).toBe('http://127.0.0.1:3000')
    expect(config.metadata.documentation).toBe('http://127.0.0.1:3000/docs')
  })

  it('names PORT when it is not a port number', async () => {
    expect(await errorLines({ env: { PORT: 'http' } })).toEqual(['config /port: "http" is not a TCP port number (from PORT)'])
    expect(await errorLines({ env: { PORT: '70000' } })).toEqual(['config /port: "70000" is not a TCP port number (from PORT)'])
  })

  it('CDS-WG3-01 §10: customer_data defaults to the APIs on, direct access over everything and no demo data; CDS_DEMO_DATA sets it', async () => {
    const defaults = await loadConfig({ env: {} })
    expect(defaults.customer_data).toMatchObject({ enabled: true, direct_access_base: 'all', demo_data: null, additional_value_types: {} })
    expect(Object.keys(defaults.customer_data.eac_formats)).toEqual(['cds_ts_demo_eac_v1'])
    const demo = await loadConfig({ env: { CDS_DEMO_DATA: '25,3,demo-seed' } })
    expect(demo.customer_data.demo_data).toEqual({ customers: 25, years: 3, seed: 'demo-seed' })
    expect(await errorLines({ env: { CDS_DEMO_DATA: '25,11,x' } })).toEqual(['config /customer_data/demo_data: "25,11,x": years must be 1 to 10 (from CDS_DEMO_DATA)'])
    expect(await errorLines({ env: { CDS_DEMO_DATA: 'many' } })).toEqual([
      'config /customer_data/demo_data: "many" is not customers,years,seed (for example 50,3,demo) (from CDS_DEMO_DATA)',
    ])
  })

  it('refuses a plain-http base URL outside loopback, a path, a query and an unknown database scheme', async () => {
    expect(await errorLines({ env: { CDS_BASE_URL: 'http://utility.example.com' } })).toEqual([
      'config /base_url: "http://utility.example.com" must be https (http only for localhost, 127.0.0.1 or [::1]) (from CDS_BASE_URL)',
    ])
    expect(await errorLines({ env: { CDS_BASE_URL: 'https://utility.example.com/cds?x=1' } })).toEqual([
      'config /base_url: "https://utility.example.com/cds?x=1" must have no query or fragment (from CDS_BASE_URL)',
      'config /base_url: "https://utility.example.com/cds?x=1" must be an origin without a path (from CDS_BASE_URL)',
    ])
    expect(await errorLines({ env: { CDS_DATABASE_URL: 'mysql://db' } })).toEqual([
      'config /database_url: "mysql://db" is not a postgres:// URL, a PGlite data directory or memory: (from CDS_DATABASE_URL)',
    ])
  })

  it('accepts http on localhost and [::1] for development', async () => {
    expect((await loadConfig({ env: { CDS_BASE_URL: 'http://localhost:8080' } })).base_url).toBe('http://localhost:8080')
    expect((await loadConfig({ env: { CDS_BASE_URL: 'http://[::1]:8080' } })).base_url).toBe('http://[::1]:8080')
  })
})

describe('configuration file', () => {
  it('is deep-merged over the defaults: objects merge, arrays replace, null drops a key; the environment wins', async () => {
    const file = await configFile({
      base_url: 'https://file.example.com',
      port: 7000,
      metadata: { name: 'File Utility', related_metadata: ['https://file.example.com/other.json'] },
      oauth: {
        timezone: 'Europe/Brussels',
        scope_descriptions: { demo_usage_data: null, demo_meter_readings: { coverages_supported: [] } },
        registration_fields: { company_logo: null },
      },
    })
    const config = await loadConfig({ file, env: { PORT: '7001' } })
    expect(config.port).toBe(7001)
    expect(config.base_url).toBe('https://file.example.com')
    expect(config.metadata.name).toBe('File Utility')
    expect(config.metadata.support).toBe('https://file.example.com/support')
    expect(config.metadata.related_metadata).toEqual(['https://file.example.com/other.json'])
    expect(config.oauth.timezone).toBe('Europe/Brussels')
    const scopeIds = Object.keys(config.oauth.scope_descriptions)
    expect(scopeIds).not.toContain('demo_usage_data')
    expect(scopeIds).toEqual(expect.arrayContaining(['cds_client_admin', 'cds_grant_admin_1', 'demo_meter_readings', 'cds_server_provided_files_1']))
    expect(config.oauth.scope_descriptions.demo_meter_readings!.coverages_supported).toEqual([])
    expect(config.oauth.scope_descriptions.demo_meter_readings!.name).toBe('Demo meter readings')
    expect(Object.keys(config.oauth.registration_fields)).not.toContain('company_logo')
    expect(Object.keys(config.oauth.registration_fields)).toContain('company_name')
  })

  it('is found through CDS_CONFIG', async () => {
    const file = await configFile({ metadata: { name: 'Env File Utility' } })
    expect((await loadConfig({ env: { CDS_CONFIG: file } })).metadata.name).toBe('Env File Utility')
  })

  it('keeps decimals exact (A-30)', async () => {
    const file = await configFile(
      '{ "oauth": { "registration_fields": { "setup_fee": { "id": "setup_fee", "type": "payment_required", "description": "Setup fee.", ' +
        '"documentation": "https://example.com/fee", "amount": 123456789012345678901234567890.10, "currency": "USD" } } } }',
    )
    const config = await loadConfig({ file, env: {} })
    const amount = config.oauth.registration_fields.setup_fee!.amount
    expect(amount).toBeInstanceOf(Decimal)
    expect(String(amount)).toBe('123456789012345678901234567890.10')
  })

  it('R1-02-2-07: names a time zone that is not IANA, with the file it came from', async () => {
    const file = await configFile({ oauth: { timezone: 'Mars/Base' } })
    expect(await errorLines({ file, env: {} })).toEqual([`config /oauth/timezone: "Mars/Base" is not an IANA time zone (from ${file})`])
  })

  it('lists every unknown key and every schema violation by path', async () => {
    const file = await configFile({ prot: 1, token_lifetimes: { authorization_code: 3600 }, oauth: { op_tos_uri: 'terms' }, registration: { production_access: 'never' } })
    expect(await errorLines({ file, env: {} })).toEqual([
      `config /prot: 1 is not a property the schema defines (from ${file})`,
      `config /oauth/op_tos_uri: "terms" must match format "uri" (from ${file})`,
      `config /token_lifetimes/authorization_code: 3600 must be <= 600 (from ${file})`,
      `config /registration/production_access: "never" must be equal to constant (from ${file})`,
    ])
  })

  it('refuses a "__proto__" key instead of merging it into the prototype', async () => {
    const file = await configFile('{ "__proto__": { "polluted": true } }')
    expect(await errorLines({ file, env: {} })).toEqual([`config /__proto__: is not a property the schema defines (from ${file})`])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reports a missing file, a file that is not JSON and one that is not an object', async () => {
    const missing = join(dir, 'missing.json')
    expect(await errorLines({ file: missing, env: {} })).toEqual([`config /: cannot read the file (ENOENT) (from ${missing})`])
    const notJson = await configFile('{ port: 1 }')
    expect((await errorLines({ file: notJson, env: {} }))[0]).toMatch(/^config \/: is not JSON \(.+\) \(from .+\)$/)
    const array = await configFile('[]')
    expect(await errorLines({ file: array, env: {} })).toEqual([`config /: must be a JSON object (from ${array})`])
  })
})

describe('cross-field checks (CDS-WG1-02 §3.2, §3.4)', () => {
  const load = async (content: unknown) => errorLines({ file: await configFile(content), env: {} })
  const strip = (lines: string[]) => lines.map((l) => l.replace(/ \(from .+\)$/, ''))

  it('R1-02-3.4-02: a scope description key equals its id; a registration field key equals its id', async () => {
    expect(strip(await load({ oauth: { scope_descriptions: { demo_usage_data: { id: 'other' } } } }))).toContain(
      'config /oauth/scope_descriptions/demo_usage_data/id: "other" must equal its key "demo_usage_data"',
    )
    expect(strip(await load({ oauth: { registration_fields: { company_name: { id: 'name' } } } }))).toContain(
      'config /oauth/registration_fields/company_name/id: "name" must equal its key "company_name"',
    )
  })

  it('CDS-WG3-01 §5: an EAC format key equals its id; an additional value type key equals its type (A-47); direct_access_base is all or none', async () => {
    const format = { id: 'other', name: 'X', description: 'X', documentation: 'https://example.com/x' }
    expect(strip(await load({ customer_data: { eac_formats: { fmt: format } } }))).toContain('config /customer_data/eac_formats/fmt/id: "other" must equal its key "fmt"')
    const type = { type: 'x_other', name: 'X', description: 'X', documentation: 'https://example.com/x' }
    expect(strip(await load({ customer_data: { additional_value_types: { x_type: type } } }))).toContain(
      'config /customer_data/additional_value_types/x_type/type: "x_other" must equal its key "x_type"',
    )
    expect((await load({ customer_data: { direct_access_base: 'some' } })).length).toBeGreaterThan(0)
  })

  it('R1-02-3.4-05, A-44: every registration_requirements and registration_optional id is a registration field', async () => {
    expect(strip(await load({ oauth: { registration_fields: { company_logo: null } } }))).toEqual([
      'config /oauth/scope_descriptions/demo_usage_data/registration_optional/0: "company_logo" is not a key of /oauth/registration_fields',
    ])
    expect(strip(await load({ oauth: { scope_descriptions: { demo_meter_readings: { registration_requirements: ['tax_id'] } } } }))).toEqual([
      'config /oauth/scope_descriptions/demo_meter_readings/registration_requirements/0: "tax_id" is not a key of /oauth/registration_fields',
    ])
  })

  it('R1-02-3.4-13: grant_admin_scope names a cds_grant_admin scope', async () => {
    expect(strip(await load({ oauth: { scope_descriptions: { demo_usage_data: { grant_admin_scope: 'cds_client_admin' } } } }))).toEqual([
      'config /oauth/scope_descriptions/demo_usage_data/grant_admin_scope: "cds_client_admin" is not the id of a cds_grant_admin scope',
    ])
  })

  it('R1-02-3.3-06 (A-33): the cds_client_admin scope must exist', async () => {
    expect(strip(await load({ oauth: { scope_descriptions: { cds_client_admin: null } } }))).toEqual([
      'config /oauth/scope_descriptions: must contain the cds_client_admin scope (CDS-WG1-02 §4.1 requires it for registration)',
    ])
  })

  it('R1-02-3.4-12: coverages_supported are coverage entry ids; R1-01-4.3-02: entry ids are unique', async () => {
    const lines = strip(await load({ coverage_entries: [] }))
    expect(lines).toContain('config /oauth/scope_descriptions/demo_usage_data/coverages_supported/0: "demo-residential-electric" is not the id of a coverage entry')
    const config = await loadConfig({ env: {} })
    const twice = [config.coverage_entries[0], config.coverage_entries[0]]
    expect(strip(await load({ coverage_entries: twice, oauth: { scope_descriptions: { demo_usage_data: null } } }))).toEqual([
      'config /coverage_entries/1/id: "demo-residential-electric" is used by an earlier entry',
      'config /oauth/scope_descriptions/demo_meter_readings/coverages_supported/0: "demo-commercial-gas" is not the id of a coverage entry',
    ])
  })

  it('R1-02-3.3.2-03: the Grant Admin fields keep their fixed values', async () => {
    const config = await loadConfig({ env: {} })
    const fields = config.oauth.scope_descriptions.cds_grant_admin_1!.authorization_details_fields_supported
    const changed = [{ ...fields[0], name: 'Client' }, fields[1]]
    expect(strip(await load({ oauth: { scope_descriptions: { cds_grant_admin_1: { authorization_details_fields_supported: changed } } } }))).toEqual([
      'config /oauth/scope_descriptions/cds_grant_admin_1/authorization_details_fields_supported/0/name: must be "Client Object identifier"',
    ])
  })

  it('refuses what this server does not implement, and public clients on client_credentials (RFC 6749 §4.4)', async () => {
    expect(strip(await load({ oauth: { scope_descriptions: { demo_usage_data: { token_endpoint_auth_methods_supported: ['private_key_jwt'] } } } }))).toEqual([
      'config /oauth/scope_descriptions/demo_usage_data/token_endpoint_auth_methods_supported/0: "private_key_jwt" is not implemented by this server',
    ])
    expect(strip(await load({ oauth: { scope_descriptions: { demo_meter_readings: { token_endpoint_auth_methods_supported: ['none'] } } } }))).toEqual([
      'config /oauth/scope_descriptions/demo_meter_readings/token_endpoint_auth_methods_supported: "none" (public clients) cannot be offered with the client_credentials grant',
    ])
  })

  it('R1-01-3.2-04: created is not after updated', async () => {
    expect(strip(await load({ metadata: { created: '2030-01-01T00:00:00Z' } }))).toEqual(['config /metadata/updated: must not be earlier than /metadata/created'])
  })
})

describe('deepMerge', () => {
  it('does not modify its inputs', () => {
    const base = { a: { b: 1, c: [1, 2] } }
    const merged = deepMerge(base, { a: { c: [3] } })
    expect(merged).toEqual({ a: { b: 1, c: [3] } })
    expect(base).toEqual({ a: { b: 1, c: [1, 2] } })
  })
})
