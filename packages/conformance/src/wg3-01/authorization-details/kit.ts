/**
 * Shared pieces of the CDS-WG3-01 §7–§8 checks: the check declaration, the Customer Data Scope
 * Descriptions the server publishes (found by their §6 `type`, never by the reference server's
 * ids), the fixed rules of each §7 field (`@cds-ts/schema`), and the two ways a request is probed
 * without a customer: a pushed authorization request (consent scopes, RFC 9126) and a
 * `client_credentials` token request (direct scopes, CDS-WG3-01 §6.2).
 *
 * @module
 */
import {
  CUSTOMER_CONSENT_SCOPES,
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  CUSTOMER_DATA_SCOPE_PROFILES,
  DIRECT_ACCESS_SCOPES,
  stringifyJson,
  type CustomerDataFieldDefinition,
  type CustomerDataScopeProfile,
} from '@cds-ts/schema'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import type { ClientCredentials } from '../../core/options.js'
import { clientWithScope } from '../../core/registration.js'
import { randomValue, s256 } from '../authorization-form/consent.js'
import { formClient } from '../authorization-form/form-client.js'
import { declareCheck, HTTP } from '../declare.js'

export { HTTP, METADATA } from '../declare.js'
export type { CheckOptions } from '../declare.js'

/** Declares a CDS-WG3-01 check of this area (`section` without the `§`). */
export const check = declareCheck(HTTP)

/** The §7 definition of a field id, or undefined for a field §7 does not define. */
export function knownField(id: string): CustomerDataFieldDefinition | undefined {
  return (CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS as Readonly<Record<string, CustomerDataFieldDefinition>>)[id]
}

/** The §7 definition of a field id (CDS-WG3-01 §7, catalog T8). */
export function fieldRule(id: string): CustomerDataFieldDefinition {
  const rule = knownField(id)
  if (rule === undefined) throw new TypeError(`no CDS-WG3-01 §7 field ${id}`)
  return rule
}

/** The §6 profile of a Customer Data scope type. */
export function profileOf(type: string): CustomerDataScopeProfile | undefined {
  return (CUSTOMER_DATA_SCOPE_PROFILES as Readonly<Record<string, CustomerDataScopeProfile>>)[type]
}

/** One Customer Data Scope Description the server publishes. */
export interface CdScope {
  id: string
  /** The §6 scope type. */
  type: string
  /** A §6.1 consent scope (response types not empty) rather than a §6.2 direct scope. */
  consent: boolean
  description: Json
  /** Its Authorization Details Field objects by `id`. */
  fields: Map<string, Json>
  /** The RAR `type` a request uses for it (its id when listed, else its first type). */
  rarType: string
}

const TYPES = new Set<string>([...CUSTOMER_CONSENT_SCOPES, ...DIRECT_ACCESS_SCOPES])

/** Every Customer Data Scope Description of the public metadata (CDS-WG3-01 §6), in the server's order. */
export function cdScopes(ctx: CheckContext): Promise<CdScope[]> {
  return ctx.once('adf:scopes', async () => scopesOf((await ctx.oauthMetadata()).cds_scope_descriptions))
}

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
    out.push({
      id,
      type: String(value.type),
      consent: Array.isArray(responses) && responses.length > 0,
      description: value,
      fields,
      rarType: types.includes(id) ? id : (types[0] ?? id),
    })
  }
  return out
}

/** The scopes that offer a field (consent or direct only, when asked). */
export async function scopesWith(ctx: CheckContext, field: string, kind?: 'consent' | 'direct'): Promise<CdScope[]> {
  return (await cdScopes(ctx)).filter((s) => s.fields.has(field) && (kind === undefined || s.consent === (kind === 'consent')))
}

/** The first scope of a type, or not applicable. */
export async function scopeOfType(ctx: CheckContext, type: string): Promise<CdScope> {
  const scope = (await cdScopes(ctx)).find((s) => s.type === type)
  if (scope === undefined) ctx.notApplicable(`the server offers no ${type} scope`)
  return scope
}

