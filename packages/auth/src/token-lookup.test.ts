import { beforeEach, describe, expect, it } from 'vitest'
import { register, setup, storeCode, type Registered } from '../test/token-fixtures.js'
import type { ManualClock } from './clock.js'
import { nowSeconds } from './clock.js'
import type { AuthStore } from './store.js'
import type { TokenEndpointOptions } from './token.js'
import { handleTokenRequest } from './token.js'
import { findActiveToken, lookupAccessToken } from './token-lookup.js'

let store: AuthStore
let clock: ManualClock
let options: TokenEndpointOptions
let direct: Registered

beforeEach(async () => {
  ;({ store, clock, options } = setup())
  direct = await register(store, clock, 'direct')
})

const METER = [{ type: 'meter_readings', meter_id: 'm-1', max_readings: 100 }]
const directToken = async () =>
  (await handleTokenRequest({ authorization: direct.authorization, body: { grant_type: 'client_credentials', authorization_details: JSON.stringify(METER) } }, options)).access_token

describe('RFC 6750 §3.1 resolving a bearer token', () => {
  it('resolves a live access token to what it grants', async () => {
    const token = await directToken()
    expect(await lookupAccessToken(token, { store, clock })).toEqual({
      token_type: 'access_token',
      client_id: direct.client.client_id,
      credential_id: direct.credential_id,
      scope: 'meter_readings',
      authorization_details: METER,
      grant_id: null,
      issued_at: clock.now(),
      expires_at: new Date(clock.now().getTime() + 3_600_000),
      revoked_at: null,
    })
  })

  it('RFC6750-02 an unknown, expired or revoked token resolves to nothing', async () => {
    expect(await lookupAccessToken('garbage', { store, clock })).toBeUndefined()
    const token = await directToken()
    clock.advance(3600)
    expect(await lookupAccessToken(token, { store, clock })).toBeUndefined()
    const again = await directToken()
    await store.tokens.revokeByClient(direct.client.client_id, clock.now())
    expect(await lookupAccessToken(again, { store, clock })).toBeUndefined()
  })

  it('R1-02-5.2-04 a disabled Client object’s token resolves to nothing', async () => {
    const token = await directToken()
    await store.clients.update(direct.client.client_id, { cds_status: 'disabled' })
    expect(await lookupAccessToken(token, { store, clock })).toBeUndefined()
  })

  it('R1-02-7.6-06 a token of an expired Credential resolves to nothing', async () => {
    const token = await directToken()
    await store.credentials.updateExpiry(direct.credential_id!, nowSeconds(clock), clock.now())
    expect(await lookupAccessToken(token, { store, clock })).toBeUndefined()
  })

  it('RFC 6750 §1.2 a refresh token is not a bearer token', async () => {
    const code = await register(store, clock, 'code')
    const { code: value, code_verifier } = await storeCode(store, clock, code.client)
    const { refresh_token } = await handleTokenRequest(
      { authorization: code.authorization, body: { grant_type: 'authorization_code', code: value, code_verifier, redirect_uri: 'https://client.example/cb' } },
      options,
    )
    expect(await lookupAccessToken(refresh_token!, { store, clock })).toBeUndefined()
    expect((await findActiveToken(refresh_token!, { store, clock }))?.record.token_type).toBe('refresh_token')
  })
})
