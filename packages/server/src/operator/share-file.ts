/**
 * `POST /operator/files/share`: the operator shares stored Server-Provided Files with a
 * registration (CDS-WG1-02 §3.3.3): the server creates an `active` Grant of the files scope for the
 * registration's files Client object, one `authorization_details` entry per file
 * (R1-02-3.3.3-01), and a notification about the Grant (R1-02-6-01), in one transaction. The
 * Client finds the Grant on the Grants API and downloads with a Grant Admin token (§9).
 *
 * @module
 */
import { Grant, ServerProvidedFile } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { errorResponses, ref } from '../shared/schemas.js'
import { fileObject } from '../wg1-02/server-provided-files/file-object.js'
import { shareFile, type ShareFileInput } from '../wg1-02/server-provided-files/share-file.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { grantObjectOf } from './operator-lookups.js'

const Body = Type.Object(
  {
    file_ids: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, description: 'The files to share.' }),
    registration_id: Type.Optional(Type.String({ minLength: 1, description: 'The registration whose files Client object receives the Grant.' })),
    client_id: Type.Optional(Type.String({ minLength: 1, description: 'The files Client object, instead of `registration_id`.' })),
    scope: Type.Optional(Type.String({ description: 'The files scope, when the Client object has several.' })),
    name: Type.Optional(Type.String({ description: 'Subject of the notification; default `Files shared`.' })),
    description: Type.Optional(Type.String({ description: 'Text of the notification; a default names the files.' })),
  },
  { additionalProperties: false },
)

const Shared = Type.Object({
  registration_id: Type.String({ description: 'The registration the files are shared with.' }),
  grant: ref(Grant),
  files: Type.Array(ref(ServerProvidedFile)),
})

/**
 * Registers `POST /operator/files/share`.
 *
 * @see CDS-WG1-02 §3.3.3 Server-Provided Files Scope
 */
export const shareFilePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/files/share',
    {
      schema: {
        operationId: 'operatorShareFiles',
        tags: [OPERATOR_TAG],
        summary: 'Sharing Server-Provided Files',
        description:
          'Creates an `active` Server-Provided Files Grant for the files Client object of a registration, listing the files, and notifies the Client ' +
          '(CDS-WG1-02 §3.3.3, R1-02-6-01).',
        security: OPERATOR_SECURITY,
        body: Body,
        response: { 201: Shared, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { body } = request
      const input: ShareFileInput = { file_ids: body.file_ids }
      for (const field of ['registration_id', 'client_id', 'scope', 'name', 'description'] as const) {
        if (body[field] !== undefined) input[field] = body[field]
      }
      const result = await db.transaction().execute(async (trx) => {
        const shared = await shareFile(trx, clock, config, input)
        const owner = await trx.selectFrom('clients').select('registration_id').where('client_id', '=', shared.grant.client_id).executeTakeFirstOrThrow()
        return {
          registration_id: owner.registration_id,
          grant: await grantObjectOf(trx, config.base_url, shared.grant),
          files: shared.files.map((file) => fileObject(config.base_url, file)),
        }
      })
      return reply.code(201).send(result)
    },
  )
}
