/**
 * The Usage Segments API (CDS-WG3-01 §10.8): interval and reading data a token may see. A
 * segment is a table whose columns (`formats`) say which Value Object each cell of `values` is
 * (§10.8.3–§10.8.5); the SDK reads the segment leniently and then decodes the cells column by
 * column, so every decimal of a cell is an exact {@link Decimal}.
 *
 * Cells are decoded, not validated one by one: a page holds hundreds of thousands of them, and
 * a client must skip cells of Value Types it does not know anyway (§10.8.5).
 *
 * @module
 */
import { DECIMAL_KEYWORD, UsageSegmentListing, VALUE_OBJECT_SCHEMAS, type UsageSegment } from '@cds-ts/schema'
import { Decimal, type Decoded } from '../decimal.js'
import { parseBody } from '../lenient.js'
import { ListingEndpoint, type DateTimeFilter, type ListFilter } from '../pagination.js'
import type { ApiSession, CallOptions } from '../session.js'

/**
 * Filters of the Usage Segments listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export interface UsageSegmentFilters {
  /** Only these `cds_usagesegment_id`s. */
  cds_usagesegment_ids?: ListFilter
  /** Only segments starting at or before this instant. */
  before?: DateTimeFilter
  /** Only segments ending at or after this instant. */
  after?: DateTimeFilter
  /** Only segments related to these `cds_account_id`s. */
  cds_account_ids?: ListFilter
  /** Only segments related to these `account_number`s. */
  account_numbers?: ListFilter
  /** Only segments related to these `cds_servicecontract_id`s. */
  cds_servicecontract_ids?: ListFilter
  /** Only segments related to these `contract_number`s. */
  contract_numbers?: ListFilter
  /** Only segments related to these `cds_servicepoint_id`s. */
  cds_servicepoint_ids?: ListFilter
  /** Only segments related to these `servicepoint_number`s. */
  servicepoint_numbers?: ListFilter
  /** Only segments related to these `cds_meterdevice_id`s. */
  cds_meterdevice_ids?: ListFilter
  /** Only segments related to these `meter_number`s. */
  meter_numbers?: ListFilter
  /** Only segments related to these `cds_billsection_id`s. */
  cds_billsection_ids?: ListFilter
  /** Only segments related to these `cds_aggregation_id`s (an extension parameter, CDS-WG3-01 §11.5). */
  cds_aggregation_ids?: ListFilter
  /** Only segments related to these `aggregation_number`s (an extension parameter, CDS-WG3-01 §11.5). */
  aggregation_numbers?: ListFilter
}

/**
 * The Usage Segments API: `list`, `page`, `pages` and `all` (in the order the section gives).
 *
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export class UsageSegmentsApi extends ListingEndpoint<Decoded<UsageSegment>, UsageSegmentFilters, Decoded<UsageSegmentListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: UsageSegmentListing, key: 'usage_segments' })
  }

  /**
   * The page at a link: the segments read leniently without their cells, then the cells decoded
   * against their columns.
   *
   * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
   */
  override async page(url: string, options?: CallOptions): Promise<Decoded<UsageSegmentListing>> {
    const { response, value } = await this.session.raw(url, { method: 'GET' }, [200], options)
    const segments = (value as { usage_segments?: unknown }).usage_segments
    const cells = Array.isArray(segments) ? segments.map((segment: unknown) => detachValues(segment)) : []
    const page = parseBody<Decoded<UsageSegmentListing>>(UsageSegmentListing, value, { schema: 'UsageSegmentListing', url: response.url }, this.session.options.onWarnings, response)
    page.usage_segments.forEach((segment, i) => {
      segment.values = decodeCells(segment.formats, cells[i] ?? [])
    })
    return page
  }
}

/** Takes the `values` table out of a raw segment (left empty for the schema pass) and returns it. */
function detachValues(segment: unknown): unknown[] {
  if (typeof segment !== 'object' || segment === null) return []
  const table = segment as { values?: unknown }
  const rows = Array.isArray(table.values) ? (table.values as unknown[]) : []
  if (Array.isArray(table.values)) table.values = []
  return rows
}

/** The decimal members of each standard Value Object (CDS-WG3-01 §10.8.5), read from the schemas once. */
const DECIMAL_MEMBERS: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(VALUE_OBJECT_SCHEMAS).map(([type, schema]) => [
    type,
    Object.entries((schema as unknown as { properties: Record<string, Record<string, unknown>> }).properties)
      .filter(([, member]) => member[DECIMAL_KEYWORD] === true)
      .map(([name]) => name),
  ]),
)

/** A decimal as a server may have sent it: exact already, a safe integer, or numeric text. */
function toDecimal(value: unknown): unknown {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return Decimal.from(value)
  if (typeof value === 'string' && Decimal.isDecimalText(value)) return Decimal.from(value)
  return value
}

/**
 * Decodes each cell against the Value Type of its column: decimal members become
 * {@link Decimal}s; `null` cells, cells of unknown types and malformed rows are kept as sent.
 */
function decodeCells(formats: readonly { readonly type: string }[], rows: readonly unknown[]): Decoded<UsageSegment>['values'] {
  const members = formats.map((format) => DECIMAL_MEMBERS.get(format.type) ?? [])
  return rows.map((row) => {
    if (!Array.isArray(row)) return row as Decoded<UsageSegment>['values'][number]
    return row.map((cell: unknown, j) => {
      const names = members[j]
      if (typeof cell !== 'object' || cell === null || names === undefined || names.length === 0) return cell as object | null
      const decoded: Record<string, unknown> = { ...(cell as Record<string, unknown>) }
      for (const name of names) if (name in decoded) decoded[name] = toDecimal(decoded[name])
      return decoded
    })
  })
}
