/**
 * The wire form of a stored Service Point (CDS-WG3-01 §10.3.1): the always-present fields, the
 * fields each `include_*` gate turns on, exact coordinates, and the current and previous Service
 * Contracts pruned to what the token may see.
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import type { Kysely, Selectable } from 'kysely'
import type { Database, ServicePointsTable } from '../../../db/database.js'
import { decimalValue, gated, jsonValue, sortModified, type LinkedIds, type TemporalLinks, syncedAt } from '../projection.js'
import type { DataAccess } from '../types.js'

/**
 * The Service Point ↔ Service Contract periods behind `current_servicecontracts` and
 * `previous_servicecontracts` (catalog §7.5).
 *
 * @see CDS-WG3-01 §10.3.1 Service Point Object Format
 */
export const SERVICE_POINT_CONTRACTS: TemporalLinks = {
  table: 'servicepoint_servicecontracts',
  owner: 'cds_servicepoint_id',
  target: 'cds_servicecontract_id',
  targetType: 'service_contract',
}

/**
 * A `service_points` row with its `cds_modified` as database text (the cursor key).
 *
 * @see CDS-WG3-01 §10.3.1 Service Point Object Format
 */
export type ServicePointRow = Selectable<ServicePointsTable> & { sort_modified: string }

/**
 * Every Service Point as a {@link ServicePointRow}; add the visibility condition and the filters.
 *
 * @see CDS-WG3-01 §10.3.5 Listing Service Points
 */
export function selectServicePoints(db: Kysely<Database>) {
  return db.selectFrom('service_points').selectAll('service_points').select(sortModified('service_points').as('sort_modified'))
}

/**
 * The Service Point object of one row, its fields in the order of §10.3.1.
 *
 * @param contracts the row's pruned contract ids (from `linkedIds`)
 * @see CDS-WG3-01 §10.3.1 Service Point Object Format
 */
export function servicePointObject(row: ServicePointRow, access: DataAccess, contracts: LinkedIds | undefined): Record<string, unknown> {
  return {
    cds_servicepoint_id: row.cds_servicepoint_id,
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_synced: syncedAt(row.cds_synced, access),
    // CDS-WG3-01 §10.3.1: required and ungated; null when there is no customer-facing number.
    servicepoint_number: row.servicepoint_number,
    servicepoint_types: jsonValue(row.servicepoint_types) ?? [],
    // Nullable: null when there is no address to show (§10.3.1, catalog §0.2).
    ...gated(access, 'include_service_point_addresses', { servicepoint_address: row.servicepoint_address }),
    // CDS-WG3-01 §2: coordinates are decimals, emitted with the stored digits; null when not stored.
    ...gated(access, 'include_coordinates', { latitude: decimalValue(row.latitude), longitude: decimalValue(row.longitude) }),
    // only contracts the token could list.
    current_servicecontracts: contracts?.current ?? [],
    previous_servicecontracts: contracts?.previous ?? [],
    ...gated(access, 'include_premises', { premises: jsonValue(row.premises) ?? [] }),
  }
}
