/**
 * The whole OAuth flow of CDS-WG1-02 over a real socket, driven by oauth4webapi as an
 * independent strict client: discovery, registration, client_credentials, PAR + authorization
 * code + PKCE, refresh, introspection, revocation, and the negative cases of issue 3. Runs on
 * every test dialect.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AutoApprove, hashSecret, manualClock, randomOpaqueValue, type ManualClock } from '@cds-ts/auth'
import type { FastifyInstance } from 'fastify'
import * as oauth from 'oauth4webapi'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildServer } from '../src/app.js'
import { DEMO_CODE_SCOPE } from '../src/config/defaults.js'
import { loadConfig } from '../src/config/load-config.js'
import type { ServerConfig } from '../src/config/config-schema.js'
import { KyselyAuthStore } from '../src/db/oauth-store.js'
import { forEachDialect } from './dialects.js'
import { freePort } from './free-port.js'
import { credential } from './records.js'

// The server under test listens on plain http on 127.0.0.1; oauth4webapi needs explicit consent.
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the documented switch for local http testing
const insecure = { [oauth.allowInsecureRequests]: true } as const

/** Expects oauth4webapi to reject with an OAuth error body of this status and code. */
async function expectOAuthError(promise: Promise<unknown>, status: number, error: string): Promise<void> {
  const failure = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (status === 401) {
    // RFC 6749 §5.2: a 401 carries a WWW-Authenticate challenge, which oauth4webapi reports as such.
    expect(failure).toBeInstanceOf(oauth.WWWAuthenticateChallengeError)
    const challenge = failure as oauth.WWWAuthenticateChallengeError
    expect(challenge.status).toBe(401)
    expect(challenge.cause[0]?.scheme).toBe('basic')
    expect(await challenge.response.json()).toMatchObject({ error })
    return
  }
  expect(failure).toBeInstanceOf(oauth.ResponseBodyError)
  expect(failure).toMatchObject({ status, error })
}

