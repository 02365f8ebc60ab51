// The usage example of README.md, type-checked and run. Keep the two in step.
import { describe, expect, it } from 'vitest'
import {
  OAuthError,
  authenticateClient,
  checkCodeChallenge,
  codeChallengeS256,
  hashSecret,
  randomOpaqueValue,
  systemClock,
  verifyPkce,
  type AuthStore,
} from '../src/index.js'
import { clientRecord } from './_setup.js'
import { memoryStore } from './memory-store.js'

// --- README example start
async function authenticateTokenRequest(store: AuthStore, authorization: string | undefined, body: Record<string, string>) {
  try {
    const client = await authenticateClient(
      { authorization, body },
      {
        methods: ['client_secret_basic', 'none'],
        clock: systemClock,
        findClient: async (client_id) => {
          const found = await store.clients.find(client_id)
          return found && { client: found, credentials: await store.credentials.listByClient(client_id) }
        },
      },
    )
    return { status: 200, client }
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err
    // Only the server's error handler writes bodies; this shows what it gets.
    return { status: err.status, body: { error: err.error, error_description: err.error_description }, wwwAuthenticate: err.wwwAuthenticate }
  }
}

const client_secret = randomOpaqueValue() // shown to the Client once
const client_secret_hash = hashSecret(client_secret) // what storage keeps

const code_verifier = randomOpaqueValue() // 43 unreserved characters
const pkce = checkCodeChallenge({ code_challenge: codeChallengeS256(code_verifier), code_challenge_method: 'S256' })
verifyPkce(code_verifier, pkce?.code_challenge) // throws InvalidGrant on a mismatch
// --- README example end

describe('README example', () => {
  it('RFC 6749 §2.3.1 authenticates with the stored hash and refuses a wrong secret', async () => {
    const store = memoryStore()
    await store.clients.insert(clientRecord({ client_id: 'c1', registration_id: 'r1' }))
    await store.credentials.insert({
      credential_id: 'k1',
      client_id: 'c1',
      type: 'client_secret',
      client_secret_hash,
      client_secret_expires_at: 0,
      created: new Date(),
      modified: new Date(),
    })
    const basic = (secret: string) => `Basic ${Buffer.from(`c1:${secret}`).toString('base64')}`
    expect(await authenticateTokenRequest(store, basic(client_secret), {})).toEqual({
      status: 200,
      client: { client_id: 'c1', method: 'client_secret_basic', credential_id: 'k1' },
    })
    expect(await authenticateTokenRequest(store, basic('wrong'), {})).toEqual({
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
      wwwAuthenticate: 'Basic realm="cds"',
    })
    expect(pkce).toEqual({ code_challenge: codeChallengeS256(code_verifier), code_challenge_method: 'S256' })
  })
})
