import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AccessTokenInfo, TokenRecord } from '@cds-ts/auth'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { buildSharedApp, TEST_REALM, type SharedApp } from '../../test/shared-app.js'
import { bearerChallenge, type TokenInfo } from './bearer-auth.js'

const NOW = new Date('2026-01-01T00:00:00Z')
const IN_AN_HOUR = new Date(NOW.getTime() + 3600_000)

function token(overrides: Partial<TokenInfo> = {}): TokenInfo {
  return { token_type: 'access_token', client_id: 'ca-1', scope: 'cds_client_admin', expires_at: IN_AN_HOUR, revoked_at: null, ...overrides }
}

let shared: SharedApp | undefined

afterEach(async () => {
  await shared?.app.close()
  shared = undefined
})

async function protectedApp(): Promise<SharedApp> {
  const built = await buildSharedApp()
  built.app.get('/clients', { config: { scope: 'cds_client_admin' } }, async (request) => ({ client_id: request.accessToken?.client_id ?? null }))
  built.app.get('/files', { config: { scope: ['cds_server_provided_files_1', 'cds_server_provided_files_2'] } }, async () => ({ ok: true }))
  built.app.get('/grant-admin', { config: { scope: (scopes) => scopes.some((s) => s.startsWith('cds_grant_admin_')) } }, async () => ({ ok: true }))
  built.app.get('/public', async (request) => ({ token: request.accessToken }))
  built.tokens.set('ca-token', token())
  built.tokens.set('ga-token', token({ client_id: 'ga-1', scope: 'cds_grant_admin_1' }))
  built.tokens.set('refresh', token({ token_type: 'refresh_token' }))
  built.tokens.set('revoked', token({ revoked_at: NOW }))
  built.tokens.set('files-2', token({ scope: 'openid cds_server_provided_files_2' }))
  return built
}

const bearer = (value: string) => ({ authorization: `Bearer ${value}` })

describe('RFC 6750 §3.1 no credentials', () => {
  it('RFC6750-01 R1-02-5-01 answers a request without a token with 401 and a bare Bearer challenge', async () => {
    shared = await protectedApp()
    const response = await shared.app.inject({ method: 'GET', url: '/clients' })
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="${TEST_REALM}"`)
    expect(response.json()).toEqual({ error: 'invalid_token', error_description: 'this resource needs a bearer access token in the Authorization header' })
  })

  it('R1-02-11.2-04 does not accept the token in the query or the body', async () => {
    shared = await protectedApp()
    const query = await shared.app.inject({ method: 'GET', url: '/clients?access_token=ca-token' })
    expect(query.statusCode).toBe(401)
    expect(query.headers['www-authenticate']).toBe(`Bearer realm="${TEST_REALM}"`)
  })

  it('treats another scheme as no bearer credentials', async () => {
    shared = await protectedApp()
    const response = await shared.app.inject({ method: 'GET', url: '/clients', headers: { authorization: 'Basic Y2EtMTpzZWNyZXQ=' } })
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="${TEST_REALM}"`)
  })
})

describe('RFC 6750 §3.1 invalid_request', () => {
  it('RFC6750-04 answers "Bearer" without a token with 400 invalid_request', async () => {
    shared = await protectedApp()
    for (const authorization of ['Bearer', 'Bearer ', 'Bearer a b', 'Bearer ä']) {
      const response = await shared.app.inject({ method: 'GET', url: '/clients', headers: { authorization } })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({ error: 'invalid_request', error_description: 'the Bearer credentials are missing or malformed' })
      expect(response.headers['www-authenticate']).toBe(
        `Bearer realm="${TEST_REALM}", error="invalid_request", error_description="the Bearer credentials are missing or malformed"`,
      )
    }
  })

  it('RFC6750-04 answers two Authorization headers with 400 invalid_request', async () => {
    shared = await protectedApp()
    await shared.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = shared.app.server.address() as AddressInfo
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest({ host: '127.0.0.1', port, path: '/clients', headers: ['Host', `127.0.0.1:${port}`, 'Authorization', 'Bearer ca-token', 'Authorization', 'Bearer ga-token'] }, (response) => {
        let text = ''
        response.on('data', (chunk: Buffer) => (text += chunk.toString()))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
      })
      request.on('error', reject)
      request.end()
    })
    expect(status).toBe(400)
    expect(JSON.parse(body)).toEqual({ error: 'invalid_request', error_description: 'the Authorization header is repeated' })
  })
})

