/**
 * The token endpoint (RFC 6749 §3.2) of a CDS server, as an ordered list of named steps in the
 * style of oidc-provider's actions: read the parameters, authenticate the client, check the grant
 * type, run the grant, and build the RFC 6749 §5.1 response with the granted
 * `authorization_details` (RFC 9396 §7). Framework-free: a plain request in, a
 * {@link TokenResponse} or an `OAuthError` out.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 | RFC 6749 §3.2}
 * @module
 */
import type { ScopeDescription, TokenResponse } from '@cds-ts/schema'
import type { EndpointRequestInput } from './authenticate-endpoint-client.js'
import { authenticateEndpointClient } from './authenticate-endpoint-client.js'
import type { AuthenticatedClient, ClientAuthenticationMethod } from './client-authentication.js'
import type { Clock } from './clock.js'
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType } from './errors.js'
import { authorizationCodeGrant } from './grants/authorization-code.js'
import type { GrantLookup, PreselectionCheck } from './grants/client-credentials.js'
import { clientCredentialsGrant } from './grants/client-credentials.js'
import { refreshTokenGrant } from './grants/refresh-token.js'
import type { GrantContext, IssuedTokens, TokenLifetimes } from './grants/token-issuance.js'
import { stringParameter } from './grants/token-issuance.js'
import type { AuthStore, ClientRecord } from './store.js'

/**
 * The grant types this token endpoint runs, by `grant_type` value.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export const TOKEN_GRANT_TYPES = ['client_credentials', 'authorization_code', 'refresh_token'] as const

/**
 * A `grant_type` value of {@link TOKEN_GRANT_TYPES}.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export type TokenGrantType = (typeof TOKEN_GRANT_TYPES)[number]

/**
 * The token endpoint's view of an HTTP request: the `Authorization` header and the parsed form
 * body (single string values; a repeated parameter may arrive as an array and is refused).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 | RFC 6749 §3.2}
 */
export type TokenRequestInput = EndpointRequestInput

/**
 * Options of {@link handleTokenRequest}.
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 */
export interface TokenEndpointOptions {
  store: AuthStore
  clock: Clock
  /** The server's Scope Descriptions by scope id (`cds_scope_descriptions`). */
  scopes: Readonly<Record<string, ScopeDescription>>
  /** Access and refresh token lifetimes in seconds. */
  lifetimes: TokenLifetimes
  /** The IANA zone published as `cds_timezone`, in which relative dates are resolved (CDS-WG1-02 §3.9). */
  timezone: string
  /** The Grants Grant Admin requests may name (CDS-WG1-02 §3.3.2). */
  grants?: GrantLookup | undefined
  /** The data check of direct preselections (CDS-WG3-01 §7.4.3). */
  checkPreselections?: PreselectionCheck | undefined
  /** The realm of the Basic challenge sent with `invalid_client`; default `cds`. */
  realm?: string | undefined
}

/**
 * The state the token steps pass along: the request and options, and what each step found.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 | RFC 6749 §3.2}
 */
export interface TokenExchange {
  readonly input: TokenRequestInput
  readonly options: TokenEndpointOptions
  grant_type?: TokenGrantType
  authenticated?: AuthenticatedClient
  client?: ClientRecord
  issued?: IssuedTokens
}

/**
 * One named step of the token endpoint; it reads and fills the {@link TokenExchange} or throws.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 | RFC 6749 §3.2}
 */
export type TokenStep = (exchange: TokenExchange) => Promise<void>

// RFC 6749 §2.3: confidential clients use HTTP Basic; CDS-WG1-02 §3.4 (R1-02-3.4-10): `none` for public scopes.
const TOKEN_AUTH_METHODS: readonly ClientAuthenticationMethod[] = ['client_secret_basic', 'none']

/**
 * Step 1: `grant_type` is present, once, and one this server runs.
 *
 * @throws {InvalidRequest} when it is missing or repeated
 * @throws {UnsupportedGrantType} when it is not one of {@link TOKEN_GRANT_TYPES}
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export const checkGrantType: TokenStep = async (exchange) => {
  const grant_type = stringParameter(exchange.input.body, 'grant_type')
  // RFC 6749 §4.1.3, §4.4.2, §6: grant_type is REQUIRED.
  if (grant_type === undefined) throw new InvalidRequest("the parameter 'grant_type' is required")
  // RFC 6749 §5.2: a grant type the server does not support is unsupported_grant_type.
  if (!(TOKEN_GRANT_TYPES as readonly string[]).includes(grant_type)) throw new UnsupportedGrantType(`the grant type ${grant_type} is not supported`)
  exchange.grant_type = grant_type as TokenGrantType
}

/**
 * Step 2: the client authenticates with `client_secret_basic`, or as a public client (`none`)
 * when its Client object is registered that way; whether every scope accepts the method is
 * checked by the grant, once the scope is known.
 *
 * @throws {InvalidClient} (401, Basic challenge) when authentication fails
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3 | RFC 6749 §2.3}
 */
