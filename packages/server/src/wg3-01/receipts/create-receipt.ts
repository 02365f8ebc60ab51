/**
 * Creating an Authorization Receipt (CDS-WG3-01 §9.4), inside the transaction that records the
 * customer's approval (catalog D3 step 7):
 *
 * 1. a unique 12-digit confirmation number (R3-01-9.4-04), also appended to the Grant's
 *    `receipt_confirmations` so the Client knows it too (R3-01-9.4-05);
 * 2. a random 256-bit URL token, unrelated to every identifier (R3-01-9.4-06), kept only as a
 *    digest (lookup) and sealed (links);
 * 3. the snapshot of what the form showed, never reloaded later (R3-01-9.4-21, -30);
 * 4. older receipts of the same Grant marked as superseded by this one (R3-01-9.4-14, -38);
 * 5. the notification email queued in the outbox (R3-01-9.4-09..13), sent after the commit by
 *    `deliverQueuedEmails`.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import { randomInt, randomUUID } from 'node:crypto'
import { hashSecret, NotFound, randomOpaqueValue, sealSecret, type Clock } from '@cds-ts/auth'
import type { AuthorizationDetail } from '@cds-ts/schema'
import { sql, type Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database, GrantSelection, JsonText, ResourceType } from '../../db/database.js'
import { fromJsonText, toJsonText } from '../../db/json-text.js'
import { queueEmail } from '../../notifications/queue-email.js'
import { composeReceiptEmail } from '../../notifications/receipt-email.js'
import { pageContext } from '../../pages/layout.js'
import { receiptSealingKey, receiptUrlOf } from './receipt-links.js'

/**
 * The Purpose shown in a Request Section, as the customer saw it (CDS-WG3-01 §9.2.2.4).
 * `client_authored` is false for the server's default Purposes; only those may go into
 * emails (§9.4).
 *
 * @see CDS-WG3-01 §9.2.2.4 Purpose Component
 */
export interface ReceiptPurpose {
  content: string
  client_authored: boolean
  related_uri?: string
  related_name?: string
}

/**
 * The Selection component of a Request Section at approval (CDS-WG3-01 §9.2.2.3, §9.4).
 * `items` are Customer Data, shown only to the logged-in customer; `count`, `all` and the
 * include-future text are not.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export interface ReceiptSelection {
  resource_type: ResourceType
  heading: string
  /** customer-readable lines, e.g. "Service 222222 – 123 Main St (electric)" */
  items: string[]
  count: number
  all: boolean
  include_future: boolean
  include_future_text: string | null
}

/**
 * One Request Section as the form showed it (CDS-WG3-01 §9.2.1.4): data (with details),
 * durations, selection and Purpose.
 *
 * @see CDS-WG3-01 §9.2.1.4 Authorization Form Requests Container
 */
export interface ReceiptSection {
  scopes: string[]
  data: string[]
  data_details: string[]
  durations: string[]
  selection: ReceiptSelection
  purpose: ReceiptPurpose | null
}

/**
 * What the customer saw and approved, frozen at approval (§9.4). All strings are already in the
 * customer's words.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export interface ReceiptSnapshot {
  client_id: string
  client_name: string
  client_uri: string | null
  scope: string
  authorization_details: AuthorizationDetail[]
  sections: ReceiptSection[]
  terms_uri: string
  /** RFC 3339 */
  approved_at: string
}

/**
 * What the receipts table keeps: the snapshot plus the Grant's own scope, authorization details
 * and selections at that moment, so the receipt page can tell what changed since (§9.4).
 *
 * @internal
 */
export interface StoredReceiptSnapshot extends ReceiptSnapshot {
  grant_at_approval: { scope: string; authorization_details: AuthorizationDetail[]; selections: GrantSelection[] }
}

/**
 * A created receipt: its id, confirmation number and the absolute URL of its page.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export interface CreatedReceipt {
  receipt_id: string
  confirmation: string
  url: string
}

/** Options of {@link createReceipt}. */
export interface CreateReceiptOptions {
  config: ServerConfig
  clock: Clock
}

/** Input of {@link createReceipt}. */
export interface CreateReceiptInput {
  grant_id: string
  customer_id: string | null
  snapshot: ReceiptSnapshot
  /** Where the receipt email goes; `null` when the customer cannot be contacted. */
  notify_email: string | null
}

// R3-01-9.4-04: 12 digits (catalog D3 step 7), 10^12 values; a clash is retried.
const CONFIRMATION_DIGITS = 12
const CONFIRMATION_ATTEMPTS = 8

