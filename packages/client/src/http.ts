/**
 * The one place the SDK calls `fetch`: options every request accepts, the plain-http guard,
 * retries, and the turning of unexpected answers into {@link CdsResponseError} or
 * {@link CdsProtocolError} (the oauth4webapi `checkOAuthBodyError` pattern).
 *
 * @module
 */
import { CdsProtocolError, CdsResponseError } from './errors.js'
import { readJson } from './decimal.js'
import { parseBody, type Schema, type WarningHandler } from './lenient.js'
import { sendWithRetries, type RetryOptions } from './retry.js'

/**
 * A `fetch`-compatible function (the global one, undici's, a test double).
 *
 * @see CDS-WG1-02 §11.2 Restricted Access
 */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>

/**
 * Options every request of the SDK accepts.
 *
 * @see CDS-WG1-02 §11.3 Rate Limiting
 */
export interface HttpOptions {
  /** The `fetch` to use; default `globalThis.fetch`. */
  fetch?: FetchLike
  /** Retries of 429 and 503 answers; `false` turns them off. Default {@link DEFAULT_RETRY}. */
  retry?: RetryOptions | false
  /** Extra request headers (a `User-Agent` in Node, for example). */
  headers?: Record<string, string>
  /** Aborts the request (and any wait between retries). */
  signal?: AbortSignal
  /** Receives what bodies break that the SDK tolerates (unknown enum values, …); default ignored. */
  onWarnings?: WarningHandler
  /**
   * Allow credentials over plain `http://` to hosts other than loopback addresses. Default `false`:
   * CDS servers are HTTPS only (CDS-WG1-02 §11.2); `localhost`, `127.0.0.0/8` and `[::1]` are always allowed.
   */
  allowInsecureHttp?: boolean
}

/** True for `localhost`, `127.x.x.x` and `[::1]`. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]'
}

/**
 * Parses an absolute http(s) URL and refuses plain http to a host that is not a loopback
 * address unless {@link HttpOptions.allowInsecureHttp} is set.
 *
 * @throws {TypeError} when `url` is not an absolute http(s) URL
 * @throws {CdsProtocolError} `INSECURE_URL`
 * @see CDS-WG1-02 §11.2 Restricted Access
 * @internal
 */
export function checkUrl(url: string | URL, options: HttpOptions = {}): URL {
  const parsed = new URL(url)
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError(`${parsed.href} is not an http(s) URL`)
  if (parsed.protocol === 'http:' && options.allowInsecureHttp !== true && !isLoopback(parsed.hostname)) {
    // CDS-WG1-02 §11.2: credentials and customer data travel over TLS only.
    throw new CdsProtocolError('INSECURE_URL', `refusing to send a request over plain http to ${parsed.origin}; use https or set allowInsecureHttp`)
  }
  return parsed
}

/**
 * One request: method, headers and a replayable body.
 *
 * @see CDS-WG1-02 §11.2 Restricted Access
 */
export interface SendInit {
  method: string
  headers?: Record<string, string>
  body?: string
  redirect?: RequestRedirect
}

/**
 * Sends one request with the caller's options and the SDK's retries.
 *
 * @see CDS-WG1-02 §11.3 Rate Limiting
 * @internal
 */
export async function send(url: URL, init: SendInit, options: HttpOptions = {}): Promise<Response> {
  const doFetch = options.fetch ?? globalThis.fetch
  const headers = { accept: 'application/json', ...options.headers, ...init.headers }
  const request: RequestInit = { method: init.method, headers, redirect: init.redirect ?? 'manual' }
  if (init.body !== undefined) request.body = init.body
  if (options.signal !== undefined) request.signal = options.signal
  return sendWithRetries(() => doFetch(url.href, request), options.retry, options.signal)
}

/**
 * Reads `error`, `error_description` and `error_uri` from a `WWW-Authenticate: Bearer` challenge
 * (RFC 6750 §3); `undefined` when the header has no Bearer challenge with an `error`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 | RFC 6750 §3}
 * @internal
 */
export function bearerChallenge(header: string | null): { error: string; error_description?: string; error_uri?: string } | undefined {
  if (header === null) return undefined
  const scheme = /(?:^|,)\s*Bearer(?:\s+|$)/i.exec(header)
  if (scheme === null) return undefined
  let rest = header.slice(scheme.index + scheme[0].length)
  const params: Record<string, string> = {}
  // RFC 9110 §11.2 auth-params; the next challenge ("Basic realm=…") does not match and ends the loop.
  const param = /^\s*([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)/
  for (let match = param.exec(rest); match !== null; match = param.exec(rest)) {
    const [whole, name = '', quoted, token] = match
    params[name.toLowerCase()] = quoted === undefined ? (token ?? '') : quoted.replace(/\\(.)/g, '$1')
    rest = rest.slice(whole.length)
  }
  const error = params.error
  if (error === undefined) return undefined
  return {
    error,
    ...(params.error_description === undefined ? {} : { error_description: params.error_description }),
    ...(params.error_uri === undefined ? {} : { error_uri: params.error_uri }),
  }
}

/**
 * Turns an answer the caller did not expect into the right error: a JSON body with a string
 * `error` gives {@link CdsResponseError} `RESPONSE_BODY_ERROR`; a Bearer challenge with an
 * `error` gives `WWW_AUTHENTICATE_ERROR`; anything else {@link CdsProtocolError} `UNEXPECTED_STATUS`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2 | RFC 7591 §3.2.2}
 * @internal
 */
export async function unexpectedResponse(response: Response, expected: readonly number[]): Promise<CdsResponseError | CdsProtocolError> {
  let body: unknown
  if (response.status >= 400) {
    try {
      body = await readJson(response)
    } catch {
      body = undefined
    }
  } else {
    await response.body?.cancel().catch(() => undefined)
  }
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') {
    const { error, error_description, error_uri } = body as { error: string; error_description?: unknown; error_uri?: unknown }
    return new CdsResponseError({
      code: 'RESPONSE_BODY_ERROR',
      error,
      error_description: typeof error_description === 'string' ? error_description : undefined,
      error_uri: typeof error_uri === 'string' ? error_uri : undefined,
      response,
      body,
    })
  }
  const challenge = response.status === 401 || response.status === 403 ? bearerChallenge(response.headers.get('www-authenticate')) : undefined
  if (challenge !== undefined) return new CdsResponseError({ code: 'WWW_AUTHENTICATE_ERROR', ...challenge, response, body })
  return new CdsProtocolError('UNEXPECTED_STATUS', `expected ${expected.join(' or ')} from ${response.url || 'the server'}, got ${response.status}`, { response })
}

/**
 * Throws unless the status is one of `expected`.
 *
 * @internal
 * @see CDS-WG1-02 §10 Extensions
 */
export async function expectStatus(response: Response, expected: readonly number[]): Promise<void> {
  if (!expected.includes(response.status)) throw await unexpectedResponse(response, expected)
}

/**
 * The response half of every JSON step: the status must be one of `expected`, the body JSON, and
 * its content usable against `schema` (read leniently, decimals exact).
 *
 * @internal
 * @see CDS-WG1-02 §10 Extensions
 */
export async function processJson<T>(response: Response, expected: readonly number[], schema: Schema, options: HttpOptions = {}): Promise<T> {
  await expectStatus(response, expected)
  const value = await readJson(response)
  const name = (schema as { $id?: unknown }).$id
  return parseBody<T>(schema, value, { schema: typeof name === 'string' ? name : 'body', url: response.url }, options.onWarnings, response)
}
