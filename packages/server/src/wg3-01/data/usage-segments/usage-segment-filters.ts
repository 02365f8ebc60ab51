/**
 * The filters of Listing Usage Segments (CDS-WG3-01 §10.8.8, catalog §3.11) as SQL conditions on
 * `usage_segments`. Every filter given narrows the list (R3-01-10.8.8-16). The time and id
 * filters see the segments as the token sees them: trimmed to its window (`trim.ts`, catalog
 * §3.10 step 5), under the trimmed copies' ids.
 *
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 * @module
 */
import type { UsageSegmentListingQuery } from '@cds-ts/schema'
import { sql, type RawBuilder } from 'kysely'
import { parseDateTimeFilter, parseIdList } from '../../../shared/filters.js'
import type { DataAccess, DataObjectType, IncludeField } from '../types.js'
import { parseTrimmedId, type TrimSql } from './trim.js'

const TRUE = sql<boolean>`true`
const FALSE = sql<boolean>`false`

type Query = UsageSegmentListingQuery

/** The id filters on `related_*` arrays (§10.8.8; `cds_aggregation_ids` is the A-38 extension). */
const ID_FILTERS: readonly (readonly [keyof Query, DataObjectType])[] = [
  ['cds_account_ids', 'account'],
  ['cds_servicecontract_ids', 'service_contract'],
  ['cds_servicepoint_ids', 'service_point'],
  ['cds_meterdevice_ids', 'meter_device'],
  ['cds_billsection_ids', 'bill_section'],
  ['cds_aggregation_ids', 'aggregation'],
]

/** A number filter: the related objects' table, id and number columns, and the gate showing the number. */
interface NumberFilter {
  parameter: keyof Query
  type: DataObjectType
  table: 'accounts' | 'service_contracts' | 'service_points' | 'meter_devices' | 'aggregations'
  id: string
  number: string
  /** `undefined` for a number no `include_*` field hides (catalog §2.3.1, §2.7.1). */
  gate: IncludeField | undefined
}

const NUMBER_FILTERS: readonly NumberFilter[] = [
  { parameter: 'account_numbers', type: 'account', table: 'accounts', id: 'cds_account_id', number: 'account_number', gate: 'include_account_numbers' },
  {
    parameter: 'contract_numbers',
    type: 'service_contract',
    table: 'service_contracts',
    id: 'cds_servicecontract_id',
    number: 'contract_number',
    gate: 'include_contract_numbers',
  },
  { parameter: 'servicepoint_numbers', type: 'service_point', table: 'service_points', id: 'cds_servicepoint_id', number: 'servicepoint_number', gate: undefined },
  { parameter: 'meter_numbers', type: 'meter_device', table: 'meter_devices', id: 'cds_meterdevice_id', number: 'meter_number', gate: 'include_meter_numbers' },
  // A-38 extension; `aggregation_number` is shown to everyone who sees the Aggregation.
  { parameter: 'aggregation_numbers', type: 'aggregation', table: 'aggregations', id: 'cds_aggregation_id', number: 'aggregation_number', gate: undefined },
]

