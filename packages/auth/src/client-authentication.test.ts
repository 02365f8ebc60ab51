import { describe, expect, it } from 'vitest'
import { manualClock } from './clock.js'
import { authenticateClient, basicChallenge, parseClientAuthentication, type ClientAuthenticationRecord } from './client-authentication.js'
import { hashSecret, randomOpaqueValue } from './crypto.js'
import { rejection, thrown } from '../test/_setup.js'
import { InvalidClient, InvalidRequest } from './errors.js'

const basic = (id: string, secret: string, encode = true) => {
  const enc = (v: string) => (encode ? new URLSearchParams({ v }).toString().slice(2) : v)
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`
}

describe('RFC 6749 §2.3.1 client_secret_basic parsing', () => {
  it('RFC6749-02 reads the form-urlencoded id and secret from Basic', () => {
    expect(parseClientAuthentication({ authorization: basic('client-1', 's3cret') })).toEqual({
      client_id: 'client-1',
      client_secret: 's3cret',
      method: 'client_secret_basic',
    })
  })

  it('RFC6749-02 decodes reserved characters and a colon inside the secret', () => {
    expect(parseClientAuthentication({ authorization: basic('id with space', 'a:b+c%d/é') })).toMatchObject({
      client_id: 'id with space',
      client_secret: 'a:b+c%d/é',
    })
  })

  it('A-38 takes raw values when they are not valid form encoding', () => {
    expect(parseClientAuthentication({ authorization: basic('client', 'p%zz', false) })).toMatchObject({ client_secret: 'p%zz' })
  })

  it('A-38 base64url secrets read the same encoded or not', () => {
    const secret = randomOpaqueValue()
    expect(parseClientAuthentication({ authorization: basic('c', secret, false) }).client_secret).toBe(secret)
    expect(parseClientAuthentication({ authorization: basic('c', secret, true) }).client_secret).toBe(secret)
  })

  it('accepts the scheme case-insensitively', () => {
    const header = basic('c', 's').replace('Basic', 'bAsIc')
    expect(parseClientAuthentication({ authorization: header }).client_id).toBe('c')
  })

  it('RFC6749-03 refuses malformed Basic with 401 invalid_client and a Basic challenge', () => {
    for (const authorization of [
      'Basic',
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      `Basic ${Buffer.from(':secret').toString('base64')}`,
      `Basic ${Buffer.from('id:').toString('base64')}`,
      'Bearer abc',
    ]) {
      const err = thrown(() => parseClientAuthentication({ authorization }, { realm: 'example' }))
      expect(err, authorization).toBeInstanceOf(InvalidClient)
      expect(err).toMatchObject({ error: 'invalid_client', status: 401, wwwAuthenticate: 'Basic realm="example"' })
    }
  })

  it('RFC 6749 §2.3 refuses credentials in both the header and the body with invalid_request', () => {
    const err = thrown(() => parseClientAuthentication({ authorization: basic('c', 's'), body: { client_secret: 's' } }))
    expect(err).toBeInstanceOf(InvalidRequest)
    expect(err).toMatchObject({ error: 'invalid_request', status: 400 })
  })

  it('allows a body client_id equal to the header one, refuses a different one', () => {
    expect(parseClientAuthentication({ authorization: basic('c', 's'), body: { client_id: 'c' } }).method).toBe('client_secret_basic')
    expect(thrown(() => parseClientAuthentication({ authorization: basic('c', 's'), body: { client_id: 'd' } })).error).toBe('invalid_request')
  })

  it('RFC 6749 §3.2 refuses repeated parameters with invalid_request', () => {
    expect(thrown(() => parseClientAuthentication({ body: { client_id: ['a', 'b'] } })).error).toBe('invalid_request')
  })
})

describe('RFC 6749 §2.3.1 client_secret_post and none', () => {
  it('refuses client_secret in the body unless the endpoint enables client_secret_post', () => {
    const err = thrown(() => parseClientAuthentication({ body: { client_id: 'c', client_secret: 's' } }))
    expect(err).toMatchObject({ error: 'invalid_client', status: 401, wwwAuthenticate: 'Basic realm="cds"' })
    expect(parseClientAuthentication({ body: { client_id: 'c', client_secret: 's' } }, { methods: ['client_secret_post'] })).toEqual({
      client_id: 'c',
      client_secret: 's',
      method: 'client_secret_post',
    })
  })

  it('R1-02-3.4-10 reads a bare client_id as none only where enabled', () => {
    expect(thrown(() => parseClientAuthentication({ body: { client_id: 'c' } })).error).toBe('invalid_client')
    expect(parseClientAuthentication({ body: { client_id: 'c' } }, { methods: ['client_secret_basic', 'none'] })).toEqual({
      client_id: 'c',
      method: 'none',
    })
  })

  it('RFC6749-03 refuses a request with no credentials, and assertions', () => {
    expect(thrown(() => parseClientAuthentication({})).status).toBe(401)
    const err = thrown(() => parseClientAuthentication({ body: { client_id: 'c', client_assertion_type: 'x', client_assertion: 'y' } }))
    expect(err.error).toBe('invalid_client')
  })

  it('refuses Basic where the endpoint takes only none', () => {
    expect(thrown(() => parseClientAuthentication({ authorization: basic('c', 's') }, { methods: ['none'] })).error).toBe('invalid_client')
  })
})

describe('CDS-WG1-02 §7.6 authenticating against stored credentials', () => {
  const clock = manualClock('2025-01-01T00:00:00Z')
  const now = Math.floor(clock.now().getTime() / 1000)
  const secret = randomOpaqueValue()
  const oldSecret = randomOpaqueValue()
  const records = new Map<string, ClientAuthenticationRecord>([
    [
      'confidential',
      {
        client: { client_id: 'confidential', token_endpoint_auth_method: 'client_secret_basic', cds_status: 'production' },
        credentials: [
          { credential_id: 'cred-old', client_secret_hash: hashSecret(oldSecret), client_secret_expires_at: now },
          { credential_id: 'cred-live', client_secret_hash: hashSecret(secret), client_secret_expires_at: 0 },
        ],
      },
    ],
    [
      'expiring',
      {
        client: { client_id: 'expiring', token_endpoint_auth_method: 'client_secret_basic', cds_status: 'sandbox' },
        credentials: [{ credential_id: 'cred-exp', client_secret_hash: hashSecret(secret), client_secret_expires_at: now + 60 }],
      },
    ],
    ['public', { client: { client_id: 'public', token_endpoint_auth_method: 'none', cds_status: 'sandbox' }, credentials: [] }],
    [
      'disabled',
      {
        client: { client_id: 'disabled', token_endpoint_auth_method: 'client_secret_basic', cds_status: 'disabled' },
        credentials: [{ credential_id: 'cred-dis', client_secret_hash: hashSecret(secret), client_secret_expires_at: 0 }],
      },
    ],
    [
      'no-method',
      {
        client: { client_id: 'no-method', token_endpoint_auth_method: null, cds_status: 'production' },
        credentials: [{ credential_id: 'cred-nm', client_secret_hash: hashSecret(secret), client_secret_expires_at: 0 }],
      },
    ],
  ])
  const options = { clock, methods: ['client_secret_basic', 'none'] as const, realm: 'cds', findClient: async (id: string) => records.get(id) }

  it('RFC6749-02 authenticates with the live secret and names its Credential', async () => {
    await expect(authenticateClient({ authorization: basic('confidential', secret) }, options)).resolves.toEqual({
      client_id: 'confidential',
      method: 'client_secret_basic',
      credential_id: 'cred-live',
    })
  })

  it('RFC6749-03 refuses a wrong secret with 401 invalid_client and WWW-Authenticate', async () => {
    const err = await rejection(authenticateClient({ authorization: basic('confidential', `${secret}x`) }, options))
    expect(err).toMatchObject({ error: 'invalid_client', status: 401, wwwAuthenticate: basicChallenge('cds') })
  })

  it('RFC6749-03 refuses an unknown client the same way', async () => {
    const err = await rejection(authenticateClient({ authorization: basic('nobody', secret) }, options))
    expect(err).toMatchObject({ error: 'invalid_client', status: 401, error_description: 'client authentication failed' })
  })

  it('R1-02-7.6-06 R1-02-7.1-05 refuses a secret whose expiry is now or earlier', async () => {
    const err = await rejection(authenticateClient({ authorization: basic('confidential', oldSecret) }, options))
    expect(err).toMatchObject({ error: 'invalid_client', status: 401 })
  })

  it('R1-02-7.1-05 a secret works until its expiry instant, then stops', async () => {
    await expect(authenticateClient({ authorization: basic('expiring', secret) }, options)).resolves.toMatchObject({ credential_id: 'cred-exp' })
    clock.advance(60)
    expect((await rejection(authenticateClient({ authorization: basic('expiring', secret) }, options))).error).toBe('invalid_client')
    clock.advance(-60)
  })

  it('R1-02-5.2-04 refuses a disabled Client object', async () => {
    expect((await rejection(authenticateClient({ authorization: basic('disabled', secret) }, options))).status).toBe(401)
  })

  it('R1-02-3.4-10 lets a public Client object in with none', async () => {
    await expect(authenticateClient({ body: { client_id: 'public' } }, options)).resolves.toEqual({
      client_id: 'public',
      method: 'none',
      credential_id: null,
    })
  })

  it('R1-02-3.4-10 refuses none for a confidential Client object', async () => {
    expect((await rejection(authenticateClient({ body: { client_id: 'confidential' } }, options))).error).toBe('invalid_client')
  })

  it('RFC 7591 §2 refuses a secret method the Client object is not registered for', async () => {
    expect((await rejection(authenticateClient({ authorization: basic('no-method', secret) }, options))).error).toBe('invalid_client')
    const post = { ...options, methods: ['client_secret_post'] as const }
    expect((await rejection(authenticateClient({ body: { client_id: 'confidential', client_secret: secret } }, post))).error).toBe('invalid_client')
  })

  it('passes lookup failures through unchanged', async () => {
    const boom = new Error('db down')
    const failing = {
      ...options,
      findClient: async () => {
        throw boom
      },
    }
    await expect(authenticateClient({ authorization: basic('confidential', secret) }, failing)).rejects.toBe(boom)
  })
})
