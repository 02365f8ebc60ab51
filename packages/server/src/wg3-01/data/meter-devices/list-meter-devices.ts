/**
 * Listing Meter Devices (CDS-WG3-01 §10.4.5): the Meter Devices the token may see, filtered,
 * newest `cds_modified` first, at most 100 a page.
 *
 * @see CDS-WG3-01 §10.4 Meter Devices API
 * @module
 */
import { MeterDeviceListing, MeterDeviceListingQuery } from '@cds-ts/schema'
import { keysetPageBy } from '../../../db/keyset.js'
import { parseIdList } from '../../../shared/filters.js'
import { linkedIds, modifiedOrder, searchColumn, whereLinked, whereNumberIn, whereOneOf, whereSearch, type SearchField } from '../projection.js'
import type { DataAccess, DataListing } from '../types.js'
import { METER_DEVICE_POINTS, meterDeviceObject, selectMeterDevices, type MeterDeviceRow } from './meter-device-object.js'

const ORDER = modifiedOrder<MeterDeviceRow>('meter_devices', 'cds_meterdevice_id')
const ID = 'meter_devices.cds_meterdevice_id'

/**
 * The filters of the listing: the schema's, plus `meter_numbers`, the plural every other listing
 * uses, accepted as an alias of `meter_number`.
 */
export type MeterDevicesQuery = MeterDeviceListingQuery & { meter_numbers?: string }

/** The fields `q` searches, limited to those the token sees (catalog §2.4.3, R3-01-10.4.5-08). */
function searchFields(access: DataAccess): SearchField[] {
  return [searchColumn(ID), ...(access.includes('include_meter_numbers') ? [searchColumn('meter_devices.meter_number')] : [])]
}

/** `meter_number` and its alias `meter_numbers`, united (A-26, and A-14 for repeated values). */
function meterNumbers(query: MeterDevicesQuery): Set<string> | undefined {
  const values = [...(parseIdList(query.meter_number) ?? []), ...(parseIdList(query.meter_numbers) ?? [])]
  return values.length === 0 ? undefined : new Set(values)
}

/**
 * Listing Meter Devices.
 *
 * @see CDS-WG3-01 §10.4.5 Listing Meter Devices
 */
export const meterDevicesListing: DataListing<MeterDevicesQuery> = {
  api: 'cds_meterdevices_api',
  envelope: 'meter_devices',
  operationId: 'listMeterDevices',
  summary: 'Listing Meter Devices (CDS-WG3-01 §10.4.5)',
  querystring: MeterDeviceListingQuery,
  response: MeterDeviceListing,
  sortKeys: ORDER.length,
  async list({ db, access, query, cursor }) {
    // R3-01-10.4.5-06, -07: through the Service Points the token may see, like the arrays.
    const current = await whereLinked(access, METER_DEVICE_POINTS, ID, 'current', parseIdList(query.current_servicepoints))
    const previous = await whereLinked(access, METER_DEVICE_POINTS, ID, 'previous', parseIdList(query.previous_servicepoints))
    const rows = selectMeterDevices(db)
      .where(access.visible('meter_device'))
      // R3-01-10.4.5-04..-09: every filter given narrows the list (intersection).
      .where(whereOneOf(ID, parseIdList(query.cds_meterdevice_ids)))
      // R3-01-10.4.5-05, A-13: meter numbers match only when the token sees them.
      .where(whereNumberIn(access, 'include_meter_numbers', 'meter_devices.meter_number', meterNumbers(query)))
      .where(current)
      .where(previous)
      .where(whereSearch(query.q, searchFields(access)))
    const page = await keysetPageBy(rows, { keys: ORDER, cursor })
    const links = await linkedIds(
      db,
      access,
      METER_DEVICE_POINTS,
      page.items.map((row) => row.cds_meterdevice_id),
    )
    return { ...page, items: page.items.map((row) => meterDeviceObject(row, access, links.get(row.cds_meterdevice_id))) }
  },
}
