/**
 * What the §5.5 checks need besides a PUT: a scope a Client object can take on (with or without
 * an after-registration requirement), a valid non-empty `cds_default_authorization_details`, and
 * the Client object whose scope change the server holds for review (CDS-WG1-02 §5.5, §6.2).
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { currentClient, putClient } from './client-samples.js'
import { jsonBody, labToken, reserveClient, scopeTokens, type LabClient } from './kit.js'
import { labMessages, newMessages } from './messages-kit.js'

/** The server's Scope Descriptions by id (CDS-WG1-02 §3.4). */
export async function descriptions(ctx: CheckContext): Promise<Record<string, Json>> {
  return ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
}

const same = (a: unknown, b: unknown) => JSON.stringify([...((a ?? []) as string[])].sort()) === JSON.stringify([...((b ?? []) as string[])].sort())

/**
 * A scope the Client object does not hold yet and could hold beside its own: the same response
 * and grant types and its auth method among the scope's (what a Server can put on one object).
 * `requirements` says whether the scope must bring a registration requirement its scopes lack.
 */
export function addableScope(all: Record<string, Json>, client: Json, requirements: boolean): string | undefined {
  const own = scopeTokens(client.scope)
  const first = all[own[0] ?? '']
  if (first === undefined) return undefined
  const had = new Set(own.flatMap((id) => (all[id]?.registration_requirements ?? []) as string[]))
  return Object.keys(all).find((id) => {
    const other = all[id]
    if (other === undefined || own.includes(id) || other.type === 'cds_client_admin' || other.type === 'cds_grant_admin' || id === 'cds_client_admin') return false
    const needs = ((other.registration_requirements ?? []) as string[]).filter((field) => !had.has(field))
    if (requirements !== needs.length > 0) return false
    const methods = (other.token_endpoint_auth_methods_supported ?? []) as unknown[]
    return same(first.response_types_supported, other.response_types_supported) && same(first.grant_types_supported, other.grant_types_supported) && methods.includes(client.token_endpoint_auth_method)
  })
}

/**
 * A non-empty, valid `cds_default_authorization_details` for a Client object: one entry of its
 * first scope's type, setting one optional field to its published default (CDS-WG1-02 §3.8).
 */
export function defaultDetails(all: Record<string, Json>, client: Json): Json[] | undefined {
  const types = (client.authorization_details_types ?? []) as string[]
  const scope = scopeTokens(client.scope).find((id) => types.includes(id))
  if (scope === undefined) return undefined
  const fields = (all[scope]?.authorization_details_fields_supported ?? []) as Json[]
  const applies = (field: Json) => !Array.isArray(field.for_types) || field.for_types.includes(scope)
  if (fields.some((field) => field.is_required === true && applies(field))) return undefined
  const simple = fields.find((field) => applies(field) && field.is_required !== true && (typeof field.default === 'boolean' || typeof field.default === 'string'))
  return [{ type: scope, ...(simple === undefined ? {} : { [String(simple.id)]: simple.default }) }]
}

/** A PUT of a scope change that the server held for review (CDS-WG1-02 §5.5), or why there is none. */
export interface Review {
  client: Json
  before: Json
  response: HttpResponse
  /** The body of the 202. */
  answer: Json
  /** The scope asked for. */
  requested: string
  /** The Messages that appeared with the PUT. */
  added: Json[]
  /** The `field_changes` Message among them. */
  fieldChanges?: Json
}

/** The run's {@link Review}: adding a scope that brings a registration requirement; not applicable when the server applies it at once. */
export function reviewedChange(ctx: CheckContext): Promise<Review> {
  return ctx.once('wg1-02-apis:review', async () => {
    const all = await descriptions(ctx)
    const picked: LabClient = await reserveClient(ctx, 'review', (client) => addableScope(all, client, true) !== undefined, 'Client object that can take a scope with a registration requirement')
    const token = await labToken(ctx)
    const before = await currentClient(ctx, token, picked.client)
    const requested = `${String(before.scope)} ${String(addableScope(all, before, true))}`
    const messages = await labMessages(ctx)
    const response = await putClient(ctx, token, before, { scope: requested })
    const answer = jsonBody(ctx, response, [200, 202])
    const added = newMessages(messages, await labMessages(ctx))
    if (response.status === 200) ctx.notApplicable(`the server applied the scope change to "${requested}" at once; no field needed review`)
    const fieldChanges = added.find((message) => message.type === 'field_changes')
    return { client: picked.client, before, response, answer, requested, added, ...(fieldChanges === undefined ? {} : { fieldChanges }) }
  })
}
