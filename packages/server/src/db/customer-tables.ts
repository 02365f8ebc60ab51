/**
 * The tables of the customer side of CDS-WG3-01 §9 (migration 0003): customers and their
 * sessions, the directory of resources a customer can select, pending authorization requests,
 * Authorization Receipts and the mail outbox, plus the private Grant selections.
 * `database.ts` collects them into the `Database` interface and re-exports them.
 *
 * @see CDS-WG3-01 §9 Customer Authorizations
 * @module
 */
import type { ColumnType } from 'kysely'
import type { JsonText, Timestamp } from './database.js'

/**
 * The Selection types of the Authorization Form (CDS-WG3-01 §9.2.3), as directory resource types.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export type ResourceType = 'account' | 'service_contract' | 'service_point' | 'meter_device' | 'aggregation'

/**
 * What the customer selected in one Request Section: kept with the Grant, never shown in
 * the Grant object; the data APIs (CDS-WG3-01 §10) reach only these resources.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export interface GrantSelection {
  /** The scope ids of the Request Section. */
  scopes: string[]
  /** The `authorization_form_selection_type` choice id, e.g. `service_contract_selection`. */
  selection_type: string
  resource_type: ResourceType
  /** The numbers of the selected resources (account_number, contract_number, …). */
  numbers: string[]
  /** Every resource of the type was selected (`_all`). */
  all: boolean
  /** Resources added later are included (`_include_future`, A-81). */
  include_future: boolean
}

/**
 * `customers`: who may log in to approve authorization requests (CDS-WG3-01 §9.1.2).
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export interface CustomersTable {
  customer_id: string
  /** The lower-cased e-mail address the customer logs in with. */
  login: string
  /** `scrypt$…` hash; the password itself is never stored. */
  password_hash: string
  display_name: string
  /** Where Authorization Receipts are sent (§9.4); null without contact on file. */
  email: string | null
  /** Listed in `cds_test_accounts`; the only customers a sandbox Client object may ask. */
  is_test_account: ColumnType<boolean, boolean | undefined, boolean>
  created: Timestamp
}

/**
 * `customer_sessions`: logged-in sessions; the cookie holds a random handle, the table its digest.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export interface CustomerSessionsTable {
  session_hash: string
  customer_id: string
  created: Timestamp
  /** Idle timeout counts from here. */
  last_seen: Timestamp
  /** Set at logout: the session ends at once (§9.1.2). */
  ended_at: Timestamp | null
}

/**
 * `customer_resources`: what a customer can select on the Authorization Form (CDS-WG3-01 §9.2.3).
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export interface CustomerResourcesTable {
  customer_id: string
  resource_type: ResourceType
  /** account_number, contract_number, servicepoint_number, meter_number or aggregation_number. */
  number: string
  /** the name the customer sees in their online profile, when there is one. */
  display_name: string | null
  address: string | null
  account_number: string | null
  contract_number: string | null
  /** service_types, servicepoint_types or meter_types. */
  types: ColumnType<JsonText<string[]>, JsonText<string[]> | undefined, JsonText<string[]>>
  /** Other values preselection matches on (programs, premise numbers, meter apps, …). */
  attributes: ColumnType<JsonText<Record<string, unknown>>, JsonText<Record<string, unknown>> | undefined, JsonText<Record<string, unknown>>>
  created: Timestamp
}

/**
 * `authorization_interactions`: authorization requests waiting for the customer (CDS-WG3-01
 * §9.1.1), found by the digest of the handle the browser carries.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export interface AuthorizationInteractionsTable {
  interaction_hash: string
  client_id: string
  /** The request parameters as the client sent them (pushed or in the query). */
  parameters: JsonText<Record<string, string>>
  redirect_uri: string
  redirect_uri_parameter: string | null
  state: string | null
  customer_id: string | null
  created: Timestamp
  expires_at: Timestamp
  completed_at: Timestamp | null
}

/**
 * `authorization_receipts`: the Authorization Receipts of CDS-WG3-01 §9.4.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export interface AuthorizationReceiptsTable {
  receipt_id: string
  confirmation: string
  url_token_hash: string
  url_token_sealed: string
  grant_id: string
  customer_id: string | null
  created: Timestamp
  /** What the form showed at approval (§9.4: never reloaded from the Client's current values). */
  snapshot: JsonText<Record<string, unknown>>
  superseded_by: string | null
}

/**
 * `outbox_emails`: every customer notification (CDS-WG3-01 §9.4), sent over SMTP or kept in the
 * outbox.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export interface OutboxEmailsTable {
  email_id: string
  to_address: string
  subject: string
  text_body: string
  html_body: string | null
  transport: 'smtp' | 'outbox'
  created: Timestamp
  sent_at: Timestamp | null
  error: string | null
}
