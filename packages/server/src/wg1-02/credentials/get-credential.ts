/**
 * `GET /api/credentials/{credential_id}`: one Credential of the caller's registration, at its
 * `uri` (CDS-WG1-02 §7.4).
 *
 * @module
 */
import { Credential } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { credentialObject, findOwnCredential } from './credential-object.js'

/**
 * The path parameter of a Credential `uri`.
 *
 * @see CDS-WG1-02 §7.4 Retrieving Individual Credentials
 */
export const CredentialParams = Type.Object({
  credential_id: Type.String({ description: 'The `credential_id` of a Credential of the caller’s registration.' }),
})

/**
 * Registers the Credential retrieval.
 *
 * @see CDS-WG1-02 §7.4 Retrieving Individual Credentials
 */
export const getCredentialPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    // CDS-WG1-02 §7.4 (R1-02-7.4-01): GET at the Credential's `uri`.
    `${ENDPOINT_PATHS.credentials_api}/:credential_id`,
    {
      // R1-02-X-06: the response carries a secret.
      config: { scope: 'cds_client_admin', noStore: true },
      schema: {
        operationId: 'getCredential',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Retrieving Individual Credentials',
        description: 'One Credential of the caller’s registration (CDS-WG1-02 §7.4); another registration’s Credential is 404.',
        params: CredentialParams,
        response: { 200: ref(Credential), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const caller = await callerRegistration(request, db)
      // R1-02-X-01, -02: an unknown or foreign credential_id is 404.
      return credentialObject(config, await findOwnCredential(db, caller.registration_id, request.params.credential_id))
    },
  )
}
