import { beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../test/_setup.js'
import { basic, register, setup, storeCode, type Registered } from '../test/token-fixtures.js'
import type { ManualClock } from './clock.js'
import { hashSecret } from './crypto.js'
import { handleRevocationRequest } from './revocation.js'
import type { AuthStore } from './store.js'
import type { TokenEndpointOptions } from './token.js'
import { handleTokenRequest } from './token.js'
import { lookupAccessToken } from './token-lookup.js'

let store: AuthStore
let clock: ManualClock
let options: TokenEndpointOptions
let admin: Registered

beforeEach(async () => {
  ;({ store, clock, options } = setup())
  admin = await register(store, clock, 'admin')
})

const adminToken = async () => (await handleTokenRequest({ authorization: admin.authorization, body: { grant_type: 'client_credentials' } }, options)).access_token
const revoke = (who: Registered | undefined, body: Record<string, unknown>) => handleRevocationRequest({ authorization: who?.authorization, body }, { store, clock })

async function codeTokens(client: Registered, authorization = client.authorization) {
  const { code, code_verifier } = await storeCode(store, clock, client.client)
  const body = { grant_type: 'authorization_code', code, code_verifier, redirect_uri: 'https://client.example/cb', ...(authorization ? {} : { client_id: client.client.client_id }) }
  return handleTokenRequest({ authorization, body }, options)
}

describe('RFC 7009 §2 token revocation', () => {
  it('RFC7009-01 revokes an access token of the caller', async () => {
    const token = await adminToken()
    expect(await revoke(admin, { token })).toBe('revoked')
    expect(await lookupAccessToken(token, { store, clock })).toBeUndefined()
    expect((await store.tokens.find(hashSecret(token)))?.revoked_at).toEqual(clock.now())
  })

  it('RFC7009-02 an unknown token is a success with nothing to do', async () => {
    expect(await revoke(admin, { token: 'garbage' })).toBe('unknown')
  })

  it('RFC7009-02 revoking an already revoked token is a success', async () => {
    const token = await adminToken()
    await revoke(admin, { token })
    expect(await revoke(admin, { token })).toBe('revoked')
  })

  it('RFC7009-03 a wrong or unknown hint does not prevent revocation', async () => {
    const token = await adminToken()
    expect(await revoke(admin, { token, token_type_hint: 'refresh_token' })).toBe('revoked')
    const other = await adminToken()
    expect(await revoke(admin, { token: other, token_type_hint: 'pct' })).toBe('revoked')
    expect(await lookupAccessToken(other, { store, clock })).toBeUndefined()
  })

  it('RFC7009-04 revoking a refresh token also revokes the access tokens of the same grant', async () => {
    const code = await register(store, clock, 'code')
    const tokens = await codeTokens(code)
    expect(await revoke(code, { token: tokens.refresh_token, token_type_hint: 'refresh_token' })).toBe('revoked')
    expect(await lookupAccessToken(tokens.access_token, { store, clock })).toBeUndefined()
  })

  it('RFC 7009 §2.1 revoking an access token leaves the refresh token alone', async () => {
    const code = await register(store, clock, 'code')
    const tokens = await codeTokens(code)
    await revoke(code, { token: tokens.access_token })
    expect((await store.tokens.find(hashSecret(tokens.refresh_token!)))?.revoked_at).toBeNull()
  })

  it('A-39 RFC7009-05 a token of another registration is left alone, still with success', async () => {
    const stranger = await register(store, clock, 'admin', { registration_id: 'reg-2' })
    const token = await adminToken()
    expect(await revoke(stranger, { token })).toBe('foreign')
    expect(await lookupAccessToken(token, { store, clock })).toBeDefined()
  })

  it('A-39 a client may revoke the tokens of another Client object of its registration', async () => {
    const ga = await register(store, clock, 'grant_admin')
    const token = await adminToken()
    expect(await revoke(ga, { token })).toBe('revoked')
  })

  it('A-39 a public client revokes its own tokens only', async () => {
    const pub = await register(store, clock, 'public')
    const tokens = await codeTokens(pub, undefined)
    const asPublic = (token: string) => handleRevocationRequest({ body: { token, client_id: pub.client.client_id } }, { store, clock })
    expect(await asPublic(await adminToken())).toBe('foreign')
    expect(await asPublic(tokens.refresh_token!)).toBe('revoked')
    expect(await lookupAccessToken(tokens.access_token, { store, clock })).toBeUndefined()
  })

  it('RFC 7009 §2.1 a missing token is invalid_request', async () => {
    expect(await rejection(revoke(admin, {}))).toMatchObject({ status: 400, error: 'invalid_request' })
  })

  it('RFC7009-06 a wrong secret is 401 invalid_client', async () => {
    const wrong = { ...admin, authorization: basic(admin.client.client_id, 'wrong') }
    expect(await rejection(revoke(wrong, { token: 'x' }))).toMatchObject({ status: 401, error: 'invalid_client', wwwAuthenticate: 'Basic realm="cds"' })
  })
})
