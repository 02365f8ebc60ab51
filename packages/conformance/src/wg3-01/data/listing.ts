/**
 * Reading the Customer Data listings (CDS-WG3-01 §10, catalog §1.7): one page, a whole walk
 * through `next`, and the full listing of a token shared by the checks of a run. Bodies are parsed
 * with exact decimals (`parseJson` of `@cds-ts/schema`), so a number keeps its text.
 *
 * @module
 */
import { stringifyJson } from '@cds-ts/schema'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { apiOf, type ApiKey, type DataApi, type Related } from './apis.js'
import { apiUrl, type DataToken } from './tokens.js'

/** One page of a listing as the server sent it. */
export interface Page {
  url: string
  response: HttpResponse
  body: Json
  items: Json[]
}

/** A whole walk through a listing. */
export interface Walk {
  pages: Page[]
  items: Json[]
}

/** The most pages a walk follows (a server that links pages in a circle ends here). */
const MAX_PAGES = 200

/** A listing URL with filter parameters (space-separated lists are sent with `%20`, A-11). */
export function withParams(url: string, params: Record<string, string> = {}): string {
  const target = new URL(url)
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value)
  return target.href.replace(/\+/g, '%20')
}

/** Fetches one page; fails unless it is 200 with a JSON object holding the envelope array. */
export async function page(ctx: CheckContext, url: string, token: string, api: DataApi): Promise<Page> {
  const response = await ctx.request({ url, bearer: token })
  if (response.status !== 200) ctx.fail(`${response.request} answered ${response.status}: ${response.text.slice(0, 300)}`)
  const body = ctx.exactJson(response)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) ctx.fail(`${response.request} did not answer a JSON object`)
  const items = (body as Json)[api.envelope]
  if (!Array.isArray(items)) ctx.fail(`${response.request} has no ${api.envelope} array`)
  return { url, response, body: body as Json, items: items as Json[] }
}

/** Follows `next` from `url` to the end and returns every page. */
export async function walk(ctx: CheckContext, url: string, token: string, api: DataApi): Promise<Walk> {
  const pages: Page[] = []
  let next: string | null = url
  while (next !== null) {
    if (pages.length >= MAX_PAGES) ctx.fail(`${api.name}: more than ${MAX_PAGES} pages, the next links do not end`)
    const current: Page = await page(ctx, next, token, api)
    pages.push(current)
    next = typeof current.body.next === 'string' ? current.body.next : null
  }
  return { pages, items: pages.flatMap((p) => p.items) }
}

/** The whole listing of a token (made once per token and listing). */
export function fullListing(ctx: CheckContext, token: DataToken, key: ApiKey): Promise<Walk> {
  return ctx.once(`data:list:${token.label}:${token.token.slice(0, 12)}:${key}`, async () => {
    const api = apiOf(key)
    return walk(ctx, await apiUrl(ctx, token, api), token.token, api)
  })
}

/** The first page of a token's listing (fetched once). */
export function firstPage(ctx: CheckContext, token: DataToken, key: ApiKey): Promise<Page> {
  return ctx.once(`data:first:${token.label}:${token.token.slice(0, 12)}:${key}`, async () => {
    const api = apiOf(key)
    return page(ctx, await apiUrl(ctx, token, api), token.token, api)
  })
}

/**
 * The ids to compare two tokens' views of a listing by: the whole listing, but only the first page
 * of Usage Segments (megabytes per page; the order is total, so equal views start with equal pages).
 */
export async function comparableIds(ctx: CheckContext, token: DataToken, key: ApiKey): Promise<string[]> {
  return idsOf(key, key === 'usagesegments' ? (await firstPage(ctx, token, key)).items : (await fullListing(ctx, token, key)).items)
}

/** The items of a listing with filters (every page). */
export async function query(ctx: CheckContext, token: DataToken, key: ApiKey, params: Record<string, string>): Promise<Walk> {
  const api = apiOf(key)
  return walk(ctx, withParams(await apiUrl(ctx, token, api), params), token.token, api)
}

/** The ids of items. */
export function idsOf(key: ApiKey, items: readonly Json[]): string[] {
  const field = apiOf(key).id
  return items.map((item) => String(item[field]))
}

/** The related-object finder of a token: its own full listings of the other types (catalog §1.9, A-17). */
export async function relatedOf(ctx: CheckContext, token: DataToken, keys: readonly ApiKey[]): Promise<Related> {
  const maps = new Map<ApiKey, Map<string, Json>>()
  for (const key of keys) {
    const items = (await fullListing(ctx, token, key)).items
    maps.set(key, new Map(items.map((item) => [String(item[apiOf(key).id]), item])))
  }
  return { find: (api, id) => maps.get(api)?.get(id) }
}

/** Fails unless two id lists hold the same ids (order aside), naming the difference. */
export function sameIds(ctx: CheckContext, actual: readonly string[], expected: readonly string[], what: string): void {
  const a = new Set(actual)
  const e = new Set(expected)
  const missing = [...e].filter((id) => !a.has(id))
  const extra = [...a].filter((id) => !e.has(id))
  if (missing.length > 0 || extra.length > 0 || a.size !== actual.length)
    ctx.fail(`${what}: ${missing.length} expected object(s) missing (${missing.slice(0, 5).join(', ')}), ${extra.length} unexpected (${extra.slice(0, 5).join(', ')})${a.size !== actual.length ? ', and duplicates' : ''}`)
}

/** The string values of a member: the string itself, or the strings of an array. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

/** A value as JSON text for messages and comparisons, decimals with their exact text. */
export function shown(value: unknown): string {
  if (value === undefined) return 'undefined'
  try {
    return stringifyJson(value)
  } catch {
    return str(value)
  }
}

/** A value as text: a string itself, anything else as its JSON. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : shown(value)
}
