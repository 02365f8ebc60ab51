/**
 * Keyset pagination in SQL: the database half of `shared/pagination.ts`. Every CDS listing is
 * ordered newest first by a datetime column with an id column as tie-break (F26, A-61); a page
 * after or before a cursor is a row-value comparison on that pair, which an index on
 * `(…, sort desc, id desc)` answers without scanning skipped rows.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 * @module
 */
import { sql, type SelectQueryBuilder } from 'kysely'
import { pageSize, type Cursor, type ListingKey, type Page } from '../shared/pagination.js'

/** How {@link keysetPage} reads a listing. */
export interface KeysetOptions<O> {
  /** The `timestamptz` column the listing is ordered by, newest first (e.g. `grants.modified`). */
  sort: string
  /** The unique tie-break column (e.g. `grants.grant_id`). */
  id: string
  /** Where the page starts; `undefined` for the first page. */
  cursor: Cursor | undefined
  /** Rows per page, clamped to 1…100. */
  limit?: number
  /** The key of a row, with `sort` as RFC 3339 text (the same value the columns hold). */
  keyOf: (row: O) => ListingKey
}

/**
 * Fetches one page of an already filtered query, with the cursors of its neighbours (`null` at
 * either end). The query must not have its own `order by` or `limit`.
 *
 * @example
 * ```ts
 * const page = await keysetPage(db.selectFrom('grants').selectAll().where('client_id', 'in', ids), {
 *   sort: 'grants.modified', id: 'grants.grant_id', cursor, keyOf: (g) => ({ sort: toDateTime(g.modified), id: g.grant_id }),
 * })
 * ```
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export async function keysetPage<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, options: KeysetOptions<O>): Promise<Page<O>> {
  const { cursor, keyOf } = options
  const size = pageSize(options.limit)
  const sort = sql.ref(options.sort)
  const id = sql.ref(options.id)
  const pair = sql`(${sort}, ${id})`
  const keyPair = (key: ListingKey) => sql`(cast(${key.sort} as timestamptz), ${key.id})`
  // Rows strictly after (older than) or before (newer than) a key, in listing order.
  const olderThan = (key: ListingKey) => query.where(sql<boolean>`${pair} < ${keyPair(key)}`)
  const newerThan = (key: ListingKey) => query.where(sql<boolean>`${pair} > ${keyPair(key)}`)
  const exists = async (q: SelectQueryBuilder<DB, TB, O>) => (await q.clearSelect().select(sql`1`.as('one')).limit(1).execute()).length > 0

  if (cursor?.direction === 'previous') {
    const rows = await newerThan(cursor.key).orderBy(sort, 'asc').orderBy(id, 'asc').limit(size + 1).execute()
    const more = rows.length > size
    const items = rows.slice(0, size).reverse()
    const first = items[0]
    const last = items[items.length - 1]
    return {
      items,
      previous: more && first !== undefined ? { direction: 'previous', key: keyOf(first) } : null,
      next: last !== undefined && (await exists(olderThan(keyOf(last)))) ? { direction: 'next', key: keyOf(last) } : null,
    }
  }
  const start = cursor === undefined ? query : olderThan(cursor.key)
  const rows = await start.orderBy(sort, 'desc').orderBy(id, 'desc').limit(size + 1).execute()
  const items = rows.slice(0, size)
  const first = items[0]
  const last = items[items.length - 1]
  return {
    items,
    next: rows.length > size && last !== undefined ? { direction: 'next', key: keyOf(last) } : null,
    previous:
      cursor !== undefined && first !== undefined && (await exists(newerThan(keyOf(first)))) ? { direction: 'previous', key: keyOf(first) } : null,
  }
}
