import { createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { grantJwk, sealResponse } from './encrypt-response.js'

const u32 = (n: number) => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(n)
  return out
}

/** Opens one part as the CDS-WG1-02 overview's Client does (ECDH-ES, Concat KDF, A256GCM). */
function open(privateKey: KeyObject, protectedHeader: string, iv: string, sealed: Buffer): string {
  const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as { alg: string; enc: string; epk: Record<string, string> }
  expect(header).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', epk: { kty: 'EC', crv: 'P-256' } })
  const shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key: header.epk as never, format: 'jwk' }) })
  const algorithm = Buffer.from('A256GCM')
  const key = createHash('sha256').update(Buffer.concat([u32(1), shared, u32(algorithm.length), algorithm, u32(0), u32(0), u32(256)])).digest()
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
  decipher.setAAD(Buffer.from(protectedHeader))
  decipher.setAuthTag(sealed.subarray(sealed.length - 16))
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8')
}

describe('CDS-WG3-01 §7.4.6 responses encrypted to the Client key (A-53)', () => {
  it('R3-01-7.4.6-12 the body and the headers open with the private key; the body is not the plain JSON', () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const jwk = { ...pair.publicKey.export({ format: 'jwk' }), use: 'enc' }
    const body = '{"accounts":[],"next":null,"previous":null}'
    const sealed = sealResponse(jwk, body, { 'Content-Type': 'application/json; charset=utf-8' })
    expect(sealed.body.toString('utf8')).not.toContain('accounts')
    const h = sealed.headers
    expect(open(pair.privateKey, h['x-cds-body-jwe-protected-header'] ?? '', h['x-cds-body-jwe-initialization-vector'] ?? '', sealed.body)).toBe(body)
    const headerPart = Buffer.concat([Buffer.from(h['x-cds-header-jwe-ciphertext'] ?? '', 'base64url'), Buffer.from(h['x-cds-header-jwe-authentication-tag'] ?? '', 'base64url')])
    expect(open(pair.privateKey, h['x-cds-header-jwe-protected-header'] ?? '', h['x-cds-header-jwe-initialization-vector'] ?? '', headerPart)).toBe('Content-Type: application/json; charset=utf-8')
  })

  it('R3-01-7.4.6-05 R3-01-7.4.6-07 the key of a Grant is its first non-null jwk; none means plain responses', () => {
    const key = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', use: 'enc' }
    const scope = (entry: Record<string, unknown>) => ({ id: 's', type: 'cds_accounts' as const, entry, includes: new Set<never>(), selections: [] })
    expect(grantJwk({ scopes: [scope({ jwk: null }), scope({ jwk: key })] })).toEqual(key)
    expect(grantJwk({ scopes: [scope({}), scope({ jwk: null })] })).toBeNull()
  })
})
