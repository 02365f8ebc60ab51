import { AutoApprove, hashSecret, manualClock, type AuthStore, type CustomerAuthorization } from '@cds-ts/auth'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { forEachDialect } from '../../../test/dialects.js'
import { formHeaders, OAUTH_BASE_URL, oauthConfig, seedClient } from '../../../test/oauth-app.js'
import type { ServerConfig } from '../../config/config-schema.js'
import { DEMO_CODE_SCOPE } from '../../config/defaults.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { decimalJsonPlugin } from '../../shared/decimal-json.js'
import { errorHandlerPlugin } from '../../shared/error-handler.js'
import { requestBodyPlugin } from '../../shared/request-body.js'
import { schemaController, schemasPlugin } from '../../shared/schemas.js'
import { authorizePlugin } from './authorize.js'
import { parPlugin } from './par.js'
import { tokenPlugin } from './token.js'

const REDIRECT_URI = 'https://client.example/cb?tenant=a%20b&x'
const OTHER_REDIRECT_URI = 'https://client.example/other'
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

/** Parameters of a valid authorization request of `client_id`; `undefined` drops one. */
function parameters(client_id: string, overrides: Record<string, string | undefined> = {}): string {
  const all: Record<string, string | undefined> = {
    response_type: 'code',
    client_id,
    redirect_uri: REDIRECT_URI,
    scope: DEMO_CODE_SCOPE,
    state: 'state with spaces & symbols',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    ...overrides,
  }
  return new URLSearchParams(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined)).toString()
}

type Reply = Awaited<ReturnType<FastifyInstance['inject']>>

