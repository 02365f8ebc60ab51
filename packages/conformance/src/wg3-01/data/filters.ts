/**
 * The listing filters of CDS-WG3-01 §10 (catalog §1.8), checked black-box: the values are picked
 * from the token's own full listing, the expected result is that listing filtered on the client,
 * and the server's answer (every page, through `next`) must hold exactly those objects. A value
 * that matches nothing must match nothing, so a filter the server ignores fails even when every
 * object shares one value. `q` and the intersection of filters are here too.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiOf, codePointCompare, instant, type ApiKey, type Related } from './apis.js'
import { check } from './kit.js'
import { fullListing, idsOf, query, relatedOf, sameIds } from './listing.js'
import type { DataToken } from './tokens.js'
import { views, type ViewName } from './views.js'

/** A value no object carries. */
export const NO_MATCH = 'cds-conformance-no-such-value'

/** How a filter compares: any value in the list, or a date/datetime bound (inclusive). */
export type FilterKind = 'list' | 'before' | 'after'

/** One filter parameter of a listing. */
export interface FilterSpec {
  key: ApiKey
  param: string
  /** The values of an object the parameter is matched against (visible values only, A-13). */
  values: (item: Json, related: Related) => string[]
  kind?: FilterKind
  /** `date` or `datetime` bounds. */
  format?: 'date' | 'datetime'
  /** Listings whose objects `values` reads (for values of related objects). */
  related?: readonly ApiKey[]
  /** The views to pick values from, in order. */
  views?: readonly ViewName[]
  /**
   * An id filter: where the listing spans pages, it is also asked for every id but the last ones,
   * so the answer spans pages too and a `next` link that drops the filter shows (catalog §1.7).
   */
  wide?: boolean
}

/** A comparable form of a bound value. */
function bound(value: string, format: FilterSpec['format']): number | string {
  return format === 'datetime' ? (instant(value) ?? Number.NaN) : value
}

/** Whether an object passes a filter with the given parameter values. */
export function matches(spec: FilterSpec, item: Json, related: Related, chosen: readonly string[]): boolean {
  const values = spec.values(item, related)
  if ((spec.kind ?? 'list') === 'list') return values.some((v) => chosen.includes(v))
  const limit = bound(chosen[0] ?? '', spec.format)
  return values.some((v) => {
    const own = bound(v, spec.format)
    return spec.kind === 'before' ? own <= limit : own >= limit
  })
}

/** The first view where some object has a value for the filter, with its related finder. */
async function source(ctx: CheckContext, spec: FilterSpec): Promise<{ token: DataToken; items: Json[]; related: Related }> {
  const api = apiOf(spec.key)
  for (const view of await views(ctx, spec.key, spec.views)) {
    const related = await relatedOf(ctx, view.token, spec.related ?? [])
    if (view.items.some((item) => spec.values(item, related).length > 0)) return { token: view.token, items: view.items, related }
  }
  return ctx.notApplicable(`no visible ${api.name} has a value for the ${spec.param} filter`)
}

/** Picks parameter values that select a proper subset where the data allows it. */
function pick(spec: FilterSpec, items: readonly Json[], related: Related): string[] {
  const all = items.flatMap((item) => [...new Set(spec.values(item, related))])
  const counts = new Map<string, number>()
  for (const v of all) counts.set(v, (counts.get(v) ?? 0) + 1)
  if ((spec.kind ?? 'list') === 'list') {
    const byRarity = [...counts.entries()].sort((a, b) => a[1] - b[1] || codePointCompare(a[0], b[0])).map(([v]) => v)
    return byRarity.slice(0, 2)
  }
  const sorted = [...counts.keys()].sort((a, b) => {
    const [x, y] = [bound(a, spec.format), bound(b, spec.format)]
    return typeof x === 'number' && typeof y === 'number' ? x - y : codePointCompare(String(x), String(y))
  })
  // Proper subsets with the bound included: a small one for `before` (the second earliest value),
  // a wide one for `after` (all but the earliest), which spans pages where a listing has several.
  const at = Math.min(sorted.length - 1, 1)
  return [sorted[at] ?? '']
}

