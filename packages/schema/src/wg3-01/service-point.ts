/**
 * The Service Points API objects (CDS-WG3-01 §10.3): the Service Point, its Premises, its
 * listing and the listing filters.
 *
 * Fields that an `include_*` authorization detail turns on (CDS-WG3-01 §7.2) are optional here:
 * whether they appear depends on the grant, not on the object.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { PremiseType, ServicePointType } from './enums-data.js'

/**
 * A building, land parcel, zone or service group that contains Service Points. The relation is
 * many-to-many; servers may add prefixed fields.
 *
 * @see CDS-WG3-01 §10.3.3 Premise Object Format
 * @see CDS-WG3-01 §10.3.4 Premise Types
 */
export const Premise = Type.Object(
  {
    id: Type.String({ description: "The server's unique identifier of this Premise object." }),
    premise_number: Type.String({ description: 'Identifier given by whoever enumerates premises (utility, municipality).' }),
    types: Type.Array(PremiseType, { description: 'What the premise designates; several may apply.' }),
  },
  {
    $id: 'Premise',
    description: 'Premise: a designated building, land plot, zone or group of Service Points (CDS-WG3-01 §10.3.3).',
  },
)
export type Premise = Static<typeof Premise>

/**
 * A point where a service is delivered, with the Service Contracts served through it. The
 * contract id lists only hold ids the token may see (CDS-WG3-01 §10.3.1, A-06).
 *
 * @see CDS-WG3-01 §10.3.1 Service Point Object Format
 */
export const ServicePoint = Type.Object(
  {
    cds_servicepoint_id: Type.String({ description: "The server's unique identifier of the Service Point." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, not counting `cds_synced` updates.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth.' }),
    servicepoint_number: Cds.Nullable(Type.String(), {
      description: 'Customer-facing identifier, or null when there is none the client may see.',
    }),
    servicepoint_types: Type.Array(ServicePointType, { description: 'Types of the Service Point; several may apply.' }),
    servicepoint_address: Type.Optional(
      Cds.Nullable(Type.String(), {
        description: 'Address as shown to the Customer (may span lines), or null; gated by `include_service_point_addresses`.',
      }),
    ),
    latitude: Type.Optional(
      Cds.Nullable(Cds.Decimal(), { description: 'Exact decimal latitude, or null when not stored or not visible; gated by `include_coordinates`.' }),
    ),
    longitude: Type.Optional(
      Cds.Nullable(Cds.Decimal(), { description: 'Exact decimal longitude, or null when not stored or not visible; gated by `include_coordinates`.' }),
    ),
    current_servicecontracts: Type.Array(Type.String(), {
      description: '`cds_servicecontract_id`s of visible contracts currently served through this point.',
    }),
    previous_servicecontracts: Type.Array(Type.String(), {
      description: '`cds_servicecontract_id`s of visible contracts served through this point in the past.',
    }),
    premises: Type.Optional(Type.Array(Premise, { description: 'Premises containing this point; `[]` when none; gated by `include_premises`.' })),
  },
  {
    $id: 'ServicePoint',
    description: 'Service Point: where a service is delivered, with its contracts, address, coordinates and premises (CDS-WG3-01 §10.3.1).',
  },
)
export type ServicePoint = Static<typeof ServicePoint>

/**
 * One page of the Service Points listing, most recently modified first.
 *
 * @see CDS-WG3-01 §10.3.5 Listing Service Points
 */
export const ServicePointListing = Cds.Listing('service_points', ServicePoint, {
  $id: 'ServicePointListing',
  description:
    'Service Point listing: a page of visible Service Points, newest `cds_modified` first, with next/previous links (CDS-WG3-01 §10.3.5).',
})
export type ServicePointListing = Static<typeof ServicePointListing>

/**
 * URL parameters of the Service Points listing; multi-valued ones are space-separated and the
 * parameters intersect.
 *
 * @see CDS-WG3-01 §10.3.5 Listing Service Points
 */
export const ServicePointListingQuery = Type.Object(
  {
    cds_servicepoint_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_servicepoint_id` values.' })),
    servicepoint_numbers: Type.Optional(Type.String({ description: 'Space-separated `servicepoint_number` values; a null number never matches.' })),
    current_servicecontracts: Type.Optional(
      Type.String({ description: 'Space-separated contract ids; matches points whose visible current contracts include any (A-25).' }),
    ),
    previous_servicecontracts: Type.Optional(
      Type.String({ description: 'Space-separated contract ids; matches points whose visible previous contracts include any (A-25).' }),
    ),
    q: Type.Optional(
      Type.String({ description: 'Case-insensitive substring searched in the visible id, number, address and premise numbers.' }),
    ),
  },
  { $id: 'ServicePointListingQuery', description: 'Filters of the Service Points listing; supplied filters intersect (CDS-WG3-01 §10.3.5).' },
)
export type ServicePointListingQuery = Static<typeof ServicePointListingQuery>