forEachDialect('CDS-WG1-02 OAuth flow over HTTP with oauth4webapi', (t) => {
  let app: FastifyInstance
  let config: ServerConfig
  let clock: ManualClock
  let as: oauth.AuthorizationServer
  let admin: oauth.Client
  let adminAuth: oauth.ClientAuth
  let adminSecret = ''
  let codeClient: oauth.Client
  let codeAuth: oauth.ClientAuth
  let receipt = ''

  beforeAll(async () => {
    const port = await freePort()
    config = await loadConfig({ env: { PORT: String(port), CDS_BASE_URL: `http://127.0.0.1:${port}`, CDS_DATABASE_URL: 'memory:' } })
    clock = manualClock()
    // The demo customer approves at once; the login and Authorization Form have their own tests.
    app = await buildServer({ config, database: t.database, clock, customerAuthorization: new AutoApprove('demo-customer') })
    await app.listen({ host: '127.0.0.1', port })
    receipt = `${config.base_url}/oauth/receipt`
  })

  afterAll(async () => {
    await app.close()
  })

  it('R1-01-3-01, R1-02-3.1-01 discovers both metadata documents', async () => {
    const cds = (await (await fetch(`${config.base_url}/.well-known/cds-server-metadata.json`)).json()) as { oauth_metadata: string; capabilities: string[] }
    expect(cds.capabilities).toContain('oauth')
    expect(cds.oauth_metadata).toBe(`${config.base_url}/.well-known/oauth-authorization-server`)
    const issuer = new URL(config.base_url)
    as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }))
    expect(as.issuer).toBe(config.base_url)
    expect(as.code_challenge_methods_supported).toEqual(['S256'])
  })

  it('R1-02-4.2 registers and gets the client-admin Client with its secret (RFC 7591)', async () => {
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(as, { scope: `cds_client_admin ${DEMO_CODE_SCOPE}`, cds_company_name: 'Acme Energy Apps' }, insecure),
    )
    expect(registered.scope).toBe('cds_client_admin')
    expect(typeof registered.client_secret).toBe('string')
    adminSecret = registered.client_secret as string
    admin = { client_id: registered.client_id }
    adminAuth = oauth.ClientSecretBasic(adminSecret)
    // The code-scope Client object of the same registration; its secret is reached through the
    // Credentials API (CDS-WG1-02 §7.5, a later issue), so the test gives it one through the store.
    const row = await t.db
      .selectFrom('clients')
      .select(['client_id', 'redirect_uris'])
      .where('registration_id', '=', (await t.db.selectFrom('clients').select('registration_id').where('client_id', '=', admin.client_id).executeTakeFirstOrThrow()).registration_id)
      .where('scope', '=', DEMO_CODE_SCOPE)
      .executeTakeFirstOrThrow()
    const secret = randomOpaqueValue()
    await new KyselyAuthStore(t.db).credentials.insert(credential(row.client_id, { client_secret_hash: hashSecret(secret) }))
    codeClient = { client_id: row.client_id }
    codeAuth = oauth.ClientSecretBasic(secret)
    expect(JSON.stringify(row.redirect_uris)).toContain(receipt)
  })

  it('client_credentials for the client admin scope, then introspection and revocation', async () => {
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      admin,
      await oauth.clientCredentialsGrantRequest(as, admin, adminAuth, new URLSearchParams({ scope: 'cds_client_admin' }), insecure),
    )
    expect(tokens.token_type).toBe('bearer')
    expect(tokens.scope).toBe('cds_client_admin')
    const active = await oauth.processIntrospectionResponse(as, admin, await oauth.introspectionRequest(as, admin, adminAuth, tokens.access_token, insecure))
    expect(active).toMatchObject({ active: true, client_id: admin.client_id, scope: 'cds_client_admin' })
    await oauth.processRevocationResponse(await oauth.revocationRequest(as, admin, adminAuth, tokens.access_token, insecure))
    const revoked = await oauth.processIntrospectionResponse(as, admin, await oauth.introspectionRequest(as, admin, adminAuth, tokens.access_token, insecure))
    expect(revoked.active).toBe(false)
  })

  /** PAR, then the authorization endpoint; returns the callback parameters and the verifier. */
  async function authorize(state = oauth.generateRandomState()) {
    const code_verifier = oauth.generateRandomCodeVerifier()
    const params = new URLSearchParams({
      response_type: 'code',
      redirect_uri: receipt,
      scope: DEMO_CODE_SCOPE,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(code_verifier),
      code_challenge_method: 'S256',
    })
    const par = await oauth.processPushedAuthorizationResponse(as, codeClient, await oauth.pushedAuthorizationRequest(as, codeClient, codeAuth, params, insecure))
    const url = new URL(as.authorization_endpoint!)
    url.searchParams.set('client_id', codeClient.client_id)
    url.searchParams.set('request_uri', par.request_uri)
    const response = await fetch(url, { redirect: 'manual' })
    expect(response.status).toBe(302)
    const location = new URL(response.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe(receipt)
    return { callback: oauth.validateAuthResponse(as, codeClient, location, state), code_verifier, request_uri: par.request_uri, url }
  }

  it('PAR + authorization code + PKCE S256, then refresh with rotation', async () => {
    const { callback, code_verifier } = await authorize()
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      codeClient,
      await oauth.authorizationCodeGrantRequest(as, codeClient, codeAuth, callback, receipt, code_verifier, insecure),
    )
    expect(tokens.scope).toBe(DEMO_CODE_SCOPE)
    expect(tokens.refresh_token).toBeTypeOf('string')
    expect(tokens.authorization_details?.[0]).toMatchObject({ type: DEMO_CODE_SCOPE })
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      codeClient,
      await oauth.refreshTokenGrantRequest(as, codeClient, codeAuth, tokens.refresh_token!, insecure),
    )
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token)
    // The rotated refresh token no longer works (RFC 9700 §4.14.2).
    await expectOAuthError(
      oauth.processRefreshTokenResponse(as, codeClient, await oauth.refreshTokenGrantRequest(as, codeClient, codeAuth, tokens.refresh_token!, insecure)),
      400,
      'invalid_grant',
    )
  })

  it('RFC 6749 §4.1.2: a reused code fails and revokes the tokens issued from it', async () => {
    const { callback, code_verifier } = await authorize()
    const first = await oauth.processAuthorizationCodeResponse(
      as,
      codeClient,
      await oauth.authorizationCodeGrantRequest(as, codeClient, codeAuth, callback, receipt, code_verifier, insecure),
    )
    await expectOAuthError(
      oauth.processAuthorizationCodeResponse(as, codeClient, await oauth.authorizationCodeGrantRequest(as, codeClient, codeAuth, callback, receipt, code_verifier, insecure)),
      400,
      'invalid_grant',
    )
    const after = await oauth.processIntrospectionResponse(as, codeClient, await oauth.introspectionRequest(as, codeClient, codeAuth, first.access_token, insecure))
    expect(after.active).toBe(false)
  })

  it('RFC 7636 §4.6: a PKCE verifier that does not match is refused', async () => {
    const { callback } = await authorize()
    await expectOAuthError(
      oauth.processAuthorizationCodeResponse(
        as,
        codeClient,
        await oauth.authorizationCodeGrantRequest(as, codeClient, codeAuth, callback, receipt, oauth.generateRandomCodeVerifier(), insecure),
      ),
      400,
      'invalid_grant',
    )
  })

  it('RFC 6749 §4.1.2: an expired code is refused', async () => {
    const { callback, code_verifier } = await authorize()
    clock.advance(config.token_lifetimes.authorization_code * 1000 + 1000)
    await expectOAuthError(
      oauth.processAuthorizationCodeResponse(as, codeClient, await oauth.authorizationCodeGrantRequest(as, codeClient, codeAuth, callback, receipt, code_verifier, insecure)),
      400,
      'invalid_grant',
    )
  })

  it('RFC 9126 §4: a request_uri is single use', async () => {
    const { url } = await authorize()
    const replay = await fetch(url, { redirect: 'manual' })
    expect(replay.status).toBe(400)
    expect(await replay.json()).toMatchObject({ error: 'invalid_request' })
  })

  /** Pushes an authorization request and expects an OAuth error. */
  async function expectParError(overrides: Record<string, string>, error: string): Promise<void> {
    const params = new URLSearchParams({
      response_type: 'code',
      redirect_uri: receipt,
      scope: DEMO_CODE_SCOPE,
      code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
      code_challenge_method: 'S256',
      ...overrides,
    })
    await expectOAuthError(
      oauth.processPushedAuthorizationResponse(as, codeClient, await oauth.pushedAuthorizationRequest(as, codeClient, codeAuth, params, insecure)),
      400,
      error,
    )
  }

  it('CDS-WG1-02 §3.4: plain PKCE is refused', async () => {
    await expectParError({ code_challenge: oauth.generateRandomCodeVerifier(), code_challenge_method: 'plain' }, 'invalid_request')
  })

  it('RFC 6749 §3.1.2.3: a redirect_uri that is not registered is refused', async () => {
    await expectParError({ redirect_uri: 'https://attacker.example/cb' }, 'invalid_request')
  })

  it('RFC 9396 §5: invalid authorization_details are refused', async () => {
    await expectParError({ authorization_details: JSON.stringify([{ type: DEMO_CODE_SCOPE, start_date: 'P40Y' }]) }, 'invalid_authorization_details')
  })

  it('RFC 6749 §5.2: an unknown scope is refused', async () => {
    await expectOAuthError(
      oauth.processClientCredentialsResponse(as, admin, await oauth.clientCredentialsGrantRequest(as, admin, adminAuth, new URLSearchParams({ scope: 'no_such_scope' }), insecure)),
      400,
      'invalid_scope',
    )
  })

  it('RFC 6749 §5.2: a wrong secret is invalid_client (401)', async () => {
    await expectOAuthError(
      oauth.processClientCredentialsResponse(
        as,
        admin,
        await oauth.clientCredentialsGrantRequest(as, admin, oauth.ClientSecretBasic('wrong'), new URLSearchParams({ scope: 'cds_client_admin' }), insecure),
      ),
      401,
      'invalid_client',
    )
  })

  it('CDS-WG1-02 §7.6: an expired secret is invalid_client, and its tokens stop working', async () => {
    const tokens = await oauth.processClientCredentialsResponse(
      as,
      admin,
      await oauth.clientCredentialsGrantRequest(as, admin, adminAuth, new URLSearchParams({ scope: 'cds_client_admin' }), insecure),
    )
    const past = Math.floor(clock.now().getTime() / 1000) - 1
    await t.db.updateTable('credentials').set({ client_secret_expires_at: past }).where('client_id', '=', admin.client_id).execute()
    await expectOAuthError(
      oauth.processClientCredentialsResponse(as, admin, await oauth.clientCredentialsGrantRequest(as, admin, adminAuth, new URLSearchParams({ scope: 'cds_client_admin' }), insecure)),
      401,
      'invalid_client',
    )
    const introspected = await oauth.processIntrospectionResponse(as, codeClient, await oauth.introspectionRequest(as, codeClient, codeAuth, tokens.access_token, insecure))
    expect(introspected.active).toBe(false)
  })
})

