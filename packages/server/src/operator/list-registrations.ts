/**
 * `GET /operator/registrations`: every registration (CDS-WG1-02 §4.2), newest first, with its
 * Client objects and how many of its Messages wait for an answer, so the operator knows whom to
 * answer. A registration is known by its first Client object, the `cds_client_admin` one.
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql } from 'kysely'
import Type from 'typebox'
import { fromJsonText } from '../db/json-text.js'
import { keysetPage } from '../db/keyset.js'
import { parseIdList, whereIn } from '../shared/filters.js'
import { decodeCursor, pageLinks } from '../shared/pagination.js'
import type { Database } from '../db/database.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { OperatorCursor, type OperatorRegistration, OperatorRegistrationListing } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

const Querystring = Type.Object({
  registration_ids: Type.Optional(Type.String({ description: 'Space-separated `registration_id` values.' })),
  cursor: OperatorCursor,
})

/**
 * The statuses of Messages that wait for the server or the Client ("outstanding").
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const OUTSTANDING_STATUSES = ['open', 'pending'] as const

/**
 * Registers `GET /operator/registrations`.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const listRegistrationsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    '/operator/registrations',
    {
      schema: {
        operationId: 'operatorListRegistrations',
        tags: [OPERATOR_TAG],
        summary: 'Listing registrations',
        description: 'Every registration, newest first, with its Client objects and its count of open or pending Messages.',
        security: OPERATOR_SECURITY,
        querystring: Querystring,
        response: { 200: OperatorRegistrationListing, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const cursor = decodeCursor(request.query.cursor)
      const ids = parseIdList(request.query.registration_ids)
      // The first Client object of a registration is its cds_client_admin one (CDS-WG1-02 §4.2).
      const admins = db
        .selectFrom('clients')
        .select(['registration_id', 'client_id', 'client_name', 'contacts', 'cds_created'])
        .where((eb) =>
          eb('seq', '=', eb.selectFrom('clients as first').select(({ fn }) => fn.min('first.seq').as('seq')).whereRef('first.registration_id', '=', 'clients.registration_id')),
        )
        .where(whereIn<Database, 'clients'>('clients.registration_id', ids))
      const page = await keysetPage(admins, {
        sort: 'clients.cds_created',
        id: 'clients.registration_id',
        cursor,
        keyOf: (row) => ({ sort: toDateTime(row.cds_created), id: row.registration_id }),
      })
      const registrationIds = page.items.map((row) => row.registration_id)
      const clientIds = new Map<string, string[]>()
      const outstanding = new Map<string, number>()
      if (registrationIds.length > 0) {
        const clients = await db.selectFrom('clients').select(['registration_id', 'client_id']).where('registration_id', 'in', registrationIds).orderBy('seq').execute()
        for (const row of clients) clientIds.set(row.registration_id, [...(clientIds.get(row.registration_id) ?? []), row.client_id])
        const counts = await db
          .selectFrom('messages')
          .select(['registration_id', sql<string>`count(*)`.as('count')])
          .where('registration_id', 'in', registrationIds)
          .where('status', 'in', [...OUTSTANDING_STATUSES])
          .groupBy('registration_id')
          .execute()
        for (const row of counts) outstanding.set(row.registration_id, Number(row.count))
      }
      const registrations: OperatorRegistration[] = page.items.map((row) => ({
        registration_id: row.registration_id,
        admin_client_id: row.client_id,
        client_name: row.client_name,
        contacts: fromJsonText(row.contacts),
        created: toDateTime(row.cds_created),
        client_ids: clientIds.get(row.registration_id) ?? [],
        outstanding_messages: outstanding.get(row.registration_id) ?? 0,
      }))
      return { registrations, ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
