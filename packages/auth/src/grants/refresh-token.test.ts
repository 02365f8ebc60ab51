import type { TokenResponse } from '@cds-ts/schema'
import { beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../../test/_setup.js'
import { CODE_SCOPE, register, setup, storeCode, type Registered } from '../../test/token-fixtures.js'
import type { ManualClock } from '../clock.js'
import { hashSecret } from '../crypto.js'
import type { AuthStore } from '../store.js'
import type { TokenEndpointOptions } from '../token.js'
import { handleTokenRequest } from '../token.js'
import { lookupAccessToken } from '../token-lookup.js'

let store: AuthStore
let clock: ManualClock
let options: TokenEndpointOptions
let client: Registered
let first: TokenResponse

const TWO_SCOPES = `${CODE_SCOPE} extra_scope`
const details = [{ type: CODE_SCOPE, history: 'P1Y' }, { type: 'extra_scope' }]

beforeEach(async () => {
  ;({ store, clock, options } = setup())
  options = {
    ...options,
    scopes: {
      ...options.scopes,
      extra_scope: { ...options.scopes[CODE_SCOPE]!, id: 'extra_scope', type: 'extra_scope', authorization_details_types_supported: ['extra_scope'], authorization_details_fields_supported: [] },
    },
  }
  client = await register(store, clock, 'code', { scope: TWO_SCOPES })
  const { code, code_verifier } = await storeCode(store, clock, client.client, { scope: TWO_SCOPES, authorization_details: details })
  first = await handleTokenRequest(
    { authorization: client.authorization, body: { grant_type: 'authorization_code', code, code_verifier, redirect_uri: 'https://client.example/cb' } },
    options,
  )
})

const refresh = (who: Registered, body: Record<string, string>) =>
  handleTokenRequest({ authorization: who.authorization, body: { grant_type: 'refresh_token', ...body } }, options)

describe('RFC 6749 §6 refreshing an access token', () => {
  it('RFC 6749 §6 rotates: a new access token and a new refresh token, the old refresh token revoked', async () => {
    clock.advance(100)
    const second = await refresh(client, { refresh_token: first.refresh_token! })
    expect(second).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      refresh_token: expect.any(String),
      scope: TWO_SCOPES,
      authorization_details: details,
    })
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect((await store.tokens.find(hashSecret(first.refresh_token!)))?.revoked_at).toEqual(clock.now())
    // The access token issued before the rotation keeps working.
    expect(await lookupAccessToken(first.access_token, { store, clock })).toBeDefined()
    const stored = await store.tokens.find(hashSecret(second.refresh_token!))
    expect(stored).toMatchObject({ grant_id: 'grant-code', credential_id: client.credential_id, revoked_at: null })
    expect(stored!.expires_at.getTime() - clock.now().getTime()).toBe(7_776_000_000)
  })

  it('RFC 9700 §4.14.2 reusing a rotated refresh token is invalid_grant and revokes the whole family', async () => {
    const second = await refresh(client, { refresh_token: first.refresh_token! })
    const err = await rejection(refresh(client, { refresh_token: first.refresh_token! }))
    expect(err).toMatchObject({ status: 400, error: 'invalid_grant' })
    expect(await lookupAccessToken(second.access_token, { store, clock })).toBeUndefined()
    expect(await lookupAccessToken(first.access_token, { store, clock })).toBeUndefined()
    expect((await rejection(refresh(client, { refresh_token: second.refresh_token! }))).error).toBe('invalid_grant')
  })

  it('RFC6749-13 narrows the scope of the access token; the new refresh token keeps the original scope', async () => {
    const narrowed = await refresh(client, { refresh_token: first.refresh_token!, scope: CODE_SCOPE })
    expect(narrowed).toMatchObject({ scope: CODE_SCOPE, authorization_details: [details[0]] })
    expect((await store.tokens.find(hashSecret(narrowed.refresh_token!)))?.scope).toBe(TWO_SCOPES)
    const again = await refresh(client, { refresh_token: narrowed.refresh_token! })
    expect(again.scope).toBe(TWO_SCOPES)
  })

  it('RFC6749-13 a wider scope is invalid_scope and leaves the refresh token usable', async () => {
    const err = await rejection(refresh(client, { refresh_token: first.refresh_token!, scope: `${TWO_SCOPES} cds_client_admin` }))
    expect(err).toMatchObject({ status: 400, error: 'invalid_scope' })
    expect((await refresh(client, { refresh_token: first.refresh_token! })).scope).toBe(TWO_SCOPES)
  })

  it('RFC 9396 §6.2 narrows authorization_details to granted entries only', async () => {
    const narrowed = await refresh(client, { refresh_token: first.refresh_token!, authorization_details: JSON.stringify([{ history: 'P1Y', type: CODE_SCOPE }]) })
    expect(narrowed.authorization_details).toEqual([{ type: CODE_SCOPE, history: 'P1Y' }])
    const err = await rejection(refresh(client, { refresh_token: narrowed.refresh_token!, authorization_details: JSON.stringify([{ type: CODE_SCOPE, history: 'P3Y' }]) }))
    expect(err).toMatchObject({ status: 400, error: 'invalid_authorization_details' })
  })

  it('RFC 6749 §6 an expired refresh token is invalid_grant', async () => {
    clock.advance(7_776_000)
    expect(await rejection(refresh(client, { refresh_token: first.refresh_token! }))).toMatchObject({ error: 'invalid_grant', error_description: 'the refresh token has expired' })
  })

  it('RFC 6749 §6 another client’s refresh token is invalid_grant and is not revoked', async () => {
    const other = await register(store, clock, 'code')
    expect((await rejection(refresh(other, { refresh_token: first.refresh_token! }))).error).toBe('invalid_grant')
    expect((await store.tokens.find(hashSecret(first.refresh_token!)))?.revoked_at).toBeNull()
  })

  it('RFC 6749 §6 an access token is not a refresh token', async () => {
    expect((await rejection(refresh(client, { refresh_token: first.access_token }))).error).toBe('invalid_grant')
  })

  it('RFC 6749 §6 a missing refresh_token is invalid_request', async () => {
    expect((await rejection(refresh(client, {}))).error).toBe('invalid_request')
  })

  it('R1-02-7.6-06 a refresh token issued through an expired Credential is dead once revoked by the expiry', async () => {
    await store.tokens.revokeByCredential(client.credential_id!, clock.now())
    expect((await rejection(refresh(client, { refresh_token: first.refresh_token! }))).error).toBe('invalid_grant')
  })

  it('RFC6749-06 a client not registered for refresh_token is unauthorized_client', async () => {
    await store.clients.update(client.client.client_id, { grant_types: ['authorization_code'] })
    expect((await rejection(refresh(client, { refresh_token: first.refresh_token! }))).error).toBe('unauthorized_client')
  })
})
