/**
 * Helpers every Customer Data listing of CDS-WG3-01 §10 shares: turning stored columns into wire
 * values (`jsonb` text, `numeric` text), leaving out fields an `include_*` gate keeps off, pruning
 * id arrays to what the token may see (A-06), the temporal current/previous links (catalog §7.5),
 * the `q` search over visible fields (catalog §1.8, A-12), the number filters that never confirm a
 * hidden number (A-13), and the `(cds_modified desc, id asc)` order (catalog §1.9, A-15).
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { Decimal } from '@cds-ts/schema'
import { sql, type Expression, type ExpressionBuilder, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { Database, JsonText } from '../../db/database.js'
import { fromJsonText } from '../../db/json-text.js'
import type { SortKey } from '../../db/keyset.js'
import { whereArrayHasAny, whereIn } from '../../shared/filters.js'
import type { DataAccess, DataObjectType, IncludeField } from './types.js'

/** A listing condition for any query (the shape of the `shared/filters.ts` helpers). */
export type Condition = <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>) => Expression<SqlBool>

const TRUE = sql<boolean>`true`
const FALSE = sql<boolean>`false`

/**
 * A `jsonb` column's value (an Entity, a list of Contacts …), decoded so that non-integer numbers
 * are exact `Decimal`s (catalog §5); `null` stays `null`.
 *
 * @see CDS-WG3-01 §2 Data Types (decimal)
 */
export function jsonValue<T>(text: JsonText<T> | null): T | null {
  return text === null ? null : fromJsonText(text)
}

/**
 * A `numeric` column (`"12.50"`) as a `Decimal`, so the JSON number keeps every digit, trailing
 * zeros included (A-54); `null` stays `null`.
 *
 * @see CDS-WG3-01 §2 Data Types (decimal)
 */
export function decimalValue(text: string | null): Decimal | null {
  return text === null ? null : Decimal.from(text)
}

/**
 * The fields an `include_*` gate turns on, or nothing when the gate is off: CDS-WG3-01 §7.2 keeps
 * OPTIONAL fields out of the object unless their gate is enabled (catalog §1.5). Spread it into
 * the object.
 *
 * @see CDS-WG3-01 §7.2 Authorization Details Fields for Data Access
 */
export function gated(access: DataAccess, field: IncludeField, fields: Record<string, unknown>): Record<string, unknown> {
  return access.includes(field) ? fields : {}
}

/**
 * `fields` without the entries whose value is `null` or `undefined`: for enabled OPTIONAL fields
 * that are not nullable, where an unknown value means "absent" (catalog §0.2, A-02).
 *
 * @see CDS-WG3-01 §7.2 Authorization Details Fields for Data Access
 */
export function ifKnown(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null && value !== undefined))
}

/**
 * The `(cds_modified desc, id asc)` order of the §10.1–§10.4 and §10.7 listings (catalog §1.9),
 * with the object id as the final tie-break (A-15). The cursor holds `cds_modified` as text with
 * the database's microseconds (`sort_modified`, see {@link sortModified}), so microseconds a JS
 * `Date` would drop never make a page skip a row.
 *
 * @param table the listing's table, as named in the query (`accounts`)
 * @param id the id column (`cds_account_id`)
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function modifiedOrder<O extends { sort_modified: string }>(table: string, id: keyof O & string): SortKey<O>[] {
  return [
    { column: `${table}.cds_modified`, direction: 'desc', type: 'timestamptz', value: (row) => row.sort_modified },
    { column: `${table}.${id}`, direction: 'asc', type: 'text', value: (row) => String(row[id]) },
  ]
}

/**
 * The select item `sort_modified` that {@link modifiedOrder} reads: `<table>.cds_modified` as RFC
 * 3339 UTC text with microseconds (`2025-01-31T12:00:00.123456Z`), the precision PostgreSQL keeps.
 * The cursor check of `keysetPageBy` accepts only RFC 3339, which the database's own text form
 * (`2025-01-31 12:00:00.123456+00`) is not, and `cast(… as timestamptz)` reads it back exactly.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function sortModified(table: string): RawBuilder<string> {
  return exactInstant(`${table}.cds_modified`)
}

/**
 * A `timestamptz` column as RFC 3339 UTC text with the microseconds PostgreSQL keeps and a JS
 * `Date` would drop: the form every cursor holds a datetime key in.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export function exactInstant(column: string): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
}

/**
 * `whereIn` of `shared/filters.ts` as a {@link Condition}, usable on any listing query (joins
 * included) without naming its tables: `column IN values`, no condition when absent.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function whereOneOf(column: string, values: ReadonlySet<string> | undefined): Condition {
  return <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>) => whereIn<DB, TB>(column, values)(eb)
}

/**
 * `whereArrayHasAny` of `shared/filters.ts` as a {@link Condition}: a `jsonb` string array holding
 * any of `values` (catalog §1.8), no condition when absent.
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export function whereHasAny(column: string, values: ReadonlySet<string> | undefined): Condition {
  return <DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>) => whereArrayHasAny<DB, TB>(column, values)(eb)
}

/**
 * The `*_numbers` filters (catalog §1.8): `column IN values`, but only when the token may see that
 * number; with its gate off the filter matches nothing, so it cannot confirm a hidden number
 * (A-13). `null` numbers never match. No condition when the filter is absent.
 *
 * @param gate the `include_*` field that shows the number, or `undefined` for an ungated number
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function whereNumberIn(
  access: DataAccess,
  gate: IncludeField | undefined,
  column: string,
  values: ReadonlySet<string> | undefined,
): Condition {
  return (eb) => {
    if (values === undefined) return TRUE
    if (gate !== undefined && !access.includes(gate)) return FALSE
    return eb(sql.ref(column), 'in', [...values])
  }
}

/** One field the `q` search may look at: its condition for a `LIKE` pattern. */
export type SearchField = (pattern: string) => RawBuilder<boolean>

