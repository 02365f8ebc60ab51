/**
 * The typed database of `@cds-ts/server`: one `<Name>Table` interface per table, collected in
 * {@link Database} for Kysely. Columns carry the spec's field names; the few project columns
 * (`registration_id`, `registration_fields`, `*_hash`, `used_at`, `revoked_at`, …) are documented
 * where they appear.
 *
 * Column conventions, the same on PostgreSQL (`pg`) and PGlite (see `dialects.ts`):
 * - `timestamptz` columns read back as `Date` and accept a `Date` or an RFC 3339 string;
 * - `bigint` columns hold Unix seconds and read back as `number`;
 * - `numeric` columns read back as their exact text, never as a JavaScript number;
 * - `jsonb` columns are written and read as JSON text ({@link JsonText}) so that decimals inside
 *   them keep every digit; `json-text.ts` converts them with the lossless reader of `@cds-ts/schema`;
 * - secrets, tokens, codes and `request_uri` handles are stored only as SHA-256 digests.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 * @see CDS-WG1-02 §8.1 Grant Object Format
 * @module
 */
import type { CustomerDataTables } from './customer-data-tables.js'
import type {
  AuthorizationDetail,
  Client,
  ClientGrantRequest,
  ClientStatus,
  ClientUpdateRequest,
  CredentialType,
  Grant,
  GrantStatus,
  MessageRelatedType,
  MessageStatus,
  MessageType,
  Purpose,
} from '@cds-ts/schema'
import type { ColumnType, Generated } from 'kysely'
import type {
  AuthorizationInteractionsTable,
  AuthorizationReceiptsTable,
  CustomerResourcesTable,
  CustomersTable,
  CustomerSessionsTable,
  GrantSelection,
  OutboxEmailsTable,
} from './customer-tables.js'

export type {
  AuthorizationInteractionsTable,
  AuthorizationReceiptsTable,
  CustomerResourcesTable,
  CustomersTable,
  CustomerSessionsTable,
  GrantSelection,
  OutboxEmailsTable,
  ResourceType,
} from './customer-tables.js'

declare const jsonOf: unique symbol

/**
 * JSON text stored in a `jsonb` column, tagged with the type of the value it encodes. Make it
 * with `toJsonText` and read it with `fromJsonText` (`json-text.ts`).
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export type JsonText<T> = string & { readonly [jsonOf]?: T }

/**
 * A `timestamptz` column: a `Date` when read; a `Date` or RFC 3339 text when written.
 *
 * @see CDS-WG1-02 §2 Terminology (datetime)
 */
export type Timestamp = ColumnType<Date, Date | string, Date | string>

/**
 * A `numeric` column: its exact decimal text on read and write (CDS-WG3-01 §2 "decimal").
 * No issue-3 table has one; later tables (usage, bills) use it.
 *
 * @see CDS-WG3-01 §2 (decimal)
 */
export type Numeric = ColumnType<string, string, string>

/**
 * A `bytea` column: bytes in and out (`pg` hands back a `Buffer`, PGlite a `Uint8Array`; both are
 * `Uint8Array`s).
 *
 * @see CDS-WG1-02 §6.7 Message Attachment Object Format
 */
export type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>

/**
 * The OAuth token kinds, named as RFC 7009 §2.1 `token_type_hint` names them.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1}
 */
export type TokenTypeColumn = 'access_token' | 'refresh_token'

