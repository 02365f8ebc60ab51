/**
 * What the OAuth checks of CDS-WG1-02 share: the area's own registration, a code-flow Client
 * object (a sandbox one when the server has it), the authorization endpoint's answer sorted into
 * "back to the Client", "shown to the user" or "the flow goes on", and small token helpers.
 *
 * @module
 */
import type { HttpResponse } from '../../core/http.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { ClientCredentials } from '../../core/options.js'
import type { SuiteRegistration } from '../../core/registration.js'
import { randomValue, s256 } from '../../wg3-01/authorization-form/consent.js'

/** A Client object that can run the authorization code flow (CDS-WG1-02 §4.2, §5.1). */
export interface CodeClient {
  client: Json
  credentials: ClientCredentials
  /** The scope id the checks ask for. */
  scope: string
  /** Its Scope Description. */
  description: Json
  /** The redirect URI the checks use: `cds_default_redirect_uri`, else the first registered one. */
  redirect_uri: string
  /** Every registered redirect URI (to recognise a redirect back to the Client). */
  redirect_uris: string[]
}

/** The Scope Descriptions of the server, by id (CDS-WG1-02 §3.4). */
export async function scopeDescriptions(ctx: CheckContext): Promise<Record<string, Json>> {
  return ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
}

/** The space-separated tokens of a scope string. */
export function scopeTokens(scope: unknown): string[] {
  return typeof scope === 'string' ? scope.split(' ').filter((token) => token !== '') : []
}

/**
 * The registration of the OAuth and Grants checks: one fresh registration per run (they create
 * Grants, close them and change Client objects), or the shared one when the run may not register.
 */
export function labRegistration(ctx: CheckContext): Promise<SuiteRegistration> {
  if (ctx.options.client !== undefined && ctx.options.allowRegistration === false) return ctx.registration()
  return ctx.once('wg1-02-oauth:registration', () => ctx.freshRegistration())
}

/** A `cds_client_admin` token of {@link labRegistration}, fetched once. */
export function labAdminToken(ctx: CheckContext): Promise<string> {
  return ctx.once('wg1-02-oauth:admin-token', async () => ctx.clientToken((await labRegistration(ctx)).admin, 'cds_client_admin'))
}

/** How far a scope is from "approve as preselected": customer-data selections make the form ask for more. */
function complexity(description: Json): number {
  const fields = Array.isArray(description.authorization_details_fields_supported) ? (description.authorization_details_fields_supported as Json[]) : []
  const selects = fields.some((field) => field.id === 'authorization_form_selection_type')
  return (selects ? 1000 : 0) + fields.length
}

/**
 * The code-flow Client object of a registration: a sandbox object when there is one (R1-02-4.2-16),
 * for the scope whose Authorization Form is simplest. Not applicable when no scope offers `code`.
 */
export async function codeClientOf(ctx: CheckContext, registration: SuiteRegistration): Promise<CodeClient> {
  const descriptions = await scopeDescriptions(ctx)
  const candidates: { client: Json; credentials: ClientCredentials; scope: string; description: Json; rank: number }[] = []
  for (const client of registration.clients) {
    const credentials = registration.secrets.get(String(client.client_id))
    if (credentials === undefined || !Array.isArray(client.response_types) || !client.response_types.includes('code')) continue
    const sandbox = Array.isArray(client.cds_status_options) && client.cds_status_options.includes('sandbox')
    for (const scope of scopeTokens(client.scope)) {
      const description = descriptions[scope]
      if (description === undefined) continue
      candidates.push({ client, credentials, scope, description, rank: complexity(description) + (sandbox ? 0 : 10_000) })
    }
  }
  candidates.sort((a, b) => a.rank - b.rank)
  const best = candidates[0]
  if (best === undefined) ctx.notApplicable('no Client object of the registration offers the authorization code flow')
  const redirect_uris = (Array.isArray(best.client.redirect_uris) ? best.client.redirect_uris : []) as string[]
  const redirect_uri = typeof best.client.cds_default_redirect_uri === 'string' ? best.client.cds_default_redirect_uri : redirect_uris[0]
  if (redirect_uri === undefined) ctx.fail(`the code-flow Client object ${String(best.client.client_id)} has no redirect URI`)
  return { client: best.client, credentials: best.credentials, scope: best.scope, description: best.description, redirect_uri, redirect_uris }
}

