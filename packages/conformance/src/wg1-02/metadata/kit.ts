/**
 * What the CDS-WG1-02 §2–§3 checks share: the Authorization Server Metadata read with exact
 * decimals, its Scope Descriptions, Registration Fields and Authorization Details Fields, and a
 * way to send `authorization_details` for a scope without a customer (a `client_credentials`
 * token request, or a pushed authorization request).
 *
 * @module
 */
import { CheckNotApplicable, CheckSkip } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import type { ClientCredentials } from '../../core/options.js'
import { codeClientOf, pkcePair, type CodeClient } from '../oauth/lab.js'

/** The Authorization Server Metadata read with exact decimals (for schema checks of `amount` and limits). */
export function exactAsm(ctx: CheckContext): Promise<Json> {
  return ctx.once('wg1-02-metadata:asm-exact', async () => {
    const url = (await ctx.serverMetadata()).oauth_metadata
    if (typeof url !== 'string') ctx.fail('the CDS Server Metadata has no oauth_metadata URL')
    const response = await ctx.request({ url })
    ctx.expectStatus(response, 200)
    const body = ctx.exactJson(response)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) ctx.fail('the Authorization Server Metadata is not a JSON object')
    return body as Json
  })
}

/** The strings of an array member (anything else is left out). */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

/** A JSON object member as a map of objects (an empty map when it is not an object). */
export function mapOf(value: unknown): Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, Json>) : {}
}

/** The Scope Descriptions by key (CDS-WG1-02 §3.2 `cds_scope_descriptions`). */
export async function descriptions(ctx: CheckContext): Promise<Record<string, Json>> {
  const asm = await ctx.oauthMetadata()
  if (typeof asm.cds_scope_descriptions !== 'object' || asm.cds_scope_descriptions === null) ctx.fail('the metadata has no cds_scope_descriptions object')
  return mapOf(asm.cds_scope_descriptions)
}

/** The Scope Descriptions of one `type`. */
export async function descriptionsOfType(ctx: CheckContext, type: string): Promise<Json[]> {
  return Object.values(await descriptions(ctx)).filter((description) => description.type === type)
}

/** The Registration Fields by key (CDS-WG1-02 §3.2 `cds_registration_fields`). */
export async function registrationFields(ctx: CheckContext): Promise<Record<string, Json>> {
  return mapOf((await ctx.oauthMetadata()).cds_registration_fields)
}

/** The Authorization Details Fields of a Scope Description. */
export function fieldsOf(description: Json): Json[] {
  return Array.isArray(description.authorization_details_fields_supported) ? (description.authorization_details_fields_supported as Json[]) : []
}

/** Every Authorization Details Field with the key of its Scope Description; not applicable when there is none. */
export async function everyField(ctx: CheckContext): Promise<{ scope: string; description: Json; field: Json }[]> {
  const out = Object.entries(await descriptions(ctx)).flatMap(([scope, description]) => fieldsOf(description).map((field) => ({ scope, description, field })))
  if (out.length === 0) ctx.notApplicable('no Scope Description has Authorization Details Fields')
  return out
}

/** The union of a list member over every Scope Description. */
export async function unionOf(ctx: CheckContext, member: string): Promise<Set<string>> {
  return new Set(Object.values(await descriptions(ctx)).flatMap((description) => strings(description[member])))
}

/** A loose JSON comparison (member order ignored). */
export function same(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(canonical) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, canonical(v)])) : value
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b))
}

/** How the suite sends `authorization_details` for one scope without a customer. */
export interface DetailsSender {
  scope: string
  description: Json
  /** `token`: a `client_credentials` request (200 when accepted); `par`: a pushed authorization request (201). */
  via: 'token' | 'par'
  send: (entries: readonly unknown[]) => Promise<HttpResponse>
  /** Sends `authorization_details` as given JSON text (exact digits), or only the scope when `undefined`. */
  sendText: (details: string | undefined) => Promise<HttpResponse>
}

/**
 * A sender for a scope through the run's registration: a `client_credentials` token request when
 * the scope and its Client object offer it, else a pushed authorization request of its code-flow
 * Client object. `undefined` when neither is possible.
 */
export async function senderFor(ctx: CheckContext, scope: string): Promise<DetailsSender | undefined> {
  const description = (await descriptions(ctx))[scope]
  if (description === undefined) return undefined
  const asm = await ctx.oauthMetadata()
  const registration = await ctx.registration()
  for (const client of registration.clients) {
    const credentials: ClientCredentials | undefined = registration.secrets.get(String(client.client_id))
    if (credentials === undefined || !strings(typeof client.scope === 'string' ? client.scope.split(' ') : []).includes(scope)) continue
    if (strings(client.grant_types).includes('client_credentials') && strings(description.grant_types_supported).includes('client_credentials')) {
      const token = String(asm.token_endpoint)
      const sendText = (details: string | undefined) =>
        ctx.request({ url: token, basic: credentials, form: { grant_type: 'client_credentials', ...(details === undefined ? { scope } : { authorization_details: details }) } })
      return { scope, description, via: 'token', sendText, send: (entries) => sendText(JSON.stringify(entries)) }
    }
    const redirect = typeof client.cds_default_redirect_uri === 'string' ? client.cds_default_redirect_uri : strings(client.redirect_uris)[0]
    if (typeof asm.pushed_authorization_request_endpoint === 'string' && strings(client.response_types).includes('code') && redirect !== undefined) {
      const par = asm.pushed_authorization_request_endpoint
      const sendText = async (details: string | undefined) => {
        const { code_challenge } = await pkcePair()
        const form = { response_type: 'code', client_id: String(client.client_id), redirect_uri: redirect, scope, state: 'cds-conformance', code_challenge, code_challenge_method: 'S256', authorization_details: details }
        return ctx.request({ url: par, basic: credentials, form })
      }
      return { scope, description, via: 'par', sendText, send: (entries) => sendText(JSON.stringify(entries)) }
    }
  }
  return undefined
}

