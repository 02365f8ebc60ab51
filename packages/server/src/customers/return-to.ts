/**
 * Where the login, cancel and logout routes send the browser afterwards: only a path on this
 * server (never an open redirect), with `login=cancelled` added when the customer gave up
 * (CDS-WG3-01 §9.1.2).
 *
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */

/** Where the customer goes after logging in when no (acceptable) `return_to` was given. */
export const DEFAULT_RETURN_TO = '/account'

/** The paths of the authorization requests waiting for the customer (helper C's interaction route). */
export const AUTHORIZATION_INTERACTION_PREFIX = '/authorize/interaction/'

// A path that browsers resolve on this origin: one leading slash, then only printable ASCII with
// no backslash (browsers read `/\evil.example` as `//evil.example`). Whitespace and control
// characters are refused too: browsers drop tabs and newlines from URLs, so `/\t/evil.example`
// would become `//evil.example`.
const SAME_ORIGIN_PATH = /^\/(?![/\\])[\x21-\x7e]*$/
const MAX_LENGTH = 2048

/**
 * `value` when it is a same-origin absolute path (`/…`, not `//…`, no backslash, no scheme, no
 * whitespace or control character, at most 2048 characters), otherwise `fallback`.
 *
 * @example
 * ```ts
 * safeReturnTo('/authorize/interaction/abc') // '/authorize/interaction/abc'
 * safeReturnTo('https://evil.example/')      // '/account'
 * safeReturnTo('//evil.example/')            // '/account'
 * ```
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 */
export function safeReturnTo(value: unknown, fallback: string = DEFAULT_RETURN_TO): string {
  if (typeof value !== 'string' || value.length > MAX_LENGTH || !SAME_ORIGIN_PATH.test(value)) return fallback
  return value
}

/**
 * `path` with the query parameter `name=value` added (before any fragment).
 *
 * @example
 * ```ts
 * withQueryParameter('/authorize/interaction/abc', 'login', 'cancelled') // '/authorize/interaction/abc?login=cancelled'
 * withQueryParameter('/account?x=1', 'login', 'cancelled')               // '/account?x=1&login=cancelled'
 * ```
 */
export function withQueryParameter(path: string, name: string, value: string): string {
  const hash = path.indexOf('#')
  const base = hash === -1 ? path : path.slice(0, hash)
  const fragment = hash === -1 ? '' : path.slice(hash)
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'
  return `${base}${separator}${encodeURIComponent(name)}=${encodeURIComponent(value)}${fragment}`
}

/** Whether `path` continues an authorization request (the login came from the authorization endpoint). */
export function isAuthorizationReturn(path: string): boolean {
  return path.startsWith(AUTHORIZATION_INTERACTION_PREFIX)
}