/** Whether the field object has a `default` member. */
export function hasDefault(field: Json): boolean {
  return Object.hasOwn(field, 'default')
}

/** The ids of a field object's choices. */
export function choiceIds(field: Json | undefined): string[] {
  return ((field?.choices ?? []) as Json[]).map((c) => String(c.id))
}

/** A request accepted (PAR 201, token 200) or refused, as the probe saw it. */
export interface Probe {
  response: HttpResponse
  accepted: boolean
  /** The `authorization_details` of an accepted token response (direct scopes only). */
  details?: Json[]
  /** The access token of an accepted token request. */
  token?: string
}

/** Credentials of a Client object of the shared registration that holds the scope. */
export async function credentialsFor(ctx: CheckContext, scope: string): Promise<{ client: Json; credentials: ClientCredentials }> {
  const found = clientWithScope(await ctx.registration(), scope)
  if (found === undefined) ctx.skip(`the suite's registration has no Client object with a secret for ${scope}`)
  return found
}

/**
 * A pushed authorization request (RFC 9126 §2) of a consent scope with the given entries, from a
 * Client object of the shared registration; PKCE S256. Not applicable without PAR.
 */
export async function parProbe(ctx: CheckContext, scopes: readonly CdScope[], entries: readonly Json[], extra: Record<string, string> = {}): Promise<Probe> {
  const endpoint = await ctx.endpoint('pushed_authorization_request_endpoint')
  const [first] = scopes
  if (first === undefined) throw new TypeError('parProbe needs a scope')
  const client = await consentClient(ctx, scopes.map((s) => s.id))
  const response = await ctx.request({
    url: endpoint,
    basic: client.credentials,
    form: {
      response_type: 'code',
      client_id: client.credentials.client_id,
      redirect_uri: client.redirect_uri,
      scope: scopes.map((s) => s.id).join(' '),
      state: randomValue(12),
      code_challenge: await s256(randomValue(32)),
      code_challenge_method: 'S256',
      authorization_details: JSON.stringify(entries),
      ...extra,
    },
  })
  return { response, accepted: response.status === 201 }
}

/** A consent Client object holding every given scope, with its redirect URI. */
async function consentClient(ctx: CheckContext, scopes: readonly string[]): Promise<{ credentials: ClientCredentials; redirect_uri: string }> {
  if (scopes.length === 1) {
    const found = await credentialsFor(ctx, scopes[0] ?? '')
    const redirect = found.client.cds_default_redirect_uri ?? (found.client.redirect_uris as string[] | undefined)?.[0]
    if (typeof redirect !== 'string') ctx.fail(`the Client object of ${scopes[0] ?? ''} has no redirect URI`)
    return { credentials: found.credentials, redirect_uri: redirect }
  }
  // Several scopes in one request need one object that holds them all: the form checks' Client object.
  const fc = await formClient(ctx)
  const held = String(fc.client.scope).split(' ')
  for (const scope of scopes) if (!held.includes(scope)) ctx.skip(`no Client object of the suite holds ${scopes.join(' ')} together`)
  return { credentials: fc.credentials, redirect_uri: fc.redirect_uri }
}

/** Fails unless the probe was refused with 400 `invalid_authorization_details`. */
export function expectRefused(ctx: CheckContext, probe: Probe, what: string): void {
  if (probe.accepted) ctx.fail(`${what} was accepted (${probe.response.status}); expected 400 invalid_authorization_details`)
  ctx.expectError(probe.response, 400, 'invalid_authorization_details')
}

/** Fails unless the probe was accepted. */
export function expectAccepted(ctx: CheckContext, probe: Probe, what: string): void {
  if (!probe.accepted) ctx.fail(`${what} was refused: ${probe.response.status} ${probe.response.text.slice(0, 300)}`)
}

/** A JSON value as short text for messages. */
export function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : stringifyJson(value)
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}