/** A field and how to send values for it. */
export interface FieldTarget {
  sender: DetailsSender
  field: Json
  /** A valid entry of the scope without the field (its other required fields filled in). */
  base: Json
}

/** Scope types whose entries need a Grant (§3.3.2) or are made by the Server only (§3.3.3). */
const NOT_SENDABLE = new Set(['cds_grant_admin', 'cds_server_provided_files'])

/**
 * The first Authorization Details Field matching `pick` whose scope the suite can send entries for;
 * not applicable when the server has none.
 */
export async function fieldTarget(ctx: CheckContext, pick: (field: Json, description: Json) => boolean, what: string, prefer?: 'token'): Promise<FieldTarget> {
  let matched = false
  let fallback: FieldTarget | undefined
  for (const [scope, description] of Object.entries(await descriptions(ctx))) {
    if (NOT_SENDABLE.has(String(description.type))) continue
    for (const field of fieldsOf(description)) {
      if (!pick(field, description)) continue
      matched = true
      const sender = await senderFor(ctx, scope)
      if (sender === undefined) continue
      const target = { sender, field, base: baseEntry(scope, description, String(field.id)) }
      if (prefer === undefined || sender.via === prefer) return target
      fallback ??= target
    }
  }
  if (fallback !== undefined) return fallback
  if (!matched) ctx.notApplicable(`no Scope Description has ${what}`)
  return ctx.skip(`no Client object of the run's registration can send authorization_details for a scope with ${what}`)
}

/** An entry of `scope` with a valid value for every required field except `except`. */
export function baseEntry(scope: string, description: Json, except?: string): Json {
  const entry: Json = { type: scope }
  for (const field of fieldsOf(description)) if (field.is_required === true && field.id !== except) entry[String(field.id)] = validValue(field)
  return entry
}

/** The integer of a limit, or `undefined` when it is not one. */
export function intLimit(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}

/** A value of the field's format within its limits. */
export function validValue(field: Json): unknown {
  const format = String(field.format)
  const min = intLimit(field.minimum)
  const choices = Array.isArray(field.choices) ? (field.choices as Json[]) : []
  if (field.default !== undefined && field.is_required !== true) return field.default
  switch (format) {
    case 'int':
      return min ?? 1
    case 'decimal':
      return typeof field.minimum === 'number' ? field.minimum : 1
    case 'string':
    case 'string_or_null':
      return 'a'.repeat(Math.max(1, min ?? 1))
    case 'string_list':
      return ['a'.repeat(Math.max(1, min ?? 1))]
    case 'boolean':
      return false
    case 'choice':
      return choices[0]?.id
    case 'relative_or_absolute_date':
    case 'relative_or_absolute_datetime':
      return field.minimum ?? field.maximum ?? 'infinite'
    default:
      return format.endsWith('_or_null') ? null : undefined
  }
}

/** Fails unless the server accepted the entries (200 from the token endpoint, 201 from PAR). */
export function expectAccepted(ctx: CheckContext, sender: DetailsSender, response: HttpResponse, what: string): void {
  const want = sender.via === 'token' ? 200 : 201
  ctx.assert(response.status === want, `${what}: ${response.request} answered ${response.status}, expected ${want}: ${response.text.slice(0, 300)}`)
}

/** Fails unless the server refused the entries with 400 and one of `codes` (default `invalid_authorization_details`). */
export function expectRefused(ctx: CheckContext, response: HttpResponse, what: string, codes: readonly string[] = ['invalid_authorization_details']): void {
  const error = response.mediaType.endsWith('json') ? (response.json<Json>().error) : undefined
  ctx.assert(response.status === 400 && codes.includes(String(error)), `${what}: ${response.request} answered ${response.status} ${JSON.stringify(error ?? response.text.slice(0, 200))}, expected 400 ${codes.join(' or ')}`)
}

/** The run's own `cds_client_admin` registration for checks that write (Messages), made once. */
export function metadataRegistration(ctx: CheckContext) {
  return ctx.once('wg1-02-metadata:registration', () => ctx.freshRegistration('cds_client_admin'))
}

/** A Client Admin token of {@link metadataRegistration}. */
export function metadataAdminToken(ctx: CheckContext): Promise<string> {
  return ctx.once('wg1-02-metadata:admin-token', async () => ctx.clientToken((await metadataRegistration(ctx)).admin, 'cds_client_admin'))
}

/** The result of `work`, or `undefined` when it found the server without the feature or the run without a need. */
export async function optional<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work
  } catch (error) {
    if (error instanceof CheckNotApplicable || error instanceof CheckSkip) return undefined
    throw error
  }
}

/** The code-flow Client object of the run's registration that authenticates with a secret (public ones cannot push with Basic authentication). */
export async function confidentialCodeClient(ctx: CheckContext): Promise<CodeClient> {
  const registration = await ctx.registration()
  return codeClientOf(ctx, { ...registration, clients: registration.clients.filter((client) => client.token_endpoint_auth_method !== 'none') })
}
