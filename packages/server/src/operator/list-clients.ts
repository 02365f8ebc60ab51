/**
 * `GET /operator/clients`: Client objects across every registration, newest `cds_modified` first
 * (the order of CDS-WG1-02 §5.3), filtered by registration, id or status, each with its
 * `registration_id`: where the operator finds a Client object to disable, re-enable or narrow.
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { ClientStatus } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { Database } from '../db/database.js'
import { keysetPage } from '../db/keyset.js'
import { parseIdList, whereIn } from '../shared/filters.js'
import { decodeCursor, pageLinks } from '../shared/pagination.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { clientObject, storedClient } from '../wg1-02/clients/client-object.js'
import { enumValues, parseEnumList } from './enum-filter.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { OperatorClientListing, OperatorCursor } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

const Querystring = Type.Object({
  registration_ids: Type.Optional(Type.String({ description: 'Space-separated `registration_id` values.' })),
  client_ids: Type.Optional(Type.String({ description: 'Space-separated `client_id` values.' })),
  statuses: Type.Optional(Type.String({ description: 'Space-separated `cds_status` values (CDS-WG1-02 §5.2).' })),
  cursor: OperatorCursor,
})

/**
 * Registers `GET /operator/clients`.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export const listClientsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    '/operator/clients',
    {
      schema: {
        operationId: 'operatorListClients',
        tags: [OPERATOR_TAG],
        summary: 'Listing Client objects across registrations',
        description: 'Client objects of every registration, newest `cds_modified` first (CDS-WG1-02 §5.3).',
        security: OPERATOR_SECURITY,
        querystring: Querystring,
        response: { 200: OperatorClientListing, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { query } = request
      const cursor = decodeCursor(query.cursor)
      const statuses = parseEnumList('statuses', query.statuses, enumValues(ClientStatus))
      const base = db
        .selectFrom('clients')
        .selectAll()
        .where(whereIn<Database, 'clients'>('clients.registration_id', parseIdList(query.registration_ids)))
        .where(whereIn<Database, 'clients'>('clients.client_id', parseIdList(query.client_ids)))
        .where(whereIn<Database, 'clients'>('clients.cds_status', statuses))
      const page = await keysetPage(base, {
        sort: 'clients.cds_modified',
        id: 'clients.client_id',
        cursor,
        keyOf: (row) => ({ sort: toDateTime(row.cds_modified), id: row.client_id }),
      })
      const clients = page.items.map((row) => ({ registration_id: row.registration_id, client: clientObject(config, storedClient(row)) }))
      return { clients, ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