/**
 * A text column for {@link whereSearch}.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function searchColumn(column: string): SearchField {
  return (pattern) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern}`
}

/**
 * A `jsonb` array of strings (`program_numbers`, `premise_numbers`) for {@link whereSearch}: any
 * element containing the term. Elements are searched one by one, never the JSON text, so `q=","`
 * finds nothing.
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export function searchStrings(column: string): SearchField {
  return (pattern) =>
    sql<boolean>`exists (select 1 from jsonb_array_elements_text(${sql.ref(column)}) as element(item) where lower(element.item) like ${pattern})`
}

/**
 * One member of the objects of a `jsonb` array (`account_contacts` → `value`) for {@link whereSearch}.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function searchMember(column: string, member: string): SearchField {
  return (pattern) => sql<boolean>`exists (
    select 1 from jsonb_array_elements(${sql.ref(column)}) as element(item) where lower(element.item ->> ${member}) like ${pattern})`
}

/**
 * The `q` filter of CDS-WG3-01 §10: a case-insensitive substring of any of `fields` (A-12). The
 * caller lists only the fields the token may see (catalog §1.8), so `q` never finds a value through
 * a gated-off field. `%`, `_` and `\` in `q` match themselves. No condition when `q` is absent or
 * empty (A-14); nothing matches when no field is searchable.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export function whereSearch(q: string | undefined, fields: readonly SearchField[]): Condition {
  return () => {
    if (q === undefined || q === '') return TRUE
    if (fields.length === 0) return FALSE
    const pattern = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    return sql<boolean>`(${sql.join(
      fields.map((field) => field(pattern)),
      sql` or `,
    )})`
  }
}

/**
 * A temporal link table of catalog §7.5: one row per period an owner (a Service Point, a Meter
 * Device) was linked to a target (a Service Contract, a Service Point). A period whose `valid_to`
 * is null is current.
 */
export interface TemporalLinks {
  table: 'servicepoint_servicecontracts' | 'meterdevice_servicepoints'
  /** The owner's id column in the link table. */
  owner: string
  /** The target's id column in the link table. */
  target: string
  /** The target's object type, for pruning (A-06). */
  targetType: DataObjectType
}

/** The `current_*` and `previous_*` arrays of one owner. */
export interface LinkedIds {
  current: string[]
  previous: string[]
}

/**
 * The `current_*` and `previous_*` arrays of each owner in `owners`, pruned to the targets the
 * token may see (A-06) and without duplicates. A target is current while any of its periods is
 * open (`valid_to` null) and previous when all its periods have ended, so an id is never in both
 * arrays. Ids come in the order they were first linked, then by id.
 *
 * @see CDS-WG3-01 §10.3.1 Service Point Object Format
 * @see CDS-WG3-01 §10.4.1 Meter Device Object Format
 */
