/**
 * `GET /api/coverage`: the coverage endpoint named by the metadata's `coverage` URL, listing the
 * configured coverage entries newest first, in pages, filtered by `ids` (CDS-WG1-01 §4–§4.2).
 *
 * @module
 */
import { CoverageListing, CoverageListingQuery, OAuthErrorResponse, type CoverageEntry } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { ConfigPluginOptions } from '../../config/config-schema.js'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { CACHEABLE_JSON_ROUTE, NOT_MODIFIED_RESPONSE, prepareJson, sendCacheableJson } from '../../shared/etag.js'
import { parseIdList } from '../../shared/filters.js'
import { ref } from '../../shared/schemas.js'
import { CURSOR_PARAMETER, decodeCursor, MAX_PAGE_SIZE, pageLinks, paginate } from '../../shared/pagination.js'

/** Options of {@link coveragePlugin}. */
export interface CoveragePluginOptions extends ConfigPluginOptions {
  /** Entries per page, 1–100; default 100. */
  pageSize?: number
}

// CDS-WG1-01 §4.2: `ids`, plus the pagination cursor. No `additionalProperties: false`: unknown
// parameters are ignored (and kept in the page links).
const Querystring = Type.Object({
  ids: CoverageListingQuery.properties.ids,
  [CURSOR_PARAMETER]: Type.Optional(Type.String({ description: 'Opaque cursor from a `next` or `previous` link.' })),
})


/**
 * Registers the coverage endpoint. Each page is sent with a strong ETag and answers a matching
 * `If-None-Match` with 304 (CDS-WG1-01 §4, R1-01-4-02); a cursor this server did not write gets
 * 400 `invalid_request` (R1-01-4-03).
 *
 * @see CDS-WG1-01 §4 Coverage Endpoint
 * @see CDS-WG1-01 §4.1 Coverage Listing Format
 * @see CDS-WG1-01 §4.2 Coverage Listing Filters
 */
export const coveragePlugin: FastifyPluginAsyncTypebox<CoveragePluginOptions> = async (app, { config, pageSize = MAX_PAGE_SIZE }) => {
  const keyOf = (entry: CoverageEntry) => ({ sort: entry.updated, id: entry.id })
  app.get(
    ENDPOINT_PATHS.coverage,
    {
      ...CACHEABLE_JSON_ROUTE,
      schema: {
        operationId: 'listCoverage',
        tags: ['CDS-WG1-01 Server Metadata'],
        summary: 'Coverage Endpoint',
        description: 'Coverage entries, most recently updated first, filtered by `ids` (CDS-WG1-01 §4.1, §4.2).',
        querystring: Querystring,
        response: { 200: ref(CoverageListing), 304: NOT_MODIFIED_RESPONSE, 400: ref(OAuthErrorResponse) },
      },
    },
    async (request, reply) => {
      const cursor = decodeCursor(request.query.cursor)
      const ids = parseIdList(request.query.ids)
      // CDS-WG1-01 §4.2 (R1-01-4.2-01): only the entries whose id is listed.
      const entries = ids === undefined ? config.coverage_entries : config.coverage_entries.filter((entry) => ids.has(entry.id))
      // CDS-WG1-01 §4.1 (R1-01-4.1-03): newest `updated` first, across pages.
      const page = paginate(entries, keyOf, cursor, pageSize)
      // CDS-WG1-01 §4.1 (R1-01-4.1-01): next and previous are always present, null at either end;
      // R1-01-4.2-03: the links keep the filters.
      const body: CoverageListing = { coverage_entries: page.items, ...pageLinks(config.base_url, request.url, page) }
      return sendCacheableJson(request, reply, prepareJson(body))
    },
  )
}
