/**
 * Check generators shared by the nine Customer Data listings (CDS-WG3-01 §10, catalog §1.7–§1.9):
 * the envelope, the ends of the walk, the ordering, and object rules. The filters are in
 * `filters.ts`. Every expectation is derived from what the server itself lists.
 *
 * @module
 */
import { defineCheck, type Check, type CheckNeed, type Severity } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiOf, compareKey, type ApiKey } from './apis.js'
import { fullListing, idsOf, page, relatedOf, shown, walk } from './listing.js'
import { apiUrl, descriptions, directToken, fieldsOf, impliedFields } from './tokens.js'
import { everyItem, views, type Verdict, type View, type ViewName } from './views.js'

/** The needs of a check that reads with direct-access tokens (and a consent view when the run has one). */
export const NEEDS: readonly CheckNeed[] = ['registration']

/** Declares a CDS-WG3-01 check of this area. */
export function check(
  id: string,
  section: string,
  title: string,
  run: (ctx: CheckContext) => Promise<void>,
  options: { needs?: readonly CheckNeed[]; severity?: Severity; also?: readonly string[] } = {},
): Check {
  return defineCheck({ id, spec: 'CDS-WG3-01', section, title, needs: options.needs ?? NEEDS, ...(options.severity === undefined ? {} : { severity: options.severity }), ...(options.also === undefined ? {} : { also: options.also }), run })
}

/** A check that applies an object rule to every object of a listing's views. */
export function ruleCheck(
  id: string,
  key: ApiKey,
  section: string,
  title: string,
  rule: (item: Json, view: View) => Verdict | Promise<Verdict>,
  none: string,
  names?: readonly ViewName[],
): Check {
  return check(id, section, title, (ctx: CheckContext) => everyItem(ctx, key, rule, none, names))
}

/** Every object of the listing conforms to its `@cds-ts/schema` schema (strict: exact decimals, defined enum values). */
export function schemaCheck(id: string, key: ApiKey, title: string, sample: (item: Json) => Json = (item) => item): Check {
  const api = apiOf(key)
  return check(id, api.section, title, async (ctx: CheckContext) => {
    let seen = 0
    for (const view of await views(ctx, key)) {
      for (const item of view.items) ctx.conforms(api.schema, sample(item), `${api.name} ${String(item[api.id])} (${view.name} view)`)
      seen += view.items.length
    }
    if (seen === 0) ctx.notApplicable(`no ${api.name} is visible to the suite`)
  })
}

/** A direct token that sees none of a listing: a direct scope whose includes leave it out (bare variant). */
async function blindToken(ctx: CheckContext, key: ApiKey) {
  const api = apiOf(key)
  for (const d of Object.values(await descriptions(ctx))) {
    const direct = Array.isArray(d.response_types_supported) && d.response_types_supported.length === 0 && String(d.type).startsWith('cds_query_')
    if (!direct || fieldsOf(d).has(api.include) || impliedFields(String(d.type)).includes(api.include)) continue
    if (key === 'servicepoints' && ['include_service_contracts', 'include_meter_devices'].every((f) => impliedFields(String(d.type)).includes(f) || fieldsOf(d).has(f))) continue
    return directToken(ctx, String(d.type), 'bare')
  }
  return undefined
}

/**
 * The listing answers its envelope (`{<key>, next, previous}`, catalog §1.7, A-10) and, to a token
 * that may see none of its objects, 200 with an empty array.
 */
export function envelopeCheck(id: string, key: ApiKey, also?: readonly string[]): Check {
  const api = apiOf(key)
  return check(
    id,
    api.listing,
    `GET {${api.metadata}} answers {${api.envelope}, next, previous}, with an empty array for a token that sees none`,
    async (ctx: CheckContext) => {
      const token = (await views(ctx, key, ['direct']))[0]?.token ?? ctx.fail('no view')
      const first = (await fullListing(ctx, token, key)).pages[0] ?? ctx.fail('no page')
      for (const link of ['next', 'previous'])
        ctx.assert(first.body[link] === null || typeof first.body[link] === 'string', `the envelope's ${link} is ${shown(first.body[link])}, not a URL or null`)
      const blind = await blindToken(ctx, key)
      if (blind === undefined) ctx.notApplicable(`every direct-access scope of the server may show ${api.name}, so no token sees none`)
      const empty = await page(ctx, await apiUrl(ctx, blind, api), blind.token, api)
      ctx.assert(empty.items.length === 0, `${blind.label} may not see ${api.name} yet the listing holds ${empty.items.length}`)
      ctx.assert(empty.body.next === null && empty.body.previous === null, `the empty listing has next ${shown(empty.body.next)} and previous ${shown(empty.body.previous)}, not null`)
    },
    also === undefined ? {} : { also },
  )
}