export async function linkedIds(
  db: Kysely<Database>,
  access: DataAccess,
  links: TemporalLinks,
  owners: readonly string[],
): Promise<Map<string, LinkedIds>> {
  const result = new Map<string, LinkedIds>(owners.map((owner) => [owner, { current: [], previous: [] }]))
  if (owners.length === 0) return result
  const { rows } = await sql<{ owner: string; target: string; current: boolean }>`
    select ${sql.ref(links.owner)} as owner, ${sql.ref(links.target)} as target, bool_or(valid_to is null) as current
    from ${sql.table(links.table)}
    where ${sql.ref(links.owner)} in (${sql.join([...owners])})
    group by ${sql.ref(links.owner)}, ${sql.ref(links.target)}
    order by min(valid_from), ${sql.ref(links.target)}`.execute(db)
  const visible = await access.visibleIds(links.targetType, new Set(rows.map((row) => row.target)))
  for (const row of rows) {
    // A-06: an id array only names objects the same token could list.
    if (!visible.has(row.target)) continue
    const entry = result.get(row.owner)
    if (entry !== undefined) (row.current ? entry.current : entry.previous).push(row.target)
  }
  return result
}

/**
 * The `current_*` / `previous_*` filters: owners with any of `ids` in that (pruned) array. Ids the
 * token may not see are dropped first, so the filter matches the arrays as the client sees them
 * (A-13) and cannot reveal a hidden link. No condition when the filter is absent.
 *
 * @param ownerId the owner's id column in the listing query (`service_points.cds_servicepoint_id`)
 * @see CDS-WG3-01 §10.3.5 Listing Service Points
 * @see CDS-WG3-01 §10.4.5 Listing Meter Devices
 */
export async function whereLinked(
  access: DataAccess,
  links: TemporalLinks,
  ownerId: string,
  which: 'current' | 'previous',
  ids: ReadonlySet<string> | undefined,
): Promise<Condition> {
  if (ids === undefined) return () => TRUE
  const visible = [...(await access.visibleIds(links.targetType, ids))]
  if (visible.length === 0) return () => FALSE
  const owner = (alias: string) => sql.ref(`${alias}.${links.owner}`)
  const target = (alias: string) => sql.ref(`${alias}.${links.target}`)
  const open = sql`exists (
    select 1 from ${sql.table(links.table)} as still
    where ${owner('still')} = ${owner('link')} and ${target('still')} = ${target('link')} and still.valid_to is null)`
  // Catalog §7.5: current is an open period; previous is ended periods only, mirroring linkedIds.
  const period = which === 'current' ? sql`link.valid_to is null` : sql`link.valid_to is not null and not ${open}`
  return () => sql<boolean>`exists (
    select 1 from ${sql.table(links.table)} as link
    where ${owner('link')} = ${sql.ref(ownerId)} and ${target('link')} in (${sql.join(visible)}) and ${period})`
}

/**
 * The ids among `ids` (unique, in order) that the token may see (A-06).
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export async function visibleOnly(access: DataAccess, type: DataObjectType, ids: readonly string[]): Promise<string[]> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return []
  const visible = await access.visibleIds(type, unique)
  return unique.filter((id) => visible.has(id))
}

/**
 * `cds_synced` as the token may see it (CDS-WG3-01 §7.3.1, catalog §1.12): the stored instant,
 * but never later than the token's `sync_until`, since data confirmed after that is not shared.
 *
 * @see CDS-WG3-01 §7.3.1 Sync Until
 */
export function syncedAt(synced: Date, access: Pick<DataAccess, 'windows'>): string {
  const until = access.windows.sync_until
  return until !== null && Date.parse(until) < synced.getTime() ? toDateTime(new Date(until)) : toDateTime(synced)
}

/**
 * A-16: the Program objects of an `account_programs` or `service_programs` array that the token may
 * see (`DataAccess.programs`), in their stored order.
 *
 * @see CDS-WG3-01 §6.1.2 Account Programs Scope
 * @see CDS-WG3-01 §6.1.3 Service Programs Scope
 */
export function visiblePrograms(programs: unknown, allowed: ReadonlySet<string> | null | undefined): unknown {
  if (allowed === null || allowed === undefined || !Array.isArray(programs)) return programs
  return programs.filter((program: unknown) => {
    const number = typeof program === 'object' && program !== null ? (program as { program_number?: unknown }).program_number : undefined
    return typeof number === 'string' && allowed.has(number)
  })
}
