/**
 * Cache-friendly JSON responses for public documents (the discovery documents and the coverage
 * listing): the body is written once with the decimal-safe writer, a strong ETag is taken from
 * its bytes, and a request whose `If-None-Match` matches gets `304 Not Modified` with no body.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { stringifyJson } from '@cds-ts/schema'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { decimalSerializerCompiler } from './decimal-json.js'

/**
 * Default `max-age` in seconds of the public documents: five minutes. Clients and shared caches
 * reuse a copy for that long and then revalidate it cheaply with `If-None-Match`; a change of
 * configuration (a new scope, a new coverage entry) therefore reaches every client within five
 * minutes, which is short next to how rarely these documents change and long enough to absorb
 * discovery bursts (CDS-WG1-01 §8.2 asks for protection against floods of requests).
 */
export const DEFAULT_MAX_AGE = 300

/** The response schema of a 304 answer: no body. */
export const NOT_MODIFIED_RESPONSE = Object.freeze({
  type: 'null',
  description: 'Not Modified: the copy named by If-None-Match is current (RFC 9110 §15.4.5).',
} as const)

/**
 * Route options every route answering with {@link sendCacheableJson} spreads in. The body goes out
 * as prepared text, so no schema-driven serializer is compiled for it (fast-json-stringify cannot
 * compile the conditional spec schemas); error bodies use the decimal-safe serializer.
 */
export const CACHEABLE_JSON_ROUTE = Object.freeze({
  config: Object.freeze({ decimalJson: true }),
  serializerCompiler: decimalSerializerCompiler,
})

/** A JSON body ready to send: its exact text and the strong ETag of its bytes. */
export interface PreparedJson {
  /** The JSON text; decimals are written as raw numbers with their exact digits. */
  readonly text: string
  /** Strong entity tag, e.g. `"Xk…"` (RFC 9110 §8.8.3). */
  readonly etag: string
}

/** Options of {@link sendCacheableJson}. */
export interface CacheableOptions {
  /** `Cache-Control` max-age in seconds; default {@link DEFAULT_MAX_AGE}. */
  maxAge?: number
}

/**
 * Writes `body` as JSON (decimals exact) and computes a strong ETag: the base64url SHA-256 of
 * the bytes, quoted. Two bodies get the same tag exactly when their bytes are equal.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-8.8.3 | RFC 9110 §8.8.3}
 */
export function prepareJson(body: unknown): PreparedJson {
  const text = stringifyJson(body)
  const digest = createHash('sha256').update(text, 'utf8').digest('base64url')
  return Object.freeze({ text, etag: `"${digest}"` })
}

/**
 * Whether an `If-None-Match` header matches `etag`: `*`, or a listed tag equal under the weak
 * comparison (a `W/` prefix is ignored), which is the comparison RFC 9110 §13.1.2 prescribes.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-13.1.2 | RFC 9110 §13.1.2}
 */
export function ifNoneMatchMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false
  const value = Array.isArray(header) ? header.join(',') : header
  if (value.trim() === '*') return true
  const opaque = etag.replace(/^W\//, '')
  // Entity tags are quoted strings without inner quotes, so a comma outside quotes separates them.
  const tags = value.match(/(?:W\/)?"[^"]*"/g) ?? []
  return tags.some((tag) => tag.replace(/^W\//, '') === opaque)
}

/**
 * Sends a prepared JSON body with `Content-Type: application/json`, its `ETag` and a public
 * `Cache-Control`; answers `304 Not Modified` without a body when `If-None-Match` matches.
 * The handler returns what this returns.
 *
 * @example
 * ```ts
 * const document = prepareJson(metadata)
 * app.get('/x', async (request, reply) => sendCacheableJson(request, reply, document))
 * ```
 * @see CDS-WG1-01 §3 Metadata Endpoint
 * @see {@link https://www.rfc-editor.org/rfc/rfc9110#section-15.4.5 | RFC 9110 §15.4.5}
 */
export function sendCacheableJson(request: FastifyRequest, reply: FastifyReply, prepared: PreparedJson, options: CacheableOptions = {}): FastifyReply {
  const maxAge = options.maxAge ?? DEFAULT_MAX_AGE
  // RFC 9110 §15.4.5: a 304 carries the ETag and Cache-Control the 200 would have carried.
  void reply.header('etag', prepared.etag).header('cache-control', `public, max-age=${maxAge}`)
  // CDS-WG1-01 §3 (R1-01-3-03) and §4 (R1-01-4-02): a conditional GET may be answered with 304.
  if (ifNoneMatchMatches(request.headers['if-none-match'], prepared.etag)) return reply.code(304).send()
  return reply.code(200).type('application/json').send(prepared.text)
}
