/**
 * CDS-WG1-02 §8.2: Grant statuses and the access each one gives. The server moves Grants through
 * the operator test API; access is observed through Grant Admin tokens (CDS-WG1-02 §3.3.2) and,
 * for partial access, through client-credentials tokens of a direct-access Client object.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { grantAdminRequest, grantAdminToken, grantById, operatorGrant, operatorGrantStatus } from '../oauth/flows.js'
import { introspect, labCodeClient, labRegistration, scopeDescriptions, scopeTokens, tokenRequest } from '../oauth/lab.js'
import { NO_ACCESS } from './grants.js'
import { fromNow, grantLab, patchGrant } from './lab.js'

/** The statuses of CDS-WG1-02 §8.2. */
const STATUSES = ['active', 'future', 'pending', 'partial', 'needs_authorization', 'needs_sub_grants', 'disabled', 'suspended', 'revoked', 'closed', 'expired', 'delayed', 'stopped', 'errored']

/** A new active Grant of the lab's code client with a Grant Admin token for it. */
async function administered(ctx: CheckContext): Promise<{ grant: Json; token: string; scope: string }> {
  const client = await labCodeClient(ctx)
  const grant = await operatorGrant(ctx, { client_id: client.client.client_id, scope: client.scope, status: 'active' })
  return { grant, token: await grantAdminToken(ctx, grant, client.scope), scope: client.scope }
}

/** Whether a token still gives access: it introspects as active for its registration. */
async function tokenActive(ctx: CheckContext, token: string): Promise<boolean> {
  return (await introspect(ctx, (await labRegistration(ctx)).admin, token)).active === true
}

/** Two client-credentials scopes a direct-access Client object can hold together (no required authorization_details field). */
async function directScopes(ctx: CheckContext): Promise<[string, string] | undefined> {
  const descriptions = await scopeDescriptions(ctx)
  const direct = Object.entries(descriptions)
    .filter(([id, d]) => {
      if (id === 'cds_client_admin' || d.type === 'cds_grant_admin' || ((d.registration_requirements ?? []) as unknown[]).length > 0) return false
      if (((d.response_types_supported ?? []) as unknown[]).length > 0 || !((d.grant_types_supported ?? []) as unknown[]).includes('client_credentials')) return false
      return !((d.authorization_details_fields_supported ?? []) as Json[]).some((field) => field.is_required === true)
    })
    .map(([id]) => id)
  return direct.length >= 2 ? [direct[0] ?? '', direct[1] ?? ''] : undefined
}

