/**
 * The Usage Segment object of CDS-WG3-01 §10.8.1 as one token sees it: read from
 * `usage_segments` and `usage_segment_links`, trimmed to the token's window (`trim.ts`), its
 * columns limited to the allowed Value Formats (`value-formats.ts`), and every id it names pruned
 * to the objects the token may see.
 *
 * Decimals never pass through a float (catalog §5): `interval` is the column's `numeric` text,
 * and `formats`/`values` are the stored JSON decoded with `fromJsonText`, so `0.250` stays `0.250`.
 * `jsonb` keeps object keys in its own order; the fields of standard Value Formats and Value
 * Objects are put back in the order of their definitions in `@cds-ts/schema`.
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import {
  Decimal,
  ElectricDemandValueFormat,
  ElectricSupplyMixValueFormat,
  ElectricUsageValueFormat,
  FuelOilUsageValueFormat,
  IntervalCostValueFormat,
  MeterReadingsValueFormat,
  NaturalGasUsageValueFormat,
  VALUE_OBJECT_SCHEMAS,
  WaterUsageValueFormat,
} from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { TObject } from 'typebox'
import type { Database, JsonText, UsageSegmentLinkType } from '../../../db/database.js'
import { fromJsonText } from '../../../db/json-text.js'
import type { DataAccess, DataObjectType } from '../types.js'
import { exactInstant, syncedAt } from '../projection.js'
import { intervalMillis, trimmedId, trimSegment, type SegmentWindow } from './trim.js'
import { referencedIds, visibleColumns, type JsonObject, type SegmentTable } from './value-formats.js'

/** A `usage_segments` row as the listing reads it, with its sort keys as text. */
export interface UsageSegmentRow {
  cds_usagesegment_id: string
  cds_created: Date
  cds_modified: Date
  cds_synced: Date
  segment_start: Date
  segment_end: Date
  interval: string
  formats: JsonText<JsonObject[]>
  values: JsonText<(JsonObject | null)[][]>
  sort_aggregation_number: string
  sort_account_number: string
  sort_contract_number: string
  /** `segment_start` and `cds_modified` as RFC 3339 text in UTC, microseconds included. */
  sort_start: string
  sort_modified: string
}

/**
 * The `usage_segments` query every page starts from (no filter yet).
 *
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export function selectUsageSegments(db: Kysely<Database>) {
  return db
    .selectFrom('usage_segments')
    .select([
      'usage_segments.cds_usagesegment_id',
      'usage_segments.cds_created',
      'usage_segments.cds_modified',
      'usage_segments.cds_synced',
      'usage_segments.segment_start',
      'usage_segments.segment_end',
      'usage_segments.interval',
      'usage_segments.formats',
      'usage_segments.values',
      'usage_segments.sort_aggregation_number',
      'usage_segments.sort_account_number',
      'usage_segments.sort_contract_number',
      exactInstant('usage_segments.segment_start').as('sort_start'),
      exactInstant('usage_segments.cds_modified').as('sort_modified'),
    ])
}


/** The `related_*` fields of §10.8.1 and the object type each names, in the object's field order. */
const RELATED: readonly (readonly [string, UsageSegmentLinkType & DataObjectType])[] = [
  ['related_aggregations', 'aggregation'],
  ['related_accounts', 'account'],
  ['related_servicecontracts', 'service_contract'],
  ['related_servicepoints', 'service_point'],
  ['related_meterdevices', 'meter_device'],
  ['related_billsections', 'bill_section'],
]

const FORMAT_SCHEMAS: Readonly<Record<string, TObject>> = {
  electric_usage: ElectricUsageValueFormat,
  electric_demand: ElectricDemandValueFormat,
  electric_supply_mix: ElectricSupplyMixValueFormat,
  water_usage: WaterUsageValueFormat,
  natural_gas_usage: NaturalGasUsageValueFormat,
  fuel_oil_usage: FuelOilUsageValueFormat,
  cost: IntervalCostValueFormat,
  meter_readings: MeterReadingsValueFormat,
}

/** `object` with the fields `schema` defines first, in its order, then any others as they came. */
function inSchemaOrder(object: JsonObject, schema: unknown): JsonObject {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties
  if (properties === undefined) return object
  const ordered: JsonObject = {}
  for (const key of Object.keys(properties)) if (Object.hasOwn(object, key)) ordered[key] = object[key]
  for (const [key, value] of Object.entries(object)) if (!Object.hasOwn(ordered, key)) ordered[key] = value
  return ordered
}

function ordered(table: SegmentTable): SegmentTable {
  const types = table.formats.map((format) => String(format.type))
  return {
    formats: table.formats.map((format, j) => inSchemaOrder(format, FORMAT_SCHEMAS[types[j] ?? ''])),
    values: table.values.map((set) =>
      set.map((cell, j) => (cell === null ? null : inSchemaOrder(cell, (VALUE_OBJECT_SCHEMAS as Record<string, unknown>)[types[j] ?? '']))),
    ),
  }
}

