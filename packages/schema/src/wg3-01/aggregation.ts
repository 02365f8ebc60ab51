/**
 * The Aggregations API objects (CDS-WG3-01 §10.7): an aggregated dataset, the regions and
 * consent requirements attached to it, the listing envelope and the listing filters. The
 * aggregated data itself is served by the Usage Segments API.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { AccountType, MeterType, ServicePointType, ServiceType } from './enums-data.js'

/**
 * How an Aggregation may be disclosed, what it groups, and which extra fields it carries.
 *
 * @see CDS-WG3-01 §10.7.2 Aggregation Types
 */
export const AggregationType = Cds.Enum(
  [
    'public',
    'listed',
    'confidential',
    'region',
    'country',
    'province',
    'municipality',
    'local',
    'building',
    'account_number',
    'account_type',
    'account_program_number',
    'contract_number',
    'service_type',
    'rateplan_code',
    'service_program_number',
    'servicepoint_number',
    'servicepoint_type',
    'premise_number',
    'meter_number',
    'meter_type',
    'meter_app_number',
  ],
  {
    $id: 'AggregationType',
    description:
      'Disclosure class (public, listed, confidential) or grouping criterion of an Aggregation; several criteria add required fields (CDS-WG3-01 §10.7.2).',
  },
)
export type AggregationType = Static<typeof AggregationType>

/**
 * How an Aggregation Region is described, and which extra fields it carries.
 *
 * @see CDS-WG3-01 §10.7.4 Aggregation Region Types
 */
export const AggregationRegionType = Cds.Enum(['geographic', 'postal_code', 'county', 'neighborhood', 'city_block'], {
  $id: 'AggregationRegionType',
  description: 'How a region is given: a map or GeoJSON outline, or lists of postal codes, counties, neighborhoods or city blocks (CDS-WG3-01 §10.7.4).',
})
export type AggregationRegionType = Static<typeof AggregationRegionType>

/**
 * Whether a consent requirement applies to an Aggregation.
 *
 * @see CDS-WG3-01 §10.7.6 Consent Requirement Types
 */
export const ConsentRequirementType = Cds.Enum(['always', 'sometimes', 'never'], {
  $id: 'ConsentRequirementType',
  description: 'Whether consent is always needed, not yet determined, or determined not to be needed for the data (CDS-WG3-01 §10.7.6).',
})
export type ConsentRequirementType = Static<typeof ConsentRequirementType>

/** `if` clause: the array `field` contains `value`. */
function listContains(field: string, value: string) {
  return { required: [field], properties: { [field]: { contains: { const: value } } } }
}

/**
 * A region that is part of an Aggregation. Geographic regions give a map, a GeoJSON outline
 * or both (never neither), each behind the Aggregation's authentication.
 *
 * @see CDS-WG3-01 §10.7.3 Aggregation Region Object Format
 * @see CDS-WG3-01 §10.7.4 Aggregation Region Types
 */
export const AggregationRegion = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of this region.' }),
    name: Type.String({ description: 'Name of this region.' }),
    types: Type.Array(AggregationRegionType, { description: 'How the region is described; decides the extra fields.' }),
    map_resource: Type.Optional(Cds.Nullable(Cds.Url(), { description: '`geographic`: a map file of the territory, or null when a GeoJSON outline is given.' })),
    map_content_type: Type.Optional(Cds.Nullable(Cds.MimeType(), { description: '`geographic`: media type of `map_resource`; not null when the map is given.' })),
    geojson_resource: Type.Optional(
      Cds.Nullable(Cds.Url(), { description: '`geographic`: a GeoJSON outline (WGS 84) of the territory, or null when a map is given.' }),
    ),
    postal_codes: Type.Optional(Type.Array(Type.String(), { description: '`postal_code`: the postal codes of the region.' })),
    counties: Type.Optional(Type.Array(Type.String(), { description: '`county`: the county names of the region.' })),
    neighborhoods: Type.Optional(Type.Array(Type.String(), { description: '`neighborhood`: the neighborhood names of the region.' })),
    city_blocks: Type.Optional(
      Type.Array(Type.String(), { description: '`city_block`: city block names, ideally address range, street, municipality, province and country.' }),
    ),
  },
  {
    $id: 'AggregationRegion',
    description: 'Aggregation Region: a territory that is part of an Aggregation, given as a map/GeoJSON or as lists of named areas (CDS-WG3-01 §10.7.3, §10.7.4).',
    allOf: [
      // CDS-WG3-01 §10.7.4 (geographic): all three resource fields are present, possibly null.
      { if: listContains('types', 'geographic'), then: { required: ['map_resource', 'map_content_type', 'geojson_resource'] } },
      // CDS-WG3-01 §10.7.4 (geographic): a null map needs a GeoJSON outline, and the reverse.
      {
        if: { required: ['map_resource'], properties: { map_resource: { type: 'null' } } },
        then: { properties: { geojson_resource: { not: { type: 'null' } } } },
      },
      {
        if: { required: ['geojson_resource'], properties: { geojson_resource: { type: 'null' } } },
        then: { properties: { map_resource: { not: { type: 'null' } } } },
      },
      // CDS-WG3-01 §10.7.4 (geographic): a map comes with its media type.
      {
        if: { required: ['map_resource'], properties: { map_resource: { type: 'string' } } },
        then: { properties: { map_content_type: { not: { type: 'null' } } } },
      },
      // CDS-WG3-01 §10.7.4: each list type brings its list.
      { if: listContains('types', 'postal_code'), then: { required: ['postal_codes'] } },
      { if: listContains('types', 'county'), then: { required: ['counties'] } },
      { if: listContains('types', 'neighborhood'), then: { required: ['neighborhoods'] } },
      { if: listContains('types', 'city_block'), then: { required: ['city_blocks'] } },
    ],
  },
)
export type AggregationRegion = Static<typeof AggregationRegion>

