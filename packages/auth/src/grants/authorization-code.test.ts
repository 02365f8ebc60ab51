import { beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../../test/_setup.js'
import { CODE_SCOPE, ISSUER, PUBLIC_SCOPE, SCOPES, register, setup, storeCode, type Registered } from '../../test/token-fixtures.js'
import type { ManualClock } from '../clock.js'
import { hashSecret, randomOpaqueValue } from '../crypto.js'
import type { AuthStore } from '../store.js'
import type { TokenEndpointOptions } from '../token.js'
import { handleTokenRequest } from '../token.js'
import { lookupAccessToken } from '../token-lookup.js'

let store: AuthStore
let clock: ManualClock
let options: TokenEndpointOptions
let client: Registered

beforeEach(async () => {
  ;({ store, clock, options } = setup())
  client = await register(store, clock, 'code')
})

const exchange = (who: Registered, body: Record<string, string>) =>
  handleTokenRequest({ authorization: who.authorization, body: { grant_type: 'authorization_code', ...body } }, options)

describe('RFC 6749 §4.1.3 authorization code exchange', () => {
  it('RFC7636-01 exchanges a code with its S256 verifier for an access and a refresh token', async () => {
    const { code, code_verifier, record } = await storeCode(store, clock, client.client)
    const response = await exchange(client, { code, code_verifier, redirect_uri: 'https://client.example/cb' })
    expect(response).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: CODE_SCOPE,
      refresh_token: expect.any(String),
      authorization_details: record.authorization_details,
    })
    const access = await store.tokens.find(hashSecret(response.access_token))
    expect(access).toMatchObject({ token_type: 'access_token', grant_id: 'grant-code', code_hash: record.code_hash, credential_id: client.credential_id })
    expect(await store.tokens.find(hashSecret(response.refresh_token!))).toMatchObject({ token_type: 'refresh_token', code_hash: record.code_hash })
  })

  it('RFC 6749 §4.1.3 a missing code is invalid_request', async () => {
    expect(await rejection(exchange(client, {}))).toMatchObject({ status: 400, error: 'invalid_request' })
  })

  it('RFC 6749 §5.2 an unknown code is invalid_grant', async () => {
    expect(await rejection(exchange(client, { code: randomOpaqueValue() }))).toMatchObject({ status: 400, error: 'invalid_grant' })
  })

  it('RFC6749-11 a reused code is invalid_grant and revokes the tokens issued from it', async () => {
    const { code, code_verifier } = await storeCode(store, clock, client.client)
    const body = { code, code_verifier, redirect_uri: 'https://client.example/cb' }
    const first = await exchange(client, body)
    expect(await lookupAccessToken(first.access_token, { store, clock })).toBeDefined()
    expect(await rejection(exchange(client, body))).toMatchObject({ status: 400, error: 'invalid_grant', error_description: 'the authorization code has already been used' })
    expect(await lookupAccessToken(first.access_token, { store, clock })).toBeUndefined()
    expect((await store.tokens.find(hashSecret(first.refresh_token!)))?.revoked_at).toEqual(clock.now())
  })

  it('RFC6749-11 an expired code is invalid_grant', async () => {
    const { code, code_verifier } = await storeCode(store, clock, client.client)
    clock.advance(60)
    const err = await rejection(exchange(client, { code, code_verifier, redirect_uri: 'https://client.example/cb' }))
    expect(err).toMatchObject({ error: 'invalid_grant', error_description: 'the authorization code has expired' })
  })

  it('RFC6749-12 another client’s code is invalid_grant, and the code stays usable by its owner', async () => {
    const thief = await register(store, clock, 'code')
    const { code, code_verifier } = await storeCode(store, clock, client.client)
    const body = { code, code_verifier, redirect_uri: 'https://client.example/cb' }
    expect((await rejection(exchange(thief, body))).error).toBe('invalid_grant')
    expect((await exchange(client, body)).access_token).toEqual(expect.any(String))
  })

  it('RFC6749-12 a redirect_uri that differs from the authorization request is invalid_grant', async () => {
    const { code, code_verifier } = await storeCode(store, clock, client.client)
    expect((await rejection(exchange(client, { code, code_verifier, redirect_uri: 'https://client.example/other' }))).error).toBe('invalid_grant')
    expect((await rejection(exchange(client, { code, code_verifier }))).error).toBe('invalid_grant')
  })

  it('RFC 6749 §4.1.3 without a redirect_uri in the request, only the client default may be repeated', async () => {
    const { code, code_verifier } = await storeCode(store, clock, client.client, { redirect_uri: null })
    expect((await rejection(exchange(client, { code, code_verifier, redirect_uri: 'https://client.example/cb' }))).error).toBe('invalid_grant')
    expect((await exchange(client, { code, code_verifier, redirect_uri: `${ISSUER}/oauth/receipt` })).scope).toBe(CODE_SCOPE)
    const second = await storeCode(store, clock, client.client, { redirect_uri: null })
    expect((await exchange(client, { code: second.code, code_verifier: second.code_verifier })).scope).toBe(CODE_SCOPE)
  })
})

