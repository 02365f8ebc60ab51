/**
 * Shared pieces of the CDS-WG3-01 §2–§6 checks: the check declaration, the Customer Data Scope
 * Descriptions the server publishes (found by their §6 `type`, never by the reference server's
 * ids), the §6 profile of each scope type (`@cds-ts/schema`), and the probes that need no
 * customer: a pushed authorization request (consent scopes, RFC 9126) and a `client_credentials`
 * token request (direct scopes, §6.2), both from the Client objects of the shared registration.
 *
 * @module
 */
import {
  CUSTOMER_CONSENT_SCOPES,
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  CUSTOMER_DATA_SCOPE_PROFILES,
  DIRECT_ACCESS_SCOPES,
  type CustomerDataFieldDefinition,
  type CustomerDataScopeProfile,
} from '@cds-ts/schema'
import type { TSchema } from 'typebox'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import type { ClientCredentials } from '../../core/options.js'
import { clientWithScope } from '../../core/registration.js'
import { randomValue, s256 } from '../authorization-form/consent.js'
import { declareCheck, METADATA } from '../declare.js'

export { METADATA, HTTP, CONSENT } from '../declare.js'
export type { CheckOptions } from '../declare.js'

/** Declares a CDS-WG3-01 check of this area (`section` without the `§`). */
export const check = declareCheck(METADATA)

/** The §6 profile of a Customer Data scope type. */
export function profileOf(type: string): CustomerDataScopeProfile {
  const profile = (CUSTOMER_DATA_SCOPE_PROFILES as Readonly<Record<string, CustomerDataScopeProfile>>)[type]
  if (profile === undefined) throw new TypeError(`no CDS-WG3-01 §6 scope type ${type}`)
  return profile
}

/** The §7 definition of a field id. */
export function fieldRule(id: string): CustomerDataFieldDefinition | undefined {
  return (CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS as Readonly<Record<string, CustomerDataFieldDefinition>>)[id]
}

/** Whether a field id is a §7.1 Preselection Field. */
export function isPreselection(id: string): boolean {
  return fieldRule(id)?.category === 'preselection'
}

/** The §6.1 consent scope types, in spec order. */
export const CONSENT_TYPES: readonly string[] = CUSTOMER_CONSENT_SCOPES
/** The §6.2 direct scope types, in spec order. */
export const DIRECT_TYPES: readonly string[] = DIRECT_ACCESS_SCOPES

/** One Customer Data Scope Description the server publishes. */
export interface CdScope {
  id: string
  /** The §6 scope type. */
  type: string
  /** Response types not empty (a §6.1 consent scope rather than a §6.2 direct scope). */
  consent: boolean
  description: Json
  /** Its Authorization Details Field objects by `id`. */
  fields: Map<string, Json>
  /** The RAR `type` a request uses for it (its id when listed, else its first type; A-02). */
  rarType: string
}

const TYPES = new Set<string>([...CONSENT_TYPES, ...DIRECT_TYPES])

/** The Customer Data scopes of a `cds_scope_descriptions` map. */
export function scopesOf(map: unknown): CdScope[] {
  const out: CdScope[] = []
  for (const [id, value] of Object.entries((map ?? {}) as Record<string, Json>)) {
    if (typeof value !== 'object' || value === null || !TYPES.has(String(value.type))) continue
    const fields = new Map<string, Json>()
    for (const field of (Array.isArray(value.authorization_details_fields_supported) ? value.authorization_details_fields_supported : []) as Json[])
      if (typeof field.id === 'string' && !fields.has(field.id)) fields.set(field.id, field)
    const types = (Array.isArray(value.authorization_details_types_supported) ? value.authorization_details_types_supported : []) as string[]
    const responses = value.response_types_supported
    out.push({ id, type: String(value.type), consent: Array.isArray(responses) && responses.length > 0, description: value, fields, rarType: types.includes(id) ? id : (types[0] ?? id) })
  }
  return out
}

/** Every Customer Data Scope Description of the public metadata (CDS-WG3-01 §6), in the server's order. */
export function cdScopes(ctx: CheckContext): Promise<CdScope[]> {
  return ctx.once('authz:scopes', async () => scopesOf((await ctx.oauthMetadata()).cds_scope_descriptions))
}

/** The server's scopes of a §6 type; not applicable when it offers none. */
export async function scopesOfType(ctx: CheckContext, type: string): Promise<CdScope[]> {
  const found = (await cdScopes(ctx)).filter((s) => s.type === type)
  if (found.length === 0) ctx.notApplicable(`the server offers no ${type} scope`)
  return found
}

/** The ids of a field object's choices. */
export function choiceIds(field: Json | undefined): string[] {
  return ((field?.choices ?? []) as Json[]).map((c) => String(c.id))
}

