/**
 * The cells of a Usage Segment, checked and decoded against their columns (CDS-WG3-01 §10.8.3,
 * §10.8.4, §10.8.5). JSON Schema sees a Value Object alone and cannot know which Value Type its
 * column has, so the generic schema leaves cells open; these functions pair each cell with
 * `formats[j].type` and apply that type's Value Object schema.
 *
 * @module
 */
import { Decimal } from '../common/decimal.js'
import { checkStrict, parseLenient, type Issue } from '../common/validate.js'
import { VALUE_OBJECT_SCHEMAS } from './usage-segment-value-objects.js'
import type { ValueType } from './usage-segment-value-types.js'

/** The parts of a segment the cell checks read. */
interface SegmentTable {
  formats: ReadonlyArray<{ type: string }>
  values: ReadonlyArray<ReadonlyArray<unknown>>
}

function isTable(value: unknown): value is SegmentTable {
  const v = value as Partial<SegmentTable> | null
  return typeof v === 'object' && v !== null && Array.isArray(v.formats) && Array.isArray(v.values)
}

function cellSchema(type: string) {
  return Object.hasOwn(VALUE_OBJECT_SCHEMAS, type) ? VALUE_OBJECT_SCHEMAS[type as ValueType] : undefined
}

/**
 * Strictly checks every cell of a segment: each Value Set has one entry per format, and
 * each non-null cell of a standard Value Type matches that type's Value Object, decimals exact.
 * Cells of types this package does not know are skipped, as clients must skip them (§10.8.5).
 *
 * @see CDS-WG3-01 §10.8.3 Value Sets
 */
export function checkUsageSegmentCells(segment: unknown): Issue[] {
  if (!isTable(segment)) return []
  const issues: Issue[] = []
  segment.values.forEach((row, k) => {
    if (!Array.isArray(row)) return
    if (row.length !== segment.formats.length) {
      issues.push({ path: `/values/${k}`, keyword: 'cells', message: `has ${row.length} cells for ${segment.formats.length} formats` })
    }
    row.forEach((cell, j) => {
      const schema = cellSchema(segment.formats[j]?.type ?? '')
      if (cell === null || schema === undefined) return
      for (const issue of checkStrict(schema, cell)) issues.push({ ...issue, path: `/values/${k}/${j}${issue.path}` })
    })
  })
  return issues
}

/**
 * Decodes every cell of a standard Value Type leniently, so that its decimals are
 * {@link Decimal}s like every other decimal a client receives. Cells that do not parse, and
 * cells of unknown types, are kept as they are.
 */
export function decodeUsageSegmentCells<T>(segment: T): T {
  if (!isTable(segment)) return segment
  const values = segment.values.map((row) =>
    Array.isArray(row)
      ? row.map((cell: unknown, j) => {
          const schema = cellSchema(segment.formats[j]?.type ?? '')
          if (cell === null || cell instanceof Decimal || schema === undefined) return cell
          const result = parseLenient(schema, cell)
          return result.ok ? result.value : cell
        })
      : row,
  )
  return { ...segment, values }
}
