import { authenticateClient, manualClock, verifySecret } from '@cds-ts/auth'
import { checkStrict, Client, ClientRegistrationResponse, OAuthErrorResponse, type RegistrationField } from '@cds-ts/schema'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../../test/dialects.js'
import { TEST_BASE_URL, testConfig } from '../../../test/discovery-app.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../../config/defaults.js'
import type { Database } from '../../db/database.js'
import { clientRecord } from '../../db/oauth-rows.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { decimalJsonPlugin } from '../../shared/decimal-json.js'
import { errorHandlerPlugin } from '../../shared/error-handler.js'
import { requestBodyPlugin } from '../../shared/request-body.js'
import { schemaController, schemasPlugin } from '../../shared/schemas.js'
import { clientUrls, registerPlugin, registrationBodyLimit } from './register.js'
import { receiptPlugin, receiptUrl } from './receipt.js'

const REGISTER = '/oauth/register'
const NOW = '2026-02-01T10:00:00Z'
const RECEIPT = `${TEST_BASE_URL}/oauth/receipt`

function field(id: string, extra: Partial<RegistrationField>): RegistrationField {
  return { id, type: 'registration_field', field_name: `cds_${id}`, description: id, documentation: `${TEST_BASE_URL}/docs/${id}`, ...extra }
}

/** The demo configuration, with the direct-access scope asking for a field of every other format. */
function registrationConfig(): ServerConfig {
  const config = testConfig()
  Object.assign(config.oauth.registration_fields, {
    contact_email: field('contact_email', { format: 'email', max_length: 40 }),
    website: field('website', { format: 'url_or_null', default: null }),
    accepts_terms: field('accepts_terms', { format: 'boolean' }),
    tax_form: field('tax_form', { format: 'pdf_or_null', default: null, max_size: 64 }),
  })
  const direct = config.oauth.scope_descriptions[DEMO_DIRECT_SCOPE]!
  direct.registration_requirements = ['company_name', 'accepts_terms']
  direct.registration_optional = ['contact_email', 'website', 'tax_form']
  return config
}

/** Base64 of a file that starts with `head` and is zero-padded to `size` bytes. */
function file(head: number[] | string, size: number): string {
  const bytes = Buffer.alloc(size)
  Buffer.from(typeof head === 'string' ? Buffer.from(head, 'latin1') : head).copy(bytes)
  return bytes.toString('base64')
}
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

async function buildApp(db: Kysely<Database>, config: ServerConfig): Promise<FastifyInstance> {
  const app = Fastify({ schemaController })
  await app.register(errorHandlerPlugin, { realm: TEST_BASE_URL })
  await app.register(requestBodyPlugin)
  await app.register(decimalJsonPlugin)
  await app.register(schemasPlugin)
  await app.register(registerPlugin, { config, store: new KyselyAuthStore(db), clock: manualClock(NOW) })
  await app.register(receiptPlugin, { config })
  await app.ready()
  return app
}

function post(app: FastifyInstance, body: unknown, contentType = 'application/json'): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: REGISTER, headers: { 'content-type': contentType }, payload: typeof body === 'string' ? body : JSON.stringify(body) })
}

async function counts(db: Kysely<Database>): Promise<{ clients: number; credentials: number }> {
  const clients = await db.selectFrom('clients').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  const credentials = await db.selectFrom('credentials').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  return { clients: Number(clients.n), credentials: Number(credentials.n) }
}

const FULL_REQUEST = {
  scope: `cds_client_admin ${DEMO_CODE_SCOPE} ${DEMO_DIRECT_SCOPE}`,
  client_name: 'Acme Energy App',
  contacts: ['dev@acme.example'],
  cds_company_name: 'Acme Energy',
  cds_accepts_terms: true,
  cds_contact_email: 'ops@acme.example',
  cds_company_logo: file(PNG, 100),
}

