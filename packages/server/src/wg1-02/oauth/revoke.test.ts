import { hashSecret } from '@cds-ts/auth'
import { checkStrict, OAuthErrorResponse, type TokenResponse } from '@cds-ts/schema'
import { beforeAll, expect, it } from 'vitest'
import { forEachDialect } from '../../../test/dialects.js'
import { basic, buildOAuthApp, CLIENT_REDIRECT, form, formHeaders, OAUTH_BASE_URL, seedClient, seedCode, type OAuthApp, type Seeded } from '../../../test/oauth-app.js'

forEachDialect('CDS-WG1-02 §3.2 token revocation (RFC 7009 §2)', (t) => {
  let o: OAuthApp
  let admin: Seeded
  const revoke = (fields: Record<string, string>, authorization?: string) =>
    o.app.inject({ method: 'POST', url: '/oauth/revoke', headers: formHeaders(authorization), payload: form(fields) })
  const active = async (token: string) =>
    (await o.app.inject({ method: 'POST', url: '/oauth/introspect', headers: formHeaders(admin.authorization), payload: form({ token }) })).json<{ active: boolean }>().active
  const adminToken = async () =>
    (
      await o.app.inject({ method: 'POST', url: '/oauth/token', headers: formHeaders(admin.authorization), payload: form({ grant_type: 'client_credentials' }) })
    ).json<TokenResponse>().access_token
  const revokedAt = async (token: string) =>
    (await t.db.selectFrom('tokens').select('revoked_at').where('token_hash', '=', hashSecret(token)).executeTakeFirstOrThrow()).revoked_at

  beforeAll(async () => {
    o = await buildOAuthApp(t.db)
    admin = await seedClient(o.store, 'admin')
  })

  it('RFC7009-01 revokes an access token: 200 with an empty body, no-store; the token is then inactive', async () => {
    const token = await adminToken()
    const response = await revoke({ token }, admin.authorization)
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('')
    expect(response.headers['cache-control']).toBe('no-store')
    expect(response.headers.pragma).toBe('no-cache')
    expect(await active(token)).toBe(false)
    expect(await revokedAt(token)).toEqual(o.clock.now())
  })

  it('RFC7009-02 an unknown token is 200 too', async () => {
    const response = await revoke({ token: 'garbage', token_type_hint: 'access_token' }, admin.authorization)
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('')
  })

  it('RFC7009-03 a wrong or unknown token_type_hint does not prevent revocation', async () => {
    const token = await adminToken()
    expect((await revoke({ token, token_type_hint: 'refresh_token' }, admin.authorization)).statusCode).toBe(200)
    expect(await active(token)).toBe(false)
    const other = await adminToken()
    expect((await revoke({ token: other, token_type_hint: 'pct' }, admin.authorization)).statusCode).toBe(200)
    expect(await active(other)).toBe(false)
  })

  it('RFC7009-04 revoking a refresh token revokes the access tokens of the same grant', async () => {
    const code = await seedClient(o.store, 'code')
    const { code: value, code_verifier } = await seedCode(o.store, o.clock, code.client)
    const issued = (
      await o.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: formHeaders(code.authorization),
        payload: form({ grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: CLIENT_REDIRECT }),
      })
    ).json<TokenResponse>()
    expect((await revoke({ token: issued.refresh_token!, token_type_hint: 'refresh_token' }, code.authorization)).statusCode).toBe(200)
    expect(await revokedAt(issued.access_token)).not.toBeNull()
    expect(await active(issued.access_token)).toBe(false)
  })

  it('A-39 RFC7009-05 a token of another registration is not revoked, and the answer is still 200', async () => {
    const stranger = await seedClient(o.store, 'admin', { registration_id: 'reg-other' })
    const token = await adminToken()
    expect((await revoke({ token }, stranger.authorization)).statusCode).toBe(200)
    expect(await active(token)).toBe(true)
  })

  it('RFC 7009 §2.1 a missing token is 400 invalid_request', async () => {
    const response = await revoke({}, admin.authorization)
    expect(response.statusCode).toBe(400)
    expect(checkStrict(OAuthErrorResponse, response.json(), { closed: true })).toEqual([])
    expect(response.json()).toMatchObject({ error: 'invalid_request' })
  })

  it('RFC7009-06 a wrong secret is 401 invalid_client with a Basic challenge', async () => {
    const response = await revoke({ token: 'x' }, basic(admin.client.client_id, 'wrong'))
    expect(response.statusCode).toBe(401)
    expect(response.json()).toMatchObject({ error: 'invalid_client' })
    expect(response.headers['www-authenticate']).toBe(`Basic realm="${OAUTH_BASE_URL}"`)
  })

  it('RFC7009-01 a JSON body is 400 invalid_request', async () => {
    const response = await o.app.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: { 'content-type': 'application/json', authorization: admin.authorization! },
      payload: JSON.stringify({ token: 'x' }),
    })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toMatchObject({ error: 'invalid_request' })
  })
})