/** Segments linked to any of `ids` (of `type`). */
function linkedTo(type: DataObjectType, ids: readonly string[]): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from usage_segment_links as link
    where link.cds_usagesegment_id = usage_segments.cds_usagesegment_id and link.object_type = ${type} and link.object_id in (${sql.join([...ids])}))`
}

/**
 * `cds_usagesegment_ids` (R3-01-10.8.8-04) against the ids the token sees: a segment the window
 * keeps whole under its own id, a trimmed copy under its trimmed id only. An original id whose
 * segment the token sees trimmed finds nothing (§7.3.6: the original is never exposed).
 */
function whereSegmentIds(ids: ReadonlySet<string> | undefined, trim: TrimSql | undefined): RawBuilder<boolean> {
  if (ids === undefined) return TRUE
  const id = sql.ref('usage_segments.cds_usagesegment_id')
  const plain = sql`${id} in (${sql.join([...ids])})`
  if (trim === undefined) return sql<boolean>`${plain}`
  const copies = [...ids].flatMap((text) => {
    const parts = parseTrimmedId(text)
    return parts === undefined
      ? []
      : [sql`(${id} = ${parts.id} and ${trim.start} = cast(${parts.start} as numeric) and ${trim.end} = cast(${parts.end} as numeric))`]
  })
  return sql<boolean>`((${plain} and ${trim.whole}) or (not ${trim.whole} and (${copies.length === 0 ? FALSE : sql.join(copies, sql` or `)})))`
}

/**
 * The time filters: `before` keeps segments starting at or before it (R3-01-10.8.8-05), `after`
 * those ending at or after it (R3-01-10.8.8-06), both inclusive, so together they select overlap
 * (A-52: a segment ending exactly at `after` matches). With a window they compare the trimmed
 * bounds; the plain columns are compared too, which is implied and lets an index help.
 *
 * @throws {InvalidRequest} (400) for a value that is not an RFC 3339 date-time (A-14)
 */
function whereTimes(query: Query, trim: TrimSql | undefined): RawBuilder<boolean>[] {
  const before = parseDateTimeFilter('before', query.before)
  const after = parseDateTimeFilter('after', query.after)
  const conditions: RawBuilder<boolean>[] = []
  if (before !== undefined) {
    conditions.push(sql<boolean>`usage_segments.segment_start <= cast(${before} as timestamptz)`)
    if (trim !== undefined) conditions.push(sql<boolean>`${trim.start} <= extract(epoch from cast(${before} as timestamptz))`)
  }
  if (after !== undefined) {
    conditions.push(sql<boolean>`usage_segments.segment_end >= cast(${after} as timestamptz)`)
    if (trim !== undefined) conditions.push(sql<boolean>`${trim.end} >= extract(epoch from cast(${after} as timestamptz))`)
  }
  return conditions
}

/**
 * Every filter of the query as conditions on `usage_segments`, all to be met.
 *
 * - id filters on `related_*` match the pruned arrays (A-13): ids the token cannot see are dropped
 *   first, and a filter left with none matches nothing;
 * - number filters match the numbers of related objects the token sees, and only when it may see
 *   that number (A-13); otherwise they match nothing, so they cannot confirm a hidden number.
 *
 * @throws {InvalidRequest} (400) for a malformed `before` or `after` (A-14)
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export async function usageSegmentConditions(access: DataAccess, query: Query, trim: TrimSql | undefined): Promise<RawBuilder<boolean>[]> {
  const conditions = [whereSegmentIds(parseIdList(query.cds_usagesegment_ids), trim), ...whereTimes(query, trim)]
  for (const [parameter, type] of ID_FILTERS) {
    const ids = parseIdList(query[parameter])
    if (ids === undefined) continue
    const visible = [...(await access.visibleIds(type, ids))]
    conditions.push(visible.length === 0 ? FALSE : linkedTo(type, visible))
  }
  for (const filter of NUMBER_FILTERS) {
    const numbers = parseIdList(query[filter.parameter])
    if (numbers === undefined) continue
    if (filter.gate !== undefined && !access.includes(filter.gate)) {
      conditions.push(FALSE)
      continue
    }
    const table = sql.table(filter.table)
    const id = sql.ref(`${filter.table}.${filter.id}`)
    const number = sql.ref(`${filter.table}.${filter.number}`)
    // access.visible names the table unaliased, as it is here.
    conditions.push(sql<boolean>`exists (select 1 from usage_segment_links as link join ${table} on ${id} = link.object_id
      where link.cds_usagesegment_id = usage_segments.cds_usagesegment_id and link.object_type = ${filter.type}
      and ${number} in (${sql.join([...numbers])}) and ${access.visible(filter.type)})`)
  }
  return conditions
}
