/**
 * `POST /operator/messages/{message_id}/approve-grant-request`: the operator approves a
 * `grant_request` (CDS-WG1-02 §6.9). In one transaction the server creates one Grant per entry of
 * `grants_requested` for the Client object named by the request's `related_uri` (which may belong
 * to another registration, A-48; each Grant is announced to the registration that sees it), then
 * replies with a `request_update` `complete` whose `related_uri` is the Grants listing filtered to
 * exactly the new Grants (`related_type` `grant_list`), mirrored onto the request
 * (R1-02-6.9-18, -20, R1-02-6.3-04, A-09).
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { GrantStatus } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { endpointUrl } from '../config/endpoints.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { createGrant } from '../wg1-02/grants/grant-changes.js'
import { loadGrantObjects } from '../wg1-02/grants/grant-object.js'
import { messageObject } from '../wg1-02/messages/message-object.js'
import { replyWithRequestUpdate } from '../wg1-02/messages/request-updates.js'
import { MessageParams, requireUndecided } from './approve-production-request.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { linkedClient, requireMessage } from './operator-lookups.js'
import { emptyBodyAsObject, OperatorGrantApproval } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

const Body = Type.Object(
  {
    description: Type.Optional(Type.String({ description: 'The text of the `request_update`; a default lists the new Grants.' })),
    status: Type.Optional(GrantStatus),
  },
  { additionalProperties: false, description: 'Optional: the text of the reply, and the status of the new Grants (default `active`).' },
)

/**
 * The Grants listing URL filtered to the given Grants: `{cds_grants_api}?grant_ids=<ids>`, the ids
 * space-separated and URL-encoded (CDS-WG1-02 §8.4).
 *
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export function grantListUrl(baseUrl: string, grant_ids: readonly string[]): string {
  return `${endpointUrl(baseUrl, 'grants_api')}?grant_ids=${encodeURIComponent(grant_ids.join(' '))}`
}

/**
 * Registers `POST /operator/messages/{message_id}/approve-grant-request`.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 * @see CDS-WG1-02 §6.6 Client Grant Request Object Format
 */
export const approveGrantRequestPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/messages/:message_id/approve-grant-request',
    {
      // The body is optional: none reads as {}.
      preValidation: emptyBodyAsObject,
      schema: {
        operationId: 'operatorApproveGrantRequest',
        tags: [OPERATOR_TAG],
        summary: 'Approving a grant request',
        description:
          'Creates the Grants a pending `grant_request` asks for, for the Client object it names, and replies with a `request_update` ' +
          '`complete` linking the Grants listing filtered to them (CDS-WG1-02 §6.9, §6.3).',
        security: OPERATOR_SECURITY,
        params: MessageParams,
        body: Body,
        response: { 201: OperatorGrantApproval, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const result = await db.transaction().execute(async (trx) => {
        const grantRequest = await requireMessage(trx, request.params.message_id)
        requireUndecided(grantRequest, 'grant_request')
        const target = await linkedClient(trx, config, grantRequest)
        // CDS-WG1-02 §6.1, §6.9: the request names the Client object the Grants are for.
        if (target === undefined) throw new InvalidRequest('the related_uri of the grant_request is not a Client object of this server')
        const wanted = grantRequest.grants_requested ?? []
        if (wanted.length === 0) throw new InvalidRequest('the grant_request lists no grants_requested')
        for (const [index, entry] of wanted.entries()) {
          // CDS-WG1-02 §6.6: the authorization details types are the target Client object's.
          const foreign = entry.authorization_details.find((detail) => !target.authorization_details_types.includes(detail.type))
          if (foreign !== undefined) {
            throw new InvalidRequest(`grants_requested/${index} has the authorization details type ${foreign.type}, which ${target.client_id} does not take`)
          }
        }
        const records = []
        for (const entry of wanted) {
          // CDS-WG1-02 §6.9 (R1-02-6.9-18): the Grants asked for, announced to the registration that sees them.
          records.push(
            await createGrant(trx, clock, {
              client_id: target.client_id,
              scope: entry.scope,
              authorization_details: entry.authorization_details,
              status: request.body.status ?? 'active',
              changelog: { base_url: config.base_url, name: 'Grant created', description: `A Grant for ${target.client_id} was created in answer to a grant request.` },
            }),
          )
        }
        const grant_ids = records.map((grant) => grant.grant_id)
        // CDS-WG1-02 §6.9 (R1-02-6.9-20), §6.3 (R1-02-6.3-04): complete, linking exactly the new Grants.
        const decided = await replyWithRequestUpdate(trx, clock, config, grantRequest.message_id, 'complete', {
          name: 'Grant request approved',
          description: request.body.description ?? `Approved: ${grant_ids.length} Grant(s) were created for the Client object ${target.client_id}.`,
          related_uri: grantListUrl(config.base_url, grant_ids),
          related_type: 'grant_list',
        })
        return {
          registration_id: grantRequest.registration_id,
          request_update: messageObject(config.base_url, decided.request_update),
          request: messageObject(config.base_url, decided.original),
          grants: await loadGrantObjects(trx, config.base_url, records),
        }
      })
      return reply.code(201).send(result)
    },
  )
}
