/**
 * The one writer of error bodies. Whatever goes wrong, the client gets
 * `{ "error": "<code>", "error_description": "<text>" }` (RFC 6749 §5.2, RFC 7591 §3.2.2; catalog
 * R1-02-X-03, A-15, A-45) with the status of the code and the headers the RFCs ask for:
 *
 * - an `OAuthError` (from `@cds-ts/auth`) is written as it is, with its `WWW-Authenticate` value;
 * - `invalid_client` always carries a Basic challenge (RFC 6749 §5.2, RFC 9110 §11.6.1);
 * - `invalid_token` and `insufficient_scope` carry a Bearer challenge (RFC 6750 §3);
 * - a schema-validation failure is `invalid_request`, or the code the route names in
 *   `config.validationError`, with a description naming the parameter;
 * - Fastify's own client errors (bad `Content-Type`, too large, …) keep their 4xx status;
 * - anything else is a generic 500 `server_error`, and the full error goes to the log.
 *
 * It also answers unknown routes (404 `not_found`) and known paths asked with the wrong method
 * (405 `method_not_allowed` with `Allow`, catalog R1-02-X-05), and adds `Cache-Control: no-store`
 * to every response of a route that sets `config: { noStore: true }` (RFC 6749 §5.1).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 * @see CDS-WG1-02 §4.1 Client Registration Request
 * @module
 */
import {
  basicChallenge,
  Conflict,
  ContentTooLarge,
  InvalidRequest,
  MethodNotAllowed,
  NotFound,
  OAUTH_ERROR_CLASSES,
  OAuthError,
  ServerError,
  TemporarilyUnavailable,
  TooManyRequests,
  type OAuthErrorCode,
} from '@cds-ts/auth'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify'
import fp from 'fastify-plugin'
import { bearerChallenge } from './bearer-auth.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The `error` code of a schema-validation failure on this route; default `invalid_request`.
     * The registration endpoint sets `invalid_client_metadata` (RFC 7591 §3.2.2, A-45).
     */
    validationError?: OAuthErrorCode
    /**
     * Every response of this route carries `Cache-Control: no-store` and `Pragma: no-cache`: token,
     * PAR, introspection, registration and credential responses (RFC 6749 §5.1, R1-02-X-06).
     */
    noStore?: boolean
  }
}

/** Options of {@link errorHandlerPlugin}. */
export interface ErrorHandlerOptions {
  /** The `realm` of the Basic and Bearer challenges; default `cds`. */
  realm?: string
}

