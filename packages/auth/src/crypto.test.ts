import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { codeChallengeS256, hashSecret, OPAQUE_VALUE_BYTES, randomOpaqueValue, timingSafeEqual, verifySecret } from './crypto.js'

describe('CDS-WG1-02 §7.1 random opaque values', () => {
  it('R1-02-7.1-02 are 256-bit base64url strings of 43 characters', () => {
    expect(OPAQUE_VALUE_BYTES).toBe(32)
    const value = randomOpaqueValue()
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(value, 'base64url')).toHaveLength(32)
  })

  it('R1-02-7.1-02 are distinct across calls', () => {
    const values = new Set(Array.from({ length: 1000 }, () => randomOpaqueValue()))
    expect(values.size).toBe(1000)
  })

  it('A-38 need no escaping in a form body, a Basic header or a URL', () => {
    const value = randomOpaqueValue()
    expect(encodeURIComponent(value)).toBe(value)
    expect(new URLSearchParams({ v: value }).toString()).toBe(`v=${value}`)
  })
})

describe('RFC 6819 §5.1.4.1.3 hashing for storage', () => {
  it('hashSecret is the base64url SHA-256 digest', () => {
    expect(hashSecret('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0')
    expect(hashSecret('abc')).toBe(createHash('sha256').update('abc').digest('base64url'))
  })

  it('hashSecret is deterministic and differs for different values', () => {
    const value = randomOpaqueValue()
    expect(hashSecret(value)).toBe(hashSecret(value))
    expect(hashSecret(value)).not.toBe(hashSecret(`${value}x`))
    expect(hashSecret(value)).not.toContain(value)
  })

  it('verifySecret accepts the secret of a stored hash and nothing else', () => {
    const secret = randomOpaqueValue()
    const stored = hashSecret(secret)
    expect(verifySecret(secret, stored)).toBe(true)
    expect(verifySecret(`${secret} `, stored)).toBe(false)
    expect(verifySecret('', stored)).toBe(false)
    expect(verifySecret(secret, '')).toBe(false)
  })
})

describe('constant-time comparison', () => {
  it('timingSafeEqual compares content, whatever the lengths', () => {
    expect(timingSafeEqual('same', 'same')).toBe(true)
    expect(timingSafeEqual('same', 'Same')).toBe(false)
    expect(timingSafeEqual('short', 'a much longer string')).toBe(false)
    expect(timingSafeEqual('', '')).toBe(true)
    expect(timingSafeEqual('é', 'é')).toBe(true)
  })
})

describe('RFC 7636 §4.2 S256 transform', () => {
  it('matches the RFC 7636 Appendix B example', () => {
    expect(codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  })
})
