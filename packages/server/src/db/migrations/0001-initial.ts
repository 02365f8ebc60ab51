/**
 * Migration 0001: the tables of the OAuth 2.0 authorization server (issue 3). Plain PostgreSQL 15
 * SQL, so the same statements run on PGlite (PostgreSQL 18 inside) and on a real server.
 *
 * A migration is frozen once released: it types its database as `Kysely<unknown>` and never
 * imports `database.ts`, whose types follow the latest schema.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 * @see CDS-WG1-02 §8.1 Grant Object Format
 * @module
 */
import { sql, type Kysely } from 'kysely'

const jsonArray = (column: string) => sql.raw(`jsonb_typeof(${column}) = 'array'`)
const jsonObject = (column: string) => sql.raw(`jsonb_typeof(${column}) = 'object'`)

/**
 * Creates the clients, credentials, grants, tokens, authorization codes and pushed request tables.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // CDS-WG1-02 §5.1: every Client object field, URL-derived ones aside (see database.ts).
  await db.schema
    .createTable('clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('registration_id', 'text', (c) => c.notNull())
    .addColumn('client_id_issued_at', 'bigint', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'jsonb', (c) => c.notNull().check(jsonArray('redirect_uris')))
    .addColumn('token_endpoint_auth_method', 'text')
    .addColumn('grant_types', 'jsonb', (c) => c.notNull().check(jsonArray('grant_types')))
    .addColumn('response_types', 'jsonb', (c) => c.notNull().check(jsonArray('response_types')))
    .addColumn('client_name', 'text', (c) => c.notNull())
    .addColumn('contacts', 'jsonb', (c) => c.notNull().check(jsonArray('contacts')))
    .addColumn('authorization_details_types', 'jsonb', (c) => c.notNull().check(jsonArray('authorization_details_types')))
    .addColumn('client_uri', 'text')
    .addColumn('logo_uri', 'text')
    .addColumn('tos_uri', 'text')
    .addColumn('policy_uri', 'text')
    .addColumn('jwks_uri', 'text')
    .addColumn('jwks', 'jsonb', (c) => c.check(jsonObject('jwks')))
    .addColumn('software_id', 'text')
    .addColumn('software_version', 'text')
    .addColumn('cds_created', 'timestamptz', (c) => c.notNull())
    .addColumn('cds_modified', 'timestamptz', (c) => c.notNull())
    .addColumn('cds_status', 'text', (c) => c.notNull())
    .addColumn('cds_status_options', 'jsonb', (c) => c.notNull().check(jsonArray('cds_status_options')))
    .addColumn('cds_default_scope', 'text')
    .addColumn('cds_default_redirect_uri', 'text')
    .addColumn('cds_default_authorization_details', 'jsonb', (c) => c.check(jsonArray('cds_default_authorization_details')))
    .addColumn('registration_fields', 'jsonb', (c) => c.notNull().check(jsonObject('registration_fields')))
    .addColumn('seq', 'bigint', (c) => c.notNull().generatedAlwaysAsIdentity())
    .execute()
  await db.schema.createIndex('clients_registration_id_idx').on('clients').column('registration_id').execute()

  // CDS-WG1-02 §7.1: the secret itself is never stored, only its digest.
  await db.schema
    .createTable('credentials')
    .addColumn('credential_id', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('client_secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('client_secret_expires_at', 'bigint', (c) => c.notNull().check(sql.raw('client_secret_expires_at >= 0')))
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('modified', 'timestamptz', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('credentials_client_id_idx').on('credentials').column('client_id').execute()

  // CDS-WG1-02 §8.1: the Grant fields the token machinery reads.
  await db.schema
    .createTable('grants')
    .addColumn('grant_id', 'text', (c) => c.primaryKey())
    .addColumn('parent', 'text', (c) => c.references('grants.grant_id'))
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('modified', 'timestamptz', (c) => c.notNull())
    .addColumn('not_before', 'timestamptz')
    .addColumn('not_after', 'timestamptz')
    .addColumn('eta', 'timestamptz')
    .addColumn('expires', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('authorization_details', 'jsonb', (c) => c.notNull().check(jsonArray('authorization_details')))
    .addColumn('receipt_confirmations', 'jsonb', (c) => c.notNull().check(jsonArray('receipt_confirmations')))
    .addColumn('enabled_scope', 'text', (c) => c.notNull())
    .addColumn('enabled_authorization_details', 'jsonb', (c) => c.notNull().check(jsonArray('enabled_authorization_details')))
    .execute()
  await db.schema.createIndex('grants_client_id_idx').on('grants').column('client_id').execute()
  await db.schema.createIndex('grants_parent_idx').on('grants').column('parent').execute()

  // RFC 6749 §5.1, RFC 7009 §2.1: tokens are looked up by digest and revoked by client, credential, code or grant.
  await db.schema
    .createTable('tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('token_type', 'text', (c) => c.notNull().check(sql.raw(`token_type in ('access_token', 'refresh_token')`)))
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('credential_id', 'text', (c) => c.references('credentials.credential_id').onDelete('cascade'))
    .addColumn('grant_id', 'text')
    .addColumn('code_hash', 'text')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('authorization_details', 'jsonb', (c) => c.notNull().check(jsonArray('authorization_details')))
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .execute()
  for (const column of ['client_id', 'credential_id', 'grant_id', 'code_hash', 'expires_at']) {
    await db.schema.createIndex(`tokens_${column}_idx`).on('tokens').column(column).execute()
  }

  // RFC 6749 §4.1.2, RFC 7636 §4.4: single-use codes bound to a PKCE challenge.
  await db.schema
    .createTable('authorization_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('redirect_uri', 'text')
    .addColumn('code_challenge', 'text')
    .addColumn('code_challenge_method', 'text', (c) => c.check(sql.raw(`code_challenge_method = 'S256'`)))
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('authorization_details', 'jsonb', (c) => c.notNull().check(jsonArray('authorization_details')))
    .addColumn('grant_id', 'text')
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('authorization_codes_client_id_idx').on('authorization_codes').column('client_id').execute()
  await db.schema.createIndex('authorization_codes_expires_at_idx').on('authorization_codes').column('expires_at').execute()

  // RFC 9126 §2.2: single-use, short-lived request_uri handles.
  await db.schema
    .createTable('par_requests')
    .addColumn('request_uri_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull().references('clients.client_id').onDelete('cascade'))
    .addColumn('parameters', 'jsonb', (c) => c.notNull().check(jsonObject('parameters')))
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute()
  await db.schema.createIndex('par_requests_client_id_idx').on('par_requests').column('client_id').execute()
  await db.schema.createIndex('par_requests_expires_at_idx').on('par_requests').column('expires_at').execute()
}

/** Drops the tables of {@link up}, dependents first. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['par_requests', 'authorization_codes', 'tokens', 'grants', 'credentials', 'clients']) {
    await db.schema.dropTable(table).execute()
  }
}
