/**
 * CDS-WG1-02 §8.6: a Client's PATCH of a Grant. Reductions apply without a new authorization,
 * widenings ask for one, `status` takes only `closed`, invalid values are 400 and members the
 * Client may not change are ignored.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { grantById, operatorGrant } from '../oauth/flows.js'
import { labAdminToken, labCodeClient, labRegistration, scopeDescriptions } from '../oauth/lab.js'
import { canonical } from './grants.js'
import { patchGrant, twoScopeClient } from './lab.js'

/** A Grant the check may change, with the token of its registration: made by the operator, else a registration Grant of a registration made for the check. */
async function changeable(ctx: CheckContext): Promise<{ grant: Json; token: string }> {
  if (ctx.options.operator !== undefined) {
    const client = await labCodeClient(ctx)
    return { grant: await operatorGrant(ctx, { client_id: client.client.client_id, scope: client.scope, status: 'active' }), token: await labAdminToken(ctx) }
  }
  const registration = await ctx.freshRegistration()
  const token = await ctx.clientToken(registration.admin, 'cds_client_admin')
  const list = await ctx.request({ url: String((await ctx.oauthMetadata()).cds_grants_api), bearer: token })
  ctx.expectStatus(list, 200)
  const grant = ((list.json<Json>().grants ?? []) as Json[]).find((g) => g.status === 'active' && !String(g.scope).split(' ').includes('cds_client_admin'))
  if (grant === undefined) ctx.skip('needs the operator test API, or a registration that comes with a Grant the Client may close')
  return { grant, token }
}

/** PATCHes a Grant with a token. */
function patch(ctx: CheckContext, grant: Json, token: string, body: unknown): Promise<HttpResponse> {
  return ctx.request({ method: 'PATCH', url: String(grant.uri), bearer: token, json: body })
}

/** A Grant of the two-scope Client object with the given scope. */
async function twoScopeGrant(ctx: CheckContext, scope: 'both' | 'first'): Promise<{ grant: Json; first: string; second: string }> {
  const { client_id, first, second } = await twoScopeClient(ctx)
  const grant = await operatorGrant(ctx, { client_id, scope: scope === 'both' ? `${first} ${second}` : first, status: 'active' })
  return { grant, first, second }
}

/**
 * A type whose entries are fixed by required string fields alone (no defaults, nothing resolved),
 * held by a Client object of the lab registration, with three distinct entries of it.
 */
async function plainEntries(ctx: CheckContext): Promise<{ client_id: string; scope: string; entries: [Json, Json, Json] }> {
  const descriptions = await scopeDescriptions(ctx)
  for (const client of (await labRegistration(ctx)).clients) {
    for (const type of (client.authorization_details_types ?? []) as string[]) {
      const fields = ((descriptions[type]?.authorization_details_fields_supported ?? []) as Json[]).filter((f) => ((f.for_types ?? [type]) as string[]).includes(type))
      if (descriptions[type]?.type === 'cds_grant_admin' || fields.length === 0 || !fields.every((f) => f.is_required === true && f.format === 'string' && !('default' in f))) continue
      const entry = (n: number): Json => Object.fromEntries([['type', type] as [string, unknown], ...fields.map((f): [string, unknown] => [String(f.id), `conformance-${n}`])])
      return { client_id: String(client.client_id), scope: type, entries: [entry(1), entry(2), entry(3)] }
    }
  }
  return ctx.notApplicable('no Client object holds a type whose entries are plain required strings')
}

