/**
 * Random values, hashing for storage and constant-time comparison: the only place the server
 * touches cryptography. It uses `node:crypto`, so `@cds-ts/auth` runs on Node.js only (20.19 or later).
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 * @module
 */
import { createHash, randomBytes, timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto'

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
