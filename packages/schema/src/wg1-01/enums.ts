/**
 * The enumerations of CDS-WG1-01 §3.4 and §4.4–§4.7. All are extensible (§6): servers may
 * emit values other specifications add, and clients must tolerate values they do not know.
 *
 * @module
 */
import type { Static } from 'typebox'
import { Cds } from '../common/cds.js'

/** A capability a server offers (CDS-WG1-01 §3.4); `oauth` is added by CDS-WG1-02 §3.1. */
export const ServerCapability = Cds.Enum(['coverage', 'oauth'], {
  $id: 'ServerCapability',
  description: 'A functionality the server offers: coverage (CDS-WG1-01 §3.4) or oauth (CDS-WG1-02 §3.1). Extensible (CDS-WG1-01 §6).',
})
export type ServerCapability = Static<typeof ServerCapability>

/** How a coverage area is described (CDS-WG1-01 §4.4). */
export const CoverageEntryType = Cds.Enum(['geographic', 'logical'], {
  $id: 'CoverageEntryType',
  description: 'Whether a coverage area is a place on a map or a logical grouping (CDS-WG1-01 §4.4).',
})
export type CoverageEntryType = Static<typeof CoverageEntryType>

/** The server's standing for a coverage area (CDS-WG1-01 §4.5). */
export const CapabilityRole = Cds.Enum(['authoritative', 'official', 'aggregator'], {
  $id: 'CapabilityRole',
  description: 'How authoritative the server is for the data of a coverage area (CDS-WG1-01 §4.5).',
})
export type CapabilityRole = Static<typeof CapabilityRole>

/** The kind of infrastructure a coverage entry concerns (CDS-WG1-01 §4.6). */
export const InfrastructureType = Cds.Enum(
  [
    'distribution_utility',
    'metering_provider',
    'supplier',
    'generator',
    'market_operator',
    'distribution_service_operator',
    'transmission_service_operator',
    'service_provider',
  ],
  { $id: 'InfrastructureType', description: 'The kind of infrastructure or market role covered (CDS-WG1-01 §4.6).' },
)
export type InfrastructureType = Static<typeof InfrastructureType>

/** The commodity a coverage entry concerns (CDS-WG1-01 §4.7). */
export const CommodityType = Cds.Enum(['electricity', 'natural_gas', 'fuel_oil', 'water', 'wastewater', 'trash', 'distributed_energy'], {
  $id: 'CommodityType',
  description: 'The commodity delivered or metered in a coverage area (CDS-WG1-01 §4.7).',
})
export type CommodityType = Static<typeof CommodityType>
