/**
 * PKCE (RFC 7636) with the `S256` method, which is the one CDS servers offer for the
 * authorization code flow (CDS-WG1-02 §3.4 `code_challenge_methods_supported`), and the random
 * `state` of an authorization request. WebCrypto only (`crypto.getRandomValues`,
 * `crypto.subtle.digest`), so it runs in browsers and Node alike.
 *
 * @module
 */

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc4648#section-5 | RFC 4648 §5}
 * @internal
 */
export function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function randomBase64url(bytes: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/**
 * A fresh PKCE `code_verifier`: 32 random bytes, base64url (43 characters of the unreserved set).
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.1 | RFC 7636 §4.1}
 */
export function generateCodeVerifier(): string {
  return randomBase64url(32)
}

/**
 * The `S256` `code_challenge` of a verifier: base64url of its SHA-256 digest.
 *
 * @example
 * ```ts
 * const code_verifier = generateCodeVerifier()
 * const code_challenge = await calculateCodeChallenge(code_verifier)
 * ```
 * @throws {TypeError} when the verifier is not 43–128 unreserved characters (RFC 7636 §4.1)
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.2 | RFC 7636 §4.2}
 */
export async function calculateCodeChallenge(codeVerifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(codeVerifier)) throw new TypeError('a code_verifier is 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)')
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(codeVerifier))
  return base64url(new Uint8Array(digest))
}

/**
 * A fresh `state` for an authorization request: 16 random bytes, base64url. The Client keeps it
 * and compares it with the one that comes back to the redirect URI (CSRF protection).
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-10.12 | RFC 6749 §10.12}
 */
export function generateState(): string {
  return randomBase64url(16)
}
