/**
 * The building blocks of Customer Data visibility (catalog §1.4, §7.3): the base permission set
 * of a Grant (step 2), the customer's selections (step 3, consent), the direct-access
 * preselection filters (step 3, direct, §7.1) and the SQL conditions over the link tables that
 * keep the large types (Bill Statements, Bill Sections, Usage Segments, EACs) as predicates.
 *
 * @see CDS-WG3-01 §7.1 Authorization Details Fields for Preselection
 * @module
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import type { Database, GrantSelection } from '../../db/database.js'
import { aggregationsWith, idsOf, inSet, intersect, NONE, related, selectIds, SMALL_TABLES, union, type IdSet, type SmallType } from './id-sets.js'

/** A condition over one table. */
export type Condition = RawBuilder<SqlBool>

/** The large types, kept as SQL conditions over their tables. */
export type BigType = 'bill_statement' | 'bill_section' | 'usage_segment' | 'eac'

/** Always true / always false. */
export const TRUE: Condition = sql<SqlBool>`true`
export const FALSE: Condition = sql<SqlBool>`false`

/** `a and b`, folding the constants. */
export function and(...conditions: Condition[]): Condition {
  const rest = conditions.filter((c) => c !== TRUE)
  if (rest.includes(FALSE)) return FALSE
  if (rest.length === 0) return TRUE
  return rest.length === 1 ? (rest[0] as Condition) : sql<SqlBool>`(${sql.join(rest, sql` and `)})`
}

/** `a or b`, folding the constants. */
export function or(...conditions: Condition[]): Condition {
  const rest = conditions.filter((c) => c !== FALSE)
  if (rest.includes(TRUE)) return TRUE
  if (rest.length === 0) return FALSE
  return rest.length === 1 ? (rest[0] as Condition) : sql<SqlBool>`(${sql.join(rest, sql` or `)})`
}

/** The base permission set of a Grant (catalog §1.4 step 2): what the Client may ever see. */
export interface BaseSet {
  small: Readonly<Record<SmallType, IdSet>>
  big: Readonly<Record<BigType, Condition>>
  /** `true` when the base is every object (direct access with `direct_access_base: 'all'`). */
  everything: boolean
}

/** Usage Segments linked (`related_*`) to an object of `type` in `set`. */
export function segmentLinkedTo(type: string, set: IdSet | Condition): Condition {
  if (set !== 'all' && set instanceof Set && set.size === 0) return FALSE
  const match = set === 'all' ? sql`` : set instanceof Set ? sql`and l.object_id in (${sql.join([...set])})` : sql`and ${set}`
  return sql<SqlBool>`exists (select 1 from usage_segment_links l where l.cds_usagesegment_id = usage_segments.cds_usagesegment_id and l.object_type = ${type} ${match})`
}

/** Bill Sections linked (`related_*`) to an object of `type` in `set`. */
export function sectionLinkedTo(type: Exclude<SmallType, 'account' | 'aggregation'>, set: IdSet): Condition {
  if (set !== 'all' && set.size === 0) return FALSE
  const match = set === 'all' ? sql`` : sql`and b.object_id in (${sql.join([...set])})`
  return sql<SqlBool>`exists (select 1 from bill_section_links b where b.cds_billsection_id = bill_sections.cds_billsection_id and b.object_type = ${type} ${match})`
}

/**
 * The base set of a Grant: a consent Grant reaches its customer's Accounts and what hangs off
 * them (their Service Contracts, the Service Points ever linked to those, the Meter Devices ever
 * linked to those, their Bill Statements and Sections, Usage Segments linked to them) and the
 * Aggregations grouping any of those or listed in the customer's directory; a direct-access
 * Grant reaches everything or nothing, per `customer_data.direct_access_base`.
 */
