/**
 * How the suite gets Client objects: it registers itself through the registration endpoint
 * (CDS-WG1-02 §4) asking for every scope the server offers, or uses the `cds_client_admin`
 * credentials it was given; either way it then finds every Client object and its secret through
 * the Clients and Credentials APIs (§5, §7).
 *
 * @module
 */
import { CheckFailure } from './check.js'
import type { CheckContext, Json } from './context.js'
import type { ClientCredentials } from './options.js'

/** The suite's view of one registration. */
export interface SuiteRegistration {
  /** The `cds_client_admin` Client object's credentials. */
  admin: ClientCredentials
  /** The registration response (empty when the run was given credentials). */
  response: Json
  /** Every Client object of the registration, as the Clients API lists it. */
  clients: Json[]
  /** The credentials of each Client object that has a secret, by `client_id`. */
  secrets: Map<string, ClientCredentials>
  /** Whether the suite made this registration itself. */
  registered: boolean
}

/** Finds the Client object of a registration with a scope, and its credentials. */
export function clientWithScope(registration: SuiteRegistration, scope: string): { client: Json; credentials: ClientCredentials } | undefined {
  for (const client of registration.clients) {
    const scopes = (typeof client.scope === 'string' ? client.scope : '').split(' ')
    const credentials = registration.secrets.get(String(client.client_id))
    if (scopes.includes(scope) && credentials !== undefined) return { client, credentials }
  }
  return undefined
}

/** A placeholder value for a registration field of the given format (CDS-WG1-02 §3.5). */
function placeholder(format: string): unknown {
  if (format.endsWith('_or_null')) return null
  if (format === 'boolean') return true
  if (format.includes('email')) return 'conformance@example.com'
  if (format.includes('url') || format.includes('uri')) return 'https://conformance.example/'
  if (format.includes('phone')) return '+15555550100'
  return 'cds-ts conformance suite'
}

/** The body of the suite's registration request: the scopes and the fields they require. */
export async function registrationBody(ctx: CheckContext, scope?: string): Promise<Json> {
  const asm = await ctx.oauthMetadata()
  const descriptions = (asm.cds_scope_descriptions ?? {}) as Record<string, Json>
  const fields = (asm.cds_registration_fields ?? {}) as Record<string, Json>
  // Grant Admin Client objects come with the scopes that name them (CDS-WG1-02 §3.3.2), so the suite asks for the others.
  const offered = ((asm.scopes_supported ?? []) as string[]).filter((id) => descriptions[id]?.type !== 'cds_grant_admin')
  const scopes = scope?.split(' ') ?? ['cds_client_admin', ...offered.filter((id) => id !== 'cds_client_admin')]
  if (!scopes.includes('cds_client_admin')) scopes.unshift('cds_client_admin')
  const body: Json = { client_name: 'cds-ts conformance suite' }
  for (const id of scopes)
    for (const required of (descriptions[id]?.registration_requirements ?? []) as string[]) {
      const field = fields[required]
      if (field !== undefined && typeof field.field_name === 'string') body[field.field_name] ??= placeholder(typeof field.format === 'string' ? field.format : 'string')
    }
  body.scope = scopes.join(' ')
  return { ...body, ...ctx.options.registration }
}

/**
 * Registers (or takes the given admin credentials) and collects every Client object with its
 * secret.
 */
export async function registerSuite(ctx: CheckContext, given?: ClientCredentials, scope?: string, extra?: Json): Promise<SuiteRegistration> {
  let admin = given
  let response: Json = {}
  if (admin === undefined) {
    const endpoint = (await ctx.oauthMetadata()).registration_endpoint
    if (typeof endpoint !== 'string') ctx.skip('the server publishes no registration_endpoint and the run was given no credentials')
    const reply = await ctx.request({ url: endpoint, json: { ...(await registrationBody(ctx, scope)), ...extra } })
    if (reply.status !== 201) throw new CheckFailure(`the suite's registration answered ${reply.status}: ${reply.text.slice(0, 300)}`)
    response = reply.json<Json>()
    if (typeof response.client_id !== 'string' || typeof response.client_secret !== 'string')
      throw new CheckFailure('the registration response has no client_id and client_secret')
    admin = { client_id: response.client_id, client_secret: response.client_secret }
  }
  const asm = await ctx.oauthMetadata()
  const token = await ctx.clientToken(admin, 'cds_client_admin')
  const clients: Json[] = []
  for await (const client of listAll(ctx, String(asm.cds_clients_api), token, 'clients')) clients.push(client)
  const secrets = new Map<string, ClientCredentials>([[admin.client_id, admin]])
  for await (const credential of listAll(ctx, String(asm.cds_credentials_api), token, 'credentials')) {
    const id = String(credential.client_id)
    // The newest unexpired secret of each Client object (CDS-WG1-02 §7.1); the admin's is the one the suite holds.
    if (typeof credential.client_secret === 'string' && !secrets.has(id)) secrets.set(id, { client_id: id, client_secret: credential.client_secret })
  }
  return { admin, response, clients, secrets, registered: given === undefined }
}

/** Follows `next` through a listing (CDS-WG1-02 §5.3) and yields the items under `key`. */
export async function* listAll(ctx: CheckContext, url: string, token: string, key: string): AsyncGenerator<Json> {
  let next: string | null = url
  for (let page = 0; next !== null && page < 1000; page++) {
    const reply = await ctx.request({ url: next, bearer: token })
    if (reply.status !== 200) throw new CheckFailure(`${reply.request} answered ${reply.status}`)
    const body = reply.json<Json>()
    const items = body[key]
    if (!Array.isArray(items)) throw new CheckFailure(`${reply.request} has no ${key} array`)
    yield* items as Json[]
    next = typeof body.next === 'string' ? body.next : null
  }
}
