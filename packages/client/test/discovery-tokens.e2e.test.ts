/**
 * Discovery, registration and tokens against the reference server on a socket: both metadata
 * documents, an RFC 7591 registration, `client_credentials` tokens cached per scope and
 * `authorization_details`, renewed when the injected clock passes their expiry or when the
 * server revokes them, and the typed errors of refused requests.
 */
import { describe, expect, it } from 'vitest'
import {
  CdsClient,
  CdsProtocolError,
  CdsResponseError,
  clientCredentialsGrantRequest,
  discover,
  processRegistrationResponse,
  processTokenResponse,
  registrationRequest,
  serverMetadataUrl,
  type Discovery,
} from '../src/index.js'
import { liveServer, manualClock, register } from './live.js'

describe('CDS-WG1-01 §3, CDS-WG1-02 §3 discovery', () => {
  it('R1-01-3.1 reads the CDS Server Metadata at the well-known URI, then oauth_metadata', async () => {
    const { baseUrl } = liveServer()
    const warnings: string[] = []
    const found: Discovery = await discover(baseUrl, { onWarnings: (issues, context) => warnings.push(`${context.schema}${issues[0]?.path ?? ''}`) })
    expect(serverMetadataUrl(baseUrl).href).toBe(`${baseUrl}/.well-known/cds-server-metadata.json`)
    expect(found.server).toMatchObject({ cds_metadata_version: 'v1', oauth_metadata: `${baseUrl}/.well-known/oauth-authorization-server` })
    expect(found.server.capabilities).toContain('oauth')
    expect(found.authorizationServer).toMatchObject({
      issuer: baseUrl,
      token_endpoint: `${baseUrl}/oauth/token`,
      pushed_authorization_request_endpoint: `${baseUrl}/oauth/par`,
      cds_clients_api: `${baseUrl}/api/clients`,
      // CDS-WG3-01 §5 members ride along.
      cds_customerdata_version: 'v1',
      cds_usagesegments_api: `${baseUrl}/api/usagesegments`,
    })
    expect(found.authorizationServer.cds_scope_descriptions.cds_client_admin?.type).toBe('cds_client_admin')
    // The http:// issuer of a local server breaks the schema's https pattern: kept, with a warning.
    expect(warnings).toEqual(['AuthorizationServerMetadata/issuer'])
  })

  it('discovers from a full metadata URL too (a Client object\u2019s cds_server_metadata)', async () => {
    const { baseUrl } = liveServer()
    const cds = await CdsClient.discover(`${baseUrl}/.well-known/cds-server-metadata.json`)
    expect(cds.serverMetadata?.name).toBe('Demo Gas & Electric')
    expect(cds.clientId).toBeUndefined()
    await expect(cds.token()).rejects.toThrow(TypeError)
  })

  it('a server without that document is UNEXPECTED_STATUS or an error body, never a crash', async () => {
    const { baseUrl } = liveServer()
    const failure = await discover(`${baseUrl}/no-such-metadata.json`).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsResponseError)
    expect(failure).toMatchObject({ status: 404, code: 'RESPONSE_BODY_ERROR' })
  })
})

