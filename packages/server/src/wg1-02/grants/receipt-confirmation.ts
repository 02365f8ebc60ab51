/**
 * Receipt confirmation codes (CDS-WG1-02 §8.1 `receipt_confirmations`, A-43): the short code the
 * server's default redirect page shows a customer who approved an authorization, kept on the
 * Grant so the Client can find that Grant with the `receipt_confirmations` filter (§8.4).
 *
 * The code is derived from the authorization code by a one-way hash, so the receipt page can show
 * it without storing anything and without revealing the authorization code.
 *
 * @module
 */
import { hashSecret } from '@cds-ts/auth'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { toJsonText } from '../../db/json-text.js'

// Crockford's base 32: digits and capitals without I, L, O and U, so a code reads back unambiguously.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const LENGTH = 10

/**
 * The receipt confirmation code of an authorization code: ten characters of `[0-9A-Z]` (50
 * bits of a SHA-256 digest), the same every time for the same code.
 *
 * @example
 * ```ts
 * receiptConfirmation(code) // e.g. '7KQ2M9XW4D'
 * ```
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export function receiptConfirmation(code: string): string {
  const digest = Buffer.from(hashSecret(`cds-receipt-confirmation:${code}`), 'base64url')
  let bits = 0n
  for (const byte of digest.subarray(0, 8)) bits = (bits << 8n) | BigInt(byte)
  let out = ''
  for (let i = 0; i < LENGTH; i += 1) {
    out += ALPHABET[Number(bits & 31n)] ?? '0'
    bits >>= 5n
  }
  return out
}

/**
 * Adds the receipt confirmation code of an authorization code to the Grant the code belongs to
 * (A-43, R1-02-8.1-11). Bookkeeping of the approval itself, so the Grant's `modified` stays.
 *
 * @returns the receipt confirmation code, or `undefined` when the code names no Grant
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export async function recordReceiptConfirmation(db: Kysely<Database>, code: string): Promise<string | undefined> {
  const row = await db.selectFrom('authorization_codes').select('grant_id').where('code_hash', '=', hashSecret(code)).executeTakeFirst()
  if (row?.grant_id == null) return undefined
  const receipt = receiptConfirmation(code)
  // CDS-WG1-02 §8.1 (R1-02-8.1-11): the Grant lists every receipt code shown for it. One statement
  // appends it unless present, so two approvals finishing together both keep their codes.
  const result = await db
    .updateTable('grants')
    .set({ receipt_confirmations: sql<string>`receipt_confirmations || ${toJsonText([receipt])}::jsonb` })
    .where('grant_id', '=', row.grant_id)
    .where(sql<boolean>`not (receipt_confirmations @> ${toJsonText([receipt])}::jsonb)`)
    .executeTakeFirst()
  if (result.numUpdatedRows > 0n) return receipt
  const exists = await db.selectFrom('grants').select('grant_id').where('grant_id', '=', row.grant_id).executeTakeFirst()
  return exists === undefined ? undefined : receipt
}
