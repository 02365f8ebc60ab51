/**
 * Helpers of the Grants API tests (CDS-WG1-02 §8, §3.3.2): the Client objects of a registration,
 * secrets for them, the authorization code flow over `inject`, and token requests.
 */
import { codeChallengeS256, randomOpaqueValue, type Clock } from '@cds-ts/auth'
import type { Grant, GrantListing } from '@cds-ts/schema'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Kysely } from 'kysely'
import { expect } from 'vitest'
import type { ServerConfig } from '../src/config/config-schema.js'
import type { Database } from '../src/db/database.js'
import { issueCredential } from '../src/wg1-02/credentials/issue-credential.js'
import { basic, call } from './api-app.js'

/** The Client objects of the registration of an admin Client object, by scope. */
export async function clientsByScope(db: Kysely<Database>, adminClientId: string): Promise<Map<string, string>> {
  const admin = await db.selectFrom('clients').select('registration_id').where('client_id', '=', adminClientId).executeTakeFirstOrThrow()
  const rows = await db.selectFrom('clients').select(['client_id', 'scope', 'cds_status']).where('registration_id', '=', admin.registration_id).orderBy('seq').execute()
  const byScope = new Map<string, string>()
  // The first object of a scope (the sandbox one for code scopes) wins.
  for (const row of rows) if (!byScope.has(row.scope)) byScope.set(row.scope, row.client_id)
  return byScope
}

/** A fresh secret for a Client object (the Credentials API's issuing step). */
export async function secretFor(db: Kysely<Database>, clock: Clock, config: ServerConfig, client_id: string): Promise<string> {
  return (await issueCredential(db, clock, config, client_id)).client_secret
}

/** A form POST to an OAuth endpoint with Basic client authentication. */
export async function oauthPost(app: FastifyInstance, path: string, client_id: string, secret: string, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: path,
    headers: { authorization: basic(client_id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  })
}

/** The outcome of one authorization request. */
export interface Authorized {
  location: URL
  code: string | null
  error: string | null
  code_verifier: string
}

/** `GET /oauth/authorize` for a code client (PKCE S256, default redirect URI unless given). */
export async function authorizeCode(app: FastifyInstance, client_id: string, extra: Record<string, string> = {}): Promise<Authorized> {
  const code_verifier = randomOpaqueValue()
  const query = new URLSearchParams({
    response_type: 'code',
    client_id,
    state: 'st-1',
    code_challenge: codeChallengeS256(code_verifier),
    code_challenge_method: 'S256',
    ...extra,
  })
  const response = await app.inject({ method: 'GET', url: `/oauth/authorize?${query.toString()}` })
  expect(response.statusCode).toBe(302)
  const location = new URL(String(response.headers.location))
  return { location, code: location.searchParams.get('code'), error: location.searchParams.get('error'), code_verifier }
}

/** The Grants listing (one page) at a path with query, asserting a 200. */
export async function listGrants(app: FastifyInstance, token: string, query = ''): Promise<GrantListing> {
  const response = await call(app, 'GET', `/api/grants${query}`, token)
  expect(response.statusCode).toBe(200)
  return response.json<GrantListing>()
}

/** One Grant, asserting a 200. */
export async function getGrant(app: FastifyInstance, token: string, grant_id: string): Promise<Grant> {
  const response = await call(app, 'GET', `/api/grants/${encodeURIComponent(grant_id)}`, token)
  expect(response.statusCode).toBe(200)
  return response.json<Grant>()
}

/** Pins a 4xx error body of the CDS APIs (R1-02-X-03). */
export function expectError(response: LightMyRequestResponse, status: number, error: string): void {
  expect(response.statusCode).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/json/)
  expect(response.json()).toMatchObject({ error, error_description: expect.any(String) })
}

/** The Grant-related Messages of a registration (the §6 mirror), newest first. */
export async function grantMessages(db: Kysely<Database>, adminClientId: string): Promise<{ name: string; related_uri: string | null; type: string }[]> {
  const admin = await db.selectFrom('clients').select('registration_id').where('client_id', '=', adminClientId).executeTakeFirstOrThrow()
  return db
    .selectFrom('messages')
    .select(['name', 'related_uri', 'type'])
    .where('registration_id', '=', admin.registration_id)
    .where('related_type', '=', 'grant')
    .orderBy('created', 'desc')
    .execute()
}
