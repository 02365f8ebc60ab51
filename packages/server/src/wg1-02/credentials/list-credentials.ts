/**
 * `GET /api/credentials`: the Credentials of every Client object of the caller's registration,
 * newest `modified` first, in pages of at most 100, filtered by `credential_ids`, `client_ids`
 * and the inclusive `after`/`before` bounds on `created` (CDS-WG1-02 §7.3).
 *
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { CredentialListing, CredentialListingQuery } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { keysetPage } from '../../db/keyset.js'
import { parseDateTimeFilter, parseIdList, whereCreatedBetween, whereIn } from '../../shared/filters.js'
import { CURSOR_PARAMETER, decodeCursor, pageLinks } from '../../shared/pagination.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { credentialObject, selectCredentials } from './credential-object.js'

const filters = CredentialListingQuery.properties
// CDS-WG1-02 §7.3: the four filters, plus the pagination cursor. `after`/`before` arrive as text and
// are read by `parseDateTimeFilter` (an empty value is no filter, a bad one 400 naming it). Unknown
// parameters are ignored (and kept in the page links).
const Querystring = Type.Object({
  credential_ids: filters.credential_ids,
  client_ids: filters.client_ids,
  after: Type.Optional(Type.String({ description: 'Only Credentials created at or after this RFC 3339 datetime.' })),
  before: Type.Optional(Type.String({ description: 'Only Credentials created at or before this RFC 3339 datetime.' })),
  [CURSOR_PARAMETER]: Type.Optional(Type.String({ description: 'Opaque cursor from a `next` or `previous` link.' })),
})

/**
 * Registers the Credential listing.
 *
 * @see CDS-WG1-02 §7.3 Listing Credentials
 */
export const listCredentialsPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db }) => {
  app.get(
    ENDPOINT_PATHS.credentials_api,
    {
      // CDS-WG1-02 §7 (R1-02-7-02): Client Admin tokens; R1-02-X-06: secrets are never cached.
      config: { scope: 'cds_client_admin', noStore: true },
      schema: {
        operationId: 'listCredentials',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Listing Credentials',
        description:
          'The Credentials of the caller’s registration, most recently modified first, filtered by `credential_ids`, `client_ids`, `after` and `before` (CDS-WG1-02 §7.3).',
        querystring: Querystring,
        response: { 200: ref(CredentialListing), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { query } = request
      const cursor = decodeCursor(query.cursor)
      const credentialIds = parseIdList(query.credential_ids)
      const clientIds = parseIdList(query.client_ids)
      const after = parseDateTimeFilter('after', query.after)
      const before = parseDateTimeFilter('before', query.before)
      const caller = await callerRegistration(request, db)
      const rows = selectCredentials(db)
        // CDS-WG1-02 §7.3 (R1-02-7.3-01, R1-02-X-01): the Credentials of the caller's registration only.
        .where('clients.registration_id', '=', caller.registration_id)
        // CDS-WG1-02 §7.3 (R1-02-7.3-03, -04, -07): the id filters, intersected.
        .where(whereIn<Database, 'credentials' | 'clients'>('credentials.credential_id', credentialIds))
        .where(whereIn<Database, 'credentials' | 'clients'>('credentials.client_id', clientIds))
        // CDS-WG1-02 §7.3 (R1-02-7.3-05, -06): `created` within both bounds, inclusive.
        .where(whereCreatedBetween<Database, 'credentials' | 'clients'>('credentials.created', after, before))
      // CDS-WG1-02 §7.3 (R1-02-7.3-02, -08): newest `modified` first, `credential_id` as tie-break, ≤ 100 a page.
      const page = await keysetPage(rows, {
        sort: 'credentials.modified',
        id: 'credentials.credential_id',
        cursor,
        keyOf: (row) => ({ sort: toDateTime(row.modified), id: row.credential_id }),
      })
      // R1-02-X-09: next/previous always present, keeping the filters.
      return { credentials: page.items.map((row) => credentialObject(config, row)), ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
