/**
 * `POST /oauth/revoke`: token revocation (RFC 7009), required by CDS-WG1-02 §3.2, on the
 * framework-free `handleRevocationRequest` of `@cds-ts/auth`.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009 | RFC 7009}
 * @module
 */
import { handleRevocationRequest } from '@cds-ts/auth'
import { RevocationRequest } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { ref } from '../../shared/schemas.js'
import { endpointInput, ignoreUnknownHint, OAUTH_ERROR_RESPONSES, OAUTH_ROUTE_CONFIG, type OAuthEndpointOptions } from './oauth-endpoint.js'

/**
 * Registers `POST /oauth/revoke`. The caller authenticates with `client_secret_basic`, or as a
 * public client with its `client_id`; the body (form-encoded, RFC 7009 §2.1) is validated against
 * `RevocationRequest`, open to unknown parameters. The answer is 200 with no body whether the token
 * was revoked, unknown, or not the caller's (RFC 7009 §2.2, A-39).
 *
 * @example
 * ```ts
 * await app.register(revocationPlugin, { store, clock: systemClock, config })
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2 | RFC 7009 §2}
 */
export const revocationPlugin: FastifyPluginAsync<OAuthEndpointOptions> = async (app, { store, clock, config }) => {
  const options = { store, clock, realm: config.base_url }
  app.post(
    // RFC 7009 §2.1 (catalog RFC7009-01): revocation is a POST of a form.
    ENDPOINT_PATHS.revocation,
    {
      config: OAUTH_ROUTE_CONFIG,
      // An unknown token_type_hint is ignored, not refused (ignoreUnknownHint).
      attachValidation: true,
      schema: {
        operationId: 'revokeToken',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Token revocation',
        description:
          'Revokes an access or refresh token of the caller’s registration; revoking a refresh token also revokes the access tokens of the same grant (RFC 7009 §2; A-39).',
        consumes: ['application/x-www-form-urlencoded'],
        body: ref(RevocationRequest),
        response: { 200: Type.Null({ description: 'Revoked, or nothing to revoke; the body is empty (RFC 7009 §2.2).' }), ...OAUTH_ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      ignoreUnknownHint(request, RevocationRequest)
      await handleRevocationRequest(endpointInput(request), options)
      // RFC 7009 §2.2 (catalog RFC7009-02): 200 for a revoked token and for an unknown one alike.
      return reply.code(200).send()
    },
  )
}
