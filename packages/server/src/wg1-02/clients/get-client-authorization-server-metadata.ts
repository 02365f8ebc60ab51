/**
 * `GET /api/clients/{client_id}/oauth-authorization-server`: the Authorization Server Metadata as
 * one Client object sees it, linked as `oauth_metadata` from its client-specific CDS Server
 * Metadata (CDS-WG1-02 §5.1, R1-02-5.1-14). It is the public document with the object's
 * overridden Scope Descriptions and the unions derived from them; issuer and endpoints are the
 * public ones. Only a Client Admin token of the object's registration reads it.
 *
 * @module
 */
import { AuthorizationServerMetadata, stringifyJson } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { buildAuthorizationServerMetadata } from '../oauth/get-authorization-server-metadata.js'
import { findOwnClient } from './client-object.js'
import { ClientParams } from './get-client.js'
import { withClientPurposes } from './client-purposes.js'
import { withScopeOverrides } from './scope-overrides.js'

/**
 * Registers the client-specific Authorization Server Metadata.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export const getClientAuthorizationServerMetadataPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    `${ENDPOINT_PATHS.clients_api}/:client_id/oauth-authorization-server`,
    {
      // the same Client Admin token as the CDS Server Metadata that links here; 401 without one.
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'getClientAuthorizationServerMetadata',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Client Object Format',
        description:
          'The Authorization Server Metadata with the Scope Descriptions as they apply to one Client object (CDS-WG1-02 §5.1 `cds_server_metadata`, §3.2).',
        params: ClientParams,
        response: { 200: ref(AuthorizationServerMetadata), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const caller = await callerRegistration(request, db)
      const client = await findOwnClient(db, caller.registration_id, request.params.client_id)
      void reply.header('cache-control', 'private, no-cache')
      // CDS-WG1-02 §5.1 (R1-02-5.1-14): the narrowed values, and the unions computed from them;
      // CDS-WG3-01 §7.4.4 (R3-01-7.4.4-04): the object's own Purposes as the `purpose` choices.
      const metadata = buildAuthorizationServerMetadata(withClientPurposes(withScopeOverrides(config, client.scope_overrides), client))
      // Sent as prepared text, as the public document is, so the CDS-WG3-01 §5 members the
      // WG1-02 response schema does not name reach the Client (catalog §1.1).
      return (reply as FastifyReply).type('application/json; charset=utf-8').send(stringifyJson(metadata))
    },
  )
}
