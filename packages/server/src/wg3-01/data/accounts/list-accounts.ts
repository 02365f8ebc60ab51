/**
 * STUB — replaced by the listing's implementation: Listing Accounts (CDS-WG3-01 §10.1.10).
 *
 * @module
 */
import { AccountListing, AccountListingQuery } from '@cds-ts/schema'
import type { DataListing } from '../types.js'

/** Listing Accounts (CDS-WG3-01 §10.1.10). */
export const accountsListing: DataListing = {
  api: 'cds_accounts_api',
  envelope: 'accounts',
  operationId: 'listAccounts',
  summary: 'Listing Accounts (CDS-WG3-01 §10.1.10)',
  querystring: AccountListingQuery,
  response: AccountListing,
  sortKeys: 2,
  list: () => Promise.resolve({ items: [], next: null, previous: null }),
}
