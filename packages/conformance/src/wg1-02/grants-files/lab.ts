/**
 * The Grants the §8 checks look at, made once per run through the operator test API for the OAuth
 * checks' registration: a parent with a child, a replaced Grant and its successor, and Grants in
 * the statuses a Client cannot cause itself (`future`, `pending`, `expired`, `needs_authorization`).
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { listAll } from '../../core/registration.js'
import { grantById, operatorGrant, operatorGrantStatus } from '../oauth/flows.js'
import { labAdminToken, labCodeClient, labRegistration, scopeDescriptions, scopeTokens } from '../oauth/lab.js'

/** The lab's Grants, as the Grants API shows them after they were all made. */
export interface GrantLab {
  client_id: string
  scope: string
  parent: Json
  child: Json
  replaced: Json
  successor: Json
  future: Json
  pending: Json
  expired: Json
  needsAuthorization: Json
  /** Every Grant above. */
  all: Json[]
}

const DAY = 24 * 3600 * 1000

/** An RFC 3339 time `ms` from now, whole seconds. */
export function fromNow(ms: number): string {
  return new Date(Math.floor((Date.now() + ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}

/** The run's {@link GrantLab} (skipped without the operator test API). */
export function grantLab(ctx: CheckContext): Promise<GrantLab> {
  ctx.operator()
  return ctx.once('wg1-02-grants:lab', async () => {
    const client = await labCodeClient(ctx)
    const client_id = String(client.client.client_id)
    const base = { client_id, scope: client.scope }
    const make = (body: Json) => operatorGrant(ctx, { ...base, ...body })
    const parent = await make({ status: 'active' })
    const child = await make({ status: 'active', parent: parent.grant_id })
    const replaced = await make({ status: 'active' })
    const successor = await make({ status: 'active', replacing: [replaced.grant_id] })
    const future = await make({ status: 'future', not_before: fromNow(DAY) })
    const pending = await make({ status: 'pending', eta: fromNow(2 * DAY) })
    const ending = await make({ status: 'active' })
    await operatorGrantStatus(ctx, String(ending.grant_id), { status: 'expired', reason: 'conformance' })
    const needs = await make({ status: 'needs_authorization', enabled_scope: '', enabled_authorization_details: [] })
    const fetch = (grant: Json) => grantById(ctx, String(grant.grant_id))
    const lab = {
      client_id,
      scope: client.scope,
      parent: await fetch(parent),
      child: await fetch(child),
      replaced: await fetch(replaced),
      successor: await fetch(successor),
      future: await fetch(future),
      pending: await fetch(pending),
      expired: await fetch(ending),
      needsAuthorization: await fetch(needs),
    }
    return { ...lab, all: [lab.parent, lab.child, lab.replaced, lab.successor, lab.future, lab.pending, lab.expired, lab.needsAuthorization] }
  })
}

/** Every Grant the lab registration's Client admin token can see. */
export async function allGrants(ctx: CheckContext): Promise<Json[]> {
  const out: Json[] = []
  for await (const grant of listAll(ctx, String((await ctx.oauthMetadata()).cds_grants_api), await labAdminToken(ctx), 'grants')) out.push(grant)
  return out
}

/** A PATCH of a Grant with the lab's admin token. */
export async function patchGrant(ctx: CheckContext, grant: Json, body: unknown) {
  return ctx.request({ method: 'PATCH', url: String(grant.uri), bearer: await labAdminToken(ctx), json: body })
}

/** A Client object of the lab holding two code-flow scopes (changed through the Clients API, CDS-WG1-02 §5.5); made once. */
export function twoScopeClient(ctx: CheckContext): Promise<{ client_id: string; first: string; second: string }> {
  return ctx.once('wg1-02-grants:two-scope-client', async () => {
    const registration = await labRegistration(ctx)
    const descriptions = await scopeDescriptions(ctx)
    const main = await labCodeClient(ctx)
    const same = (a: Json, b: Json, key: string) => JSON.stringify(a[key]) === JSON.stringify(b[key])
    for (const client of registration.clients) {
      const [first, ...rest] = scopeTokens(client.scope)
      if (client.client_id === main.client.client_id || first === undefined || rest.length > 0 || !Array.isArray(client.response_types) || client.response_types.length === 0) continue
      const own = descriptions[first]
      if (own === undefined) continue
      const second = Object.keys(descriptions).find((id) => {
        const other = descriptions[id]
        if (other === undefined || id === first || ((other.registration_requirements ?? []) as unknown[]).length > 0) return false
        return same(own, other, 'response_types_supported') && same(own, other, 'grant_types_supported') && ((other.token_endpoint_auth_methods_supported ?? []) as unknown[]).includes(client.token_endpoint_auth_method)
      })
      if (second === undefined) continue
      const token = await labAdminToken(ctx)
      const current = await ctx.request({ url: String(client.cds_client_uri), bearer: token })
      ctx.expectStatus(current, 200)
      const put = await ctx.request({ method: 'PUT', url: String(client.cds_client_uri), bearer: token, json: { ...current.json<Json>(), scope: `${first} ${second}` } })
      if (put.status !== 200 || !scopeTokens(put.json<Json>().scope).includes(second)) continue
      return { client_id: String(client.client_id), first, second }
    }
    return ctx.notApplicable('no Client object of the registration could be given a second code-flow scope (CDS-WG1-02 §5.5)')
  })
}
