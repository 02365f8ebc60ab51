/**
 * Keyset pagination in SQL: the database half of `shared/pagination.ts`. Every CDS listing is
 * ordered newest first by a datetime column with an id column as tie-break (F26, A-61); a page
 * after or before a cursor is a row-value comparison on that pair, which an index on
 * `(…, sort desc, id desc)` answers without scanning skipped rows.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { Decimal } from '@cds-ts/schema'
import { sql, type SelectQueryBuilder } from 'kysely'
import { compareDateTimes, pageSize, type Cursor, type KeyCursor, type ListingKey, type Page } from '../shared/pagination.js'

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

/** One sort key of a {@link keysetPageBy} listing. */
export interface SortKey<O> {
  /** The column (or `table.column`) the listing is ordered by. */
  column: string
  direction: 'asc' | 'desc'
  /** How the cursor's text is compared with the column. */
  type: 'text' | 'timestamptz' | 'date' | 'numeric'
  /**
   * Compare as code points (`collate "C"`), the "alphanumeric" order of CDS-WG3-01 §10.6.9 and
   * §10.8.8 (A-17). The column's index must use the same collation to be used for the order.
   */
  codePoint?: boolean
  /** The key's value in a row, as text (an RFC 3339 date-time with milliseconds for `timestamptz`). */
  value: (row: O) => string
}

/** One page of a {@link keysetPageBy} listing. */
export interface KeyPage<O> {
  readonly items: O[]
  readonly next: KeyCursor | null
  readonly previous: KeyCursor | null
}

/**
 * Keyset pagination over any number of sort keys, each ascending or descending: the orderings of
 * CDS-WG3-01 §10 (catalog §1.9). The last key must be unique (the object id). A page after a
 * cursor is the lexicographic condition "(k1 after v1) or (k1 = v1 and k2 after v2) or …", which
 * an index on the same keys in the same directions answers without scanning skipped rows.
 * Key columns must be not null (sort columns hold `SORT_LAST` instead of null).
 *
 * @example
 * ```ts
 * const page = await keysetPageBy(db.selectFrom('accounts').selectAll(), {
 *   keys: [
 *     { column: 'accounts.cds_modified', direction: 'desc', type: 'timestamptz', value: (a) => a.cds_modified.toISOString() },
 *     { column: 'accounts.cds_account_id', direction: 'asc', type: 'text', value: (a) => a.cds_account_id },
 *   ],
 *   cursor,
 * })
 * ```
 * @see CDS-WG3-01 §10 Customer Data API
 */
export async function keysetPageBy<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  options: { keys: readonly SortKey<O>[]; cursor: KeyCursor | undefined; limit?: number },
): Promise<KeyPage<O>> {
  const { keys, cursor } = options
  if (cursor !== undefined) checkCursorValues(keys, cursor)
  const size = pageSize(options.limit)
  const column = (key: SortKey<O>) => (key.codePoint === true ? sql`${sql.ref(key.column)} collate "C"` : sql`${sql.ref(key.column)}`)
  const literal = (key: SortKey<O>, value: string) => {
    const cast = sql`cast(${value} as ${sql.raw(key.type)})`
    return key.codePoint === true ? sql`${cast} collate "C"` : cast
  }
  // Rows strictly after (forward) or before (backward) the key values, in listing order.
  const beyond = (values: readonly string[], forward: boolean) => {
    const branches = keys.map((key, i) => {
      const equal = keys.slice(0, i).map((k, j) => sql`${column(k)} = ${literal(k, values[j] ?? '')}`)
      const later = (key.direction === 'asc') === forward ? sql`>` : sql`<`
      return sql.join([...equal, sql`${column(key)} ${later} ${literal(key, values[i] ?? '')}`], sql` and `)
    })
    // The same bound on the first key alone, inclusive: implied by the branches, but a plain range
    // the planner turns into an index condition, so the order index seeks to the cursor instead of
    // filtering every row before it.
    const first = keys[0] as SortKey<O>
    const bound = sql`${column(first)} ${(first.direction === 'asc') === forward ? sql`>=` : sql`<=`} ${literal(first, values[0] ?? '')}`
    return sql<boolean>`(${bound} and (${sql.join(branches.map((b) => sql`(${b})`), sql` or `)}))`
  }
  const ordered = (q: SelectQueryBuilder<DB, TB, O>, forward: boolean) =>
    keys.reduce((acc, key) => acc.orderBy(column(key), (key.direction === 'asc') === forward ? 'asc' : 'desc'), q)
  const valuesOf = (row: O) => keys.map((key) => key.value(row))
  // Whether any row lies beyond `values`: the row next to them in listing order, so the order index
  // answers it by one seek whichever end of the table the rows sit at.
  const exists = async (values: readonly string[], forward: boolean) =>
    (await ordered(query.where(beyond(values, forward)), forward).clearSelect().select(sql`1`.as('one')).limit(1).execute()).length > 0

  if (cursor?.direction === 'previous') {
    const rows = await ordered(query.where(beyond(cursor.values, false)), false).limit(size + 1).execute()
    const items = rows.slice(0, size).reverse()
    const first = items[0]
    const last = items[items.length - 1]
    return {
      items,
      previous: rows.length > size && first !== undefined ? { direction: 'previous', values: valuesOf(first) } : null,
      next: last !== undefined && (await exists(valuesOf(last), true)) ? { direction: 'next', values: valuesOf(last) } : null,
    }
  }
  const start = cursor === undefined ? query : query.where(beyond(cursor.values, true))
  const rows = await ordered(start, true).limit(size + 1).execute()
  const items = rows.slice(0, size)
  const first = items[0]
  const last = items[items.length - 1]
  return {
    items,
    next: rows.length > size && last !== undefined ? { direction: 'next', values: valuesOf(last) } : null,
    previous:
      cursor !== undefined && first !== undefined && (await exists(valuesOf(first), false))
        ? { direction: 'previous', values: valuesOf(first) }
        : null,
  }
}

const DATE_VALUE = /^\d{4}-\d\d-\d\d$/

/**
 * A cursor's values must fit their keys' types: a cursor this server wrote always does, so a value
 * that does not is a tampered or foreign cursor and is refused with 400, never cast into a 500.
 */
function checkCursorValues<O>(keys: readonly SortKey<O>[], cursor: KeyCursor): void {
  const fits = (key: SortKey<O>, value: string): boolean => {
    switch (key.type) {
      case 'text':
        return true
      case 'numeric':
        return Decimal.isDecimalText(value)
      case 'date':
        return DATE_VALUE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
      case 'timestamptz':
        try {
          compareDateTimes(value, value)
          return true
        } catch {
          return false
        }
    }
  }
  if (cursor.values.length !== keys.length || !keys.every((key, i) => fits(key, cursor.values[i] ?? ''))) {
    throw new InvalidRequest('The cursor parameter is not a cursor from a next or previous link.')
  }
}
