/**
 * PKCE (RFC 7636) as CDS profiles it: `S256` only. The authorization side checks the challenge
 * ({@link checkCodeChallenge}); the token side checks the verifier against it ({@link verifyPkce}).
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636 | RFC 7636}
 * @module
 */
import { codeChallengeS256, timingSafeEqual } from './crypto.js'
import { InvalidGrant, InvalidRequest } from './errors.js'

/**
 * The code challenge methods a CDS server offers: only `S256`. Use it for
 * `code_challenge_methods_supported` of every Scope Description with `authorization_code`.
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export const CODE_CHALLENGE_METHODS_SUPPORTED: readonly ['S256'] = Object.freeze(['S256'] as const)

/**
 * `code_verifier` grammar: 43 to 128 unreserved characters.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.1 | RFC 7636 §4.1}
 */
export const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/

/**
 * `code_challenge` grammar under `S256`: the base64url SHA-256 digest, exactly 43 characters.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.2 | RFC 7636 §4.2}
 */
export const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** The PKCE parameters of an authorization or pushed authorization request, as received. */
export interface CodeChallengeParameters {
  code_challenge?: string | undefined
  code_challenge_method?: string | undefined
}

/** A checked PKCE challenge, ready to store with the authorization code. */
export interface CodeChallenge {
  code_challenge: string
  code_challenge_method: 'S256'
}

/** Options of {@link checkCodeChallenge}. */
export interface CheckCodeChallengeOptions {
  /**
   * Whether a request without `code_challenge` is refused. Default `true`. Only a
   * confidential client may be relaxed; a public client always needs PKCE (RFC 7636 §1, A-08).
   */
  required?: boolean
}

/**
 * Checks the PKCE parameters of an authorization request or a pushed authorization request.
 * Returns the challenge to bind to the code, `undefined` when PKCE was absent and not required,
 * or throws `InvalidRequest`, which the authorization endpoint redirects (RFC 7636 §4.4.1) and
 * the PAR endpoint returns as JSON (RFC 9126 §2.3).
 *
 * @example
 * ```ts
 * const pkce = checkCodeChallenge({ code_challenge, code_challenge_method })
 * ```
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1 | RFC 7636 §4.4.1}
 */
export function checkCodeChallenge(parameters: CodeChallengeParameters, options: CheckCodeChallengeOptions = {}): CodeChallenge | undefined {
  const required = options.required ?? true
  // RFC 6749 §3.1: a parameter sent without a value is treated as omitted.
  const code_challenge = parameters.code_challenge === '' ? undefined : parameters.code_challenge
  const method = parameters.code_challenge_method === '' ? undefined : parameters.code_challenge_method

  if (code_challenge === undefined) {
    if (method !== undefined) throw new InvalidRequest('code_challenge_method was sent without code_challenge')
    // CDS-WG1-02 §3.4 (R1-02-3.4-11), A-08: PKCE is required for every code flow unless relaxed by configuration.
    if (required) throw new InvalidRequest('code challenge required')
    return undefined
  }
  // CDS-WG1-02 §3.4 (R1-02-3.4-11): a missing method means `plain` (RFC 7636 §4.3), which CDS never accepts.
  if (method === undefined) throw new InvalidRequest('code_challenge_method is required and must be S256')
  // CDS-WG1-02 §3.4 (R1-02-3.4-11): `S256` only; RFC 7636 §4.4.1 names the error for other methods.
  if (method !== 'S256') throw new InvalidRequest('transform algorithm not supported: code_challenge_method must be S256')
  // RFC 7636 §4.2: an S256 challenge is the 43-character base64url digest.
  if (!CODE_CHALLENGE_PATTERN.test(code_challenge)) throw new InvalidRequest('code_challenge is not a base64url SHA-256 digest')
  return { code_challenge, code_challenge_method: 'S256' }
}

/**
 * Checks a token request's `code_verifier` against the challenge stored with the code, in
 * constant time. A missing, malformed or wrong verifier, or a verifier for a code issued without a
 * challenge, throws `InvalidGrant` (RFC 7636 §4.6). When neither side has PKCE (a relaxed
 * confidential client, A-08) it returns without a check.
 *
 * @example
 * ```ts
 * verifyPkce(body.code_verifier, code.code_challenge)
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.6 | RFC 7636 §4.6}
 */
export function verifyPkce(code_verifier: string | undefined, code_challenge: string | null | undefined): void {
  const verifier = code_verifier === '' ? undefined : code_verifier
  const challenge = code_challenge === '' || code_challenge === null ? undefined : code_challenge
  if (challenge === undefined) {
    // RFC 9700 §2.1.1: a verifier for a code issued without a challenge is refused, so an attacker
    // cannot pair a stolen code with a verifier of their own.
    if (verifier !== undefined) throw new InvalidGrant('code_verifier was sent for a code issued without code_challenge')
    return
  }
  // RFC 7636 §4.5, §4.6: the verifier is required once the code carries a challenge.
  if (verifier === undefined) throw new InvalidGrant('code_verifier is required')
  // RFC 7636 §4.1: 43 to 128 unreserved characters.
  if (!CODE_VERIFIER_PATTERN.test(verifier)) throw new InvalidGrant('code_verifier must be 43 to 128 unreserved characters')
  // RFC 7636 §4.6: S256 of the verifier must equal the stored challenge.
  if (!timingSafeEqual(codeChallengeS256(verifier), challenge)) throw new InvalidGrant('PKCE verification failed')
}
