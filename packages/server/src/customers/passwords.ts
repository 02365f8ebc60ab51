/**
 * Customer passwords (CDS-WG3-01 §9.1.2 leaves the login method to the server; the reference
 * server logs customers in with an e-mail address and a password). Passwords are stored only as
 * scrypt hashes from `node:crypto`, in a self-describing text:
 *
 * ```text
 * scrypt$<N>$<r>$<p>$<salt, base64url>$<hash, base64url>
 * ```
 *
 * The cost parameters travel with each hash, so they can be raised later without breaking the
 * hashes already stored. Checking a login name that does not exist runs the same scrypt work
 * against a dummy hash ({@link verifyNoPassword}), so response time does not tell whether an
 * account exists.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @see CDS-WG1-02 §11 Security Considerations
 * @module
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * scrypt cost parameters: CPU/memory cost `N` (a power of two), block size `r`, parallelism `p`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7914#section-2 | RFC 7914 §2}
 */
export interface ScryptParameters {
  N: number
  r: number
  p: number
}

/**
 * The cost of new hashes: N = 2^15, r = 8, p = 1 (32 MiB of memory per hash; about 0.1–0.2 s on a
 * small server). This is below the OWASP suggestion of N = 2^17 to keep the reference server
 * usable on two-core machines; a deployment can raise it, since every hash records its own cost.
 */
export const SCRYPT_PARAMETERS: Readonly<ScryptParameters> = Object.freeze({ N: 2 ** 15, r: 8, p: 1 })

const SALT_BYTES = 16
const KEY_BYTES = 32
const PREFIX = 'scrypt'
// The largest cost a stored hash may ask for (2^20 needs 1 GiB): a corrupted or hostile row must
// not make one login attempt allocate without bound.
const MAX_N = 2 ** 20
const MAX_R = 32
const MAX_P = 16

function derive(password: string, salt: Buffer, parameters: ScryptParameters, length: number): Promise<Buffer> {
  const options: ScryptOptions = {
    N: parameters.N,
    r: parameters.r,
    p: parameters.p,
    // scrypt needs about 128 × N × r bytes; Node refuses more than `maxmem` (default 32 MiB).
    maxmem: 256 * parameters.N * parameters.r,
  }
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => {
      if (error === null) resolve(key)
      else reject(error)
    })
  })
}

/**
 * Hashes a password for storage, with a fresh random 128-bit salt.
 *
 * @example
 * ```ts
 * const password_hash = await hashPassword('demo-custa-password') // 'scrypt$32768$8$1$…$…'
 * ```
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function hashPassword(password: string, parameters: ScryptParameters = SCRYPT_PARAMETERS): Promise<string> {
  const salt = randomBytes(SALT_BYTES)
  const key = await derive(password, salt, parameters, KEY_BYTES)
  return [PREFIX, parameters.N, parameters.r, parameters.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

/** The parts of a stored hash, or `undefined` when the text is not one {@link hashPassword} writes. */
function parseHash(stored: string): { parameters: ScryptParameters; salt: Buffer; key: Buffer } | undefined {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== PREFIX) return undefined
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^[1-9][0-9]{0,7}$/.test(part) ? Number(part) : NaN)) as [number, number, number]
  // N must be a power of two above 1 (RFC 7914 §2).
  if (!(N > 1 && N <= MAX_N && (N & (N - 1)) === 0 && r <= MAX_R && p <= MAX_P)) return undefined
  const salt = Buffer.from(parts[4] ?? '', 'base64url')
  const key = Buffer.from(parts[5] ?? '', 'base64url')
  if (salt.length === 0 || key.length === 0) return undefined
  return { parameters: { N, r, p }, salt, key }
}

/**
 * Whether `password` matches a hash written by {@link hashPassword}. The derived key is compared
 * in constant time; a malformed stored value never matches.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored)
  if (parsed === undefined) {
    // Spend the usual time anyway, so a broken row does not stand out by its speed.
    await verifyNoPassword(password)
    return false
  }
  const key = await derive(password, parsed.salt, parsed.parameters, parsed.key.length)
  return timingSafeEqual(key, parsed.key)
}

// A fixed salt for the dummy check; the result is thrown away, so it needs no secrecy.
const DUMMY_SALT = Buffer.alloc(SALT_BYTES, 0x5a)

/**
 * The scrypt work of one {@link verifyPassword} for a login that has no account: the caller
 * answers "wrong login or password" after the same delay either way (no hint that the account
 * exists). Always resolves to `false`.
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export async function verifyNoPassword(password: string): Promise<false> {
  await derive(password, DUMMY_SALT, SCRYPT_PARAMETERS, KEY_BYTES)
  return false
}
