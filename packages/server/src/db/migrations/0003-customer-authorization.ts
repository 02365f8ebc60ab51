/**
 * Migration 0003: what the customer side of CDS-WG3-01 §8–§9 needs on top of 0002 —
 * customers with their login and sessions, the directory of resources a customer can select on
 * the Authorization Form, pending authorization requests between the authorization endpoint and
 * the form, Authorization Receipts, the mail outbox, the Purposes of Client objects and the
 * customer's private selections on each Grant.
 *
 * Frozen once released, like 0001 and 0002: it types its database as `Kysely<unknown>`.
 *
 * @see CDS-WG3-01 §8.1 Client Object Extension
 * @see CDS-WG3-01 §9 Customer Authorizations
 * @module
 */
import { sql, type Kysely } from 'kysely'

const RESOURCE_TYPES = ['account', 'service_contract', 'service_point', 'meter_device', 'aggregation']

/**
 * Adds the customer, session, directory, interaction, receipt and outbox tables and the new
 * Client object and Grant columns.
 *
 * @see CDS-WG3-01 §9 Customer Authorizations
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // CDS-WG3-01 §8.1: the Purposes of a Client object, keyed by Purpose id; A-36: where each came
  // from ('server' for the server's defaults, 'client' for Client-written ones), kept apart
  // because the Purpose object has no such field.
  await db.schema
    .alterTable('clients')
    .addColumn('cds_purposes', 'jsonb', (c) => c.check(sql.raw(`jsonb_typeof(cds_purposes) = 'object'`)))
    .addColumn('purpose_origins', 'jsonb', (c) => c.check(sql.raw(`jsonb_typeof(purpose_origins) = 'object'`)))
    .execute()

  // A-10: the customer's selections per Request Section, private to the server (never in the
  // Grant object); the data APIs filter by them.
  await db.schema
    .alterTable('grants')
    .addColumn('selections', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`).check(sql.raw(`jsonb_typeof(selections) = 'array'`)))
    .execute()

  // CDS-WG3-01 §9.1.2: the customers who log in to approve requests. `login` is the lower-cased
  // e-mail address they log in with; the password is kept only as a scrypt hash.
  await db.schema
    .createTable('customers')
    .addColumn('customer_id', 'text', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    // §9.4: where Authorization Receipts are sent; null when there is no contact on file.
    .addColumn('email', 'text')
    // CDS-WG1-02 §3.2 (`cds_test_accounts`): sandbox Client objects may only authorize these (A-52).
    .addColumn('is_test_account', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .execute()

  // §9.1.2: sessions live in a cookie holding a random handle; only its SHA-256 digest is stored.
  await db.schema
    .createTable('customer_sessions')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.customer_id'))
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen', 'timestamptz', (c) => c.notNull())
    .addColumn('ended_at', 'timestamptz')
    .execute()
  await sql`create index customer_sessions_customer_idx on customer_sessions (customer_id)`.execute(db)

  // §9.2.3: what a customer can pick in each Selection type. The Customer Data tables of §10
  // hold the full objects; this directory holds what the form shows (A-84: display_name optional).
  await db.schema
    .createTable('customer_resources')
    .addColumn('customer_id', 'text', (c) => c.notNull().references('customers.customer_id'))
    .addColumn('resource_type', 'text', (c) => c.notNull().check(sql.raw(`resource_type in (${RESOURCE_TYPES.map((t) => `'${t}'`).join(', ')})`)))
    // account_number, contract_number, servicepoint_number, meter_number or aggregation_number.
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('address', 'text')
    .addColumn('account_number', 'text')
    .addColumn('contract_number', 'text')
    // service_types, servicepoint_types or meter_types, as the §10 objects name them.
    .addColumn('types', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    // Everything else preselection needs: programs, premise numbers, meter apps, rate plan, …
    .addColumn('attributes', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('customer_resources_pk', ['customer_id', 'resource_type', 'number'])
    .execute()

  // §9.1.1: an authorization request that passed the first checks and waits for the customer.
  // The browser holds a random handle; the row keeps the request as the client sent it (so
  // relative dates resolve at approval, CDS-WG1-02 §3.9) and where the answer goes.
  await db.schema
    .createTable('authorization_interactions')
    .addColumn('interaction_hash', 'text', (c) => c.primaryKey())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('parameters', 'jsonb', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('redirect_uri_parameter', 'text')
    .addColumn('state', 'text')
    .addColumn('customer_id', 'text')
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('completed_at', 'timestamptz')
    .execute()

  // §9.4: one row per Authorization Receipt. The page lives at a random URL: its handle is kept
  // as a digest for lookup and sealed (AES-256-GCM) so that newer receipts and the customer's own
  // pages can link to it. `snapshot` is what the form showed at approval, never reloaded.
  await db.schema
    .createTable('authorization_receipts')
    .addColumn('receipt_id', 'text', (c) => c.primaryKey())
    .addColumn('confirmation', 'text', (c) => c.notNull().unique())
    .addColumn('url_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('url_token_sealed', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text', (c) => c.notNull().references('grants.grant_id'))
    .addColumn('customer_id', 'text')
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('snapshot', 'jsonb', (c) => c.notNull())
    .addColumn('superseded_by', 'text', (c) => c.references('authorization_receipts.receipt_id'))
    .execute()
  await sql`create index authorization_receipts_grant_idx on authorization_receipts (grant_id, created desc)`.execute(db)
  await sql`create index authorization_receipts_customer_idx on authorization_receipts (customer_id, created desc)`.execute(db)

  // §9.4: customer notifications. Every message is recorded; `transport` says whether it went out
  // over SMTP or stays in the outbox (the dev outbox page of the reference server).
  await db.schema
    .createTable('outbox_emails')
    .addColumn('email_id', 'text', (c) => c.primaryKey())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text')
    .addColumn('transport', 'text', (c) => c.notNull().check(sql.raw(`transport in ('smtp', 'outbox')`)))
    .addColumn('created', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .addColumn('error', 'text')
    .execute()
  await sql`create index outbox_emails_created_idx on outbox_emails (created desc, email_id desc)`.execute(db)
}

/**
 * Removes what {@link up} added, newest first.
 *
 * @see CDS-WG3-01 §9 Customer Authorizations
 */
export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['outbox_emails', 'authorization_receipts', 'authorization_interactions', 'customer_resources', 'customer_sessions', 'customers']) {
    await db.schema.dropTable(table).execute()
  }
  await db.schema.alterTable('grants').dropColumn('selections').execute()
  await db.schema.alterTable('clients').dropColumn('cds_purposes').dropColumn('purpose_origins').execute()
}
