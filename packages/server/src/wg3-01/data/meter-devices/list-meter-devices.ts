/**
 * STUB — replaced by the listing's implementation: Listing Meter Devices (CDS-WG3-01 §10.4.5).
 *
 * @module
 */
import { MeterDeviceListing, MeterDeviceListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing Meter Devices (CDS-WG3-01 §10.4.5). */
export const meterDevicesListing: DataListing = {
  api: 'cds_meterdevices_api',
  envelope: 'meter_devices',
  operationId: 'listMeterDevices',
  summary: 'Listing Meter Devices (CDS-WG3-01 §10.4.5)',
  querystring: MeterDeviceListingQuery,
  response: MeterDeviceListing,
  sortKeys: 2,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
