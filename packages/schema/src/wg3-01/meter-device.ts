/**
 * The Meter Devices API objects (CDS-WG3-01 §10.4): the Meter Device, its Meter Apps, its
 * listing and the listing filters.
 *
 * Fields that an `include_*` authorization detail turns on (CDS-WG3-01 §7.2) are optional here:
 * whether they appear depends on the grant, not on the object.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { MeterAppType, MeterType } from './enums-data.js'

/**
 * An application that is, was or could be installed on a Meter Device. `start` belongs to
 * `installed` apps and `end` to `uninstalled` ones; servers may add prefixed fields.
 *
 * @see CDS-WG3-01 §10.4.3 Meter App Object Format
 * @see CDS-WG3-01 §10.4.4 Meter App Types
 */
export const MeterApp = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of this Meter App object.' }),
    app_number: Type.String({ description: 'External identifier of the application; generated and kept stable when none exists.' }),
    types: Type.Array(MeterAppType, { description: 'Installation state and installability of the application.' }),
    name: Type.String({ description: 'Name of the application.' }),
    start: Type.Optional(Cds.DateTime({ description: '`installed` apps: when the app was most recently installed (CDS-WG3-01 §10.4.4).' })),
    end: Type.Optional(
      Cds.DateTime({ description: '`uninstalled` apps: when the app was most recently removed; absent if never installed (CDS-WG3-01 §10.4.4).' }),
    ),
  },
  {
    $id: 'MeterApp',
    description: 'Meter App: an application installed, formerly installed or installable on a Meter Device (CDS-WG3-01 §10.4.3).',
  },
)
export type MeterApp = Static<typeof MeterApp>

/**
 * A physical or virtual meter and the Service Points it is or was associated with. The point
 * id lists only hold ids the token may see (CDS-WG3-01 §10.4.1, A-06).
 *
 * @see CDS-WG3-01 §10.4.1 Meter Device Object Format
 */
export const MeterDevice = Type.Object(
  {
    cds_meterdevice_id: Type.String({ description: "The server's unique identifier of the Meter Device." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, not counting `cds_synced` updates.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth.' }),
    meter_number: Type.Optional(
      Cds.Nullable(Type.String(), {
        description: 'Meter number on bills, online or on the meter face, or null when none is visible; gated by `include_meter_numbers`.',
      }),
    ),
    meter_types: Type.Array(MeterType, { description: 'What the meter measures and how; several may apply.' }),
    current_servicepoints: Type.Array(Type.String(), {
      description: '`cds_servicepoint_id`s of visible Service Points where the meter is installed or associated now.',
    }),
    previous_servicepoints: Type.Array(Type.String(), {
      description: '`cds_servicepoint_id`s of visible Service Points where the meter was installed or associated before.',
    }),
    meter_apps: Type.Optional(Type.Array(MeterApp, { description: 'Applications of the meter; `[]` when none or unknown; gated by `include_meter_apps`.' })),
  },
  {
    $id: 'MeterDevice',
    description: 'Meter Device: a meter with its types, Service Points and applications (CDS-WG3-01 §10.4.1).',
  },
)
export type MeterDevice = Static<typeof MeterDevice>

/**
 * One page of the Meter Devices listing, most recently modified first.
 *
 * @see CDS-WG3-01 §10.4.5 Listing Meter Devices
 */
export const MeterDeviceListing = Cds.Listing('meter_devices', MeterDevice, {
  $id: 'MeterDeviceListing',
  description:
    'Meter Device listing: a page of visible Meter Devices, newest `cds_modified` first, with next/previous links (CDS-WG3-01 §10.4.5).',
})
export type MeterDeviceListing = Static<typeof MeterDeviceListing>

/**
 * URL parameters of the Meter Devices listing; multi-valued ones are space-separated and the
 * parameters intersect. The number filter is singular, `meter_number`, as the spec names it.
 *
 * @see CDS-WG3-01 §10.4.5 Listing Meter Devices
 */
export const MeterDeviceListingQuery = Type.Object(
  {
    cds_meterdevice_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_meterdevice_id` values.' })),
    meter_number: Type.Optional(Type.String({ description: 'Space-separated `meter_number` values (singular name as specified, A-26).' })),
    meter_numbers: Type.Optional(
      Type.String({ description: 'Alias of `meter_number` accepted for consistency with the other `*_numbers` filters; the values of both are combined (A-26).' }),
    ),
    current_servicepoints: Type.Optional(
      Type.String({ description: 'Space-separated Service Point ids; matches meters whose visible current points include any.' }),
    ),
    previous_servicepoints: Type.Optional(
      Type.String({ description: 'Space-separated Service Point ids; matches meters whose visible previous points include any.' }),
    ),
    q: Type.Optional(Type.String({ description: 'Case-insensitive substring searched in the visible id and meter number.' })),
  },
  { $id: 'MeterDeviceListingQuery', description: 'Filters of the Meter Devices listing; supplied filters intersect (CDS-WG3-01 §10.4.5).' },
)
export type MeterDeviceListingQuery = Static<typeof MeterDeviceListingQuery>
