/**
 * Retries of requests the server turned away for now: `429 Too Many Requests` (RFC 6585 §4) and
 * `503 Service Unavailable` (RFC 9110 §15.6.4). CDS servers may rate-limit every API
 * (CDS-WG1-02 §11.3, CDS-WG1-01 §8.2); the SDK waits as long as `Retry-After` asks (seconds or an
 * HTTP date, RFC 9110 §10.2.3), else backs off exponentially, and gives up after a bounded number
 * of attempts or when the server asks for a longer wait than the caller allows.
 *
 * @module
 */

/**
 * How the SDK retries 429 and 503 answers.
 *
 * @see CDS-WG1-02 §11.3 Rate Limiting
 */
export interface RetryOptions {
  /** Retries after the first attempt; default `2` (three attempts in all). `0` turns retries off. */
  maxRetries?: number
  /** The first back-off when the server sends no `Retry-After`, doubled on each retry; default `500` ms. */
  baseDelayMs?: number
  /** The longest wait; a `Retry-After` beyond it ends the retries at once. Default `30000` ms. */
  maxDelayMs?: number
  /** The statuses that are retried; default `[429, 503]`. */
  statuses?: readonly number[]
  /** Waits `ms` milliseconds; injectable for tests. Default: a timer that the request's signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** The current time in epoch milliseconds, for `Retry-After` dates; default `Date.now`. */
  now?: () => number
}

/**
 * The defaults of {@link RetryOptions}.
 *
 * @see CDS-WG1-02 §11.3 Rate Limiting
 */
export const DEFAULT_RETRY = Object.freeze({ maxRetries: 2, baseDelayMs: 500, maxDelayMs: 30_000, statuses: Object.freeze([429, 503]) })

/**
 * Waits `ms`, rejecting with the signal's reason when it aborts.
 *
 * @see CDS-WG1-02 §11.3 Rate Limiting
 */
export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error)
      return
    }
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason as Error)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Reads a `Retry-After` value: a number of seconds or an HTTP date (RFC 9110 §10.2.3). Returns
 * the wait in milliseconds (never negative), or `undefined` when the header is absent or unreadable.
 *
 * @example
 * ```ts
 * parseRetryAfter('3', Date.now()) // 3000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:27:58 GMT')) // 2000
 * ```
 * @see CDS-WG1-02 §11.3 Rate Limiting
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 | RFC 9110 §10.2.3}
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1000
  // RFC 9110 §5.6.7: an HTTP-date; Date.parse reads the IMF-fixdate form and the obsolete ones.
  if (!/[A-Za-z]/.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * Sends a request through `send`, again after a wait while the answer is a retryable status and
 * attempts remain. The last answer is returned whatever its status; the caller's response
 * processing turns it into an error. Bodies of answers that are retried are discarded.
 *
 * @param send makes one attempt; called again for every retry, so a request body must be replayable
 * @see CDS-WG1-02 §11.3 Rate Limiting
 * @see {@link https://www.rfc-editor.org/rfc/rfc6585#section-4 | RFC 6585 §4}
 */
export async function sendWithRetries(send: () => Promise<Response>, options: RetryOptions | false | undefined, signal?: AbortSignal): Promise<Response> {
  const retry = options === false ? { maxRetries: 0 } : (options ?? {})
  const maxRetries = retry.maxRetries ?? DEFAULT_RETRY.maxRetries
  const baseDelay = retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs
  const maxDelay = retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs
  const statuses = retry.statuses ?? DEFAULT_RETRY.statuses
  const sleep = retry.sleep ?? defaultSleep
  const now = retry.now ?? Date.now
  for (let attempt = 0; ; attempt++) {
    const response = await send()
    if (attempt >= maxRetries || !statuses.includes(response.status)) return response
    const asked = parseRetryAfter(response.headers.get('retry-after'), now())
    const wait = asked ?? Math.min(maxDelay, baseDelay * 2 ** attempt)
    // The server asks for more patience than the caller has: hand its answer back at once.
    if (wait > maxDelay) return response
    await response.body?.cancel().catch(() => undefined)
    await sleep(wait, signal)
  }
}
