import { describe, expect, it } from 'vitest'
import { hashPassword, SCRYPT_PARAMETERS, verifyNoPassword, verifyPassword } from './passwords.js'

// Cheap parameters where the cost itself is not under test.
const FAST = { N: 2 ** 10, r: 8, p: 1 }

describe('CDS-WG3-01 §9.1.2 customer passwords (scrypt)', () => {
  it('writes scrypt$N$r$p$salt$hash with the default cost and a 128-bit salt', async () => {
    const stored = await hashPassword('demo-custa-password')
    const parts = stored.split('$')
    expect(parts).toHaveLength(6)
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(SCRYPT_PARAMETERS.N), String(SCRYPT_PARAMETERS.r), String(SCRYPT_PARAMETERS.p)])
    expect(Buffer.from(parts[4]!, 'base64url')).toHaveLength(16)
    expect(Buffer.from(parts[5]!, 'base64url')).toHaveLength(32)
    expect(stored).not.toContain('demo-custa-password')
    expect(await verifyPassword('demo-custa-password', stored)).toBe(true)
  })

  it('accepts only the same password', async () => {
    const stored = await hashPassword('correct horse', FAST)
    expect(await verifyPassword('correct horse', stored)).toBe(true)
    expect(await verifyPassword('correct horse ', stored)).toBe(false)
    expect(await verifyPassword('Correct horse', stored)).toBe(false)
    expect(await verifyPassword('', stored)).toBe(false)
  })

  it('salts every hash: the same password hashes differently each time, and both verify', async () => {
    const a = await hashPassword('same', FAST)
    const b = await hashPassword('same', FAST)
    expect(a).not.toBe(b)
    expect(await verifyPassword('same', a)).toBe(true)
    expect(await verifyPassword('same', b)).toBe(true)
  })

  it('reads the cost from the stored hash, so older costs keep working', async () => {
    const stored = await hashPassword('pw', { N: 2 ** 11, r: 4, p: 2 })
    expect(stored.startsWith('scrypt$2048$4$2$')).toBe(true)
    expect(await verifyPassword('pw', stored)).toBe(true)
  })

  it('treats the same text in NFC and NFD as one password', async () => {
    const stored = await hashPassword('caf\u00e9', FAST)
    expect(await verifyPassword('cafe\u0301', stored)).toBe(true)
  })

  it('never matches a malformed or hostile stored value', async () => {
    const good = await hashPassword('pw', FAST)
    const [, , r, p, salt, key] = good.split('$')
    for (const stored of [
      '',
      'pw',
      `bcrypt$1024$${r}$${p}$${salt}$${key}`,
      `scrypt$1000$${r}$${p}$${salt}$${key}`, // N not a power of two
      `scrypt$${2 ** 24}$${r}$${p}$${salt}$${key}`, // a cost that would allocate gigabytes
      `scrypt$1024$${r}$${p}$$${key}`,
      `scrypt$1024$${r}$${p}$${salt}`,
    ]) {
      expect(await verifyPassword('pw', stored)).toBe(false)
    }
  })

  it('the dummy check for an unknown login always fails', async () => {
    expect(await verifyNoPassword('anything')).toBe(false)
    expect(await verifyNoPassword('')).toBe(false)
  })
})
