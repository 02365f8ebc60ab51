/**
 * `POST /oauth/token`: the token endpoint (RFC 6749 §3.2) of CDS-WG1-02, on the framework-free
 * `handleTokenRequest` of `@cds-ts/auth`: `client_credentials` (Client Admin, Grant Admin and
 * direct-access scopes), `authorization_code` with PKCE `S256`, and `refresh_token` with rotation.
 *
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-3.2 | RFC 6749 §3.2}
 * @module
 */
import { handleTokenRequest, InvalidGrant, InvalidRequest, InvalidScope, TOKEN_GRANT_TYPES, UnsupportedGrantType } from '@cds-ts/auth'
import {
  AuthorizationCodeTokenRequest,
  checkStrict,
  ClientCredentialsTokenRequest,
  RefreshTokenRequest,
  TokenRequest,
  TokenResponse,
} from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import type { TSchema } from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { ref } from '../../shared/schemas.js'
import { authorizationDetailsSerializer, endpointInput, OAUTH_ERROR_RESPONSES, OAUTH_ROUTE_CONFIG, type OAuthEndpointOptions } from './oauth-endpoint.js'

const REQUEST_SCHEMAS: Readonly<Record<string, TSchema>> = {
  client_credentials: ClientCredentialsTokenRequest,
  authorization_code: AuthorizationCodeTokenRequest,
  refresh_token: RefreshTokenRequest,
}

/**
 * The error for a token request body that failed its schema, named after the parameter at fault:
 * `unsupported_grant_type` for an unknown `grant_type` (RFC 6749 §5.2), `invalid_scope` for a
 * malformed `scope` (§5.2), `invalid_grant` for a malformed `code_verifier` (RFC 7636 §4.6), and
 * `invalid_request` for anything else.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export function tokenRequestError(body: unknown, fallback: Error): Error {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  const grant_type = fields.grant_type
  // RFC 6749 §4.1.3, §4.4.2, §6: grant_type is REQUIRED.
  if (typeof grant_type !== 'string') return new InvalidRequest("the body parameter 'grant_type' is required")
  const schema = REQUEST_SCHEMAS[grant_type]
  // RFC 6749 §5.2 (catalog RFC6749-06): an unknown grant type is unsupported_grant_type, not a malformed request.
  if (schema === undefined || !(TOKEN_GRANT_TYPES as readonly string[]).includes(grant_type)) {
    return new UnsupportedGrantType(`the grant type ${grant_type} is not supported`)
  }
  const issue = checkStrict(schema, fields)[0]
  if (issue === undefined) return fallback
  const parameter = issue.path.split('/')[1] ?? ''
  const description = parameter === '' ? `the body ${issue.message}` : `the body parameter '${parameter}' ${issue.message}`
  // RFC 6749 §5.2: a malformed scope is invalid_scope.
  if (parameter === 'scope') return new InvalidScope(description)
  // RFC 7636 §4.6 (catalog RFC7636-05): a malformed verifier is invalid_grant.
  if (parameter === 'code_verifier') return new InvalidGrant(description)
  return new InvalidRequest(description)
}

/**
 * Registers `POST /oauth/token`. The body is form-encoded (RFC 6749 §3.2) and validated against
 * `TokenRequest`; unknown parameters are ignored (§3.2), so the body schema stays open. Every
 * answer carries `Cache-Control: no-store` and `Pragma: no-cache` (§5.1); errors are thrown as
 * `OAuthError`s for the shared error handler (§5.2; `invalid_client` is 401 with a Basic challenge).
 *
 * @example
 * ```ts
 * await app.register(tokenPlugin, { store, clock: systemClock, config, grants: kyselyGrantLookup(db) })
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5 | RFC 6749 §5}
 */
export const tokenPlugin: FastifyPluginAsync<OAuthEndpointOptions> = async (app, { store, clock, config, grants, checkPreselections }) => {
  const options = {
    store,
    clock,
    scopes: config.oauth.scope_descriptions,
    lifetimes: config.token_lifetimes,
    timezone: config.oauth.timezone,
    grants,
    checkPreselections,
    realm: config.base_url,
  }
  app.post(
    // RFC 6749 §3.2 (catalog RFC6749-01): the token endpoint takes POST only.
    ENDPOINT_PATHS.token,
    {
      config: OAUTH_ROUTE_CONFIG,
      // RFC 9396 §7, §9.2: authorization_details entries keep every member (see authorizationDetailsSerializer).
      serializerCompiler: authorizationDetailsSerializer,
      // The handler names the parameter at fault (tokenRequestError) instead of Ajv's anyOf message.
      attachValidation: true,
      schema: {
        operationId: 'requestToken',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Token endpoint',
        description:
          'Issues access tokens for the client credentials (Client Admin, Grant Admin, direct access), authorization code (PKCE S256) ' +
          'and refresh token grants, with client_secret_basic or, for public scopes, none (RFC 6749 §3.2, §4.1.3, §4.4, §6; RFC 9396 §7; ' +
          'CDS-WG1-02 §3.3.1, §3.3.2).',
        consumes: ['application/x-www-form-urlencoded'],
        body: ref(TokenRequest),
        response: { 200: ref(TokenResponse), ...OAUTH_ERROR_RESPONSES },
      },
    },
    async (request) => {
      if (request.validationError !== undefined) throw tokenRequestError(request.body, request.validationError)
      // RFC 6749 §5.1 (catalog RFC6749-05): 200 with the token response as JSON.
      return handleTokenRequest(endpointInput(request), options)
    },
  )
}
