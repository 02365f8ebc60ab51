import { checkStrict, IntrospectionResponse, OAuthErrorResponse, type TokenResponse } from '@cds-ts/schema'
import type { LightMyRequestResponse } from 'fastify'
import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../../../test/dialects.js'
import { basic, buildOAuthApp, form, formHeaders, OAUTH_BASE_URL, seedClient, seedGrant, type OAuthApp, type Seeded } from '../../../test/oauth-app.js'
import { DEMO_GRANT_ADMIN_SCOPE } from '../../config/defaults.js'

function expectNoStore(response: LightMyRequestResponse): void {
  expect(response.headers['cache-control']).toBe('no-store')
  expect(response.headers.pragma).toBe('no-cache')
}

forEachDialect('CDS-WG1-02 §3.2 token introspection (RFC 7662 §2)', (t) => {
  let o: OAuthApp
  let admin: Seeded
  const introspect = (fields: Record<string, string>, authorization?: string) =>
    o.app.inject({ method: 'POST', url: '/oauth/introspect', headers: formHeaders(authorization), payload: form(fields) })
  const adminToken = async (who: Seeded = admin) =>
    (
      await o.app.inject({ method: 'POST', url: '/oauth/token', headers: formHeaders(who.authorization), payload: form({ grant_type: 'client_credentials' }) })
    ).json<TokenResponse>().access_token

  beforeAll(async () => {
    o = await buildOAuthApp(t.db)
    admin = await seedClient(o.store, 'admin')
  })

  it('RFC7662-02 an active token of the caller: 200 with scope, client_id, token_type, exp, iat, iss; no-store', async () => {
    const token = await adminToken()
    const response = await introspect({ token }, admin.authorization)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expectNoStore(response)
    const body = response.json<IntrospectionResponse>()
    expect(checkStrict(IntrospectionResponse, body, { closed: true })).toEqual([])
    const now = Math.floor(o.clock.now().getTime() / 1000)
    expect(body).toEqual({ active: true, scope: 'cds_client_admin', client_id: admin.client.client_id, token_type: 'Bearer', exp: now + 3600, iat: now, iss: OAUTH_BASE_URL })
  })

  it('RFC9396-04 a Grant Admin token shows its authorization_details', async () => {
    const ga = await seedClient(o.store, 'grant_admin')
    const code = await seedClient(o.store, 'code')
    const grant_id = await seedGrant(t.db, { client_id: code.client.client_id })
    const details = [{ type: DEMO_GRANT_ADMIN_SCOPE, client_id: code.client.client_id, grant_id }]
    const issued = await o.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: formHeaders(ga.authorization),
      payload: form({ grant_type: 'client_credentials', authorization_details: JSON.stringify(details) }),
    })
    const response = await introspect({ token: issued.json<TokenResponse>().access_token, token_type_hint: 'access_token' }, admin.authorization)
    expect(response.json()).toMatchObject({ active: true, client_id: ga.client.client_id, scope: DEMO_GRANT_ADMIN_SCOPE, authorization_details: details })
  })

  it('RFC 7662 §2.1 an unknown token_type_hint is ignored', async () => {
    const token = await adminToken()
    expect((await introspect({ token, token_type_hint: 'pct' }, admin.authorization)).json()).toMatchObject({ active: true })
  })

  it('RFC7662-03 an unknown token is exactly { "active": false }', async () => {
    const response = await introspect({ token: 'garbage' }, admin.authorization)
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ active: false })
    expectNoStore(response)
  })

  it('RFC7662-03 revoked and expired tokens are inactive', async () => {
    const revoked = await adminToken()
    await o.app.inject({ method: 'POST', url: '/oauth/revoke', headers: formHeaders(admin.authorization), payload: form({ token: revoked }) })
    expect((await introspect({ token: revoked }, admin.authorization)).json()).toEqual({ active: false })
    const expiring = await adminToken()
    o.clock.advance(3600)
    expect((await introspect({ token: expiring }, admin.authorization)).json()).toEqual({ active: false })
  })

  it('R1-02-5.2-04 R1-02-7.6-06 tokens of a disabled Client object or of an expired Credential are inactive', async () => {
    const direct = await seedClient(o.store, 'admin')
    const first = await adminToken(direct)
    await o.store.clients.update(direct.client.client_id, { cds_status: 'disabled' })
    expect((await introspect({ token: first }, admin.authorization)).json()).toEqual({ active: false })
    const other = await seedClient(o.store, 'admin')
    const second = await adminToken(other)
    await o.store.credentials.updateExpiry(other.credential_id!, Math.floor(o.clock.now().getTime() / 1000), o.clock.now())
    expect((await introspect({ token: second }, admin.authorization)).json()).toEqual({ active: false })
  })

  it('A-39 RFC7662-05 a token of another registration is inactive to the caller', async () => {
    const stranger = await seedClient(o.store, 'admin', { registration_id: 'reg-other' })
    const token = await adminToken()
    expect((await introspect({ token }, stranger.authorization)).json()).toEqual({ active: false })
  })

  it('RFC7662-04 a missing token is 400 invalid_request', async () => {
    const response = await introspect({}, admin.authorization)
    expect(response.statusCode).toBe(400)
    expect(checkStrict(OAuthErrorResponse, response.json(), { closed: true })).toEqual([])
    expect(response.json()).toMatchObject({ error: 'invalid_request' })
    expectNoStore(response)
  })

  it('RFC7662-01 without client authentication, or with a wrong secret, 401 invalid_client with a Basic challenge', async () => {
    for (const authorization of [undefined, basic(admin.client.client_id, 'wrong')]) {
      const response = await introspect({ token: 'x' }, authorization)
      expect(response.statusCode).toBe(401)
      expect(response.json()).toMatchObject({ error: 'invalid_client' })
      expect(response.headers['www-authenticate']).toBe(`Basic realm="${OAUTH_BASE_URL}"`)
    }
  })

  it('RFC 7662 §2.1 introspection takes POST only', async () => {
    const response = await o.app.inject({ method: 'GET', url: '/oauth/introspect?token=x' })
    expect(response.statusCode).toBe(405)
    expect(response.headers.allow).toBe('POST')
  })
})
