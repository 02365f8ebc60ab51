/**
 * Listing Usage Segments (CDS-WG3-01 §10.8.8): the segments the token may see, trimmed to its
 * window, filtered, ordered by the related aggregation, account and contract numbers, then
 * earliest `segment_start`, then latest `cds_modified`, at most 100 a page.
 *
 * Pages are cut on the stored rows' keys (the six columns of `usage_segments_order_idx`), so a
 * cursor names a row, not the trimmed copy shown for it; a trimmed copy sorts where its row does.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import { UsageSegmentListing, UsageSegmentListingQuery } from '@cds-ts/schema'
import { keysetPageBy, type KeyPage, type SortKey } from '../../../db/keyset.js'
import { parseIdList } from '../../../shared/filters.js'
import { MAX_PAGE_SIZE, type KeyCursor } from '../../../shared/pagination.js'
import type { DataListing } from '../types.js'
import { segmentWindow, trimSql } from './trim.js'
import { usageSegmentConditions } from './usage-segment-filters.js'
import { selectUsageSegments, usageSegmentObjects, type UsageSegmentRow } from './usage-segment-object.js'
import { hasVisibleColumns } from './value-formats.js'

/**
 * §10.8.8 (R3-01-10.8.8-17): the derived number keys (A-17: the smallest related number in
 * code-point order, last when there is none, kept as columns by the writer), earliest
 * `segment_start`, latest `cds_modified`, then the id. The same keys and directions as
 * `usage_segments_order_idx`.
 */
const ORDER: readonly SortKey<UsageSegmentRow>[] = [
  { column: 'usage_segments.sort_aggregation_number', direction: 'asc', type: 'text', codePoint: true, value: (row) => row.sort_aggregation_number },
  { column: 'usage_segments.sort_account_number', direction: 'asc', type: 'text', codePoint: true, value: (row) => row.sort_account_number },
  { column: 'usage_segments.sort_contract_number', direction: 'asc', type: 'text', codePoint: true, value: (row) => row.sort_contract_number },
  // ascending, whatever the §13.3.5 example shows.
  { column: 'usage_segments.segment_start', direction: 'asc', type: 'timestamptz', value: (row) => row.sort_start },
  { column: 'usage_segments.cds_modified', direction: 'desc', type: 'timestamptz', value: (row) => row.sort_modified },
  { column: 'usage_segments.cds_usagesegment_id', direction: 'asc', type: 'text', value: (row) => row.cds_usagesegment_id },
]

/**
 * How many extra reads a page may take to make up for rows it does not show. The query already
 * leaves out what the token cannot see; only rows the SQL cannot judge exactly are dropped after
 * it (see `usageSegmentObjects`), so one extra read is already rare.
 */
const MAX_READS = 5

/**
 * One page of shown objects. When rows of a read are not shown (`project` gives `null`), the next
 * rows in the page's direction are read to fill the page back up to 100, at most
 * {@link MAX_READS} reads in all. The page's outer cursors are those of its first and last reads,
 * which name rows, so neighbouring pages join up exactly.
 *
 * @internal exported for its tests
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export async function fillPage<R, O>(
  fetch: (cursor: KeyCursor | undefined, limit: number) => Promise<KeyPage<R>>,
  project: (rows: R[]) => Promise<(O | null)[]>,
  cursor: KeyCursor | undefined,
): Promise<KeyPage<O>> {
  const backward = cursor?.direction === 'previous'
  const shown = async (rows: R[]) => (await project(rows)).filter((item): item is O => item !== null)
  const first = await fetch(cursor, MAX_PAGE_SIZE)
  let read = first
  let items = await shown(first.items)
  for (let reads = 1; reads < MAX_READS && items.length < MAX_PAGE_SIZE; reads++) {
    const further = backward ? read.previous : read.next
    if (further === null) break
    read = await fetch(further, MAX_PAGE_SIZE - items.length)
    const more = await shown(read.items)
    items = backward ? [...more, ...items] : [...items, ...more]
  }
  return backward ? { items, previous: read.previous, next: first.next } : { items, previous: first.previous, next: read.next }
}

/**
 * Listing Usage Segments.
 *
 * - visibility is `access.visible('usage_segment')`, then the window (§7.3.6, §7.3.7, §7.3.1):
 *   segments with no whole interval inside it are left out, straddling ones are trimmed copies
 *   with their own ids (catalog §3.10, A-34);
 * - `include_usage_segment_value_types` limits the columns (catalog §3.9, A-44); segments left
 *   with none are left out, except for a `null` Grant value (then `formats` and `values` are `[]`).
 *
 * @see CDS-WG3-01 §10.8.8 Listing Usage Segments
 */
export const usageSegmentsListing: DataListing<UsageSegmentListingQuery> = {
  api: 'cds_usagesegments_api',
  envelope: 'usage_segments',
  operationId: 'listUsageSegments',
  summary: 'Listing Usage Segments (CDS-WG3-01 §10.8.8)',
  querystring: UsageSegmentListingQuery,
  response: UsageSegmentListing,
  // Every field is placed by usage-segment-object.ts; Value Objects keep server extension fields (§10.8.4).
  projected: true,
  sortKeys: ORDER.length,
  async list({ db, access, query, cursor }) {
    const window = segmentWindow(access.windows)
    const trim = trimSql(window)
    let rows = selectUsageSegments(db).where(access.visible('usage_segment')).where(hasVisibleColumns(access))
    if (trim !== undefined) rows = rows.where(trim.visible)
    for (const condition of await usageSegmentConditions(access, query, trim)) rows = rows.where(condition)
    const requested = parseIdList(query.cds_usagesegment_ids)
    const project = async (page: UsageSegmentRow[]) =>
      (await usageSegmentObjects(db, access, window, page)).map((item) =>
        // The SQL matched these ids already; this only guards the shown id against it.
        item !== null && requested !== undefined && !requested.has(String(item.cds_usagesegment_id)) ? null : item,
      )
    return fillPage((at, limit) => keysetPageBy(rows, { keys: ORDER, cursor: at, limit }), project, cursor)
  },
}
