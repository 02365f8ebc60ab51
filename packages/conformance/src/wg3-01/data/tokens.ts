/**
 * The access tokens the Customer Data checks read with, found through the metadata only:
 * direct-access `client_credentials` tokens (CDS-WG3-01 §6.2) with `authorization_details` that turn
 * every offered `include_*` field on or off, Grant Admin tokens (CDS-WG1-02 §3.3.2), and the Client-
 * specific metadata the data API URLs are read from (CDS-WG3-01 §5, catalog §1.1).
 *
 * @module
 */
import { CUSTOMER_DATA_SCOPE_PROFILES } from '@cds-ts/schema'
import type { CheckContext, Json } from '../../core/context.js'
import type { ClientCredentials } from '../../core/options.js'
import { clientWithScope, type SuiteRegistration } from '../../core/registration.js'
import type { ApiKey, DataApi } from './apis.js'
import { apiOf } from './apis.js'
import { str } from './listing.js'

/** A token and the Client object it belongs to. */
export interface DataToken {
  token: string
  /** The Client object (its `cds_server_metadata` gives the data API URLs). */
  client: Json
  /** What the token is, for messages. */
  label: string
  /** The scope types it carries. */
  types: readonly string[]
  /** The token response. */
  response: Json
}

/** The Scope Descriptions of the server, by id. */
export async function descriptions(ctx: CheckContext): Promise<Record<string, Json>> {
  return ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
}

/** The fields a Scope Description offers, by id. */
export function fieldsOf(description: Json): Map<string, Json> {
  const fields = (description.authorization_details_fields_supported ?? []) as Json[]
  return new Map(fields.map((field) => [String(field.id), field]))
}

/** The `include_*` fields a scope type always includes (CDS-WG3-01 §6, "treated as true"). */
export function impliedFields(type: string): readonly string[] {
  const profile = (CUSTOMER_DATA_SCOPE_PROFILES as Record<string, { impliedTrueFields: readonly string[] } | undefined>)[type]
  return profile?.impliedTrueFields ?? []
}

/** The first published scope id of a Scope Description type. */
export async function scopeIdOfType(ctx: CheckContext, type: string): Promise<string | undefined> {
  const all = await descriptions(ctx)
  const supported = ((await ctx.oauthMetadata()).scopes_supported ?? []) as string[]
  return supported.find((id) => all[id]?.type === type)
}

/** The Authorization Server Metadata a Client object's `cds_server_metadata` leads to (CDS-WG1-02 §5.1), fetched once per object. */
export function clientMetadata(ctx: CheckContext, client: Json): Promise<Json> {
  return ctx.once(`data:client-asm:${String(client.client_id)}`, async () => {
    const wk = typeof client.cds_server_metadata === 'string' ? client.cds_server_metadata : undefined
    if (wk === undefined) return ctx.oauthMetadata()
    const server = await ctx.request({ url: wk })
    ctx.expectStatus(server, 200)
    const link = server.json<Json>().oauth_metadata
    if (typeof link !== 'string') ctx.fail(`${wk} has no oauth_metadata`)
    const asm = await ctx.request({ url: link })
    ctx.expectStatus(asm, 200)
    return asm.json<Json>()
  })
}

/** The URL of a listing for a token's Client object; not applicable when the metadata does not publish it. */
export async function apiUrl(ctx: CheckContext, token: DataToken, api: DataApi | ApiKey): Promise<string> {
  const a = typeof api === 'string' ? apiOf(api) : api
  const url = (await clientMetadata(ctx, token.client))[a.metadata] ?? (await ctx.oauthMetadata())[a.metadata]
  if (typeof url !== 'string') ctx.notApplicable(`the metadata publishes no ${a.metadata}`)
  return url
}

/** How a direct token's `include_*` fields are set: all offered on, all offered off, no authorization details, or an entry of its own. */
export type Variant = 'full' | 'bare' | 'plain' | { key: string; entry: Json }

/** An authorization details entry with every offered `include_*` field set to `on` (value types: every Choice, or `null`). */
export function includeEntry(description: Json, on: boolean): Json {
  const entry: Json = { type: (description.authorization_details_types_supported as string[] | undefined)?.[0] ?? description.type }
  for (const field of fieldsOf(description).values()) {
    const id = String(field.id)
    if (!id.startsWith('include_')) continue
    if (field.format === 'boolean') entry[id] = on
    else if (id === 'include_usage_segment_value_types') entry[id] = on ? ((field.choices ?? []) as Json[]).map((c) => c.id) : null
  }
  return entry
}