/**
 * A consent requirement that may gate access to an Aggregation's data.
 *
 * @see CDS-WG3-01 §10.7.5 Consent Requirement Object Format
 */
export const ConsentRequirement = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of this consent requirement.' }),
    name: Type.String({ description: 'Name of this consent requirement.' }),
    types: Type.Array(ConsentRequirementType, { description: 'Whether the consent is needed for this Aggregation.' }),
    documentation: Cds.Url({ description: 'Developer documentation of the requirement.' }),
  },
  {
    $id: 'ConsentRequirement',
    description: 'Consent Requirement: a consent that customers may have to give before an Aggregation\'s data is released (CDS-WG3-01 §10.7.5).',
  },
)
export type ConsentRequirement = Static<typeof ConsentRequirement>

/** An RFC 9396 §2 authorization details entry: an object with a `type` string and type-specific members. */
const RarAuthorizationDetail = Type.Object(
  { type: Type.String({ description: 'The authorization details type.' }) },
  { description: 'One RFC 9396 authorization details entry; the members besides `type` depend on the type.' },
)

const GROUP_LIMIT = 1000
const NUMBER_GROUP_LIMIT = 100

/** A `grouped_*` id list, at most 1000 long (CDS-WG3-01 §10.7.1). */
function groupedIds(description: string) {
  return Type.Array(Type.String(), { maxItems: GROUP_LIMIT, description })
}

/**
 * An aggregated dataset whose data is read through the Usage Segments API under `scope`.
 * Not checkable by schema (CDS-WG3-01 §10.7.1): the `grouped_*` id lists hold only ids the
 * token may see, and larger groups are split into child Aggregations.
 *
 * @see CDS-WG3-01 §10.7.1 Aggregation Object Format
 * @see CDS-WG3-01 §10.7.2 Aggregation Types
 */
