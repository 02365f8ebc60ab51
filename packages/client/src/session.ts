/**
 * An authenticated session with the CDS APIs: every call carries a Bearer token (RFC 6750 §2.1)
 * from a {@link TokenProvider}, goes only to origins the metadata names, and is repeated once
 * with a renewed token when the server says the token is no longer valid.
 *
 * @module
 */
import { jsonBody, readJson } from './decimal.js'
import { CdsProtocolError } from './errors.js'
import { checkUrl, expectStatus, processJson, send, type HttpOptions } from './http.js'
import type { Schema } from './lenient.js'

/**
 * Where a session gets its access token. `invalidate` is called with a token the server answered
 * `401` to, so the next `token()` renews it.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export interface TokenProvider {
  token(): Promise<string>
  invalidate?(accessToken: string): void
}

/**
 * One API call.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export interface ApiCall {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH'
  /** A JSON body, written with exact decimals. */
  body?: unknown
  /** Media types accepted; default `application/json`. */
  accept?: string
  /** Follow redirects (downloads may be served from elsewhere); default `false`. */
  follow?: boolean
}

/**
 * The URL of an object given as the object (its `uri`-like member) or as the URL itself.
 *
 * @internal
 * @see CDS-WG1-02 §5.4 Retrieving Individual Client Objects
 */
export function urlOf<K extends string>(ref: string | { readonly [key in K]: string }, member: K): string {
  return typeof ref === 'string' ? ref : ref[member]
}

/**
 * Per-call options.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export interface CallOptions {
  /** Aborts this call. */
  signal?: AbortSignal
}

/**
 * Makes Bearer-authenticated calls to the CDS APIs.
 *
 * @see CDS-WG1-02 §5 Clients API
 * @see CDS-WG3-01 §10 Customer Data API
 * @internal
 */
export class ApiSession {
  constructor(
    private readonly tokens: TokenProvider,
    readonly options: HttpOptions,
    private readonly trusted: (url: URL) => boolean,
  ) {}

  /** The URL, checked: absolute http(s), not plain http off loopback, on a trusted origin. */
  target(url: string | URL): URL {
    const parsed = checkUrl(url, this.options)
    // A token is a bearer credential (RFC 6750 §5.3): it goes only to origins the metadata names.
    if (!this.trusted(parsed)) throw new CdsProtocolError('UNTRUSTED_ORIGIN', `${parsed.origin} is not an origin of this server\u2019s metadata; no token is sent there`)
    return parsed
  }

  /** Sends a call and returns the raw response, whatever its status. */
  async call(url: string | URL, call: ApiCall, options: CallOptions = {}): Promise<Response> {
    const target = this.target(url)
    const http: HttpOptions = options.signal === undefined ? this.options : { ...this.options, signal: options.signal }
    const attempt = async (token: string) => {
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: call.accept ?? 'application/json' }
      const init = { method: call.method, headers, redirect: call.follow === true ? ('follow' as const) : ('manual' as const) }
      if (call.body === undefined) return send(target, init, http)
      headers['content-type'] = 'application/json'
      return send(target, { ...init, body: jsonBody(call.body) }, http)
    }
    const token = await this.tokens.token()
    const response = await attempt(token)
    if (response.status !== 401 || this.tokens.invalidate === undefined) return response
    // RFC 6750 §3.1: 401 means the token is invalid or expired; renew it once and try again.
    await response.body?.cancel().catch(() => undefined)
    this.tokens.invalidate(token)
    return attempt(await this.tokens.token())
  }

  /** Sends a call and reads its JSON answer against `schema`, expecting one of `expected`. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the decoded type of the schema it passes
  async json<T>(url: string | URL, call: ApiCall, schema: Schema, expected: readonly number[], options: CallOptions = {}): Promise<{ status: number; value: T }> {
    const response = await this.call(url, call, options)
    return { status: response.status, value: await processJson<T>(response, expected, schema, this.options) }
  }

  /** Sends a call and reads its JSON answer as it is (decimals exact), expecting one of `expected`. */
  async raw(url: string | URL, call: ApiCall, expected: readonly number[], options: CallOptions = {}): Promise<{ response: Response; value: unknown }> {
    const response = await this.call(url, call, options)
    await expectStatus(response, expected)
    return { response, value: await readJson(response) }
  }

  /** Sends a GET for a file and returns the `200` response with its body unread (a stream). */
  async download(url: string | URL, accept: string, options: CallOptions = {}): Promise<Response> {
    const response = await this.call(url, { method: 'GET', accept, follow: true }, options)
    await expectStatus(response, [200])
    return response
  }
}
