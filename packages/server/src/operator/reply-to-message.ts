/**
 * `POST /operator/messages/{message_id}/reply`: the operator's answer to a Message that waits for
 * the server — a `support_request`, a `client_submission` (or the `server_request` it answered),
 * a `field_changes` review, a payment or form request, or the rejection of a `production_request`
 * or `grant_request`. The answer is a `request_update` with the chosen status and text, linked to
 * the Message, whose status the answered request takes (CDS-WG1-02 §6.2, §6.3; ).
 *
 * Completing a `field_changes` Message also writes the held Client object changes (§5.5).
 * Completing a production or grant request creates objects, so it has its own actions
 * (`approve-production`, `approve-grant-request`); a rejection must say why (R1-02-6.3-06).
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { type MessageRelatedType } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { messageObject } from '../wg1-02/messages/message-object.js'
import { replyWithRequestUpdate, type RequestUpdateInput } from '../wg1-02/messages/request-updates.js'
import { applyFieldChanges } from './apply-field-changes.js'
import { MessageParams, requireUndecided } from './approve-production-request.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { requireMessage } from './operator-lookups.js'
import { OperatorDecision, OperatorReplyRequest } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

/** The actions that complete the requests whose completion creates objects. */
const APPROVE_ACTION: Readonly<Record<string, string>> = {
  production_request: 'approve-production',
  grant_request: 'approve-grant-request',
}

/**
 * Registers `POST /operator/messages/{message_id}/reply`.
 *
 * @see CDS-WG1-02 §6.2 Message Types
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export const replyToMessagePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/messages/:message_id/reply',
    {
      schema: {
        operationId: 'operatorReplyToMessage',
        tags: [OPERATOR_TAG],
        summary: 'Answering a Message',
        description:
          'Writes a `request_update` with the given status and text in reply to the Message, and sets the answered request to that status ' +
          '(CDS-WG1-02 §6.2, §6.3; A-09). Completing a `field_changes` Message applies the held Client object changes (§5.5).',
        security: OPERATOR_SECURITY,
        params: MessageParams,
        body: OperatorReplyRequest,
        response: { 201: OperatorDecision, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const { body } = request
      const result = await db.transaction().execute(async (trx) => {
        const message = await requireMessage(trx, request.params.message_id)
        const action = APPROVE_ACTION[message.type]
        if (body.status === 'complete' && action !== undefined) {
          // CDS-WG1-02 §6.9 (R1-02-6.9-17, -20): completing these means creating what they ask for first.
          throw new InvalidRequest(`a ${message.type} is completed with POST /operator/messages/{message_id}/${action}`)
        }
        // a decided production or grant request keeps its outcome; a second decision would contradict it.
        if (action !== undefined) requireUndecided(message, message.type)
        let related_uri = body.related_uri
        let related_type: MessageRelatedType | undefined = body.related_type
        if (message.type === 'field_changes' && body.status === 'complete') {
          requireUndecided(message, 'field_changes')
          // CDS-WG1-02 §5.5: an approved review writes the held changes.
          const applied = await applyFieldChanges(trx, clock, config, message)
          related_uri ??= applied.client_uri
          related_type ??= 'client'
        }
        if (related_uri !== undefined && related_type === undefined) {
          // CDS-WG1-02 §6.3 (R1-02-6.3-05): a completed payment links its receipt; other links are more information.
          related_type = message.type === 'payment_request' && body.status === 'complete' ? 'payment_receipt' : 'more_info'
        }
        const input: RequestUpdateInput = { description: body.description, name: body.name, related_uri, related_type }
        const decided = await replyWithRequestUpdate(trx, clock, config, message.message_id, body.status, input)
        return {
          registration_id: message.registration_id,
          request_update: messageObject(config.base_url, decided.request_update),
          request: messageObject(config.base_url, decided.mirrored ?? decided.original),
        }
      })
      return reply.code(201).send(result)
    },
  )
}
