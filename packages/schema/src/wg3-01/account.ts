/**
 * The Accounts API objects (CDS-WG3-01 §10.1): the Account, its contacts, its listing and the
 * listing filters. Entity and Account Program, which other APIs reuse, are in
 * `shared-objects.ts`.
 *
 * Fields that an `include_*` authorization detail turns on (CDS-WG3-01 §7.2) are optional here:
 * whether they appear depends on the grant, not on the object.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { AccountContactType, AccountStatus, AccountType } from './enums-data.js'
import { AccountProgram, Entity } from './shared-objects.js'

/**
 * One way to reach the Account's owner or representative: a phone number or an email address,
 * with optional qualifiers such as `mobile` or `preferred`.
 *
 * @see CDS-WG3-01 §10.1.6 Account Contact Object Format
 * @see CDS-WG3-01 §10.1.7 Account Contact Types
 */
export const AccountContact = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of the contact.' }),
    types: Type.Array(AccountContactType, { description: 'Medium (`phone_number` or `email`, one is mandatory) plus optional qualifiers.' }),
    value: Type.String({ description: 'An E.164 number for `phone_number` contacts, an email address for `email` contacts.' }),
  },
  {
    $id: 'AccountContact',
    description: 'Account Contact: a phone number or email address of the Account owner, with qualifiers (CDS-WG3-01 §10.1.6).',
    allOf: [
      // CDS-WG3-01 §10.1.6: `types` always names the medium, `phone_number` or `email`.
      {
        properties: { types: { anyOf: [{ contains: { const: 'phone_number' } }, { contains: { const: 'email' } }] } },
      },
      // CDS-WG3-01 §10.1.6: a phone contact's value is an E.164 number.
      {
        if: { required: ['types'], properties: { types: { contains: { const: 'phone_number' } } } },
        then: { properties: { value: Cds.E164() } },
      },
      // CDS-WG3-01 §10.1.6: an email contact's value is an email address. With both media the
      // value would have to be both at once, so such a contact never validates.
      {
        if: { required: ['types'], properties: { types: { contains: { const: 'email' } } } },
        then: { properties: { value: Cds.Email() } },
      },
    ],
  },
)
export type AccountContact = Static<typeof AccountContact>

/**
 * A Customer's utility account. Identifiers, names and addresses are personal data that only
 * appear when the grant enables them (`include_account_numbers`, `include_account_details`,
 * `include_account_programs`, CDS-WG3-01 §7.2).
 *
 * @see CDS-WG3-01 §10.1.1 Account Object Format
 */
export const Account = Type.Object(
  {
    cds_account_id: Type.String({ description: "The server's unique, opaque identifier of the Account." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, not counting `cds_synced` updates.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth.' }),
    cds_account_parent: Cds.Nullable(Type.String(), {
      description: '`cds_account_id` of the parent Account this one is grouped under, or null without a parent.',
    }),
    customer_number: Type.Optional(
      Cds.Nullable(Type.String(), {
        description: 'Customer-level identifier grouping Accounts, or null when none exists; gated by `include_account_numbers`.',
      }),
    ),
    account_number: Type.Optional(
      Type.String({ description: 'Account number as shown on bills and online; gated by `include_account_numbers`.' }),
    ),
    account_entity: Type.Optional(
      Cds.Nullable(Entity, { description: 'Entity with which the Account is held, or null when unknown; gated by `include_account_numbers`.' }),
    ),
    account_name: Type.Optional(Type.String({ description: 'Account name as shown to the Customer; gated by `include_account_details`.' })),
    account_address: Type.Optional(
      Type.String({ description: 'Account address as shown to the Customer, may span lines; gated by `include_account_details`.' }),
    ),
    account_types: Type.Optional(
      Type.Array(AccountType, { minItems: 1, description: 'Types of the Account; never empty when present; gated by `include_account_details`.' }),
    ),
    account_status: Type.Optional(AccountStatus),
    account_contacts: Type.Optional(
      Type.Array(AccountContact, { description: 'Contacts of the Account owner; gated by `include_account_details`.' }),
    ),
    account_programs: Type.Optional(
      Type.Array(AccountProgram, {
        description: 'Account-level programs; `[]` when none or unknown; gated by `include_account_programs`.',
      }),
    ),
  },
  {
    $id: 'Account',
    description: 'Account: a Customer utility account with optional identifiers, details, contacts and programs (CDS-WG3-01 §10.1.1).',
  },
)
export type Account = Static<typeof Account>

/**
 * One page of the Accounts listing, most recently modified first.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export const AccountListing = Cds.Listing('accounts', Account, {
  $id: 'AccountListing',
  description: 'Account listing: a page of visible Accounts, newest `cds_modified` first, with next/previous links (CDS-WG3-01 §10.1.10).',
})
export type AccountListing = Static<typeof AccountListing>

/**
 * URL parameters of the Accounts listing; multi-valued ones are space-separated and the
 * parameters intersect.
 *
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export const AccountListingQuery = Type.Object(
  {
    cds_account_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_account_id` values.' })),
    customer_numbers: Type.Optional(Type.String({ description: 'Space-separated `customer_number` values; a null number never matches.' })),
    account_numbers: Type.Optional(Type.String({ description: 'Space-separated `account_number` values.' })),
    account_statuses: Type.Optional(Type.String({ description: 'Space-separated `account_status` values.' })),
    q: Type.Optional(
      Type.String({
        description:
          'Case-insensitive substring searched in the visible ids, numbers, name, address, contact values and program numbers (A-24).',
      }),
    ),
  },
  { $id: 'AccountListingQuery', description: 'Filters of the Accounts listing; supplied filters intersect (CDS-WG3-01 §10.1.10).' },
)
export type AccountListingQuery = Static<typeof AccountListingQuery>
