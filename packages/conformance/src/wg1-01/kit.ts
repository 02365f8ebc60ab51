/**
 * What the CDS-WG1-01 checks share (and the CDS-WG1-02 metadata checks reuse): strict readers of
 * the data types of CDS-WG1-01 §2 (RFC 3339 datetimes, absolute URLs, ISO 3166-1 country codes,
 * media types), a schema check that tolerates extension enum values as CDS-WG1-01 §6 asks of
 * clients, and the whole coverage listing read once per run.
 *
 * @module
 */
import { checkStrict, stringifyJson } from '@cds-ts/schema'
import type { TSchema } from 'typebox'
import type { CheckContext, Json } from '../core/context.js'
import type { HttpResponse } from '../core/http.js'

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0
  return day <= days
}

/** Whether a value is an RFC 3339 §5.6 `date-time` with its offset (no space separator, no epoch number). */
export function isDateTime(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const m = DATETIME.exec(value)
  if (m === null) return false
  const [hour, minute, second] = [Number(m[4]), Number(m[5]), Number(m[6])]
  if (!validDate(Number(m[1]), Number(m[2]), Number(m[3])) || hour > 23 || minute > 59 || second > 60) return false
  return m[9] === undefined || (Number(m[9]) <= 23 && Number(m[10]) <= 59)
}

/** Whether a value is an RFC 3339 §5.6 `full-date`. */
export function isFullDate(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const m = FULL_DATE.exec(value)
  return m !== null && validDate(Number(m[1]), Number(m[2]), Number(m[3]))
}

/**
 * The instant of an RFC 3339 date-time in nanoseconds since the epoch, at full fractional
 * precision (catalog A-61: milliseconds can tie).
 */
export function epochNanos(value: string): bigint {
  const m = DATETIME.exec(value)
  if (m === null) throw new TypeError(`not an RFC 3339 date-time: ${value}`)
  const seconds = BigInt(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) / 1000)
  const fraction = BigInt(((m[7] ?? '.').slice(1) + '000000000').slice(0, 9))
  const sign = m[8]?.startsWith('-') === true ? -1n : 1n
  const offset = m[9] === undefined ? 0n : sign * (BigInt(m[9]) * 3600n + BigInt(m[10] ?? '0') * 60n)
  return (seconds - offset) * 1_000_000_000n + fraction
}

/** Whether a value is an absolute URI (RFC 3986 §4.3: a scheme, then the rest). */
export function isAbsoluteUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) || /\s/.test(value)) return false
  try {
    new URL(value)
    return true
  } catch {
    return false
  }
}

/** Whether a value is an absolute `http:` or `https:` URL with a host: a page a person or client can open. */
export function isWebUrl(value: unknown): value is string {
  if (!isAbsoluteUrl(value)) return false
  const url = new URL(value)
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== ''
}

/** An RFC 6838 media type (`type/subtype`, optional parameters). */
export const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(;.*)?$/

// Region codes that Intl knows but ISO 3166-1 does not assign (reserved, withdrawn or user-assigned).
const NOT_ISO_3166 = new Set('AC AN BU CP CQ CS DD DG DY EA EU EZ FX HV IC NH QO RH SU TA TP UK UN VD XA XB XK YD YU ZR ZZ'.split(' '))

/** Whether a value is an assigned ISO 3166-1 alpha-2 code, upper case (CDS-WG1-01 §2). */
export function isCountryCode(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Z]{2}$/.test(value) || NOT_ISO_3166.has(value)) return false
  return new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }).of(value) !== undefined
}

/**
 * Whether an enum value is a misspelling of a defined one (other case, `-` or space for `_`):
 * such a value is no extension (CDS-WG1-01 §6.4) but a wrong spelling of a known value.
 */
export function nearMiss(value: string, known: readonly string[]): string | undefined {
  if (known.includes(value)) return undefined
  const normal = value.trim().toLowerCase().replace(/[\s-]+/g, '_')
  return known.find((one) => one === normal)
}

const LOOPBACK_HTTP = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])([:/]|$)/

