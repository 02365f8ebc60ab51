/**
 * The OAuth and Grants checks against deliberately broken servers: the reference server behind
 * the tampering proxy, changed in one way each time. The matching check fails there and passes
 * against the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as oauth from 'oauth4webapi'
import { CheckContext, RunState } from '../src/core/context.js'
import { runConformance, type ConformanceOptions } from '../src/index.js'
import { authorizationParams, codeClientOf } from '../src/wg1-02/oauth/lab.js'
import { startLiveServer, type LiveServer } from './live-server.js'
import { editJson, startTamperingProxy, type Tamper } from './tampering-proxy.js'

/** The status of each check of a run, by id. */
async function statuses(options: ConformanceOptions, only: string[]): Promise<Record<string, string>> {
  const report = await runConformance({ ...options, only })
  return Object.fromEntries(report.results.map((result) => [result.id, result.status]))
}

/** Runs `only` against the proxy with `tamper` and returns the statuses and failure messages. */
async function broken(server: LiveServer, tamper: Tamper, only: string[]): Promise<{ status: Record<string, string>; messages: string }> {
  const proxy = await startTamperingProxy(server, tamper)
  try {
    const report = await runConformance({ ...proxy.options, only })
    return {
      status: Object.fromEntries(report.results.map((result) => [result.id, result.status])),
      messages: report.results.map((result) => result.message ?? '').join('\n'),
    }
  } finally {
    await proxy.close()
  }
}

