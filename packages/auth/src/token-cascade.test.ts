import { beforeEach, describe, expect, it } from 'vitest'
import { register, setup, type Registered } from '../test/token-fixtures.js'
import type { ManualClock } from './clock.js'
import { nowSeconds } from './clock.js'
import { hashSecret } from './crypto.js'
import type { AuthStore } from './store.js'
import type { TokenEndpointOptions } from './token.js'
import { handleTokenRequest } from './token.js'
import { disableClient, expireCredential } from './token-cascade.js'
import { lookupAccessToken } from './token-lookup.js'

let store: AuthStore
let clock: ManualClock
let options: TokenEndpointOptions
let admin: Registered

beforeEach(async () => {
  ;({ store, clock, options } = setup())
  admin = await register(store, clock, 'admin')
})

const issue = async (who: Registered = admin) =>
  (await handleTokenRequest({ authorization: who.authorization, body: { grant_type: 'client_credentials' } }, options)).access_token

describe('CDS-WG1-02 §7.6 Modifying Credentials', () => {
  it('R1-02-7.6-06 an expiry of now revokes every token issued through the Credential, at once', async () => {
    const [a, b] = [await issue(), await issue()]
    const other = await register(store, clock, 'admin')
    const unrelated = await issue(other)
    expect(await expireCredential({ store, clock }, admin.credential_id!, nowSeconds(clock))).toEqual({ found: true, revoked: 2 })
    for (const token of [a, b]) {
      expect((await store.tokens.find(hashSecret(token)))?.revoked_at).toEqual(clock.now())
    }
    expect(await lookupAccessToken(unrelated, { store, clock })).toBeDefined()
    expect((await store.credentials.find(admin.credential_id!))?.client_secret_expires_at).toBe(nowSeconds(clock))
  })

  it('R1-02-7.6-02 a future expiry, or 0, revokes nothing', async () => {
    const token = await issue()
    expect(await expireCredential({ store, clock }, admin.credential_id!, nowSeconds(clock) + 60)).toEqual({ found: true, revoked: 0 })
    expect(await expireCredential({ store, clock }, admin.credential_id!, 0)).toEqual({ found: true, revoked: 0 })
    expect(await lookupAccessToken(token, { store, clock })).toBeDefined()
  })

  it('an unknown Credential changes nothing', async () => {
    expect(await expireCredential({ store, clock }, 'nope', 0)).toEqual({ found: false, revoked: 0 })
  })
})

describe('CDS-WG1-02 §5.2 Client Object Statuses', () => {
  it('R1-02-5.2-04 A-16 disabling a Client object revokes its tokens and stops new ones', async () => {
    const direct = await register(store, clock, 'admin', { cds_status_options: ['production', 'disabled'] })
    const token = await issue(direct)
    clock.advance(5)
    expect(await disableClient({ store, clock }, direct.client.client_id)).toEqual({ found: true, revoked: 1 })
    expect((await store.tokens.find(hashSecret(token)))?.revoked_at).toEqual(clock.now())
    expect(await store.clients.find(direct.client.client_id)).toMatchObject({ cds_status: 'disabled', cds_modified: clock.now().toISOString() })
    await expect(issue(direct)).rejects.toMatchObject({ error: 'invalid_client' })
    expect(await disableClient({ store, clock }, 'nope')).toEqual({ found: false, revoked: 0 })
  })
})