/** A copy of a JSON value with loopback `http:` URLs written as `https:` when the run allows loopback http. */
export function asIfHttps<T>(ctx: CheckContext, value: T): T {
  if (ctx.options.allowLoopbackHttp !== true) return value
  const copy = (item: unknown): unknown => {
    if (typeof item === 'string') return LOOPBACK_HTTP.test(item) ? `https${item.slice(4)}` : item
    if (Array.isArray(item)) return item.map(copy)
    // Plain objects are copied; exact decimals (class instances) are kept as they are.
    if (typeof item === 'object' && item !== null && Object.getPrototypeOf(item) === Object.prototype) return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, copy(inner)]))
    return item
  }
  return copy(value) as T
}

/**
 * Fails unless `value` conforms to a schema of `@cds-ts/schema`, with two allowances the specs
 * make: enum strings the schema does not know are extensions (CDS-WG1-01 §6.4, CDS-WG1-02 §10),
 * and loopback `http:` URLs pass where the run allows them. Decimals must come from
 * {@link CheckContext.exactJson} to be judged exact.
 */
export function conformsOpen(ctx: CheckContext, schema: TSchema, value: unknown, what: string): void {
  const issues = checkStrict(schema, asIfHttps(ctx, value)).filter((issue) => issue.keyword !== 'enum')
  if (issues.length > 0) ctx.fail(`${what} does not conform: ${issues.slice(0, 5).map((issue) => `${issue.path || '/'} ${issue.message}`).join('; ')}`)
}

/** Fails unless the response is 200 with a JSON object body, and returns the body. */
export function jsonObject(ctx: CheckContext, response: HttpResponse, what: string): Json {
  ctx.expectStatus(response, 200)
  const body: unknown = response.json()
  if (typeof body !== 'object' || body === null || Array.isArray(body)) ctx.fail(`${what} (${response.request}) is not a JSON object`)
  return body as Json
}

/** One page of the coverage listing as the server sent it. */
export interface CoveragePage {
  url: string
  response: HttpResponse
  body: Json
}

/** The whole coverage listing, read by following `next` from the `coverage` URL. */
export interface Coverage {
  url: string
  pages: CoveragePage[]
  entries: Json[]
}

/** The coverage URL of the metadata; not applicable when the server does not list the `coverage` capability. */
export async function coverageUrl(ctx: CheckContext): Promise<string> {
  const wk = await ctx.serverMetadata()
  const capabilities = Array.isArray(wk.capabilities) ? (wk.capabilities as unknown[]) : []
  if (!capabilities.includes('coverage')) ctx.notApplicable('the server does not list the coverage capability')
  if (typeof wk.coverage !== 'string') ctx.fail('the metadata lists the coverage capability but has no coverage URL')
  return wk.coverage
}

/** The run's coverage listing, every page (at most 200), read once. */
export async function coverage(ctx: CheckContext): Promise<Coverage> {
  const url = await coverageUrl(ctx)
  return ctx.once('wg1-01:coverage', async () => {
    const pages: CoveragePage[] = []
    const seen = new Set<string>()
    let next: unknown = url
    while (typeof next === 'string' && pages.length < 200) {
      if (seen.has(next)) ctx.fail(`the coverage listing's next links loop back to ${next}`)
      seen.add(next)
      const response = await ctx.request({ url: next })
      const body = jsonObject(ctx, response, 'a coverage listing page')
      pages.push({ url: next, response, body })
      next = body.next
    }
    const entries = pages.flatMap((page) => (Array.isArray(page.body.coverage_entries) ? (page.body.coverage_entries as Json[]) : []))
    return { url, pages, entries }
  })
}

/** The coverage entries; not applicable when there are none. */
export async function coverageEntries(ctx: CheckContext): Promise<Json[]> {
  const { entries } = await coverage(ctx)
  if (entries.length === 0) ctx.notApplicable('the coverage listing has no entries')
  return entries
}

/** The coverage URL with `ids` set (spaces sent as `%20`, or `+` when asked). */
export function withIds(url: string, ids: readonly string[], plus = false): string {
  const out = new URL(url)
  out.searchParams.delete('ids')
  const encoded = ids.map((id) => encodeURIComponent(id)).join(plus ? '+' : '%20')
  return `${out.href}${out.search === '' ? '?' : '&'}ids=${encoded}`
}

/** A value as JSON text for messages, exact decimals included (`undefined` when absent). */
export function show(value: unknown): string {
  return value === undefined ? 'undefined' : stringifyJson(value)
}