/** The code-flow Client object of {@link labRegistration}. */
export function labCodeClient(ctx: CheckContext): Promise<CodeClient> {
  return ctx.once('wg1-02-oauth:code-client', async () => codeClientOf(ctx, await labRegistration(ctx)))
}

/** A PKCE pair (RFC 7636 §4.1–§4.2, S256). */
export async function pkcePair(): Promise<{ code_verifier: string; code_challenge: string }> {
  const code_verifier = randomValue(32)
  return { code_verifier, code_challenge: await s256(code_verifier) }
}

/** A valid authorization request of `client` (PKCE S256, a random state), with `overrides` applied (`undefined` drops a parameter). */
export async function authorizationParams(client: CodeClient, overrides: Record<string, string | string[] | undefined> = {}): Promise<Record<string, string | string[] | undefined>> {
  const { code_challenge } = await pkcePair()
  return {
    response_type: 'code',
    client_id: String(client.client.client_id),
    redirect_uri: client.redirect_uri,
    scope: client.scope,
    state: randomValue(12),
    code_challenge,
    code_challenge_method: 'S256',
    ...overrides,
  }
}

/** What the authorization endpoint did with a request. */
export interface AuthorizationOutcome {
  response: HttpResponse
  /**
   * - `client`: a redirect to one of the Client's redirect URIs (an authorization response);
   * - `shown`: an answer to the user agent itself (an error page; RFC 6749 §4.1.2.1);
   * - `continues`: the flow goes on at the server (a login or consent page, or a redirect to one).
   */
  kind: 'client' | 'shown' | 'continues'
  /** The authorization response parameters when `kind` is `client`. */
  params: URLSearchParams
  /** The Location header, resolved. */
  location?: URL
}

function sameEndpoint(a: URL, b: string): boolean {
  try {
    const other = new URL(b)
    return a.origin === other.origin && a.pathname === other.pathname
  } catch {
    return false
  }
}

/** Sends an authorization request in the query (GET, redirects not followed) and sorts the answer. */
export async function authorize(ctx: CheckContext, params: Record<string, string | readonly string[] | undefined>, redirect_uris: readonly string[]): Promise<AuthorizationOutcome> {
  const url = new URL(await ctx.endpoint('authorization_endpoint'))
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue
    for (const one of typeof value === 'string' ? [value] : value) url.searchParams.append(name, one)
  }
  const response = await ctx.request({ url, headers: { accept: 'text/html,application/json' } })
  const header = response.headers.get('location')
  const location = header === null ? undefined : new URL(header, url)
  if (response.status >= 300 && response.status < 400 && location !== undefined) {
    if (redirect_uris.some((uri) => sameEndpoint(location, uri))) return { response, kind: 'client', params: location.searchParams, location }
    return { response, kind: 'continues', params: new URLSearchParams(), location }
  }
  if (response.status >= 400) return { response, kind: 'shown', params: new URLSearchParams(), ...(location === undefined ? {} : { location }) }
  return { response, kind: 'continues', params: new URLSearchParams() }
}

/** Fails unless the outcome is an error redirect to the Client with `error` (one of) and the request's `state`. */
export function expectClientError(ctx: CheckContext, outcome: AuthorizationOutcome, error: string | readonly string[], state?: string): void {
  const codes = typeof error === 'string' ? [error] : error
  if (outcome.kind !== 'client')
    ctx.fail(`${outcome.response.request} answered ${outcome.response.status} (${outcome.kind === 'shown' ? 'an error shown to the user' : 'the flow went on'}), expected a redirect to the Client with error=${codes.join(' or ')}`)
  const got = outcome.params.get('error')
  ctx.assert(got !== null && codes.includes(got), `the redirect to the Client carries error=${String(got)}, expected ${codes.join(' or ')}`)
  if (state !== undefined) ctx.assert(outcome.params.get('state') === state, `the error redirect carries state=${JSON.stringify(outcome.params.get('state'))}, not the request's ${JSON.stringify(state)}`)
}

