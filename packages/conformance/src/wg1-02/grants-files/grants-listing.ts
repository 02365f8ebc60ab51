/**
 * CDS-WG1-02 §8.4 and §8.5: listing Grants (filters, intersection, order) and retrieving one.
 *
 * @module
 */
import { GrantListing } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { listAll } from '../../core/registration.js'
import { operatorGrant, receiptAuthorization } from '../oauth/flows.js'
import { labAdminToken, labCodeClient, scopeTokens } from '../oauth/lab.js'
import { canonical } from './grants.js'
import { allGrants, grantLab, patchGrant } from './lab.js'

/** Lists Grants with the given filters (every page) and returns them. */
async function listed(ctx: CheckContext, filters: Record<string, string>): Promise<Json[]> {
  const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
  for (const [name, value] of Object.entries(filters)) url.searchParams.set(name, value)
  const out: Json[] = []
  for await (const grant of listAll(ctx, url.href, await labAdminToken(ctx), 'grants')) out.push(grant)
  return out
}

const ids = (grants: readonly Json[]) => grants.map((grant) => String(grant.grant_id)).sort()

/** Fails unless the filter gives exactly the expected Grants. */
function expectSame(ctx: CheckContext, got: readonly Json[], expected: readonly Json[], what: string): void {
  ctx.assert(JSON.stringify(ids(got)) === JSON.stringify(ids(expected)), `${what} lists ${JSON.stringify(ids(got))}, expected ${JSON.stringify(ids(expected))}`)
}

/** An RFC 3339 time `ms` after `time` (millisecond precision). */
const shifted = (time: unknown, ms: number) => new Date(Date.parse(String(time)) + ms).toISOString()

