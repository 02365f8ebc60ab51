import { beforeEach, describe, expect, it } from 'vitest'
import { rejection } from '../../test/_setup.js'
import { CODE_SCOPE, DIRECT_SCOPE, FILES_SCOPE, GA, OTHER_GA, register, setup, type Registered } from '../../test/token-fixtures.js'
import type { ManualClock } from '../clock.js'
import { hashSecret } from '../crypto.js'
import type { AuthStore } from '../store.js'
import type { TokenEndpointOptions } from '../token.js'
import { handleTokenRequest } from '../token.js'
import type { GrantAccessRecord } from './client-credentials.js'

const grant = (overrides: Partial<GrantAccessRecord>): GrantAccessRecord => ({
  grant_id: 'grant-1',
  client_id: 'code-client',
  status: 'active',
  enabled_scope: CODE_SCOPE,
  enabled_authorization_details: [],
  ...overrides,
})

let store: AuthStore
let clock: ManualClock
let options: TokenEndpointOptions
let grants: GrantAccessRecord[]

beforeEach(() => {
  grants = []
  ;({ store, clock, options } = setup(grants))
})

const cc = (who: Registered, extra: Record<string, string> = {}) =>
  handleTokenRequest({ authorization: who.authorization, body: { grant_type: 'client_credentials', ...extra } }, options)

describe('CDS-WG1-02 §3.3.1 Client Admin Scope', () => {
  it('RFC6749-04 issues a cds_client_admin token without a refresh token', async () => {
    const admin = await register(store, clock, 'admin')
    const response = await cc(admin, { scope: 'cds_client_admin' })
    expect(response).toMatchObject({ token_type: 'Bearer', scope: 'cds_client_admin', expires_in: 3600 })
    expect(response).not.toHaveProperty('refresh_token')
  })

  it('RFC 6749 §3.3 defaults to the scope the client is registered for', async () => {
    const admin = await register(store, clock, 'admin')
    expect((await cc(admin)).scope).toBe('cds_client_admin')
  })

  it('RFC6749-06 an unknown scope is invalid_scope', async () => {
    const admin = await register(store, clock, 'admin')
    expect(await rejection(cc(admin, { scope: 'nope' }))).toMatchObject({ status: 400, error: 'invalid_scope' })
  })

  it('RFC 6749 §3.3 a scope the client is not registered for is invalid_scope', async () => {
    const admin = await register(store, clock, 'admin')
    expect((await rejection(cc(admin, { scope: DIRECT_SCOPE }))).error).toBe('invalid_scope')
  })

  it('RFC 6749 §3.3 a malformed scope is invalid_scope', async () => {
    const admin = await register(store, clock, 'admin')
    expect((await rejection(cc(admin, { scope: 'a  b' }))).error).toBe('invalid_scope')
  })

  it('R1-02-3.4-09 a scope without client_credentials in grant_types_supported is invalid_scope', async () => {
    const code = await register(store, clock, 'code', { grant_types: ['client_credentials', 'authorization_code'] })
    expect((await rejection(cc(code, { scope: CODE_SCOPE }))).error).toBe('invalid_scope')
  })

  it('R1-02-3.3.1-01 cds_client_admin takes no authorization_details', async () => {
    const admin = await register(store, clock, 'admin')
    const err = await rejection(cc(admin, { authorization_details: JSON.stringify([{ type: 'cds_client_admin' }]) }))
    expect(err).toMatchObject({ status: 400, error: 'invalid_authorization_details' })
  })

  it('RFC 6749 §4.4 a public client cannot use client_credentials', async () => {
    const pub = await register(store, clock, 'public', { grant_types: ['client_credentials'] })
    const err = await rejection(handleTokenRequest({ body: { grant_type: 'client_credentials', client_id: pub.client.client_id } }, options))
    expect(err).toMatchObject({ status: 400, error: 'unauthorized_client' })
  })
})

