/**
 * Issue 4's scenario over a real socket, as a Client and an operator would live it: register →
 * use the sandbox Client object (PAR + PKCE code flow with the demo customer) → ask for production
 * and get approved by the operator → rotate the admin secret → list Grants → download a
 * Server-Provided File with a Grant Admin token → close a Grant. Plain `fetch` for every call, on
 * every test dialect.
 *
 * @see CDS-WG1-02 §5–§9
 */
import { createHash, randomBytes } from 'node:crypto'
import { AutoApprove, manualClock, toEpochSeconds, type ManualClock } from '@cds-ts/auth'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { buildServer } from '../src/app.js'
import type { ServerConfig } from '../src/config/config-schema.js'
import { DEMO_CODE_SCOPE, DEMO_FILES_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../src/config/defaults.js'
import { loadConfig } from '../src/config/load-config.js'
import { OPERATOR_TOKEN, TEST_SECRET_KEY } from './api-app.js'
import { forEachDialect } from './dialects.js'
import { freePort } from './free-port.js'

type Json = Record<string, unknown>
interface ClientJson extends Json {
  client_id: string
  scope: string
  cds_client_uri: string
  cds_status: string
  cds_status_options: string[]
  redirect_uris: string[]
}
interface CredentialJson extends Json {
  credential_id: string
  client_id: string
  uri: string
  client_secret: string
  client_secret_expires_at: number
}
interface GrantJson extends Json {
  grant_id: string
  uri: string
  client_id: string
  status: string
  scope: string
  enabled_scope: string
}
interface MessageJson extends Json {
  message_id: string
  uri: string
  type: string
  status: string
  previous_uri: string | null
  related_type?: string
  related_uri?: string
}
interface MessageListing {
  outstanding: MessageJson[]
  unread: MessageJson[]
  read: MessageJson[]
}

const CLIENT_CALLBACK = 'https://client.example/cb'
const FILE_BYTES = randomBytes(2.5 * 1024 * 1024)

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

forEachDialect('issue 4 scenario: register → sandbox → production → rotation → grants → files → close', (t) => {
  let app: FastifyInstance
  let config: ServerConfig
  let clock: ManualClock
  let base = ''

  /** A JSON call with a bearer token; returns status, headers and body. */
  async function api(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; headers: Headers; body: Json }> {
    const response = await fetch(url.startsWith('http') ? url : `${base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Json) }
  }

  /** A form POST to an OAuth endpoint with Basic authentication. */
  async function oauthPost(path: string, id: string, secret: string, form: Record<string, string>): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    })
    return { status: response.status, body: (await response.json()) as Json }
  }

  async function token(id: string, secret: string, form: Record<string, string>): Promise<string> {
    const { status, body } = await oauthPost('/oauth/token', id, secret, { grant_type: 'client_credentials', ...form })
    expect(status, JSON.stringify(body)).toBe(200)
    return body.access_token as string
  }

  // State carried from step to step, as a Client would keep it.
  let adminId = ''
  let adminSecret = ''
  let adminToken = ''
  let registrationId = ''
  let sandbox: ClientJson
  let sandboxSecret = ''
  let codeAccessToken = ''

  beforeAll(async () => {
    const port = await freePort()
    config = await loadConfig({
      env: {
        PORT: String(port),
        CDS_BASE_URL: `http://127.0.0.1:${port}`,
        CDS_DATABASE_URL: 'memory:',
        CDS_OPERATOR_TOKEN: OPERATOR_TOKEN,
        CDS_SECRET_KEY: TEST_SECRET_KEY,
      },
    })
    // Production Client objects wait for the operator, so the scenario starts in the sandbox (A-46).
    config.registration.production_access = 'review'
    clock = manualClock('2025-03-01T12:00:00Z')
    // The demo customer approves at once; the login and Authorization Form have their own tests.
    app = await buildServer({ config, database: t.database, clock, customerAuthorization: new AutoApprove('demo-customer') })
    await app.listen({ host: '127.0.0.1', port })
    base = config.base_url
  })

  afterAll(async () => {
    await app.close()
  })

  it('registers and finds its Client objects and their secrets through the Clients and Credentials APIs', async () => {
    const response = await fetch(`${base}/oauth/register`, {
      method: 'POST',
      body: JSON.stringify({ scope: `cds_client_admin ${DEMO_CODE_SCOPE} ${DEMO_FILES_SCOPE}`, client_name: 'Scenario Apps', cds_company_name: 'Scenario Inc.' }),
    })
    expect(response.status).toBe(201)
    const admin = (await response.json()) as Json
    adminId = admin.client_id as string
    adminSecret = admin.client_secret as string
    adminToken = await token(adminId, adminSecret, { scope: 'cds_client_admin' })

    const clients = (await api('GET', '/api/clients', adminToken)).body.clients as ClientJson[]
    expect(clients.map((c) => c.scope).sort()).toEqual(['cds_client_admin', DEMO_FILES_SCOPE, DEMO_GRANT_ADMIN_SCOPE, DEMO_CODE_SCOPE].sort())
    sandbox = clients.find((c) => c.scope === DEMO_CODE_SCOPE)!
    expect(sandbox.cds_status).toBe('sandbox')
    const credentials = (await api('GET', `/api/credentials?client_ids=${sandbox.client_id}`, adminToken)).body.credentials as CredentialJson[]
    expect(credentials).toHaveLength(1)
    sandboxSecret = credentials[0]!.client_secret
    const operatorView = await api('GET', '/operator/registrations', OPERATOR_TOKEN)
    expect(operatorView.status).toBe(200)
    registrationId = (operatorView.body.registrations as { registration_id: string; admin_client_id: string }[]).find((r) => r.admin_client_id === adminId)!
      .registration_id
  })

  it('uses the sandbox Client object: adds its own redirect URI, runs PAR + PKCE with the demo customer, and the Grant appears at once', async () => {
    const put = await api('PUT', sandbox.cds_client_uri, adminToken, { ...sandbox, redirect_uris: [...sandbox.redirect_uris, CLIENT_CALLBACK] })
    expect(put.status, JSON.stringify(put.body)).toBe(200)
    expect(put.body.redirect_uris).toContain(CLIENT_CALLBACK)

    const verifier = randomBytes(32).toString('base64url')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    const par = await oauthPost('/oauth/par', sandbox.client_id, sandboxSecret, {
      response_type: 'code',
      client_id: sandbox.client_id,
      redirect_uri: CLIENT_CALLBACK,
      scope: DEMO_CODE_SCOPE,
      state: 'scenario-state',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
    expect(par.status, JSON.stringify(par.body)).toBe(201)
    const authorize = await fetch(
      `${base}/oauth/authorize?${new URLSearchParams({ client_id: sandbox.client_id, request_uri: par.body.request_uri as string }).toString()}`,
      { redirect: 'manual' },
    )
    expect(authorize.status).toBe(302)
    const location = new URL(authorize.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(CLIENT_CALLBACK)
    expect(location.searchParams.get('state')).toBe('scenario-state')

    // CDS-WG1-02 §8.3 (R1-02-8.3-11): the Grant exists before the code is exchanged.
    const grants = (await api('GET', `/api/grants?client_ids=${sandbox.client_id}`, adminToken)).body.grants as GrantJson[]
    expect(grants).toHaveLength(1)
    expect(grants[0]).toMatchObject({ status: 'active', scope: DEMO_CODE_SCOPE, enabled_scope: DEMO_CODE_SCOPE })

    const exchange = await oauthPost('/oauth/token', sandbox.client_id, sandboxSecret, {
      grant_type: 'authorization_code',
      code: location.searchParams.get('code')!,
      redirect_uri: CLIENT_CALLBACK,
      code_verifier: verifier,
    })
    expect(exchange.status, JSON.stringify(exchange.body)).toBe(200)
    codeAccessToken = exchange.body.access_token as string
    const introspection = await oauthPost('/oauth/introspect', adminId, adminSecret, { token: codeAccessToken })
    expect(introspection.body.active).toBe(true)
  })

  it('asks for production; the operator approves; the production Client object and its Credential appear, with the decision in the Messages', async () => {
    const request = await api('POST', '/api/messages', adminToken, {
      type: 'production_request',
      previous_uri: null,
      name: 'Production access',
      description: 'Our sandbox tests pass; please approve.',
      related_uri: sandbox.cds_client_uri,
    })
    expect(request.status, JSON.stringify(request.body)).toBe(201)
    expect(request.body).toMatchObject({ status: 'pending', read: true, creator: adminId })
    const requestId = request.body.message_id as string

    clock.advance(60)
    const approval = await api('POST', `/operator/messages/${requestId}/approve-production`, OPERATOR_TOKEN, {})
    expect(approval.status, JSON.stringify(approval.body)).toBeLessThan(300)

    const messages = (await api('GET', '/api/messages', adminToken)).body as unknown as MessageListing
    const update = messages.unread.find((m) => m.type === 'request_update' && m.previous_uri === request.body.uri)
    expect(update).toMatchObject({ status: 'complete', related_type: 'client' })
    const production = (await api('GET', update!.related_uri!, adminToken)).body as ClientJson
    expect(production).toMatchObject({ scope: DEMO_CODE_SCOPE, cds_status: 'production' })
    expect(production.cds_status_options).toEqual(['production', 'disabled'])
    const original = (await api('GET', request.body.uri as string, adminToken)).body
    expect(original).toMatchObject({ status: 'complete', related_type: 'client', related_uri: production.cds_client_uri })
    const credentials = (await api('GET', `/api/credentials?client_ids=${production.client_id}`, adminToken)).body.credentials as CredentialJson[]
    expect(credentials).toHaveLength(1)
  })

  it('rotates the admin secret: the new one works, the old one and its tokens stop at once', async () => {
    const created = await api('POST', '/api/credentials', adminToken, { client_id: adminId })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const fresh = created.body as unknown as CredentialJson
    const freshToken = await token(adminId, fresh.client_secret, { scope: 'cds_client_admin' })

    const old = ((await api('GET', `/api/credentials?client_ids=${adminId}`, freshToken)).body.credentials as CredentialJson[]).find(
      (c) => c.credential_id !== fresh.credential_id,
    )!
    const expire = await api('PATCH', old.uri, freshToken, { client_secret_expires_at: toEpochSeconds(clock.now()) })
    expect(expire.status, JSON.stringify(expire.body)).toBe(200)

    expect((await oauthPost('/oauth/token', adminId, adminSecret, { grant_type: 'client_credentials' })).status).toBe(401)
    expect((await api('GET', '/api/clients', adminToken)).status).toBe(401)
    adminSecret = fresh.client_secret
    adminToken = freshToken
    expect((await api('GET', '/api/clients', adminToken)).status).toBe(200)
  })

  it('lists Grants with filters, newest modified first', async () => {
    const all = (await api('GET', '/api/grants', adminToken)).body.grants as GrantJson[]
    expect(all.length).toBeGreaterThanOrEqual(2)
    const modified = all.map((g) => Date.parse(g.modified as string))
    expect([...modified].sort((a, b) => b - a)).toEqual(modified)
    const code = (await api('GET', `/api/grants?scopes=${DEMO_CODE_SCOPE}&statuses=active`, adminToken)).body.grants as GrantJson[]
    expect(code.map((g) => g.client_id)).toEqual([sandbox.client_id])
  })

  it('downloads a Server-Provided File the operator shared, with a Grant Admin token', async () => {
    const upload = await fetch(`${base}/operator/files?${new URLSearchParams({ name: 'backfill.csv', mime_type: 'text/csv', description: 'Initial backfill' })}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/octet-stream' },
      body: FILE_BYTES,
    })
    expect(upload.status).toBe(201)
    const file = (await upload.json()) as Json
    const share = await api('POST', '/operator/files/share', OPERATOR_TOKEN, { file_ids: [file.file_id], registration_id: registrationId })
    expect(share.status, JSON.stringify(share.body)).toBe(201)

    const [grant] = (await api('GET', `/api/grants?scopes=${DEMO_FILES_SCOPE}`, adminToken)).body.grants as GrantJson[]
    expect(grant).toBeDefined()
    const clients = (await api('GET', '/api/clients', adminToken)).body.clients as ClientJson[]
    const grantAdmin = clients.find((c) => c.scope === DEMO_GRANT_ADMIN_SCOPE)!
    const [gaCredential] = (await api('GET', `/api/credentials?client_ids=${grantAdmin.client_id}`, adminToken)).body.credentials as CredentialJson[]
    const gaToken = await token(grantAdmin.client_id, gaCredential!.client_secret, {
      authorization_details: JSON.stringify([{ type: DEMO_GRANT_ADMIN_SCOPE, client_id: grant!.client_id, grant_id: grant!.grant_id }]),
    })
    const files = (await api('GET', '/api/files', gaToken)).body.files as Json[]
    expect(files.map((f) => f.file_id)).toEqual([file.file_id])
    const download = await fetch(files[0]!.download_uri as string, { headers: { authorization: `Bearer ${gaToken}` } })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(Buffer.from(await download.arrayBuffer()).equals(FILE_BYTES)).toBe(true)
    // CDS-WG1-02 §9 (R1-02-9.1-03): the client admin token does not open files.
    expect((await fetch(files[0]!.download_uri as string, { headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(403)
  })

  it('closes the sandbox Grant: status closed, no access left, and its tokens stop working', async () => {
    const [grant] = (await api('GET', `/api/grants?client_ids=${sandbox.client_id}`, adminToken)).body.grants as GrantJson[]
    const closed = await api('PATCH', grant!.uri, adminToken, { status: 'closed' })
    expect(closed.status, JSON.stringify(closed.body)).toBe(200)
    expect(closed.body).toMatchObject({ status: 'closed', enabled_scope: '', enabled_authorization_details: [] })
    const introspection = await oauthPost('/oauth/introspect', adminId, adminSecret, { token: codeAccessToken })
    expect(introspection.body).toEqual({ active: false })
    const messages = (await api('GET', '/api/messages', adminToken)).body as unknown as MessageListing
    expect(messages.unread.some((m) => m.related_type === 'grant' && m.related_uri === grant!.uri)).toBe(true)
  })
})
