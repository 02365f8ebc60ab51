/**
 * Resources the Customer Data objects link to, which answer the same authentication as the API
 * that lists them: Aggregation Region maps and GeoJSON (CDS-WG3-01 §10.7.4) and EAC data
 * (§10.9.1). Bill files are checked with the Bill Statements (§10.5.1).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { check } from './kit.js'
import { fullListing, shown, str } from './listing.js'
import type { DataToken } from './tokens.js'
import { directView, nested, views } from './views.js'

/** Every linked URL of a member in a view's objects, with the token that listed it. */
async function links(ctx: CheckContext, key: 'aggregations' | 'eacs', pick: (item: Json) => unknown[]): Promise<{ url: string; token: DataToken }[]> {
  const out: { url: string; token: DataToken }[] = []
  for (const view of await views(ctx, key))
    for (const item of view.items) for (const url of pick(item)) if (typeof url === 'string' && !out.some((l) => l.url === url)) out.push({ url, token: view.token })
  return out
}

/** A linked resource answers the listing's token and refuses a request without one. */
async function sameAuthentication(ctx: CheckContext, found: { url: string; token: DataToken }[], what: string): Promise<void> {
  if (found.length === 0) ctx.notApplicable(`no visible object links ${what}`)
  for (const { url, token } of found.slice(0, 4)) {
    const own = await ctx.request({ url, bearer: token.token, headers: { accept: '*/*' } })
    ctx.expectStatus(own, 200)
    const none = await ctx.request({ url, headers: { accept: '*/*' } })
    ctx.expectStatus(none, 401)
  }
}

const regionResources = (item: Json) => nested(item, 'grouped_regions').flatMap((r) => [r.map_resource, r.geojson_resource])

/** The checks of the linked resources. */
export const resourceChecks: readonly Check[] = [
  check('R3-01-10.7.4-03', '§10.7.4', 'a geojson_resource is a GeoJSON object in WGS 84 (no other crs)', async (ctx: CheckContext) => {
    const found = await links(ctx, 'aggregations', (item) => nested(item, 'grouped_regions').map((r) => r.geojson_resource))
    if (found.length === 0) ctx.notApplicable('no visible region links a GeoJSON resource')
    for (const { url, token } of found.slice(0, 4)) {
      const reply = await ctx.request({ url, bearer: token.token, headers: { accept: 'application/geo+json, application/json' } })
      ctx.expectStatus(reply, 200)
      const body = reply.json<Json>()
      ctx.assert(typeof body.type === 'string', `${url} is not a GeoJSON object`)
      const crs = body.crs as Json | undefined
      const name = str((crs?.properties as Json | undefined)?.name ?? '')
      ctx.assert(crs === undefined || crs === null || /CRS84|4326/.test(name), `${url} declares the crs ${shown(crs)}, not WGS 84`)
    }
  }),
  check('R3-01-10.7.4-04', '§10.7.4', 'region map and GeoJSON resources answer the Aggregations token and refuse no token', async (ctx: CheckContext) =>
    sameAuthentication(ctx, await links(ctx, 'aggregations', regionResources), 'a region map or GeoJSON resource'),
  ),
  check('R3-01-10.9.1-05', '§10.9.1', 'eac_data_url answers the EACs token and refuses no token', async (ctx: CheckContext) =>
    sameAuthentication(ctx, await links(ctx, 'eacs', (item) => [item.eac_data_url]), 'EAC data'),
  ),
  check('R3-01-10.9.1-06', '§10.9.1', "eac_data_url gives its data only to tokens of Grants that see the EAC", async (ctx: CheckContext) => {
    const found = await links(ctx, 'eacs', (item) => [item.eac_data_url])
    if (found.length === 0) ctx.notApplicable('no visible EAC links its data')
    const stranger = await directView(ctx, 'accounts', 'bare')
    ctx.assert((await fullListing(ctx, stranger, 'eacs')).items.length === 0, `${stranger.label} sees EACs, so it cannot serve as another Grant`)
    for (const { url } of found.slice(0, 4)) ctx.expectStatus(await ctx.request({ url, bearer: stranger.token, headers: { accept: '*/*' } }), [401, 403, 404])
  }),
]
