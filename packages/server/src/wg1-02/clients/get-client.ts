/**
 * `GET /api/clients/{client_id}`: one Client object of the caller's registration, at its
 * `cds_client_uri` (CDS-WG1-02 §5.4).
 *
 * @module
 */
import { Client } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { clientObject, findOwnClient } from './client-object.js'

/**
 * The path parameter of every route under a Client object's `cds_client_uri`.
 *
 * @see CDS-WG1-02 §5.4 Retrieving Individual Client Objects
 */
export const ClientParams = Type.Object({ client_id: Type.String({ description: 'The `client_id` of a Client object of the caller’s registration.' }) })

/**
 * Registers the Client object retrieval.
 *
 * @see CDS-WG1-02 §5.4 Retrieving Individual Client Objects
 */
export const getClientPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    // CDS-WG1-02 §5.4 (R1-02-5.4-01): GET at the `cds_client_uri` of the object.
    `${ENDPOINT_PATHS.clients_api}/:client_id`,
    {
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'getClient',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Retrieving Individual Client Objects',
        description: 'One Client object of the caller’s registration (CDS-WG1-02 §5.4); another registration’s object is 404.',
        params: ClientParams,
        response: { 200: ref(Client), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const caller = await callerRegistration(request, db)
      // R1-02-X-01, -02: an unknown or foreign client_id is 404.
      return clientObject(config, await findOwnClient(db, caller.registration_id, request.params.client_id))
    },
  )
}