describe('CDS-WG1-02 §3.3.2 Grant Admin Scope', () => {
  let ga: Registered
  let code: Registered
  const entry = (overrides: Record<string, unknown> = {}) => JSON.stringify([{ type: GA, client_id: code.client.client_id, grant_id: 'grant-1', ...overrides }])

  beforeEach(async () => {
    ga = await register(store, clock, 'grant_admin')
    code = await register(store, clock, 'code')
    grants.push(grant({ client_id: code.client.client_id }))
  })

  it('R1-02-3.3.2-05 R1-02-3.3.2-09 issues a token for the Grant from authorization_details alone', async () => {
    const response = await cc(ga, { authorization_details: entry() })
    expect(response).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: GA,
      authorization_details: [{ type: GA, client_id: code.client.client_id, grant_id: 'grant-1' }],
    })
    const stored = await store.tokens.find(hashSecret(response.access_token))
    expect(stored).toMatchObject({ grant_id: 'grant-1', scope: GA, client_id: ga.client.client_id })
  })

  it('R1-02-3.3.2-05 accepts scope plus authorization_details (example 12.19)', async () => {
    expect((await cc(ga, { scope: GA, authorization_details: entry() })).scope).toBe(GA)
  })

  it('R1-02-3.3.2-08 also reaches a Server-Provided Files Grant whose scope names this Grant Admin scope', async () => {
    grants.push(grant({ grant_id: 'files', client_id: code.client.client_id, enabled_scope: FILES_SCOPE, enabled_authorization_details: [{ type: FILES_SCOPE }] }))
    expect((await cc(ga, { authorization_details: entry({ grant_id: 'files' }) })).scope).toBe(GA)
  })

  it('R1-02-3.3.2-07 without authorization_details the request is invalid_request', async () => {
    expect(await rejection(cc(ga, { scope: GA }))).toMatchObject({ status: 400, error: 'invalid_request' })
    expect((await rejection(cc(ga))).error).toBe('invalid_request')
  })

  it('R1-02-3.3.2-07 two entries are invalid_authorization_details', async () => {
    const two = JSON.stringify([JSON.parse(entry())[0], JSON.parse(entry())[0]])
    expect((await rejection(cc(ga, { authorization_details: two }))).error).toBe('invalid_authorization_details')
  })

  it('R1-02-3.3.2-07 a missing grant_id or client_id is invalid_authorization_details', async () => {
    for (const bad of [
      [{ type: GA, client_id: code.client.client_id }],
      [{ type: GA, grant_id: 'grant-1' }],
      [{ type: GA, client_id: '', grant_id: 'grant-1' }],
      [{ type: GA, client_id: 7, grant_id: 'grant-1' }],
      [{ type: GA, client_id: 'x'.repeat(1001), grant_id: 'grant-1' }],
    ]) {
      expect((await rejection(cc(ga, { authorization_details: JSON.stringify(bad) }))).error, JSON.stringify(bad)).toBe('invalid_authorization_details')
    }
  })

  it('RFC9396-07 a member the Grant Admin scope does not declare is invalid_authorization_details', async () => {
    expect((await rejection(cc(ga, { authorization_details: entry({ actions: ['x'] }) }))).error).toBe('invalid_authorization_details')
  })

  it('A-25 a Grant Admin request naming another scope too is invalid_scope', async () => {
    const err = await rejection(cc(ga, { scope: `${GA} cds_client_admin`, authorization_details: entry() }))
    expect(err.error).toBe('invalid_scope')
  })

  it('RFC 9396 §5 an entry of another type beside the Grant Admin scope is invalid_authorization_details', async () => {
    const mixed = JSON.stringify([{ type: DIRECT_SCOPE, meter_id: 'm' }])
    expect((await rejection(cc(ga, { scope: GA, authorization_details: mixed }))).error).toBe('invalid_authorization_details')
  })

  it('R1-02-3.3.2-08 an unknown grant_id is invalid_authorization_details', async () => {
    const err = await rejection(cc(ga, { authorization_details: entry({ grant_id: 'nope' }) }))
    expect(err).toMatchObject({ status: 400, error: 'invalid_authorization_details', error_description: 'the Grant does not exist or is not available to this client' })
  })

  it('R1-02-3.3.2-08 (a) a client_id that is not the Grant’s is refused the same way', async () => {
    const other = await register(store, clock, 'code')
    const err = await rejection(cc(ga, { authorization_details: entry({ client_id: other.client.client_id }) }))
    expect(err).toMatchObject({ error: 'invalid_authorization_details', error_description: 'the Grant does not exist or is not available to this client' })
  })

  it('A-07 R1-02-3.3.2-08 (d) a Grant of another registration is refused the same way', async () => {
    const stranger = await register(store, clock, 'code', { registration_id: 'reg-2' })
    grants.push(grant({ grant_id: 'foreign', client_id: stranger.client.client_id }))
    const err = await rejection(cc(ga, { authorization_details: entry({ client_id: stranger.client.client_id, grant_id: 'foreign' }) }))
    expect(err).toMatchObject({ error: 'invalid_authorization_details', error_description: 'the Grant does not exist or is not available to this client' })
  })

  it('R1-02-3.3.2-08 (b) a Grant with an empty enabled_scope is refused', async () => {
    grants.push(grant({ grant_id: 'off', client_id: code.client.client_id, enabled_scope: '', status: 'disabled' }))
    expect((await rejection(cc(ga, { authorization_details: entry({ grant_id: 'off' }) }))).error).toBe('invalid_authorization_details')
  })

  it('R1-02-8.2-04 a closed Grant gives no access', async () => {
    grants.push(grant({ grant_id: 'closed', client_id: code.client.client_id, status: 'closed' }))
    expect((await rejection(cc(ga, { authorization_details: entry({ grant_id: 'closed' }) }))).error).toBe('invalid_authorization_details')
  })

  it('R1-02-3.3.2-08 (c) a Grant whose scope names another Grant Admin scope, or none, is refused', async () => {
    grants.push(grant({ grant_id: 'admin-grant', client_id: code.client.client_id, enabled_scope: 'cds_client_admin' }))
    expect((await rejection(cc(ga, { authorization_details: entry({ grant_id: 'admin-grant' }) }))).error).toBe('invalid_authorization_details')
    const other = await register(store, clock, 'grant_admin', { scope: OTHER_GA, authorization_details_types: [OTHER_GA] })
    const err = await rejection(cc(other, { authorization_details: JSON.stringify([{ type: OTHER_GA, client_id: code.client.client_id, grant_id: 'grant-1' }]) }))
    expect(err.error).toBe('invalid_authorization_details')
  })

  it('R1-02-3.3.2-06 the Client Admin client cannot use a Grant Admin scope', async () => {
    const admin = await register(store, clock, 'admin')
    expect((await rejection(cc(admin, { scope: GA, authorization_details: entry() }))).error).toBe('invalid_scope')
    expect((await rejection(cc(admin, { authorization_details: entry() }))).error).toBe('invalid_authorization_details')
  })

  it('refuses every Grant Admin request when the server has no Grant lookup', async () => {
    const err = await rejection(
      handleTokenRequest({ authorization: ga.authorization, body: { grant_type: 'client_credentials', authorization_details: entry() } }, { ...options, grants: undefined }),
    )
    expect(err.error).toBe('invalid_authorization_details')
  })
})