/** The checks of CDS-WG1-02 §8.4 and §8.5. */
export const grantListingChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-8.4-01',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'the Grants API lists {grants, next, previous}',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const response = await ctx.request({ url: String((await ctx.oauthMetadata()).cds_grants_api), bearer: await labAdminToken(ctx) })
      ctx.expectStatus(response, 200)
      ctx.conforms(GrantListing, response.json(), 'the Grant listing')
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-03',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'grant_ids filters by id (space-separated)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await allGrants(ctx)
      const [a, b] = all
      if (a === undefined || b === undefined) ctx.fail('the registration has fewer than two Grants to filter')
      expectSame(ctx, await listed(ctx, { grant_ids: String(a.grant_id) }), [a], 'grant_ids=<one id>')
      expectSame(ctx, await listed(ctx, { grant_ids: `${String(a.grant_id)} ${String(b.grant_id)}` }), [a, b], 'grant_ids=<two ids>')
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-04',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'parents filters by parent grant_id',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const lab = await grantLab(ctx)
      expectSame(ctx, await listed(ctx, { parents: String(lab.parent.grant_id) }), [lab.child], 'parents=<the parent>')
      expectSame(ctx, await listed(ctx, { parents: String(lab.child.grant_id) }), [], 'parents=<a Grant without children>')
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-05',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'statuses filters by status (space-separated); an unknown status matches nothing',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await allGrants(ctx)
      const wanted = new Set(['active', 'closed', 'pending'])
      expectSame(ctx, await listed(ctx, { statuses: [...wanted].join(' ') }), all.filter((g) => wanted.has(String(g.status))), 'statuses=active closed pending')
      const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
      url.searchParams.set('statuses', 'cds-conformance-no-such-status')
      const unknown = await ctx.request({ url, bearer: await labAdminToken(ctx) })
      if (unknown.status === 200) ctx.assert(JSON.stringify(unknown.json<Json>().grants) === '[]', 'an unknown status matched Grants')
      else ctx.expectError(unknown, 400, 'invalid_request')
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-06',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'client_ids filters by Client object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await allGrants(ctx)
      const client = String(all[0]?.client_id)
      const expected = all.filter((g) => g.client_id === client)
      ctx.assert(expected.length > 0 && expected.length < all.length || all.length === 1, 'the registration has Grants of one Client object only')
      expectSame(ctx, await listed(ctx, { client_ids: client }), expected, `client_ids=${client}`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-07',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'scopes matches a scope token of the Grant or the type of one of its authorization_details entries',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await allGrants(ctx)
      const matches = (grant: Json, id: string) => scopeTokens(grant.scope).includes(id) || ((grant.authorization_details ?? []) as Json[]).some((entry) => entry.type === id)
      const scope = scopeTokens(all[0]?.scope)[0]
      if (scope === undefined) ctx.fail('the first Grant has no scope')
      expectSame(ctx, await listed(ctx, { scopes: scope }), all.filter((g) => matches(g, scope)), `scopes=${scope}`)
      // A type that only an entry carries, when some Grant has one.
      const byType = all.flatMap((g) => ((g.authorization_details ?? []) as Json[]).map((e) => String(e.type))).find((type) => !all.some((g) => scopeTokens(g.scope).includes(type)))
      if (byType !== undefined) expectSame(ctx, await listed(ctx, { scopes: byType }), all.filter((g) => matches(g, byType)), `scopes=${byType} (an entry type)`)
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-08',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'receipt_confirmations finds the Grant of a receipt code',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      const { grant } = await receiptAuthorization(ctx)
      const code = ((grant.receipt_confirmations ?? []) as string[])[0]
      if (code === undefined) ctx.fail('the Grant of the approval has no receipt confirmation')
      expectSame(ctx, await listed(ctx, { receipt_confirmations: code }), [grant], `receipt_confirmations=${code}`)
      expectSame(ctx, await listed(ctx, { receipt_confirmations: 'CONFORMANCE0' }), [], 'an unknown receipt code')
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-09',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'after keeps Grants created at or after the time (inclusive)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await allGrants(ctx)
      const pivot = all[Math.floor(all.length / 2)] ?? all[0]
      if (pivot === undefined) ctx.fail('the registration has no Grant')
      const at = Date.parse(String(pivot.created))
      expectSame(ctx, await listed(ctx, { after: String(pivot.created) }), all.filter((g) => Date.parse(String(g.created)) >= at), `after=${String(pivot.created)}`)
      const later = await listed(ctx, { after: shifted(pivot.created, 1) })
      ctx.assert(!ids(later).includes(String(pivot.grant_id)), 'after=<created + 1 ms> still lists the Grant')
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-10',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'before keeps Grants created at or before the time (inclusive)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await allGrants(ctx)
      const pivot = all[Math.floor(all.length / 2)] ?? all[0]
      if (pivot === undefined) ctx.fail('the registration has no Grant')
      const at = Date.parse(String(pivot.created))
      expectSame(ctx, await listed(ctx, { before: String(pivot.created) }), all.filter((g) => Date.parse(String(g.created)) <= at), `before=${String(pivot.created)}`)
      const earlier = await listed(ctx, { before: shifted(pivot.created, -1) })
      ctx.assert(!ids(earlier).includes(String(pivot.grant_id)), 'before=<created - 1 ms> still lists the Grant')
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-11',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'several filters intersect',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await allGrants(ctx)
      const client = await labCodeClient(ctx)
      const first = all.find((g) => g.client_id !== client.client.client_id) ?? all[0]
      if (first === undefined) ctx.fail('the registration has no Grant')
      const filters = { client_ids: String(first.client_id), statuses: String(first.status), scopes: scopeTokens(first.scope)[0] ?? '' }
      const expected = all.filter((g) => g.client_id === first.client_id && g.status === first.status && scopeTokens(g.scope).includes(filters.scopes))
      expectSame(ctx, await listed(ctx, filters), expected, 'client_ids, statuses and scopes together')
      expectSame(ctx, await listed(ctx, { client_ids: String(first.client_id), statuses: 'cds-conformance-no-such-status' }), [], 'client_ids with a status it has no Grant in')
    },
  }),
  defineCheck({
    id: 'R1-02-8.4-12',
    spec: 'CDS-WG1-02',
    section: '§8.4',
    title: 'Grants are listed newest modified first, and a changed Grant moves to the top',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const check = (grants: Json[]) => {
        for (let i = 1; i < grants.length; i++)
          ctx.assert(Date.parse(String(grants[i - 1]?.modified)) >= Date.parse(String(grants[i]?.modified)), `the listing has ${String(grants[i]?.modified)} after ${String(grants[i - 1]?.modified)}`)
      }
      check(await allGrants(ctx))
      if (ctx.options.operator === undefined) return
      const client = await labCodeClient(ctx)
      const grant = await operatorGrant(ctx, { client_id: client.client.client_id, scope: client.scope, status: 'active' })
      await operatorGrant(ctx, { client_id: client.client.client_id, scope: client.scope, status: 'active' })
      await new Promise((resolve) => setTimeout(resolve, 5))
      ctx.expectStatus(await patchGrant(ctx, grant, { status: 'closed' }), 200)
      const after = await allGrants(ctx)
      check(after)
      ctx.assert(after[0]?.grant_id === grant.grant_id, 'the Grant just closed is not first in the listing')
    },
  }),
  defineCheck({
    id: 'R1-02-8.5-01',
    spec: 'CDS-WG1-02',
    section: '§8.5',
    title: 'a Grant\'s uri answers that Grant; another registration\'s or an unknown Grant is 404',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await labAdminToken(ctx)
      const [grant] = await allGrants(ctx)
      if (grant === undefined) ctx.fail('the registration has no Grant')
      const one = await ctx.request({ url: String(grant.uri), bearer: token })
      ctx.expectStatus(one, 200)
      ctx.assert(canonical(one.json()) === canonical(grant), 'the Grant at its uri differs from the listed one')
      // A Grant of the shared registration, when it is another registration than the lab's.
      const foreign = await ctx.request({ url: String((await ctx.oauthMetadata()).cds_grants_api), bearer: await ctx.adminToken() })
      const theirs = ((foreign.json<Json>().grants ?? []) as Json[])[0]
      if (theirs !== undefined && !(await allGrants(ctx)).some((g) => g.grant_id === theirs.grant_id)) {
        const refused = await ctx.request({ url: String(theirs.uri), bearer: token })
        ctx.assert(refused.status === 404, `another registration's Grant answered ${refused.status}, expected 404`)
      }
      ctx.expectStatus(await ctx.request({ url: `${String(grant.uri).replace(/[^/]+$/, '')}cds-conformance-no-such-grant`, bearer: token }), 404)
    },
  }),
]