/**
 * `clients`: one row per Client object (CDS-WG1-02 §5.1). Every field of the wire object is a
 * column except those derived from the server's base URL (`cds_client_uri`,
 * `cds_server_metadata`) and the RFC 7592 management fields, which cds-ts does not offer.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export interface ClientsTable {
  client_id: string
  /** Project column: the registration (CDS-WG1-02 §4.2) that created this Client object. */
  registration_id: string
  /** Unix seconds (RFC 7591 §3.2.1). */
  client_id_issued_at: number
  scope: string
  redirect_uris: JsonText<string[]>
  token_endpoint_auth_method: string | null
  grant_types: JsonText<string[]>
  response_types: JsonText<string[]>
  client_name: string
  contacts: JsonText<string[]>
  authorization_details_types: JsonText<string[]>
  client_uri: string | null
  logo_uri: string | null
  tos_uri: string | null
  policy_uri: string | null
  jwks_uri: string | null
  jwks: JsonText<NonNullable<Client['jwks']>> | null
  software_id: string | null
  software_version: string | null
  cds_created: Timestamp
  cds_modified: Timestamp
  cds_status: ClientStatus
  cds_status_options: JsonText<ClientStatus[]>
  cds_default_scope: string | null
  cds_default_redirect_uri: string | null
  cds_default_authorization_details: JsonText<NonNullable<Client['cds_default_authorization_details']>> | null
  /** Project column: the registration field values (CDS-WG1-02 §4.1) by `field_name`. */
  registration_fields: JsonText<Record<string, unknown>>
  /** Project column: insertion order, so a registration's Client objects list in creation order. */
  seq: Generated<number>
  /**
   * Project column (migration 0002): when the Client object was last disabled, or `null`. Its
   * Credentials report this time as `client_secret_expires_at` (CDS-WG1-02 §7.1, A-16).
   */
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  /**
   * Project column (migration 0002): Scope Description fields the operator narrowed for this Client
   * object, by scope id (CDS-WG1-02 §5.1, R1-02-5.1-14); `null` when the public ones apply.
   */
  scope_overrides: ColumnType<JsonText<Record<string, Record<string, unknown>>> | null, JsonText<Record<string, Record<string, unknown>>> | null | undefined, JsonText<Record<string, Record<string, unknown>>> | null>
  /** Migration 0003: the Client object's Purposes keyed by id (CDS-WG3-01 §8.1); `null` when it has none. */
  cds_purposes: ColumnType<JsonText<Record<string, Purpose>> | null, JsonText<Record<string, Purpose>> | null | undefined, JsonText<Record<string, Purpose>> | null>
  /** Project column (migration 0003): who wrote each Purpose, by id: the server's defaults or the Client. */
  purpose_origins: ColumnType<JsonText<Record<string, PurposeOrigin>> | null, JsonText<Record<string, PurposeOrigin>> | null | undefined, JsonText<Record<string, PurposeOrigin>> | null>
}

/**
 * Who wrote a Purpose: `server` for the server's default Purposes (shown without
 * attribution), `client` for Purposes the Client sent (shown as written by the Client).
 *
 * @see CDS-WG3-01 §9.2.2.4 Purpose Component
 */
export type PurposeOrigin = 'server' | 'client'

/**
 * `credentials`: one row per Credential (CDS-WG1-02 §7.1). The `uri` is derived from the base
 * URL; the secret is kept only as its digest.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export interface CredentialsTable {
  credential_id: string
  client_id: string
  type: CredentialType
  /** SHA-256 digest of the `client_secret`; unique. */
  client_secret_hash: string
  /** Unix seconds; `0` means the secret never expires (RFC 7591 §3.2.1). */
  client_secret_expires_at: number
  created: Timestamp
  modified: Timestamp
  /**
   * Project column (migration 0002): the `client_secret` sealed with AES-256-GCM under the server's
   * secret key, so the Credentials API can show it (CDS-WG1-02 §7.1); `null` when the server is
   * set to show a secret only once.
   */
  client_secret_sealed: ColumnType<string | null, string | null | undefined, string | null>
}

/**
 * `tokens`: access and refresh tokens, told apart by `token_type`. Revocation sets `revoked_at`
 * and never deletes.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1}
 */
export interface TokensTable {
  /** SHA-256 digest of the token value; the primary key. */
  token_hash: string
  token_type: TokenTypeColumn
  client_id: string
  /** The Credential that authenticated the token request; `null` for a public client. */
  credential_id: string | null
  grant_id: string | null
  /** Digest of the authorization code this token descends from, kept through refresh rotation. */
  code_hash: string | null
  scope: string
  authorization_details: JsonText<AuthorizationDetail[]>
  issued_at: Timestamp
  expires_at: Timestamp
  revoked_at: Timestamp | null
}

/**
 * `authorization_codes`: codes with the PKCE challenge they are bound to (RFC 7636 §4.4).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export interface AuthorizationCodesTable {
  /** SHA-256 digest of the code; the primary key. */
  code_hash: string
  client_id: string
  redirect_uri: string | null
  code_challenge: string | null
  code_challenge_method: 'S256' | null
  scope: string
  authorization_details: JsonText<AuthorizationDetail[]>
  grant_id: string | null
  created: Timestamp
  expires_at: Timestamp
  used_at: Timestamp | null
}

/**
 * `par_requests`: pushed authorization requests (RFC 9126 §2).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export interface ParRequestsTable {
  /** SHA-256 digest of the random part of the `request_uri`; the primary key. */
  request_uri_hash: string
  client_id: string
  parameters: JsonText<Record<string, string>>
  created: Timestamp
  expires_at: Timestamp
  used_at: Timestamp | null
}

