/**
 * The Client object the authorization-form checks ask with, made once per run: a registration of
 * the suite's own (so it may change it), whose Client object for Meter Usage is given, through the
 * Clients API (CDS-WG1-02 §5.5), every other consent scope that fits it (so one request can carry
 * several Request Sections) and a Client-written Purpose (CDS-WG3-01 §8.3) whose text carries
 * markup, a very long word and fifty lines.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { ClientCredentials } from '../../core/options.js'
import { clientWithScope, type SuiteRegistration } from '../../core/registration.js'
import type { AuthorizationRequest } from './consent.js'

/** The suite's consent Client object for the form checks. */
export interface FormClient {
  /** The Client object as the Clients API shows it after the changes. */
  client: Json
  credentials: ClientCredentials
  /** Its `cds_client_admin` token, for the Clients and Grants APIs. */
  adminToken: string
  /** The redirect URI the requests use: the Client object's `cds_default_redirect_uri` (the server's own default). */
  redirect_uri: string
  /** The consent scope ids of the object, by Scope Description `type`. */
  scopes: ReadonlyMap<string, string>
  /** The id of the Client-written Purpose, when the server took it. */
  purpose?: string
  /** The Client's name and website as registered. */
  client_name: string
  client_uri: string
  /** The whole registration (its other Client objects are free for checks that change them). */
  registration: SuiteRegistration
}

/** The markup the Client-written Purpose carries (it must show as text, CDS-WG3-01 §9.2.2.4). */
export const PURPOSE_MARKUP = '<b>bold</b><script>window.__cdsPurposeRan = true</script>'
/** A 200-character word that must wrap inside the Purpose block. */
export const PURPOSE_LONG_WORD = 'Supercalifragilisticexpialidocious'.repeat(6).slice(0, 200)
/** The link the Purpose carries. */
export const PURPOSE_RELATED = { uri: 'https://auditors.conformance.example/terms', name: 'Read the full terms of the conformance auditors' }
/** The last line of the Purpose text (fifty lines: more than the ten the block may show). */
export const PURPOSE_LAST_LINE = 'Line 50: we keep your data no longer than needed.'

/** The Purpose text. */
export function purposeContent(): string {
  const lines = Array.from({ length: 50 }, (_, i) => `Line ${i + 1}: we keep your data no longer than needed.`)
  lines[0] = 'To estimate how efficient your home is.'
  lines[2] = PURPOSE_MARKUP
  lines[3] = PURPOSE_LONG_WORD
  return lines.join('\n')
}

const NAME = 'Conformance Energy Auditors'
const URI = 'https://auditors.conformance.example/'

/** Sends a JSON request with the admin token; fails on anything but 2xx. */
async function api(ctx: CheckContext, token: string, method: string, url: string, json?: unknown): Promise<Json> {
  const response = await ctx.request({ method, url, bearer: token, ...(json === undefined ? {} : { json }) })
  if (response.status < 200 || response.status > 299) ctx.fail(`${response.request} answered ${response.status}: ${response.text.slice(0, 300)}`)
  return response.text === '' ? {} : response.json<Json>()
}

/** The consent scopes of the server (a Scope Description with response types), by id. */
export async function consentScopes(ctx: CheckContext): Promise<Map<string, Json>> {
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  const out = new Map<string, Json>()
  for (const [id, description] of Object.entries(descriptions))
    if (Array.isArray(description.response_types_supported) && description.response_types_supported.includes('code')) out.set(id, description)
  return out
}

const same = (a: unknown, b: unknown) => Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x) => b.includes(x))

/**
 * The run's {@link FormClient} (made once). Skips when the run may not register; not applicable
 * when the server offers no consent scope.
 */
