/**
 * Which Value Format columns of a Usage Segment a token sees (CDS-WG3-01 §7.2.8.1
 * `include_usage_segment_value_types`, §10.8.2, §10.8.3; catalog §3.9, worked example E, A-44,
 * A-53, A-06).
 *
 * A segment is a table whose columns are its `formats`. A column is kept when the Grant's chosen
 * Value Formats allow it and, for meter readings, when its meter is visible (A-53). Removing a
 * column removes the same cell from every Value Set and re-maps the `indexes` of the cost and
 * supply-mix columns; one of those left pricing nothing is removed too. A segment left without
 * columns is omitted, except under a `null` Grant value, which asks for empty segments (§7.2.8.1).
 *
 * The same rule exists as a SQL condition ({@link hasVisibleColumns}), so that omitted segments
 * never thin out a page.
 *
 * @see CDS-WG3-01 §7.2.8.1 Usage Segment Value Types
 * @module
 */
import { sql, type RawBuilder } from 'kysely'
import type { DataAccess } from '../types.js'

/** A Value Format or Value Object as stored (decimals as `Decimal`). */
export type JsonObject = Record<string, unknown>

/** A segment's columns and rows. */
export interface SegmentTable {
  formats: JsonObject[]
  values: (JsonObject | null)[][]
}

/** The ids a segment's columns and cells refer to, pruned before they are shown (A-06, A-53). */
export interface VisibleReferences {
  readonly meters: ReadonlySet<string>
  readonly eacs: ReadonlySet<string>
}

// A-44: the fields of a Choice's Value Format that a stored format must repeat to match it (its
// `id` aside). Per-segment fields (`related_meterdevices`, `related_meterdevice`, `indexes`) are not compared.
const COMPARED_FIELDS = ['type', 'units', 'direction', 'tou', 'tier', 'season', 'quality', 'demand_type', 'attribution', 'supply_type', 'currency', 'register']

// §10.8.5.3.1 and §10.8.5.7.1: the columns that describe other columns through `indexes`.
const INDEXED_TYPES = new Set(['cost', 'electric_supply_mix'])

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Whether a stored Value Format is one of a Choice's (A-44): the same `id`, and every compared
 * field the Choice states is present with the same value (`null` included).
 *
 * @see CDS-WG3-01 §5.2 Choice objects (`usagesegment_format`)
 */
export function matchesChoice(format: JsonObject, choice: Readonly<JsonObject>): boolean {
  if (typeof choice.id !== 'string' || format.id !== choice.id) return false
  return COMPARED_FIELDS.every((field) => !Object.hasOwn(choice, field) || (Object.hasOwn(format, field) && format[field] === choice[field]))
}

function hasIndexes(format: JsonObject): format is JsonObject & { indexes: unknown[] } {
  return INDEXED_TYPES.has(String(format.type)) && Array.isArray(format.indexes)
}

/**
 * The meter and EAC ids a segment's columns and cells name: format `related_meterdevices`, meter
 * readings `related_meterdevice`, and the `eacs` of supply-mix cells.
 *
 * @see CDS-WG3-01 §10.8.5 Value Types
 */
export function referencedIds(table: SegmentTable): { meters: string[]; eacs: string[] } {
  const meters: string[] = []
  const eacs: string[] = []
  const mixColumns: number[] = []
  table.formats.forEach((format, j) => {
    if (Array.isArray(format.related_meterdevices)) meters.push(...format.related_meterdevices.filter((id) => typeof id === 'string'))
    if (typeof format.related_meterdevice === 'string') meters.push(format.related_meterdevice)
    if (format.type === 'electric_supply_mix') mixColumns.push(j)
  })
  for (const set of table.values) {
    for (const j of mixColumns) {
      const cell = set[j]
      if (isObject(cell) && Array.isArray(cell.eacs)) eacs.push(...cell.eacs.filter((id) => typeof id === 'string'))
    }
  }
  return { meters, eacs }
}

/**
 * The columns of a segment a token sees, with every Value Set cut to match; `null` when the
 * segment is to be omitted (it had columns and none is left).
 *
 * @param allowed `DataAccess.valueFormats`: `'all'`, or the Grant's chosen Value Formats (`[]` for a `null` Grant value)
 * @see CDS-WG3-01 §7.2.8.1 Usage Segment Value Types
 */
