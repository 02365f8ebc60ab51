/**
 * Random values, hashing for storage and constant-time comparison: the only place the server
 * touches cryptography. It uses `node:crypto`, so `@cds-ts/auth` runs on Node.js only (20.19 or later).
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto'

/**
 * Bytes of entropy in every value {@link randomOpaqueValue} makes: 32 bytes, 256 bits.
 */
export const OPAQUE_VALUE_BYTES = 32

/**
 * A fresh 256-bit random value as base64url without padding (43 characters of `[A-Za-z0-9_-]`).
 * Used for client secrets, access and refresh tokens, authorization codes and `request_uri`
 * handles. The alphabet needs no escaping in a form body, a Basic header or a URL.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-10.10 | RFC 6749 §10.10}
 */
export function randomOpaqueValue(): string {
  // CDS-WG1-02 §7.1 (R1-02-7.1-02): a secret must be sufficiently random; RFC 6749 §10.10 asks for
  // guessing odds of at most 2^-128 for tokens and codes; 256 bits from the CSPRNG meet both.
  return randomBytes(OPAQUE_VALUE_BYTES).toString('base64url')
}

/**
 * The SHA-256 digest of a value, as base64url without padding (43 characters): what storage
 * keeps instead of a secret, token, code or `request_uri` handle. The inputs are 256-bit random
 * values, so a fast unsalted hash is enough: a stolen digest cannot be reversed by guessing.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-10.3 | RFC 6749 §10.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6819#section-5.1.4.1.3 | RFC 6819 §5.1.4.1.3}
 */
export function hashSecret(value: string): string {
  return sha256(value).toString('base64url')
}

/**
 * Compares two strings in time that does not depend on where they differ or on their lengths:
 * both sides are reduced to SHA-256 digests of equal length first, which Node's
 * `crypto.timingSafeEqual` then compares.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6819#section-5.1.4.1.3 | RFC 6819 §5.1.4.1.3}
 */
export function timingSafeEqual(a: string, b: string): boolean {
  return nodeTimingSafeEqual(sha256(a), sha256(b))
}

/**
 * Whether a presented secret matches a stored {@link hashSecret} digest, compared in constant time.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export function verifySecret(presented: string, storedHash: string): boolean {
  return timingSafeEqual(hashSecret(presented), storedHash)
}

/**
 * The PKCE `S256` transform: BASE64URL(SHA-256(ASCII(code_verifier))) without padding. Checking
 * the verifier's grammar is `pkce.ts`'s job.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.2 | RFC 7636 §4.2}
 */
export function codeChallengeS256(code_verifier: string): string {
  return createHash('sha256').update(code_verifier, 'ascii').digest('base64url')
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest()
}

/** The version tag that starts every {@link sealSecret} output; a later format gets another tag. */
export const SEALED_SECRET_VERSION = 'v1'

const SEAL_KEY_BYTES = 32
const SEAL_IV_BYTES = 12
const SEAL_TAG_BYTES = 16
const BASE64URL = /^[A-Za-z0-9_-]*$/

/** The 32-byte AES-256 key of a base64url text, or a `TypeError`. */
function sealingKey(key: string): Buffer {
  const bytes = BASE64URL.test(key) ? Buffer.from(key, 'base64url') : Buffer.alloc(0)
  // Only the canonical base64url form of exactly 32 bytes is a key (43 characters, no padding).
  if (bytes.length !== SEAL_KEY_BYTES || bytes.toString('base64url') !== key) {
    throw new TypeError('a sealing key is 32 random bytes written as base64url without padding (43 characters)')
  }
  return bytes
}

/**
 * Encrypts a secret for storage with AES-256-GCM under `key` (32 bytes, base64url), so the server
 * can show it again later (CDS-WG1-02 §7.1 asks the Credentials API to include `client_secret`).
 * Each call draws a fresh random 96-bit IV, so sealing the same secret twice gives two different
 * outputs. The output is `v1.` followed by base64url of IV ‖ ciphertext ‖ 128-bit tag: URL-safe
 * text that fits a `text` column. The digest from {@link hashSecret} stays what the token endpoint
 * compares; the sealed copy is only ever opened for display.
 *
 * @example
 * ```ts
 * const sealed = sealSecret(client_secret, config.client_management.secret_key)
 * openSecret(sealed, config.client_management.secret_key) === client_secret // true
 * ```
 * @throws {TypeError} when the key is not 32 bytes of base64url
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 * @see {@link https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf | NIST SP 800-38D §8.2 (96-bit IVs)}
 */
export function sealSecret(secret: string, key: string): string {
  const iv = randomBytes(SEAL_IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', sealingKey(key), iv)
  // The version tag is authenticated too, so a sealed value cannot be relabelled as another format.
  cipher.setAAD(Buffer.from(SEALED_SECRET_VERSION, 'ascii'))
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()])
  return `${SEALED_SECRET_VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`
}

/**
 * Decrypts a value written by {@link sealSecret} with the same key.
 *
 * @throws {TypeError} when the key is malformed, the value is not a sealed secret of a known
 * version, or it fails authentication (another key, or altered bytes)
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export function openSecret(sealed: string, key: string): string {
  const keyBytes = sealingKey(key)
  const dot = sealed.indexOf('.')
  const version = dot === -1 ? '' : sealed.slice(0, dot)
  const payload = dot === -1 ? '' : sealed.slice(dot + 1)
  if (version !== SEALED_SECRET_VERSION || !BASE64URL.test(payload)) throw new TypeError('not a sealed secret of a known version')
  const bytes = Buffer.from(payload, 'base64url')
  if (bytes.length < SEAL_IV_BYTES + SEAL_TAG_BYTES) throw new TypeError('the sealed secret is truncated')
  const iv = bytes.subarray(0, SEAL_IV_BYTES)
  const tag = bytes.subarray(bytes.length - SEAL_TAG_BYTES)
  const body = bytes.subarray(SEAL_IV_BYTES, bytes.length - SEAL_TAG_BYTES)
  const decipher = createDecipheriv('aes-256-gcm', keyBytes, iv, { authTagLength: SEAL_TAG_BYTES })
  decipher.setAAD(Buffer.from(SEALED_SECRET_VERSION, 'ascii'))
  decipher.setAuthTag(tag)
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
  } catch {
    throw new TypeError('the sealed secret does not open with this key (wrong key or altered value)')
  }
}