describe('CDS-WG1-02 §4.2 registration URLs', () => {
  it('R1-02-5.1-08 cds_client_uri is unique per Client object; R1-02-4.2-13 the default redirect is the receipt page', () => {
    const config = registrationConfig()
    expect(clientUrls(config, 'a/b')).toEqual({
      cds_client_uri: `${TEST_BASE_URL}/api/clients/a%2Fb`,
      cds_server_metadata: `${TEST_BASE_URL}/.well-known/cds-server-metadata.json`,
    })
    expect(receiptUrl(config)).toBe(RECEIPT)
    expect(registrationBodyLimit(config)).toBe(1_048_576)
    config.oauth.registration_fields.tax_form!.max_size = 3_000_000
    expect(registrationBodyLimit(config)).toBe(Math.ceil(262_144 / 3) * 4 + 4_000_000 + 65_536)
  })
})

forEachDialect('CDS-WG1-02 §4 Client Registration Process: POST /oauth/register', (t) => {
  let app: FastifyInstance
  beforeAll(async () => {
    app = await buildApp(t.db, registrationConfig())
  }, 60_000)
  afterAll(async () => {
    await app.close()
  })

  it('R1-02-4.2-01..08, R1-02-4.2-22: 201 with the cds_client_admin Client object, its client_secret, no-store', async () => {
    const response = await post(app, FULL_REQUEST)
    expect(response.statusCode).toBe(201)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers.pragma).toBe('no-cache')
    const body = response.json<ClientRegistrationResponse>()
    expect(checkStrict(ClientRegistrationResponse, body, { closed: true })).toEqual([])
    expect(body).toEqual({
      client_id: body.client_id,
      client_id_issued_at: Date.parse(NOW) / 1000,
      scope: 'cds_client_admin',
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      client_name: 'Acme Energy App',
      contacts: ['dev@acme.example'],
      authorization_details_types: [],
      cds_created: NOW,
      cds_modified: NOW,
      cds_client_uri: `${TEST_BASE_URL}/api/clients/${body.client_id}`,
      cds_server_metadata: `${TEST_BASE_URL}/.well-known/cds-server-metadata.json`,
      cds_status: 'production',
      cds_status_options: ['production'],
      client_secret: body.client_secret,
      client_secret_expires_at: 0,
    })
    expect(response.headers.location).toBe(body.cds_client_uri)
    expect(body.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('R1-02-4.2-08..19: the Client objects and Credentials are written, secrets only as digests', async () => {
    const response = await post(app, { ...FULL_REQUEST, client_name: 'Rows' })
    expect(response.statusCode).toBe(201)
    const { client_id, client_secret } = response.json<ClientRegistrationResponse>()
    const admin = await t.db.selectFrom('clients').selectAll().where('client_id', '=', client_id).executeTakeFirstOrThrow()
    const rows = await t.db.selectFrom('clients').selectAll().where('registration_id', '=', admin.registration_id).orderBy('seq').execute()
    const clients = rows.map(clientRecord)
    expect(clients.map((c) => [c.scope, c.cds_status, c.cds_status_options, c.token_endpoint_auth_method])).toEqual([
      ['cds_client_admin', 'production', ['production'], 'client_secret_basic'],
      [DEMO_CODE_SCOPE, 'sandbox', ['sandbox', 'disabled'], 'client_secret_basic'],
      [DEMO_CODE_SCOPE, 'production', ['production', 'disabled'], 'client_secret_basic'],
      [DEMO_DIRECT_SCOPE, 'production', ['production', 'disabled'], 'client_secret_basic'],
      // R1-02-4.2-11: the code scope names a Grant Admin scope, which gets its own object.
      [DEMO_GRANT_ADMIN_SCOPE, 'production', ['production', 'disabled'], 'client_secret_basic'],
    ])
    for (const client of clients) {
      expect(checkStrict(Client, { ...client, registration_id: undefined, registration_fields: undefined, ...clientUrls(registrationConfig(), client.client_id) })).toEqual([])
      expect(client.client_name).toBe('Rows')
      expect(client.client_id_issued_at).toBe(Date.parse(NOW) / 1000)
    }
    // R1-02-4.2-13, R1-02-5.1-17..19: code objects get the receipt redirect and the three defaults.
    for (const code of clients.filter((c) => c.scope === DEMO_CODE_SCOPE)) {
      expect(code).toMatchObject({
        redirect_uris: [RECEIPT],
        response_types: ['code'],
        cds_default_scope: DEMO_CODE_SCOPE,
        cds_default_redirect_uri: RECEIPT,
        cds_default_authorization_details: [],
        registration_fields: { cds_company_name: 'Acme Energy', cds_company_logo: FULL_REQUEST.cds_company_logo },
      })
    }
    expect(clients.find((c) => c.scope === DEMO_DIRECT_SCOPE)?.registration_fields).toEqual({
      cds_company_name: 'Acme Energy',
      cds_accepts_terms: true,
      cds_contact_email: 'ops@acme.example',
      cds_website: null,
      cds_tax_form: null,
    })
    // R1-02-4.2-12: one Credential per Client object, none holding the secret itself.
    const credentials = await t.db
      .selectFrom('credentials')
      .selectAll()
      .where(
        'client_id',
        'in',
        clients.map((c) => c.client_id),
      )
      .execute()
    expect(credentials.map((c) => c.client_id).sort()).toEqual(clients.map((c) => c.client_id).sort())
    for (const credential of credentials) {
      expect(credential).toMatchObject({ type: 'client_secret', client_secret_expires_at: 0 })
      expect(credential.client_secret_hash).toMatch(/^[A-Za-z0-9_-]{43}$/)
    }
    const adminCredential = credentials.find((c) => c.client_id === client_id)!
    expect(verifySecret(client_secret, adminCredential.client_secret_hash)).toBe(true)
    expect(JSON.stringify([rows, credentials])).not.toContain(client_secret)
  })

  it('R1-02-4.2-07: the returned secret authenticates the cds_client_admin Client object (RFC 6749 §2.3.1)', async () => {
    const { client_id, client_secret } = (await post(app, FULL_REQUEST)).json<ClientRegistrationResponse>()
    const store = new KyselyAuthStore(t.db)
    const findClient = async (id: string) => {
      const client = await store.clients.find(id)
      return client && { client, credentials: await store.credentials.listByClient(id) }
    }
    const authorization = `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`
    const authenticated = await authenticateClient({ authorization }, { findClient, clock: manualClock(NOW) })
    expect(authenticated).toMatchObject({ client_id, method: 'client_secret_basic' })
  })

  it('R1-02-4.1-07: submitted redirect_uris are ignored, valid or not, and stored nowhere', async () => {
    const before = await counts(t.db)
    const response = await post(app, { scope: `cds_client_admin ${DEMO_CODE_SCOPE}`, cds_company_name: 'Acme', redirect_uris: ['https://attacker.example/cb', 42] })
    expect(response.statusCode).toBe(201)
    expect(response.json<ClientRegistrationResponse>().redirect_uris).toEqual([])
    expect((await counts(t.db)).clients).toBe(before.clients + 4)
    const stored = await t.db.selectFrom('clients').select(['redirect_uris', 'cds_default_redirect_uri']).execute()
    expect(JSON.stringify(stored)).not.toContain('attacker.example')
  })

  it('R1-02-4.1-01, A-14: the body is read as JSON whatever the Content-Type', async () => {
    const body = { scope: 'cds_client_admin' }
    expect((await post(app, body, 'text/plain')).statusCode).toBe(201)
    expect((await post(app, body, 'application/x-www-form-urlencoded')).statusCode).toBe(201)
  })

  const failures: [string, Record<string, unknown>, string][] = [
    ['R1-02-4.1-03 (A-15) no cds_client_admin', { scope: DEMO_DIRECT_SCOPE }, 'the scope must include cds_client_admin'],
    ['R1-02-4.1-05 a scope without a Scope Description', { scope: 'cds_client_admin openid' }, "the scope 'openid' is not in cds_scope_descriptions"],
    ['A-15 no scope at all', { client_name: 'x' }, "the body parameter 'scope' is required"],
    ['RFC 7591 §2 a client_uri that is not a URI', { scope: 'cds_client_admin', client_uri: 'not a uri' }, "the body parameter 'client_uri' must match format 'uri'"],
    ['RFC 7591 §2 a contacts member that is not a list', { scope: 'cds_client_admin', contacts: 'dev@acme.example' }, "the body parameter 'contacts' must be array"],
    ['R1-02-3.4-06 a missing required field', { scope: `cds_client_admin ${DEMO_DIRECT_SCOPE}`, cds_company_name: 'Acme' }, "the registration field 'cds_accepts_terms' is required by the scope 'demo_meter_readings'"],
    ['R1-02-3.7-01 a number for a string', { ...FULL_REQUEST, cds_company_name: 7 }, "the registration field 'cds_company_name' must be a string"],
    ['R1-02-3.7-01 null for a string', { ...FULL_REQUEST, cds_company_name: null }, "the registration field 'cds_company_name' must not be null (format string)"],
    ['R1-02-3.5-06 a string over max_length', { ...FULL_REQUEST, cds_company_name: 'x'.repeat(257) }, "the registration field 'cds_company_name' must be at most 256 characters long"],
    ['R1-02-3.7-02 a url that is not one', { ...FULL_REQUEST, cds_website: 'acme dot example' }, "the registration field 'cds_website' must be an absolute http or https URL"],
    ['R1-02-3.7-03 an email that is not one', { ...FULL_REQUEST, cds_contact_email: 'foo' }, "the registration field 'cds_contact_email' must be a valid email address"],
    ['R1-02-3.7-04 the string "true" for a boolean', { ...FULL_REQUEST, cds_accepts_terms: 'true' }, "the registration field 'cds_accepts_terms' must be true or false"],
    ['R1-02-3.7-05 a GIF for an image', { ...FULL_REQUEST, cds_company_logo: file('GIF89a', 40) }, "the registration field 'cds_company_logo' must be a Base64-encoded PNG or JPEG image; the decoded data is not one"],
    ['R1-02-3.7-05 non-Base64 text for an image', { ...FULL_REQUEST, cds_company_logo: 'hello world' }, "the registration field 'cds_company_logo' must be a Base64-encoded PNG or JPEG image (RFC 4648 Base64)"],
    ['R1-02-3.7-06 a PNG for a PDF', { ...FULL_REQUEST, cds_tax_form: file(PNG, 40) }, "the registration field 'cds_tax_form' must be a Base64-encoded PDF file; the decoded data is not one"],
    ['R1-02-3.5-07 a PDF over max_size', { ...FULL_REQUEST, cds_tax_form: file('%PDF-1.7', 65) }, "the registration field 'cds_tax_form' is 65 bytes once decoded; at most 64 are allowed"],
  ]
  for (const [name, body, description] of failures) {
    it(`${name}: 400 invalid_client_metadata naming it, and nothing is written`, async () => {
      const before = await counts(t.db)
      const response = await post(app, body)
      expect(response.statusCode).toBe(400)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.headers['cache-control']).toBe('no-store')
      expect(checkStrict(OAuthErrorResponse, response.json(), { closed: true })).toEqual([])
      expect(response.json()).toEqual({ error: 'invalid_client_metadata', error_description: description })
      expect(await counts(t.db)).toEqual(before)
    })
  }

  it('R1-02-3.5-06, R1-02-3.5-07: exactly max_length and max_size are accepted', async () => {
    const response = await post(app, { ...FULL_REQUEST, cds_company_name: 'x'.repeat(256), cds_tax_form: file('%PDF-1.7', 64) })
    expect(response.statusCode).toBe(201)
  })

  it('a body that is not JSON is 400 invalid_request, and nothing is written', async () => {
    const before = await counts(t.db)
    const response = await post(app, '{"scope": "cds_client_admin"')
    expect(response.statusCode).toBe(400)
    expect(response.json<OAuthErrorResponse>().error).toBe('invalid_request')
    expect(await counts(t.db)).toEqual(before)
  })

  it('RFC 7591 §3.2.2: a JSON body that is not an object is invalid_client_metadata', async () => {
    const response = await post(app, '["cds_client_admin"]')
    expect(response.statusCode).toBe(400)
    expect(response.json<OAuthErrorResponse>().error).toBe('invalid_client_metadata')
  })

  it('A-51: a body over the limit is 413 content_too_large, never a 500', async () => {
    const response = await post(app, { scope: 'cds_client_admin', client_name: 'x'.repeat(1_100_000) })
    expect(response.statusCode).toBe(413)
    expect(response.json<OAuthErrorResponse>().error).toBe('content_too_large')
  })
})
