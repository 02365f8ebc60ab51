import { describe, expect, it } from 'vitest'
import { base64url, calculateCodeChallenge, generateCodeVerifier, generateState } from './pkce.js'

describe('RFC 7636 PKCE S256', () => {
  it('§4.2 matches the example of RFC 7636 Appendix B', async () => {
    expect(await calculateCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
  })

  it('§4.1 makes 43-character verifiers of the unreserved set, each different', () => {
    const verifiers = new Set(Array.from({ length: 50 }, generateCodeVerifier))
    expect(verifiers.size).toBe(50)
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('§4.1 refuses a verifier outside the grammar', async () => {
    await expect(calculateCodeChallenge('short')).rejects.toThrow(TypeError)
    await expect(calculateCodeChallenge(`${'a'.repeat(42)}!`)).rejects.toThrow(TypeError)
    await expect(calculateCodeChallenge('a'.repeat(129))).rejects.toThrow(TypeError)
  })

  it('states are random and URL-safe; base64url has no padding', () => {
    expect(generateState()).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(generateState()).not.toBe(generateState())
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
  })
})
