/**
 * Id sets of the small Customer Data types (Accounts, Service Contracts, Service Points, Meter
 * Devices, Aggregations) and the walks between them that the visibility rules of CDS-WG3-01 §7.2
 * take (catalog §1.4). A set is either concrete ids or `'all'` (every object of the type, the
 * direct-access base set of `customer_data.direct_access_base: 'all'`), so a direct Client without
 * preselections never makes the server list every id of the database.
 *
 * @see CDS-WG3-01 §7.2 Authorization Details Fields for Included Data
 * @module
 */
import { sql, type Expression, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { Database } from '../../db/database.js'

/** The types whose visible sets are computed as ids per request (catalog §7.3). */
export type SmallType = 'account' | 'service_contract' | 'service_point' | 'meter_device' | 'aggregation'

/** Concrete ids, or every object of the type. */
export type IdSet = 'all' | ReadonlySet<string>

/** The empty set. */
export const NONE: IdSet = new Set<string>()

/** Table and id column of each small type. */
export const SMALL_TABLES: Readonly<Record<SmallType, { table: string; id: string; number: string }>> = {
  account: { table: 'accounts', id: 'cds_account_id', number: 'account_number' },
  service_contract: { table: 'service_contracts', id: 'cds_servicecontract_id', number: 'contract_number' },
  service_point: { table: 'service_points', id: 'cds_servicepoint_id', number: 'servicepoint_number' },
  meter_device: { table: 'meter_devices', id: 'cds_meterdevice_id', number: 'meter_number' },
  aggregation: { table: 'aggregations', id: 'cds_aggregation_id', number: 'aggregation_number' },
}

/** Whether the set holds nothing. */
export function isEmpty(set: IdSet): boolean {
  return set !== 'all' && set.size === 0
}

/** `a ∪ b`. */
export function union(...sets: IdSet[]): IdSet {
  if (sets.includes('all')) return 'all'
  return new Set(sets.flatMap((set) => [...(set as ReadonlySet<string>)]))
}

/** `a ∩ b`. */
export function intersect(a: IdSet, b: IdSet): IdSet {
  if (a === 'all') return b
  if (b === 'all') return a
  return new Set([...a].filter((id) => b.has(id)))
}

/** `column in (ids)`: always true for `'all'`, false for the empty set. */
export function inSet(column: string, set: IdSet): RawBuilder<SqlBool> {
  if (set === 'all') return sql<SqlBool>`true`
  if (set.size === 0) return sql<SqlBool>`false`
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join([...set])})`
}

/** The ids of a one-column query. */
export async function idsOf(db: Kysely<Database>, query: RawBuilder<unknown>): Promise<Set<string>> {
  const result = await sql<{ id: string }>`${query}`.execute(db)
  return new Set(result.rows.map((row) => row.id))
}

/** The ids of a small type's rows that satisfy `where`. */
export async function selectIds(db: Kysely<Database>, type: SmallType, where: Expression<SqlBool>): Promise<Set<string>> {
  const { table, id } = SMALL_TABLES[type]
  return idsOf(db, sql`select ${sql.ref(id)} as id from ${sql.table(table)} where ${where}`)
}

// The chain Account → Service Contract → Service Point → Meter Device (catalog §7.1).
const CHAIN: readonly SmallType[] = ['account', 'service_contract', 'service_point', 'meter_device']

/** One step along the chain; `current` keeps only links with no end (`valid_to is null`). */
async function step(db: Kysely<Database>, from: SmallType, to: SmallType, set: ReadonlySet<string>, current: boolean): Promise<Set<string>> {
  if (set.size === 0) return new Set()
  const ids = sql.join([...set])
  const live = current ? sql`and valid_to is null` : sql``
  const pair = `${from}>${to}`
  switch (pair) {
    case 'account>service_contract':
      return idsOf(db, sql`select cds_servicecontract_id as id from service_contracts where cds_account_id in (${ids})`)
    case 'service_contract>account':
      return idsOf(db, sql`select cds_account_id as id from service_contracts where cds_servicecontract_id in (${ids})`)
    case 'service_contract>service_point':
      return idsOf(db, sql`select cds_servicepoint_id as id from servicepoint_servicecontracts where cds_servicecontract_id in (${ids}) ${live}`)
    case 'service_point>service_contract':
      return idsOf(db, sql`select cds_servicecontract_id as id from servicepoint_servicecontracts where cds_servicepoint_id in (${ids}) ${live}`)
    case 'service_point>meter_device':
      return idsOf(db, sql`select cds_meterdevice_id as id from meterdevice_servicepoints where cds_servicepoint_id in (${ids}) ${live}`)
    case 'meter_device>service_point':
      return idsOf(db, sql`select cds_servicepoint_id as id from meterdevice_servicepoints where cds_meterdevice_id in (${ids}) ${live}`)
    default:
      throw new TypeError(`no direct link from ${from} to ${to}`)
  }
}

/** Aggregations with a member (`grouped_*`) of `type` in `set` (CDS-WG3-01 §10.7.1). */
export async function aggregationsWith(db: Kysely<Database>, type: Exclude<SmallType, 'aggregation'>, set: IdSet): Promise<IdSet> {
  if (set === 'all') return 'all'
  if (set.size === 0) return new Set()
  return idsOf(db, sql`select cds_aggregation_id as id from aggregation_members where object_type = ${type} and object_id in (${sql.join([...set])})`)
}

/**
 * The objects of type `to` related to `set` of type `from`: along the chain Account – Service
 * Contract – Service Point – Meter Device (temporal links: all of them, or with `current` only
 * the current ones), and between Aggregations and their members. `'all'` maps to `'all'`.
 */
export async function related(db: Kysely<Database>, from: SmallType, set: IdSet, to: SmallType, current = false): Promise<IdSet> {
  if (from === to || set === 'all') return set
  if (set.size === 0) return new Set()
  if (to === 'aggregation') return aggregationsWith(db, from as Exclude<SmallType, 'aggregation'>, set)
  if (from === 'aggregation') {
    return idsOf(db, sql`select object_id as id from aggregation_members where object_type = ${to} and cds_aggregation_id in (${sql.join([...set])})`)
  }
  let i = CHAIN.indexOf(from)
  const target = CHAIN.indexOf(to)
  let ids: ReadonlySet<string> = set
  while (i !== target && ids.size > 0) {
    const next = i < target ? i + 1 : i - 1
    ids = await step(db, CHAIN[i] as SmallType, CHAIN[next] as SmallType, ids, current)
    i = next
  }
  return ids
}

/** `set` with every `cds_account_parent` ancestor added, followed to the top (catalog §1.4 step 4). */
export async function withAncestors(db: Kysely<Database>, set: IdSet): Promise<IdSet> {
  if (set === 'all') return set
  const all = new Set(set)
  let frontier: ReadonlySet<string> = set
  while (frontier.size > 0) {
    const parents = await idsOf(
      db,
      sql`select cds_account_parent as id from accounts where cds_account_id in (${sql.join([...frontier])}) and cds_account_parent is not null`,
    )
    frontier = new Set([...parents].filter((id) => !all.has(id)))
    for (const id of frontier) all.add(id)
  }
  return all
}
