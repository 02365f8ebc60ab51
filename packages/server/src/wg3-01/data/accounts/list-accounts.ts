/**
 * Listing Accounts (CDS-WG3-01 §10.1.10): the Accounts the token may see, filtered, newest
 * `cds_modified` first, at most 100 a page.
 *
 * @see CDS-WG3-01 §10.1 Accounts API
 * @module
 */
import { AccountListing, AccountListingQuery } from '@cds-ts/schema'
import { keysetPageBy } from '../../../db/keyset.js'
import { parseIdList } from '../../../shared/filters.js'
import {
  modifiedOrder,
  searchColumn,
  searchMember,
  searchStrings,
  whereNumberIn,
  whereOneOf,
  whereSearch,
  type SearchField,
} from '../projection.js'
import type { DataAccess, DataListing } from '../types.js'
import { accountObject, selectAccounts, type AccountRow } from './account-object.js'

const ORDER = modifiedOrder<AccountRow>('accounts', 'cds_account_id')

/**
 * The fields `q` searches, limited to those the token sees (catalog §2.1.5, R3-01-10.1.10-11).
 * Account Contacts have no name or email field, so their `value` is searched.
 */
function searchFields(access: DataAccess): SearchField[] {
  return [
    searchColumn('accounts.cds_account_id'),
    ...(access.includes('include_account_numbers') ? [searchColumn('accounts.customer_number'), searchColumn('accounts.account_number')] : []),
    ...(access.includes('include_account_details')
      ? [searchColumn('accounts.account_address'), searchColumn('accounts.account_name'), searchMember('accounts.account_contacts', 'value')]
      : []),
    ...(access.includes('include_account_programs') ? [searchStrings('accounts.program_numbers')] : []),
  ]
}

/**
 * Listing Accounts.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export const accountsListing: DataListing<AccountListingQuery> = {
  api: 'cds_accounts_api',
  envelope: 'accounts',
  operationId: 'listAccounts',
  summary: 'Listing Accounts (CDS-WG3-01 §10.1.10)',
  querystring: AccountListingQuery,
  response: AccountListing,
  sortKeys: ORDER.length,
  async list({ db, access, query, cursor }) {
    const rows = selectAccounts(db)
      .where(access.visible('account'))
      // R3-01-10.1.10-06..-12: every filter given narrows the list (intersection).
      .where(whereOneOf('accounts.cds_account_id', parseIdList(query.cds_account_ids)))
      // R3-01-10.1.10-07, A-13: numbers match only when the token sees them; a null never matches.
      .where(whereNumberIn(access, 'include_account_numbers', 'accounts.customer_number', parseIdList(query.customer_numbers)))
      .where(whereNumberIn(access, 'include_account_numbers', 'accounts.account_number', parseIdList(query.account_numbers)))
      // a status is not personal data, so it filters even with `include_account_details` off.
      .where(whereOneOf('accounts.account_status', parseIdList(query.account_statuses)))
      .where(whereSearch(query.q, searchFields(access)))
    const page = await keysetPageBy(rows, { keys: ORDER, cursor })
    const parents = page.items.flatMap((row) => (row.cds_account_parent === null ? [] : [row.cds_account_parent]))
    const visibleParents = parents.length === 0 ? new Set<string>() : await access.visibleIds('account', parents)
    return { ...page, items: page.items.map((row) => accountObject(row, access, visibleParents)) }
  },
}
