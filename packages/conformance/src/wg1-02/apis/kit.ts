/**
 * What the checks of the Clients, Messages and Credentials APIs (CDS-WG1-02 §5–§7) share: the
 * API URLs of the Authorization Server Metadata, the area's own registrations (a "lab" one that
 * the checks change, and a second one to prove that registrations do not see each other), Client
 * objects set aside for one purpose each, listings read whole, and the authentication matrix of
 * the three APIs.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import type { ClientCredentials } from '../../core/options.js'
import { listAll, type SuiteRegistration } from '../../core/registration.js'

/** The three APIs of this area, by their Authorization Server Metadata member (CDS-WG1-02 §3.2). */
export type ApiName = 'cds_clients_api' | 'cds_messages_api' | 'cds_credentials_api'

/** The URL of one of the APIs; a failure when the metadata lacks it (CDS-WG1-02 §3.2 requires all three). */
export async function apiUrl(ctx: CheckContext, name: ApiName): Promise<string> {
  const value = (await ctx.oauthMetadata())[name]
  if (typeof value !== 'string') ctx.fail(`the Authorization Server Metadata has no ${name}`)
  return value
}

/** `url` with the query parameters set (a value's spaces are sent as `%20`). */
export function withQuery(url: string, params: Record<string, string>): string {
  const out = new URL(url)
  for (const [name, value] of Object.entries(params)) out.searchParams.set(name, value)
  return out.href.replace(/\+/g, '%20')
}

/** Fails unless the response is `status` with a JSON object body, and returns the body. */
export function jsonBody(ctx: CheckContext, response: HttpResponse, status: number | readonly number[] = 200): Json {
  ctx.expectStatus(response, status)
  const body = response.json()
  if (typeof body !== 'object' || body === null || Array.isArray(body)) ctx.fail(`${response.request} answered a body that is not a JSON object`)
  return body as Json
}

/** GET with a bearer token; fails unless 200 with a JSON object. */
export async function getJson(ctx: CheckContext, url: string, token: string): Promise<Json> {
  return jsonBody(ctx, await ctx.request({ url, bearer: token }))
}

/** Every item of a listing (following `next`), under `key`. */
export async function listed(ctx: CheckContext, url: string, token: string, key: string): Promise<Json[]> {
  const out: Json[] = []
  for await (const item of listAll(ctx, url, token, key)) out.push(item)
  return out
}

/** A JSON value written with sorted keys, to compare two objects whatever their member order. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => a.localeCompare(b))) : item,
  )
}

/** A copy of an object without some members. */
export function without(value: Json, ...names: string[]): Json {
  const out = { ...value }
  for (const name of names) delete out[name]
  return out
}

/** The space-separated tokens of a scope string. */
export function scopeTokens(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter((token) => token !== '') : []
}

/** Whether a Client object holds the `cds_client_admin` scope (CDS-WG1-02 §3.3.1). */
export function isAdmin(client: Json): boolean {
  return scopeTokens(client.scope).includes('cds_client_admin')
}

/** RFC 3339 date-time (CDS-WG1-02 §2 `datetime`). */
export const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

/** Whether a value is an RFC 3339 date-time string. */
export function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && DATETIME.test(value) && !Number.isNaN(Date.parse(value))
}

/** Whether a value is an absolute URL. */
export function isUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false
  try {
    return new URL(value).protocol.length > 1
  } catch {
    return false
  }
}

/** An RFC 3339 time `ms` away from `time`. */
export function shifted(time: unknown, ms: number): string {
  return new Date(Date.parse(String(time)) + ms).toISOString()
}

/** Now in Unix seconds. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000)
}

/** Waits a little, so that two writes get distinct timestamps. */
export function tick(ms = 15): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/**
 * The area's own registration of every offered scope, made once per run (the checks change its
 * Client objects, Messages and Credentials). `clients` is the listing right after registration.
 */
export function lab(ctx: CheckContext): Promise<SuiteRegistration> {
  return ctx.once('wg1-02-apis:lab', () => ctx.freshRegistration())
}

/** A `cds_client_admin` token of {@link lab}. */
export function labToken(ctx: CheckContext): Promise<string> {
  return ctx.once('wg1-02-apis:lab-token', async () => ctx.clientToken((await lab(ctx)).admin, 'cds_client_admin'))
}

/** A second registration (only `cds_client_admin`) with one Message of its own: what the lab must never see. */
export interface Foreign {
  registration: SuiteRegistration
  token: string
  message: Json
  credential: Json
}

/** The run's {@link Foreign} registration. */
export function foreign(ctx: CheckContext): Promise<Foreign> {
  return ctx.once('wg1-02-apis:foreign', async () => {
    const registration = await ctx.freshRegistration('cds_client_admin')
    const token = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const posted = await ctx.request({
      url: await apiUrl(ctx, 'cds_messages_api'),
      bearer: token,
      json: { type: 'private_message', previous_uri: null, name: 'cds-ts conformance: another registration', description: 'Not to be seen by other registrations.' },
    })
    const message = jsonBody(ctx, posted, 201)
    const [credential] = await listed(ctx, await apiUrl(ctx, 'cds_credentials_api'), token, 'credentials')
    if (credential === undefined) ctx.fail('the second registration lists no Credential')
    return { registration, token, message, credential }
  })
}

/** The current Client objects of the lab (listed again). */
export async function labClients(ctx: CheckContext): Promise<Json[]> {
  return listed(ctx, await apiUrl(ctx, 'cds_clients_api'), await labToken(ctx), 'clients')
}

/** A Client object of the lab set aside for one purpose, with its credentials (when it has a secret). */
export interface LabClient {
  client: Json
  credentials?: ClientCredentials
}

