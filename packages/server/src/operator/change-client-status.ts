/**
 * `POST /operator/clients/{client_id}/status`: the operator disables a Client object, or enables it
 * again with one of its `cds_status_options` (CDS-WG1-02 §5.2). Disabling revokes the object's
 * tokens and makes its Credentials report the disable time (§7.1, A-16); both ways write a
 * changelog Message to the registration (§5.3, R1-02-6-01), in one transaction. The
 * `cds_client_admin` object is never disabled (§5.1 keeps `disabled` out of its options), so the
 * Client can always read why its other objects were.
 *
 * @module
 */
import { InvalidRequest, NotFound } from '@cds-ts/auth'
import { ClientStatus } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { resourceUrl } from '../config/endpoints.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { writeChangelog } from '../shared/server-messages.js'
import { scopeTokens } from '../wg1-02/clients/client-fields.js'
import { clientObject, findClient } from '../wg1-02/clients/client-object.js'
import { changeClientStatus } from '../wg1-02/clients/client-status.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { OperatorClient } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

/**
 * The `client_id` path parameter of the actions on one Client object.
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export const ClientParams = Type.Object({ client_id: Type.String({ description: 'The `client_id` of the Client object acted on.' }) })

const Body = Type.Object(
  {
    status: ClientStatus,
    reason: Type.Optional(Type.String({ description: 'Why; added to the changelog Message.' })),
  },
  { additionalProperties: false },
)

/**
 * Registers `POST /operator/clients/{client_id}/status`.
 *
 * @see CDS-WG1-02 §5.2 Client Object Statuses
 */
export const changeClientStatusPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/clients/:client_id/status',
    {
      schema: {
        operationId: 'operatorChangeClientStatus',
        tags: [OPERATOR_TAG],
        summary: 'Disabling or enabling a Client object',
        description:
          'Disables a Client object (its tokens are revoked, its Credentials report the disable time) or enables it with one of its ' +
          '`cds_status_options`, with a changelog Message (CDS-WG1-02 §5.2, §7.1, A-16).',
        security: OPERATOR_SECURITY,
        params: ClientParams,
        body: Body,
        response: { 200: OperatorClient, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { client_id } = request.params
      const { status, reason } = request.body
      return db.transaction().execute(async (trx) => {
        const client = await findClient(trx, client_id)
        if (client === undefined) throw new NotFound(`no Client object has the client_id '${client_id}'`)
        if (status === 'disabled' && scopeTokens(client.scope).includes('cds_client_admin')) {
          // CDS-WG1-02 §5.1 (R1-02-5.1-11): the admin Client object is never disabled.
          throw new InvalidRequest('the cds_client_admin Client object cannot be disabled')
        }
        if (status !== 'disabled' && !client.cds_status_options.includes(status)) {
          // CDS-WG1-02 §5.1, §5.2: an enabled object takes a status it offers; production comes with its own object (§6.9).
          throw new InvalidRequest(`${status} is not one of the cds_status_options of ${client_id} (${client.cds_status_options.join(', ')})`)
        }
        if (client.cds_status !== status) {
          await changeClientStatus(trx, clock, client_id, status)
          // CDS-WG1-02 §5.3 (R1-02-5.3-07), §6 (R1-02-6-01): a status the server changes is announced.
          await writeChangelog(trx, clock, {
            registration_id: client.registration_id,
            related_type: 'client',
            related_uri: resourceUrl(config.base_url, 'clients_api', client_id),
            name: status === 'disabled' ? 'Client object disabled' : 'Client object enabled',
            description:
              `The server changed the cds_status of the Client object ${client_id} from ${client.cds_status} to ${status}.` +
              (status === 'disabled' ? ' Its tokens were revoked and its Credentials no longer work.' : '') +
              (reason === undefined ? '' : ` ${reason}`),
          })
        }
        const updated = await findClient(trx, client_id)
        if (updated === undefined) throw new TypeError(`the Client object ${client_id} vanished inside its own transaction`)
        return { registration_id: updated.registration_id, client: clientObject(config, updated) }
      })
    },
  )
}