/** The checks of CDS-WG1-02 §8.6. */
export const grantModifyChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-8.6-01',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'an empty PATCH answers 200 and changes nothing',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, token } = await changeable(ctx)
      const before = await ctx.request({ url: String(grant.uri), bearer: token })
      const response = await patch(ctx, grant, token, {})
      ctx.expectStatus(response, 200)
      ctx.assert(canonical(response.json()) === canonical(before.json()), 'an empty PATCH changed the Grant')
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-02',
    spec: 'CDS-WG1-02',
    section: '§8.6 (A-21)',
    title: 'status takes only "closed" from the Client: other statuses are 400, closed is 200 with no access left',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, token } = await changeable(ctx)
      for (const status of ['active', 'revoked', 'disabled', 'suspended'])
        ctx.expectError(await patch(ctx, grant, token, { status }), 400, ['invalid_request', 'invalid_grant'])
      const closed = await patch(ctx, grant, token, { status: 'closed' })
      ctx.expectStatus(closed, 200)
      const body = closed.json<Json>()
      ctx.assert(body.status === 'closed' && body.enabled_scope === '' && JSON.stringify(body.enabled_authorization_details) === '[]', `the closed Grant answers status ${String(body.status)}, enabled_scope ${JSON.stringify(body.enabled_scope)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-03',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'a changed scope is judged: a narrower one needs no new authorization, a wider one does',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { grant, first, second } = await twoScopeGrant(ctx, 'first')
      const narrowed = await patchGrant(ctx, (await twoScopeGrant(ctx, 'both')).grant, { scope: first })
      ctx.assert(narrowed.status < 300 && narrowed.json<Json>().status !== 'needs_authorization', `a narrower scope answered ${narrowed.status} with status ${String(narrowed.json<Json>().status)}`)
      const widened = await patchGrant(ctx, grant, { scope: `${first} ${second}` })
      ctx.assert(widened.status < 300 && ['needs_authorization', 'needs_sub_grants'].includes(String(widened.json<Json>().status)), `a wider scope answered ${widened.status} with status ${String(widened.json<Json>().status)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-04',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'removing a scope token takes effect without a new authorization (status kept, enabled_scope narrowed)',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { grant, first } = await twoScopeGrant(ctx, 'both')
      const response = await patchGrant(ctx, grant, { scope: first })
      ctx.expectStatus(response, [200, 202])
      const body = response.json<Json>()
      ctx.assert(body.status !== 'needs_authorization' && body.status !== 'needs_sub_grants', `a reduction made the Grant ${String(body.status)}`)
      if (response.status === 200) ctx.assert(body.status === 'active' && body.scope === first && body.enabled_scope === first, `after the reduction: status ${String(body.status)}, scope ${JSON.stringify(body.scope)}, enabled_scope ${JSON.stringify(body.enabled_scope)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-05',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'adding a scope token sets needs_authorization and keeps enabled_scope at what was granted',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { grant, first, second } = await twoScopeGrant(ctx, 'first')
      const response = await patchGrant(ctx, grant, { scope: `${first} ${second}` })
      ctx.expectStatus(response, [200, 202])
      const body = response.json<Json>()
      ctx.assert(['needs_authorization', 'needs_sub_grants'].includes(String(body.status)), `a widening left the Grant ${String(body.status)}`)
      ctx.assert(body.enabled_scope === first, `enabled_scope is ${JSON.stringify(body.enabled_scope)}, expected the scope granted before (${first})`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-06',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'a narrower authorization_details needs no new authorization; a wider one sets needs_authorization with enabled_authorization_details kept',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { client_id, scope, entries } = await plainEntries(ctx)
      const [one, two, three] = entries
      const grant = await operatorGrant(ctx, { client_id, scope, status: 'active', authorization_details: [one, two] })
      const narrowed = await patchGrant(ctx, grant, { authorization_details: [one] })
      ctx.expectStatus(narrowed, [200, 202])
      const body = narrowed.json<Json>()
      ctx.assert(body.status !== 'needs_authorization' && body.status !== 'needs_sub_grants', `dropping an entry made the Grant ${String(body.status)}`)
      if (narrowed.status === 200) ctx.assert(canonical(body.enabled_authorization_details) === canonical([one]), `after dropping an entry enabled_authorization_details is ${JSON.stringify(body.enabled_authorization_details)}`)
      const other = await operatorGrant(ctx, { client_id, scope, status: 'active', authorization_details: [one] })
      const widened = await patchGrant(ctx, other, { authorization_details: [one, three] })
      ctx.expectStatus(widened, [200, 202])
      const wide = widened.json<Json>()
      ctx.assert(['needs_authorization', 'needs_sub_grants'].includes(String(wide.status)), `adding an entry left the Grant ${String(wide.status)}`)
      ctx.assert(canonical(wide.enabled_authorization_details) === canonical([one]), `after adding an entry enabled_authorization_details is ${JSON.stringify(wide.enabled_authorization_details)}, expected the entry granted before`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-07',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'invalid values are 400 and change nothing',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, token } = await changeable(ctx)
      const before = canonical((await ctx.request({ url: String(grant.uri), bearer: token })).json())
      for (const body of [{ scope: 123 }, { scope: 'cds-conformance-no-such-scope' }, { authorization_details: 'not an array' }, { authorization_details: [{ no_type: true }] }, { status: 42 }]) {
        const response = await patch(ctx, grant, token, body)
        ctx.assert(response.status === 400, `PATCH ${JSON.stringify(body)} answered ${response.status}, expected 400`)
      }
      const after = canonical((await ctx.request({ url: String(grant.uri), bearer: token })).json())
      ctx.assert(after === before, 'a refused PATCH changed the Grant')
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-08',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'members the Client may not change are ignored (200, Grant unchanged)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, token } = await changeable(ctx)
      const before = canonical((await ctx.request({ url: String(grant.uri), bearer: token })).json())
      const response = await patch(ctx, grant, token, { client_id: 'cds-conformance-x', grant_id: 'cds-conformance-y', created: '2000-01-01T00:00:00Z', receipt_confirmations: ['X'], parent: 'cds-conformance-z' })
      ctx.expectStatus(response, 200)
      ctx.assert(canonical(response.json()) === before, 'the PATCH changed members the Client may not change')
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-09',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'a change applied at once answers 200 with the updated Grant',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { grant, first } = await twoScopeGrant(ctx, 'both')
      const response = await patchGrant(ctx, grant, { scope: first })
      if (response.status === 202) ctx.notApplicable('the server reviews Grant changes (202)')
      ctx.expectStatus(response, 200)
      const stored = await grantById(ctx, String(grant.grant_id))
      ctx.assert(canonical(response.json()) === canonical(stored), 'the 200 answer differs from the Grant as stored')
      ctx.assert(stored.scope === first, `the stored Grant has scope ${JSON.stringify(stored.scope)}, expected ${first}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.6-10',
    spec: 'CDS-WG1-02',
    section: '§8.6',
    title: 'a change under review answers 202: status pending, an eta, and the enabled access the Client keeps meanwhile',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { grant, first } = await twoScopeGrant(ctx, 'both')
      const response = await patchGrant(ctx, grant, { scope: first })
      if (response.status === 200) ctx.notApplicable('the server applies Grant changes at once, without review')
      ctx.expectStatus(response, 202)
      const body = response.json<Json>()
      ctx.assert(body.status === 'pending' && typeof body.eta === 'string', `a change under review answers status ${String(body.status)}, eta ${JSON.stringify(body.eta)}`)
      ctx.assert(body.enabled_scope === grant.enabled_scope, `enabled_scope is ${JSON.stringify(body.enabled_scope)} during the review, expected the access before it`)
    },
  }),
]