/** Runs one filter with values and compares with the client-side filtered listing. */
export async function expectFiltered(ctx: CheckContext, spec: FilterSpec, token: DataToken, items: readonly Json[], related: Related, params: Record<string, string>, chosen: readonly string[], what: string): Promise<void> {
  const expected = items.filter((item) => matches(spec, item, related, chosen))
  const got = await query(ctx, token, spec.key, params)
  sameIds(ctx, idsOf(spec.key, got.items), idsOf(spec.key, expected), `${what} (${token.label}, expected ${expected.length} of ${items.length})`)
}

/** The check that a listing supports a filter (catalog §1.8 and the listing's section). */
export function filterCheck(id: string, spec: FilterSpec, title?: string): Check {
  const api = apiOf(spec.key)
  const kind = spec.kind ?? 'list'
  return check(id, api.listing, title ?? `the ${api.name} listing supports the ${spec.param} filter`, async (ctx: CheckContext) => {
    const { token, items, related } = await source(ctx, spec)
    const chosen = pick(spec, items, related)
    if (kind === 'list') {
      const param = [...chosen, NO_MATCH].join(' ')
      await expectFiltered(ctx, spec, token, items, related, { [spec.param]: param }, chosen, `?${spec.param}=${param}`)
      const none = await query(ctx, token, spec.key, { [spec.param]: NO_MATCH })
      ctx.assert(none.items.length === 0, `?${spec.param}=${NO_MATCH} (a value no object has) lists ${none.items.length} object(s): the filter is ignored`)
      if (spec.wide === true && (await fullListing(ctx, token, spec.key)).pages.length > 1) {
        // Every value but those of the last two objects: the answer spans pages, and the left-out objects come after the first page.
        const left = new Set(items.slice(-2).flatMap((item) => spec.values(item, related)))
        const many = [...new Set(items.flatMap((item) => spec.values(item, related)))].filter((v) => !left.has(v))
        await expectFiltered(ctx, spec, token, items, related, { [spec.param]: many.join(' ') }, many, `?${spec.param}= all but the last two (${many.length} values, more than a page)`)
      }
    } else {
      const value = chosen[0] ?? ''
      await expectFiltered(ctx, spec, token, items, related, { [spec.param]: value }, chosen, `?${spec.param}=${value} (inclusive)`)
    }
  })
}

/**
 * Filters are intersected (catalog §1.8): an id filter naming two objects and a second filter that
 * only one of them passes lists exactly that one.
 */
export function intersectCheck(id: string, idSpec: FilterSpec, other: FilterSpec): Check {
  const api = apiOf(idSpec.key)
  return check(id, api.listing, `the ${api.name} filters ${idSpec.param} and ${other.param} given together are intersected`, async (ctx: CheckContext) => {
    const { token, items, related } = await source(ctx, other)
    for (const a of items)
      for (const b of items) {
        const value = other.values(a, related).find((v) => !other.values(b, related).includes(v))
        if (a === b || value === undefined) continue
        const ids = [String(a[api.id]), String(b[api.id])]
        const chosen = (other.kind ?? 'list') === 'list' ? [value] : [value]
        const params = { [idSpec.param]: ids.join(' '), [other.param]: value }
        const scoped = items.filter((item) => ids.includes(String(item[api.id])))
        if ((other.kind ?? 'list') !== 'list' && scoped.every((item) => matches(other, item, related, chosen))) continue
        await expectFiltered(ctx, other, token, scoped, related, params, chosen, `?${idSpec.param}=${ids.join('%20')}&${other.param}=${value}`)
        return
      }
    ctx.notApplicable(`no two visible ${api.name} differ in ${other.param}, so an intersection cannot be seen`)
  })
}

/** The fields `q` searches, read from an object as it is listed (only what the token sees). */
export type SearchFields = (item: Json) => string[]

/** Case-insensitive substring match of `q`. */
export function qMatches(fields: SearchFields, item: Json, q: string): boolean {
  const needle = q.toLocaleLowerCase('und')
  return fields(item).some((value) => value.toLocaleLowerCase('und').includes(needle))
}

