/**
 * `GET /api/grants`: the Grants of the caller's registration, newest `modified` first, in pages of
 * at most 100, with the eight filters of CDS-WG1-02 §8.4 (they intersect).
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { GrantListing, GrantListingQuery } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { toJsonText } from '../../db/json-text.js'
import { grantRecord } from '../../db/grant-store.js'
import { keysetPage } from '../../db/keyset.js'
import { parseDateTimeFilter, parseIdList, whereCreatedBetween, whereIn } from '../../shared/filters.js'
import { CURSOR_PARAMETER, decodeCursor, pageLinks } from '../../shared/pagination.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { settleExpiredGrants } from './grant-expiry.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { loadGrantObjects } from './grant-object.js'

// CDS-WG1-02 §8.4: the eight filters (after/before are read by parseDateTimeFilter, which names the
// parameter in its 400), plus the pagination cursor. Unknown parameters are ignored.
const Querystring = Type.Object({
  grant_ids: GrantListingQuery.properties.grant_ids,
  parents: GrantListingQuery.properties.parents,
  statuses: GrantListingQuery.properties.statuses,
  client_ids: GrantListingQuery.properties.client_ids,
  scopes: GrantListingQuery.properties.scopes,
  receipt_confirmations: GrantListingQuery.properties.receipt_confirmations,
  after: Type.Optional(Type.String({ description: 'Only Grants created at or after this RFC 3339 datetime.' })),
  before: Type.Optional(Type.String({ description: 'Only Grants created at or before this RFC 3339 datetime.' })),
  [CURSOR_PARAMETER]: Type.Optional(Type.String({ description: 'Opaque cursor from a `next` or `previous` link.' })),
})

type GrantsEb = ExpressionBuilder<Database, 'grants' | 'clients'>

const textList = (values: ReadonlySet<string>) => sql.join([...values].map((value) => sql`${value}`))

/**
 * CDS-WG1-02 §8.4 (R1-02-8.4-07): a value matches a token of `scope` or the `type` of an
 * `authorization_details` entry.
 */
function whereScopes(scopes: ReadonlySet<string> | undefined) {
  return (_eb: GrantsEb): Expression<SqlBool> =>
    scopes === undefined
      ? sql<boolean>`true`
      : sql<boolean>`(exists (select 1 from regexp_split_to_table(grants.scope, ' ') as s(token) where s.token in (${textList(scopes)}))
        or exists (select 1 from jsonb_array_elements(grants.authorization_details) as d(entry) where d.entry->>'type' in (${textList(scopes)})))`
}

/** CDS-WG1-02 §8.4 (R1-02-8.4-08): a Grant that lists one of the receipt confirmation codes. */
function whereReceipts(codes: ReadonlySet<string> | undefined) {
  return (_eb: GrantsEb): Expression<SqlBool> =>
    codes === undefined
      ? sql<boolean>`true`
      : // One containment test per code, so the GIN index on receipt_confirmations answers it.
        sql<boolean>`(${sql.join(
          [...codes].map((code) => sql`grants.receipt_confirmations @> ${toJsonText([code])}::jsonb`),
          sql` or `,
        )})`
}

/**
 * Registers the Grant listing.
 *
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export const listGrantsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.get(
    ENDPOINT_PATHS.grants_api,
    {
      // CDS-WG1-02 §8 (R1-02-8-01): a client_credentials token with the Client Admin scope.
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'listGrants',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Listing Grants',
        description:
          'The Grants of the caller’s registration, most recently modified first, filtered by `grant_ids`, `parents`, `statuses`, `client_ids`, ' +
          '`scopes`, `receipt_confirmations`, `after` and `before` (CDS-WG1-02 §8.4).',
        querystring: Querystring,
        response: { 200: ref(GrantListing), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const q = request.query
      const cursor = decodeCursor(q.cursor)
      const after = parseDateTimeFilter('after', q.after)
      const before = parseDateTimeFilter('before', q.before)
      const caller = await callerRegistration(request, db)
      // CDS-WG1-02 §8.2, CDS-WG3-01 §7.3.8: a Grant whose end has passed is shown (and treated) as expired.
      await settleExpiredGrants(db, clock, config, caller.registration_id)
      const query = db
        .selectFrom('grants')
        .innerJoin('clients', 'clients.client_id', 'grants.client_id')
        .selectAll('grants')
        // CDS-WG1-02 §8 (R1-02-8-01, R1-02-X-01): the Grants of the caller's own registration only.
        .where('clients.registration_id', '=', caller.registration_id)
        // CDS-WG1-02 §8.4 (R1-02-8.4-03..-11): each filter given narrows the listing; unknown values find nothing.
        .where(whereIn<Database, 'grants' | 'clients'>('grants.grant_id', parseIdList(q.grant_ids)))
        .where(whereIn<Database, 'grants' | 'clients'>('grants.parent', parseIdList(q.parents)))
        // R1-02-8.4-05: an unknown status simply matches nothing (no 400).
        .where(whereIn<Database, 'grants' | 'clients'>('grants.status', parseIdList(q.statuses)))
        .where(whereIn<Database, 'grants' | 'clients'>('grants.client_id', parseIdList(q.client_ids)))
        .where(whereScopes(parseIdList(q.scopes)))
        .where(whereReceipts(parseIdList(q.receipt_confirmations)))
        // R1-02-8.4-09, -10: `created` within [after, before], both inclusive.
        .where(whereCreatedBetween<Database, 'grants' | 'clients'>('grants.created', after, before))
      // CDS-WG1-02 §8.4 (R1-02-8.4-12): newest `modified` first, `grant_id` as tie-break, ≤ 100 a page.
      const page = await keysetPage(query, {
        sort: 'grants.modified',
        id: 'grants.grant_id',
        cursor,
        keyOf: (row) => ({ sort: toDateTime(row.modified), id: row.grant_id }),
      })
      const grants = await loadGrantObjects(db, config.base_url, page.items.map(grantRecord))
      // CDS-WG1-02 §8.4 (R1-02-8.4-01, -02): next/previous always present, keeping the filters.
      return { grants, ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