/** The strings of an array member (empty when it is not an array). */
export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : []
}

/** A JSON value as short text for messages. */
export function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 160 ? `${text.slice(0, 157)}...` : text
}

/** Credentials of a Client object of the shared registration that holds the scope. */
export async function credentialsFor(ctx: CheckContext, scope: string): Promise<{ client: Json; credentials: ClientCredentials }> {
  const found = clientWithScope(await ctx.registration(), scope)
  if (found === undefined) ctx.skip(`the suite's registration has no Client object with a secret for ${scope}`)
  return found
}

/** A request accepted (PAR 201, token 200) or refused, as the probe saw it. */
export interface Probe {
  response: HttpResponse
  accepted: boolean
}

/**
 * A pushed authorization request (RFC 9126 §2) for one consent scope with the given entries, from
 * the scope's Client object of the shared registration, PKCE S256. Not applicable without PAR.
 */
export async function parProbe(ctx: CheckContext, scope: CdScope, entries: readonly Json[] | undefined, extra: Record<string, string> = {}): Promise<Probe> {
  const endpoint = await ctx.endpoint('pushed_authorization_request_endpoint')
  const { client, credentials } = await credentialsFor(ctx, scope.id)
  const redirect = typeof client.cds_default_redirect_uri === 'string' ? client.cds_default_redirect_uri : strings(client.redirect_uris)[0]
  if (redirect === undefined) ctx.fail(`the Client object of ${scope.id} has no redirect URI`)
  const response = await ctx.request({
    url: endpoint,
    basic: credentials,
    form: {
      response_type: 'code',
      client_id: credentials.client_id,
      redirect_uri: redirect,
      scope: scope.id,
      state: randomValue(12),
      code_challenge: await s256(randomValue(32)),
      code_challenge_method: 'S256',
      ...(entries === undefined ? {} : { authorization_details: JSON.stringify(entries) }),
      ...extra,
    },
  })
  return { response, accepted: response.status === 201 }
}

/** A `client_credentials` token request (CDS-WG3-01 §6.2) for a scope, from its Client object of the shared registration. */
export async function tokenProbe(ctx: CheckContext, scope: CdScope, entries?: readonly Json[], form: Record<string, string> = {}): Promise<Probe> {
  const { credentials } = await credentialsFor(ctx, scope.id)
  const response = await ctx.request({
    url: await ctx.endpoint('token_endpoint'),
    basic: credentials,
    form: { grant_type: 'client_credentials', scope: scope.id, ...(entries === undefined ? {} : { authorization_details: JSON.stringify(entries) }), ...form },
  })
  return { response, accepted: response.status === 200 }
}

/** The probe a scope's own flow takes: PAR for a consent scope, `client_credentials` for a direct one. */
export function requestProbe(ctx: CheckContext, scope: CdScope, entries: readonly Json[]): Promise<Probe> {
  return scope.consent ? parProbe(ctx, scope, entries) : tokenProbe(ctx, scope, entries)
}

/** Fails unless the probe was refused with 400 `invalid_authorization_details` (RFC 9396 §5). */
export function expectRefused(ctx: CheckContext, probe: Probe, what: string): void {
  if (probe.accepted) ctx.fail(`${what} was accepted (${probe.response.status}); expected 400 invalid_authorization_details`)
  ctx.expectError(probe.response, 400, 'invalid_authorization_details')
}

/** Fails unless the probe was accepted. */
export function expectAccepted(ctx: CheckContext, probe: Probe, what: string): void {
  if (!probe.accepted) ctx.fail(`${what} was refused: ${probe.response.status} ${probe.response.text.slice(0, 300)}`)
}

/** A `cds_client_admin` request of the shared registration (Clients, Grants APIs); fails unless 2xx. */
export async function adminGet(ctx: CheckContext, url: string, token?: string): Promise<Json> {
  const response = await ctx.request({ url, bearer: token ?? (await ctx.adminToken()) })
  if (response.status !== 200) ctx.fail(`${response.request} answered ${response.status}: ${response.text.slice(0, 300)}`)
  return response.json<Json>()
}

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])([:/]|$)/

/**
 * Fails unless a value conforms to a schema of `@cds-ts/schema`, reading loopback `http:` URLs as
 * `https:` when the run allows loopback http (a local server cannot have the https the schemas ask for).
 */
export function conformsTo(ctx: CheckContext, schema: TSchema, value: unknown, what: string): void {
  const seen = ctx.options.allowLoopbackHttp === true ? (JSON.parse(JSON.stringify(value), (_key, item: unknown) => (typeof item === 'string' && LOOPBACK.test(item) ? `https${item.slice(4)}` : item)) as unknown) : value
  ctx.conforms(schema, seen, what)
}
