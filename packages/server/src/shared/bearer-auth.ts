/**
 * Bearer token checking (RFC 6750) for every protected CDS API, in one place. A route declares the
 * scope it needs with `config: { scope: 'cds_client_admin' }`; this plugin reads that in `onRoute`
 * and gives the route an `onRequest` check that:
 *
 * 1. reads the token from `Authorization: Bearer <token>` only (RFC 6750 §2.1; the query and body
 *    methods of §2.2 and §2.3 are not accepted, catalog R1-02-11.2-04);
 * 2. answers a request without bearer credentials with 401 and a bare `Bearer realm="…"` challenge
 *    (RFC 6750 §3.1), and a malformed one with 400 `invalid_request`;
 * 3. looks the token up through the injected {@link BearerAuthOptions.findToken} and refuses an
 *    unknown, revoked or expired one with 401 `invalid_token`;
 * 4. refuses a token without the route's scope with 403 `insufficient_scope`;
 * 5. leaves the token on `request.accessToken` for the handler.
 *
 * No route parses `Authorization` itself (STYLE.md §2.8).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.1 | RFC 6750 §2.1}
 * @see CDS-WG1-02 §11.2 Restricted Access
 * @module
 */
import { InsufficientScope, InvalidRequest, InvalidToken, isExpired, systemClock, type Clock, type TokenRecord } from '@cds-ts/auth'
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'

/**
 * What the check needs to know about a stored token: a `TokenRecord` of `@cds-ts/auth` fits.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export type TokenInfo = Pick<TokenRecord, 'token_type' | 'client_id' | 'scope' | 'expires_at' | 'revoked_at'> & Partial<TokenRecord>

/**
 * The scope a route needs: one scope value, a list of which any one will do, or a test of the
 * token's scope values (for scopes only known from configuration, such as Grant-Admin scopes).
 */
export type RequiredScope = string | readonly string[] | ((scopes: readonly string[]) => boolean)

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route is protected by a bearer token with this scope (RFC 6750). */
    scope?: RequiredScope
  }
  interface FastifyRequest {
    /** The bearer token of a protected route, once checked; `null` elsewhere. */
    accessToken: TokenInfo | null
  }
}

/** Options of {@link bearerAuthPlugin}. */
export interface BearerAuthOptions {
  /** The `realm` of the challenge; default `cds`. */
  realm?: string
  /** Finds a token by its value (the storage hashes it); `undefined` when unknown. */
  findToken: (token: string) => Promise<TokenInfo | undefined>
  /** The clock that decides expiry; default the system clock. */
  clock?: Clock
}

/** The attributes of a Bearer challenge. */
export interface BearerChallenge {
  realm: string
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope'
  error_description?: string
  /** The scope the resource needs, space-separated (RFC 6750 §3). */
  scope?: string
}

/** Keeps a value inside a quoted-string: drops `"` and `\`. */
function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '')}"`
}

/**
 * The `WWW-Authenticate` value of a Bearer challenge.
 *
 * @example
 * ```ts
 * bearerChallenge({ realm: 'cds', error: 'invalid_token' }) // 'Bearer realm="cds", error="invalid_token"'
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 | RFC 6750 §3}
 */
export function bearerChallenge(challenge: BearerChallenge): string {
  const attributes = [`realm=${quoted(challenge.realm)}`]
  if (challenge.scope !== undefined) attributes.push(`scope=${quoted(challenge.scope)}`)
  if (challenge.error !== undefined) attributes.push(`error=${quoted(challenge.error)}`)
  if (challenge.error_description !== undefined) attributes.push(`error_description=${quoted(challenge.error_description)}`)
  return `Bearer ${attributes.join(', ')}`
}

// RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1).
const BEARER_SCHEME = /^bearer(?: +|$)/i
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

/** The raw `Authorization` header values of a request (Node keeps only the first in `headers`). */
function authorizationHeaders(request: FastifyRequest): string[] {
  const raw = request.raw.rawHeaders
  const values: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) {
    if (raw[i]?.toLowerCase() === 'authorization') values.push(raw[i + 1] ?? '')
  }
  return values
}

/**
 * Reads the bearer token of a request: the token, or `undefined` when the request carries no bearer
 * credentials at all.
 *
 * @throws {InvalidRequest} on a repeated `Authorization` header or a malformed bearer value
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.1 | RFC 6750 §2.1}
 */
