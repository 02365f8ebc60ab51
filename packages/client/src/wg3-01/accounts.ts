/**
 * The Accounts API (CDS-WG3-01 §10.1): the Customer accounts a token may see.
 *
 * @module
 */
import { AccountListing, type Account, type AccountStatus } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type ListFilter } from '../pagination.js'
import type { ApiSession } from '../session.js'

/**
 * Filters of the Accounts listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export interface AccountFilters {
  /** Only these `cds_account_id`s. */
  cds_account_ids?: ListFilter
  /** Only Accounts with these `customer_number`s (a `null` number never matches). */
  customer_numbers?: ListFilter
  /** Only Accounts with these `account_number`s. */
  account_numbers?: ListFilter
  /** Only Accounts in these statuses. */
  account_statuses?: ListFilter<AccountStatus>
  /** A case-insensitive search in the visible ids, numbers, name, address and contacts. */
  q?: string
}

/**
 * The Accounts API: `list`, `page`, `pages` and `all` (newest `cds_modified` first).
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export class AccountsApi extends ListingEndpoint<Decoded<Account>, AccountFilters, Decoded<AccountListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: AccountListing, key: 'accounts' })
  }
}