describe('restarting the server keeps clients, credentials and tokens (PGlite data directory)', () => {
  it('a token issued before the restart introspects as active after it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cds-restart-'))
    const port = await freePort()
    const env = { PORT: String(port), CDS_BASE_URL: `http://127.0.0.1:${port}`, CDS_DATABASE_URL: join(dir, 'pglite') }
    try {
      const config = await loadConfig({ env })
      let app = await buildServer({ config })
      await app.listen({ host: '127.0.0.1', port })
      const issuer = new URL(config.base_url)
      const server = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }))
      const registered = await oauth.processDynamicClientRegistrationResponse(await oauth.dynamicClientRegistrationRequest(server, { scope: 'cds_client_admin' }, insecure))
      const client = { client_id: registered.client_id }
      const auth = oauth.ClientSecretBasic(registered.client_secret as string)
      const tokens = await oauth.processClientCredentialsResponse(
        server,
        client,
        await oauth.clientCredentialsGrantRequest(server, client, auth, new URLSearchParams({ scope: 'cds_client_admin' }), insecure),
      )
      await app.close()

      app = await buildServer({ config: await loadConfig({ env }) })
      await app.listen({ host: '127.0.0.1', port })
      try {
        const introspected = await oauth.processIntrospectionResponse(server, client, await oauth.introspectionRequest(server, client, auth, tokens.access_token, insecure))
        expect(introspected).toMatchObject({ active: true, client_id: client.client_id })
      } finally {
        await app.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
    // Two cold starts of an on-disk PGlite (initdb on the first) take 20–40 s on a busy 2-core machine.
  }, 120_000)
})
