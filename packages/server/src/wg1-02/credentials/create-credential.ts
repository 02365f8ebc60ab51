/**
 * `POST /api/credentials`: a new secret for one Client object of the caller's registration
 * (CDS-WG1-02 §7.5), answered 201 with the Credential and its `client_secret`, and recorded in the
 * changelog (§7.3). The old Credentials keep working: rotation is create, then expire the old one.
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { Credential, CredentialCreateRequest } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { writeChangelog } from '../../shared/server-messages.js'
import { issueCredential } from './issue-credential.js'

/**
 * Registers the Credential creation.
 *
 * @see CDS-WG1-02 §7.5 Creating Credentials
 */
export const createCredentialPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    ENDPOINT_PATHS.credentials_api,
    {
      // R1-02-X-06: the response carries the new secret.
      config: { scope: 'cds_client_admin', noStore: true },
      schema: {
        operationId: 'createCredential',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Creating Credentials',
        description: 'Creates a Credential with a fresh `client_secret` for a Client object of the caller’s registration (CDS-WG1-02 §7.5).',
        body: ref(CredentialCreateRequest),
        response: { 201: ref(Credential), ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const caller = await callerRegistration(request, db)
      const { client_id } = request.body
      const credential = await db.transaction().execute(async (trx) => {
        const owner = await trx.selectFrom('clients').select(['registration_id']).where('client_id', '=', client_id).executeTakeFirst()
        // CDS-WG1-02 §7.5 (R1-02-7.5-02): a client_id outside the registration is an invalid value (400), told apart from nothing.
        if (owner?.registration_id !== caller.registration_id) throw new InvalidRequest(`the client_id ${client_id} is not a Client object of this registration`)
        const issued = await issueCredential(trx, clock, config, client_id)
        // CDS-WG1-02 §7.3 (R1-02-7.3-09): a changelog Message for the added Credential.
        await writeChangelog(trx, clock, {
          registration_id: caller.registration_id,
          related_type: 'credential',
          related_uri: issued.credential.uri,
          name: 'Credential created',
          description: `A new Credential ${issued.credential.credential_id} was created for the Client object ${client_id}.`,
        })
        return issued.credential
      })
      // CDS-WG1-02 §7.5 (R1-02-7.5-03): 201 with the new Credential; RFC 9110 §15.3.2: Location names it.
      return reply.code(201).header('location', credential.uri).send(credential)
    },
  )
}