describe('RFC 7636 §4.6 PKCE at the token endpoint', () => {
  it('RFC7636-05 a wrong verifier is invalid_grant', async () => {
    const { code } = await storeCode(store, clock, client.client)
    const err = await rejection(exchange(client, { code, code_verifier: randomOpaqueValue(), redirect_uri: 'https://client.example/cb' }))
    expect(err).toMatchObject({ status: 400, error: 'invalid_grant', error_description: 'PKCE verification failed' })
  })

  it('RFC7636-05 a missing verifier is invalid_grant', async () => {
    const { code } = await storeCode(store, clock, client.client)
    expect((await rejection(exchange(client, { code, redirect_uri: 'https://client.example/cb' }))).error).toBe('invalid_grant')
  })

  it('R1-02-3.4-11 a plain verifier (the challenge itself) is invalid_grant', async () => {
    const { code, record } = await storeCode(store, clock, client.client)
    expect((await rejection(exchange(client, { code, code_verifier: record.code_challenge!, redirect_uri: 'https://client.example/cb' }))).error).toBe('invalid_grant')
  })

  it('RFC7636-05 a malformed verifier is invalid_grant', async () => {
    const { code } = await storeCode(store, clock, client.client)
    expect((await rejection(exchange(client, { code, code_verifier: 'short', redirect_uri: 'https://client.example/cb' }))).error).toBe('invalid_grant')
  })

  it('RFC7636-06 a verifier for a code issued without a challenge is invalid_grant', async () => {
    const { code } = await storeCode(store, clock, client.client, { code_challenge: null, code_challenge_method: null })
    const err = await rejection(exchange(client, { code, code_verifier: randomOpaqueValue(), redirect_uri: 'https://client.example/cb' }))
    expect(err.error).toBe('invalid_grant')
  })

  it('a failed verification does not spend the code', async () => {
    const { code, code_verifier } = await storeCode(store, clock, client.client)
    await rejection(exchange(client, { code, code_verifier: randomOpaqueValue(), redirect_uri: 'https://client.example/cb' }))
    expect((await exchange(client, { code, code_verifier, redirect_uri: 'https://client.example/cb' })).token_type).toBe('Bearer')
  })
})

describe('CDS-WG1-02 §3.4 public clients and refresh tokens', () => {
  const publicExchange = (pub: Registered, body: Record<string, string>) =>
    handleTokenRequest({ body: { grant_type: 'authorization_code', client_id: pub.client.client_id, ...body } }, options)

  it('R1-02-3.4-10 a public client of a scope that lists none exchanges its code with PKCE', async () => {
    const pub = await register(store, clock, 'public')
    const { code, code_verifier } = await storeCode(store, clock, pub.client)
    const response = await publicExchange(pub, { code, code_verifier, redirect_uri: 'https://client.example/cb' })
    expect(response.scope).toBe(PUBLIC_SCOPE)
    expect((await store.tokens.find(hashSecret(response.access_token)))?.credential_id).toBeNull()
  })

  it('R1-02-3.4-10 a public client of a scope that does not list none is invalid_client', async () => {
    const pub = await register(store, clock, 'public', { scope: CODE_SCOPE, authorization_details_types: [CODE_SCOPE] })
    const { code, code_verifier } = await storeCode(store, clock, pub.client)
    const err = await rejection(publicExchange(pub, { code, code_verifier, redirect_uri: 'https://client.example/cb' }))
    expect(err).toMatchObject({ status: 401, error: 'invalid_client' })
  })

  it('RFC7636-07 a public client’s code without PKCE is invalid_grant', async () => {
    const pub = await register(store, clock, 'public')
    const { code } = await storeCode(store, clock, pub.client, { code_challenge: null, code_challenge_method: null })
    expect((await rejection(publicExchange(pub, { code, redirect_uri: 'https://client.example/cb' }))).error).toBe('invalid_grant')
  })

  it('RFC 6749 §4.1.4 no refresh token when a scope does not list refresh_token', async () => {
    const scopes = { ...SCOPES, [CODE_SCOPE]: { ...SCOPES[CODE_SCOPE]!, grant_types_supported: ['authorization_code'] } }
    const { code, code_verifier } = await storeCode(store, clock, client.client)
    const response = await handleTokenRequest(
      { authorization: client.authorization, body: { grant_type: 'authorization_code', code, code_verifier, redirect_uri: 'https://client.example/cb' } },
      { ...options, scopes },
    )
    expect(response).not.toHaveProperty('refresh_token')
  })
})
