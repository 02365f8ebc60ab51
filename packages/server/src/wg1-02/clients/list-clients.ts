/**
 * `GET /api/clients`: the Client objects of the caller's registration, newest `cds_modified`
 * first, in pages of at most 100, filtered by `client_ids` (CDS-WG1-02 §5.3).
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { ClientListing, ClientListingQuery } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { keysetPage } from '../../db/keyset.js'
import type { Database } from '../../db/database.js'
import { parseIdList, whereIn } from '../../shared/filters.js'
import { CURSOR_PARAMETER, decodeCursor, pageLinks } from '../../shared/pagination.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { clientObject, storedClient } from './client-object.js'

// CDS-WG1-02 §5.3: `client_ids`, plus the pagination cursor. Unknown parameters are ignored (and
// kept in the page links).
const Querystring = Type.Object({
  client_ids: ClientListingQuery.properties.client_ids,
  [CURSOR_PARAMETER]: Type.Optional(Type.String({ description: 'Opaque cursor from a `next` or `previous` link.' })),
})

/**
 * Registers the Client object listing.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export const listClientsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    ENDPOINT_PATHS.clients_api,
    {
      // CDS-WG1-02 §5 (R1-02-5-01): a client_credentials token with the Client Admin scope.
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'listClients',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Listing Client Objects',
        description: 'The Client objects of the caller’s registration, most recently modified first, filtered by `client_ids` (CDS-WG1-02 §5.3).',
        querystring: Querystring,
        response: { 200: ref(ClientListing), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const cursor = decodeCursor(request.query.cursor)
      const ids = parseIdList(request.query.client_ids)
      const caller = await callerRegistration(request, db)
      const query = db
        .selectFrom('clients')
        .selectAll()
        // CDS-WG1-02 §5.3 (R1-02-5.3-02, R1-02-X-01): only the caller's own registration.
        .where('registration_id', '=', caller.registration_id)
        // CDS-WG1-02 §5.3 (R1-02-5.3-05): the `client_ids` filter; an id of another registration finds nothing.
        .where(whereIn<Database, 'clients'>('clients.client_id', ids))
      // CDS-WG1-02 §5.3 (R1-02-5.3-03, -06): newest `cds_modified` first, `client_id` as tie-break, ≤ 100 a page.
      const page = await keysetPage(query, {
        sort: 'clients.cds_modified',
        id: 'clients.client_id',
        cursor,
        keyOf: (row) => ({ sort: toDateTime(row.cds_modified), id: row.client_id }),
      })
      // CDS-WG1-02 §5.3 (R1-02-5.3-04, R1-02-X-09): next/previous always present, keeping the filters.
      return { clients: page.items.map((row) => clientObject(config, storedClient(row))), ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
