/**
 * `POST /oauth/introspect`: token introspection (RFC 7662), required by CDS-WG1-02 §3.2, on the
 * framework-free `handleIntrospectionRequest` of `@cds-ts/auth`.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662 | RFC 7662}
 * @module
 */
import { handleIntrospectionRequest } from '@cds-ts/auth'
import { IntrospectionRequest, IntrospectionResponse } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { ref } from '../../shared/schemas.js'
import { authorizationDetailsSerializer, endpointInput, ignoreUnknownHint, OAUTH_ERROR_RESPONSES, OAUTH_ROUTE_CONFIG, type OAuthEndpointOptions } from './oauth-endpoint.js'

/**
 * Registers `POST /oauth/introspect`. The caller authenticates with `client_secret_basic`; the body
 * (form-encoded, RFC 7662 §2.1) is validated against `IntrospectionRequest`, open to unknown
 * parameters. The answer is `{ "active": false }` for any token that is not live or not of the
 * caller's registration, and carries `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * await app.register(introspectionPlugin, { store, clock: systemClock, config })
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7662#section-2 | RFC 7662 §2}
 */
export const introspectionPlugin: FastifyPluginAsync<OAuthEndpointOptions> = async (app, { store, clock, config }) => {
  const options = { store, clock, issuer: config.base_url, realm: config.base_url }
  app.post(
    // RFC 7662 §2.1 (catalog RFC7662-01): introspection is a POST of a form.
    ENDPOINT_PATHS.introspection,
    {
      config: OAUTH_ROUTE_CONFIG,
      // An unknown token_type_hint is ignored, not refused (ignoreUnknownHint).
      attachValidation: true,
      // RFC 9396 §7, §9.2: authorization_details entries keep every member (see authorizationDetailsSerializer).
      serializerCompiler: authorizationDetailsSerializer,
      schema: {
        operationId: 'introspectToken',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Token introspection',
        description:
          'Tells an authenticated client whether a token is active and, for tokens of its own registration, what it grants (RFC 7662 §2; RFC 9396 §9.2; A-39).',
        consumes: ['application/x-www-form-urlencoded'],
        body: ref(IntrospectionRequest),
        response: { 200: ref(IntrospectionResponse), ...OAUTH_ERROR_RESPONSES },
      },
    },
    // RFC 7662 §2.2: 200 with the introspection response as JSON.
    async (request) => {
      ignoreUnknownHint(request, IntrospectionRequest)
      return handleIntrospectionRequest(endpointInput(request), options)
    },
  )
}