describe('RFC 9396 §6 direct-access authorization_details', () => {
  it('R1-02-3.4-15 grants the entries, with defaults filled in (A-32)', async () => {
    const direct = await register(store, clock, 'direct')
    const response = await cc(direct, { authorization_details: JSON.stringify([{ type: DIRECT_SCOPE, meter_id: 'm-1' }]) })
    expect(response).toMatchObject({ scope: DIRECT_SCOPE, authorization_details: [{ type: DIRECT_SCOPE, meter_id: 'm-1', max_readings: 100 }] })
  })

  it('RFC9396-02 a missing required field is invalid_authorization_details', async () => {
    const direct = await register(store, clock, 'direct')
    expect((await rejection(cc(direct, { authorization_details: JSON.stringify([{ type: DIRECT_SCOPE }]) }))).error).toBe('invalid_authorization_details')
  })

  it('RFC9396-07 an undeclared member is invalid_authorization_details', async () => {
    const direct = await register(store, clock, 'direct')
    const details = JSON.stringify([{ type: DIRECT_SCOPE, meter_id: 'm', locations: ['x'] }])
    expect((await rejection(cc(direct, { authorization_details: details }))).error).toBe('invalid_authorization_details')
  })

  it('RFC9396-05 a type the client is not registered for is invalid_authorization_details', async () => {
    const direct = await register(store, clock, 'direct', { authorization_details_types: [] })
    const details = JSON.stringify([{ type: DIRECT_SCOPE, meter_id: 'm' }])
    expect((await rejection(cc(direct, { authorization_details: details }))).error).toBe('invalid_authorization_details')
  })

  it('RFC9396-02 a value that is not JSON is invalid_request; a JSON non-array is invalid_authorization_details', async () => {
    const direct = await register(store, clock, 'direct')
    expect((await rejection(cc(direct, { authorization_details: '[nope' }))).error).toBe('invalid_request')
    expect((await rejection(cc(direct, { authorization_details: '{"type":"x"}' }))).error).toBe('invalid_authorization_details')
    expect((await rejection(cc(direct, { authorization_details: '[{"notype":1}]' }))).error).toBe('invalid_authorization_details')
  })

  it('A-32 a scope-only request for a scope with a required field is invalid_authorization_details', async () => {
    const direct = await register(store, clock, 'direct')
    expect(await rejection(cc(direct, { scope: DIRECT_SCOPE }))).toMatchObject({ status: 400, error: 'invalid_authorization_details' })
  })

  it('R1-02-3.8-06 a scope-only request gets an entry with the scope’s defaults', async () => {
    const direct = await register(store, clock, 'direct')
    const fields = options.scopes[DIRECT_SCOPE]!.authorization_details_fields_supported.map((f) => ({ ...f, is_required: false }))
    options = { ...options, scopes: { ...options.scopes, [DIRECT_SCOPE]: { ...options.scopes[DIRECT_SCOPE]!, authorization_details_fields_supported: fields } } }
    expect(await cc(direct, { scope: DIRECT_SCOPE })).toMatchObject({ scope: DIRECT_SCOPE, authorization_details: [{ type: DIRECT_SCOPE, max_readings: 100 }] })
  })

  it('R1-02-3.9-02 a value outside the field’s limits is invalid_authorization_details', async () => {
    const direct = await register(store, clock, 'direct')
    const details = JSON.stringify([{ type: DIRECT_SCOPE, meter_id: 'm', max_readings: 5000 }])
    expect((await rejection(cc(direct, { authorization_details: details }))).error).toBe('invalid_authorization_details')
  })
})