/** Fails unless the flow goes on (no error redirect, no error page). */
export function expectContinues(ctx: CheckContext, outcome: AuthorizationOutcome, what: string): void {
  if (outcome.kind === 'client' && outcome.params.has('error'))
    ctx.fail(`${what}: the server redirected to the Client with error=${String(outcome.params.get('error'))} (${outcome.params.get('error_description') ?? ''})`)
  if (outcome.kind === 'shown') ctx.fail(`${what}: ${outcome.response.request} answered ${outcome.response.status}: ${outcome.response.text.slice(0, 200)}`)
}

/** Fails unless the server answered the user agent itself with an error, without redirecting to `forbidden` (a URI it must not trust). */
export function expectShown(ctx: CheckContext, outcome: AuthorizationOutcome, what: string, forbidden?: string): void {
  if (outcome.location !== undefined && forbidden !== undefined && sameEndpoint(outcome.location, forbidden))
    ctx.fail(`${what}: the server redirected to ${forbidden}, which it must not trust`)
  ctx.assert(outcome.kind === 'shown', `${what}: expected an error shown to the user (4xx, no redirect), got ${outcome.response.status}${outcome.location === undefined ? '' : ` to ${outcome.location.href}`}`)
  ctx.assert(outcome.response.status < 500, `${what}: the server answered ${outcome.response.status}`)
}

/** A pushed authorization request (RFC 9126 §2.1) with `client`'s credentials. */
export async function push(ctx: CheckContext, client: CodeClient, params: Record<string, string | readonly string[] | undefined>, credentials: ClientCredentials = client.credentials): Promise<HttpResponse> {
  return ctx.request({ url: await ctx.endpoint('pushed_authorization_request_endpoint'), basic: credentials, form: params })
}

/** Posts to the token endpoint with Basic authentication. */
export async function tokenRequest(ctx: CheckContext, credentials: ClientCredentials | undefined, form: Record<string, string | undefined>): Promise<HttpResponse> {
  return ctx.request({ url: await ctx.endpoint('token_endpoint'), ...(credentials === undefined ? {} : { basic: credentials }), form })
}

/** Introspects a token (RFC 7662 §2.1) with `credentials` and returns the JSON answer. */
export async function introspect(ctx: CheckContext, credentials: ClientCredentials, token: string): Promise<Json> {
  const response = await ctx.request({ url: await ctx.endpoint('introspection_endpoint'), basic: credentials, form: { token } })
  ctx.expectStatus(response, 200)
  return response.json<Json>()
}

/** Whether the run can drive a customer's consent (a browser and a test customer). */
export function canConsent(ctx: CheckContext, customers = 1): boolean {
  return ctx.options.browser !== undefined && (ctx.options.customers?.length ?? 0) >= customers
}

/** The `authorization_details` text of a request. */
export function detailsParam(entries: readonly Json[]): string {
  return JSON.stringify(entries)
}

/** Whether a `WWW-Authenticate` value names the scheme (RFC 9110 §11.6.1). */
export function challengeScheme(response: HttpResponse): string | undefined {
  return response.headers.get('www-authenticate')?.trim().split(/\s+/)[0]?.toLowerCase()
}

/**
 * Fails unless a bad `response_type` was refused: redirected with `unsupported_response_type` (or
 * `invalid_request` for a repeated one), as RFC 6749 §4.1.2.1 has it, or shown on the Invalid
 * Request Error page, as CDS-WG3-01 §9.3.2 has it (catalog A-13).
 */
export function expectResponseTypeRefused(ctx: CheckContext, outcome: AuthorizationOutcome, what: string, state?: string): void {
  if (outcome.kind === 'shown') {
    expectShown(ctx, outcome, what)
    return
  }
  expectClientError(ctx, outcome, ['unsupported_response_type', 'invalid_request'], state)
}

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])([:/]|$)/

/**
 * A copy of a JSON value with loopback `http:` URLs written as `https:` when the run allows
 * loopback http (`allowLoopbackHttp`), so that schemas asking for https can check a local server.
 */
export function asIfHttps<T>(ctx: CheckContext, value: T): T {
  if (ctx.options.allowLoopbackHttp !== true) return value
  return JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'string' && LOOPBACK_HTTP.test(item) ? `https${item.slice(4)}` : item)) as T
}