export const authenticateTokenClient: TokenStep = async (exchange) => {
  const { authenticated, client } = await authenticateEndpointClient(exchange.input, { ...exchange.options, methods: TOKEN_AUTH_METHODS })
  exchange.authenticated = authenticated
  exchange.client = client
}

/**
 * Step 3: the Client object is registered for this grant type.
 *
 * @throws {UnauthorizedClient} when it is not
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-2 | RFC 7591 §2}
 */
export const checkClientGrantType: TokenStep = async (exchange) => {
  const { client, grant_type } = need(exchange)
  // RFC 6749 §5.2, RFC 7591 §2: a client uses only the grant types in its `grant_types`.
  if (!client.grant_types.includes(grant_type)) throw new UnauthorizedClient(`this client is not registered for the ${grant_type} grant`)
}

/**
 * Step 4: runs the grant of the `grant_type`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 | RFC 6749 §4.1.3, §4.4.2, §6}
 */
export const runGrant: TokenStep = async (exchange) => {
  const { client, grant_type, authenticated } = need(exchange)
  const { store, clock, scopes, lifetimes, grants, timezone, checkPreselections } = exchange.options
  const context: GrantContext = { store, clock, scopes, lifetimes, client, authenticated }
  const body = exchange.input.body
  switch (grant_type) {
    case 'client_credentials':
      exchange.issued = await clientCredentialsGrant(body, { ...context, grants, timezone, checkPreselections })
      return
    case 'authorization_code':
      exchange.issued = await authorizationCodeGrant(body, context)
      return
    case 'refresh_token':
      exchange.issued = await refreshTokenGrant(body, context)
      return
  }
}

/**
 * The steps of the token endpoint, in order.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 | RFC 6749 §3.2}
 */
export const TOKEN_STEPS: readonly TokenStep[] = Object.freeze([checkGrantType, authenticateTokenClient, checkClientGrantType, runGrant])

/**
 * The successful response body of what a grant issued: `token_type` `Bearer`, `expires_in`,
 * the granted `scope` (always sent), `refresh_token` when one was issued, and the granted
 * `authorization_details` when there are any.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-7 | RFC 9396 §7}
 */
export function buildTokenResponse(issued: IssuedTokens): TokenResponse {
  const response: TokenResponse = {
    access_token: issued.access_token,
    // RFC 6750 §4 (catalog RFC6750-05): bearer tokens.
    token_type: 'Bearer',
    // RFC 6749 §5.1: expires_in is RECOMMENDED.
    expires_in: issued.expires_in,
    // RFC 6749 §5.1: scope is REQUIRED when it differs from the request; CDS servers always send it.
    scope: issued.scope,
  }
  if (issued.refresh_token !== undefined) response.refresh_token = issued.refresh_token
  // RFC 9396 §7 (catalog RFC9396-03): the granted authorization details come back with the token.
  if (issued.authorization_details.length > 0) response.authorization_details = issued.authorization_details
  return response
}

/**
 * Handles a token request: runs {@link TOKEN_STEPS} and returns the response body. The caller
 * sends it with `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 §5.1); errors are
 * thrown as `OAuthError`s for the caller's error handler (RFC 6749 §5.2).
 *
 * @example
 * ```ts
 * const body = await handleTokenRequest(
 *   { authorization: req.headers.authorization, body: req.body },
 *   { store, clock: systemClock, scopes: config.oauth.scope_descriptions, lifetimes: config.token_lifetimes, timezone: config.oauth.timezone },
 * )
 * ```
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5 | RFC 6749 §5}
 */
export async function handleTokenRequest(input: TokenRequestInput, options: TokenEndpointOptions): Promise<TokenResponse> {
  const exchange: TokenExchange = { input, options }
  for (const step of TOKEN_STEPS) await step(exchange)
  if (exchange.issued === undefined) throw new TypeError('the token steps ended without issuing a token')
  return buildTokenResponse(exchange.issued)
}

/** The fields earlier steps set, or a programmer error when a step runs out of order. */
function need(exchange: TokenExchange): { client: ClientRecord; grant_type: TokenGrantType; authenticated: AuthenticatedClient } {
  const { client, grant_type, authenticated } = exchange
  if (client === undefined || grant_type === undefined || authenticated === undefined) throw new TypeError('token step run out of order')
  return { client, grant_type, authenticated }
}