describe('RFC 6750 §3.1 invalid_token', () => {
  it('RFC6750-02 answers an unknown token with 401 invalid_token', async () => {
    shared = await protectedApp()
    const response = await shared.app.inject({ method: 'GET', url: '/clients', headers: bearer('garbage') })
    expect(response.statusCode).toBe(401)
    expect(response.headers['www-authenticate']).toBe(`Bearer realm="${TEST_REALM}", error="invalid_token", error_description="the access token is not valid"`)
    expect(response.json()).toEqual({ error: 'invalid_token', error_description: 'the access token is not valid' })
  })

  it('refuses a refresh token used as an access token', async () => {
    shared = await protectedApp()
    const response = await shared.app.inject({ method: 'GET', url: '/clients', headers: bearer('refresh') })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toMatchObject({ error: 'invalid_token' })
  })

  it('RFC7009-01 refuses a revoked token', async () => {
    shared = await protectedApp()
    const response = await shared.app.inject({ method: 'GET', url: '/clients', headers: bearer('revoked') })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ error: 'invalid_token', error_description: 'the access token has been revoked' })
  })

  it('refuses a token from the instant it expires, by the injected clock', async () => {
    shared = await protectedApp()
    shared.clock.advance(3599)
    expect((await shared.app.inject({ method: 'GET', url: '/clients', headers: bearer('ca-token') })).statusCode).toBe(200)
    shared.clock.advance(1)
    const response = await shared.app.inject({ method: 'GET', url: '/clients', headers: bearer('ca-token') })
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ error: 'invalid_token', error_description: 'the access token has expired' })
  })
})

describe('RFC 6750 §3.1 insufficient_scope', () => {
  it('RFC6750-03 R1-02-5-01 answers a Grant-Admin token on the Clients API with 403', async () => {
    shared = await protectedApp()
    const response = await shared.app.inject({ method: 'GET', url: '/clients', headers: bearer('ga-token') })
    expect(response.statusCode).toBe(403)
    expect(response.headers['www-authenticate']).toBe(
      `Bearer realm="${TEST_REALM}", scope="cds_client_admin", error="insufficient_scope", error_description="this resource needs the scope cds_client_admin"`,
    )
    expect(response.json()).toEqual({ error: 'insufficient_scope', error_description: 'this resource needs the scope cds_client_admin' })
  })

  it('accepts any scope of a list, and a scope test', async () => {
    shared = await protectedApp()
    expect((await shared.app.inject({ method: 'GET', url: '/files', headers: bearer('files-2') })).statusCode).toBe(200)
    const files = await shared.app.inject({ method: 'GET', url: '/files', headers: bearer('ca-token') })
    expect(files.statusCode).toBe(403)
    expect(files.headers['www-authenticate']).toContain('scope="cds_server_provided_files_1 cds_server_provided_files_2"')
    expect((await shared.app.inject({ method: 'GET', url: '/grant-admin', headers: bearer('ga-token') })).statusCode).toBe(200)
    const admin = await shared.app.inject({ method: 'GET', url: '/grant-admin', headers: bearer('ca-token') })
    expect(admin.statusCode).toBe(403)
    expect(admin.headers['www-authenticate']).not.toContain('scope=')
  })
})

describe('RFC 6750 §2.1 a valid token', () => {
  it('R1-02-5-01 lets a client-admin token through and exposes it as request.accessToken', async () => {
    shared = await protectedApp()
    const response = await shared.app.inject({ method: 'GET', url: '/clients', headers: { authorization: 'bearer   ca-token' } })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ client_id: 'ca-1' })
  })

  it('R1-01-8.1-04 ignores any Authorization header on a public route', async () => {
    shared = await protectedApp()
    const response = await shared.app.inject({ method: 'GET', url: '/public', headers: bearer('x') })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ token: null })
  })

  it('takes what the storage finds: a TokenRecord or the AccessTokenInfo of lookupAccessToken', () => {
    expectTypeOf<TokenRecord>().toExtend<TokenInfo>()
    expectTypeOf<AccessTokenInfo>().toExtend<TokenInfo>()
  })

  it('writes challenges with quoted attributes and no quotes inside them', () => {
    expect(bearerChallenge({ realm: 'a"b\\c' })).toBe('Bearer realm="abc"')
    expect(bearerChallenge({ realm: 'r', error: 'invalid_token', error_description: 'x "y"' })).toBe('Bearer realm="r", error="invalid_token", error_description="x y"')
  })
})
