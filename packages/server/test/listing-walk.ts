/**
 * Walks a CDS-WG3-01 §10 listing the way a Client follows its links: forward through every `next`
 * cursor, then back from the last page through every `previous` cursor, each cursor round-tripped
 * through its opaque URL text. The pagination tests of every listing assert on the result.
 */
import { expect } from 'vitest'
import type { DataListing, ListingRequest } from '../src/wg3-01/data/types.js'
import { decodeKeyCursor, encodeKeyCursor, type KeyCursor } from '../src/shared/pagination.js'

/** The ids of each page, in the order the pages were visited. */
export interface ListingWalk {
  forward: string[][]
  /** From the page before the last back to the first. */
  backward: string[][]
  /** The first page's `previous` and the last page's `next` (both must be null). */
  ends: { firstPrevious: KeyCursor | null; lastNext: KeyCursor | null }
}

/**
 * Follows `next` from the first page to the last and `previous` from the last to the first.
 *
 * @param idField the object's id field (`cds_account_id`, …)
 */
export async function walkListing<Q>(listing: DataListing<Q>, request: Omit<ListingRequest<Q>, 'cursor'>, idField: string): Promise<ListingWalk> {
  const viaUrl = (cursor: KeyCursor) => decodeKeyCursor(encodeKeyCursor(cursor), listing.sortKeys)
  const ids = (items: Record<string, unknown>[]) => items.map((item) => String(item[idField]))
  const forward: string[][] = []
  let page = await listing.list({ ...request, cursor: undefined })
  const firstPrevious = page.previous
  forward.push(ids(page.items))
  while (page.next !== null) {
    page = await listing.list({ ...request, cursor: viaUrl(page.next) })
    forward.push(ids(page.items))
  }
  const lastNext = page.next
  const backward: string[][] = []
  while (page.previous !== null) {
    page = await listing.list({ ...request, cursor: viaUrl(page.previous) })
    backward.push(ids(page.items))
  }
  return { forward, backward, ends: { firstPrevious, lastNext } }
}

/** `ids` cut into pages of `size`, as a listing must return them. */
export function pagesOf(ids: readonly string[], size = 100): string[][] {
  const pages: string[][] = []
  for (let i = 0; i < ids.length; i += size) pages.push(ids.slice(i, i + size))
  return pages
}

/** The checks every listing's pagination test makes: pages of 100 in the exact order, both ways, null at the ends. */
export function expectPages(walk: ListingWalk, order: readonly string[]): void {
  const pages = pagesOf(order)
  expect(walk.forward).toEqual(pages)
  expect(walk.backward).toEqual(pages.slice(0, -1).reverse())
  expect(walk.ends.firstPrevious).toBeNull()
  expect(walk.ends.lastNext).toBeNull()
}
