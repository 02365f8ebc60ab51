/**
 * The wire form of a stored Meter Device (CDS-WG3-01 §10.4.1): the always-present fields, the
 * fields each `include_*` gate turns on, and the current and previous Service Points pruned to
 * what the token may see.
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import type { Kysely, Selectable } from 'kysely'
import type { Database, MeterDevicesTable } from '../../../db/database.js'
import { gated, jsonValue, sortModified, type LinkedIds, type TemporalLinks, syncedAt } from '../projection.js'
import type { DataAccess } from '../types.js'

/**
 * The Meter Device ↔ Service Point periods behind `current_servicepoints` and
 * `previous_servicepoints` (catalog §7.5).
 *
 * @see CDS-WG3-01 §10.4.1 Meter Device Object Format
 */
export const METER_DEVICE_POINTS: TemporalLinks = {
  table: 'meterdevice_servicepoints',
  owner: 'cds_meterdevice_id',
  target: 'cds_servicepoint_id',
  targetType: 'service_point',
}

/**
 * A `meter_devices` row with its `cds_modified` as database text (the cursor key).
 *
 * @see CDS-WG3-01 §10.4.1 Meter Device Object Format
 */
export type MeterDeviceRow = Selectable<MeterDevicesTable> & { sort_modified: string }

/**
 * Every Meter Device as a {@link MeterDeviceRow}; add the visibility condition and the filters.
 *
 * @see CDS-WG3-01 §10.4.5 Listing Meter Devices
 */
export function selectMeterDevices(db: Kysely<Database>) {
  return db.selectFrom('meter_devices').selectAll('meter_devices').select(sortModified('meter_devices').as('sort_modified'))
}

/**
 * The Meter Device object of one row, its fields in the order of §10.4.1.
 *
 * @param points the row's pruned Service Point ids (from `linkedIds`)
 * @see CDS-WG3-01 §10.4.1 Meter Device Object Format
 */
export function meterDeviceObject(row: MeterDeviceRow, access: DataAccess, points: LinkedIds | undefined): Record<string, unknown> {
  return {
    cds_meterdevice_id: row.cds_meterdevice_id,
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_synced: syncedAt(row.cds_synced, access),
    // Nullable: null when there is no customer-facing number (§10.4.1, catalog §0.2).
    ...gated(access, 'include_meter_numbers', { meter_number: row.meter_number }),
    meter_types: jsonValue(row.meter_types) ?? [],
    // only Service Points the token could list.
    current_servicepoints: points?.current ?? [],
    previous_servicepoints: points?.previous ?? [],
    // CDS-WG3-01 §10.4.1: `[]` when there are no apps or no data.
    ...gated(access, 'include_meter_apps', { meter_apps: jsonValue(row.meter_apps) ?? [] }),
  }
}
