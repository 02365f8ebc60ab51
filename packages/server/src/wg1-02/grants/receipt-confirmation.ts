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
import type { Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import { KyselyGrantStore } from '../../db/grant-store.js'
import { inTransaction } from './grant-changes.js'

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
  return inTransaction(db, async (trx) => {
    const row = await trx.selectFrom('authorization_codes').select('grant_id').where('code_hash', '=', hashSecret(code)).executeTakeFirst()
    if (row?.grant_id == null) return undefined
    const grants = new KyselyGrantStore(trx)
    const grant = await grants.find(row.grant_id)
    if (grant === undefined) return undefined
    const receipt = receiptConfirmation(code)
    // CDS-WG1-02 §8.1 (R1-02-8.1-11): the Grant lists every receipt code shown for it.
    if (!grant.receipt_confirmations.includes(receipt)) {
      await grants.update(grant.grant_id, { receipt_confirmations: [...grant.receipt_confirmations, receipt] })
    }
    return receipt
  })
}
