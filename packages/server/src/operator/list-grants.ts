/**
 * `GET /operator/grants`: Grants across every registration, newest `modified` first (the order of
 * CDS-WG1-02 §8.4), filtered by registration, Client object, status or id, so the operator can find
 * the Grant to suspend, disable or reactivate.
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { GrantStatus } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { Database } from '../db/database.js'
import { grantRecord } from '../db/grant-store.js'
import { keysetPage } from '../db/keyset.js'
import { parseIdList, whereIn } from '../shared/filters.js'
import { decodeCursor, pageLinks } from '../shared/pagination.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { loadGrantObjects } from '../wg1-02/grants/grant-object.js'
import { enumValues, parseEnumList } from './enum-filter.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { OperatorCursor, OperatorGrantListing } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

const Querystring = Type.Object({
  registration_ids: Type.Optional(Type.String({ description: 'Space-separated `registration_id` values.' })),
  client_ids: Type.Optional(Type.String({ description: 'Space-separated `client_id` values.' })),
  grant_ids: Type.Optional(Type.String({ description: 'Space-separated `grant_id` values.' })),
  statuses: Type.Optional(Type.String({ description: 'Space-separated Grant statuses (CDS-WG1-02 §8.2).' })),
  cursor: OperatorCursor,
})

/**
 * Registers `GET /operator/grants`.
 *
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export const listGrantsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    '/operator/grants',
    {
      schema: {
        operationId: 'operatorListGrants',
        tags: [OPERATOR_TAG],
        summary: 'Listing Grants across registrations',
        description: 'Grants of every registration, newest `modified` first (CDS-WG1-02 §8.4).',
        security: OPERATOR_SECURITY,
        querystring: Querystring,
        response: { 200: OperatorGrantListing, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { query } = request
      const cursor = decodeCursor(query.cursor)
      const statuses = parseEnumList('statuses', query.statuses, enumValues(GrantStatus))
      const base = db
        .selectFrom('grants')
        .innerJoin('clients', 'clients.client_id', 'grants.client_id')
        .selectAll('grants')
        .select('clients.registration_id')
        .where(whereIn<Database, 'grants' | 'clients'>('clients.registration_id', parseIdList(query.registration_ids)))
        .where(whereIn<Database, 'grants' | 'clients'>('grants.client_id', parseIdList(query.client_ids)))
        .where(whereIn<Database, 'grants' | 'clients'>('grants.grant_id', parseIdList(query.grant_ids)))
        .where(whereIn<Database, 'grants' | 'clients'>('grants.status', statuses))
      const page = await keysetPage(base, {
        sort: 'grants.modified',
        id: 'grants.grant_id',
        cursor,
        keyOf: (row) => ({ sort: toDateTime(row.modified), id: row.grant_id }),
      })
      const objects = await loadGrantObjects(db, config.base_url, page.items.map((row) => grantRecord(row)))
      const grants = objects.map((grant, index) => ({ registration_id: page.items[index]?.registration_id ?? '', grant }))
      return { grants, ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