describe('CDS-WG1-02 §4 registration', () => {
  it('R1-02-4.2 the request/process pair returns the Client Admin Client object with its secret', async () => {
    const { authorizationServer } = await discover(liveServer().baseUrl)
    const registered = await processRegistrationResponse(
      await registrationRequest(authorizationServer, { scope: 'cds_client_admin cds_query_accounts', client_name: 'Pair test' }),
    )
    expect(registered).toMatchObject({ scope: 'cds_client_admin', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic', redirect_uris: [] })
    expect(registered.client_secret).toMatch(/^\S{20,}$/)
  })

  it('R1-02-4.1 refuses a registration without cds_client_admin or with an undescribed scope before sending', async () => {
    const { authorizationServer } = await discover(liveServer().baseUrl)
    await expect(registrationRequest(authorizationServer, { scope: 'cds_query_accounts' })).rejects.toThrow(/cds_client_admin/)
    await expect(registrationRequest(authorizationServer, { scope: ['cds_client_admin', 'openid'] })).rejects.toThrow(/not in cds_scope_descriptions.*openid/)
  })

  it('RFC 7591 §3.2.2 a refused registration is a CdsResponseError with the OAuth error', async () => {
    const cds = await CdsClient.discover(liveServer().baseUrl)
    const failure = await cds.register({ scope: 'cds_client_admin', client_name: 'x', logo_uri: 'not a url' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsResponseError)
    const error = failure as CdsResponseError
    expect(error.status).toBe(400)
    expect(error.error).toBe('invalid_client_metadata')
    expect(error.error_description).toMatch(/logo_uri/)
  })
})

describe('RFC 6749 §4.4 client_credentials tokens, cached and renewed', () => {
  it('caches per scope and authorization_details, renews after expiry on the injected clock', async () => {
    const clock = manualClock()
    const reg = await register(['cds_query_accounts'], { now: clock.now })
    const first = await reg.admin.token()
    expect(first).toMatchObject({ token_type: 'Bearer', scope: 'cds_client_admin' })
    expect(first.expires_at).toBeGreaterThan(clock.now())
    expect((await reg.admin.token({ scope: ['cds_client_admin'] })).access_token).toBe(first.access_token)
    expect(await reg.admin.accessToken()).toBe(first.access_token)

    const query = reg.clientFor('cds_query_accounts')
    const plain = await query.token({ scope: 'cds_query_accounts' })
    const detailed = await query.token({ scope: 'cds_query_accounts', authorization_details: [{ type: 'cds_query_accounts', include_account_numbers: true }] })
    expect(detailed.access_token).not.toBe(plain.access_token)
    expect(detailed.authorization_details?.[0]).toMatchObject({ type: 'cds_query_accounts', include_account_numbers: true })
    // Members in another order are the same request.
    const again = await query.token({ authorization_details: [{ include_account_numbers: true, type: 'cds_query_accounts' }], scope: 'cds_query_accounts' })
    expect(again.access_token).toBe(detailed.access_token)

    // 30 seconds before expiry (the default margin) the token is renewed.
    clock.advance((first.expires_at ?? 0) - clock.now() - 29_000)
    const renewed = await reg.admin.token()
    expect(renewed.access_token).not.toBe(first.access_token)
    expect(await reg.admin.token()).toBe(renewed)
  })

  it('concurrent callers share one token request', async () => {
    const reg = await register([])
    const fresh = reg.admin.withClient(reg.registration)
    const tokens = await Promise.all([fresh.token(), fresh.token(), fresh.token()])
    expect(new Set(tokens.map((t) => t.access_token)).size).toBe(1)
  })

  it('RFC 6750 §3.1 a revoked token is renewed once when an API answers 401', async () => {
    const reg = await register([])
    const before = await reg.admin.token()
    const { authorizationServer } = reg.admin
    const revoked = await fetch(authorizationServer.revocation_endpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${reg.registration.client_id}:${reg.registration.client_secret}`)}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: before.access_token }).toString(),
    })
    expect(revoked.status).toBe(200)
    const listing = await reg.admin.clients.list()
    expect(listing.clients.length).toBeGreaterThan(0)
    expect((await reg.admin.token()).access_token).not.toBe(before.access_token)
  })
})

describe('typed errors', () => {
  it('RFC 6749 §5.2 a wrong secret is a CdsResponseError invalid_client with its challenge', async () => {
    const reg = await register([])
    const wrong = reg.admin.withClient({ client_id: reg.registration.client_id, client_secret: 'not-the-secret' })
    const failure = await wrong.token().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsResponseError)
    expect(failure).toMatchObject({ code: 'RESPONSE_BODY_ERROR', error: 'invalid_client', status: 401 })
    const error = failure as CdsResponseError
    expect(error.wwwAuthenticate).toMatch(/^Basic/i)
    expect(error.response.headers.get('cache-control')).toBe('no-store')
  })

  it('RFC 6749 §5.2 an unregistered scope is invalid_scope; the pair gives the same error', async () => {
    const reg = await register([])
    const response = await clientCredentialsGrantRequest(reg.admin.authorizationServer, reg.registration, { scope: 'cds_query_usage' })
    const failure = await processTokenResponse(response).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsResponseError)
    expect((failure as CdsResponseError).status).toBe(400)
    expect(['invalid_scope', 'unauthorized_client']).toContain((failure as CdsResponseError).error)
  })

  it('RFC 6750 §3.1 a bad bearer token is invalid_token 401; a missing object is 404', async () => {
    const reg = await register([])
    const anonymous = reg.admin.customerData('not-a-token')
    const failure = await anonymous.accounts.list().catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsResponseError)
    expect(failure).toMatchObject({ error: 'invalid_token', status: 401 })
    expect((failure as CdsResponseError).wwwAuthenticate).toMatch(/^Bearer/)
    const missing = await reg.admin.grants.get(`${reg.admin.authorizationServer.cds_grants_api}/no-such-grant`).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(CdsResponseError)
    expect(missing).toMatchObject({ status: 404 })
  })

  it('a URL outside the metadata\u2019s origins gets no token (UNTRUSTED_ORIGIN)', async () => {
    const reg = await register([])
    const failure = await reg.admin.grants.get('http://127.0.0.2:9/api/grants/x').catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsProtocolError)
    expect(failure).toMatchObject({ code: 'UNTRUSTED_ORIGIN' })
    const plain = await reg.admin.grants.get('http://example.com/api/grants/x').catch((e: unknown) => e)
    expect(plain).toMatchObject({ code: 'INSECURE_URL' })
  })
})