describe('CDS-WG1-02 §8.2 a direct client_credentials token follows its Grant (A-22)', () => {
  const details = JSON.stringify([{ type: DIRECT_SCOPE, meter_id: 'm-1' }])
  const issuedGrant = async (token: string) => (await store.tokens.find(hashSecret(token)))?.grant_id

  it('without Grants for the client the token is unbound', async () => {
    const direct = await register(store, clock, 'direct')
    expect(await issuedGrant((await cc(direct, { authorization_details: details })).access_token)).toBeNull()
  })

  it('binds the token to the newest Grant with access that covers the scope', async () => {
    const direct = await register(store, clock, 'direct')
    grants.push(grant({ grant_id: 'old', client_id: direct.client.client_id, enabled_scope: DIRECT_SCOPE, status: 'closed' }))
    grants.push(grant({ grant_id: 'live', client_id: direct.client.client_id, enabled_scope: DIRECT_SCOPE }))
    expect(await issuedGrant((await cc(direct, { authorization_details: details })).access_token)).toBe('live')
  })

  it('R1-02-8.2-04 a closed or suspended Grant gives no new tokens: invalid_scope', async () => {
    const direct = await register(store, clock, 'direct')
    grants.push(grant({ grant_id: 'shut', client_id: direct.client.client_id, enabled_scope: DIRECT_SCOPE, status: 'suspended' }))
    expect(await rejection(cc(direct, { authorization_details: details }))).toMatchObject({ status: 400, error: 'invalid_scope' })
  })

  it('R1-02-8.2-05 a partial Grant limits new tokens to its enabled scope', async () => {
    const direct = await register(store, clock, 'direct')
    grants.push(grant({ grant_id: 'part', client_id: direct.client.client_id, enabled_scope: '', status: 'partial' }))
    expect((await rejection(cc(direct, { authorization_details: details }))).error).toBe('invalid_scope')
  })
})
