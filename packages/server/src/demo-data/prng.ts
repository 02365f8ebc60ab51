/**
 * The demo data generator's randomness: a seeded xoshiro128** generator and hash-derived ids, so
 * the same seed always yields the same data set, byte for byte, and a different seed another one.
 * Nothing here is for security: the demo set is public by design.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import { createHash } from 'node:crypto'

/** The first 32 bytes of SHA-256 over the parts, joined by NUL (parts never contain NUL). */
function digest(parts: readonly (string | number)[]): Buffer {
  return createHash('sha256').update(parts.join('\0')).digest()
}

/**
 * A stable opaque object id of 16 hex digits derived from the seed and a label: the same inputs
 * always give the same id, and ids never reveal an order (catalog §7.2).
 *
 * @example
 * ```ts
 * demoId('demo', 'account', 3) // e.g. '5f0c9d1e7a2b4c61'
 * ```
 * @see CDS-WG3-01 §10.1.1 Account Object Format
 */
export function demoId(seed: string, ...parts: (string | number)[]): string {
  return digest([seed, ...parts]).toString('hex', 0, 8)
}

/**
 * A seeded pseudo-random generator (xoshiro128**, 32-bit state words), with the few draws the
 * generator needs. Each customer gets its own stream (`new DemoRandom(seed, 'customer', i)`), so
 * adding customers never changes the ones before.
 *
 * @see {@link https://prng.di.unimi.it/ | xoshiro / xoroshiro generators}
 */
export class DemoRandom {
  readonly #s: Uint32Array

  constructor(seed: string, ...parts: (string | number)[]) {
    const bytes = digest([seed, ...parts])
    this.#s = new Uint32Array([bytes.readUInt32LE(0), bytes.readUInt32LE(4), bytes.readUInt32LE(8), bytes.readUInt32LE(12)])
    // An all-zero state would only ever yield zeros.
    if (this.#s.every((word) => word === 0)) this.#s[0] = 1
  }

  /** The next 32-bit unsigned value. */
  nextUint32(): number {
    const s = this.#s
    const s0 = s[0] ?? 0
    const s1 = s[1] ?? 0
    const s2 = s[2] ?? 0
    const s3 = s[3] ?? 0
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = (s1 << 9) >>> 0
    const n2 = (s2 ^ s0) >>> 0
    const n3 = (s3 ^ s1) >>> 0
    s[1] = (s1 ^ n2) >>> 0
    s[0] = (s0 ^ n3) >>> 0
    s[2] = (n2 ^ t) >>> 0
    s[3] = rotl(n3, 11)
    return result
  }

  /** A value in [0, 1) with 32 bits of randomness (only ever used to shape curves, never for decimals). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T {
    const value = list[Math.floor(this.next() * list.length)]
    if (value === undefined) throw new RangeError('pick from an empty list')
    return value
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}
