/**
 * STUB — replaced by the listing's implementation: Listing Service Contracts (CDS-WG3-01 §10.2.7).
 *
 * @module
 */
import { ServiceContractListing, ServiceContractListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing Service Contracts (CDS-WG3-01 §10.2.7). */
export const serviceContractsListing: DataListing = {
  api: 'cds_servicecontracts_api',
  envelope: 'service_contracts',
  operationId: 'listServiceContracts',
  summary: 'Listing Service Contracts (CDS-WG3-01 §10.2.7)',
  querystring: ServiceContractListingQuery,
  response: ServiceContractListing,
  sortKeys: 2,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