/**
 * A fresh random 12-digit confirmation number, unique among receipts. (The 10-character codes of
 * the minimal default redirect page, A-43, contain letters and cannot clash with these.)
 */
async function uniqueConfirmation(db: Kysely<Database>): Promise<string> {
  for (let attempt = 0; attempt < CONFIRMATION_ATTEMPTS; attempt += 1) {
    const confirmation = String(randomInt(0, 10 ** CONFIRMATION_DIGITS)).padStart(CONFIRMATION_DIGITS, '0')
    const taken = await db.selectFrom('authorization_receipts').select('receipt_id').where('confirmation', '=', confirmation).executeTakeFirst()
    if (taken === undefined) return confirmation
  }
  throw new Error('no free receipt confirmation number was found')
}

/**
 * Inside the caller's transaction: inserts the receipt (random URL token, hashed + sealed),
 * appends `confirmation` to the Grant's receipt_confirmations, marks the Grant's older receipts
 * superseded, and queues the customer notification in outbox_emails when `notify_email` is not
 * null. Call it after the Grant carries the approved scope, details and selections: they are
 * recorded beside the snapshot to show later changes.
 *
 * @example
 * ```ts
 * await db.transaction().execute(async (trx) => {
 *   const grant = await createGrant(trx, clock, { ... })
 *   const receipt = await createReceipt(trx, { config, clock }, { grant_id: grant.grant_id, customer_id, snapshot, notify_email })
 * })
 * await deliverQueuedEmails(db, config, clock)
 * ```
 * @throws {NotFound} when the Grant does not exist
 * @throws {TypeError} when `client_management.secret_key` is not configured
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export async function createReceipt(db: Kysely<Database>, options: CreateReceiptOptions, input: CreateReceiptInput): Promise<CreatedReceipt> {
  const { config, clock } = options
  const key = receiptSealingKey(config)
  // Locks the Grant: two approvals of the same Grant settle which receipt supersedes which in turn.
  const grant = await db
    .selectFrom('grants')
    .select(['grant_id', 'scope', 'authorization_details', 'selections'])
    .where('grant_id', '=', input.grant_id)
    .forUpdate()
    .executeTakeFirst()
  if (grant === undefined) throw new NotFound(`no Grant ${input.grant_id}`)

  const now = clock.now()
  const receipt_id = randomUUID()
  const confirmation = await uniqueConfirmation(db)
  // CDS-WG3-01 §9.4 (R3-01-9.4-06): the page address is 256 random bits, tied to nothing else.
  const token = randomOpaqueValue()
  const stored: StoredReceiptSnapshot = {
    ...input.snapshot,
    grant_at_approval: {
      scope: grant.scope,
      authorization_details: fromJsonText(grant.authorization_details),
      selections: fromJsonText(grant.selections),
    },
  }
  await db
    .insertInto('authorization_receipts')
    .values({
      receipt_id,
      confirmation,
      url_token_hash: hashSecret(token),
      url_token_sealed: sealSecret(token, key),
      grant_id: grant.grant_id,
      customer_id: input.customer_id,
      created: now,
      snapshot: toJsonText(stored) as JsonText<Record<string, unknown>>,
      superseded_by: null,
    })
    .execute()
  // CDS-WG3-01 §9.4 (R3-01-9.4-38): every earlier receipt of the Grant now points to this one.
  await db
    .updateTable('authorization_receipts')
    .set({ superseded_by: receipt_id })
    .where('grant_id', '=', grant.grant_id)
    .where('receipt_id', '!=', receipt_id)
    .execute()
  // CDS-WG3-01 §9.4 (R3-01-9.4-05): the Grant lists the number too, appended in one statement.
  // Bookkeeping of the approval itself, so `modified` stays (as for the A-43 codes).
  await db
    .updateTable('grants')
    .set({ receipt_confirmations: sql<string>`receipt_confirmations || ${toJsonText([confirmation])}::jsonb` })
    .where('grant_id', '=', grant.grant_id)
    .execute()

  const url = receiptUrlOf(config, token)
  if (input.notify_email !== null) {
    // CDS-WG3-01 §9.4 (R3-01-9.4-09, -10): with an email address on file, the notification is an email.
    const email = composeReceiptEmail(pageContext(config), { to: input.notify_email, confirmation, url, created: now, snapshot: input.snapshot })
    await queueEmail(db, config, clock, email)
  }
  return { receipt_id, confirmation, url }
}

/** The stored snapshot of a receipt row. */
export function storedSnapshot(row: { snapshot: JsonText<Record<string, unknown>> }): StoredReceiptSnapshot {
  return fromJsonText(row.snapshot) as unknown as StoredReceiptSnapshot
}
