import { describe, expect, it } from 'vitest'
import { thrown } from '../test/_setup.js'
import { codeChallengeS256 } from './crypto.js'
import { InvalidGrant, InvalidRequest } from './errors.js'
import { CODE_CHALLENGE_METHODS_SUPPORTED, CODE_VERIFIER_PATTERN, checkCodeChallenge, verifyPkce } from './pkce.js'

// RFC 7636 Appendix B.
const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'
const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM'

describe('CDS-WG1-02 §3.4 code challenge methods', () => {
  it('R1-02-3.4-11 offers S256 and never plain', () => {
    expect(CODE_CHALLENGE_METHODS_SUPPORTED).toEqual(['S256'])
  })
})

describe('RFC 7636 §4.4.1 checking the challenge (CDS-WG1-02 §3.4)', () => {
  it('RFC7636-01 accepts an S256 challenge', () => {
    expect(checkCodeChallenge({ code_challenge: challenge, code_challenge_method: 'S256' })).toEqual({
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })
  })

  it('RFC7636-02 R1-02-3.4-11 refuses plain with invalid_request', () => {
    const err = thrown(() => checkCodeChallenge({ code_challenge: challenge, code_challenge_method: 'plain' }))
    expect(err).toBeInstanceOf(InvalidRequest)
    expect(err).toMatchObject({ error: 'invalid_request', status: 400 })
    expect(err.error_description).toContain('transform algorithm not supported')
  })

  it('RFC7636-02 refuses other methods, including lowercase s256', () => {
    expect(thrown(() => checkCodeChallenge({ code_challenge: challenge, code_challenge_method: 's256' })).error).toBe('invalid_request')
    expect(thrown(() => checkCodeChallenge({ code_challenge: challenge, code_challenge_method: 'S512' })).error).toBe('invalid_request')
  })

  it('RFC7636-03 R1-02-3.4-11 refuses a challenge without a method (the default would be plain)', () => {
    const err = thrown(() => checkCodeChallenge({ code_challenge: challenge }))
    expect(err).toMatchObject({ error: 'invalid_request', status: 400 })
    expect(thrown(() => checkCodeChallenge({ code_challenge: challenge, code_challenge_method: '' })).error).toBe('invalid_request')
  })

  it('RFC7636-04 A-08 refuses a missing challenge by default', () => {
    const err = thrown(() => checkCodeChallenge({}))
    expect(err).toMatchObject({ error: 'invalid_request', error_description: 'code challenge required' })
    expect(thrown(() => checkCodeChallenge({ code_challenge: '' })).error).toBe('invalid_request')
  })

  it('A-08 lets a relaxed caller go without PKCE', () => {
    expect(checkCodeChallenge({}, { required: false })).toBeUndefined()
  })

  it('refuses a method without a challenge, even when relaxed', () => {
    expect(thrown(() => checkCodeChallenge({ code_challenge_method: 'S256' }, { required: false })).error).toBe('invalid_request')
  })

  it('RFC 7636 §4.2 refuses a challenge that is not a 43-character base64url digest', () => {
    for (const bad of [challenge.slice(1), `${challenge}A`, `${challenge.slice(0, 42)}=`, challenge.replace('-', '+'), verifier + verifier]) {
      expect(thrown(() => checkCodeChallenge({ code_challenge: bad, code_challenge_method: 'S256' })).error, bad).toBe('invalid_request')
    }
  })
})

describe('RFC 7636 §4.6 verifying the verifier', () => {
  it('RFC7636-01 accepts the matching verifier', () => {
    expect(() => {
      verifyPkce(verifier, challenge)
    }).not.toThrow()
    const long = 'a'.repeat(128)
    expect(() => {
      verifyPkce(long, codeChallengeS256(long))
    }).not.toThrow()
  })

  it('RFC7636-05 refuses a wrong verifier with invalid_grant', () => {
    const err = thrown(() => {
      verifyPkce(`${verifier.slice(0, -1)}A`, challenge)
    })
    expect(err).toBeInstanceOf(InvalidGrant)
    expect(err).toMatchObject({ error: 'invalid_grant', status: 400, error_description: 'PKCE verification failed' })
  })

  it('RFC7636-05 refuses a missing verifier with invalid_grant', () => {
    expect(
      thrown(() => {
        verifyPkce(undefined, challenge)
      }).error,
    ).toBe('invalid_grant')
    expect(
      thrown(() => {
        verifyPkce('', challenge)
      }).error,
    ).toBe('invalid_grant')
  })

  it('RFC7636-05 RFC 7636 §4.1 refuses verifiers outside the grammar even when their digest matches', () => {
    for (const bad of ['a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)} `, `${'a'.repeat(42)}+`, `${'a'.repeat(42)}é`]) {
      expect(CODE_VERIFIER_PATTERN.test(bad), bad).toBe(false)
      expect(
        thrown(() => {
          verifyPkce(bad, codeChallengeS256(bad))
        }).error,
        bad,
      ).toBe('invalid_grant')
    }
  })

  it('RFC 7636 §4.1 accepts every unreserved character', () => {
    const all = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'
    expect(() => {
      verifyPkce(all, codeChallengeS256(all))
    }).not.toThrow()
  })

  it('RFC7636-06 refuses a verifier for a code issued without a challenge', () => {
    expect(
      thrown(() => {
        verifyPkce(verifier, null)
      }).error,
    ).toBe('invalid_grant')
  })

  it('A-08 passes when neither side used PKCE', () => {
    expect(() => {
      verifyPkce(undefined, null)
    }).not.toThrow()
  })
})