/** A row decoded and cut to the window, before pruning. */
interface Decoded {
  row: UsageSegmentRow
  id: string
  start: Date
  end: Date
  table: SegmentTable
}

function decode(row: UsageSegmentRow, window: SegmentWindow): Decoded | null {
  const formats = fromJsonText(row.formats)
  const values = fromJsonText(row.values)
  const trim = trimSegment(row.segment_start, intervalMillis(row.interval), values.length, window)
  if (trim === null) return null
  // §7.3.6/§7.3.7: a straddling segment is replaced by a new one; the original id is never shown as a segment's.
  return {
    row,
    id: trim.trimmed ? trimmedId(row.cds_usagesegment_id, trim.start, trim.end) : row.cds_usagesegment_id,
    start: trim.start,
    end: trim.end,
    table: { formats, values: trim.trimmed ? values.slice(trim.skip, trim.keep) : values },
  }
}

/** The `related_*` links of the rows, by segment id then type, ids sorted and unique. */
async function linksOf(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, Map<UsageSegmentLinkType, string[]>>> {
  const result = new Map<string, Map<UsageSegmentLinkType, string[]>>()
  if (ids.length === 0) return result
  const rows = await db
    .selectFrom('usage_segment_links')
    .select(['cds_usagesegment_id', 'object_type', 'object_id'])
    .where('cds_usagesegment_id', 'in', [...ids])
    .execute()
  // Code-point order, the same on every database whatever its collation.
  rows.sort((a, b) => (a.object_id < b.object_id ? -1 : a.object_id > b.object_id ? 1 : 0))
  for (const row of rows) {
    const byType = result.get(row.cds_usagesegment_id) ?? new Map<UsageSegmentLinkType, string[]>()
    result.set(row.cds_usagesegment_id, byType)
    byType.set(row.object_type, [...(byType.get(row.object_type) ?? []), row.object_id])
  }
  return result
}

async function visibleOf(access: DataAccess, type: DataObjectType, ids: Iterable<string>): Promise<ReadonlySet<string>> {
  const unique = new Set(ids)
  return unique.size === 0 ? unique : access.visibleIds(type, unique)
}

/**
 * The objects of a page of rows, in the rows' order; `null` for a row the token does not see
 * after all (no whole interval inside its window, or no column left, A-44), which only happens
 * where the query's SQL could not tell (intervals finer than a millisecond, meter readings of an
 * unseen meter next to nothing else).
 *
 * @see CDS-WG3-01 §10.8.1 Usage Segment Objects
 */
export async function usageSegmentObjects(
  db: Kysely<Database>,
  access: DataAccess,
  window: SegmentWindow,
  rows: readonly UsageSegmentRow[],
): Promise<(Record<string, unknown> | null)[]> {
  const decoded = rows.map((row) => decode(row, window))
  const present = decoded.filter((d): d is Decoded => d !== null)
  const links = await linksOf(
    db,
    present.map((d) => d.row.cds_usagesegment_id),
  )
  // one visibility question per type for the whole page.
  const visible = new Map<DataObjectType, ReadonlySet<string>>()
  const references = present.map((d) => referencedIds(d.table))
  for (const [, type] of RELATED) {
    const linked = [...links.values()].flatMap((byType) => byType.get(type) ?? [])
    const extra = type === 'meter_device' ? references.flatMap((r) => r.meters) : []
    visible.set(type, await visibleOf(access, type, [...linked, ...extra]))
  }
  const eacs = await visibleOf(
    access,
    'eac',
    references.flatMap((r) => r.eacs),
  )
  const meters = visible.get('meter_device') ?? new Set<string>()
  return decoded.map((d) => {
    if (d === null) return null
    const table = visibleColumns(d.table, access.valueFormats, { meters, eacs })
    if (table === null) return null
    const byType = links.get(d.row.cds_usagesegment_id)
    const related = Object.fromEntries(
      RELATED.map(([field, type]) => {
        const shown = visible.get(type) ?? new Set<string>()
        // R3-01-10.8.1-05, -06: unique ids, only those the token may see.
        return [field, [...new Set(byType?.get(type) ?? [])].filter((id) => shown.has(id))]
      }),
    )
    const { formats, values } = ordered(table)
    return {
      cds_usagesegment_id: d.id,
      cds_created: toDateTime(d.row.cds_created),
      cds_modified: toDateTime(d.row.cds_modified),
      cds_synced: syncedAt(d.row.cds_synced, access),
      ...related,
      segment_start: toDateTime(d.start),
      segment_end: toDateTime(d.end),
      interval: Decimal.from(d.row.interval),
      formats,
      values,
    }
  })
}
