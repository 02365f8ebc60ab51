/**
 * `GET /api/files/:file_id/download`: the raw bytes of a Server-Provided File, streamed chunk by
 * chunk from the database, when the Grant Admin token's Grant shares it (CDS-WG1-02 §9.4).
 *
 * @module
 */
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { KyselyFileStore } from '../../db/file-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import { errorResponses } from '../../shared/schemas.js'
import { contentDisposition } from './content-disposition.js'
import { grantAdminScope } from './files-access.js'
import { FileParams, reachableFile } from './get-file.js'

// OpenAPI: the body is the file itself, in whatever media type its `mime_type` names; the handler
// sends it as a stream.
const BinaryBody = Type.Unsafe<Readable>({
  description: 'The bytes of the file, with `Content-Type` = its `mime_type`, `Content-Length` = its `size` and an attachment `Content-Disposition`.',
  content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
})

/**
 * Registers the download endpoint. The body is streamed one `file_chunks` row at a time, so a
 * file of any size is never held in memory whole.
 *
 * @see CDS-WG1-02 §9.4 Downloading Server-Provided File Data
 */
export const downloadFilePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.get(
    `${ENDPOINT_PATHS.server_provided_files_api}/:file_id/download`,
    {
      // CDS-WG1-02 §9.1 (R1-02-9.1-03): the download takes the same authentication as the rest of the API.
      config: { scope: grantAdminScope(config), noStore: true },
      schema: {
        operationId: 'downloadServerProvidedFile',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Downloading Server-Provided File Data',
        description: 'The raw data of the Server-Provided File at its `download_uri`, when the Grant of the Grant Admin access token shares it (CDS-WG1-02 §9.4).',
        params: FileParams,
        response: { 200: BinaryBody, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const file = await reachableFile(request, request.params.file_id, db, config, clock)
      // CDS-WG1-02 §9.4 (R1-02-9.4-01): the raw bytes, typed by the file's `mime_type`, `size` bytes long,
      // offered as an attachment under the file's `name` (example 12.22).
      void reply.header('content-type', file.mime_type)
      void reply.header('content-length', String(file.size))
      void reply.header('content-disposition', contentDisposition(file.name))
      void reply.header('x-content-type-options', 'nosniff')
      return reply.send(Readable.from(new KyselyFileStore(db, clock).readChunks(file.file_id), { objectMode: false }))
    },
  )
}
