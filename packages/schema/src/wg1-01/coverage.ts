/**
 * The Coverage endpoint's objects (CDS-WG1-01 §4).
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { CapabilityRole, CommodityType, CoverageEntryType, InfrastructureType, ServerCapability } from './enums.js'

/**
 * One area or group that the server covers (CDS-WG1-01 §4.3).
 *
 * @see CDS-WG1-01 §4.3 Coverage Entry Format
 */
export const CoverageEntry = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of the entry.' }),
    created: Cds.DateTime(),
    updated: Cds.DateTime(),
    entity_name: Type.String({ description: 'Name of the entity serving this area; may differ from the metadata `name`.' }),
    entity_abbreviation: Cds.Nullable(Type.String(), { description: 'Abbreviation of the entity name, or null when it has none.' }),
    country: Cds.CountryCode({ description: 'ISO 3166-1 alpha-2 country of the area (one entry per country).' }),
    name: Type.String({ description: 'Name of the coverage area.' }),
    description: Type.Optional(Type.String()),
    type: CoverageEntryType,
    role: CapabilityRole,
    infrastructure_types: Type.Array(InfrastructureType),
    commodity_types: Type.Array(CommodityType),
    capabilities: Type.Array(ServerCapability, { description: 'Capabilities offered for this area; never `coverage` (CDS-WG1-01 §4.3).' }),
    map_resource: Type.Optional(Cds.Url({ description: 'A map of the area.' })),
    map_content_type: Type.Optional(Cds.MimeType({ description: 'Media type of `map_resource`; required with it.' })),
    geojson_resource: Type.Optional(Cds.Url({ description: 'GeoJSON (RFC 7946, WGS 84) outline of the area.' })),
  },
  {
    $id: 'CoverageEntry',
    description: 'Coverage Entry: one geographic or logical area the server covers (CDS-WG1-01 §4.3).',
    allOf: [
      // CDS-WG1-01 §4.3: a map resource needs its media type.
      { if: { required: ['map_resource'] }, then: { required: ['map_content_type'] } },
      // CDS-WG1-01 §4.3: a geographic area comes with a map or a GeoJSON outline.
      {
        if: { required: ['type'], properties: { type: { const: 'geographic' } } },
        then: { anyOf: [{ required: ['map_resource'] }, { required: ['geojson_resource'] }] },
      },
      // CDS-WG1-01 §4.3: `coverage` is never a capability of an entry.
      { properties: { capabilities: { not: { contains: { const: 'coverage' } } } } },
    ],
  },
)
export type CoverageEntry = Static<typeof CoverageEntry>

/**
 * One page of coverage entries (CDS-WG1-01 §4.1).
 *
 * @see CDS-WG1-01 §4.1 Coverage Listing Format
 */
export const CoverageListing = Cds.Listing('coverage_entries', CoverageEntry, {
  $id: 'CoverageListing',
  description: 'Coverage Listing: a page of coverage entries, newest `updated` first, with next/previous links (CDS-WG1-01 §4.1).',
})
export type CoverageListing = Static<typeof CoverageListing>

/**
 * Query parameters of the coverage endpoint (CDS-WG1-01 §4.2).
 *
 * @see CDS-WG1-01 §4.2 Coverage Listing Filters
 */
export const CoverageListingQuery = Type.Object(
  {
    ids: Type.Optional(Type.String({ description: 'Space-separated coverage entry ids.' })),
  },
  { $id: 'CoverageListingQuery', description: 'Filters of the coverage listing; several filters intersect (CDS-WG1-01 §4.2).' },
)
export type CoverageListingQuery = Static<typeof CoverageListingQuery>
