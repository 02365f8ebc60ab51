/**
 * The Meter Devices API (CDS-WG3-01 §10.4): the meters a token may see.
 *
 * @module
 */
import { MeterDeviceListing, type MeterDevice } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type ListFilter } from '../pagination.js'
import type { ApiSession } from '../session.js'

/**
 * Filters of the Meter Devices listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.4.5 Listing Meter Devices
 */
export interface MeterDeviceFilters {
  /** Only these `cds_meterdevice_id`s. */
  cds_meterdevice_ids?: ListFilter
  /** Only these `meter_number`s (the parameter name the section gives). */
  meter_number?: ListFilter
  /** Only these `meter_number`s (the plural spelling some servers accept too). */
  meter_numbers?: ListFilter
  /** Only meters currently at any of these `cds_servicepoint_id`s. */
  current_servicepoints?: ListFilter
  /** Only meters formerly at any of these `cds_servicepoint_id`s. */
  previous_servicepoints?: ListFilter
  /** A case-insensitive search in the visible id and meter number. */
  q?: string
}

/**
 * The Meter Devices API: `list`, `page`, `pages` and `all` (newest `cds_modified` first).
 *
 * @see CDS-WG3-01 §10.4.5 Listing Meter Devices
 */
export class MeterDevicesApi extends ListingEndpoint<Decoded<MeterDevice>, MeterDeviceFilters, Decoded<MeterDeviceListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: MeterDeviceListing, key: 'meter_devices' })
  }
}
