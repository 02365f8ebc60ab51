/**
 * `GET /api/bill-files/:file_id`: the file behind a Bill Statement's `file_uri` (the bill as a PDF
 * or another format), for the same bearer tokens as the Bill Statements API (CDS-WG3-01 §10.5.1).
 * The spec defines no path for it; it lives apart from the listing path so it cannot collide with
 * it.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 * @module
 */
import { NotFound } from '@cds-ts/auth'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../../config/endpoints.js'
import type { Database } from '../../../db/database.js'
import type { ApiPluginOptions } from '../../../shared/plugin-options.js'
import { errorResponses } from '../../../shared/schemas.js'
import { contentDisposition } from '../../../wg1-02/server-provided-files/content-disposition.js'
import { customerDataScope } from '../access-grant.js'
import { resolveDataAccess } from '../access.js'
import type { DataAccess } from '../types.js'

/** The path parameter of the bill-file route. */
export const BillFileParams = Type.Object({ file_id: Type.String({ description: 'The id of the file, as in the statement\'s `file_uri`.' }) })

// OpenAPI: the body is the file itself, typed by its stored content type.
const BillFileBody = Type.Unsafe<Buffer>({
  description: 'The bytes of the bill file, with its `Content-Type` (the statement\'s `file_mimetype`), `Content-Length` and an attachment `Content-Disposition`.',
  content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
})

/** A bill file the token may fetch. */
export interface ReachableBillFile {
  content_type: string
  file_name: string
  content: Uint8Array
}

/**
 * The stored file `file_id` when the token may fetch it: `include_bill_statement_files` is on and
 * a Bill Statement the token may list links to it. Anything else is answered like an unknown file,
 * so file ids cannot be probed (catalog R3-01-10.5.1-04).
 *
 * @throws {NotFound} when the file is unknown or out of the token's reach
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 */
export async function reachableBillFile(db: Kysely<Database>, access: DataAccess, file_id: string): Promise<ReachableBillFile> {
  const notFound = () => new NotFound(`no bill file ${file_id} is available to this access token`)
  // CDS-WG3-01 §7.2.5.1: file_uri is only shown with include_bill_statement_files, so only then is the file served.
  if (!access.includes('include_bill_statement_files')) throw notFound()
  const file = await db
    .selectFrom('bill_files')
    .select(['bill_files.content_type', 'bill_files.file_name', 'bill_files.content'])
    .where('bill_files.file_id', '=', file_id)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('bill_statements')
          .select('bill_statements.cds_billstatement_id')
          .whereRef('bill_statements.file_id', '=', 'bill_files.file_id')
          // The same visible set as the listing, so unpublished statements do not count.
          .where(access.visible('bill_statement'))
          .where('bill_statements.amount_due_date', 'is not', null),
      ),
    )
    .executeTakeFirst()
  if (file === undefined) throw notFound()
  return file
}

/**
 * Registers the bill-file route.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 */
export const billFilesPlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.get(
    `${ENDPOINT_PATHS.bill_files}/:file_id`,
    {
      // R3-01-10.5.1-04: the same authentication as the Bill Statements API (401 without a token).
      config: { scope: customerDataScope(config), noStore: true },
      schema: {
        operationId: 'getBillFile',
        tags: ['CDS-WG3-01 Customer Data'],
        summary: 'Bill Statement file',
        description:
          'The file a Bill Statement links in `file_uri` (CDS-WG3-01 §10.5.1), for a token that may see the statement with `include_bill_statement_files`.',
        params: BillFileParams,
        response: { 200: BillFileBody, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await resolveDataAccess({ db, config, clock }, request.accessToken)
      const file = await reachableBillFile(db, access, request.params.file_id)
      const body = Buffer.from(file.content.buffer, file.content.byteOffset, file.content.byteLength)
      // R3-01-10.5.1-06: the type the statement's `file_mimetype` announces.
      void reply.header('content-type', file.content_type)
      void reply.header('content-length', String(body.byteLength))
      void reply.header('content-disposition', contentDisposition(file.file_name))
      void reply.header('x-content-type-options', 'nosniff')
      return reply.send(body)
    },
  )
}
