/**
 * Customer Data API bodies encrypted to the Client's key (CDS-WG3-01 §7.4.6, R3-01-7.4.6-12): when
 * the token's Grant carries a non-null `jwk`, the response keeps HTTPS and its body is additionally
 * encrypted with the scheme of the CDS-WG1-02 overview that A-53 adopts — ECDH-ES key agreement
 * with A256GCM (RFC 7518 §4.6, §5.3), a fresh ephemeral key per part. The body is replaced by the
 * ciphertext with the 16-byte tag appended, its protected header and IV go into
 * `X-CDS-Body-JWE-Protected-Header` and `X-CDS-Body-JWE-Initialization-Vector`, and the original
 * headers (one `Name: value` per line) into the four `X-CDS-Header-JWE-*` headers.
 *
 * @see CDS-WG3-01 §7.4.6 Additional JWK Encryption
 * @module
 */
import { createCipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, randomBytes } from 'node:crypto'
import type { GrantAccess } from './access-grant.js'

const b64url = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64url')

const u32 = (n: number) => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(n)
  return out
}

/** One ECDH-ES + A256GCM encryption: the protected header (base64url), IV, ciphertext and tag. */
function seal(jwk: Readonly<Record<string, unknown>>, plain: Buffer): { protectedHeader: string; iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const recipient = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as never, format: 'jwk' })
  const ephemeral = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: recipient })
  const epk = ephemeral.publicKey.export({ format: 'jwk' })
  const protectedHeader = b64url(JSON.stringify({ alg: 'ECDH-ES', enc: 'A256GCM', epk: { kty: epk.kty, crv: epk.crv, x: epk.x, y: epk.y } }))
  // RFC 7518 §4.6.2: Concat KDF (SHA-256, one round) over AlgorithmID "A256GCM", empty PartyU/PartyV, 256 bits.
  const algorithm = Buffer.from('A256GCM')
  const otherInfo = Buffer.concat([u32(algorithm.length), algorithm, u32(0), u32(0), u32(256)])
  const key = createHash('sha256').update(Buffer.concat([u32(1), shared, otherInfo])).digest()
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  // RFC 7516 §5.1: the protected header (as sent) is the additional authenticated data.
  cipher.setAAD(Buffer.from(protectedHeader))
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()])
  return { protectedHeader, iv, ciphertext, tag: cipher.getAuthTag() }
}

/** An encrypted response: the body bytes and the headers to send with it. */
export interface SealedResponse {
  body: Buffer
  headers: Record<string, string>
}

/**
 * Encrypts a response body and its headers to the Client's key.
 *
 * @example
 * ```ts
 * const sealed = sealResponse(jwk, '{"accounts":[]}', { 'Content-Type': 'application/json; charset=utf-8' })
 * ```
 * @see CDS-WG3-01 §7.4.6 Additional JWK Encryption
 */
export function sealResponse(jwk: Readonly<Record<string, unknown>>, body: string, headers: Readonly<Record<string, string>>): SealedResponse {
  const sealedBody = seal(jwk, Buffer.from(body, 'utf8'))
  const headerText = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
  const sealedHeaders = seal(jwk, Buffer.from(headerText, 'utf8'))
  return {
    body: Buffer.concat([sealedBody.ciphertext, sealedBody.tag]),
    headers: {
      'x-cds-body-jwe-protected-header': sealedBody.protectedHeader,
      'x-cds-body-jwe-initialization-vector': b64url(sealedBody.iv),
      'x-cds-header-jwe-protected-header': sealedHeaders.protectedHeader,
      'x-cds-header-jwe-initialization-vector': b64url(sealedHeaders.iv),
      'x-cds-header-jwe-ciphertext': b64url(sealedHeaders.ciphertext),
      'x-cds-header-jwe-authentication-tag': b64url(sealedHeaders.tag),
    },
  }
}

/**
 * The key a Grant's scopes carry: the first non-null `jwk` among its entries (A-54: a request has
 * one key), or `null` for plain HTTPS responses (R3-01-7.4.6-07).
 */
export function grantJwk(grant: Pick<GrantAccess, 'scopes'>): Readonly<Record<string, unknown>> | null {
  for (const scope of grant.scopes) {
    const jwk = scope.entry.jwk
    if (typeof jwk === 'object' && jwk !== null && !Array.isArray(jwk)) return jwk as Readonly<Record<string, unknown>>
  }
  return null
}
