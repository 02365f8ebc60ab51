/**
 * Login throttling (CDS-WG1-02 §11.3: limit failed authentication attempts against brute force;
 * CDS-WG3-01 §9.1.2: after too many failed attempts, send the customer back so the authorization
 * ends). Built on `@fastify/rate-limit`, with two counters per window of
 * `login_throttle.window_seconds`:
 *
 * - per client IP address (IPv6 grouped by /64, the plugin's `normalizeIP`), and
 * - per login name (lower-cased, from the parsed form body).
 *
 * Only failed attempts count: each check peeks at both counters (`{ increment: false }`) and a
 * failure then increments both, so customers who type their password right are never slowed down
 * by their own logins. When either counter holds `max_failures`, further attempts are refused
 * without checking the password until the window ends. No captcha is ever shown (CDS-WG1-02 §11.4).
 *
 * The counters live in memory and follow the injected clock (tests move time instead of
 * sleeping). A server running several instances would pass a shared store instead.
 *
 * @see CDS-WG1-02 §11.3 Rate Limiting
 * @see CDS-WG3-01 §9.1.2 Customer Authentication
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import rateLimit, { normalizeIP, type FastifyRateLimitStore } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'

/** The verdict of {@link LoginThrottle.check}. */
export type ThrottleVerdict = { locked: false } | { locked: true; retry_after_seconds: number }

/**
 * Counts failed logins per IP address and per login name.
 *
 * @see CDS-WG1-02 §11.3 Rate Limiting
 */
export interface LoginThrottle {
  /** Whether this attempt may go ahead; does not count it. */
  check(request: FastifyRequest): Promise<ThrottleVerdict>
  /** Counts a failed attempt against the request's IP address and login name. */
  recordFailure(request: FastifyRequest): Promise<void>
}

/** Options of {@link registerLoginThrottle}. */
export interface LoginThrottleOptions {
  clock: Clock
  max_failures: number
  window_seconds: number
}

interface Counter {
  count: number
  started: number
}

// Bound on remembered keys: random login names must not grow memory without limit. Past it, the
// oldest windows are dropped first (the per-IP counter still holds a flood from one address).
const MAX_KEYS = 10_000

/**
 * A `@fastify/rate-limit` store on the injected clock: fixed windows that start at the first
 * counted attempt.
 */
class ClockStore implements FastifyRateLimitStore {
  private readonly counters = new Map<string, Counter>()

  constructor(private readonly clock: Clock) {}

  private live(key: string, timeWindow: number, now: number): Counter | undefined {
    const counter = this.counters.get(key)
    if (counter === undefined) return undefined
    if (counter.started + timeWindow > now) return counter
    this.counters.delete(key)
    return undefined
  }

  incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
    const now = this.clock.now().getTime()
    let counter = this.live(key, timeWindow, now)
    if (counter === undefined) {
      counter = { count: 0, started: now }
      if (this.counters.size >= MAX_KEYS) {
        const oldest = this.counters.keys().next()
        if (oldest.done !== true) this.counters.delete(oldest.value)
      }
      this.counters.set(key, counter)
    }
    counter.count += 1
    callback(null, { current: counter.count, ttl: counter.started + timeWindow - now })
  }

  read(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
    const now = this.clock.now().getTime()
    const counter = this.live(key, timeWindow, now)
    callback(null, counter === undefined ? { current: 0, ttl: 0 } : { current: counter.count, ttl: counter.started + timeWindow - now })
  }

  child(): FastifyRateLimitStore {
    return new ClockStore(this.clock)
  }
}

/** The login name of a login form post, lower-cased; `''` when there is none. */
function loginName(request: FastifyRequest): string {
  const body = request.body
  const login = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).login : undefined
  return typeof login === 'string' ? login.trim().toLowerCase() : ''
}

/**
 * Registers `@fastify/rate-limit` (not global: no route is limited by it directly) on `app` and
 * returns the login throttle built on it. Call from the plugin that owns `POST /login`; check in a
 * `preHandler` (after the body is parsed and the CSRF token checked).
 *
 * @example
 * ```ts
 * const throttle = await registerLoginThrottle(app, { clock, ...config.customer_authorization.login_throttle })
 * ```
 * @see CDS-WG1-02 §11.3 Rate Limiting
 */
export async function registerLoginThrottle(app: FastifyInstance, options: LoginThrottleOptions): Promise<LoginThrottle> {
  const { clock, max_failures, window_seconds } = options
  await app.register(rateLimit, {
    global: false,
    store: class extends ClockStore {
      constructor() {
        super(clock)
      }
    },
  })
  const limits = { max: max_failures, timeWindow: window_seconds * 1000 }
  const byAddress = app.createRateLimit({ ...limits, keyGenerator: (request) => `ip:${normalizeIP(request.ip)}` })
  const byLogin = app.createRateLimit({ ...limits, keyGenerator: (request) => `login:${loginName(request)}` })

  return {
    async check(request) {
      const results = [await byAddress(request, { increment: false })]
      if (loginName(request) !== '') results.push(await byLogin(request, { increment: false }))
      let retry = 0
      for (const result of results) {
        // CDS-WG1-02 §11.3: `max_failures` failed attempts in the window lock out the next ones.
        if (!result.isAllowed && result.remaining === 0) retry = Math.max(retry, result.ttlInSeconds)
      }
      return retry > 0 ? { locked: true, retry_after_seconds: retry } : { locked: false }
    },
    async recordFailure(request) {
      await byAddress(request)
      if (loginName(request) !== '') await byLogin(request)
    },
  }
}
