/**
 * `PUT /api/clients/{client_id}`: a Client replaces its Client object (CDS-WG1-02 §5.5, RFC 7592
 * §2.2). The rules live in `plan-client-update.ts`; this endpoint writes the outcome in one
 * transaction: the changes that apply at once (200), a `field_changes` Message for those that wait
 * for review (202), the status side effects of A-16, and the changelog Message (§5.3).
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { Client, ClientModifyRequest } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ENDPOINT_PATHS, resourceUrl } from '../../config/endpoints.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { followClientScope } from '../grants/client-scope-grant.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { writeChangelog, writeServerMessage } from '../../shared/server-messages.js'
import { clientObject, findOwnClient } from './client-object.js'
import { changeClientStatus } from './client-status.js'
import { ClientParams } from './get-client.js'
import { planClientUpdate } from './plan-client-update.js'

/**
 * Registers the Client object update.
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 * @see {@link https://www.rfc-editor.org/rfc/rfc7592#section-2.2 | RFC 7592 §2.2}
 */
export const modifyClientPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.put(
    // CDS-WG1-02 §5.5 (R1-02-5.5-01): PUT of the whole object at its `cds_client_uri`.
    `${ENDPOINT_PATHS.clients_api}/:client_id`,
    {
      // RFC 7591 §3.2.2: a body that fails the schema is invalid client metadata. Default
      // authorization details may carry decimals, read without losing digits.
      config: { scope: 'cds_client_admin', validationError: 'invalid_client_metadata', decimalJson: true },
      schema: {
        operationId: 'modifyClient',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Modifying Client Objects',
        description:
          'Replaces the Client object: omitted fields reset to their defaults, server-set fields may only be repeated; ' +
          '202 when some changes wait for review, with a `field_changes` Message (CDS-WG1-02 §5.5).',
        params: ClientParams,
        body: ref(ClientModifyRequest),
        response: {
          200: ref(Client),
          202: ref(Client),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const caller = await callerRegistration(request, db)
      const { client_id } = request.params
      const body = request.body as Record<string, unknown>
      const outcome = await db.transaction().execute(async (trx) => {
        // R1-02-X-01: another registration's object is 404, before any field is looked at.
        const current = await findOwnClient(trx, caller.registration_id, client_id)
        const plan = planClientUpdate(config, clock, current, body)
        const related_uri = resourceUrl(config.base_url, 'clients_api', client_id)
        if (plan.appliedFields.length > 0) {
          const { cds_status, ...fields } = plan.applied
          // CDS-WG1-02 §5.1 (R1-02-5.1-07): cds_modified moves with every applied change.
          await new KyselyAuthStore(trx).clients.update(client_id, { ...fields, cds_modified: toDateTime(clock.now()) })
          // a client-credentials object's Grant follows its scope.
          if (fields.scope !== undefined) await followClientScope(trx, clock, config, current, current.scope, fields.scope)
          // disabling revokes the object's tokens and records when; re-enabling undoes the record.
          if (cds_status !== undefined) await changeClientStatus(trx, clock, client_id, cds_status)
          // CDS-WG1-02 §5.3 (R1-02-5.3-07): a changelog Message for every modification after registration.
          await writeChangelog(trx, clock, {
            registration_id: caller.registration_id,
            related_type: 'client',
            related_uri,
            name: cds_status === 'disabled' ? 'Client object disabled' : 'Client object modified',
            description: `The Client object ${client_id} changed: ${plan.appliedFields.join(', ')}.`,
          })
        }
        if (plan.review.length > 0) {
          // CDS-WG1-02 §5.5 (R1-02-5.5-07), §6.2 (R1-02-6.2-02): the held changes, as a pending Server Message.
          await writeServerMessage(trx, clock, {
            registration_id: caller.registration_id,
            previous_id: null,
            type: 'field_changes',
            status: 'pending',
            name: 'Client object changes awaiting review',
            description: `Changes to ${plan.review.map((r) => r.field).join(', ')} of the Client object ${client_id} wait for the server's review.`,
            updates_requested: plan.review,
            related_uri,
            related_type: 'client',
          })
        }
        return { client: clientObject(config, await findOwnClient(trx, caller.registration_id, client_id)), held: plan.review.length > 0 }
      })
      // CDS-WG1-02 §5.5 (R1-02-5.5-07, -08): 202 when anything waits for review (held fields keep their values), else 200.
      return reply.code(outcome.held ? 202 : 200).send(outcome.client)
    },
  )
}
