/**
 * An `aggregations` row as the Aggregation object of CDS-WG3-01 §10.7.1, as one token may see it:
 * the `grouped_*` id arrays read from `aggregation_members` and pruned to the objects the token may
 * see, `grouped_addresses` behind `include_aggregation_addresses` (catalog §1.5), the
 * type-specific criteria fields of §10.7.2, and the nested regions and consent requirements whole.
 *
 * @see CDS-WG3-01 §10.7.1 Aggregation Object Format
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import type { Kysely, Selectable } from 'kysely'
import type { AggregationMemberType, AggregationsTable } from '../../../db/customer-data-tables.js'
import type { Database } from '../../../db/database.js'
import { gated, jsonValue, sortModified, syncedAt } from '../projection.js'
import type { DataAccess } from '../types.js'

/** An `aggregations` row with its `cds_modified` as database text (the cursor key). */
export type AggregationRow = Selectable<AggregationsTable> & { sort_modified: string }

/**
 * Every Aggregation as an {@link AggregationRow}; add the visibility condition and the filters.
 *
 * @see CDS-WG3-01 §10.7.8 Listing Aggregations
 */
export function selectAggregations(db: Kysely<Database>) {
  return db.selectFrom('aggregations').selectAll('aggregations').select(sortModified('aggregations').as('sort_modified'))
}

/** The five `grouped_*` id arrays of one Aggregation. */
export interface GroupedIds {
  grouped_accounts: string[]
  grouped_servicecontracts: string[]
  grouped_servicepoints: string[]
  grouped_meterdevices: string[]
  grouped_aggregations: string[]
}

/** An Aggregation with no (visible) members. */
export function noMembers(): GroupedIds {
  return { grouped_accounts: [], grouped_servicecontracts: [], grouped_servicepoints: [], grouped_meterdevices: [], grouped_aggregations: [] }
}

/** Which array each member type fills; the member type is also the object type it is pruned by. */
const MEMBER_FIELDS: Readonly<Record<AggregationMemberType, keyof GroupedIds>> = {
  account: 'grouped_accounts',
  service_contract: 'grouped_servicecontracts',
  service_point: 'grouped_servicepoints',
  meter_device: 'grouped_meterdevices',
  aggregation: 'grouped_aggregations',
}

/**
 * The `grouped_*` arrays of each Aggregation in `aggregations`, pruned to the objects the token may
 * see (R3-01-10.7.1-05, A-06): `[]` when there are none or none are visible. Ids are in code-unit
 * order.
 *
 * @see CDS-WG3-01 §10.7.1 Aggregation Object Format
 */
export async function groupedIds(db: Kysely<Database>, access: DataAccess, aggregations: readonly string[]): Promise<Map<string, GroupedIds>> {
  const result = new Map<string, GroupedIds>(aggregations.map((id) => [id, noMembers()]))
  if (aggregations.length === 0) return result
  const rows = await db
    .selectFrom('aggregation_members')
    .select(['cds_aggregation_id', 'object_type', 'object_id'])
    .where('cds_aggregation_id', 'in', [...aggregations])
    .execute()
  const byType = new Map<AggregationMemberType, Set<string>>()
  for (const row of rows) byType.set(row.object_type, (byType.get(row.object_type) ?? new Set<string>()).add(row.object_id))
  const visible = new Map<AggregationMemberType, ReadonlySet<string>>()
  // The member types are object types of DataAccess by the same names.
  for (const [type, ids] of byType) visible.set(type, await access.visibleIds(type, ids))
  for (const row of rows.sort((a, b) => (a.object_id < b.object_id ? -1 : a.object_id > b.object_id ? 1 : 0))) {
    const entry = result.get(row.cds_aggregation_id)
    if (entry !== undefined && visible.get(row.object_type)?.has(row.object_id) === true) entry[MEMBER_FIELDS[row.object_type]].push(row.object_id)
  }
  return result
}

/**
 * The Aggregation object of one row for one token (catalog §2.7.1).
 *
 * @param grouped the Aggregation's pruned `grouped_*` arrays ({@link groupedIds})
 * @see CDS-WG3-01 §10.7.1 Aggregation Object Format
 */
export function aggregationObject(row: AggregationRow, access: DataAccess, grouped: GroupedIds): Record<string, unknown> {
  return {
    // §10.7.2: the criteria fields the Aggregation's types require (`countries`, `rateplan_code`, …);
    // first, so a stray key in the document can never replace a field below.
    ...(jsonValue(row.criteria) ?? {}),
    cds_aggregation_id: row.cds_aggregation_id,
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_synced: syncedAt(row.cds_synced, access),
    aggregation_types: jsonValue(row.aggregation_types) ?? [],
    // R3-01-10.7.1-02: null when there is none.
    aggregation_number: row.aggregation_number,
    // R3-01-10.7.1-03, A-33: `""` when no data is available.
    scope: row.scope ?? '',
    // R3-01-10.7.1-04: an RFC 9396 list, `[]` when there are none.
    authorization_details: jsonValue(row.authorization_details) ?? [],
    ...grouped,
    // R3-01-10.7.1-06: `[]` when there are none, but only when the gate is on.
    ...gated(access, 'include_aggregation_addresses', { grouped_addresses: jsonValue(row.grouped_addresses) ?? [] }),
    grouped_regions: jsonValue(row.grouped_regions) ?? [],
    // R3-01-10.7.1-07
    consent_requirements: jsonValue(row.consent_requirements) ?? [],
  }
}
