import { Client, checkStrict } from '@cds-ts/schema'
import { beforeEach, describe, expect, it } from 'vitest'
import { clientRecord } from '../test/_setup.js'
import { memoryStore } from '../test/memory-store.js'
import { addSeconds, manualClock, nowSeconds } from './clock.js'
import { authenticateClient } from './client-authentication.js'
import { hashSecret, randomOpaqueValue } from './crypto.js'
import { InvalidGrant } from './errors.js'
import type { AuthStore, TokenRecord } from './store.js'

// These tests pin the contract written in store.ts, through the in-memory fixture; the Kysely
// store in @cds-ts/server follows the same contract.

const clock = manualClock('2025-01-01T00:00:00Z')

const client = clientRecord({ client_id_issued_at: nowSeconds(clock) })

function token(overrides: Partial<TokenRecord>): TokenRecord {
  return {
    token_hash: hashSecret(randomOpaqueValue()),
    token_type: 'access_token',
    client_id: client.client_id,
    credential_id: 'cred-1',
    grant_id: null,
    code_hash: null,
    scope: 'cds_client_admin',
    authorization_details: [],
    issued_at: clock.now(),
    expires_at: addSeconds(clock.now(), 3600),
    revoked_at: null,
    ...overrides,
  }
}

describe('CDS-WG1-02 §5.1 stored Client objects', () => {
  it('R1-02-5.1-01 a ClientRecord plus the derived URLs is a valid Client object', () => {
    const { registration_id: _r, registration_fields: _f, ...fields } = client
    const wire = { ...fields, cds_client_uri: 'https://example.com/clients/c-admin', cds_server_metadata: 'https://example.com/meta' }
    expect(checkStrict(Client, wire)).toEqual([])
  })
})

describe('CDS-WG1-02 §7.6 store contract', () => {
  let store: AuthStore
  const secret = randomOpaqueValue()

  beforeEach(async () => {
    store = memoryStore()
    await store.clients.insert(client)
    await store.credentials.insert({
      credential_id: 'cred-1',
      client_id: client.client_id,
      type: 'client_secret',
      client_secret_hash: hashSecret(secret),
      client_secret_expires_at: 0,
      created: clock.now(),
      modified: clock.now(),
    })
  })

  it('R1-02-7.6-06 expiring a Credential and revoking its tokens commit together', async () => {
    await store.tokens.insert(token({ token_hash: 'a' }))
    await store.tokens.insert(token({ token_hash: 'b', credential_id: 'other' }))
    const revoked = await store.transaction(async (tx) => {
      await tx.credentials.updateExpiry('cred-1', nowSeconds(clock), clock.now())
      return tx.tokens.revokeByCredential('cred-1', clock.now())
    })
    expect(revoked).toBe(1)
    expect((await store.tokens.find('a'))?.revoked_at).toEqual(clock.now())
    expect((await store.tokens.find('b'))?.revoked_at).toBeNull()
    // The secret no longer authenticates.
    const findClient = async (id: string) => {
      const found = await store.clients.find(id)
      return found && { client: found, credentials: await store.credentials.listByClient(id) }
    }
    const authorization = `Basic ${Buffer.from(`${client.client_id}:${secret}`).toString('base64')}`
    await expect(authenticateClient({ authorization }, { clock, findClient })).rejects.toMatchObject({ error: 'invalid_client', status: 401 })
  })

  it('a transaction that throws leaves nothing behind and rethrows the error unchanged', async () => {
    await store.tokens.insert(token({ token_hash: 'a' }))
    const err = new InvalidGrant('replayed')
    await expect(
      store.transaction(async (tx) => {
        await tx.tokens.revokeByClient(client.client_id, clock.now())
        await tx.credentials.updateExpiry('cred-1', 1, clock.now())
        throw err
      }),
    ).rejects.toBe(err)
    expect((await store.tokens.find('a'))?.revoked_at).toBeNull()
    expect((await store.credentials.find('cred-1'))?.client_secret_expires_at).toBe(0)
  })

  it('RFC6749-11 a code is consumed once; the second consume reports a replay and revokes by code', async () => {
    const code_hash = hashSecret(randomOpaqueValue())
    await store.codes.insert({
      code_hash,
      client_id: client.client_id,
      redirect_uri: null,
      code_challenge: null,
      code_challenge_method: null,
      scope: 'x',
      authorization_details: [],
      grant_id: 'g-1',
      created: clock.now(),
      expires_at: addSeconds(clock.now(), 60),
      used_at: null,
    })
    const first = await store.codes.consume(code_hash, clock.now())
    expect(first).toMatchObject({ replay: false, record: { used_at: null, grant_id: 'g-1' } })
    await store.tokens.insert(token({ token_hash: 'from-code', code_hash }))
    await store.tokens.insert(token({ token_hash: 'refresh', token_type: 'refresh_token', code_hash }))
    clock.advance(5)
    const second = await store.codes.consume(code_hash, clock.now())
    expect(second?.replay).toBe(true)
    expect(second?.record.used_at).toEqual(addSeconds(clock.now(), -5))
    expect(await store.tokens.revokeByCode(code_hash, clock.now())).toBe(2)
    expect(await store.tokens.revokeByCode(code_hash, clock.now())).toBe(0)
    expect(await store.codes.consume('unknown', clock.now())).toBeUndefined()
  })

  it('RFC9126-06 a pushed request can be read, then consumed once', async () => {
    await store.pushedRequests.insert({
      request_uri_hash: 'h',
      client_id: client.client_id,
      parameters: { response_type: 'code', state: 's' },
      created: clock.now(),
      expires_at: addSeconds(clock.now(), 90),
      used_at: null,
    })
    expect((await store.pushedRequests.find('h'))?.parameters).toEqual({ response_type: 'code', state: 's' })
    expect((await store.pushedRequests.consume('h', clock.now()))?.replay).toBe(false)
    expect((await store.pushedRequests.consume('h', clock.now()))?.replay).toBe(true)
  })

  it('R1-02-5.2-04 disabling a Client object revokes its live tokens only', async () => {
    await store.tokens.insert(token({ token_hash: 'live' }))
    await store.tokens.insert(token({ token_hash: 'gone', revoked_at: clock.now() }))
    expect(await store.clients.update(client.client_id, { cds_status: 'disabled' })).toBe(true)
    expect(await store.tokens.revokeByClient(client.client_id, clock.now())).toBe(1)
    expect((await store.clients.find(client.client_id))?.cds_status).toBe('disabled')
    expect(await store.clients.update('unknown', { cds_status: 'disabled' })).toBe(false)
  })

  it('lists the Client objects of one registration and refuses duplicates', async () => {
    await store.clients.insert({ ...client, client_id: 'c-2', scope: 'cds_grant_admin_1' })
    await store.clients.insert({ ...client, client_id: 'c-3', registration_id: 'reg-2' })
    expect((await store.clients.listByRegistration('reg-1')).map((c) => c.client_id)).toEqual(['c-admin', 'c-2'])
    await expect(store.clients.insert(client)).rejects.toThrow()
  })
})