export async function baseSet(db: Kysely<Database>, customer_id: string | null, direct: 'all' | 'none' | null): Promise<BaseSet> {
  if (direct !== null || customer_id === null) {
    const all = direct === 'all'
    const set: IdSet = all ? 'all' : NONE
    const condition = all ? TRUE : FALSE
    return {
      small: { account: set, service_contract: set, service_point: set, meter_device: set, aggregation: set },
      big: { bill_statement: condition, bill_section: condition, usage_segment: condition, eac: condition },
      everything: all,
    }
  }
  const account = await selectIds(db, 'account', sql<SqlBool>`customer_id = ${customer_id}`)
  const service_contract = await related(db, 'account', account, 'service_contract')
  const service_point = await related(db, 'service_contract', service_contract, 'service_point')
  const meter_device = await related(db, 'service_point', service_point, 'meter_device')
  const listed = await idsOf(
    db,
    sql`select a.cds_aggregation_id as id from aggregations a join customer_resources r on r.number = a.aggregation_number and r.resource_type = 'aggregation' and r.customer_id = ${customer_id}`,
  )
  const aggregation = union(
    listed,
    await aggregationsWith(db, 'account', account),
    await aggregationsWith(db, 'service_contract', service_contract),
    await aggregationsWith(db, 'service_point', service_point),
    await aggregationsWith(db, 'meter_device', meter_device),
  )
  return {
    small: { account, service_contract, service_point, meter_device, aggregation },
    big: {
      bill_statement: inSet('bill_statements.cds_account_id', account),
      bill_section: inSet('bill_sections.cds_account_id', account),
      // A segment of another occupant of a shared Service Point or Meter is never the customer's:
      // it must be linked to one of their Accounts or Contracts, or be an Aggregation's.
      usage_segment: or(segmentLinkedTo('account', account), segmentLinkedTo('service_contract', service_contract), segmentLinkedTo('aggregation', aggregation)),
      eac: TRUE,
    },
    everything: false,
  }
}

/**
 * The objects of `type` the customer selected for one scope (catalog §1.4 step 3, A-10): the
 * selected numbers, plus, with "include future" (A-81), every object of the type created after
 * the Grant (every one when all were selected), resolved now; always within the base set.
 */
export async function selectedIds(db: Kysely<Database>, base: BaseSet, selections: readonly GrantSelection[], type: SmallType, grantCreated: string): Promise<IdSet> {
  let ids: IdSet = NONE
  const { number } = SMALL_TABLES[type]
  for (const selection of selections.filter((s) => s.resource_type === type)) {
    const byNumber = selection.numbers.length === 0 ? NONE : await selectIds(db, type, sql<SqlBool>`${sql.ref(number)} in (${sql.join(selection.numbers)})`)
    let future: IdSet = NONE
    if (selection.include_future) future = selection.all ? 'all' : await selectIds(db, type, sql<SqlBool>`cds_created > ${new Date(grantCreated)}`)
    ids = union(ids, byNumber, future)
  }
  return intersect(ids, base.small[type])
}

const anyOf = (column: string) => (values: readonly string[]) => sql<SqlBool>`${sql.ref(column)} ?| array[${sql.join(values.map((v) => sql`${v}`))}]::text[]`
const oneOf = (column: string) => (values: readonly string[]) => sql<SqlBool>`${sql.ref(column)} in (${sql.join(values)})`

/** CDS-WG3-01 §7.1 (catalog §1.4 table): the type each preselection field filters, and how. */
export const PRESELECTIONS: Readonly<Record<string, readonly [SmallType, (values: readonly string[]) => Condition]>> = {
  account_numbers: ['account', oneOf('account_number')],
  account_programs: ['account', anyOf('program_numbers')],
  contract_numbers: ['service_contract', oneOf('contract_number')],
  service_types: ['service_contract', anyOf('service_types')],
  service_programs: ['service_contract', anyOf('program_numbers')],
  servicepoint_numbers: ['service_point', oneOf('servicepoint_number')],
  servicepoint_types: ['service_point', anyOf('servicepoint_types')],
  premise_numbers: ['service_point', anyOf('premise_numbers')],
  meter_numbers: ['meter_device', oneOf('meter_number')],
  meter_types: ['meter_device', anyOf('meter_types')],
  meter_apps: ['meter_device', anyOf('app_numbers')],
  aggregation_numbers: ['aggregation', oneOf('aggregation_number')],
}

/**
 * The direct-access preselection filters of an authorization details entry (§6.2 "MUST
 * constrain", §7.1): per filtered type, the objects of the base set passing every non-null field
 * on it. `_all` lifts a field's filter and `_include_future` is ignored (A-50); an empty list
 * matches nothing.
 */
export async function preselectionFilters(db: Kysely<Database>, base: BaseSet, entry: Readonly<Record<string, unknown>>): Promise<Map<SmallType, IdSet>> {
  const conditions = new Map<SmallType, Condition[]>()
  for (const [field, [type, condition]] of Object.entries(PRESELECTIONS)) {
    const value = entry[field]
    if (!Array.isArray(value)) continue
    const strings = value.filter((v): v is string => typeof v === 'string')
    if (strings.includes('_all')) continue
    const values = strings.filter((v) => v !== '_include_future')
    if (values.length === 0 && strings.length > 0) continue
    conditions.set(type, [...(conditions.get(type) ?? []), values.length === 0 ? FALSE : condition(values)])
  }
  const filters = new Map<SmallType, IdSet>()
  for (const [type, list] of conditions) {
    const where = and(...list)
    filters.set(type, where === FALSE ? NONE : intersect(await selectIds(db, type, where), base.small[type]))
  }
  return filters
}