/** What the handler writes: the error (code and description) and the HTTP status. */
interface WireError {
  error: OAuthError
  status: number
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const

const PARTS: Readonly<Record<string, string>> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' }

/** `/a/0/b` → `a/0/b`, with `name` appended when given. */
function parameterName(instancePath: string, name?: unknown): string {
  const path = instancePath.replace(/^\//, '').replace(/~1/g, '/').replace(/~0/g, '~')
  if (typeof name !== 'string') return path
  return path === '' ? name : `${path}/${name}`
}

/**
 * The description of a validation failure: the part of the request, the parameter and the rule.
 *
 * @internal
 * @see CDS-WG1-02 §4.1 Client Registration Request
 */
export function describeValidation(issue: FastifySchemaValidationError, context: string | undefined): string {
  const part = PARTS[context ?? ''] ?? 'request'
  if (issue.keyword === 'required') return `the ${part} parameter '${parameterName(issue.instancePath, issue.params.missingProperty)}' is required`
  if (issue.keyword === 'additionalProperties') {
    return `the ${part} parameter '${parameterName(issue.instancePath, issue.params.additionalProperty)}' is not allowed`
  }
  const name = parameterName(issue.instancePath)
  const rule = issue.message ?? `fails ${issue.keyword}`
  return name === '' ? `the ${part} ${rule}` : `the ${part} parameter '${name}' ${rule}`
}

function isValidationError(error: unknown): error is FastifyError & { validation: FastifySchemaValidationError[] } {
  return typeof error === 'object' && error !== null && Array.isArray((error as { validation?: unknown }).validation)
}

function statusOf(error: unknown): number | undefined {
  const status = typeof error === 'object' && error !== null ? (error as { statusCode?: unknown }).statusCode : undefined
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599 ? status : undefined
}

/**
 * Turns anything thrown into the error and status to write. Only `OAuthError`s and Fastify's own
 * client errors keep their description; everything else becomes a generic `server_error`.
 *
 * @internal
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export function toWireError(thrown: unknown, request: FastifyRequest): WireError {
  if (thrown instanceof OAuthError) {
    if (thrown.expose) return { error: thrown, status: thrown.status }
    // oidc-provider's `expose` rule: a 5xx description stays in the log.
    const Class = OAUTH_ERROR_CLASSES[thrown.error]
    return { error: new Class(undefined, { wwwAuthenticate: thrown.wwwAuthenticate }), status: thrown.status }
  }
  if (isValidationError(thrown)) {
    const code = request.routeOptions.config.validationError ?? 'invalid_request'
    const first = thrown.validation[0]
    const description = first === undefined ? thrown.message : describeValidation(first, thrown.validationContext)
    return { error: new OAUTH_ERROR_CLASSES[code](description), status: 400 }
  }
  const status = statusOf(thrown)
  if (status !== undefined && status < 500) {
    const message = (thrown as Error).message
    switch (status) {
      case 404:
        return { error: new NotFound(message), status }
      case 405:
        return { error: new MethodNotAllowed(message), status }
      case 409:
        return { error: new Conflict(message), status }
      case 413:
        return { error: new ContentTooLarge(message), status }
      case 429:
        return { error: new TooManyRequests(message), status }
      default:
        // 400, and 415 for a Content-Type header that does not parse: the request is malformed.
        return { error: new InvalidRequest(message), status }
    }
  }
  if (status === 503) return { error: new TemporarilyUnavailable(), status }
  return { error: new ServerError(), status: 500 }
}

/** The `WWW-Authenticate` value for an error, or `undefined`. */
function challengeFor(error: OAuthError, realm: string): string | undefined {
  if (error.wwwAuthenticate !== undefined) return error.wwwAuthenticate
  // RFC 6749 §5.2 asks for the challenge when Basic was used; RFC 9110 §11.6.1 asks for one on every 401.
  if (error.error === 'invalid_client') return basicChallenge(realm)
  // RFC 6750 §3: a refused bearer token is answered with a Bearer challenge naming the error.
  if (error.error === 'invalid_token' || error.error === 'insufficient_scope') {
    return bearerChallenge({ realm, error: error.error, error_description: error.error_description })
  }
  return undefined
}

/**
 * Writes an error response. The only place that does (STYLE.md §2.4).
 *
 * @internal
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export function sendError(thrown: unknown, request: FastifyRequest, reply: FastifyReply, realm: string): FastifyReply {
  const { error, status } = toWireError(thrown, request)
  if (status >= 500) request.log.error({ err: thrown }, 'request failed')
  const challenge = challengeFor(error, realm)
  if (challenge !== undefined) void reply.header('www-authenticate', challenge)
  return reply.code(status).type('application/json; charset=utf-8').send({ error: error.error, error_description: error.error_description })
}

/** The methods a concrete path is routed for, from Fastify's router. */
function allowedMethods(app: FastifyInstance, url: string): string[] {
  const path = url.split('?')[0] ?? url
  return METHODS.filter((method) => app.findRoute({ method, url: path }) !== null)
}

function addNoStore(reply: FastifyReply): void {
  // RFC 6749 §5.1: responses carrying tokens or secrets are not stored by caches.
  void reply.header('cache-control', 'no-store')
  void reply.header('pragma', 'no-cache')
}

/**
 * Installs the error handler, the 404/405 handler and the `noStore` route flag on the root instance.
 * Register it before the routes (the flag is read in `onRoute`).
 *
 * @example
 * ```ts
 * await app.register(errorHandlerPlugin, { realm: 'https://utility.example' })
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 | RFC 6750 §3}
 */
export const errorHandlerPlugin = fp(
  async (app: FastifyInstance, options: ErrorHandlerOptions) => {
    const realm = options.realm ?? 'cds'

    app.setErrorHandler((error, request, reply) => sendError(error, request, reply, realm))

    app.setNotFoundHandler((request, reply) => {
      const allowed = allowedMethods(app, request.url)
      if (allowed.length === 0) return sendError(new NotFound(`no resource at ${request.method} ${request.url.split('?')[0] ?? ''}`), request, reply, realm)
      // R1-02-X-05 (RFC 9110 §15.5.6): a known path with another method is 405 and lists the methods it takes.
      void reply.header('allow', allowed.join(', '))
      return sendError(new MethodNotAllowed(`${request.method} is not allowed here; use ${allowed.join(', ')}`), request, reply, realm)
    })

    app.addHook('onRoute', (route) => {
      if (route.config?.noStore !== true) return
      const existing = route.onSend === undefined ? [] : Array.isArray(route.onSend) ? route.onSend : [route.onSend]
      route.onSend = [
        ...existing,
        async (_request, reply, payload) => {
          addNoStore(reply)
          return payload
        },
      ]
    })
  },
  { name: 'cds-error-handler', fastify: '5.x' },
)