/** The checks of CDS-WG1-02 §8.2. */
export const grantStatusChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-8.2-01',
    spec: 'CDS-WG1-02',
    section: '§8.2',
    title: 'a Grant reports the §8.2 status the server gave it, whichever it is',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const client = await labCodeClient(ctx)
      const { grant } = await administered(ctx)
      for (const status of STATUSES.filter((s) => !['revoked', 'closed', 'expired', 'disabled'].includes(s))) {
        const body: Json = { status, reason: 'conformance' }
        if (status === 'future') body.not_before = fromNow(24 * 3600 * 1000)
        if (status === 'pending') body.eta = fromNow(24 * 3600 * 1000)
        await operatorGrantStatus(ctx, String(grant.grant_id), body)
        const seen = await grantById(ctx, String(grant.grant_id))
        ctx.assert(seen.status === status, `the Grant moved to ${status} reports status ${JSON.stringify(seen.status)}`)
      }
      for (const status of ['revoked', 'disabled', 'expired']) {
        const other = await operatorGrant(ctx, { client_id: client.client.client_id, scope: client.scope, status: 'active' })
        await operatorGrantStatus(ctx, String(other.grant_id), { status, reason: 'conformance' })
        ctx.assert((await grantById(ctx, String(other.grant_id))).status === status, `the Grant moved to ${status} does not report it`)
      }
      const lab = await grantLab(ctx)
      for (const seen of lab.all) ctx.assert(typeof seen.status === 'string' && seen.status !== '', `the Grant ${String(seen.grant_id)} has status ${JSON.stringify(seen.status)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.2-02',
    spec: 'CDS-WG1-02',
    section: '§8.2',
    title: 'a pending Grant keeps giving access: its tokens stay active and new ones are issued',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { grant, token, scope } = await administered(ctx)
      await operatorGrantStatus(ctx, String(grant.grant_id), { status: 'pending', eta: fromNow(24 * 3600 * 1000), reason: 'conformance' })
      ctx.assert(await tokenActive(ctx, token), 'a token of the Grant stopped working when the Grant became pending')
      const again = await grantAdminRequest(ctx, grant, scope)
      ctx.expectStatus(again.response, 200)
    },
  }),
  defineCheck({
    id: 'R1-02-8.2-04',
    spec: 'CDS-WG1-02',
    section: '§8.2',
    title: 'future, disabled, suspended, revoked, closed and expired Grants give no access: their tokens stop and no new token is issued',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      for (const status of NO_ACCESS) {
        const { grant, token, scope } = await administered(ctx)
        if (status === 'closed') ctx.expectStatus(await patchGrant(ctx, grant, { status: 'closed' }), 200)
        else await operatorGrantStatus(ctx, String(grant.grant_id), { status, reason: 'conformance', ...(status === 'future' ? { not_before: fromNow(24 * 3600 * 1000) } : {}) })
        ctx.assert(!(await tokenActive(ctx, token)), `a token of a ${status} Grant is still active`)
        const again = await grantAdminRequest(ctx, grant, scope)
        ctx.assert(again.response.status === 400, `a Grant Admin token request for a ${status} Grant answered ${again.response.status}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-8.2-05',
    spec: 'CDS-WG1-02',
    section: '§8.2',
    title: 'partial and needs_authorization Grants give only their enabled_scope',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const scopes = await directScopes(ctx)
      if (scopes === undefined) ctx.notApplicable('the server has no two direct-access scopes to grant partly')
      const [kept, dropped] = scopes
      const registration = await ctx.freshRegistration(`cds_client_admin ${kept} ${dropped}`)
      const admin = await ctx.clientToken(registration.admin, 'cds_client_admin')
      const object = registration.clients.find((c) => scopeTokens(c.scope).includes(kept))
      const credentials = object === undefined ? undefined : registration.secrets.get(String(object.client_id))
      if (object === undefined || credentials === undefined) ctx.fail(`no Client object with a secret holds ${kept}`)
      if (!scopeTokens(object.scope).includes(dropped)) {
        const put = await ctx.request({ method: 'PUT', url: String(object.cds_client_uri), bearer: admin, json: { ...object, scope: `${kept} ${dropped}` } })
        if (put.status !== 200) ctx.notApplicable(`the server would not put ${kept} and ${dropped} on one Client object (${put.status})`)
      }
      // Only the Grant made here may give access: close the Client object's other Grants.
      const list = await ctx.request({ url: `${String((await ctx.oauthMetadata()).cds_grants_api)}?client_ids=${encodeURIComponent(String(object.client_id))}`, bearer: admin })
      for (const old of (list.json<Json>().grants ?? []) as Json[])
        if (!NO_ACCESS.has(String(old.status))) ctx.expectStatus(await ctx.request({ method: 'PATCH', url: String(old.uri), bearer: admin, json: { status: 'closed' } }), 200)
      for (const status of ['partial', 'needs_authorization']) {
        const grant = await operatorGrant(ctx, { client_id: object.client_id, scope: `${kept} ${dropped}`, status, enabled_scope: kept, enabled_authorization_details: [] })
        ctx.expectStatus(await tokenRequest(ctx, credentials, { grant_type: 'client_credentials', scope: kept }), 200)
        const refused = await tokenRequest(ctx, credentials, { grant_type: 'client_credentials', scope: dropped })
        ctx.assert(refused.status === 400, `a ${status} Grant with enabled_scope "${kept}" let a token for ${dropped} through (${refused.status})`)
        const whole = await tokenRequest(ctx, credentials, { grant_type: 'client_credentials' })
        if (whole.status === 200) ctx.assert(scopeTokens(whole.json<Json>().scope).every((s) => s === kept), `a token of a ${status} Grant has scope ${String(whole.json<Json>().scope)} beyond enabled_scope "${kept}"`)
        ctx.expectStatus(await ctx.request({ method: 'PATCH', url: String(grant.uri), bearer: admin, json: { status: 'closed' } }), 200)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-8.2-07',
    spec: 'CDS-WG1-02',
    section: '§8.2',
    title: 'a Grant the Client closes is closed, never revoked',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { grant } = await administered(ctx)
      const closed = await patchGrant(ctx, grant, { status: 'closed' })
      ctx.expectStatus(closed, 200)
      ctx.assert(closed.json<Json>().status === 'closed', `the closed Grant answers status ${JSON.stringify(closed.json<Json>().status)}`)
      ctx.assert((await grantById(ctx, String(grant.grant_id))).status === 'closed', 'the Grants API does not show the Grant closed')
    },
  }),
  defineCheck({
    id: 'R1-02-8.2-08',
    spec: 'CDS-WG1-02',
    section: '§8.2',
    title: 'delayed and stopped Grants are reported and keep access; errored is reported',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      for (const status of ['delayed', 'stopped', 'errored']) {
        const { grant, token } = await administered(ctx)
        await operatorGrantStatus(ctx, String(grant.grant_id), { status, reason: 'conformance' })
        const seen = await grantById(ctx, String(grant.grant_id))
        ctx.assert(seen.status === status, `the Grant reports ${JSON.stringify(seen.status)}, not ${status}`)
        if (status !== 'errored') {
          ctx.assert(await tokenActive(ctx, token), `a token of a ${status} Grant stopped working`)
          ctx.assert(seen.enabled_scope === seen.scope, `a ${status} Grant has enabled_scope ${JSON.stringify(seen.enabled_scope)}`)
        }
      }
    },
  }),
]
