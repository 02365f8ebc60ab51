/**
 * CDS-WG1-01 §8.1 Authentication: public metadata needs none, restricted metadata uses an
 * established mechanism, and what an object links is reachable with no stricter authentication.
 * The restricted document the suite can reach is a Client object's own `cds_server_metadata`
 * (CDS-WG1-02 §5.1), which the server publishes when a Client object's Scope Descriptions differ
 * from the public ones; the operator test API can make one.
 *
 * @module
 */
import { ServerMetadata } from '@cds-ts/schema'
import { CheckNotApplicable, CheckSkip, defineCheck, type Check } from '../core/check.js'
import type { CheckContext, Json } from '../core/context.js'
import { listAll } from '../core/registration.js'
import { WELL_KNOWN } from './conditional.js'
import { conformsOpen, coverage, jsonObject } from './kit.js'

/** A metadata document restricted to one registration, and the Client Admin token that reads it. */
interface Restricted {
  url: string
  token: string
}

/** Scope types whose Scope Descriptions CDS-WG1-02 §3.3 fixes (not to be narrowed). */
const FIXED_TYPES = new Set(['cds_client_admin', 'cds_grant_admin', 'cds_server_provided_files'])

/** A Client object's own `cds_server_metadata`: found in the run's registration, or made through the operator test API. */
function restrictedMetadata(ctx: CheckContext): Promise<Restricted> {
  return ctx.once('wg1-01:restricted-metadata', async () => {
    const publicUrl = ctx.url(WELL_KNOWN).href
    const own = (clients: Json[]) => clients.find((client) => typeof client.cds_server_metadata === 'string' && client.cds_server_metadata !== publicUrl)
    const shared = await ctx.registration()
    const found = own(shared.clients)
    if (found !== undefined) return { url: String(found.cds_server_metadata), token: await ctx.adminToken() }
    if (ctx.options.operator === undefined) ctx.notApplicable('no Client object of the registration has restricted metadata, and the operator test API is not given to make one')
    const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
    const scope = Object.values(descriptions).find((d) => !FIXED_TYPES.has(String(d.type)) && typeof d.id === 'string')?.id
    if (typeof scope !== 'string') ctx.notApplicable('the server offers no scope whose Scope Description could be narrowed for one Client object')
    const registration = await ctx.freshRegistration(`cds_client_admin ${scope}`)
    const client = registration.clients.find((c) => typeof c.scope === 'string' && c.scope.split(' ').includes(scope))
    if (client === undefined) ctx.fail(`the registration for ${scope} has no Client object with that scope`)
    const change = await ctx.operatorRequest(`clients/${encodeURIComponent(String(client.client_id))}/scope-overrides`, {
      method: 'PUT',
      json: { scope_overrides: { [scope]: { description: 'Narrowed by the cds-ts conformance suite for one Client object.' } } },
    })
    ctx.expectStatus(change, 200)
    const token = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const clientsApi = String((await ctx.oauthMetadata()).cds_clients_api)
    const clients: Json[] = []
    for await (const one of listAll(ctx, clientsApi, token, 'clients')) clients.push(one)
    const narrowed = own(clients)
    if (narrowed === undefined) ctx.fail('after narrowing a Scope Description for one Client object, its cds_server_metadata is still the public metadata')
    return { url: String(narrowed.cds_server_metadata), token }
  })
}

/** The URLs a metadata object links (CDS-WG1-01 §8.1, plus `oauth_metadata` of CDS-WG1-02 §3.1). */
function linksOf(doc: Json): string[] {
  const links = [doc.coverage, doc.oauth_metadata, ...(Array.isArray(doc.related_metadata) ? (doc.related_metadata as unknown[]) : [])]
  return links.filter((link): link is string => typeof link === 'string')
}

/** Fails unless a GET of `url` (with `bearer` when given) answers 2xx. */
async function reachable(ctx: CheckContext, url: string, what: string, bearer?: string): Promise<void> {
  const response = await ctx.request({ url, follow: true, ...(bearer === undefined ? {} : { bearer }) })
  ctx.assert(response.status >= 200 && response.status < 300, `${what} ${url} answered ${response.status}${bearer === undefined ? ' without credentials' : ' with the credentials of the document linking it'}`)
}

