/**
 * The injectable clock. Every expiry decision (secrets, tokens, codes, pushed requests) asks a
 * {@link Clock}, so tests move time instead of sleeping.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 * @module
 */

/**
 * A source of the current time.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export interface Clock {
  /** The current time, as a new `Date` each call. */
  now(): Date
}

/**
 * A clock a test can set and move.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export interface ManualClock extends Clock {
  /** Jumps to a point in time. */
  set(at: Date | string | number): void
  /** Moves forward (or back, for a negative value) by whole or fractional seconds. */
  advance(seconds: number): void
}

/**
 * The real time of the machine.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export const systemClock: Clock = Object.freeze({ now: () => new Date() })

/**
 * A clock stopped at one instant.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export function fixedClock(at: Date | string | number): Clock {
  const ms = toMilliseconds(at)
  return Object.freeze({ now: () => new Date(ms) })
}

/**
 * A clock that stays where it was put until {@link ManualClock.set} or {@link ManualClock.advance}
 * moves it. Starts at `start`, or at the real current time.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export function manualClock(start: Date | string | number = Date.now()): ManualClock {
  let ms = toMilliseconds(start)
  return {
    now: () => new Date(ms),
    set: (at) => {
      ms = toMilliseconds(at)
    },
    advance: (seconds) => {
      if (!Number.isFinite(seconds)) throw new TypeError('advance() needs a finite number of seconds')
      ms += Math.round(seconds * 1000)
    },
  }
}

/**
 * Whole seconds since the Unix epoch, rounded down: the unit of `client_id_issued_at`,
 * `client_secret_expires_at`, `exp` and `iat`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1 | RFC 7591 §3.2.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2.2 | RFC 7662 §2.2}
 */
export function toEpochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000)
}

/**
 * The `Date` of a count of seconds since the Unix epoch.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1 | RFC 7591 §3.2.1}
 */
export function fromEpochSeconds(seconds: number): Date {
  return new Date(seconds * 1000)
}

/**
 * The clock's current time in whole epoch seconds.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1 | RFC 7591 §3.2.1}
 */
export function nowSeconds(clock: Clock): number {
  return toEpochSeconds(clock.now())
}

/**
 * `date` moved by a number of seconds, as a new `Date`: expiry times are `addSeconds(clock.now(), lifetime)`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export function addSeconds(date: Date, seconds: number): Date {
  return new Date(date.getTime() + seconds * 1000)
}

/**
 * Whether something that expires at `expires_at` has expired by the clock's time. The instant of
 * expiry counts as expired, as CDS-WG1-02 §7.6 treats an expiry equal to now.
 *
 * @see CDS-WG1-02 §7.6 Modifying Credentials
 */
export function isExpired(expires_at: Date, clock: Clock): boolean {
  return expires_at.getTime() <= clock.now().getTime()
}

/**
 * Whole seconds from the clock's time until `expires_at`, never below 0: an `expires_in` value.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2.2 | RFC 9126 §2.2}
 */
export function secondsUntil(expires_at: Date, clock: Clock): number {
  return Math.max(0, Math.floor((expires_at.getTime() - clock.now().getTime()) / 1000))
}

function toMilliseconds(at: Date | string | number): number {
  const ms = at instanceof Date ? at.getTime() : typeof at === 'string' ? Date.parse(at) : at
  if (!Number.isFinite(ms)) throw new TypeError(`not a valid time: ${String(at)}`)
  return ms
}

/**
 * A CDS `datetime` (CDS-WG1-02 §2: RFC 3339 `date-time`) in UTC, with milliseconds only when there
 * are any (`2024-01-01T00:00:00Z`): the one textual form the server writes and stores.
 *
 * @see CDS-WG1-02 §2 Terminology (datetime)
 */
export function toDateTime(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z')
}
