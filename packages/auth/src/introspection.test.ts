import { IntrospectionResponse, checkStrict } from '@cds-ts/schema'
import { beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../test/_setup.js'
import { ISSUER, basic, register, setup, storeCode, type Registered } from '../test/token-fixtures.js'
import type { ManualClock } from './clock.js'
import { nowSeconds, toEpochSeconds } from './clock.js'
import { handleIntrospectionRequest } from './introspection.js'
import type { AuthStore } from './store.js'
import type { TokenEndpointOptions } from './token.js'
import { handleTokenRequest } from './token.js'

let store: AuthStore
let clock: ManualClock
let options: TokenEndpointOptions
let admin: Registered

beforeEach(async () => {
  ;({ store, clock, options } = setup())
  admin = await register(store, clock, 'admin')
})

const adminToken = async () => (await handleTokenRequest({ authorization: admin.authorization, body: { grant_type: 'client_credentials' } }, options)).access_token
const introspect = (who: Registered | undefined, body: Record<string, unknown>) =>
  handleIntrospectionRequest({ authorization: who?.authorization, body }, { store, clock, issuer: ISSUER })

describe('RFC 7662 §2 token introspection', () => {
  it('RFC7662-02 an active token of the caller is described', async () => {
    const token = await adminToken()
    const response = await introspect(admin, { token })
    expect(response).toEqual({
      active: true,
      scope: 'cds_client_admin',
      client_id: admin.client.client_id,
      token_type: 'Bearer',
      exp: nowSeconds(clock) + 3600,
      iat: nowSeconds(clock),
      iss: ISSUER,
    })
    expect(checkStrict(IntrospectionResponse, response)).toEqual([])
  })

  it('RFC9396-04 the granted authorization_details are part of the answer', async () => {
    const code = await register(store, clock, 'code')
    const { code: value, code_verifier, record } = await storeCode(store, clock, code.client)
    const { refresh_token } = await handleTokenRequest(
      { authorization: code.authorization, body: { grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: 'https://client.example/cb' } },
      options,
    )
    const response = await introspect(admin, { token: refresh_token, token_type_hint: 'refresh_token' })
    expect(response).toMatchObject({ active: true, client_id: code.client.client_id, authorization_details: record.authorization_details })
    // RFC 7662 §2.2: token_type is the RFC 6749 §5.1 type, which a refresh token has not.
    expect(response).not.toHaveProperty('token_type')
  })

  it('RFC7662-03 an unknown token is exactly { active: false }', async () => {
    expect(await introspect(admin, { token: 'garbage' })).toEqual({ active: false })
  })

  it('RFC7662-03 an expired token is inactive', async () => {
    const token = await adminToken()
    clock.advance(3600)
    expect(await introspect(admin, { token })).toEqual({ active: false })
  })

  it('RFC7662-03 a revoked token is inactive', async () => {
    const token = await adminToken()
    await store.tokens.revokeByClient(admin.client.client_id, clock.now())
    expect(await introspect(admin, { token })).toEqual({ active: false })
  })

  it('R1-02-5.2-04 a token of a disabled Client object is inactive', async () => {
    const other = await register(store, clock, 'admin')
    const { access_token } = await handleTokenRequest({ authorization: other.authorization, body: { grant_type: 'client_credentials' } }, options)
    expect((await introspect(admin, { token: access_token })).active).toBe(true)
    await store.clients.update(other.client.client_id, { cds_status: 'disabled' })
    expect(await introspect(admin, { token: access_token })).toEqual({ active: false })
  })

  it('R1-02-7.6-06 a token issued through an expired Credential is inactive', async () => {
    const other = await register(store, clock, 'admin')
    const { access_token } = await handleTokenRequest({ authorization: other.authorization, body: { grant_type: 'client_credentials' } }, options)
    await store.credentials.updateExpiry(other.credential_id!, nowSeconds(clock) + 10, clock.now())
    expect((await introspect(admin, { token: access_token })).active).toBe(true)
    clock.advance(10)
    expect(await introspect(admin, { token: access_token })).toEqual({ active: false })
  })

  it('A-39 RFC7662-05 a token of another registration is inactive to the caller', async () => {
    const stranger = await register(store, clock, 'admin', { registration_id: 'reg-2' })
    const token = await adminToken()
    expect(await introspect(stranger, { token })).toEqual({ active: false })
  })

  it('A-39 a client may introspect the tokens of another Client object of its registration', async () => {
    const ga = await register(store, clock, 'grant_admin')
    const token = await adminToken()
    expect(await introspect(ga, { token })).toMatchObject({ active: true, client_id: admin.client.client_id, exp: toEpochSeconds(clock.now()) + 3600 })
  })

  it('RFC7662-04 a missing token is invalid_request', async () => {
    expect(await rejection(introspect(admin, {}))).toMatchObject({ status: 400, error: 'invalid_request' })
  })

  it('RFC7662-01 the endpoint requires client authentication', async () => {
    const token = await adminToken()
    expect(await rejection(introspect(undefined, { token }))).toMatchObject({ status: 401, error: 'invalid_client', wwwAuthenticate: 'Basic realm="cds"' })
    const wrong = { ...admin, authorization: basic(admin.client.client_id, 'wrong') }
    expect((await rejection(introspect(wrong, { token }))).status).toBe(401)
  })

  it('RFC7662-01 a public client cannot introspect', async () => {
    const pub = await register(store, clock, 'public')
    const err = await rejection(handleIntrospectionRequest({ body: { token: 'x', client_id: pub.client.client_id } }, { store, clock, issuer: ISSUER }))
    expect(err).toMatchObject({ status: 401, error: 'invalid_client' })
  })

  it('RFC 7662 §2.1 any token_type_hint is accepted', async () => {
    const token = await adminToken()
    expect((await introspect(admin, { token, token_type_hint: 'something_else' })).active).toBe(true)
    expect((await introspect(admin, { token, token_type_hint: 'refresh_token' })).active).toBe(true)
  })
})