forEachDialect('CDS-WG1-02 §3.2 §8.3 POST /oauth/par and GET /oauth/authorize', (t) => {
  // 2026-03-01 04:00 in Los Angeles (the demo cds_timezone).
  const clock = manualClock('2026-03-01T12:00:00Z')
  let client_id: string
  let authorization: string
  let store: AuthStore
  let app: FastifyInstance

  async function build(config: ServerConfig = oauthConfig(), customerAuthorization: CustomerAuthorization = new AutoApprove('customer-1')) {
    const built = Fastify({ schemaController })
    await built.register(errorHandlerPlugin, { realm: OAUTH_BASE_URL })
    await built.register(requestBodyPlugin)
    await built.register(decimalJsonPlugin)
    await built.register(schemasPlugin)
    await built.register(parPlugin, { store, clock, config })
    await built.register(authorizePlugin, { store, clock, config, customerAuthorization })
    await built.register(tokenPlugin, { store, clock, config })
    await built.ready()
    return built
  }

  beforeAll(async () => {
    store = new KyselyAuthStore(t.db)
    const seeded = await seedClient(store, 'code', {
      redirect_uris: [REDIRECT_URI, OTHER_REDIRECT_URI],
      cds_default_scope: DEMO_CODE_SCOPE,
      cds_default_redirect_uri: REDIRECT_URI,
      cds_default_authorization_details: [],
    })
    client_id = seeded.client.client_id
    authorization = seeded.authorization ?? ''
    app = await build()
  })
  afterAll(async () => app.close())

  const pushRaw = (payload: string, header = authorization) => app.inject({ method: 'POST', url: '/oauth/par', headers: formHeaders(header), payload })
  const push = async (overrides: Record<string, string | undefined> = {}) => {
    const res = await pushRaw(parameters(client_id, overrides))
    expect(res.statusCode).toBe(201)
    return res.json<{ request_uri: string }>().request_uri
  }
  const get = (query: string, on = app) => on.inject({ method: 'GET', url: `/oauth/authorize?${query}` })
  const viaPar = (request_uri: string) => get(new URLSearchParams({ client_id, request_uri }).toString())
  const redirectParams = (location: string | undefined) => [...new URL(location ?? 'https://missing.example').searchParams]

  const expectError = (res: Reply, status: number, error: string) => {
    expect(res.statusCode).toBe(status)
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers.location).toBeUndefined()
    expect(res.json()).toMatchObject({ error })
  }
  const expectPage = (res: Reply, description: string) => {
    // RFC 6749 §4.1.2.1 (RFC6749-09): shown here, never redirected.
    expectError(res, 400, 'invalid_request')
    expect(res.json()).toEqual({ error: 'invalid_request', error_description: description })
  }

  describe('RFC 9126 §2 POST /oauth/par', () => {
    it('RFC9126-01 answers 201 with request_uri and expires_in, no-store, and stores only the digest', async () => {
      const res = await pushRaw(parameters(client_id, { authorization_details: `[{"type":"${DEMO_CODE_SCOPE}","resolution":"hourly"}]` }))
      expect(res.statusCode).toBe(201)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.headers.pragma).toBe('no-cache')
      const body = res.json<{ request_uri: string; expires_in: number }>()
      expect(Object.keys(body).sort()).toEqual(['expires_in', 'request_uri'])
      expect(body.expires_in).toBe(90)
      expect(body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/)
      const handle = body.request_uri.split(':').at(-1) ?? ''
      const rows = await t.db.selectFrom('par_requests').selectAll().where('client_id', '=', client_id).execute()
      expect(rows.map((row) => row.request_uri_hash)).toContain(hashSecret(handle))
      expect(JSON.stringify(rows)).not.toContain(handle)
    })

    it('RFC6749-03 a wrong secret is 401 invalid_client with a Basic challenge', async () => {
      const res = await pushRaw(parameters(client_id), `Basic ${Buffer.from(`${client_id}:wrong`).toString('base64')}`)
      expectError(res, 401, 'invalid_client')
      expect(res.headers['www-authenticate']).toBe(`Basic realm="${OAUTH_BASE_URL}"`)
    })

    it('RFC9126-03 a request_uri inside the pushed request is 400 invalid_request', async () => {
      expectError(await pushRaw(parameters(client_id, { request_uri: 'urn:ietf:params:oauth:request_uri:x' })), 400, 'invalid_request')
    })

    it('RFC9126-02 an unregistered redirect_uri is answered directly, never redirected', async () => {
      const res = await pushRaw(parameters(client_id, { redirect_uri: 'https://client.example/cb?tenant=a+b' }))
      expectError(res, 400, 'invalid_request')
      expect(res.json()).toEqual({ error: 'invalid_request', error_description: 'redirect_uri is not registered for this client' })
    })

    it('RFC7636-02 RFC7636-04 plain or missing PKCE is 400 invalid_request', async () => {
      expectError(await pushRaw(parameters(client_id, { code_challenge_method: 'plain' })), 400, 'invalid_request')
      expectError(await pushRaw(parameters(client_id, { code_challenge: undefined, code_challenge_method: undefined })), 400, 'invalid_request')
    })

    it('RFC9396-02 invalid authorization_details are 400 invalid_authorization_details naming the field', async () => {
      const res = await pushRaw(parameters(client_id, { authorization_details: `[{"type":"${DEMO_CODE_SCOPE}","start_date":"P4Y"}]` }))
      expectError(res, 400, 'invalid_authorization_details')
      expect(res.json<{ error_description: string }>().error_description).toBe('authorization_details[0].start_date is further from now than the maximum P3Y')
    })

    it('RFC 6749 §3.3 an unknown scope is 400 invalid_scope', async () => {
      expectError(await pushRaw(parameters(client_id, { scope: 'unknown_scope' })), 400, 'invalid_scope')
    })

    it('RFC9126-01 the body must be form-encoded', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/oauth/par',
        headers: { 'content-type': 'application/json', authorization },
        payload: JSON.stringify({ response_type: 'code', client_id }),
      })
      expectError(res, 400, 'invalid_request')
    })

    it('RFC9126-04 other methods are 405 with Allow: POST', async () => {
      const res = await app.inject({ method: 'GET', url: '/oauth/par' })
      expect(res.statusCode).toBe(405)
      expect(res.headers.allow).toBe('POST')
      expect(res.json()).toMatchObject({ error: 'method_not_allowed' })
    })
  })

  describe('RFC 9126 §4 with a pushed request', () => {
    it('RFC9126-05 RFC6749-14 302 to the client with code and state, its own query kept, no-store', async () => {
      const res = await viaPar(await push())
      expect(res.statusCode).toBe(302)
      expect(res.headers['cache-control']).toBe('no-store')
      const location = res.headers.location ?? ''
      expect(location.startsWith(`${REDIRECT_URI}&code=`)).toBe(true)
      const params = redirectParams(location)
      expect(params.map(([name]) => name)).toEqual(['tenant', 'x', 'code', 'state'])
      expect(params[0]).toEqual(['tenant', 'a b'])
      expect(params[3]).toEqual(['state', 'state with spaces & symbols'])
      const code = new URL(location).searchParams.get('code') ?? ''
      const row = await t.db.selectFrom('authorization_codes').selectAll().where('code_hash', '=', hashSecret(code)).executeTakeFirstOrThrow()
      expect(row).toMatchObject({ client_id, redirect_uri: REDIRECT_URI, code_challenge: CHALLENGE, code_challenge_method: 'S256', scope: DEMO_CODE_SCOPE, used_at: null })
      expect(new Date(row.expires_at).getTime() - new Date(row.created).getTime()).toBe(60_000)
    })

    it('RFC9126-06 a replayed request_uri is an error page', async () => {
      const request_uri = await push()
      expect((await viaPar(request_uri)).statusCode).toBe(302)
      expectPage(await viaPar(request_uri), 'request_uri has already been used')
    })

    it('RFC9126-06 an expired request_uri is an error page', async () => {
      const request_uri = await push()
      clock.advance(90)
      try {
        expectPage(await viaPar(request_uri), 'request_uri has expired')
      } finally {
        clock.advance(-90)
      }
    })

    it('R1-02-8.3-04 a bogus pushed cds_grant_id comes back as cds_grant_id_invalid_value', async () => {
      const res = await viaPar(await push({ cds_grant_id: 'bogus' }))
      expect(res.statusCode).toBe(302)
      expect(redirectParams(res.headers.location).slice(2, 3)).toEqual([['error', 'cds_grant_id_invalid_value']])
    })
  })

  describe('RFC 6749 §4.1.1 a direct request', () => {
    it('RFC6749-09 an unregistered redirect_uri or unknown client is an error page', async () => {
      expectPage(await get(parameters(client_id, { redirect_uri: 'https://evil.example/cb' })), 'redirect_uri is not registered for this client')
      expectPage(await get(parameters(client_id, { redirect_uri: 'https://client.example/cb?tenant=a+b&x' })), 'redirect_uri is not registered for this client')
      expectPage(await get(parameters('nobody')), 'client_id is not a known client')
      expectPage(await get(`${parameters(client_id)}&client_id=${client_id}`), 'client_id must not be repeated')
    })

    it('RFC7636-02 RFC7636-04 RFC6749-14 plain and missing PKCE are redirected with the state', async () => {
      for (const overrides of [{ code_challenge_method: 'plain' }, { code_challenge: undefined, code_challenge_method: undefined }]) {
        const res = await get(parameters(client_id, overrides))
        expect(res.statusCode).toBe(302)
        const params = redirectParams(res.headers.location)
        expect(params.slice(2).map(([name]) => name)).toEqual(['error', 'error_description', 'state'])
        expect(params[2]).toEqual(['error', 'invalid_request'])
        expect(params[4]).toEqual(['state', 'state with spaces & symbols'])
      }
    })

    it('RFC 6749 §3.1 a repeated parameter is redirected as invalid_request', async () => {
      const res = await get(`${parameters(client_id)}&scope=${DEMO_CODE_SCOPE}`)
      expect(res.statusCode).toBe(302)
      expect(new URL(res.headers.location ?? '').searchParams.get('error')).toBe('invalid_request')
    })

    it('R1-02-5.1-20 without redirect_uri or state, the default redirect_uri gets only the code', async () => {
      const res = await get(parameters(client_id, { redirect_uri: undefined, state: undefined }))
      expect(res.statusCode).toBe(302)
      expect(redirectParams(res.headers.location).map(([name]) => name)).toEqual(['tenant', 'x', 'code'])
    })

    it('RFC9126-08 a server that requires PAR redirects direct requests with invalid_request', async () => {
      const config = oauthConfig()
      config.oauth.require_pushed_authorization_requests = true
      const strict = await build(config)
      try {
        const res = await get(parameters(client_id), strict)
        expect(res.statusCode).toBe(302)
        expect(redirectParams(res.headers.location).slice(2, 3)).toEqual([['error', 'invalid_request']])
      } finally {
        await strict.close()
      }
    })

    it('RFC6749-10 a customer who refuses sends access_denied back', async () => {
      const deny = await build(oauthConfig(), { authenticateAndApprove: async () => ({ approved: false, error: 'access_denied' }) })
      try {
        const res = await get(parameters(client_id, { redirect_uri: OTHER_REDIRECT_URI }), deny)
        expect(res.headers.location).toBe(
          `${OTHER_REDIRECT_URI}?error=access_denied&error_description=the+customer+denied+the+request&state=state+with+spaces+%26+symbols`,
        )
      } finally {
        await deny.close()
      }
    })
  })

  describe('RFC 6749 §4.1.3 the code at the token endpoint', () => {
    it('RFC7636-01 RFC9396-03 PAR, authorization and token exchange give the approved authorization_details', async () => {
      const request_uri = await push({ authorization_details: `[{"type":"${DEMO_CODE_SCOPE}","resolution":"hourly","access_end":"P1D"}]` })
      const code = new URL((await viaPar(request_uri)).headers.location ?? '').searchParams.get('code') ?? ''
      const res = await app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: formHeaders(authorization),
        payload: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: VERIFIER }).toString(),
      })
      expect(res.statusCode).toBe(200)
      expect(res.headers['cache-control']).toBe('no-store')
      // 04:00 in Los Angeles: start_date counts back (P1Y, CDS-WG3-01 §7.3), access_end one day ahead.
      expect(res.json()).toMatchObject({
        token_type: expect.stringMatching(/^bearer$/i),
        scope: DEMO_CODE_SCOPE,
        authorization_details: [{ type: DEMO_CODE_SCOPE, resolution: 'hourly', access_end: '2026-03-02T04:00:00-08:00', start_date: '2025-03-01' }],
      })
    })
  })
})
