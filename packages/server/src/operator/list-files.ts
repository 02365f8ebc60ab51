/**
 * `GET /operator/files`: every stored Server-Provided File, newest `modified` first (the order of
 * CDS-WG1-02 §9.2), shared or not, so the operator can pick the ones to share.
 *
 * @module
 */
import { ServerProvidedFileListing } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { KyselyFileStore } from '../db/file-store.js'
import type { Database } from '../db/database.js'
import { parseIdList, whereIn } from '../shared/filters.js'
import { decodeCursor, pageLinks } from '../shared/pagination.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { errorResponses, ref } from '../shared/schemas.js'
import { fileObject } from '../wg1-02/server-provided-files/file-object.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { OperatorCursor } from './operator-schemas.js'

const Querystring = Type.Object({
  file_ids: Type.Optional(Type.String({ description: 'Space-separated `file_id` values.' })),
  cursor: OperatorCursor,
})

/**
 * Registers `GET /operator/files`.
 *
 * @see CDS-WG1-02 §9.2 Listing Server-Provided Files
 */
export const listFilesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.get(
    '/operator/files',
    {
      schema: {
        operationId: 'operatorListFiles',
        tags: [OPERATOR_TAG],
        summary: 'Listing Server-Provided Files',
        description: 'Every stored Server-Provided File, newest `modified` first (CDS-WG1-02 §9.2).',
        security: OPERATOR_SECURITY,
        querystring: Querystring,
        response: { 200: ref(ServerProvidedFileListing), ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const ids = parseIdList(request.query.file_ids)
      const page = await new KyselyFileStore(db, clock).list(decodeCursor(request.query.cursor), (q) =>
        q.where(whereIn<Database, 'server_provided_files'>('server_provided_files.file_id', ids)),
      )
      return { files: page.items.map((record) => fileObject(config.base_url, record)), ...pageLinks(config.base_url, request.url, page) }
    },
  )
}
