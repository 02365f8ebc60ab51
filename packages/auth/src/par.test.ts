import { beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../test/_setup.js'
import {
  basic,
  CHALLENGE,
  CODE_SCOPE,
  codeClient,
  DIRECT_SCOPE,
  OTHER_REDIRECT_URI,
  REDIRECT_URI,
  requestParameters,
  seed,
  settings,
} from '../test/authorization-fixtures.js'
import { memoryStore } from '../test/memory-store.js'
import { clientRecord } from '../test/_setup.js'
import { addSeconds, manualClock } from './clock.js'
import { hashSecret } from './crypto.js'
import { pushAuthorizationRequest, REQUEST_URI_PREFIX, type PushAuthorizationRequestOptions } from './par.js'
import type { AuthStore } from './store.js'

describe('RFC 9126 §2 pushed authorization requests (CDS-WG1-02 §3.2)', () => {
  const clock = manualClock('2025-06-15T15:00:00Z')
  let store: AuthStore
  let options: PushAuthorizationRequestOptions

  beforeEach(async () => {
    store = memoryStore()
    options = { store, clock, settings: settings() }
    await seed(store, codeClient())
    await seed(store, codeClient({ client_id: 'public-client', token_endpoint_auth_method: 'none' }))
    await seed(store, clientRecord({ client_id: 'admin-client' }))
  })

  const push = (body: Record<string, unknown>, authorization: string | undefined = basic('code-client'), opts = options) =>
    pushAuthorizationRequest({ authorization, body }, opts)
  const refused = async (body: Record<string, unknown>, authorization?: string, opts?: PushAuthorizationRequestOptions) =>
    rejection(push(body, authorization ?? basic(typeof body.client_id === 'string' ? body.client_id : 'code-client'), opts ?? options))

  it('RFC9126-01 answers 201 with a request_uri and expires_in, and stores only its digest', async () => {
    const result = await push({ ...requestParameters({ cds_grant_id: 'grant-1', prompt: 'login' }), unknown_parameter: 'ignored' })
    expect(result.status).toBe(201)
    expect(result.body.expires_in).toBe(90)
    expect(result.body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}$/)
    const handle = result.body.request_uri.slice(REQUEST_URI_PREFIX.length)
    const stored = await store.pushedRequests.find(hashSecret(handle))
    expect(stored).toEqual({
      request_uri_hash: hashSecret(handle),
      client_id: 'code-client',
      // RFC 6749 §3.1: unknown parameters are ignored, so they are not kept either.
      parameters: requestParameters({ cds_grant_id: 'grant-1', prompt: 'login' }),
      created: clock.now(),
      expires_at: addSeconds(clock.now(), 90),
      used_at: null,
    })
    expect(await store.pushedRequests.find(handle)).toBeUndefined()
  })

  it('RFC9126-01 two pushes get two different request_uris', async () => {
    const a = await push(requestParameters())
    const b = await push(requestParameters())
    expect(a.body.request_uri).not.toBe(b.body.request_uri)
  })

  it('RFC9126-01 R1-02-3.4-10 a public client pushes with its client_id alone, and needs PKCE', async () => {
    const body = requestParameters({ client_id: 'public-client' })
    expect((await push(body, '')).status).toBe(201)
    const relaxed = { ...options, settings: settings({ pkce_required_for_confidential_clients: false }) }
    const err = await refused({ ...body, code_challenge: undefined, code_challenge_method: undefined }, '', relaxed)
    expect(err).toMatchObject({ error: 'invalid_request', error_description: 'code challenge required' })
  })

  it('RFC6749-03 refuses a wrong secret with 401 invalid_client and a Basic challenge', async () => {
    const err = await refused(requestParameters(), basic('code-client', 'wrong'))
    expect(err).toMatchObject({ error: 'invalid_client', status: 401, wwwAuthenticate: 'Basic realm="cds"' })
    expect((await refused(requestParameters(), '')).error).toBe('invalid_client')
  })

  it('RFC9126-03 refuses a request_uri inside a pushed request', async () => {
    const err = await refused(requestParameters({ request_uri: `${REQUEST_URI_PREFIX}abc` }))
    expect(err).toMatchObject({ error: 'invalid_request', status: 400, error_description: 'request_uri is not allowed in a pushed authorization request' })
  })

  it('RFC 9126 §2.1 client_id is required and must be the authenticated client', async () => {
    expect((await refused(requestParameters({ client_id: undefined }), basic('code-client'))).error_description).toBe('client_id is required')
    expect((await refused(requestParameters({ client_id: 'public-client' }), basic('code-client'))).error).toBe('invalid_request')
  })

  it('RFC9126-02 an unregistered redirect_uri is a direct 400 invalid_request', async () => {
    for (const redirect_uri of ['https://evil.example/cb', 'https://client.example/cb?tenant=a%20b', `${OTHER_REDIRECT_URI}/`]) {
      const err = await refused(requestParameters({ redirect_uri }))
      expect(err, redirect_uri).toMatchObject({ error: 'invalid_request', status: 400, error_description: 'redirect_uri is not registered for this client' })
    }
    expect((await push(requestParameters({ redirect_uri: OTHER_REDIRECT_URI }))).status).toBe(201)
  })

  it('RFC 6749 §4.1.1 response_type must be code', async () => {
    expect((await refused(requestParameters({ response_type: undefined }))).error).toBe('invalid_request')
    expect((await refused(requestParameters({ response_type: 'token' }))).error).toBe('unsupported_response_type')
  })

  it('RFC7636-02 RFC7636-03 RFC7636-04 PKCE: S256 required, plain and a missing method refused', async () => {
    expect((await refused(requestParameters({ code_challenge_method: 'plain' }))).error_description).toBe(
      'transform algorithm not supported: code_challenge_method must be S256',
    )
    expect((await refused(requestParameters({ code_challenge_method: undefined }))).error).toBe('invalid_request')
    expect((await refused(requestParameters({ code_challenge: undefined, code_challenge_method: undefined }))).error_description).toBe('code challenge required')
    expect((await refused(requestParameters({ code_challenge: CHALLENGE.slice(1) }))).error).toBe('invalid_request')
  })

  it('A-08 a confidential client may skip PKCE only where the server relaxes it', async () => {
    const relaxed = { ...options, settings: settings({ pkce_required_for_confidential_clients: false }) }
    expect((await push(requestParameters({ code_challenge: undefined, code_challenge_method: undefined }), basic('code-client'), relaxed)).status).toBe(201)
  })

  it('RFC 6749 §3.3 scopes must be registered and offer the code flow', async () => {
    expect(await refused(requestParameters({ scope: 'nope' }))).toMatchObject({ error: 'invalid_scope', error_description: 'scope nope is not registered for this client' })
    expect((await refused(requestParameters({ scope: DIRECT_SCOPE }))).error_description).toBe(`scope ${DIRECT_SCOPE} cannot be authorized by a customer`)
    expect((await refused(requestParameters({ scope: `${CODE_SCOPE}  x` }))).error).toBe('invalid_scope')
  })

  it('RFC9396-02 invalid authorization_details are a direct 400 invalid_authorization_details', async () => {
    const bad = [
      ['[{"type":"nope"}]', "authorization_details[0].type 'nope' is not an authorization details type of the requested scopes"],
      [`[{"type":"${CODE_SCOPE}","resolution":"daily"}]`, "authorization_details[0].resolution must be one of 'monthly', 'hourly'"],
      [`[{"type":"${CODE_SCOPE}","history_start":"P4Y"}]`, 'authorization_details[0].history_start is further from now than the maximum P3Y'],
      ['{', 'authorization_details is not valid JSON'],
    ]
    for (const [authorization_details, description] of bad) {
      const err = await refused(requestParameters({ authorization_details }))
      expect(err, authorization_details).toMatchObject({ error: 'invalid_authorization_details', status: 400, error_description: description })
    }
  })

  it('RFC9396-05 a type the client is not registered for is refused', async () => {
    await seed(store, codeClient({ client_id: 'no-types', authorization_details_types: [] }))
    const err = await refused(requestParameters({ client_id: 'no-types', authorization_details: `[{"type":"${CODE_SCOPE}"}]` }))
    expect(err.error_description).toBe(`authorization_details[0].type '${CODE_SCOPE}' is not registered for this client`)
  })

  it('RFC6749-06 a client not registered for the code flow is unauthorized_client', async () => {
    const body = requestParameters({ client_id: 'admin-client', redirect_uri: undefined })
    await store.clients.update('admin-client', { redirect_uris: [REDIRECT_URI], cds_default_redirect_uri: REDIRECT_URI })
    expect((await refused(body)).error).toBe('unauthorized_client')
  })

  it('RFC 6749 §3.1 refuses a repeated parameter', async () => {
    expect((await refused({ ...requestParameters(), scope: [CODE_SCOPE, CODE_SCOPE] })).error_description).toBe('scope must not be repeated')
  })

  it('R1-02-8.3-04 cds_grant_id is stored, not judged, at the PAR endpoint', async () => {
    expect((await push(requestParameters({ cds_grant_id: 'no-such-grant' }))).status).toBe(201)
  })
})
