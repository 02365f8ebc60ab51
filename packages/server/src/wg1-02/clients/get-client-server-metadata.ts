/**
 * `GET /api/clients/{client_id}/cds-server-metadata.json`: the CDS Server Metadata as one Client
 * object sees it (CDS-WG1-02 §5.1 `cds_server_metadata`, R1-02-5.1-13..16). It is the public
 * document with its own URL as `cds_metadata_url` and the object's own Authorization Server
 * Metadata as `oauth_metadata`. Only a Client Admin token of the object's registration
 * reads it; without a token the answer is 401, which tells a Client to send one.
 *
 * @module
 */
import { ServerMetadata } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { buildServerMetadata } from '../../wg1-01/metadata/get-server-metadata.js'
import { clientAuthorizationServerMetadataUrl, clientServerMetadataUrl, findOwnClient } from './client-object.js'
import { ClientParams } from './get-client.js'
import { withClientPurposes } from './client-purposes.js'
import { withScopeOverrides } from './scope-overrides.js'

/**
 * Registers the client-specific CDS Server Metadata.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 * @see CDS-WG1-01 §3.2 Metadata Object Format
 */
export const getClientServerMetadataPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    `${ENDPOINT_PATHS.clients_api}/:client_id/cds-server-metadata.json`,
    {
      // CDS-WG1-02 §5.1 (R1-02-5.1-16): a Client Admin Bearer token, 401 without one.
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'getClientServerMetadata',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Client Object Format',
        description:
          'The CDS Server Metadata as it applies to one Client object, linking its own Authorization Server Metadata (CDS-WG1-02 §5.1 `cds_server_metadata`).',
        params: ClientParams,
        response: { 200: ref(ServerMetadata), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const caller = await callerRegistration(request, db)
      const { client_id } = request.params
      const client = await findOwnClient(db, caller.registration_id, client_id)
      const metadata = buildServerMetadata(withClientPurposes(withScopeOverrides(config, client.scope_overrides), client))
      // A document for one registration only: no shared cache keeps it.
      void reply.header('cache-control', 'private, no-cache')
      return {
        ...metadata,
        // the document names itself, and links the object's own Authorization Server Metadata.
        cds_metadata_url: clientServerMetadataUrl(config, client_id),
        // CDS-WG1-02 §5.1 (R1-02-5.1-14): `oauth_metadata` carries the client-specific Scope Descriptions.
        oauth_metadata: clientAuthorizationServerMetadataUrl(config, client_id),
      }
    },
  )
}