/** The checks of CDS-WG1-01 §8.1. */
export const securityChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-01-8.1-01',
    spec: 'CDS-WG1-01',
    section: '§8.1',
    title: 'restricted metadata uses an established authentication: refused without it (401/403, no data), served with it',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { url, token } = await restrictedMetadata(ctx)
      for (const bearer of [undefined, 'cds-conformance-not-a-token']) {
        const refused = await ctx.request({ url, ...(bearer === undefined ? {} : { bearer }) })
        ctx.assert(refused.status === 401 || refused.status === 403, `${url} answered ${refused.status} ${bearer === undefined ? 'without credentials' : 'with a made-up token'}, expected 401 or 403`)
        ctx.assert(!refused.text.includes('cds_metadata_version'), `${url} refused the request but sent metadata anyway`)
      }
      const body = jsonObject(ctx, await ctx.request({ url, bearer: token }), 'the restricted metadata')
      conformsOpen(ctx, ServerMetadata, body, 'the restricted metadata')
    },
  }),
  defineCheck({
    id: 'R1-01-8.1-02',
    spec: 'CDS-WG1-01',
    section: '§8.1',
    title: 'the well-known metadata needs no client authentication (no cookies, no Authorization header)',
    async run(ctx: CheckContext) {
      const response = await ctx.request({ url: WELL_KNOWN, headers: { accept: 'application/json' } })
      conformsOpen(ctx, ServerMetadata, jsonObject(ctx, response, 'the well-known metadata without credentials'), 'the well-known metadata')
      ctx.assert(!response.headers.has('www-authenticate'), 'the well-known metadata answered with an authentication challenge')
    },
  }),
  defineCheck({
    id: 'R1-01-8.1-03',
    spec: 'CDS-WG1-01',
    section: '§8.1',
    title: 'what a metadata object links is reachable with no stricter authentication than the object (public and restricted metadata)',
    async run(ctx: CheckContext) {
      const wk = await ctx.serverMetadata()
      for (const link of linksOf(wk)) await reachable(ctx, link, 'the public metadata links', undefined)
      let restricted: Restricted | undefined
      try {
        restricted = await restrictedMetadata(ctx)
      } catch (error) {
        // Without restricted metadata (or a registration to read it) the public half above is what can be checked.
        if (error instanceof CheckNotApplicable || error instanceof CheckSkip) return
        throw error
      }
      const doc = jsonObject(ctx, await ctx.request({ url: restricted.url, bearer: restricted.token }), 'the restricted metadata')
      const links = linksOf(doc)
      ctx.assert(links.length > 0, 'the restricted metadata links nothing (no oauth_metadata)')
      for (const link of links) await reachable(ctx, link, 'the restricted metadata links', restricted.token)
    },
  }),
  defineCheck({
    id: 'R1-01-8.1-05',
    spec: 'CDS-WG1-01',
    section: '§8.1',
    title: 'everything the public metadata and coverage link is public: coverage pages, maps, outlines, related metadata, oauth_metadata',
    async run(ctx: CheckContext) {
      const wk = await ctx.serverMetadata()
      const links = linksOf(wk)
      const capabilities = Array.isArray(wk.capabilities) ? (wk.capabilities as unknown[]) : []
      if (capabilities.includes('coverage')) {
        const { pages } = await coverage(ctx)
        for (const page of pages) {
          for (const link of [page.body.next, page.body.previous]) if (typeof link === 'string') links.push(link)
          for (const entry of Array.isArray(page.body.coverage_entries) ? (page.body.coverage_entries as Json[]) : [])
            for (const member of ['map_resource', 'geojson_resource']) if (typeof entry[member] === 'string') links.push(entry[member])
        }
      }
      ctx.assert(links.length > 0, 'the public metadata links nothing')
      for (const link of [...new Set(links)].slice(0, 30)) await reachable(ctx, link, 'the public metadata or coverage links', undefined)
    },
  }),
]
