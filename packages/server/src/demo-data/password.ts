/**
 * The one documented password of every generated demo customer, hashed once per seed with a salt
 * derived from the seed: the hash is in the format `customers/passwords.ts` writes and verifies,
 * and the same seed gives the same row byte for byte. The password is public by design (demo and
 * test servers only), so a predictable salt gives nothing away.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */
import { createHash, scrypt } from 'node:crypto'
import { SCRYPT_PARAMETERS } from '../customers/passwords.js'

/** The password of every generated demo customer (published on the docs page "Demo data"). */
export const DEMO_CUSTOMER_PASSWORD = 'demo-customer-password'

const hashes = new Map<string, Promise<string>>()

/** `scrypt$N$r$p$salt$hash` of {@link DEMO_CUSTOMER_PASSWORD} for this seed (computed once per process). */
export function demoCustomerPasswordHash(seed: string): Promise<string> {
  let hash = hashes.get(seed)
  if (hash === undefined) {
    const salt = createHash('sha256').update(`${seed}\0password-salt`).digest().subarray(0, 16)
    const { N, r, p } = SCRYPT_PARAMETERS
    hash = new Promise<string>((resolve, reject) => {
      scrypt(DEMO_CUSTOMER_PASSWORD.normalize('NFC'), salt, 32, { N, r, p, maxmem: 256 * N * r }, (error, key) => {
        if (error === null) resolve(['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$'))
        else reject(error)
      })
    })
    hashes.set(seed, hash)
    void hash.catch(() => hashes.delete(seed))
  }
  return hash
}