/** Walking `next` from the first page ends with `next: null`, and the first page has `previous: null` (catalog §1.7); no object repeats. */
export function endsCheck(id: string, key: ApiKey): Check {
  const api = apiOf(key)
  return check(id, api.listing, `the ${api.name} listing starts with previous null and ends with next null`, async (ctx: CheckContext) => {
    let checked = 0
    for (const view of await views(ctx, key)) {
      const result = await fullListing(ctx, view.token, key)
      const first = result.pages[0]
      const last = result.pages.at(-1)
      if (first === undefined || last === undefined) ctx.fail('no page')
      ctx.assert('previous' in first.body && first.body.previous === null, `the first page's previous is ${shown(first.body.previous)}, not null`)
      ctx.assert('next' in last.body && last.body.next === null, `the last page's next is ${shown(last.body.next)}, not null`)
      for (const [i, p] of result.pages.entries()) if (i > 0) ctx.assert(typeof p.body.previous === 'string', `page ${i + 1} of ${api.name} has no previous link`)
      const ids = idsOf(key, result.items)
      ctx.assert(new Set(ids).size === ids.length, `walking ${api.name} with next visits an object twice`)
      checked += result.pages.length
    }
    if (checked === 0) ctx.notApplicable('no listing could be read')
  })
}

/**
 * The listing is in the §10 order (catalog §1.9): each pair of neighbours across the whole walk
 * follows the sort keys; a second walk gives the same sequence (a stable tie-break, A-15).
 * Derived keys are read from the token's own related objects, so the check uses the view
 * where they are all visible (the union consent token where one exists).
 */
export function orderCheck(id: string, key: ApiKey, names: readonly ViewName[] = ['direct', 'union'], related: readonly ApiKey[] = []): Check {
  const api = apiOf(key)
  return check(id, api.listing, `${api.name} are listed by ${api.order.map((k) => k.name).join(', then ')}`, async (ctx: CheckContext) => {
    let pairs = 0
    for (const view of await views(ctx, key, names)) {
      const finder = await relatedOf(ctx, view.token, related)
      const items = view.items
      for (let i = 1; i < items.length; i++) {
        const [a, b] = [items[i - 1] as Json, items[i] as Json]
        for (const sortKey of api.order) {
          const order = compareKey(sortKey.read(a, finder), sortKey.read(b, finder), sortKey.desc)
          if (order < 0) break
          if (order > 0) ctx.fail(`${api.name} ${String(a[api.id])} comes before ${String(b[api.id])} although its ${sortKey.name.replace(/ (a|de)scending$/, '')} puts it after (${view.name} view)`)
        }
        pairs++
      }
      const again = await walk(ctx, await apiUrl(ctx, view.token, api), view.token.token, api)
      ctx.assert(idsOf(key, again.items).join(' ') === idsOf(key, items).join(' '), `two walks of ${api.name} give different orders (no stable tie-break)`)
    }
    if (pairs === 0) ctx.notApplicable(`fewer than two ${api.name} are visible, so no order can be seen`)
  })
}

/** The full listing of a named view (helper for per-API checks). */
export async function viewItems(ctx: CheckContext, key: ApiKey, name: ViewName): Promise<Json[]> {
  const [view] = await views(ctx, key, [name])
  if (view === undefined) ctx.fail('no view')
  return (await fullListing(ctx, view.token, key)).items
}

/**
 * Every id in an id member of a listing's objects names an object the same token sees in the
 * target listing (reference pruning, catalog §1.4 step 6, A-06).
 */
export function prunedCheck(id: string, key: ApiKey, section: string, members: readonly string[], target: ApiKey, names?: readonly ViewName[]): Check {
  const api = apiOf(key)
  const other = apiOf(target)
  return check(id, section, `${members.join(' and ')} of ${api.name} hold only ids of ${other.name} the token sees`, async (ctx: CheckContext) => {
    let refs = 0
    for (const view of await views(ctx, key, names)) {
      const visible = new Set(idsOf(target, (await fullListing(ctx, view.token, target)).items))
      for (const item of view.items)
        for (const member of members) {
          const value = item[member]
          if (value === undefined) continue
          ctx.assert(Array.isArray(value), `${api.name} ${String(item[api.id])} has ${member} ${shown(value)}, not a list`)
          for (const ref of value) {
            refs++
            ctx.assert(visible.has(String(ref)), `${api.name} ${String(item[api.id])} lists ${member} ${String(ref)}, which ${view.token.label} does not see in ${other.name}`)
          }
        }
    }
    if (refs === 0) ctx.notApplicable(`no visible ${api.name} lists any ${members.join('/')}`)
  })
}
