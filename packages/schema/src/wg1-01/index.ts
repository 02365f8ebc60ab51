export { CapabilityRole, CommodityType, CoverageEntryType, InfrastructureType, ServerCapability } from './enums.js'
export { CoverageEntry, CoverageListing, CoverageListingQuery } from './coverage.js'
export { ServerMetadata } from './server-metadata.js'
