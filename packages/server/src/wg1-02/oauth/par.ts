/**
 * `POST /oauth/par`: the pushed authorization request endpoint (RFC 9126), which CDS-WG1-02 §3.2
 * requires whenever a scope offers user authorization, on the framework-free
 * `pushAuthorizationRequest` of `@cds-ts/auth`.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2 | RFC 9126 §2}
 * @module
 */
import { pushAuthorizationRequest, type AuthorizationSettings, type RelativeDirectionOf } from '@cds-ts/auth'
import { PushedAuthorizationRequest, PushedAuthorizationResponse } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import type { ServerConfig } from '../../config/config-schema.js'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { ref } from '../../shared/schemas.js'
import { endpointInput, OAUTH_ERROR_RESPONSES, OAUTH_ROUTE_CONFIG, type OAuthEndpointOptions } from './oauth-endpoint.js'

/**
 * Options of {@link parPlugin} and the authorization endpoint plugin.
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export interface AuthorizationEndpointOptions extends OAuthEndpointOptions {
  /**
   * Which way each authorization details field's relative dates count (CDS-WG1-02 §3.8, A-31).
   * Default: forward, except the CDS-WG3-01 §7.3 fields that reach into the past.
   */
  relativeDirection?: RelativeDirectionOf | undefined
}

/**
 * The authorization settings of `@cds-ts/auth` from the server configuration: scope
 * descriptions, `cds_timezone`, the PAR requirement and the code and `request_uri` lifetimes.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export function authorizationSettings(config: ServerConfig, relativeDirection?: RelativeDirectionOf): AuthorizationSettings {
  return {
    scope_descriptions: config.oauth.scope_descriptions,
    timezone: config.oauth.timezone,
    require_pushed_authorization_requests: config.oauth.require_pushed_authorization_requests ?? false,
    request_uri_lifetime: config.token_lifetimes.request_uri,
    authorization_code_lifetime: config.token_lifetimes.authorization_code,
    ...(relativeDirection === undefined ? {} : { relativeDirection }),
  }
}

/**
 * Registers `POST /oauth/par`. The body is form-encoded (RFC 9126 §2.1) and documented by
 * `PushedAuthorizationRequest`; the core checks it after authenticating the client, so the
 * schema's verdict is not used (unknown parameters are ignored, RFC 6749 §3.1). The 201 and
 * every error carry `Cache-Control: no-store` (RFC 9126 §2.2, §2.3).
 *
 * @example
 * ```ts
 * await app.register(parPlugin, { store, clock: systemClock, config })
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2 | RFC 9126 §2}
 */
export const parPlugin: FastifyPluginAsync<AuthorizationEndpointOptions> = async (app, { store, clock, config, relativeDirection }) => {
  const settings = authorizationSettings(config, relativeDirection)
  app.post(
    // RFC 9126 §2 (RFC9126-04): POST only.
    ENDPOINT_PATHS.pushed_authorization_request,
    {
      config: OAUTH_ROUTE_CONFIG,
      // RFC 9126 §2.1: the client is authenticated before the request is judged; the core gives the precise error.
      attachValidation: true,
      schema: {
        operationId: 'pushAuthorizationRequest',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Pushed authorization request',
        description:
          'Stores an authorization request, checked as the authorization endpoint would, and returns a single-use request_uri for it ' +
          '(RFC 9126 §2; CDS-WG1-02 §3.2). Client authentication as at the token endpoint.',
        consumes: ['application/x-www-form-urlencoded'],
        body: ref(PushedAuthorizationRequest),
        response: { 201: ref(PushedAuthorizationResponse), ...OAUTH_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { status, body } = await pushAuthorizationRequest(endpointInput(request), { store, clock, settings, realm: config.base_url })
      // RFC 9126 §2.2 (RFC9126-01): 201 Created with the request_uri and its lifetime.
      return reply.code(status).send(body)
    },
  )
}