export function formClient(ctx: CheckContext): Promise<FormClient> {
  return ctx.once('afk:client', async () => {
    const scopes = await consentScopes(ctx)
    if (scopes.size === 0) ctx.notApplicable('the server offers no consent scope')
    const registration = await ctx.freshRegistration(undefined, { client_name: NAME, client_uri: URI })
    const adminToken = await ctx.clientToken(registration.admin, 'cds_client_admin')
    // The Client object of Meter Usage (the scope that offers every Selection type) or else any consent scope.
    const typeOf = (id: string): string => {
      const type = scopes.get(id)?.type
      return typeof type === 'string' ? type : id
    }
    const candidates = registration.clients.filter((c) => (typeof c.scope === 'string' ? c.scope : '').split(' ').some((id) => scopes.has(id)) && registration.secrets.has(String(c.client_id)))
    const rank = (c: Json) => (String(c.scope).split(' ').some((id) => typeOf(id) === 'cds_usage') ? 0 : 2) + (c.cds_status === 'production' ? 0 : 1)
    const base = candidates.sort((a, b) => rank(a) - rank(b))[0]
    if (base === undefined) ctx.fail('the registration made no Client object with a consent scope and a secret')
    const found = clientWithScope(registration, String(base.scope).split(' ')[0] ?? '')
    const credentials = registration.secrets.get(String(base.client_id)) ?? found?.credentials
    if (credentials === undefined) ctx.fail('no secret for the consent Client object')
    // Every consent scope with the same response and grant types and no registration requirement of its
    // own fits one Client object without a review (CDS-WG1-02 §5.5).
    const own = String(base.scope).split(' ')
    const fitting = [...scopes.entries()]
      .filter(
        ([id, d]) =>
          own.includes(id) ||
          (same(d.response_types_supported, base.response_types) && same(d.grant_types_supported, base.grant_types) && (d.registration_requirements as unknown[] | undefined)?.length === 0),
      )
      .map(([id]) => id)
    const uri = String(base.cds_client_uri)
    const proposed = { id: 'conformance-purpose', name: 'Efficiency estimate', content: purposeContent(), related_uri: PURPOSE_RELATED.uri, related_name: PURPOSE_RELATED.name, scopes_supported: [] }
    const put = await ctx.request({
      method: 'PUT',
      url: uri,
      bearer: adminToken,
      json: { ...base, scope: fitting.join(' '), cds_purposes: { ...((base.cds_purposes ?? {}) as Json), [proposed.id]: proposed } },
    })
    // The server would not widen the object (or holds that for review): keep its scope, still add the Purpose.
    if (put.status !== 200) await ctx.request({ method: 'PUT', url: uri, bearer: adminToken, json: { ...base, cds_purposes: { ...((base.cds_purposes ?? {}) as Json), [proposed.id]: proposed } } })
    const client = await api(ctx, adminToken, 'GET', uri)
    const purposes = (client.cds_purposes ?? {}) as Record<string, Json>
    const purpose = Object.values(purposes).find((p) => p.content === proposed.content)
    const byType = new Map<string, string>()
    for (const id of String(client.scope).split(' ')) if (scopes.has(id) && !byType.has(typeOf(id))) byType.set(typeOf(id), id)
    const redirect_uri = typeof client.cds_default_redirect_uri === 'string' ? client.cds_default_redirect_uri : (client.redirect_uris as string[] | undefined)?.[0]
    if (redirect_uri === undefined) ctx.fail('the consent Client object has no redirect URI')
    return {
      client,
      credentials,
      adminToken,
      redirect_uri,
      scopes: byType,
      ...(purpose === undefined ? {} : { purpose: String(purpose.id) }),
      client_name: NAME,
      client_uri: URI,
      registration,
    }
  })
}

/** The scope id of a type on the form Client object; not applicable when it has none. */
export function scopeOf(ctx: CheckContext, fc: FormClient, type: string): string {
  const id = fc.scopes.get(type)
  if (id === undefined) ctx.notApplicable(`the server offers no consent scope of type ${type} (or it does not fit one Client object)`)
  return id
}

/** An authorization request of the form Client object (its default redirect URI). */
export function formRequest(fc: FormClient, scope: string, authorization_details?: readonly Json[], extra?: Partial<AuthorizationRequest>): AuthorizationRequest {
  return { credentials: fc.credentials, redirect_uri: fc.redirect_uri, scope, ...(authorization_details === undefined ? {} : { authorization_details }), ...extra }
}

/** The Grants of the form Client object (CDS-WG1-02 §8.4), newest first as the server lists them. */
export async function grantsOf(ctx: CheckContext, fc: FormClient, filter = ''): Promise<Json[]> {
  const base = String((await ctx.oauthMetadata()).cds_grants_api)
  const url = new URL(base)
  url.searchParams.set('client_ids', String(fc.client.client_id))
  for (const [k, v] of new URLSearchParams(filter)) url.searchParams.set(k, v)
  const body = await api(ctx, fc.adminToken, 'GET', url.href)
  return Array.isArray(body.grants) ? (body.grants as Json[]) : ctx.fail(`${url.href} has no grants array`)
}
