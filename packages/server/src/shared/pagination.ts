/**
 * Cursor pagination shared by every CDS listing (CDS-WG1-01 §4.1, CDS-WG1-02 §5.3, §7.3, §8.4,
 * §9.2, CDS-WG3-01 §10). Every listing is ordered newest first by a datetime, with the `id` as
 * tie-break (F26, A-53, A-61), so a position in a listing is a {@link ListingKey}. A cursor is
 * an opaque token holding a direction and the key of the item it continues from (keyset
 * pagination: inserts and deletes between requests never duplicate or skip an item).
 *
 * Routes decode the `cursor` parameter with {@link decodeCursor}, fetch a page (in memory with
 * {@link paginate}, or in SQL with the same key and order), and build `next` and `previous` with
 * {@link pageLinks}; no route writes these URLs itself (STYLE §2.8).
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import type { ListingLinks } from '@cds-ts/schema'

/** The largest page a listing returns (CDS-WG1-02 §5.3: a listing may stop at 100 items per page). */
export const MAX_PAGE_SIZE = 100

/** The query parameter that carries the cursor in `next` and `previous` links. */
export const CURSOR_PARAMETER = 'cursor'

/** Where an item sits in a listing: the datetime it is ordered by, and its id as tie-break. */
export interface ListingKey {
  /** An RFC 3339 date-time (`updated`, `modified`, `cds_modified`, …). */
  readonly sort: string
  /** The item's identifier. */
  readonly id: string
}

/** Which way a cursor continues: `next` for items after its key, `previous` for items before it. */
export type CursorDirection = 'next' | 'previous'

/** A decoded cursor. */
export interface Cursor {
  readonly direction: CursorDirection
  /** The key of the last (`next`) or first (`previous`) item of the page the link was on; exclusive. */
  readonly key: ListingKey
}

/** One page of a listing, with the cursors of its neighbours (`null` at either end). */
export interface Page<T> {
  readonly items: T[]
  readonly next: Cursor | null
  readonly previous: Cursor | null
}

const DATE_TIME = /^(\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d)(?:\.(\d+))?([Zz]|[+-]\d\d:\d\d)$/
const MAX_CURSOR_LENGTH = 2048

/**
 * Compares two RFC 3339 date-times as instants, at full precision: digits beyond the
 * millisecond are compared too. Returns a negative number when `a` is earlier.
 *
 * @throws {TypeError} when either is not an RFC 3339 date-time
 * @see CDS-WG1-01 §4.1 Coverage Listing Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc3339#section-5.6 | RFC 3339 §5.6}
 */
export function compareDateTimes(a: string, b: string): number {
  const [secondsA, fractionA] = instant(a)
  const [secondsB, fractionB] = instant(b)
  if (secondsA !== secondsB) return secondsA - secondsB
  const width = Math.max(fractionA.length, fractionB.length)
  const fa = fractionA.padEnd(width, '0')
  const fb = fractionB.padEnd(width, '0')
  return fa < fb ? -1 : fa > fb ? 1 : 0
}

/** The instant as epoch milliseconds of its whole seconds plus its fraction digits; `undefined` if not RFC 3339. */
function parseInstant(text: string): [number, string] | undefined {
  const match = DATE_TIME.exec(text)
  if (match === null) return undefined
  const [, whole = '', fraction = '', offset = ''] = match
  const [year, month, day] = whole.slice(0, 10).split('-').map(Number) as [number, number, number]
  // Date.parse rolls 2025-02-30 over into March; RFC 3339 §5.7 does not.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const seconds = Date.parse(`${whole.toUpperCase()}${offset.toUpperCase()}`)
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || Number.isNaN(seconds)) return undefined
  return [seconds, fraction]
}

function instant(text: string): [number, string] {
  const parsed = parseInstant(text)
  if (parsed === undefined) throw new TypeError(`${JSON.stringify(text)} is not an RFC 3339 date-time`)
  return parsed
}

/**
 * The listing order: the newest `sort` first, then the greater `id` first. Negative when `a`
 * comes before `b`.
 *
 * @see CDS-WG1-01 §4.1 Coverage Listing Format
 */
export function compareListingKeys(a: ListingKey, b: ListingKey): number {
  const byDate = compareDateTimes(b.sort, a.sort)
  if (byDate !== 0) return byDate
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/**
 * Writes a cursor as an opaque URL-safe token (base64url of its direction and key).
 *
 * @see CDS-WG1-01 §4.1 Coverage Listing Format
 */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === 'next' ? 'n' : 'p', cursor.key.sort, cursor.key.id]), 'utf8').toString('base64url')
}

/**
 * Reads the `cursor` query parameter. Absent or empty means the first page.
 *
 * @throws {InvalidRequest} (400) for a cursor this server did not write: never a 500 (R1-01-4-03)
 * @see CDS-WG1-01 §4 Coverage Endpoint
 */
