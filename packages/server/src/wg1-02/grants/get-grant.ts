/**
 * `GET /api/grants/{grant_id}`: one Grant of the caller's registration, at its `uri`
 * (CDS-WG1-02 §8.5).
 *
 * @module
 */
import { Grant } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { settleExpiredGrants } from './grant-expiry.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { findOwnGrant, loadGrantObject } from './grant-object.js'

/**
 * The path parameter of every route under a Grant's `uri`.
 *
 * @see CDS-WG1-02 §8.5 Retrieving Individual Grants
 */
export const GrantParams = Type.Object({ grant_id: Type.String({ description: 'The `grant_id` of a Grant of the caller’s registration.' }) })

/**
 * Registers the Grant retrieval.
 *
 * @see CDS-WG1-02 §8.5 Retrieving Individual Grants
 */
export const getGrantPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.get(
    // CDS-WG1-02 §8.5 (R1-02-8.5-01): GET at the Grant's `uri`.
    `${ENDPOINT_PATHS.grants_api}/:grant_id`,
    {
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'getGrant',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Retrieving Individual Grants',
        description: 'One Grant of the caller’s registration (CDS-WG1-02 §8.5); another registration’s Grant is 404.',
        params: GrantParams,
        response: { 200: ref(Grant), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const caller = await callerRegistration(request, db)
      // CDS-WG1-02 §8.2, CDS-WG3-01 §7.3.8: a Grant whose end has passed is shown (and treated) as expired.
      await settleExpiredGrants(db, clock, config, caller.registration_id)
      // R1-02-X-01, -02: an unknown or foreign grant_id is 404.
      const record = await findOwnGrant(db, caller.registration_id, request.params.grant_id)
      return loadGrantObject(db, config.base_url, record)
    },
  )
}
