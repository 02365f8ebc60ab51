/**
 * `GET /api/files/:file_id`: one Server-Provided File's metadata, when the Grant Admin token's
 * Grant shares it (CDS-WG1-02 §9.3).
 *
 * @module
 */
import { NotFound, type Clock } from '@cds-ts/auth'
import { ServerProvidedFile } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import Type from 'typebox'
import type { ServerConfig } from '../../config/config-schema.js'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { KyselyFileStore, type FileRecord } from '../../db/file-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { fileObject } from './file-object.js'
import { filesAccess, grantAdminScope } from './files-access.js'

/** The path parameter of the per-file endpoints. */
export const FileParams = Type.Object({ file_id: Type.String({ description: 'The `file_id` of the Server-Provided File.' }) })

/**
 * The file the request names, when the request's Grant Admin token reaches it. A file outside the
 * token's Grant is answered exactly like an unknown one (A-26: no existence leak).
 *
 * @throws {NotFound} when the file is unknown or not shared by the token's Grant
 * @see CDS-WG1-02 §9.3 Retrieving Individual Server-Provided Files
 * @see CDS-WG1-02 §9.4 Downloading Server-Provided File Data
 */
export async function reachableFile(request: FastifyRequest, file_id: string, db: Kysely<Database>, config: ServerConfig, clock: Clock): Promise<FileRecord> {
  const access = await filesAccess(request, db, config, clock)
  const notFound = () => new NotFound(`no Server-Provided File ${file_id} is shared with this access token`)
  // CDS-WG1-02 §9.3, §9.4 (R1-02-9.3-01): only a file the token's Grant lists; A-26: 404 otherwise.
  if (!access.file_ids.has(file_id)) throw notFound()
  const record = await new KyselyFileStore(db, clock).find(file_id)
  if (record === undefined) throw notFound()
  return record
}

/**
 * Registers the endpoint that returns one Server-Provided File object.
 *
 * @see CDS-WG1-02 §9.3 Retrieving Individual Server-Provided Files
 */
export const getFilePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.get(
    `${ENDPOINT_PATHS.server_provided_files_api}/:file_id`,
    {
      config: { scope: grantAdminScope(config), noStore: true },
      schema: {
        operationId: 'getServerProvidedFile',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Retrieving Individual Server-Provided Files',
        description: 'The Server-Provided File object at its `uri`, when the Grant of the Grant Admin access token shares it (CDS-WG1-02 §9.3).',
        params: FileParams,
        response: { 200: ref(ServerProvidedFile), ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => fileObject(config.base_url, await reachableFile(request, request.params.file_id, db, config, clock)),
  )
}
