/**
 * `GET /api/files`: the Server-Provided Files a Grant Admin token reaches, newest `modified`
 * first, in pages, filtered by `file_ids` (CDS-WG1-02 §9.2).
 *
 * @module
 */
import { ServerProvidedFileListing, ServerProvidedFileListingQuery } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { KyselyFileStore } from '../../db/file-store.js'
import { parseIdList, whereIn } from '../../shared/filters.js'
import { CURSOR_PARAMETER, decodeCursor, pageLinks } from '../../shared/pagination.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { fileObject } from './file-object.js'
import { filesAccess, grantAdminScope } from './files-access.js'

// CDS-WG1-02 §9.2: `file_ids`, plus the pagination cursor. Unknown parameters are ignored (and
// kept in the page links).
const Querystring = Type.Object({
  file_ids: ServerProvidedFileListingQuery.properties.file_ids,
  [CURSOR_PARAMETER]: Type.Optional(Type.String({ description: 'Opaque cursor from a `next` or `previous` link.' })),
})

/**
 * Registers the Server-Provided Files listing.
 *
 * @see CDS-WG1-02 §9.2 Listing Server-Provided Files
 */
export const listFilesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.get(
    ENDPOINT_PATHS.server_provided_files_api,
    {
      config: { scope: grantAdminScope(config), noStore: true },
      schema: {
        operationId: 'listServerProvidedFiles',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Listing Server-Provided Files',
        description:
          'The Server-Provided Files shared by the Grant of the Grant Admin access token, most recently modified first, ' +
          'filtered by `file_ids` (CDS-WG1-02 §9.2).',
        querystring: Querystring,
        response: { 200: ref(ServerProvidedFileListing), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const cursor = decodeCursor(request.query.cursor)
      const filter = parseIdList(request.query.file_ids)
      const access = await filesAccess(request, db, config, clock)
      // CDS-WG1-02 §9.2 (R1-02-9.2-03): only the files of the token's Grant; (R1-02-9.2-04) the
      // `file_ids` filter intersects with them.
      const reachable = filter === undefined ? access.file_ids : new Set([...access.file_ids].filter((id) => filter.has(id)))
      // CDS-WG1-02 §9.2 (R1-02-9.2-02, -05): newest `modified` first, at most 100 per page.
      const page =
        reachable.size === 0
          ? { items: [], next: null, previous: null }
          : await new KyselyFileStore(db, clock).list(cursor, (q) => q.where(whereIn<Database, 'server_provided_files'>('server_provided_files.file_id', reachable)))
      // CDS-WG1-02 §9.2: `next`/`previous` always present, null at either end, keeping the filters.
      return { files: page.items.map((record) => fileObject(config.base_url, record)), ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