export const Aggregation = Type.Object(
  {
    cds_aggregation_id: Type.String({ description: "The server's unique identifier of this Aggregation." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, not counting `cds_synced`.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth.' }),
    aggregation_types: Type.Array(AggregationType, { description: 'Disclosure class and grouping criteria; clients ignore values they do not know.' }),
    aggregation_number: Cds.Nullable(Type.String(), { description: 'Client-facing identifier (e.g. a building id); null when none exists or none is visible.' }),
    scope: Type.String({ description: 'Scope(s) to request to read the dataset; empty when no data is available.' }),
    authorization_details: Type.Array(RarAuthorizationDetail, {
      description: 'RFC 9396 §7.1 authorization details to request besides `scope`; `[]` when none.',
    }),
    grouped_accounts: groupedIds('Visible `cds_account_id`s in this Aggregation.'),
    grouped_servicecontracts: groupedIds('Visible `cds_servicecontract_id`s in this Aggregation.'),
    grouped_servicepoints: groupedIds('Visible `cds_servicepoint_id`s in this Aggregation.'),
    grouped_meterdevices: groupedIds('Visible `cds_meterdevice_id`s in this Aggregation.'),
    grouped_aggregations: groupedIds('Visible child `cds_aggregation_id`s, including the chunks of large groups.'),
    grouped_addresses: Type.Optional(
      Type.Array(Type.String(), { maxItems: GROUP_LIMIT, description: 'Addresses of the Aggregation (may span lines); present when addresses are enabled.' }),
    ),
    grouped_regions: Type.Array(AggregationRegion, { maxItems: GROUP_LIMIT, description: 'Regions of the Aggregation; `[]` when none or none visible.' }),
    consent_requirements: Type.Array(ConsentRequirement, { description: 'Consents that may be needed to read the data; `[]` when none.' }),
    countries: Type.Optional(Type.Array(Cds.CountryCode(), { description: '`country`: ISO 3166-1 alpha-2 countries covered.' })),
    provinces: Type.Optional(Type.Array(Type.String(), { description: '`province`: province or state names covered.' })),
    municipalities: Type.Optional(Type.Array(Type.String(), { description: '`municipality`: municipality names covered.' })),
    account_types: Type.Optional(Type.Array(AccountType, { description: '`account_type`: the Account Types that selected the Accounts.' })),
    account_program_numbers: Type.Optional(Type.Array(Type.String(), { description: '`account_program_number`: Account Program numbers that selected the Accounts.' })),
    service_types: Type.Optional(Type.Array(ServiceType, { description: '`service_type`: the Service Types that selected the Service Contracts.' })),
    rateplan_code: Type.Optional(Type.Array(Type.String(), { description: '`rateplan_code`: rate plan codes that selected the Service Contracts (singular name, as specified).' })),
    service_program_numbers: Type.Optional(Type.Array(Type.String(), { description: '`service_program_number`: Service Program numbers that selected the Service Contracts.' })),
    servicepoint_types: Type.Optional(Type.Array(ServicePointType, { description: '`servicepoint_type`: the Service Point Types that selected the Service Points.' })),
    premise_numbers: Type.Optional(Type.Array(Type.String(), { description: '`premise_number`: Premise numbers that selected the Service Points.' })),
    meter_types: Type.Optional(Type.Array(MeterType, { description: '`meter_type`: the Meter Types that selected the Meter Devices.' })),
    meter_app_numbers: Type.Optional(Type.Array(Type.String(), { description: '`meter_app_number`: Meter App numbers that selected the Meter Devices.' })),
  },
  {
    $id: 'Aggregation',
    description:
      'Aggregation: an aggregated dataset with its disclosure class, grouping criteria, members, regions, consent requirements and the scope that reads it (CDS-WG3-01 §10.7.1, §10.7.2).',
    allOf: [
      // CDS-WG3-01 §10.7.2: these grouping criteria each require the list of selecting values.
      ...(
        [
          ['country', 'countries'],
          ['province', 'provinces'],
          ['municipality', 'municipalities'],
          ['account_type', 'account_types'],
          ['account_program_number', 'account_program_numbers'],
          ['service_type', 'service_types'],
          ['rateplan_code', 'rateplan_code'],
          ['service_program_number', 'service_program_numbers'],
          ['servicepoint_type', 'servicepoint_types'],
          ['premise_number', 'premise_numbers'],
          ['meter_type', 'meter_types'],
          ['meter_app_number', 'meter_app_numbers'],
        ] as const
      ).map(([type, field]) => ({ if: listContains('aggregation_types', type), then: { required: [field] } })),
      // CDS-WG3-01 §10.7.2: groups selected by number list at most 100 members; more go into child Aggregations.
      ...(
        [
          ['account_number', 'grouped_accounts'],
          ['contract_number', 'grouped_servicecontracts'],
          ['servicepoint_number', 'grouped_servicepoints'],
          ['meter_number', 'grouped_meterdevices'],
        ] as const
      ).map(([type, field]) => ({ if: listContains('aggregation_types', type), then: { properties: { [field]: { maxItems: NUMBER_GROUP_LIMIT } } } })),
    ],
  },
)
export type Aggregation = Static<typeof Aggregation>

/**
 * One page of Aggregations, newest `cds_modified` first.
 *
 * @see CDS-WG3-01 §10.7.8 Listing Aggregations
 */
export const AggregationListing = Cds.Listing('aggregations', Aggregation, {
  $id: 'AggregationListing',
  description: 'Aggregation listing: a page of Aggregations, most recently modified first, with next/previous links (CDS-WG3-01 §10.7.8).',
})
export type AggregationListing = Static<typeof AggregationListing>

/**
 * URL query parameters of the Aggregations listing; the filters intersect.
 *
 * @see CDS-WG3-01 §10.7.8 Listing Aggregations
 */
export const AggregationListingQuery = Type.Object(
  {
    cds_aggregation_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_aggregation_id` values.' })),
    aggregation_numbers: Type.Optional(Type.String({ description: 'Space-separated `aggregation_number` values.' })),
    aggregation_types: Type.Optional(Type.String({ description: 'Space-separated Aggregation Types; an Aggregation matches when any of its types is listed.' })),
    q: Type.Optional(
      Type.String({ description: 'Case-insensitive substring searched in the visible id, number, addresses and regions (CDS-WG3-01 §10.7.8, A-39).' }),
    ),
  },
  { $id: 'AggregationListingQuery', description: 'Filters of the Aggregation listing; several filters intersect (CDS-WG3-01 §10.7.8).' },
)
export type AggregationListingQuery = Static<typeof AggregationListingQuery>