/**
 * Sets a Client object of the lab aside for `purpose` (once per run): the first one of the
 * registration snapshot that `fits` and that no other purpose took. Not applicable when none fits.
 */
export function reserveClient(ctx: CheckContext, purpose: string, fits: (client: Json, credentials?: ClientCredentials) => boolean | Promise<boolean>, what: string): Promise<LabClient> {
  return ctx.once(`wg1-02-apis:client:${purpose}`, async () => {
    const registration = await lab(ctx)
    const taken = await ctx.once('wg1-02-apis:reserved', async () => new Set<string>())
    for (const client of registration.clients) {
      const id = String(client.client_id)
      const credentials = registration.secrets.get(id)
      if (taken.has(id) || isAdmin(client) || !(await fits(client, credentials))) continue
      taken.add(id)
      return { client, ...(credentials === undefined ? {} : { credentials }) }
    }
    return ctx.notApplicable(`the registration has no ${what} left for this check`)
  })
}

/** Whether a Client object runs the authorization code flow (non-empty `response_types`). */
export function isCodeClient(client: Json): boolean {
  return Array.isArray(client.response_types) && client.response_types.length > 0
}

/** A `client_credentials` token of a non-admin Client object, or undefined when the server refuses it one. */
export async function plainToken(ctx: CheckContext, client: Json, credentials: ClientCredentials | undefined): Promise<string | undefined> {
  if (credentials === undefined || !Array.isArray(client.grant_types) || !client.grant_types.includes('client_credentials')) return undefined
  const response = await ctx.request({ url: await ctx.endpoint('token_endpoint'), basic: credentials, form: { grant_type: 'client_credentials', scope: String(client.scope) } })
  if (response.status !== 200) return undefined
  const token = response.json<Json>().access_token
  return typeof token === 'string' ? token : undefined
}

/** A lab Client object (not the admin) that gets `client_credentials` tokens with its scope, set aside for `purpose`. */
export function tokenClient(ctx: CheckContext, purpose: string): Promise<LabClient & { credentials: ClientCredentials }> {
  return reserveClient(ctx, purpose, async (client, credentials) => (await plainToken(ctx, client, credentials)) !== undefined, 'client_credentials Client object') as Promise<
    LabClient & { credentials: ClientCredentials }
  >
}

/** A token of the shared registration that lacks `cds_client_admin` (for the 403 case), when the server issues one. */
export function nonAdminToken(ctx: CheckContext): Promise<string | undefined> {
  return ctx.once('wg1-02-apis:non-admin-token', async () => {
    const registration = await ctx.registration()
    for (const client of registration.clients) {
      if (isAdmin(client)) continue
      const token = await plainToken(ctx, client, registration.secrets.get(String(client.client_id)))
      if (token !== undefined) return token
    }
    return undefined
  })
}

/**
 * The authentication every API of this area needs (CDS-WG1-02 §5, §6, §7): a `cds_client_admin`
 * token. Without a token, 401 with a Bearer challenge (RFC 6750 §3); an unknown token, 401
 * `invalid_token`; a token without the scope, 401 or 403 (RFC 6750 §3.1 recommends 403
 * `insufficient_scope`); the admin token, 200.
 */
export async function expectAdminOnly(ctx: CheckContext, url: string, adminToken: string): Promise<void> {
  const bare = await ctx.request({ url })
  ctx.expectStatus(bare, 401)
  const challenge = bare.headers.get('www-authenticate') ?? ''
  ctx.assert(/^\s*bearer\b/i.test(challenge), `${bare.request} without a token answered 401 without a Bearer challenge (WWW-Authenticate: ${JSON.stringify(challenge)})`)
  const unknown = await ctx.request({ url, bearer: 'cds-ts-conformance-no-such-token' })
  ctx.expectStatus(unknown, 401)
  const said = `${unknown.headers.get('www-authenticate') ?? ''} ${unknown.mediaType.endsWith('json') ? String(unknown.json<Json>().error) : ''}`
  ctx.assert(said.includes('invalid_token'), `${unknown.request} with an unknown token answered 401 without invalid_token (RFC 6750 §3.1)`)
  const other = await nonAdminToken(ctx)
  if (other !== undefined) {
    const refused = await ctx.request({ url, bearer: other })
    ctx.expectStatus(refused, [401, 403])
  }
  ctx.expectStatus(await ctx.request({ url, bearer: adminToken }), 200)
}

/** The registration id the operator test API knows a registration by (through its admin Client object). */
export function operatorRegistrationId(ctx: CheckContext, registration: SuiteRegistration): Promise<string> {
  return ctx.once(`wg1-02-apis:registration-id:${registration.admin.client_id}`, async () => {
    const response = await ctx.operatorRequest(`clients?client_ids=${encodeURIComponent(registration.admin.client_id)}`)
    const body = jsonBody(ctx, response)
    const first = (Array.isArray(body.clients) ? body.clients : [])[0] as Json | undefined
    if (typeof first?.registration_id !== 'string') ctx.fail('the operator test API does not know the registration')
    return first.registration_id
  })
}

/** A request to the operator test API that must succeed with `status`; returns the JSON body. */
export async function operatorCall(ctx: CheckContext, path: string, body: unknown, status = 201, method = 'POST'): Promise<Json> {
  const response = await ctx.operatorRequest(path, typeof body === 'string' ? { method, body, headers: { 'content-type': 'application/json' } } : { method, json: body })
  if (response.status !== status) ctx.fail(`the operator test API ${response.request} answered ${response.status}: ${response.text.slice(0, 300)}`)
  return jsonBody(ctx, response, status)
}
