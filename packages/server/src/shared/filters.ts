/**
 * Listing filters shared by every CDS listing: the space-separated id lists and the inclusive
 * `after`/`before` datetimes of CDS-WG1-01 §4.2 and CDS-WG1-02 §5.3, §6.8, §7.3, §8.4, §9.2,
 * read from the query string and turned into Kysely `where` conditions. A value that cannot be
 * read is 400 `invalid_request` naming the parameter; no route parses these itself (STYLE §2.8).
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import { compareDateTimes } from './pagination.js'

/**
 * The values of a space-separated list parameter; `undefined` (no filter) when the parameter is
 * absent or holds only spaces (R1-02-X-10). A `+` in the query already arrives as a space.
 *
 * @see CDS-WG1-01 §4.2 Coverage Listing Filters
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export function parseIdList(value: string | undefined): Set<string> | undefined {
  const ids = (value ?? '').split(/\s+/).filter((id) => id !== '')
  return ids.length === 0 ? undefined : new Set(ids)
}

const DATE_TIME = /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[+-]\d\d:\d\d)$/

/**
 * A datetime filter (`after`, `before`): RFC 3339 text, or `undefined` when absent or empty.
 *
 * @param name the query parameter, named in the error
 * @throws {InvalidRequest} when the value is not an RFC 3339 date-time
 * @see CDS-WG1-02 §7.3 Listing Credentials
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export function parseDateTimeFilter(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  let valid = DATE_TIME.test(value)
  if (valid) {
    try {
      compareDateTimes(value, value)
    } catch {
      valid = false
    }
  }
  if (!valid) throw new InvalidRequest(`the query parameter '${name}' must be an RFC 3339 date-time, such as 2025-01-31T00:00:00Z`)
  return value
}

/**
 * `column IN (ids)`, or no condition when the filter is absent. An id list matches nothing it
 * does not name: unknown ids simply find nothing (R1-02-5.3-05).
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export function whereIn<DB, TB extends keyof DB>(column: string, ids: ReadonlySet<string> | undefined) {
  return (eb: ExpressionBuilder<DB, TB>): Expression<SqlBool> =>
    ids === undefined ? sql<boolean>`true` : eb(sql.ref(column), 'in', [...ids])
}

/**
 * `column >= after AND column <= before`, both inclusive (R1-02-7.3-05, -06), each only when given.
 *
 * @see CDS-WG1-02 §7.3 Listing Credentials
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export function whereCreatedBetween<DB, TB extends keyof DB>(column: string, after: string | undefined, before: string | undefined) {
  return (eb: ExpressionBuilder<DB, TB>): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = []
    if (after !== undefined) conditions.push(sql<boolean>`${sql.ref(column)} >= cast(${after} as timestamptz)`)
    if (before !== undefined) conditions.push(sql<boolean>`${sql.ref(column)} <= cast(${before} as timestamptz)`)
    return conditions.length === 0 ? sql<boolean>`true` : eb.and(conditions)
  }
}

const DATE = /^(\d{4})-(\d\d)-(\d\d)$/

/**
 * A date filter (`before`, `after` of the Bill Statements and Bill Sections listings): `YYYY-MM-DD`,
 * or `undefined` when absent or empty (A-14).
 *
 * @param name the query parameter, named in the error
 * @throws {InvalidRequest} when the value is not an RFC 3339 full-date
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 */
export function parseDateFilter(name: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined
  const match = DATE.exec(value)
  const valid =
    match !== null &&
    (() => {
      const [year, month, day] = match.slice(1).map(Number) as [number, number, number]
      return month >= 1 && month <= 12 && day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
    })()
  if (!valid) throw new InvalidRequest(`the query parameter '${name}' must be an RFC 3339 date, such as 2025-01-31`)
  return value
}

/**
 * A `jsonb` string-array column holding any of `values` (CDS-WG3-01 §10: an array field matches
 * when any element equals any filter value); no condition when the filter is absent. Uses the
 * `?|` operator, which the column's GIN index answers.
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export function whereArrayHasAny<DB, TB extends keyof DB>(column: string, values: ReadonlySet<string> | undefined) {
  return (_eb: ExpressionBuilder<DB, TB>): Expression<SqlBool> =>
    values === undefined ? sql<boolean>`true` : sql<boolean>`${sql.ref(column)} ?| array[${sql.join([...values].map((v) => sql`${v}`))}]::text[]`
}

/**
 * The `q` search of CDS-WG3-01 §10: a case-insensitive substring of any of `columns` (A-12);
 * no condition when `q` is absent or empty. Callers pass only the columns the token may see
 * (catalog §1.8: a gated-off field is never searched). `%`, `_` and `\` in `q` match themselves.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function whereContains<DB, TB extends keyof DB>(columns: readonly string[], q: string | undefined) {
  return (_eb: ExpressionBuilder<DB, TB>): Expression<SqlBool> => {
    if (q === undefined || q === '') return sql<boolean>`true`
    if (columns.length === 0) return sql<boolean>`false`
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    return sql<boolean>`(${sql.join(
      columns.map((column) => sql`lower(${sql.ref(column)}) like ${pattern}`),
      sql` or `,
    )})`
  }
}

/** The CDS-WG3-01 §10 parameters that hold one value, never a list. */
const SINGLE_VALUED = new Set(['q', 'before', 'after', 'cursor'])

/**
 * A repeated list parameter is read as one list holding every value (A-14: `?a=1&a=2` is
 * `?a=1%202`); a repeated single-valued parameter (`q`, `before`, `after`, `cursor`) has no
 * union and is refused. Returns the query with each repeated list joined by spaces.
 *
 * @throws {InvalidRequest} when a single-valued parameter is given more than once
 * @see CDS-WG3-01 §10 Customer Data API
 */
export function unionRepeatedParameters(query: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const result: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(query)) {
    if (!Array.isArray(value)) {
      result[name] = value
      continue
    }
    if (SINGLE_VALUED.has(name)) throw new InvalidRequest(`the query parameter '${name}' is given more than once`)
    result[name] = value.join(' ')
  }
  return result
}
