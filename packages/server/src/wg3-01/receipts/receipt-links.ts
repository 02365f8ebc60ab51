/**
 * Where Authorization Receipts live (CDS-WG3-01 §9.4): each at `/receipts/<token>`, a 256-bit
 * random token unrelated to the confirmation number, the Grant or the Client. The database keeps
 * the token's SHA-256 digest (to find the receipt from its URL) and a sealed copy (AES-256-GCM with
 * `client_management.secret_key`) so that newer receipts, the customer's own page and the default
 * redirect can link to it without the token ever being stored in the clear.
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 * @module
 */
import { hashSecret, openSecret } from '@cds-ts/auth'
import type { Kysely, Selectable } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { AuthorizationReceiptsTable, Database } from '../../db/database.js'

/** The path prefix of every receipt page. */
export const RECEIPTS_PATH = '/receipts'

/** A receipt row as read from `authorization_receipts`. */
export type ReceiptRow = Selectable<AuthorizationReceiptsTable>

// randomOpaqueValue() gives 43 characters of base64url; anything else cannot be a receipt token.
const TOKEN = /^[A-Za-z0-9_-]{43}$/

/**
 * The key that seals receipt tokens. Receipts need one: without it no link to a receipt could be
 * made again after it was created.
 *
 * @throws {TypeError} when `client_management.secret_key` is not configured
 */
export function receiptSealingKey(config: ServerConfig): string {
  const key = config.client_management.secret_key
  if (key === undefined) throw new TypeError('client_management.secret_key is needed to create Authorization Receipts (CDS-WG3-01 §9.4)')
  return key
}

/** The same-origin path of the receipt page of a token. */
export function receiptPath(token: string): string {
  return `${RECEIPTS_PATH}/${token}`
}

/** The absolute URL of the receipt page of a token (for emails). */
export function receiptUrlOf(config: ServerConfig, token: string): string {
  return `${config.base_url}${receiptPath(token)}`
}

/** The token of a stored receipt, opened from its sealed copy. */
export function receiptToken(config: ServerConfig, receipt: Pick<ReceiptRow, 'url_token_sealed'>): string {
  return openSecret(receipt.url_token_sealed, receiptSealingKey(config))
}

/**
 * The receipt a URL token names, or `undefined` (a malformed token is looked up never, so every
 * unknown token gets the same answer).
 *
 * @see CDS-WG3-01 §9.4 Authorization Receipt
 */
export async function findReceiptByToken(db: Kysely<Database>, token: string): Promise<ReceiptRow | undefined> {
  if (!TOKEN.test(token)) return undefined
  return db.selectFrom('authorization_receipts').selectAll().where('url_token_hash', '=', hashSecret(token)).executeTakeFirst()
}

/**
 * The newest receipt of a Grant, or `undefined` when it has none: the one no other receipt
 * supersedes (`createReceipt` marks every older one).
 */
export async function newestReceiptOf(db: Kysely<Database>, grant_id: string): Promise<ReceiptRow | undefined> {
  return db
    .selectFrom('authorization_receipts')
    .selectAll()
    .where('grant_id', '=', grant_id)
    .where('superseded_by', 'is', null)
    .orderBy('created', 'desc')
    .executeTakeFirst()
}
