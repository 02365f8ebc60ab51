/**
 * Two end-to-end Customer Data flows: reaching an Aggregation's data (CDS-WG3-01 §10.7.7) and
 * responses encrypted to the Grant's `jwk` (§7.4.6; A-48: JWE Compact Serialization, `ECDH-ES`,
 * `A256GCM`).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { CONSENT_NEEDS, consentToken } from './consent-tokens.js'
import { check } from './kit.js'
import { fullListing, query, shown, str, strings } from './listing.js'
import { apiUrl, descriptions, directToken, fieldsOf, grantOf, type DataToken } from './tokens.js'
import { directView } from './views.js'

const b64 = (text: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
const u32 = (n: number) => new Uint8Array([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255])
const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
const lengthPrefixed = (bytes: Uint8Array) => concat(u32(bytes.length), bytes)

/** Opens the ECDH-ES + A256GCM content of a JWE (RFC 7518 §4.6, Concat KDF of §4.6.2) given its parts. */
async function open(protectedHeader: string, iv: Uint8Array<ArrayBuffer>, ciphertextAndTag: Uint8Array<ArrayBuffer>, privateKey: CryptoKey): Promise<Uint8Array> {
  const header = JSON.parse(new TextDecoder().decode(b64(protectedHeader))) as Json
  if (header.alg !== 'ECDH-ES' || header.enc !== 'A256GCM') throw new TypeError(`alg ${shown(header.alg)} / enc ${shown(header.enc)}, not ECDH-ES / A256GCM`)
  const epk = await crypto.subtle.importKey('jwk', header.epk as JsonWebKey, { name: 'ECDH', namedCurve: 'P-256' }, false, [])
  const z = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: epk }, privateKey, 256))
  const party = (value: unknown) => lengthPrefixed(typeof value === 'string' ? b64(value) : new Uint8Array())
  const other = concat(lengthPrefixed(new TextEncoder().encode('A256GCM')), party(header.apu), party(header.apv), u32(256))
  const cek = new Uint8Array(await crypto.subtle.digest('SHA-256', concat(u32(1), z, other)))
  const key = await crypto.subtle.importKey('raw', cek, 'AES-GCM', false, ['decrypt'])
  return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(protectedHeader), tagLength: 128 }, key, ciphertextAndTag))
}

/**
 * Decrypts a response body encrypted to the suite's key, in either wire format the catalogs name
 * (CDS-WG3-01 §7.4.6 defines none): a JWE in Compact Serialization (data catalog A-48), or the
 * CDS-WG1-02 overview scheme (auth catalog A-53: the body is ciphertext and tag, its protected
 * header and IV in `X-CDS-Body-JWE-Protected-Header` and `X-CDS-Body-JWE-Initialization-Vector`).
 */
export async function decryptBody(headers: Headers, body: Uint8Array<ArrayBuffer>, privateKey: CryptoKey): Promise<string> {
  const protectedHeader = headers.get('x-cds-body-jwe-protected-header')
  const iv = headers.get('x-cds-body-jwe-initialization-vector')
  if (protectedHeader !== null && iv !== null) return new TextDecoder().decode(await open(protectedHeader, b64(iv), body, privateKey))
  const parts = new TextDecoder().decode(body).trim().split('.')
  if (parts.length !== 5 || parts[1] !== '') throw new TypeError('neither the X-CDS-Body-JWE headers nor a direct-key-agreement JWE in compact serialization')
  const [header = '', , nonce = '', ciphertext = '', tag = ''] = parts
  return new TextDecoder().decode(await open(header, b64(nonce), concat(b64(ciphertext), b64(tag)), privateKey))
}