/** An inner part of a value with its case swapped, as `q` (A-12: case-insensitive substring). */
function qOf(value: string): string {
  const inner = value.length > 4 ? value.slice(1, -1) : value
  return Array.from(inner).map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('')
}

/** Queries `q` and compares with the objects whose searched fields contain it. */
async function qProbe(ctx: CheckContext, key: ApiKey, fields: SearchFields, token: DataToken, items: readonly Json[], q: string, what: string): Promise<void> {
  const spec: FilterSpec = { key, param: 'q', values: (item) => (qMatches(fields, item, q) ? [q] : []) }
  await expectFiltered(ctx, spec, token, items, { find: () => undefined }, { q }, [q], what)
}

/** The searchable values of a view, rarest first. */
function searchable(fields: SearchFields, items: readonly Json[]): string[] {
  const counts = new Map<string, number>()
  for (const item of items) for (const value of new Set(fields(item).filter((f) => f.length >= 3))) counts.set(value, (counts.get(value) ?? 0) + 1)
  return [...counts.entries()].sort((a, b) => a[1] - b[1] || b[0].length - a[0].length).map(([v]) => v)
}

/** The first view with searchable values. */
async function searchView(ctx: CheckContext, key: ApiKey, fields: SearchFields, names?: readonly ViewName[]): Promise<{ token: DataToken; items: Json[] }> {
  for (const view of await views(ctx, key, names)) if (searchable(fields, view.items).length > 0) return { token: view.token, items: view.items }
  return ctx.notApplicable(`no visible ${apiOf(key).name} has a searchable value`)
}

/** A `q` taken from a field the full view shows and the bare token's objects do not; undefined when every searched value is visible to both. */
async function hiddenQ(ctx: CheckContext, key: ApiKey, fields: SearchFields, full: readonly Json[], bare: DataToken): Promise<{ q: string; items: Json[] } | undefined> {
  const items = (await fullListing(ctx, bare, key)).items
  const shown = items.flatMap(fields).map((v) => v.toLocaleLowerCase('und'))
  for (const value of searchable(fields, full)) {
    const q = qOf(value)
    if (!shown.some((v) => v.includes(q.toLocaleLowerCase('und')))) return { q, items }
  }
  return undefined
}

/**
 * `q` finds objects by a case-insensitive substring of the fields it searches (catalog §1.8,
 * A-12); with `bare`, also that a value of a field the bare token does not see finds nothing of it.
 */
export function qCheck(id: string, key: ApiKey, fields: SearchFields, bare?: (ctx: CheckContext) => Promise<DataToken>, names?: readonly ViewName[]): Check {
  const api = apiOf(key)
  return check(id, api.listing, `q searches the visible ${api.name} fields as a case-insensitive substring${bare === undefined ? '' : ', and no hidden field'}`, async (ctx: CheckContext) => {
    const full = await searchView(ctx, key, fields, names)
    const q = qOf(searchable(fields, full.items)[0] ?? '')
    await qProbe(ctx, key, fields, full.token, full.items, q, `?q=${q}`)
    if (bare === undefined) return
    const token = await bare(ctx)
    const hidden = await hiddenQ(ctx, key, fields, full.items, token)
    if (hidden !== undefined) await qProbe(ctx, key, fields, token, hidden.items, hidden.q, `?q=${hidden.q} (a value of a field ${token.label} does not see)`)
  })
}

/** `q` never matches a field the token does not see (catalog §1.8, §12.3). */
export function qHiddenCheck(id: string, key: ApiKey, fields: SearchFields, bare: (ctx: CheckContext) => Promise<DataToken>, names?: readonly ViewName[]): Check {
  const api = apiOf(key)
  return check(id, api.listing, `q does not search ${api.name} fields the token may not see`, async (ctx: CheckContext) => {
    const full = await searchView(ctx, key, fields, names)
    const token = await bare(ctx)
    const hidden = await hiddenQ(ctx, key, fields, full.items, token)
    if (hidden === undefined) ctx.notApplicable(`every searched ${api.name} value is visible even without the optional fields`)
    await qProbe(ctx, key, fields, token, hidden.items, hidden.q, `?q=${hidden.q} (a value of a field ${token.label} does not see)`)
  })
}
