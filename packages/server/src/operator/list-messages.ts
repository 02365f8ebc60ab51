/**
 * `GET /operator/messages`: Messages across every registration, newest `modified` first, by
 * default only the outstanding ones (`open` or `pending`, CDS-WG1-02 §6.8): the requests the
 * operator has to decide (§6.9) and the server requests the Clients have to answer.
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { MessageStatus, MessageType } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { keysetPage } from '../db/keyset.js'
import { KyselyMessageStore, messageRecord } from '../db/message-store.js'
import { parseIdList, whereIn } from '../shared/filters.js'
import { decodeCursor, pageLinks } from '../shared/pagination.js'
import type { Database } from '../db/database.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { messageObject } from '../wg1-02/messages/message-object.js'
import { enumValues, parseEnumList } from './enum-filter.js'
import { OUTSTANDING_STATUSES } from './list-registrations.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { OperatorCursor, OperatorMessageListing } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

const Querystring = Type.Object({
  registration_ids: Type.Optional(Type.String({ description: 'Space-separated `registration_id` values.' })),
  message_ids: Type.Optional(Type.String({ description: 'Space-separated `message_id` values.' })),
  statuses: Type.Optional(Type.String({ description: 'Space-separated Message statuses; default `open pending` (the outstanding ones).' })),
  types: Type.Optional(Type.String({ description: 'Space-separated Message types.' })),
  cursor: OperatorCursor,
})

/**
 * Registers `GET /operator/messages`.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const listMessagesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    '/operator/messages',
    {
      schema: {
        operationId: 'operatorListMessages',
        tags: [OPERATOR_TAG],
        summary: 'Listing Messages across registrations',
        description: 'Messages of every registration, newest `modified` first; by default only `open` and `pending` ones (CDS-WG1-02 §6.8).',
        security: OPERATOR_SECURITY,
        querystring: Querystring,
        response: { 200: OperatorMessageListing, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { query } = request
      const cursor = decodeCursor(query.cursor)
      const statuses = parseEnumList('statuses', query.statuses, enumValues(MessageStatus)) ?? new Set<string>(OUTSTANDING_STATUSES)
      const types = parseEnumList('types', query.types, enumValues(MessageType))
      const base = db
        .selectFrom('messages')
        .selectAll()
        .where(whereIn<Database, 'messages'>('messages.registration_id', parseIdList(query.registration_ids)))
        .where(whereIn<Database, 'messages'>('messages.message_id', parseIdList(query.message_ids)))
        .where(whereIn<Database, 'messages'>('messages.status', statuses))
        .where(whereIn<Database, 'messages'>('messages.type', types))
      const page = await keysetPage(base, {
        sort: 'messages.modified',
        id: 'messages.message_id',
        cursor,
        keyOf: (row) => ({ sort: toDateTime(row.modified), id: row.message_id }),
      })
      const withFiles = page.items.filter((row) => row.attachment_count > 0).map((row) => row.message_id)
      const attachments = await new KyselyMessageStore(db).attachments(withFiles)
      const messages = page.items.map((row) => ({
        registration_id: row.registration_id,
        message: messageObject(config.base_url, messageRecord(row, attachments.get(row.message_id) ?? [])),
      }))
      return { messages, ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
