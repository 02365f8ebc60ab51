/**
 * Migration 0002: what the client management APIs of CDS-WG1-02 §5–§9 need on top of 0001 —
 * Messages with their attachments, Server-Provided Files stored in chunks (so a download streams),
 * the Credential secret sealed for re-display (§7.1), when a Client object was disabled (§7.1,
 * A-16), Grant replacement links and the customer of a Grant (§8.1, §8.3), and an index behind
 * every listing order and filter.
 *
 * Frozen once released, like 0001: it types its database as `Kysely<unknown>`.
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 * @module
 */
import { sql, type Kysely } from 'kysely'

/**
 * Adds the Messages and Server-Provided Files tables and the new columns and indexes.
 *
 * @see CDS-WG1-02 §6 Messages API
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // CDS-WG1-02 §7.1 (R1-02-7.1-04): a disabled Client object's secrets report when it was disabled.
  await db.schema.alterTable('clients').addColumn('disabled_at', 'timestamptz').execute()
  // CDS-WG1-02 §5.1 (R1-02-5.1-14): per-Client-object Scope Description overrides set by the
  // operator (narrower coverages, other limits), keyed by scope id; null when the public ones apply.
  await db.schema
    .alterTable('clients')
    .addColumn('scope_overrides', 'jsonb', (c) => c.check(sql.raw(`jsonb_typeof(scope_overrides) = 'object'`)))
    .execute()
  // CDS-WG1-02 §5.3: listings are per registration, newest cds_modified first, client_id as tie-break.
  await sql`create index clients_listing_idx on clients (registration_id, cds_modified desc, client_id desc)`.execute(db)

  // CDS-WG1-02 §7.1: the Credentials API shows `client_secret`; it is kept sealed (AES-256-GCM under
  // the server's secret key) beside the digest the token endpoint compares against. Null when the
  // server is configured to show secrets only once.
  await db.schema.alterTable('credentials').addColumn('client_secret_sealed', 'text').execute()
  await sql`create index credentials_listing_idx on credentials (client_id, modified desc, credential_id desc)`.execute(db)
  await sql`create index credentials_created_idx on credentials (created)`.execute(db)

  // CDS-WG1-02 §8.1: `replacing` holds the grant_ids this Grant supersedes (`replaced_by` is the
  // reverse lookup); §8.3: the customer who authorized a Grant (null for server-created ones).
  await db.schema
    .alterTable('grants')
    .addColumn('replacing', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`).check(sql.raw(`jsonb_typeof(replacing) = 'array'`)))
    .addColumn('customer_id', 'text')
    .execute()
  await sql`create index grants_listing_idx on grants (client_id, modified desc, grant_id desc)`.execute(db)
  await sql`create index grants_created_idx on grants (created)`.execute(db)
  await sql`create index grants_status_idx on grants (status)`.execute(db)
  await sql`create index grants_receipt_confirmations_idx on grants using gin (receipt_confirmations jsonb_path_ops)`.execute(db)
  await sql`create index grants_replacing_idx on grants using gin (replacing jsonb_path_ops)`.execute(db)

  // CDS-WG1-02 §6.1: one row per Message; `uri` and `previous_uri` derive from the ids.
  await db.schema
    .createTable('messages')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('registration_id', 'text', (c) => c.notNull())
    .addColumn('previous_id', 'text', (c) => c.references('messages.message_id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('read', 'boolean', (c) => c.notNull())
    .addColumn('creator', 'text')
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('modified', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('updates_requested', 'jsonb', (c) => c.check(sql.raw(`jsonb_typeof(updates_requested) = 'array'`)))
    .addColumn('grants_requested', 'jsonb', (c) => c.check(sql.raw(`jsonb_typeof(grants_requested) = 'array'`)))
    .addColumn('related_uri', 'text')
    .addColumn('related_type', 'text')
    .addColumn('amount', 'numeric')
    .addColumn('currency', 'text')
    .addColumn('attachment_count', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  // CDS-WG1-02 §6.8: three listings (outstanding, unread, read), each newest `modified` first.
  await sql`create index messages_listing_idx on messages (registration_id, modified desc, message_id desc)`.execute(db)
  await sql`create index messages_unread_idx on messages (registration_id, read, modified desc, message_id desc)`.execute(db)
  await sql`create index messages_outstanding_idx on messages (registration_id, modified desc, message_id desc) where status in ('open', 'pending')`.execute(db)
  await db.schema.createIndex('messages_previous_id_idx').on('messages').column('previous_id').execute()

  // CDS-WG1-02 §6.7: attachments as bytes (Base64 only on the wire).
  await db.schema
    .createTable('message_attachments')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.message_id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_attachments_pk', ['message_id', 'position'])
    .execute()

  // CDS-WG1-02 §9.1: file metadata; the bytes live in `file_chunks` so downloads stream.
  await db.schema
    .createTable('server_provided_files')
    .addColumn('file_id', 'text', (c) => c.primaryKey())
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('modified', 'timestamptz', (c) => c.notNull())
    .addColumn('mime_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().check(sql.raw('size >= 0')))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .execute()
  await sql`create index server_provided_files_listing_idx on server_provided_files (modified desc, file_id desc)`.execute(db)
  await db.schema
    .createTable('file_chunks')
    .addColumn('file_id', 'text', (c) => c.notNull().references('server_provided_files.file_id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_chunks_pk', ['file_id', 'seq'])
    .execute()
}

/** Reverts {@link up}. */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['file_chunks', 'server_provided_files', 'message_attachments', 'messages']) {
    await db.schema.dropTable(table).execute()
  }
  for (const index of ['grants_listing_idx', 'grants_created_idx', 'grants_status_idx', 'grants_receipt_confirmations_idx', 'grants_replacing_idx']) {
    await db.schema.dropIndex(index).execute()
  }
  await db.schema.alterTable('grants').dropColumn('replacing').dropColumn('customer_id').execute()
  await db.schema.dropIndex('credentials_listing_idx').execute()
  await db.schema.dropIndex('credentials_created_idx').execute()
  await db.schema.alterTable('credentials').dropColumn('client_secret_sealed').execute()
  await db.schema.dropIndex('clients_listing_idx').execute()
  await db.schema.alterTable('clients').dropColumn('disabled_at').dropColumn('scope_overrides').execute()
}
