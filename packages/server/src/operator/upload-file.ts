/**
 * `POST /operator/files?name=…&mime_type=…&description=…`: the operator stores a Server-Provided
 * File (CDS-WG1-02 §9.1). The request body is the file's raw bytes, of any content type; they are
 * streamed into the file store one chunk at a time, never held whole in memory, and the metadata
 * comes from the query. Storing a file shares it with nobody: `POST /operator/files/share` does.
 *
 * @module
 */
import type { Readable } from 'node:stream'
import { ContentTooLarge } from '@cds-ts/auth'
import { Cds, ServerProvidedFile } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { KyselyFileStore } from '../db/file-store.js'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { errorResponses, ref } from '../shared/schemas.js'
import { fileObject } from '../wg1-02/server-provided-files/file-object.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'

/**
 * The largest file the operator API accepts: 4 GiB.
 *
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 */
export const UPLOAD_LIMIT = 4 * 1024 * 1024 * 1024

const Querystring = Type.Object({
  name: Type.String({ minLength: 1, description: 'The file name with its extension (CDS-WG1-02 §9.1).' }),
  mime_type: Type.Optional(Cds.MimeType({ description: 'The content type of the file; default `application/octet-stream`.' })),
  description: Type.Optional(Type.String({ description: 'What the file is; default `""` (CDS-WG1-02 §9.1).' })),
})

/**
 * The bytes of a request body stream, refused with 413 once they pass `limit`.
 *
 * @throws {ContentTooLarge} when the body is larger than `limit`
 */
async function* limited(body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, limit: number): AsyncGenerator<Uint8Array> {
  let total = 0
  for await (const piece of body) {
    total += piece.length
    if (total > limit) throw new ContentTooLarge(`the file is larger than ${limit} bytes`)
    yield piece
  }
}

/**
 * Registers `POST /operator/files`, in its own scope: its body parser hands the raw request
 * stream to the route, whatever the content type.
 *
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 */
export const uploadFilePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  // The body is the file: no JSON reading, no buffering; the route streams it into the store.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { bodyLimit: UPLOAD_LIMIT }, (_request, payload, done) => {
    done(null, payload)
  })
  app.post(
    '/operator/files',
    {
      bodyLimit: UPLOAD_LIMIT,
      schema: {
        operationId: 'operatorUploadFile',
        tags: [OPERATOR_TAG],
        summary: 'Storing a Server-Provided File',
        description: 'Stores the request body, streamed, as a Server-Provided File named by the query (CDS-WG1-02 §9.1).',
        security: OPERATOR_SECURITY,
        querystring: Querystring,
        response: { 201: ref(ServerProvidedFile), ...errorResponses(400, 401, 413) },
      },
    },
    async (request, reply) => {
      const { name, mime_type, description } = request.query
      // A request without a body (Content-Length 0) reaches no parser: the file is empty.
      const body = (request.body ?? []) as Readable | Uint8Array[]
      const record = await new KyselyFileStore(db, clock).create(
        // CDS-WG1-02 §9.1 (R1-02-9.1-01), §6.7: an unknown type is application/octet-stream; no description is "".
        { name, mime_type: mime_type ?? 'application/octet-stream', description: description ?? '' },
        limited(body, UPLOAD_LIMIT),
      )
      return reply.code(201).send(fileObject(config.base_url, record))
    },
  )
}
