import { beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../test/_setup.js'
import { basic, CODE_SCOPE, codeClient, REDIRECT_URI, requestParameters, seed, settings } from '../test/authorization-fixtures.js'
import { WG3_SCOPES } from '../test/customer-data-fixtures.js'
import { memoryStore } from '../test/memory-store.js'
import { beginAuthorization, completeAuthorization, resumeAuthorization, type AuthorizationGrants, type AuthorizationStart, type GrantApproval } from './authorization.js'
import { authorizationErrorRedirect, type PendingAuthorization } from './authorization-redirect.js'
import { manualClock } from './clock.js'
import { hashSecret } from './crypto.js'
import type { AuthorizationSelection } from './customer-authorization.js'
import { AccessDenied, ServerError } from './errors.js'
import { pushAuthorizationRequest } from './par.js'
import type { AuthStore } from './store.js'

const codeOf = (location: string) => new URL(location).searchParams.get('code') ?? ''
const errorOf = (location: string) => new URL(location).searchParams.get('error')

/** The pending request of a start that must have passed. */
function pendingOf(started: AuthorizationStart): PendingAuthorization {
  if ('redirect' in started) throw new Error(`expected a pending request, got ${started.redirect.location}`)
  return started.pending
}

describe('CDS-WG3-01 §9.1.1 the authorization endpoint in two halves', () => {
  // 2025-06-15 10:00 in Chicago.
  const clock = manualClock('2025-06-15T15:00:00Z')
  let store: AuthStore
  let approvals: GrantApproval[]
  let grants: AuthorizationGrants
  const options = () => ({ store, clock, settings: settings(), grants })

  beforeEach(async () => {
    clock.set('2025-06-15T15:00:00Z')
    store = memoryStore()
    approvals = []
    grants = { isGrantIdValid: async (id) => id === 'grant-9', recordApproval: async (approval) => (approvals.push(approval), 'grant-9') }
    await seed(store, codeClient())
  })

  const push = async (overrides: Record<string, string | undefined> = {}) =>
    (await pushAuthorizationRequest({ authorization: basic('code-client'), body: requestParameters(overrides) }, { store, clock, settings: settings() })).body.request_uri

  describe('beginAuthorization', () => {
    it('R3-01-9.1.1-01 keeps a pushed request as sent, with where the answer goes', async () => {
      const request_uri = await push({ authorization_details: `[{"type":"${CODE_SCOPE}","history_start":"P2Y"}]`, prompt: 'login' })
      const started = await beginAuthorization({ client_id: 'code-client', request_uri, state: 'ignored' }, options())
      expect(pendingOf(started)).toEqual({
        client_id: 'code-client',
        parameters: expect.objectContaining({ scope: CODE_SCOPE, state: 'xyz 1/2', prompt: 'login', authorization_details: `[{"type":"${CODE_SCOPE}","history_start":"P2Y"}]` }),
        redirect_uri: REDIRECT_URI,
        redirect_uri_parameter: REDIRECT_URI,
        state: 'xyz 1/2',
      })
      // The parameters are kept unresolved; the checked request resolves them for display.
      expect('request' in started && started.request.authorization_details[0]).toMatchObject({ history_start: '2023-06-15' })
    })

    it('keeps only the authorization request parameters of a direct request', async () => {
      const started = await beginAuthorization({ ...requestParameters(), utm_source: 'mail' }, options())
      expect(Object.keys(pendingOf(started).parameters).sort()).toEqual(
        ['client_id', 'code_challenge', 'code_challenge_method', 'redirect_uri', 'response_type', 'scope', 'state'].sort(),
      )
    })

    it('A-13 shows errors of client_id, then redirect_uri, then response_type; never redirects them', async () => {
      const begin = (overrides: Record<string, string | undefined>) => rejection(beginAuthorization(requestParameters(overrides), options()))
      expect((await begin({ client_id: 'nobody', redirect_uri: 'https://evil.example/', response_type: 'token' })).error_description).toBe('client_id is not a known client')
      expect((await begin({ redirect_uri: 'https://evil.example/', response_type: 'token' })).error_description).toBe('redirect_uri is not registered for this client')
      expect(await begin({ response_type: 'token' })).toMatchObject({ error: 'unsupported_response_type', status: 400 })
      expect(await begin({ response_type: undefined })).toMatchObject({ error: 'invalid_request', error_description: 'response_type is required' })
    })

    it('A-14 shows a used or expired request_uri', async () => {
      const request_uri = await push()
      await beginAuthorization({ client_id: 'code-client', request_uri }, options())
      expect((await rejection(beginAuthorization({ client_id: 'code-client', request_uri }, options()))).error_description).toBe('request_uri has already been used')
      const late = await push()
      clock.advance(90)
      expect((await rejection(beginAuthorization({ client_id: 'code-client', request_uri: late }, options()))).error_description).toBe('request_uri has expired')
    })

    it('R3-01-9.1.1-11 redirects the other errors with the state', async () => {
      const started = await beginAuthorization(requestParameters({ code_challenge: undefined, code_challenge_method: undefined }), options())
      expect('redirect' in started && started.redirect.response).toEqual({ error: 'invalid_request', error_description: 'code challenge required', state: 'xyz 1/2' })
      const grant = await beginAuthorization(requestParameters({ cds_grant_id: 'other' }), options())
      expect('redirect' in grant && errorOf(grant.redirect.location)).toBe('cds_grant_id_invalid_value')
    })
  })

  describe('resumeAuthorization', () => {
    it('R3-01-9.1.1-17 checks the request again and redirects what no longer passes', async () => {
      const pending = pendingOf(await beginAuthorization(requestParameters(), options()))
      expect('request' in (await resumeAuthorization(pending, options()))).toBe(true)
      await store.clients.update('code-client', { scope: 'demo_meter_readings' })
      const resumed = await resumeAuthorization(pending, options())
      expect('redirect' in resumed && resumed.redirect.response).toMatchObject({ error: 'invalid_scope', state: 'xyz 1/2' })
      await store.clients.update('code-client', { cds_status: 'disabled' })
      expect(await rejection(resumeAuthorization(pending, options()))).toMatchObject({ error: 'unauthorized_client' })
    })
  })

  describe('completeAuthorization', () => {
    const selection: AuthorizationSelection = {
      scopes: [CODE_SCOPE],
      selection_type: 'service_contract_selection',
      resource_type: 'service_contract',
      numbers: ['222222'],
      all: false,
      include_future: true,
    }

    it('R1-02-3.9-03 resolves relative dates at the approval, records the selections (A-10) and binds the code', async () => {
      const pending = pendingOf(await beginAuthorization(requestParameters({ authorization_details: `[{"type":"${CODE_SCOPE}","access_end":"P1D"}]` }), options()))
      // The customer reads the form for a day and a half; the day is counted from the approval.
      clock.advance(36 * 3600)
      const done = await completeAuthorization(pending, { customer_id: 'cust-a', selections: [selection] }, options())
      expect(done.grant_id).toBe('grant-9')
      expect(done.response).toEqual({ code: codeOf(done.location), state: 'xyz 1/2' })
      expect(done.authorization_details).toEqual([{ type: CODE_SCOPE, access_end: '2025-06-17T22:00:00-05:00', history_start: '2024-06-16', resolution: 'monthly' }])
      expect(approvals).toEqual([
        {
          client_id: 'code-client',
          customer_id: 'cust-a',
          scope: CODE_SCOPE,
          authorization_details: done.authorization_details,
          cds_grant_id: undefined,
          approved_at: clock.now(),
          selections: [selection],
        },
      ])
      const code = await store.codes.consume(hashSecret(codeOf(done.location)), clock.now())
      expect(code?.record).toMatchObject({ client_id: 'code-client', grant_id: 'grant-9', redirect_uri: REDIRECT_URI, authorization_details: done.authorization_details })
    })

    it('redirects errors met while completing and records nothing', async () => {
      const pending = pendingOf(await beginAuthorization(requestParameters(), options()))
      const broken = { ...options(), grants: { ...grants, recordApproval: async () => Promise.reject(new ServerError('disk full')) } }
      const failed = await completeAuthorization(pending, { customer_id: 'cust-a' }, broken)
      expect(failed).toMatchObject({ grant_id: null, response: { error: 'server_error', state: 'xyz 1/2' } })
      const narrowed = await completeAuthorization(pending, { customer_id: 'cust-a', authorization_details: [{ type: CODE_SCOPE, resolution: 'daily' }] }, options())
      expect(narrowed.response).toHaveProperty('error', 'invalid_authorization_details')
      expect(approvals).toEqual([])
    })

    it('R1-02-5.2-04 a Client object disabled while the customer decided gets an error to show', async () => {
      const pending = pendingOf(await beginAuthorization(requestParameters(), options()))
      await store.clients.update('code-client', { cds_status: 'disabled' })
      expect(await rejection(completeAuthorization(pending, { customer_id: 'cust-a' }, options()))).toMatchObject({ error: 'unauthorized_client' })
    })
  })

  describe('authorizationErrorRedirect', () => {
    it('RFC6749-10 answers a decline with access_denied and the state; hides a server error’s details', async () => {
      const pending = pendingOf(await beginAuthorization(requestParameters(), options()))
      expect(authorizationErrorRedirect(pending, new AccessDenied('the customer declined')).location).toBe(
        `${REDIRECT_URI}&error=access_denied&error_description=the+customer+declined&state=xyz+1%2F2`,
      )
      expect(authorizationErrorRedirect({ ...pending, state: undefined }, new ServerError('secret')).response).toEqual({ error: 'server_error' })
    })
  })
})

describe('CDS-WG3-01 §7.4.5 A-30 completing with the customer’s narrowing', () => {
  const clock = manualClock('2026-01-15T12:00:00Z')
  const SCOPES = 'cds_service_contracts_1 cds_meters_1'
  let store: AuthStore
  let approvals: GrantApproval[]
  const options = () => ({
    store,
    clock,
    settings: settings({ scope_descriptions: WG3_SCOPES, timezone: 'UTC', relativeDirection: undefined }),
    grants: { isGrantIdValid: async () => false, recordApproval: async (a: GrantApproval) => (approvals.push(a), 'g-1') },
  })

  beforeEach(async () => {
    store = memoryStore()
    approvals = []
    await seed(store, codeClient({ scope: SCOPES, authorization_details_types: SCOPES.split(' '), cds_default_scope: SCOPES }))
  })

  const pending = async () => pendingOf(await beginAuthorization(requestParameters({ scope: SCOPES }), options()))

  it('R3-01-9.2.1.3-02 removes a Request Section and switches an optional include field off', async () => {
    const done = await completeAuthorization(
      await pending(),
      { customer_id: 'cust-a', modifications: { removed_scopes: ['cds_meters_1'], disabled_fields: { cds_service_contracts_1: ['include_contract_numbers'] } } },
      options(),
    )
    expect(done.scope).toBe('cds_service_contracts_1')
    expect(done.authorization_details.map((e) => e.type)).toEqual(['cds_service_contracts_1'])
    expect(done.authorization_details[0]).toMatchObject({ include_contract_numbers: false, include_service_contracts: true })
    expect(approvals[0]).toMatchObject({ scope: 'cds_service_contracts_1' })
  })

  it('A-09 A-10 A-44 T13 grants the entries without their preselection fields, with the data they always share', async () => {
    const done = await completeAuthorization(
      pendingOf(await beginAuthorization(requestParameters({ scope: SCOPES, authorization_details: JSON.stringify([{ type: 'cds_meters_1', meter_numbers: ['M-1'] }]) }), options())),
      { customer_id: 'cust-a' },
      options(),
    )
    expect(done.authorization_details.map((e) => e.type)).toEqual(['cds_meters_1', 'cds_service_contracts_1'])
    expect(done.authorization_details[0]).not.toHaveProperty('meter_numbers')
    expect(done.authorization_details[1]).not.toHaveProperty('contract_numbers')
    expect(done.authorization_details[0]).toHaveProperty('sync_until')
    // the data each scope always shares is echoed.
    expect(done.authorization_details[0]).toMatchObject({ include_meter_devices: true })
    expect(done.authorization_details[1]).toMatchObject({ include_accounts: true, include_service_contracts: true })
    expect(approvals[0]?.authorization_details).toEqual(done.authorization_details)
  })

  it('R3-01-9.2.1.3-03 refuses to remove every section, or to switch on what was off', async () => {
    const all = await completeAuthorization(
      await pending(),
      { customer_id: 'cust-a', modifications: { removed_scopes: SCOPES.split(' '), disabled_fields: {} } },
      options(),
    )
    expect(all.response).toMatchObject({ error: 'invalid_authorization_details', error_description: 'at least one requested scope must remain' })
    const unknown = await completeAuthorization(
      await pending(),
      { customer_id: 'cust-a', modifications: { removed_scopes: [], disabled_fields: { cds_meters_1: ['sync_until'] } } },
      options(),
    )
    expect(unknown.response).toHaveProperty('error', 'invalid_authorization_details')
    expect(approvals).toEqual([])
  })
})