export function visibleColumns(table: SegmentTable, allowed: DataAccess['valueFormats'], visible: VisibleReferences): SegmentTable | null {
  // §7.2.8.1: a null value shows the segments' time boundaries only.
  if (allowed !== 'all' && allowed.length === 0) return { formats: [], values: [] }
  const { formats } = table
  const kept = formats.map(
    (format) =>
      (allowed === 'all' || allowed.some((choice) => matchesChoice(format, choice))) &&
      // A-53: meter readings name one meter; a meter the token cannot see takes its column with it.
      (format.type !== 'meter_readings' || (typeof format.related_meterdevice === 'string' && visible.meters.has(format.related_meterdevice))),
  )
  // A-44: a cost or supply mix column whose described columns are all gone goes too (repeat, since
  // one may describe another). One that described nothing to begin with (`[]`, a flat cost) stays.
  for (let changed = true; changed; ) {
    changed = false
    formats.forEach((format, j) => {
      if (kept[j] === true && hasIndexes(format) && format.indexes.length > 0 && !format.indexes.some((i) => typeof i === 'number' && kept[i] === true)) {
        kept[j] = false
        changed = true
      }
    })
  }
  const positions = kept.flatMap((keep, j) => (keep ? [j] : []))
  // A-44: segments left with no columns are omitted.
  if (positions.length === 0 && formats.length > 0) return null
  const newIndex = new Map(positions.map((j, position) => [j, position]))
  return {
    formats: positions.map((j) => visibleFormat(formats[j] ?? {}, newIndex, visible)),
    values: table.values.map((set) => positions.map((j) => visibleCell(formats[j] ?? {}, set[j] ?? null, visible))),
  }
}

/** One kept column's format, its `indexes` re-mapped (example E) and its meter ids pruned (A-06). */
function visibleFormat(format: JsonObject, newIndex: ReadonlyMap<number, number>, visible: VisibleReferences): JsonObject {
  const copy = { ...format }
  if (hasIndexes(format)) {
    copy.indexes = format.indexes.flatMap((i) => {
      const position = typeof i === 'number' ? newIndex.get(i) : undefined
      return position === undefined ? [] : [position]
    })
  }
  if (Array.isArray(format.related_meterdevices)) {
    copy.related_meterdevices = format.related_meterdevices.filter((id) => typeof id === 'string' && visible.meters.has(id))
  }
  return copy
}

/** One kept cell; a supply mix's `eacs` are pruned to the certificates the token sees (A-06). */
function visibleCell(format: JsonObject, cell: JsonObject | null, visible: VisibleReferences): JsonObject | null {
  if (format.type !== 'electric_supply_mix' || !isObject(cell) || !Array.isArray(cell.eacs)) return cell
  return { ...cell, eacs: cell.eacs.filter((id) => typeof id === 'string' && visible.eacs.has(id)) }
}

/**
 * The SQL form of "the segment keeps at least one column" for `usage_segments` (or has none to
 * begin with), so omitted segments are left out by the query rather than after it. A column
 * counts when it is allowed, is not a cost or supply mix describing other columns (those are
 * kept only next to a column they describe, which counts itself), and is not meter readings of a
 * meter the token cannot see.
 *
 * @see CDS-WG3-01 §7.2.8.1 Usage Segment Value Types
 */
export function hasVisibleColumns(access: DataAccess): RawBuilder<boolean> {
  const allowed = access.valueFormats
  if (allowed !== 'all' && allowed.length === 0) return sql<boolean>`true`
  const column = sql.ref('column_format.format')
  // A choice without an id matches nothing, as in matchesChoice.
  const choices = allowed === 'all' ? [] : allowed.filter((choice) => typeof choice.id === 'string')
  const chosen =
    allowed === 'all'
      ? sql`true`
      : choices.length === 0
        ? sql`false`
        : sql`(${sql.join(
            choices.map((choice) => sql`${column} @> cast(${JSON.stringify(choiceKeys(choice))} as jsonb)`),
            sql` or `,
          )})`
  const describesOthers = sql`(${column} ->> 'type' in ('cost', 'electric_supply_mix') and jsonb_typeof(${column} -> 'indexes') = 'array' and jsonb_array_length(${column} -> 'indexes') > 0)`
  const meterShown = sql`(${column} ->> 'type' is distinct from 'meter_readings' or exists (select 1 from meter_devices where meter_devices.cds_meterdevice_id = ${column} ->> 'related_meterdevice' and ${access.visible('meter_device')}))`
  return sql<boolean>`(jsonb_array_length(usage_segments.formats) = 0 or exists (
    select 1 from jsonb_array_elements(usage_segments.formats) as column_format(format)
    where ${chosen} and not ${describesOthers} and ${meterShown}))`
}

/** The part of a Choice's Value Format a stored format must contain (A-44), as JSON. */
function choiceKeys(choice: Readonly<JsonObject>): Record<string, string | null> {
  const keys: Record<string, string | null> = {}
  for (const field of ['id', ...COMPARED_FIELDS]) {
    const value = choice[field]
    if (Object.hasOwn(choice, field) && (typeof value === 'string' || value === null)) keys[field] = value
  }
  return keys
}
