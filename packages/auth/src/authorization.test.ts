import { beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../test/_setup.js'
import {
  basic,
  CHALLENGE,
  CODE_SCOPE,
  codeClient,
  OTHER_REDIRECT_URI,
  REDIRECT_URI,
  requestParameters,
  seed,
  settings,
} from '../test/authorization-fixtures.js'
import { memoryStore } from '../test/memory-store.js'
import { authorize, type AuthorizationGrants, type AuthorizeOptions } from './authorization.js'
import { appendQuery } from './authorization-redirect.js'
import { addSeconds, manualClock } from './clock.js'
import { hashSecret } from './crypto.js'
import { AutoApprove, type CustomerAuthorization, type CustomerAuthorizationRequest } from './customer-authorization.js'
import { CdsGrantIdInvalidUser, ServerError } from './errors.js'
import { pushAuthorizationRequest } from './par.js'
import type { AuthStore } from './store.js'

/** The query parameters of a redirect, in order. */
const query = (location: string) => [...new URL(location).searchParams]
const codeOf = (location: string) => new URL(location).searchParams.get('code') ?? ''

describe('RFC 6749 §4.1 the authorization endpoint (CDS-WG1-02 §8.3)', () => {
  // 2025-06-15 10:00 in Chicago.
  const clock = manualClock('2025-06-15T15:00:00Z')
  let store: AuthStore
  let options: AuthorizeOptions
  let seen: CustomerAuthorizationRequest[]

  beforeEach(async () => {
    clock.set('2025-06-15T15:00:00Z')
    store = memoryStore()
    seen = []
    const approve = new AutoApprove('customer-7')
    options = {
      store,
      clock,
      settings: settings(),
      customerAuthorization: {
        authenticateAndApprove: async (request) => {
          seen.push(request)
          return approve.authenticateAndApprove()
        },
      },
    }
    await seed(store, codeClient())
    await seed(store, codeClient({ client_id: 'other-client' }))
  })

  const push = async (overrides: Record<string, string | undefined> = {}, client_id = 'code-client') =>
    (await pushAuthorizationRequest({ authorization: basic(client_id), body: requestParameters({ client_id, ...overrides }) }, { store, clock, settings: settings() })).body.request_uri

  describe('RFC 9126 §4 with a pushed request', () => {
    it('RFC9126-05 RFC6749-14 redirects with a code and the state, keeping the client query parameters', async () => {
      const request_uri = await push()
      const { location, response } = await authorize({ client_id: 'code-client', request_uri }, options)
      expect(location.startsWith(`${REDIRECT_URI}&code=`)).toBe(true)
      expect(query(location)).toEqual([
        ['tenant', 'a b'],
        ['x', ''],
        ['code', codeOf(location)],
        ['state', 'xyz 1/2'],
      ])
      expect(response).toEqual({ code: codeOf(location), state: 'xyz 1/2' })
    })

    it('RFC6749-11 RFC6749-12 issues a single-use code, stored hashed and bound to the request', async () => {
      const request_uri = await push({ authorization_details: `[{"type":"${CODE_SCOPE}","resolution":"hourly"}]` })
      // R1-02-3.9-03: relative dates resolve at the approval, not at the push.
      clock.advance(30)
      const { location } = await authorize({ client_id: 'code-client', request_uri }, options)
      const code = codeOf(location)
      const consumed = await store.codes.consume(hashSecret(code), clock.now())
      expect(consumed).toEqual({
        replay: false,
        record: {
          code_hash: hashSecret(code),
          client_id: 'code-client',
          redirect_uri: REDIRECT_URI,
          code_challenge: CHALLENGE,
          code_challenge_method: 'S256',
          scope: CODE_SCOPE,
          authorization_details: [{ type: CODE_SCOPE, resolution: 'hourly', history_start: '2024-06-15', access_end: '2025-06-16T10:00:30-05:00' }],
          grant_id: null,
          created: clock.now(),
          expires_at: addSeconds(clock.now(), 60),
          used_at: null,
        },
      })
      expect(seen[0]).toMatchObject({ scope: CODE_SCOPE, redirect_uri: REDIRECT_URI, state: 'xyz 1/2', prompt: undefined, cds_grant_id: undefined })
    })

    it('RFC9126-05 the pushed parameters are authoritative; the query adds nothing', async () => {
      const request_uri = await push()
      const { location } = await authorize({ client_id: 'code-client', request_uri, state: 'other', redirect_uri: OTHER_REDIRECT_URI }, options)
      expect(location.startsWith(REDIRECT_URI)).toBe(true)
      expect(new URL(location).searchParams.get('state')).toBe('xyz 1/2')
    })

    it('RFC9126-06 a request_uri works once; a replay gets an error to show, not a redirect', async () => {
      const request_uri = await push()
      await authorize({ client_id: 'code-client', request_uri }, options)
      const err = await rejection(authorize({ client_id: 'code-client', request_uri }, options))
      expect(err).toMatchObject({ error: 'invalid_request', status: 400, error_description: 'request_uri has already been used' })
    })

    it('RFC9126-06 a request_uri expires after expires_in seconds', async () => {
      const request_uri = await push()
      clock.advance(90)
      expect((await rejection(authorize({ client_id: 'code-client', request_uri }, options))).error_description).toBe('request_uri has expired')
      const fresh = await push()
      clock.advance(89)
      expect((await authorize({ client_id: 'code-client', request_uri: fresh }, options)).response).toHaveProperty('code')
    })

    it('RFC9126-05 only the client that pushed the request may use it', async () => {
      const request_uri = await push()
      const err = await rejection(authorize({ client_id: 'other-client', request_uri }, options))
      expect(err.error_description).toBe('request_uri was pushed by another client')
      // That attempt used it up.
      expect((await rejection(authorize({ client_id: 'code-client', request_uri }, options))).error_description).toBe('request_uri has already been used')
    })

    it('RFC9126-06 an unknown or foreign request_uri, or one without client_id, is shown as an error', async () => {
      expect((await rejection(authorize({ client_id: 'code-client', request_uri: 'urn:ietf:params:oauth:request_uri:nope' }, options))).error_description).toBe('request_uri is unknown')
      expect((await rejection(authorize({ client_id: 'code-client', request_uri: 'https://evil.example/r' }, options))).error_description).toBe(
        'request_uri was not issued by this server',
      )
      expect((await rejection(authorize({ request_uri: await push() }, options))).error_description).toBe('client_id is required')
    })

    it('R1-02-8.3-04 R1-02-8.3-06 a pushed cds_grant_id is checked before login and redirected when invalid', async () => {
      const request_uri = await push({ cds_grant_id: 'bogus' })
      const { location } = await authorize({ client_id: 'code-client', request_uri }, options)
      expect(query(location).slice(2)).toEqual([
        ['error', 'cds_grant_id_invalid_value'],
        ['error_description', 'cds_grant_id does not name a Grant this request may authorize'],
        ['state', 'xyz 1/2'],
      ])
      expect(seen).toEqual([])
    })
  })

  describe('RFC 6749 §4.1.1 a direct request', () => {
    const direct = (overrides: Record<string, string | string[] | undefined> = {}) => authorize({ ...requestParameters(), ...overrides }, options)

    it('RFC6749-08 works without PAR unless the server requires it', async () => {
      expect((await direct()).response).toMatchObject({ state: 'xyz 1/2' })
      const strict = { ...options, settings: settings({ require_pushed_authorization_requests: true }) }
      const { location } = await authorize(requestParameters(), strict)
      expect(new URL(location).searchParams.get('error')).toBe('invalid_request')
      expect(new URL(location).searchParams.get('state')).toBe('xyz 1/2')
      expect(seen).toHaveLength(1)
    })

    it('RFC6749-09 an unregistered redirect_uri or unknown client is an error to show, never a redirect', async () => {
      for (const redirect_uri of ['https://evil.example/cb', 'https://client.example/cb?tenant=a+b&x', 'https://client.example/cb']) {
        const err = await rejection(direct({ redirect_uri }))
        expect(err, redirect_uri).toMatchObject({ error: 'invalid_request', status: 400, error_description: 'redirect_uri is not registered for this client' })
      }
      expect((await rejection(direct({ client_id: 'nobody' }))).error_description).toBe('client_id is not a known client')
      expect((await rejection(direct({ client_id: undefined }))).error_description).toBe('client_id is required')
      expect((await rejection(direct({ redirect_uri: [REDIRECT_URI, REDIRECT_URI] }))).error_description).toBe('redirect_uri must not be repeated')
      expect((await rejection(direct({ client_id: ['code-client', 'other-client'] }))).error_description).toBe('client_id must not be repeated')
    })

    it('R1-02-5.2-04 a disabled client gets an error page', async () => {
      await store.clients.update('code-client', { cds_status: 'disabled' })
      expect(await rejection(direct())).toMatchObject({ error: 'unauthorized_client', error_description: 'this client is disabled' })
    })

    it('R1-02-5.1-20 without redirect_uri the default is used, and the code records no redirect_uri', async () => {
      const { location } = await direct({ redirect_uri: undefined })
      expect(location.startsWith(`${REDIRECT_URI}&code=`)).toBe(true)
      expect((await store.codes.consume(hashSecret(codeOf(location)), clock.now()))?.record.redirect_uri).toBeNull()
      // RFC 6749 §3.1: an empty parameter counts as absent.
      expect((await direct({ redirect_uri: '' })).location.startsWith(REDIRECT_URI)).toBe(true)
      await store.clients.update('code-client', { cds_default_redirect_uri: undefined })
      expect((await rejection(direct({ redirect_uri: undefined }))).error_description).toBe('redirect_uri is required: this client has no default')
    })

    it('RFC 6749 §3.1.2 the other registered redirect_uri, without a query, gets one', async () => {
      const { location } = await direct({ redirect_uri: OTHER_REDIRECT_URI, state: undefined })
      expect(location).toBe(`${OTHER_REDIRECT_URI}?code=${codeOf(location)}`)
    })

    it('RFC7636-02 RFC7636-03 RFC7636-04 PKCE errors are redirected with the state', async () => {
      const cases: [Record<string, string | undefined>, string][] = [
        [{ code_challenge_method: 'plain' }, 'transform algorithm not supported: code_challenge_method must be S256'],
        [{ code_challenge_method: undefined }, 'code_challenge_method is required and must be S256'],
        [{ code_challenge: undefined, code_challenge_method: undefined }, 'code challenge required'],
      ]
      for (const [overrides, description] of cases) {
        const { location, response } = await direct(overrides)
        expect(response).toEqual({ error: 'invalid_request', error_description: description, state: 'xyz 1/2' })
        expect(location.startsWith(`${REDIRECT_URI}&error=invalid_request&error_description=`)).toBe(true)
      }
      expect(seen).toEqual([])
    })

    it('RFC6749-10 R1-02-8.3-05 response_type is checked first and redirected', async () => {
      const { response } = await direct({ response_type: 'token', cds_grant_id: 'bogus' })
      expect(response).toMatchObject({ error: 'unsupported_response_type', state: 'xyz 1/2' })
    })

    it('RFC9396-02 invalid authorization_details are redirected as invalid_authorization_details', async () => {
      const { response } = await direct({ authorization_details: `[{"type":"${CODE_SCOPE}","actions":["read"]}]`, state: undefined })
      expect(response).toEqual({ error: 'invalid_authorization_details', error_description: `authorization_details[0].actions is not a field of type '${CODE_SCOPE}'` })
    })

    it('RFC 6749 §3.1 a repeated parameter is redirected as invalid_request', async () => {
      const { response } = await direct({ scope: [CODE_SCOPE, CODE_SCOPE] })
      expect(response).toMatchObject({ error: 'invalid_request', error_description: 'scope must not be repeated' })
    })

    it('R1-02-5.1-20 A-32 no scope and no authorization_details takes the client defaults', async () => {
      await store.clients.update('code-client', { cds_default_authorization_details: [{ type: CODE_SCOPE, resolution: 'hourly' } as never] })
      await direct({ scope: undefined })
      expect(seen[0]).toMatchObject({ scope: CODE_SCOPE, authorization_details: [{ type: CODE_SCOPE, resolution: 'hourly', history_start: '2024-06-15' }] })
    })

    it('RFC9396-06 authorization_details alone stand for their scope', async () => {
      await direct({ scope: undefined, authorization_details: `[{"type":"${CODE_SCOPE}","history_start":"2023-01-01"}]` })
      expect(seen[0]).toMatchObject({ scope: CODE_SCOPE, authorization_details: [{ type: CODE_SCOPE, history_start: '2023-01-01', resolution: 'monthly' }] })
    })

    it('RFC6749-10 a customer who refuses sends access_denied back with the state', async () => {
      const deny: CustomerAuthorization = { authenticateAndApprove: async () => ({ approved: false, error: 'access_denied' }) }
      const { location } = await authorize(requestParameters(), { ...options, customerAuthorization: deny })
      expect(query(location).slice(2)).toEqual([
        ['error', 'access_denied'],
        ['error_description', 'the customer denied the request'],
        ['state', 'xyz 1/2'],
      ])
    })

    it('keeps the details a customer narrows to, after checking them again', async () => {
      const narrow = (resolution: string): CustomerAuthorization => ({
        authenticateAndApprove: async () => ({ approved: true, customer_id: 'c', authorization_details: [{ type: CODE_SCOPE, resolution }] }),
      })
      const ok = await authorize(requestParameters(), { ...options, customerAuthorization: narrow('hourly') })
      expect((await store.codes.consume(hashSecret(codeOf(ok.location)), clock.now()))?.record.authorization_details).toEqual([
        { type: CODE_SCOPE, resolution: 'hourly', history_start: '2024-06-15', access_end: '2025-06-16T10:00:00-05:00' },
      ])
      expect((await authorize(requestParameters(), { ...options, customerAuthorization: narrow('daily') })).response).toHaveProperty('error', 'invalid_authorization_details')
    })
  })

  describe('CDS-WG1-02 §8.3 Grants', () => {
    const grants = (valid: boolean, record: AuthorizationGrants['recordApproval'] = async () => 'grant-9'): AuthorizationGrants => ({
      isGrantIdValid: async (id) => valid && id === 'grant-9',
      recordApproval: record,
    })

    it('R1-02-8.3-11 records the approval as a Grant and binds the code to it', async () => {
      const approvals: unknown[] = []
      const withGrants = { ...options, grants: grants(true, async (approval) => (approvals.push(approval), 'grant-9')) }
      const { location } = await authorize(requestParameters({ cds_grant_id: 'grant-9', prompt: 'login' }), withGrants)
      expect((await store.codes.consume(hashSecret(codeOf(location)), clock.now()))?.record.grant_id).toBe('grant-9')
      expect(approvals).toEqual([
        {
          client_id: 'code-client',
          customer_id: 'customer-7',
          scope: CODE_SCOPE,
          authorization_details: expect.any(Array),
          cds_grant_id: 'grant-9',
          approved_at: clock.now(),
          selections: [],
        },
      ])
      expect(seen[0]).toMatchObject({ prompt: 'login', cds_grant_id: 'grant-9' })
    })

    it('R1-02-8.3-06 R1-02-8.3-07 an invalid cds_grant_id is redirected before login; an empty one is absent', async () => {
      const withGrants = { ...options, grants: grants(false) }
      expect((await authorize(requestParameters({ cds_grant_id: 'grant-9' }), withGrants)).response).toHaveProperty('error', 'cds_grant_id_invalid_value')
      expect(seen).toEqual([])
      expect((await authorize({ ...requestParameters(), cds_grant_id: '' }, withGrants)).response).toHaveProperty('code')
    })

    it('R1-02-8.3-08 several cds_grant_id values are invalid_request', async () => {
      expect((await authorize({ ...requestParameters(), cds_grant_id: ['a', 'b'] }, options)).response).toHaveProperty('error', 'invalid_request')
    })

    it('R1-02-8.3-10 an error after login is redirected too; a server error without its details', async () => {
      const wrongUser = { ...options, grants: grants(true, async () => Promise.reject(new CdsGrantIdInvalidUser())) }
      expect((await authorize(requestParameters({ cds_grant_id: 'grant-9' }), wrongUser)).response).toHaveProperty('error', 'cds_grant_id_invalid_user')
      const broken = { ...options, grants: grants(true, async () => Promise.reject(new ServerError('database on fire'))) }
      expect((await authorize(requestParameters(), broken)).response).toEqual({ error: 'server_error', state: 'xyz 1/2' })
      const crash = { ...options, grants: grants(true, async () => Promise.reject(new Error('boom'))) }
      await expect(authorize(requestParameters(), crash)).rejects.toThrow('boom')
    })
  })
})

describe('RFC 6749 §3.1.2 appending to a redirect URI', () => {
  it('keeps the client query as registered and adds the parameters after it', () => {
    expect(appendQuery('https://c.example/cb', { code: 'a', state: 'b c' })).toBe('https://c.example/cb?code=a&state=b+c')
    expect(appendQuery('https://c.example/cb?x=%20y&z', { code: 'a' })).toBe('https://c.example/cb?x=%20y&z&code=a')
    expect(appendQuery('https://c.example/cb?', { code: 'a' })).toBe('https://c.example/cb?code=a')
    expect(appendQuery('https://c.example/cb?x=1&', { code: 'a', state: undefined })).toBe('https://c.example/cb?x=1&code=a')
    expect(appendQuery('https://c.example/cb#frag', { error: 'access_denied' })).toBe('https://c.example/cb?error=access_denied')
    expect(appendQuery('http://127.0.0.1:8765/cb', { state: '&=?#' })).toBe('http://127.0.0.1:8765/cb?state=%26%3D%3F%23')
  })
})