/** The checks of §10.7.7 and §7.4.6. */
export const flowChecks: readonly Check[] = [
  check('R3-01-10.7.7-01', '§10.7.7', "an Aggregation found by q leads, through its scope and Grant, to its data in the Usage Segments API", async (ctx: CheckContext) => {
    const aggregations = await directView(ctx, 'aggregations')
    const candidates = (await fullListing(ctx, aggregations, 'aggregations')).items.filter((a) => typeof a.aggregation_number === 'string' && typeof a.scope === 'string' && a.scope !== '')
    const aggregation = candidates.find((a) => (a.consent_requirements as Json[]).every((c) => !strings(c.types).includes('always'))) ?? candidates[0]
    if (aggregation === undefined) ctx.notApplicable('no visible Aggregation has a number and a scope to request')
    const number = String(aggregation.aggregation_number)
    const found = await query(ctx, aggregations, 'aggregations', { q: number })
    ctx.assert(found.items.some((a) => a.cds_aggregation_id === aggregation.cds_aggregation_id), `q=${number} does not find the Aggregation ${String(aggregation.cds_aggregation_id)}`)
    ctx.assert(Array.isArray(aggregation.consent_requirements), 'consent_requirements is not a list')
    const all = await descriptions(ctx)
    const scopeId = String(aggregation.scope).split(' ')[0] ?? ''
    const type = str(all[scopeId]?.type ?? '')
    if (!type.startsWith('cds_query_')) ctx.notApplicable(`the Aggregation's scope ${scopeId} is not a direct-access scope the suite can request`)
    const extra = ((aggregation.authorization_details ?? []) as Json[]).find((e) => e.type === scopeId) ?? {}
    const entry = fieldsOf(all[scopeId] ?? {}).has('aggregation_numbers') ? { aggregation_numbers: [number], ...extra } : extra
    const token: DataToken = await directToken(ctx, type, { key: `aggregation-flow=${number}`, entry })
    const grant = await grantOf(ctx, token)
    ctx.assert(['active', 'needs_sub_grants'].includes(String(grant.status)), `the Grant of the Aggregation's scope is ${String(grant.status)}, not active or needs_sub_grants`)
    const usage = await fullListing(ctx, token, 'usagesegments')
    if (grant.status === 'needs_sub_grants') {
      ctx.assert(strings(grant.children).length > 0, 'the needs_sub_grants Grant names no sub-Grants')
      ctx.assert(usage.items.length === 0, `before the consents the Aggregation's token reads ${usage.items.length} segment(s) (A-69)`)
      return
    }
    ctx.assert(usage.pages[0]?.response.status === 200, 'the usage listing does not answer the Aggregation token')
  }),
  check('R3-01-7.4.6-D01', '§7.4.6', 'with a P-256 jwk in the Grant, data responses are encrypted to it (ECDH-ES + A256GCM; the A-48 compact JWE or the A-53 overview headers)', async (ctx: CheckContext) => {
    const all = await descriptions(ctx)
    const usage = Object.values(all).find((d) => d.type === 'cds_usage' && fieldsOf(d).has('jwk'))
    if (usage === undefined) ctx.notApplicable('no Meter Usage scope offers the jwk field')
    const pair = await ctx.once('data:jwk', () => crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']))
    const { x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
    const jwk = { kty: 'EC', crv: 'P-256', x, y, use: 'enc', kid: 'cds-conformance-1' }
    const token = await consentToken(ctx, 'usage-jwk', [{ type: 'cds_usage', full: false, entry: { jwk, include_accounts: true } }])
    const url = await apiUrl(ctx, token, 'accounts')
    // The raw bytes: an encrypted body is not text.
    const reply = await (ctx.options.fetch ?? fetch)(url, { headers: { authorization: `Bearer ${token.token}`, accept: 'application/json' }, redirect: 'manual' })
    const bytes = new Uint8Array(await reply.arrayBuffer())
    ctx.assert(reply.status === 200, `GET ${url} answered ${reply.status}`)
    let plain = false
    try {
      JSON.parse(new TextDecoder().decode(bytes))
      plain = true
    } catch {
      // not JSON: the encrypted form
    }
    ctx.assert(!plain, `GET ${url} answered plain JSON although the Grant carries a jwk`)
    let text: string
    try {
      text = await decryptBody(reply.headers, bytes, pair.privateKey)
    } catch (error) {
      ctx.fail(`the body does not decrypt with the jwk's private key: ${(error as Error).message}`)
    }
    const body = JSON.parse(text) as Json
    ctx.assert(Array.isArray(body.accounts), 'the decrypted body is not the Accounts listing')
  }, { needs: CONSENT_NEEDS }),
]
