/**
 * `POST /operator/grants/{grant_id}/status`: the operator moves a Grant to another status
 * (CDS-WG1-02 §8.2): suspends, disables, expires, delays, stops or errors it, or makes it `active`
 * again. The Grants helper keeps the enabled access consistent with the status (§8.1, A-21), revokes
 * the Grant's tokens when access ends (R1-02-8.2-04) and mirrors the change as a Message to the
 * Grant's registration (R1-02-6-01), in one transaction.
 *
 * @module
 */
import { Cds, GrantStatus } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { changeGrantStatus, type GrantStatusOptions } from '../wg1-02/grants/grant-changes.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { grantObjectOf } from './operator-lookups.js'
import { OperatorGrant } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

/**
 * The `grant_id` path parameter of the actions on one Grant.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export const GrantParams = Type.Object({ grant_id: Type.String({ description: 'The `grant_id` of the Grant acted on.' }) })

const Body = Type.Object(
  {
    status: GrantStatus,
    reason: Type.Optional(Type.String({ description: 'Why; added to the Message the Client receives.' })),
    eta: Type.Optional(Cds.Nullable(Cds.DateTime(), { description: 'For `pending`: when the review should end.' })),
    not_before: Type.Optional(Cds.Nullable(Cds.DateTime(), { description: 'For `future`: when access starts.' })),
  },
  { additionalProperties: false },
)

/**
 * Registers `POST /operator/grants/{grant_id}/status`.
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export const changeGrantStatusPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/grants/:grant_id/status',
    {
      schema: {
        operationId: 'operatorChangeGrantStatus',
        tags: [OPERATOR_TAG],
        summary: 'Changing a Grant status',
        description:
          'Moves a Grant to a status of CDS-WG1-02 §8.2, with its effect on the enabled access and on tokens, and a Message to the Client (R1-02-6-01).',
        security: OPERATOR_SECURITY,
        params: GrantParams,
        body: Body,
        response: { 200: OperatorGrant, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const { status, reason, eta, not_before } = request.body
      const options: GrantStatusOptions = {}
      if (reason !== undefined) options.reason = reason
      if (eta !== undefined) options.eta = eta
      if (not_before !== undefined) options.not_before = not_before
      return db.transaction().execute(async (trx) => {
        const record = await changeGrantStatus(trx, clock, config, request.params.grant_id, status, options)
        const grant = await grantObjectOf(trx, config.base_url, record)
        const owner = await trx.selectFrom('clients').select('registration_id').where('client_id', '=', record.client_id).executeTakeFirstOrThrow()
        return { registration_id: owner.registration_id, grant }
      })
    },
  )
}