/**
 * `grants`: the CDS-WG1-02 §8.1 Grant fields the token machinery needs. The Grants API (a later
 * issue) adds `replacing`/`replaced_by`; `uri` is derived from the base URL and `children` from
 * the `parent` column.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export interface GrantsTable {
  grant_id: string
  parent: string | null
  created: Timestamp
  modified: Timestamp
  not_before: Timestamp | null
  not_after: Timestamp | null
  eta: Timestamp | null
  expires: Timestamp | null
  status: GrantStatus
  client_id: string
  scope: string
  authorization_details: JsonText<Grant['authorization_details']>
  receipt_confirmations: JsonText<string[]>
  enabled_scope: string
  enabled_authorization_details: JsonText<Grant['enabled_authorization_details']>
  /** Migration 0002: the `grant_id`s this Grant supersedes (its `replacing` URIs derive from them). */
  replacing: ColumnType<JsonText<string[]>, JsonText<string[]> | undefined, JsonText<string[]>>
  /** Migration 0002: the customer who authorized the Grant (CDS-WG1-02 §8.3); `null` for server-created Grants. */
  customer_id: ColumnType<string | null, string | null | undefined, string | null>
  /** Migration 0003: the customer's private selections, one per Request Section; `[]` for other Grants. */
  selections: ColumnType<JsonText<GrantSelection[]>, JsonText<GrantSelection[]> | undefined, JsonText<GrantSelection[]>>
}

/**
 * `messages`: one row per Message (CDS-WG1-02 §6.1). `uri` derives from `message_id` and
 * `previous_uri` from `previous_id`; attachments live in `message_attachments`.
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export interface MessagesTable {
  message_id: string
  /** Project column: the registration whose Messages listing shows this Message. */
  registration_id: string
  /** The Message this one replies to (`previous_uri`), or `null`. */
  previous_id: string | null
  type: MessageType
  read: boolean
  creator: string | null
  created: Timestamp
  modified: Timestamp
  status: MessageStatus
  name: string
  description: string
  updates_requested: JsonText<ClientUpdateRequest[]> | null
  grants_requested: JsonText<ClientGrantRequest[]> | null
  related_uri: string | null
  related_type: MessageRelatedType | null
  amount: Numeric | null
  currency: string | null
  /** How many rows of `message_attachments` belong to the Message. */
  attachment_count: ColumnType<number, number | undefined, number>
}

/**
 * `message_attachments`: the attachments of a Message, in order (CDS-WG1-02 §6.7).
 *
 * @see CDS-WG1-02 §6.7 Message Attachment Object Format
 */
export interface MessageAttachmentsTable {
  message_id: string
  position: number
  filename: string
  mime_type: string
  data: Bytes
}

/**
 * `server_provided_files`: Server-Provided File metadata (CDS-WG1-02 §9.1); `uri` and
 * `download_uri` derive from `file_id`.
 *
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 */
export interface ServerProvidedFilesTable {
  file_id: string
  created: Timestamp
  modified: Timestamp
  mime_type: string
  /** Bytes; `bigint` read back as a number. */
  size: number
  name: string
  description: string
}

/**
 * `file_chunks`: the bytes of a Server-Provided File in `seq` order, so downloads stream.
 *
 * @see CDS-WG1-02 §9.4 Downloading Server-Provided File Data
 */
export interface FileChunksTable {
  file_id: string
  seq: number
  data: Bytes
}

/**
 * Every table of the server database, for `Kysely<Database>`.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export interface Database extends CustomerDataTables {
  clients: ClientsTable
  credentials: CredentialsTable
  tokens: TokensTable
  authorization_codes: AuthorizationCodesTable
  par_requests: ParRequestsTable
  grants: GrantsTable
  messages: MessagesTable
  message_attachments: MessageAttachmentsTable
  server_provided_files: ServerProvidedFilesTable
  file_chunks: FileChunksTable
  customers: CustomersTable
  customer_sessions: CustomerSessionsTable
  customer_resources: CustomerResourcesTable
  authorization_interactions: AuthorizationInteractionsTable
  authorization_receipts: AuthorizationReceiptsTable
  outbox_emails: OutboxEmailsTable
}

export type * from './customer-data-tables.js'
export { SORT_LAST } from './customer-data-tables.js'
