/**
 * The Service Contracts API (CDS-WG3-01 §10.2): the Service Contracts a token may see.
 *
 * @module
 */
import { ServiceContractListing, type ServiceContract, type ContractStatus, type ContractType, type ServiceType } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type ListFilter } from '../pagination.js'
import type { ApiSession } from '../session.js'

/**
 * Filters of the Service Contracts listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export interface ServiceContractFilters {
  /** Only these `cds_servicecontract_id`s. */
  cds_servicecontract_ids?: ListFilter
  /** Only contracts of these `account_number`s. */
  account_numbers?: ListFilter
  /** Only these `contract_number`s. */
  contract_numbers?: ListFilter
  /** Only contracts in these statuses. */
  contract_statuses?: ListFilter<ContractStatus>
  /** Only contracts having any of these Contract Types. */
  contract_types?: ListFilter<ContractType>
  /** Only contracts having any of these Service Types. */
  service_types?: ListFilter<ServiceType>
  /** A case-insensitive search in the visible ids, numbers, address, rate plan and programs. */
  q?: string
}

/**
 * The Service Contracts API: `list`, `page`, `pages` and `all` (newest `cds_modified` first).
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export class ServiceContractsApi extends ListingEndpoint<Decoded<ServiceContract>, ServiceContractFilters, Decoded<ServiceContractListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: ServiceContractListing, key: 'service_contracts' })
  }
}
