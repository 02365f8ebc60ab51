import { hashSecret, lookupAccessToken } from '@cds-ts/auth'
import { checkStrict, Decimal, OAuthErrorResponse, TokenResponse, type AuthorizationDetail } from '@cds-ts/schema'
import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../../test/dialects.js'
import {
  basic,
  buildOAuthApp,
  CLIENT_REDIRECT,
  form,
  formHeaders,
  OAUTH_BASE_URL,
  PUBLIC_SCOPE,
  seedClient,
  seedCode,
  seedGrant,
  type OAuthApp,
  type Seeded,
} from '../../../test/oauth-app.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../../config/defaults.js'

function expectNoStore(response: LightMyRequestResponse): void {
  // RFC 6749 §5.1 (catalog RFC6749-05): token responses and errors are never cached.
  expect(response.headers['cache-control']).toBe('no-store')
  expect(response.headers.pragma).toBe('no-cache')
}

function expectError(response: LightMyRequestResponse, status: number, error: string): void {
  expect(response.statusCode).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(checkStrict(OAuthErrorResponse, response.json(), { closed: true })).toEqual([])
  expect(response.json()).toMatchObject({ error })
  expectNoStore(response)
}

forEachDialect('CDS-WG1-02 §3.2 token endpoint (RFC 6749 §3.2)', (t) => {
  let o: OAuthApp
  let admin: Seeded
  const token = (fields: Record<string, string>, authorization?: string) =>
    o.app.inject({ method: 'POST', url: '/oauth/token', headers: formHeaders(authorization), payload: form(fields) })

  beforeAll(async () => {
    o = await buildOAuthApp(t.db)
    admin = await seedClient(o.store, 'admin')
  })

  describe('CDS-WG1-02 §3.3.1 Client Admin Scope', () => {
    it('RFC6749-04 RFC6749-05 a cds_client_admin token: 200 JSON, Bearer, expires_in, scope, no refresh token, no-store', async () => {
      const response = await token({ grant_type: 'client_credentials', scope: 'cds_client_admin' }, admin.authorization)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expectNoStore(response)
      const body = response.json<TokenResponse>()
      expect(checkStrict(TokenResponse, body, { closed: true })).toEqual([])
      expect(body).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: 3600, scope: 'cds_client_admin' })
      const stored = await t.db.selectFrom('tokens').selectAll().where('token_hash', '=', hashSecret(body.access_token)).executeTakeFirstOrThrow()
      expect(stored).toMatchObject({ client_id: admin.client.client_id, credential_id: admin.credential_id, token_type: 'access_token' })
    })

    it('RFC 6749 §3.2 unknown parameters are ignored', async () => {
      expect((await token({ grant_type: 'client_credentials', foo: 'bar' }, admin.authorization)).statusCode).toBe(200)
    })

    it('RFC6749-03 a wrong secret is 401 invalid_client with a Basic challenge', async () => {
      const response = await token({ grant_type: 'client_credentials' }, basic(admin.client.client_id, 'wrong'))
      expectError(response, 401, 'invalid_client')
      expect(response.headers['www-authenticate']).toBe(`Basic realm="${OAUTH_BASE_URL}"`)
    })

    it('RFC6749-03 no client authentication is 401 invalid_client', async () => {
      expectError(await token({ grant_type: 'client_credentials' }), 401, 'invalid_client')
    })

    it('R1-02-7.6-06 once its Credential expires, the secret no longer gets tokens', async () => {
      const direct = await seedClient(o.store, 'admin')
      await o.store.credentials.updateExpiry(direct.credential_id!, Math.floor(o.clock.now().getTime() / 1000), o.clock.now())
      expectError(await token({ grant_type: 'client_credentials' }, direct.authorization), 401, 'invalid_client')
    })

    it('RFC6749-06 an unknown scope is invalid_scope', async () => {
      expectError(await token({ grant_type: 'client_credentials', scope: 'nope' }, admin.authorization), 400, 'invalid_scope')
    })

    it('RFC 6749 §5.2 a malformed scope is invalid_scope', async () => {
      expectError(await token({ grant_type: 'client_credentials', scope: 'a"b' }, admin.authorization), 400, 'invalid_scope')
    })
  })

  describe('RFC 6749 §3.2 request format', () => {
    it('RFC6749-01 a GET is 405 with Allow: POST', async () => {
      const response = await o.app.inject({ method: 'GET', url: '/oauth/token' })
      expect(response.statusCode).toBe(405)
      expect(response.headers.allow).toBe('POST')
      expect(response.json()).toMatchObject({ error: 'method_not_allowed' })
    })

    it('RFC6749-01 a JSON body is 400 invalid_request', async () => {
      const response = await o.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/json', authorization: admin.authorization! },
        payload: JSON.stringify({ grant_type: 'client_credentials' }),
      })
      expectError(response, 400, 'invalid_request')
    })

    it('RFC 6749 §3.2 a repeated parameter is 400 invalid_request', async () => {
      const response = await o.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: formHeaders(admin.authorization),
        payload: 'grant_type=client_credentials&scope=cds_client_admin&scope=cds_client_admin',
      })
      expectError(response, 400, 'invalid_request')
    })

    it('RFC6749-06 a missing grant_type is invalid_request', async () => {
      const response = await token({ scope: 'cds_client_admin' }, admin.authorization)
      expectError(response, 400, 'invalid_request')
      expect(response.json<OAuthErrorResponse>().error_description).toContain('grant_type')
    })

    it('RFC6749-06 grant_type=password is unsupported_grant_type', async () => {
      expectError(await token({ grant_type: 'password', username: 'u', password: 'p' }, admin.authorization), 400, 'unsupported_grant_type')
    })

    it('RFC 6749 §4.1.3 an authorization_code request without code names the parameter', async () => {
      const response = await token({ grant_type: 'authorization_code', code_verifier: 'x'.repeat(43) }, admin.authorization)
      expectError(response, 400, 'invalid_request')
      expect(response.json<OAuthErrorResponse>().error_description).toContain('code')
    })

    it('RFC6749-06 a Client Admin client asking for a code grant is unauthorized_client', async () => {
      expectError(await token({ grant_type: 'authorization_code', code: 'abc' }, admin.authorization), 400, 'unauthorized_client')
    })
  })

  describe('CDS-WG1-02 §3.3.2 Grant Admin Scope', () => {
    let ga: Seeded
    let code: Seeded
    let grant_id: string
    const entry = (client_id: string, id: string) => JSON.stringify([{ type: DEMO_GRANT_ADMIN_SCOPE, client_id, grant_id: id }])

    beforeAll(async () => {
      ga = await seedClient(o.store, 'grant_admin')
      code = await seedClient(o.store, 'code')
      grant_id = await seedGrant(t.db, { client_id: code.client.client_id })
    })

    it('R1-02-3.3.2-09 a Grant Admin token for a Grant of the registration, with its authorization_details', async () => {
      const response = await token({ grant_type: 'client_credentials', authorization_details: entry(code.client.client_id, grant_id) }, ga.authorization)
      expect(response.statusCode).toBe(200)
      expectNoStore(response)
      expect(response.json()).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 3600,
        scope: DEMO_GRANT_ADMIN_SCOPE,
        authorization_details: [{ type: DEMO_GRANT_ADMIN_SCOPE, client_id: code.client.client_id, grant_id }],
      })
      const found = await lookupAccessToken(response.json<TokenResponse>().access_token, { store: o.store, clock: o.clock })
      expect(found).toMatchObject({ grant_id, scope: DEMO_GRANT_ADMIN_SCOPE, client_id: ga.client.client_id })
    })

    it('A-07 R1-02-3.3.2-08 a Grant of another registration is invalid_authorization_details', async () => {
      const stranger = await seedClient(o.store, 'code', { registration_id: 'reg-other' })
      const foreign = await seedGrant(t.db, { client_id: stranger.client.client_id })
      const response = await token({ grant_type: 'client_credentials', authorization_details: entry(stranger.client.client_id, foreign) }, ga.authorization)
      expectError(response, 400, 'invalid_authorization_details')
    })

    it('R1-02-3.3.2-08 a disabled Grant (empty enabled_scope) is invalid_authorization_details', async () => {
      const off = await seedGrant(t.db, { client_id: code.client.client_id, status: 'disabled', enabled_scope: '' })
      expectError(await token({ grant_type: 'client_credentials', authorization_details: entry(code.client.client_id, off) }, ga.authorization), 400, 'invalid_authorization_details')
    })

    it('R1-02-3.3.2-07 two entries are invalid_authorization_details', async () => {
      const one = JSON.parse(entry(code.client.client_id, grant_id))[0]
      const response = await token({ grant_type: 'client_credentials', authorization_details: JSON.stringify([one, one]) }, ga.authorization)
      expectError(response, 400, 'invalid_authorization_details')
    })
  })

  describe('RFC 9396 §6 direct-access scope', () => {
    it('R1-02-3.4-15 grants the entries with the scope defaults filled in', async () => {
      const direct = await seedClient(o.store, 'direct')
      const details = JSON.stringify([{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-1'] }])
      const response = await token({ grant_type: 'client_credentials', authorization_details: details }, direct.authorization)
      expect(response.statusCode).toBe(200)
      expect(response.json<TokenResponse>()).toMatchObject({ scope: DEMO_DIRECT_SCOPE, authorization_details: [{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-1'], max_readings: 100 }] })
    })

    it('RFC9396-02 an entry without its required field is invalid_authorization_details', async () => {
      const direct = await seedClient(o.store, 'direct')
      const details = JSON.stringify([{ type: DEMO_DIRECT_SCOPE }])
      expectError(await token({ grant_type: 'client_credentials', authorization_details: details }, direct.authorization), 400, 'invalid_authorization_details')
    })
  })

  describe('RFC 6749 §4.1.3 authorization code with PKCE', () => {
    let code: Seeded
    beforeAll(async () => {
      code = await seedClient(o.store, 'code')
    })

    it('RFC6749-11 exchanges a code; a second exchange is invalid_grant and revokes what the first issued', async () => {
      const { code: value, code_verifier } = await seedCode(o.store, o.clock, code.client)
      const fields = { grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: CLIENT_REDIRECT }
      const first = await token(fields, code.authorization)
      expect(first.statusCode).toBe(200)
      expectNoStore(first)
      const body = first.json<TokenResponse>()
      expect(body).toMatchObject({ token_type: 'Bearer', scope: DEMO_CODE_SCOPE, refresh_token: expect.any(String), authorization_details: [{ type: DEMO_CODE_SCOPE }] })
      expectError(await token(fields, code.authorization), 400, 'invalid_grant')
      expect(await lookupAccessToken(body.access_token, { store: o.store, clock: o.clock })).toBeUndefined()
      const refresh = await t.db.selectFrom('tokens').select('revoked_at').where('token_hash', '=', hashSecret(body.refresh_token!)).executeTakeFirstOrThrow()
      expect(refresh.revoked_at).not.toBeNull()
    })

    it('RFC7636-05 a wrong verifier is invalid_grant; a malformed one too', async () => {
      const { code: value } = await seedCode(o.store, o.clock, code.client)
      expectError(await token({ grant_type: 'authorization_code', code: value, code_verifier: 'A'.repeat(43), redirect_uri: CLIENT_REDIRECT }, code.authorization), 400, 'invalid_grant')
      expectError(await token({ grant_type: 'authorization_code', code: value, code_verifier: 'short', redirect_uri: CLIENT_REDIRECT }, code.authorization), 400, 'invalid_grant')
    })

    it('RFC6749-12 a redirect_uri mismatch is invalid_grant', async () => {
      const { code: value, code_verifier } = await seedCode(o.store, o.clock, code.client)
      expectError(await token({ grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: 'https://client.example/other' }, code.authorization), 400, 'invalid_grant')
    })

    it('RFC6749-11 an expired code is invalid_grant', async () => {
      const { code: value, code_verifier } = await seedCode(o.store, o.clock, code.client, { expires_at: o.clock.now() })
      expectError(await token({ grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: CLIENT_REDIRECT }, code.authorization), 400, 'invalid_grant')
    })

    it('R1-02-3.4-10 a public client of a scope that lists none exchanges its code without a secret', async () => {
      const pub = await seedClient(o.store, 'public')
      const { code: value, code_verifier } = await seedCode(o.store, o.clock, pub.client)
      const response = await token({ grant_type: 'authorization_code', client_id: pub.client.client_id, code: value, code_verifier, redirect_uri: CLIENT_REDIRECT })
      expect(response.statusCode).toBe(200)
      expect(response.json<TokenResponse>().scope).toBe(PUBLIC_SCOPE)
    })
  })

  describe('CDS-WG3-01 §2 decimals in authorization_details (A-30)', () => {
    it('A-30 token and introspection responses keep 1.10 and a 30-digit decimal exactly', async () => {
      const code = await seedClient(o.store, 'code')
      const entry = { type: DEMO_CODE_SCOPE, amount: Decimal.from('1.10'), big: Decimal.from('123456789012345678901234567890') } as unknown as AuthorizationDetail
      const { code: value, code_verifier } = await seedCode(o.store, o.clock, code.client, { authorization_details: [entry] })
      const response = await token({ grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: CLIENT_REDIRECT }, code.authorization)
      expect(response.statusCode).toBe(200)
      expect(response.body).toContain('"amount":1.10')
      expect(response.body).toContain('"big":123456789012345678901234567890')
      const introspected = await o.app.inject({
        method: 'POST',
        url: '/oauth/introspect',
        headers: formHeaders(code.authorization),
        payload: form({ token: response.json<TokenResponse>().access_token }),
      })
      expect(introspected.statusCode).toBe(200)
      expect(introspected.body).toContain('"amount":1.10')
      expect(introspected.body).toContain('"big":123456789012345678901234567890')
    })
  })

  describe('RFC 6749 §6 refresh token rotation', () => {
    it('RFC 9700 §4.14.2 rotates, and reuse of the rotated token revokes the family', async () => {
      const code = await seedClient(o.store, 'code')
      const { code: value, code_verifier } = await seedCode(o.store, o.clock, code.client)
      const first = (await token({ grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: CLIENT_REDIRECT }, code.authorization)).json<TokenResponse>()
      const rotated = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token! }, code.authorization)
      expect(rotated.statusCode).toBe(200)
      expectNoStore(rotated)
      const second = rotated.json<TokenResponse>()
      expect(second.refresh_token).toEqual(expect.any(String))
      expect(second.refresh_token).not.toBe(first.refresh_token)
      expectError(await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token! }, code.authorization), 400, 'invalid_grant')
      expect(await lookupAccessToken(second.access_token, { store: o.store, clock: o.clock })).toBeUndefined()
      expectError(await token({ grant_type: 'refresh_token', refresh_token: second.refresh_token! }, code.authorization), 400, 'invalid_grant')
    })

    it('RFC6749-13 a wider scope is invalid_scope', async () => {
      const code = await seedClient(o.store, 'code')
      const { code: value, code_verifier } = await seedCode(o.store, o.clock, code.client)
      const first = (await token({ grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: CLIENT_REDIRECT }, code.authorization)).json<TokenResponse>()
      expectError(await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token!, scope: `${DEMO_CODE_SCOPE} cds_client_admin` }, code.authorization), 400, 'invalid_scope')
    })
  })

  it('the route is in the OpenAPI document with its schemas', async () => {
    const document = (await o.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { operationId: string }>> }>()
    expect(document.paths['/oauth/token']?.post?.operationId).toBe('requestToken')
    expect(document.paths['/oauth/introspect']?.post?.operationId).toBe('introspectToken')
    expect(document.paths['/oauth/revoke']?.post?.operationId).toBe('revokeToken')
  })
})
