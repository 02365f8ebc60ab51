/**
 * Opening a Customer Data API response encrypted to the Client's `jwk` (CDS-WG3-01 §7.4.6): the
 * scheme of the CDS-WG1-02 overview that A-53 adopts — ECDH-ES key agreement (RFC 7518 §4.6) with
 * A256GCM, the body replaced by ciphertext with the tag appended, its protected header and IV in
 * `X-CDS-Body-JWE-Protected-Header` and `X-CDS-Body-JWE-Initialization-Vector`, and the original
 * headers encrypted into the four `X-CDS-Header-JWE-*` headers. WebCrypto only.
 *
 * @module
 */

/** base64url without padding to bytes. */
function unb64(text: string): Uint8Array<ArrayBuffer> {
  const plain = text.replace(/-/g, '+').replace(/_/g, '/')
  const binary = atob(plain + '='.repeat((4 - (plain.length % 4)) % 4))
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

const u32 = (n: number) => new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255])

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** One JWE part pair: the protected header (base64url) and the bytes to open. */
async function open(privateKey: CryptoKey, protectedHeader: string, iv: string, sealed: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const header = JSON.parse(new TextDecoder().decode(unb64(protectedHeader))) as Record<string, unknown>
  if (header.alg !== 'ECDH-ES' || header.enc !== 'A256GCM') throw new Error(`the protected header names ${String(header.alg)}/${String(header.enc)}, not ECDH-ES/A256GCM`)
  const epk = header.epk as JsonWebKey | undefined
  if (epk === undefined) throw new Error('the protected header has no epk')
  const peer = await crypto.subtle.importKey('jwk', { kty: epk.kty, crv: epk.crv, x: epk.x, y: epk.y }, { name: 'ECDH', namedCurve: 'P-256' }, false, [])
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: peer }, privateKey, 256))
  // RFC 7518 §4.6.2: Concat KDF with SHA-256, one round for a 256-bit key.
  const algId = new TextEncoder().encode('A256GCM')
  const apu = typeof header.apu === 'string' ? unb64(header.apu) : new Uint8Array()
  const apv = typeof header.apv === 'string' ? unb64(header.apv) : new Uint8Array()
  const other = concat(u32(algId.length), algId, u32(apu.length), apu, u32(apv.length), apv, u32(256))
  const digest = await crypto.subtle.digest('SHA-256', concat(u32(1), shared, other))
  const key = await crypto.subtle.importKey('raw', digest, { name: 'AES-GCM' }, false, ['decrypt'])
  const aad = new TextEncoder().encode(protectedHeader)
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv), additionalData: aad, tagLength: 128 }, key, sealed))
}

/** What an encrypted response opens to. */
export interface Opened {
  body: string
  /** The original headers, one `Name: value` per line. */
  headers: string
}

/** Opens an encrypted response's body and headers; throws when it is not encrypted as the scheme says. */
export async function openResponse(privateKey: CryptoKey, headers: Headers, body: Uint8Array<ArrayBuffer>): Promise<Opened> {
  const need = (name: string) => headers.get(name) ?? (() => { throw new Error(`the response has no ${name} header`) })()
  const opened = await open(privateKey, need('x-cds-body-jwe-protected-header'), need('x-cds-body-jwe-initialization-vector'), body)
  const sealedHeaders = concat(unb64(need('x-cds-header-jwe-ciphertext')), unb64(need('x-cds-header-jwe-authentication-tag')))
  const openedHeaders = await open(privateKey, need('x-cds-header-jwe-protected-header'), need('x-cds-header-jwe-initialization-vector'), sealedHeaders)
  return { body: new TextDecoder().decode(opened), headers: new TextDecoder().decode(openedHeaders) }
}
