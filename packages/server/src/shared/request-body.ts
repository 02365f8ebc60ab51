/**
 * How request bodies are read, for every route, in one parser:
 *
 * - OAuth endpoints (token, PAR, introspection, revocation) set `config: { formBody: true }`. They take
 *   `application/x-www-form-urlencoded` only, a parameter may appear once, and an empty one counts
 *   as absent (RFC 6749 §3.1, §3.2). Any other body is `invalid_request`.
 * - Every other route reads its body as JSON whatever the `Content-Type` says (catalog A-14: the spec
 *   examples send none and `curl --data-raw` sends a form type), losslessly on `decimalJson` routes.
 *
 * This replaces Fastify's own parsers and `@fastify/formbody`: the choice depends on the route, and
 * a content-type parser is the one place that sees both the route and the raw body.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 | RFC 6749 §3.2}
 * @see CDS-WG1-02 §4.1 Client Registration Request
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { parseJsonBody } from './decimal-json.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route is an OAuth endpoint: its body must be `application/x-www-form-urlencoded`
     * (RFC 6749 §3.2, RFC 7009 §2.1, RFC 7662 §2.1, RFC 9126 §2.1).
     */
    formBody?: boolean
  }
}

const FORM = 'application/x-www-form-urlencoded'

/** The media type of a request without its parameters, lower-cased; `''` when there is none. */
function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

/**
 * Reads an `application/x-www-form-urlencoded` body into single string values.
 *
 * @throws {InvalidRequest} when a parameter is repeated
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.1 | RFC 6749 §3.1}
 */
export function parseFormBody(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const seen = new Set<string>()
  for (const [name, value] of new URLSearchParams(text)) {
    // RFC 6749 §3.1, §3.2: a parameter MUST NOT be sent more than once.
    if (seen.has(name)) throw new InvalidRequest(`the parameter '${name}' is repeated`)
    seen.add(name)
    // RFC 6749 §3.1: a parameter sent without a value is treated as absent.
    if (value === '') continue
    if (name === '__proto__') throw new InvalidRequest("the parameter name '__proto__' is not allowed")
    values[name] = value
  }
  return values
}

async function parseBody(request: FastifyRequest, text: string): Promise<unknown> {
  const config = request.routeOptions.config
  const type = mediaType(request)
  if (config.formBody === true) {
    // RFC 6749 §3.2 (also RFC 7009 §2.1, RFC 7662 §2.1, RFC 9126 §2.1): form encoding only.
    if (type !== FORM) throw new InvalidRequest(`this endpoint takes ${FORM} bodies, not ${type === '' ? 'a body without Content-Type' : type}`)
    return parseFormBody(text)
  }
  if (text.trim() === '') return undefined
  // A-14 (R1-02-X-04): the CDS JSON APIs read JSON whatever the Content-Type.
  return parseJsonBody(text, config.decimalJson === true)
}

/**
 * Registers the one body parser of the server (see the module description). Register it on the
 * root instance; it removes Fastify's default JSON and text parsers.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 | RFC 6749 §3.2}
 * @see CDS-WG1-02 §4.1 Client Registration Request
 */
export const requestBodyPlugin: FastifyPluginAsync = fp(
  async (app) => {
    app.removeAllContentTypeParsers()
    app.addContentTypeParser('*', { parseAs: 'string' }, async (request: FastifyRequest, body: string | Buffer) =>
      parseBody(request, typeof body === 'string' ? body : body.toString('utf8')),
    )
  },
  { name: 'cds-request-body', fastify: '5.x' },
)