export function readBearerToken(request: FastifyRequest, realm = 'cds'): string | undefined {
  const headers = authorizationHeaders(request)
  const malformed = (description: string) =>
    new InvalidRequest(description, { wwwAuthenticate: bearerChallenge({ realm, error: 'invalid_request', error_description: description }) })
  // RFC 6750 §3.1: more than one way of sending credentials (here, two headers) is invalid_request.
  if (headers.length > 1) throw malformed('the Authorization header is repeated')
  const header = (headers[0] ?? '').trim()
  if (!BEARER_SCHEME.test(header)) return undefined
  const token = header.replace(BEARER_SCHEME, '')
  if (!B64TOKEN.test(token)) throw malformed('the Bearer credentials are missing or malformed')
  return token
}

function scopeSatisfied(required: RequiredScope, granted: readonly string[]): boolean {
  if (typeof required === 'function') return required(granted)
  if (typeof required === 'string') return granted.includes(required)
  return required.some((scope) => granted.includes(scope))
}

/** The challenge's `scope` attribute for a requirement, when it can be written down. */
function scopeAttribute(required: RequiredScope): string | undefined {
  if (typeof required === 'function') return undefined
  return typeof required === 'string' ? required : required.join(' ')
}

/**
 * Builds the `onRequest` check for one route's scope requirement.
 *
 * @internal
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3.1 | RFC 6750 §3.1}
 */
export function bearerCheck(required: RequiredScope, options: BearerAuthOptions): onRequestAsyncHookHandler {
  const realm = options.realm ?? 'cds'
  const clock = options.clock ?? systemClock
  const invalid = (description: string) =>
    new InvalidToken(description, { wwwAuthenticate: bearerChallenge({ realm, error: 'invalid_token', error_description: description }) })

  return async (request) => {
    const token = readBearerToken(request, realm)
    if (token === undefined) {
      // RFC 6750 §3.1: without credentials, the challenge carries no error code.
      throw new InvalidToken('this resource needs a bearer access token in the Authorization header', {
        wwwAuthenticate: bearerChallenge({ realm }),
      })
    }
    const found = await options.findToken(token)
    // RFC 6750 §3.1: an unknown, revoked or expired token is invalid_token.
    if (found === undefined || found.token_type !== 'access_token') throw invalid('the access token is not valid')
    if (found.revoked_at !== null) throw invalid('the access token has been revoked')
    if (isExpired(found.expires_at, clock)) throw invalid('the access token has expired')
    const granted = found.scope.split(' ').filter((scope) => scope !== '')
    if (!scopeSatisfied(required, granted)) {
      const scope = scopeAttribute(required)
      const description = scope === undefined ? 'the access token does not grant access to this resource' : `this resource needs the scope ${scope}`
      // RFC 6750 §3.1: a valid token without the needed scope is 403 insufficient_scope.
      throw new InsufficientScope(description, {
        wwwAuthenticate: bearerChallenge({ realm, error: 'insufficient_scope', error_description: description, ...(scope === undefined ? {} : { scope }) }),
      })
    }
    request.accessToken = found
  }
}

/**
 * Protects every route that declares `config: { scope }` with an RFC 6750 bearer check, and
 * decorates requests with `accessToken`. Register it on the root instance before the routes, with
 * the error handler (`error-handler.ts`) that writes the errors it throws.
 *
 * @example
 * ```ts
 * await app.register(bearerAuthPlugin, { realm: issuer, findToken: (token) => store.tokens.find(hashSecret(token)), clock })
 * app.get('/clients', { config: { scope: 'cds_client_admin' } }, async (request) => list(request.accessToken))
 * ```
 * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-3 | RFC 6750 §3}
 * @see CDS-WG1-02 §11.2 Restricted Access
 */
export const bearerAuthPlugin = fp(
  async (app: FastifyInstance, options: BearerAuthOptions) => {
    if (typeof options.findToken !== 'function') throw new TypeError('bearerAuthPlugin needs a findToken function')
    app.decorateRequest('accessToken', null)
    app.addHook('onRoute', (route) => {
      const required = route.config?.scope
      if (required === undefined) return
      const check = bearerCheck(required, options)
      const existing = route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]
      route.onRequest = [check, ...existing]
    })
  },
  { name: 'cds-bearer-auth', fastify: '5.x' },
)
