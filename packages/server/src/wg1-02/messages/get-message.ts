/**
 * `GET /api/messages/{message_id}`: one Message of the caller's registration (CDS-WG1-02 §6.10).
 *
 * @module
 */
import { Message } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { KyselyMessageStore } from '../../db/message-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { messageObject } from './message-object.js'
import { findOwnMessage } from './own-message.js'

/**
 * The path parameter of a Message `uri`.
 *
 * @see CDS-WG1-02 §6.10 Retrieving Individual Messages
 */
export const MessageParams = Type.Object({ message_id: Type.String({ description: 'The `message_id` of the Message.' }) })

/**
 * Registers `GET /api/messages/{message_id}`.
 *
 * @see CDS-WG1-02 §6.10 Retrieving Individual Messages
 */
export const getMessagePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  const store = new KyselyMessageStore(db)
  app.get(
    `${ENDPOINT_PATHS.messages_api}/:message_id`,
    {
      // CDS-WG1-02 §6 (R1-02-6-03): a Client Admin token.
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'getMessage',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Retrieving Individual Messages',
        description: 'The Message at its `uri`; 404 for an unknown Message or one of another registration (CDS-WG1-02 §6.10).',
        params: MessageParams,
        response: { 200: ref(Message), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => {
      const { registration_id } = await callerRegistration(request, db)
      // CDS-WG1-02 §6.10 (R1-02-6.10-01): the Message at this `uri`, if it is the caller's.
      return messageObject(config.base_url, await findOwnMessage(store, registration_id, request.params.message_id))
    },
  )
}
