import { TokenResponse, checkStrict } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { rejection } from '../test/_setup.js'
import { LIFETIMES, basic, register, setup } from '../test/token-fixtures.js'
import { hashSecret } from './crypto.js'
import { InvalidClient, InvalidRequest, UnauthorizedClient, UnsupportedGrantType } from './errors.js'
import { TOKEN_STEPS, authenticateTokenClient, buildTokenResponse, checkClientGrantType, checkGrantType, handleTokenRequest, runGrant } from './token.js'

describe('RFC 6749 §3.2 token endpoint steps', () => {
  it('runs the steps in the order of the RFC processing rules', () => {
    expect(TOKEN_STEPS).toEqual([checkGrantType, authenticateTokenClient, checkClientGrantType, runGrant])
  })

  it('RFC6749-06 a missing grant_type is invalid_request', async () => {
    const { store, clock, options } = setup()
    const admin = await register(store, clock, 'admin')
    const err = await rejection(handleTokenRequest({ authorization: admin.authorization, body: {} }, options))
    expect(err).toBeInstanceOf(InvalidRequest)
    expect(err).toMatchObject({ status: 400, error: 'invalid_request' })
  })

  it('RFC6749-06 grant_type=password is unsupported_grant_type', async () => {
    const { store, clock, options } = setup()
    const admin = await register(store, clock, 'admin')
    const err = await rejection(handleTokenRequest({ authorization: admin.authorization, body: { grant_type: 'password' } }, options))
    expect(err).toBeInstanceOf(UnsupportedGrantType)
    expect(err).toMatchObject({ status: 400, error: 'unsupported_grant_type' })
  })

  it('RFC 6749 §3.2 a repeated grant_type is invalid_request', async () => {
    const { store, clock, options } = setup()
    const admin = await register(store, clock, 'admin')
    const body = { grant_type: ['client_credentials', 'client_credentials'] }
    expect((await rejection(handleTokenRequest({ authorization: admin.authorization, body }, options))).error).toBe('invalid_request')
  })

  it('RFC6749-03 a wrong secret is 401 invalid_client with a Basic challenge', async () => {
    const { store, clock, options } = setup()
    const admin = await register(store, clock, 'admin')
    const err = await rejection(handleTokenRequest({ authorization: basic(admin.client.client_id, 'wrong'), body: { grant_type: 'client_credentials' } }, options))
    expect(err).toBeInstanceOf(InvalidClient)
    expect(err).toMatchObject({ status: 401, error: 'invalid_client', wwwAuthenticate: 'Basic realm="cds"' })
  })

  it('RFC6749-03 no client authentication at all is 401 invalid_client', async () => {
    const { options } = setup()
    const err = await rejection(handleTokenRequest({ body: { grant_type: 'client_credentials' } }, { ...options, realm: 'utility' }))
    expect(err).toMatchObject({ status: 401, error: 'invalid_client', wwwAuthenticate: 'Basic realm="utility"' })
  })

  it('R1-02-7.6-06 a secret whose expiry has passed no longer authenticates', async () => {
    const { store, clock, options } = setup()
    const admin = await register(store, clock, 'admin')
    await store.credentials.updateExpiry(admin.credential_id!, Math.floor(clock.now().getTime() / 1000), clock.now())
    const err = await rejection(handleTokenRequest({ authorization: admin.authorization, body: { grant_type: 'client_credentials' } }, options))
    expect(err).toMatchObject({ status: 401, error: 'invalid_client' })
  })

  it('R1-02-5.2-04 a disabled Client object gets no token', async () => {
    const { store, clock, options } = setup()
    const direct = await register(store, clock, 'direct', { cds_status: 'disabled' })
    const err = await rejection(handleTokenRequest({ authorization: direct.authorization, body: { grant_type: 'client_credentials' } }, options))
    expect(err).toMatchObject({ status: 401, error: 'invalid_client' })
  })

  it('RFC6749-06 a client asking for a grant type it is not registered for is unauthorized_client', async () => {
    const { store, clock, options } = setup()
    const admin = await register(store, clock, 'admin')
    const err = await rejection(handleTokenRequest({ authorization: admin.authorization, body: { grant_type: 'authorization_code', code: 'x' } }, options))
    expect(err).toBeInstanceOf(UnauthorizedClient)
    expect(err).toMatchObject({ status: 400, error: 'unauthorized_client' })
  })
})

describe('RFC 6749 §5.1 token response', () => {
  it('RFC6749-05 has access_token, token_type Bearer, expires_in and scope, and validates as TokenResponse', async () => {
    const { store, clock, options } = setup()
    const admin = await register(store, clock, 'admin')
    const response = await handleTokenRequest({ authorization: admin.authorization, body: { grant_type: 'client_credentials' } }, options)
    expect(response).toEqual({ access_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), token_type: 'Bearer', expires_in: LIFETIMES.access_token, scope: 'cds_client_admin' })
    expect(checkStrict(TokenResponse, response)).toEqual([])
  })

  it('CDS-WG1-02 §7.1 stores only the SHA-256 digest of the token', async () => {
    const { store, clock, options } = setup()
    const admin = await register(store, clock, 'admin')
    const { access_token } = await handleTokenRequest({ authorization: admin.authorization, body: { grant_type: 'client_credentials' } }, options)
    const stored = await store.tokens.find(hashSecret(access_token))
    expect(stored).toMatchObject({ token_type: 'access_token', client_id: admin.client.client_id, credential_id: admin.credential_id, scope: 'cds_client_admin' })
    expect(JSON.stringify(stored)).not.toContain(access_token)
    expect(stored!.expires_at.getTime() - stored!.issued_at.getTime()).toBe(LIFETIMES.access_token * 1000)
  })

  it('RFC 9396 §7 adds authorization_details only when some were granted', () => {
    const base = { access_token: 'a', expires_in: 10, scope: 's', authorization_details: [] }
    expect(buildTokenResponse(base)).not.toHaveProperty('authorization_details')
    expect(buildTokenResponse({ ...base, authorization_details: [{ type: 's' }], refresh_token: 'r' })).toEqual({
      access_token: 'a',
      token_type: 'Bearer',
      expires_in: 10,
      scope: 's',
      refresh_token: 'r',
      authorization_details: [{ type: 's' }],
    })
  })
})
