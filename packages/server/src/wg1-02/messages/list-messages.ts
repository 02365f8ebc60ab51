/**
 * `GET /api/messages`: the Messages listing (CDS-WG1-02 §6.8), three lists of the caller's
 * registration (outstanding, unread, read), each newest `modified` first and paginated on its own.
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { MessageListing, MessageListingQuery } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { KyselyMessageStore, MESSAGE_LISTS, type MessageList } from '../../db/message-store.js'
import { parseIdList } from '../../shared/filters.js'
import { CURSOR_PARAMETER, decodeCursor, pageLinks } from '../../shared/pagination.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { messageObject } from './message-object.js'

/**
 * The query parameter naming the list a `*_next`/`*_previous` link continues.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const LIST_PARAMETER = 'list'

// CDS-WG1-02 §6.8: `message_ids`, plus the list and cursor of a page link. No
// `additionalProperties: false`: unknown parameters are ignored and kept in the page links.
const Querystring = Type.Object({
  message_ids: MessageListingQuery.properties.message_ids,
  [LIST_PARAMETER]: Type.Optional(
    Type.Union([Type.Literal('outstanding'), Type.Literal('unread'), Type.Literal('read')], {
      description: 'The one list a `*_next` or `*_previous` link continues; the other two come back empty (A-36).',
    }),
  ),
  [CURSOR_PARAMETER]: Type.Optional(Type.String({ description: 'Opaque cursor from a `*_next` or `*_previous` link.' })),
})

/** The request's path and query with `list` set, so that the page links of each list name it. */
function withList(requestUrl: string, list: MessageList): string {
  const url = new URL(requestUrl, 'http://request.invalid')
  url.searchParams.set(LIST_PARAMETER, list)
  return `${url.pathname}${url.search}`
}

/**
 * Registers `GET /api/messages`.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const listMessagesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  const store = new KyselyMessageStore(db)
  app.get(
    ENDPOINT_PATHS.messages_api,
    {
      // CDS-WG1-02 §6 (R1-02-6-03): a Client Admin token.
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'listMessages',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Listing Messages',
        description:
          'The Messages of the caller’s registration in three lists (outstanding, unread, read), each newest `modified` first, at most 100 per page, with its own next and previous links; a link fills only its own list (CDS-WG1-02 §6.8, A-36).',
        querystring: Querystring,
        response: { 200: ref(MessageListing), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { registration_id } = await callerRegistration(request, db)
      const cursor = decodeCursor(request.query.cursor)
      const only = request.query.list
      // a cursor belongs to one list, so it comes with the list it continues.
      if (cursor !== undefined && only === undefined) throw new InvalidRequest(`the query parameter '${LIST_PARAMETER}' is required with '${CURSOR_PARAMETER}'`)
      // CDS-WG1-02 §6.8 (R1-02-6.8-06): the filter applies to every list.
      const message_ids = parseIdList(request.query.message_ids)
      const body: MessageListing = {
        outstanding: [],
        outstanding_next: null,
        outstanding_previous: null,
        unread: [],
        unread_next: null,
        unread_previous: null,
        read: [],
        read_next: null,
        read_previous: null,
      }
      // CDS-WG1-02 §6.8 (R1-02-6.8-07): a page link fills only its own list; the others stay [] and null.
      for (const list of only === undefined ? MESSAGE_LISTS : [only]) {
        const page = await store.listPage(registration_id, list, { message_ids, cursor })
        const links = pageLinks(config.base_url, withList(request.url, list), page)
        body[list] = page.items.map((m) => messageObject(config.base_url, m))
        body[`${list}_next`] = links.next
        body[`${list}_previous`] = links.previous
      }
      return body
    },
  )
}
