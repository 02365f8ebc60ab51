import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  codeChallengeS256,
  hashSecret,
  OPAQUE_VALUE_BYTES,
  openSecret,
  randomOpaqueValue,
  SEALED_SECRET_VERSION,
  sealSecret,
  timingSafeEqual,
  verifySecret,
} from './crypto.js'

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

describe('CDS-WG1-02 §7.1 sealing secrets for display', () => {
  const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString('base64url')
  const otherKey = randomOpaqueValue()

  it('R1-02-7.6-08 opens to the very secret that was sealed', () => {
    const secret = randomOpaqueValue()
    const sealed = sealSecret(secret, key)
    expect(openSecret(sealed, key)).toBe(secret)
    expect(openSecret(sealSecret('ünïcødé secret', key), key)).toBe('ünïcødé secret')
  })

  it('writes versioned URL-safe text that does not contain the secret', () => {
    const secret = randomOpaqueValue()
    const sealed = sealSecret(secret, key)
    expect(SEALED_SECRET_VERSION).toBe('v1')
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain(secret)
    // 12-byte IV + 43-byte secret + 16-byte tag.
    expect(Buffer.from(sealed.slice(3), 'base64url')).toHaveLength(12 + 43 + 16)
  })

  it('uses a fresh random IV on every call', () => {
    const secret = randomOpaqueValue()
    const sealed = new Set(Array.from({ length: 100 }, () => sealSecret(secret, key)))
    expect(sealed.size).toBe(100)
    const ivs = new Set([...sealed].map((s) => Buffer.from(s.slice(3), 'base64url').subarray(0, 12).toString('hex')))
    expect(ivs.size).toBe(100)
  })

  it('refuses another key', () => {
    const sealed = sealSecret('secret', key)
    expect(() => openSecret(sealed, otherKey)).toThrow(new TypeError('the sealed secret does not open with this key (wrong key or altered value)'))
  })

  it('refuses an altered value, an unknown version and a truncated value', () => {
    const sealed = sealSecret('secret', key)
    const bytes = Buffer.from(sealed.slice(3), 'base64url')
    bytes[14] = (bytes[14] ?? 0) ^ 1
    expect(() => openSecret(`v1.${bytes.toString('base64url')}`, key)).toThrow(/does not open/)
    expect(() => openSecret(`v2.${sealed.slice(3)}`, key)).toThrow(new TypeError('not a sealed secret of a known version'))
    expect(() => openSecret(sealed.slice(3), key)).toThrow(/known version/)
    expect(() => openSecret('v1.AAAA', key)).toThrow(new TypeError('the sealed secret is truncated'))
    expect(() => openSecret('v1.not base64!', key)).toThrow(/known version/)
  })

  it('accepts only a 32-byte base64url key', () => {
    const message = 'a sealing key is 32 random bytes written as base64url without padding (43 characters)'
    expect(() => sealSecret('secret', 'short')).toThrow(new TypeError(message))
    expect(() => sealSecret('secret', `${key}=`)).toThrow(new TypeError(message))
    expect(() => sealSecret('secret', Buffer.alloc(32).toString('base64'))).toThrow(new TypeError(message))
    expect(() => sealSecret('secret', randomBytes48())).toThrow(new TypeError(message))
    expect(() => openSecret(sealSecret('secret', key), 'short')).toThrow(new TypeError(message))
  })
})

function randomBytes48(): string {
  return Buffer.alloc(48, 7).toString('base64url')
}