/** A code-flow Client object of a fresh registration (found as the checks find it) and a valid pushed request of it. */
async function runConformanceRegistration(baseUrl: string): Promise<{ client_id: string; client_secret: string; params: Record<string, string> }> {
  const ctx = new CheckContext(new RunState({ baseUrl, allowLoopbackHttp: true }))
  const client = await codeClientOf(ctx, await ctx.registration())
  const params = Object.fromEntries(Object.entries(await authorizationParams(client)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  return { ...client.credentials, params }
}

const isPath = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}?`) || path.startsWith(`${prefix}/`)

describe('broken OAuth and Grants servers fail the matching checks', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('plain PKCE accepted: a proxy that turns code_challenge_method=plain into S256 fails RFC7636-02', async () => {
    const plainToS256 = (text: string) => text.replace(/code_challenge_method=plain/g, 'code_challenge_method=S256')
    const result = await broken(server, { request: (r) => ({ path: plainToS256(r.path), body: plainToS256(r.body) }) }, ['RFC7636-02', 'RFC7636-04'])
    expect(result.status['RFC7636-02']).toBe('failed')
    expect(result.messages).toContain('plain PKCE request')
    // The tamper leaves other PKCE refusals alone.
    expect(result.status['RFC7636-04']).toBe('passed')
    expect(await statuses(server.options, ['RFC7636-02'])).toEqual({ 'RFC7636-02': 'passed' })
  })

  it('a token response without Cache-Control: no-store fails RFC6749-05', async () => {
    const result = await broken(
      server,
      {
        response: (r) => {
          if (!isPath(r.path, '/oauth/token')) return undefined
          const headers = { ...r.headers }
          delete headers['cache-control']
          delete headers.pragma
          return { headers }
        },
      },
      ['RFC6749-05', 'RFC6749-04'],
    )
    expect(result.status).toEqual({ 'RFC6749-05': 'failed', 'RFC6749-04': 'passed' })
    expect(result.messages).toContain('Cache-Control')
    expect(await statuses(server.options, ['RFC6749-05'])).toEqual({ 'RFC6749-05': 'passed' })
  })

  it('a registration that keeps the submitted redirect_uris fails R1-02-4.1-07 and R1-02-4.2-03', async () => {
    const result = await broken(
      server,
      { response: (r) => (isPath(r.path, '/oauth/register') && r.status === 201 ? { body: editJson(r.body, (v) => (v.redirect_uris = ['https://attacker.conformance.example/cb'])) } : undefined) },
      ['R1-02-4.1-07', 'R1-02-4.2-03'],
    )
    expect(result.status).toEqual({ 'R1-02-4.1-07': 'failed', 'R1-02-4.2-03': 'failed' })
  })

  it('a server that ignores cds_grant_id fails R1-02-8.3-06', async () => {
    const result = await broken(server, { request: (r) => ({ path: r.path.replace(/&cds_grant_id=[^&]*/g, '') }) }, ['R1-02-8.3-06'])
    expect(result.status).toEqual({ 'R1-02-8.3-06': 'failed' })
  })

  it('an inactive token introspected with its details fails RFC7662-03', async () => {
    const result = await broken(
      server,
      { response: (r) => (isPath(r.path, '/oauth/introspect') && r.body.includes('"active":false') ? { body: '{"active":false,"client_id":"leaked"}' } : undefined) },
      ['RFC7662-03'],
    )
    expect(result.status).toEqual({ 'RFC7662-03': 'failed' })
  })

  it('a Grants listing in the wrong order fails R1-02-8.4-12', async () => {
    const result = await broken(
      server,
      {
        response: (r) =>
          isPath(r.path, '/api/grants') && !r.path.startsWith('/api/grants/') && r.status === 200 ? { body: editJson(r.body, (v) => (v.grants as unknown[]).reverse()) } : undefined,
      },
      ['R1-02-8.4-12'],
    )
    expect(result.status).toEqual({ 'R1-02-8.4-12': 'failed' })
  })

  it('a file download with another Content-Type fails R1-02-9.4-01', async () => {
    const result = await broken(
      server,
      { response: (r) => (r.path.startsWith('/api/files/') && r.path.includes('/download') ? { headers: { ...r.headers, 'content-type': 'application/octet-stream' } } : undefined) },
      ['R1-02-9.4-01'],
    )
    expect(result.status).toEqual({ 'R1-02-9.4-01': 'failed' })
  })
}, 300_000)

describe('checks that apply only to some configurations pass on a server configured that way', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer((config) => {
      config.client_management.grant_changes_need_review = true
      config.oauth.require_pushed_authorization_requests = true
    })
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('Grant changes under review (R1-02-8.6-10) and PAR required (RFC9126-08)', async () => {
    const report = await runConformance({ ...server.options, only: ['R1-02-8.6-09', 'R1-02-8.6-10', 'RFC9126-08'] })
    expect(Object.fromEntries(report.results.map((r) => [r.id, r.status]))).toEqual({ 'R1-02-8.6-09': 'not_applicable', 'R1-02-8.6-10': 'passed', 'RFC9126-08': 'passed' })
  })
}, 300_000)

/**
 * An independent OAuth client (oauth4webapi) as a second opinion: it accepts what the real server
 * answers, and rejects the same broken answers the checks reject.
 */
describe('oauth4webapi agrees with the checks', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  /** Discovery, registration and a client-credentials token with oauth4webapi, against `baseUrl`. */
  async function independentClient(baseUrl: string) {
    // The live server listens on loopback http; oauth4webapi needs to be told that this is a test.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- loopback test server without TLS
    const insecure = { [oauth.allowInsecureRequests]: true }
    const issuer = new URL(baseUrl)
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }))
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(as, { scope: 'cds_client_admin', client_name: 'oauth4webapi' }, insecure),
    )
    const client = { client_id: registered.client_id }
    const secret = registered.client_secret
    if (typeof secret !== 'string') throw new Error('the registration answered no client_secret')
    const auth = oauth.ClientSecretBasic(secret)
    const token = () => oauth.clientCredentialsGrantRequest(as, client, auth, { scope: 'cds_client_admin' }, insecure).then((r) => oauth.processClientCredentialsResponse(as, client, r))
    return { as, client, auth, insecure, token }
  }

  it('accepts the real server: discovery, registration, client credentials, introspection, revocation', async () => {
    const { as, client, auth, insecure, token } = await independentClient(server.baseUrl)
    const issued = await token()
    expect(issued.token_type).toBe('bearer')
    const active = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, issued.access_token, insecure))
    expect(active).toMatchObject({ active: true, scope: 'cds_client_admin', client_id: client.client_id })
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, issued.access_token, insecure))
    const after = await oauth.processIntrospectionResponse(as, client, await oauth.introspectionRequest(as, client, auth, issued.access_token, insecure))
    expect(after.active).toBe(false)
    const code = await runConformanceRegistration(server.baseUrl)
    const pushed = await oauth.processPushedAuthorizationResponse(
      as,
      { client_id: code.client_id },
      await oauth.pushedAuthorizationRequest(as, { client_id: code.client_id }, oauth.ClientSecretBasic(code.client_secret), code.params, insecure),
    )
    expect(pushed.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/)
    expect(await statuses(server.options, ['RFC6749-05', 'RFC7662-02', 'RFC7009-01'])).toEqual({ 'RFC6749-05': 'passed', 'RFC7662-02': 'passed', 'RFC7009-01': 'passed' })
  })

  it('a token response without token_type is rejected by oauth4webapi and fails RFC6749-05 and RFC6750-05', async () => {
    const proxy = await startTamperingProxy(server, {
      response: (r) => (isPath(r.path, '/oauth/token') && r.status === 200 ? { body: editJson(r.body, (v) => delete v.token_type) } : undefined),
    })
    try {
      const { token } = await independentClient(proxy.baseUrl)
      await expect(token()).rejects.toThrow(/token_type/)
      expect(await statuses(proxy.options, ['RFC6749-05', 'RFC6750-05'])).toEqual({ 'RFC6749-05': 'failed', 'RFC6750-05': 'failed' })
    } finally {
      await proxy.close()
    }
  })

  it('a PAR answer with 200 instead of 201 is rejected by oauth4webapi and fails RFC9126-01', async () => {
    const proxy = await startTamperingProxy(server, { response: (r) => (isPath(r.path, '/oauth/par') && r.status === 201 ? { status: 200 } : undefined) })
    try {
      const report = await runConformance({ ...proxy.options, only: ['RFC9126-01'] })
      expect(report.results.map((r) => r.status)).toEqual(['failed'])
      // The same pushed request, from oauth4webapi, with the code-flow Client object the checks used.
      const { as, insecure } = await independentClient(proxy.baseUrl)
      const registration = await runConformanceRegistration(proxy.baseUrl)
      const response = await oauth.pushedAuthorizationRequest(as, { client_id: registration.client_id }, oauth.ClientSecretBasic(registration.client_secret), registration.params, insecure)
      await expect(oauth.processPushedAuthorizationResponse(as, { client_id: registration.client_id }, response)).rejects.toThrow(/unexpected HTTP status code/)
    } finally {
      await proxy.close()
    }
  })
}, 300_000)