export function decodeCursor(text: string | undefined): Cursor | undefined {
  const token = readCursorToken(text, 2)
  if (token === undefined) return undefined
  const [sort = '', id = ''] = token.values
  if (parseInstant(sort) === undefined) throw invalidCursor()
  return { direction: token.direction, key: { sort, id } }
}

function invalidCursor(): InvalidRequest {
  return new InvalidRequest(`The ${CURSOR_PARAMETER} parameter is not a cursor from a next or previous link.`)
}

/**
 * The direction and `count` text values of a cursor token written by {@link encodeCursor} or
 * {@link encodeKeyCursor}; `undefined` for an absent or empty parameter (the first page).
 *
 * @throws {InvalidRequest} (400) for anything else
 */
function readCursorToken(text: string | undefined, count: number): KeyCursor | undefined {
  if (text === undefined || text === '') return undefined
  if (text.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalidCursor()
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw invalidCursor()
  }
  if (!Array.isArray(value) || value.length !== count + 1 || (value[0] !== 'n' && value[0] !== 'p')) throw invalidCursor()
  const [direction, ...values] = value as unknown[]
  if (!values.every((v): v is string => typeof v === 'string')) throw invalidCursor()
  return { direction: direction === 'n' ? 'next' : 'previous', values }
}

/**
 * The page size to use: the route's wish clamped to 1…{@link MAX_PAGE_SIZE}.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export function pageSize(requested: number = MAX_PAGE_SIZE): number {
  if (!Number.isFinite(requested)) return MAX_PAGE_SIZE
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(requested)))
}

/**
 * Cuts one page out of an in-memory list (already filtered), in listing order. A `next` cursor
 * continues after its key, a `previous` cursor returns the `limit` items just before its key.
 * An empty page has no links.
 *
 * @see CDS-WG1-01 §4.1 Coverage Listing Format
 */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => ListingKey, cursor: Cursor | undefined, limit: number): Page<T> {
  const size = pageSize(limit)
  const sorted = [...items].sort((a, b) => compareListingKeys(keyOf(a), keyOf(b)))
  let start: number
  let end: number
  if (cursor === undefined) {
    start = 0
    end = Math.min(sorted.length, size)
  } else if (cursor.direction === 'next') {
    const after = sorted.findIndex((item) => compareListingKeys(keyOf(item), cursor.key) > 0)
    start = after === -1 ? sorted.length : after
    end = Math.min(sorted.length, start + size)
  } else {
    const at = sorted.findIndex((item) => compareListingKeys(keyOf(item), cursor.key) >= 0)
    end = at === -1 ? sorted.length : at
    start = Math.max(0, end - size)
  }
  const page = sorted.slice(start, end)
  const first = page[0]
  const last = page[page.length - 1]
  return {
    items: page,
    next: last !== undefined && end < sorted.length ? { direction: 'next', key: keyOf(last) } : null,
    previous: first !== undefined && start > 0 ? { direction: 'previous', key: keyOf(first) } : null,
  }
}

/**
 * The `next` and `previous` URLs of a page: the request's own URL on the public base URL, with
 * every other query parameter kept as it came (so filters persist, R1-01-4.2-03) and `cursor`
 * replaced.
 *
 * @param baseUrl the public origin (`config.base_url`)
 * @param requestUrl the path and query of the request (`request.url`)
 * @see CDS-WG1-01 §4.1 Coverage Listing Format
 */
export function pageLinks(baseUrl: string, requestUrl: string, page: { next: Cursor | KeyCursor | null; previous: Cursor | KeyCursor | null }): ListingLinks {
  const url = new URL(requestUrl, 'http://request.invalid')
  const link = (cursor: Cursor | KeyCursor | null): string | null => {
    if (cursor === null) return null
    const params = new URLSearchParams(url.search)
    params.set(CURSOR_PARAMETER, 'values' in cursor ? encodeKeyCursor(cursor) : encodeCursor(cursor))
    return `${baseUrl}${url.pathname}?${params.toString()}`
  }
  return { next: link(page.next), previous: link(page.previous) }
}

/**
 * A cursor over a listing with several sort keys (the CDS-WG3-01 §10 orderings, such as Bill
 * Sections by account number, contract number, start date, modified and id): the key values of
 * the item it continues from, as text, in sort-key order.
 *
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 */
export interface KeyCursor {
  readonly direction: CursorDirection
  readonly values: readonly string[]
}

/**
 * Writes a {@link KeyCursor} as an opaque URL-safe token.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export function encodeKeyCursor(cursor: KeyCursor): string {
  return Buffer.from(JSON.stringify([cursor.direction === 'next' ? 'n' : 'p', ...cursor.values]), 'utf8').toString('base64url')
}

/**
 * Reads the `cursor` parameter of a listing with `keys` sort keys. Absent or empty means the
 * first page.
 *
 * @throws {InvalidRequest} (400) for a cursor this server did not write for this listing
 * @see CDS-WG3-01 §10 Customer Data API
 */
export function decodeKeyCursor(text: string | undefined, keys: number): KeyCursor | undefined {
  return readCursorToken(text, keys)
}
