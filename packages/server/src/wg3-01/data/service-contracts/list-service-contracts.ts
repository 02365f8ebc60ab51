/**
 * Listing Service Contracts (CDS-WG3-01 §10.2.7): the Service Contracts the token may see,
 * filtered, newest `cds_modified` first, at most 100 a page.
 *
 * @see CDS-WG3-01 §10.2 Service Contracts API
 * @module
 */
import { ServiceContractListing, ServiceContractListingQuery } from '@cds-ts/schema'
import { keysetPageBy } from '../../../db/keyset.js'
import { parseIdList } from '../../../shared/filters.js'
import {
  modifiedOrder,
  searchColumn,
  searchStrings,
  whereHasAny,
  whereNumberIn,
  whereOneOf,
  whereSearch,
  type SearchField,
} from '../projection.js'
import type { DataAccess, DataListing } from '../types.js'
import { selectServiceContracts, serviceContractObject, type ServiceContractRow } from './service-contract-object.js'

const ORDER = modifiedOrder<ServiceContractRow>('service_contracts', 'cds_servicecontract_id')

/** The fields `q` searches, limited to those the token sees (catalog §2.2.3, R3-01-10.2.7-10). */
function searchFields(access: DataAccess): SearchField[] {
  return [
    searchColumn('service_contracts.cds_servicecontract_id'),
    ...(access.includes('include_account_numbers') ? [searchColumn('owner_account.account_number')] : []),
    ...(access.includes('include_contract_numbers') ? [searchColumn('service_contracts.contract_number')] : []),
    ...(access.includes('include_service_contract_details') ? [searchColumn('service_contracts.contract_address')] : []),
    ...(access.includes('include_rate_plans') ? [searchColumn('service_contracts.rateplan_code'), searchColumn('service_contracts.rateplan_name')] : []),
    ...(access.includes('include_service_programs') ? [searchStrings('service_contracts.program_numbers')] : []),
  ]
}

/**
 * Listing Service Contracts.
 *
 * @see CDS-WG3-01 §10.2.7 Listing Service Contracts
 */
export const serviceContractsListing: DataListing<ServiceContractListingQuery> = {
  api: 'cds_servicecontracts_api',
  envelope: 'service_contracts',
  operationId: 'listServiceContracts',
  summary: 'Listing Service Contracts (CDS-WG3-01 §10.2.7)',
  querystring: ServiceContractListingQuery,
  response: ServiceContractListing,
  sortKeys: ORDER.length,
  async list({ db, access, query, cursor }) {
    const rows = selectServiceContracts(db)
      .where(access.visible('service_contract'))
      // R3-01-10.2.7-04..-11: every filter given narrows the list (intersection).
      .where(whereOneOf('service_contracts.cds_servicecontract_id', parseIdList(query.cds_servicecontract_ids)))
      // numbers match only when the token sees them; a null contract number never matches.
      .where(whereNumberIn(access, 'include_account_numbers', 'owner_account.account_number', parseIdList(query.account_numbers)))
      .where(whereNumberIn(access, 'include_contract_numbers', 'service_contracts.contract_number', parseIdList(query.contract_numbers)))
      .where(whereOneOf('service_contracts.contract_status', parseIdList(query.contract_statuses)))
      // R3-01-10.2.7-08, -09: a contract with several types matches when any of them is listed.
      .where(whereHasAny('service_contracts.contract_types', parseIdList(query.contract_types)))
      .where(whereHasAny('service_contracts.service_types', parseIdList(query.service_types)))
      .where(whereSearch(query.q, searchFields(access)))
    const page = await keysetPageBy(rows, { keys: ORDER, cursor })
    return { ...page, items: page.items.map((row) => serviceContractObject(row, access)) }
  },
}