/** The suite registration's Client object and credentials for a scope id; fails when the registration has none. */
export async function suiteClient(ctx: CheckContext, scopeId: string, registration?: SuiteRegistration): Promise<{ client: Json; credentials: ClientCredentials }> {
  const found = clientWithScope(registration ?? (await ctx.registration()), scopeId)
  if (found === undefined) ctx.fail(`the suite's registration has no Client object with the scope ${scopeId} and a secret`)
  return found
}

/**
 * A direct-access token (CDS-WG3-01 §6.2) of the scope type, made once per variant; not applicable
 * when the server offers no such scope.
 */
export function directToken(ctx: CheckContext, type: string, variant: Variant = 'full'): Promise<DataToken> {
  const name = typeof variant === 'string' ? variant : variant.key
  return ctx.once(`data:direct:${type}:${name}`, async () => {
    const scopeId = await scopeIdOfType(ctx, type)
    if (scopeId === undefined) ctx.notApplicable(`the server offers no ${type} scope`)
    const description = (await descriptions(ctx))[scopeId] ?? {}
    const { client, credentials } = await suiteClient(ctx, scopeId)
    const entry = variant === 'plain' ? undefined : typeof variant === 'string' ? includeEntry(description, variant === 'full') : { ...includeEntry(description, true), ...variant.entry }
    const response = await tokenResponse(ctx, credentials, scopeId, entry === undefined ? {} : { authorization_details: JSON.stringify([entry]) })
    return { token: String(response.access_token), client, label: `a ${type} token (${name})`, types: [type], response }
  })
}

/** A client_credentials token response; fails unless 200 with an access token. */
export async function tokenResponse(ctx: CheckContext, credentials: ClientCredentials, scope: string, form: Record<string, string> = {}): Promise<Json> {
  const response = await ctx.request({ url: await ctx.endpoint('token_endpoint'), basic: credentials, form: { grant_type: 'client_credentials', scope, ...form } })
  if (response.status !== 200) ctx.fail(`the token request for ${scope} answered ${response.status}: ${response.text.slice(0, 300)}`)
  const body = response.json<Json>()
  if (typeof body.access_token !== 'string') ctx.fail('the token response has no access_token')
  return body
}

/** The Grant ids a token response names (`cds_grant_ids`, when the server adds them, A-32). */
export function grantIds(response: Json): string[] {
  if (Array.isArray(response.cds_grant_ids)) return response.cds_grant_ids.map(String)
  return typeof response.grant_id === 'string' ? [response.grant_id] : []
}

/**
 * The Grant behind a token: the one its response names, else the active Grant of its Client object
 * that holds its scope, read from the Grants API (CDS-WG1-02 §8.4) with the registration's admin token.
 */
export async function grantOf(ctx: CheckContext, token: Pick<DataToken, 'client' | 'response'>, registration?: SuiteRegistration): Promise<Json> {
  const admin = registration === undefined ? await ctx.adminToken() : await ctx.clientToken(registration.admin, 'cds_client_admin')
  const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
  const named = grantIds(token.response)[0]
  if (named !== undefined) url.searchParams.set('grant_ids', named)
  else url.searchParams.set('client_ids', String(token.client.client_id))
  const reply = await ctx.request({ url, bearer: admin })
  ctx.expectStatus(reply, 200)
  const scopes = str(token.response.scope ?? '').split(' ')
  const grants = (reply.json<Json>().grants ?? []) as Json[]
  const grant = grants.find((g) => (named === undefined ? g.status === 'active' && String(g.scope).split(' ').some((s) => scopes.includes(s)) : g.grant_id === named))
  if (grant === undefined) ctx.fail(`the Grants API lists no active Grant of ${String(token.client.client_id)} for ${scopes.join(' ')}`)
  return grant
}

/**
 * A Grant Admin token (CDS-WG1-02 §3.3.2) for a Grant of the scope `scopeId`: the scope's
 * `grant_admin_scope` with an entry naming the Client object and the Grant.
 */
export async function grantAdminToken(ctx: CheckContext, scopeId: string, clientId: string, grantId: string, registration?: SuiteRegistration): Promise<DataToken> {
  const description = (await descriptions(ctx))[scopeId] ?? {}
  const admin = description.grant_admin_scope
  if (typeof admin !== 'string') ctx.notApplicable(`the scope ${scopeId} has no grant_admin_scope`)
  const { client, credentials } = await suiteClient(ctx, admin, registration)
  const adType = ((await descriptions(ctx))[admin]?.authorization_details_types_supported as string[] | undefined)?.[0] ?? admin
  const response = await tokenResponse(ctx, credentials, admin, { authorization_details: JSON.stringify([{ type: adType, client_id: clientId, grant_id: grantId }]) })
  return { token: String(response.access_token), client, label: `a Grant Admin token for ${grantId}`, types: [admin], response }
}
