/**
 * `PATCH /api/messages/{message_id}`: marks a Message read or unread (CDS-WG1-02 §6.11).
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { Message, MessageModifyRequest } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { KyselyMessageStore } from '../../db/message-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { MessageParams } from './get-message.js'
import { messageObject } from './message-object.js'
import { findOwnMessage } from './own-message.js'

/**
 * Registers `PATCH /api/messages/{message_id}`. Only `read` can change; the body schema refuses a
 * `read` that is not a boolean (400), and every other member is ignored.
 *
 * @see CDS-WG1-02 §6.11 Modifying Messages
 */
export const modifyMessagePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.patch(
    `${ENDPOINT_PATHS.messages_api}/:message_id`,
    {
      // CDS-WG1-02 §6 (R1-02-6-03): a Client Admin token.
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'modifyMessage',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Modifying Messages',
        description:
          'Marks the Message read (`true`) or unread (`false`); other members are ignored, and a change of `read` updates `modified` (CDS-WG1-02 §6.11, A-13).',
        params: MessageParams,
        // CDS-WG1-02 §6.11 (R1-02-6.11-08): `read` must be a boolean; (R1-02-6.11-09) the rest is ignored.
        body: ref(MessageModifyRequest),
        response: {
          200: ref(Message),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { registration_id } = await callerRegistration(request, db)
      const { read } = request.body
      const message = await db.transaction().execute(async (trx) => {
        const store = new KyselyMessageStore(trx)
        const current = await findOwnMessage(store, registration_id, request.params.message_id)
        // CDS-WG1-02 §6.11 (R1-02-6.11-02): an absent `read` leaves the Message as it is.
        if (read === undefined || read === current.read) return current
        // CDS-WG1-02 §6.11 (R1-02-6.11-03, -10; A-13): the change is applied now and moves `modified`.
        const modified = toDateTime(clock.now())
        await store.update(current.message_id, { read, modified })
        return { ...current, read, modified }
      })
      return messageObject(config.base_url, message)
    },
  )
}
