/**
 * The suite's one HTTP layer: plain `fetch`, no redirects followed unless asked, a timeout on
 * every request, and a log of the exchanges so a failed check can show what the server said.
 *
 * @module
 */
import { CheckFailure } from './check.js'

/** A request as a check writes it. */
export interface HttpRequest {
  method?: string
  /** Absolute, or relative to the run's base URL. */
  url: string | URL
  headers?: Record<string, string>
  /** A JSON body (sets `content-type: application/json`). */
  json?: unknown
  /** A form body (`application/x-www-form-urlencoded`); arrays repeat the parameter. */
  form?: Record<string, string | readonly string[] | undefined>
  /** A raw body, sent as is (with the headers given). */
  body?: string | Uint8Array<ArrayBuffer>
  /** `Authorization: Bearer …`. */
  bearer?: string
  /** `Authorization: Basic …` (RFC 6749 §2.3.1: both parts form-encoded first). */
  basic?: { client_id: string; client_secret: string }
  /** Follow redirects (default: no, a check sees the 3xx itself). */
  follow?: boolean
}

/** A response, read whole. */
export interface HttpResponse {
  status: number
  headers: Headers
  /** The body as text (empty for none). */
  text: string
  /** The request line, for reports. */
  request: string
  /** The final URL. */
  url: string
  /** The media type of the body without parameters, lower case (`''` when absent). */
  mediaType: string
  /** The body parsed as JSON, typed as the caller expects; a {@link CheckFailure} when it is not JSON. */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- a typed JSON.parse, as the caller states the shape it checks
  json: <T = unknown>() => T
}

/** One logged exchange. */
export interface Exchange {
  request: string
  status: number
  /** The first 500 characters of the body. */
  body: string
}

/** Sends requests for one run. */
export class Http {
  /** The exchanges of the current check (cleared by the runner between checks). */
  log: Exchange[] = []

  constructor(
    readonly baseUrl: string,
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
  ) {}

  /** Resolves a URL against the base URL. */
  resolve(url: string | URL): URL {
    return new URL(String(url), this.baseUrl.replace(/\/?$/, '/'))
  }

  /** Sends one request and reads its response whole. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = this.resolve(request.url)
    const method = request.method ?? (request.json !== undefined || request.form !== undefined || request.body !== undefined ? 'POST' : 'GET')
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers }
    let body: string | Uint8Array<ArrayBuffer> | undefined = request.body
    if (request.json !== undefined) {
      headers['content-type'] ??= 'application/json'
      body = JSON.stringify(request.json)
    } else if (request.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded'
      body = formBody(request.form)
    }
    if (request.bearer !== undefined) headers.authorization = `Bearer ${request.bearer}`
    if (request.basic !== undefined) headers.authorization = basicAuthorization(request.basic.client_id, request.basic.client_secret)
    const line = `${method} ${url.href}`
    let response: Response
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: request.follow === true ? 'follow' : 'manual',
        signal: AbortSignal.timeout(this.timeoutMs),
      })
    } catch (error) {
      this.log.push({ request: line, status: 0, body: (error as Error).message })
      throw new CheckFailure(`${line} did not get a response: ${(error as Error).message}`)
    }
    const text = await response.text()
    this.log.push({ request: line, status: response.status, body: text.slice(0, 500) })
    const mediaType = (response.headers.get('content-type') ?? '').replace(/;.*$/s, '').trim().toLowerCase()
    return {
      status: response.status,
      headers: response.headers,
      text,
      request: line,
      url: response.url || url.href,
      mediaType,
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- see HttpResponse.json
      json: <T>() => {
        try {
          return JSON.parse(text) as T
        } catch {
          throw new CheckFailure(`${line} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`)
        }
      },
    }
  }
}

/** `application/x-www-form-urlencoded` of a parameter map; arrays repeat the name, undefined drops it. */
export function formBody(form: Record<string, string | readonly string[] | undefined>): string {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(form)) {
    if (value === undefined) continue
    for (const one of typeof value === 'string' ? [value] : value) params.append(name, one)
  }
  return params.toString()
}

/** RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined and base64-encoded. */
export function basicAuthorization(id: string, secret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')
  return `Basic ${btoa(`${encode(id)}:${encode(secret)}`)}`
}
