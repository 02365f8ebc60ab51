/**
 * `POST /api/messages`: a Client writes a Message to the Server (CDS-WG1-02 §6.9): a private
 * message, a support request, a request for production access or for Grants, or a submission
 * answering a Server request. The steps run in the order §6.9 gives its rules:
 *
 * 1. attachments: padded Base64, their decoded total within the limit (413, A-51);
 * 2. `previous_uri`: a Message of the caller's registration; a submission answers a request;
 * 3. `updates_requested` and `grants_requested`: only where the type uses them, checked against
 *    the answered request and the target Client object;
 * 4. `related_uri`: the Client object concerned, or any page; the Server sets `related_type`;
 * 5. the Server's fields, then one transaction: the Message, and the answered request moving from
 *    `open` to `pending`.
 *
 * @module
 */
import { randomUUID } from 'node:crypto'
import { InvalidRequest, toDateTime } from '@cds-ts/auth'
import { Message, MessageCreateRequest, type MessageRelatedType, type MessageStatus } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Kysely } from 'kysely'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { KyselyMessageStore, type AttachmentRecord, type MessageRecord } from '../../db/message-store.js'
import type { ApiPluginOptions } from '../../shared/plugin-options.js'
import type { CallerRegistration } from '../../shared/registration-scope.js'
import { callerRegistration } from '../../shared/registration-scope.js'
import { writeServerMessage } from '../../shared/server-messages.js'
import { errorResponses, ref } from '../../shared/schemas.js'
import { checkGrantRequests, checkSubmission, decodeAttachments } from './create-message-checks.js'
import { linkedClient, previousMessage, relatedTypeOf } from './message-links.js'
import { messageObject } from './message-object.js'

/** the HTTP body limit of this route is at least 16 MiB, whatever the attachment limit. */
const MIN_BODY_LIMIT = 16 * 1024 * 1024
/** Room for the JSON around the Base64 of the largest accepted attachments. */
const BODY_ROOM = 1024 * 1024

/**
 * The HTTP body limit that lets attachments of `attachmentLimit` decoded bytes through as Base64
 * (4 characters per 3 bytes), so that only bodies far above the limit stop at the parser. Both
 * answers are 413 `content_too_large`.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export function createMessageBodyLimit(attachmentLimit: number): number {
  return Math.max(MIN_BODY_LIMIT, Math.ceil(attachmentLimit / 3) * 4 + BODY_ROOM)
}

type ClientMessageType = MessageCreateRequest['type']

/** CDS-WG1-02 §6.9 (R1-02-6.9-12): the status the Server gives each type a Client may create. */
const STATUS_BY_TYPE: Readonly<Record<ClientMessageType, MessageStatus>> = {
  private_message: 'complete',
  client_submission: 'complete',
  production_request: 'pending',
  support_request: 'pending',
  grant_request: 'pending',
}

/** The link of a new Message. */
interface Related {
  related_uri: string
  related_type: MessageRelatedType
}

/** Steps 2 and 3: the answered Message, checked against what the new Message carries. */
async function checkAnswer(store: KyselyMessageStore, baseUrl: string, caller: CallerRegistration, body: MessageCreateRequest, attachments: AttachmentRecord[]) {
  // A-12 (R1-02-6.9-02): a missing previous_uri reads as null.
  const previous = body.previous_uri == null ? undefined : await previousMessage(store, baseUrl, caller.registration_id, body.previous_uri)
  if (body.type === 'client_submission') {
    // CDS-WG1-02 §6.9 (R1-02-6.9-04; A-11): a submission answers a server_request or a pdf_form_request.
    if (previous === undefined || (previous.type !== 'server_request' && previous.type !== 'pdf_form_request')) {
      throw new InvalidRequest("the body parameter 'previous_uri' of a client_submission must be the uri of a server_request or pdf_form_request")
    }
    checkSubmission(previous, body.updates_requested, attachments.length)
  } else if (body.updates_requested !== undefined) {
    throw new InvalidRequest("the body parameter 'updates_requested' is only for a client_submission")
  }
  if (body.type !== 'grant_request' && body.grants_requested !== undefined) {
    throw new InvalidRequest("the body parameter 'grants_requested' is only for a grant_request")
  }
  return previous
}

/** Step 4: the link of the new Message and its type. */
async function checkRelated(db: Kysely<Database>, baseUrl: string, caller: CallerRegistration, body: MessageCreateRequest): Promise<Related | undefined> {
  // a null related_uri is no link.
  const related_uri = body.related_uri ?? undefined
  if (body.type === 'production_request' || body.type === 'grant_request') {
    if (related_uri === undefined) throw new InvalidRequest(`the body parameter 'related_uri' is required for a ${body.type}`)
    if (body.related_type !== undefined && body.related_type !== 'client') {
      throw new InvalidRequest(`the body parameter 'related_type' of a ${body.type} is client`)
    }
    if (body.type === 'production_request') {
      // CDS-WG1-02 §6.9 (R1-02-6.9-08; A-58): the sandbox Client object that production access is asked for.
      const target = await linkedClient(db, baseUrl, caller.registration_id, related_uri, 'a sandbox Client object of your registration')
      if (!target.cds_status_options.includes('sandbox')) {
        throw new InvalidRequest("the body parameter 'related_uri' must be the cds_client_uri of a sandbox Client object of your registration")
      }
    } else {
      // CDS-WG1-02 §6.9 (R1-02-6.9-07, -08; A-48): the Client object the Grants are for, and what it can hold.
      const target = await linkedClient(db, baseUrl, caller.registration_id, related_uri, 'a Client object of your registration')
      const grants = body.grants_requested ?? []
      if (grants.length === 0) throw new InvalidRequest("the body parameter 'grants_requested' is required for a grant_request")
      checkGrantRequests(grants, target)
    }
    return { related_uri, related_type: 'client' }
  }
  // CDS-WG1-02 §6.9 (R1-02-6.9-08): any other type may link a relevant page; the Server names its kind.
  return related_uri === undefined ? undefined : { related_uri, related_type: relatedTypeOf(baseUrl, related_uri, body.related_type) }
}

/**
 * Registers `POST /api/messages`.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export const createMessagePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  const limit = config.client_management.attachment_limit
  app.post(
    ENDPOINT_PATHS.messages_api,
    {
      // Base64 of attachments up to the limit fits; Fastify's own 413 above it goes through the error handler.
      bodyLimit: createMessageBodyLimit(limit),
      // CDS-WG1-02 §6 (R1-02-6-03): a Client Admin token.
      config: { scope: 'cds_client_admin' },
      schema: {
        operationId: 'createMessage',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Creating Messages',
        description:
          'Creates a `private_message`, `production_request`, `support_request`, `grant_request` or `client_submission`; the Server sets `message_id`, `uri`, `read`, `creator`, `created`, `modified`, `status` and `related_type` (CDS-WG1-02 §6.9, A-11, A-12, A-48, A-51).',
        // CDS-WG1-02 §6.9 (R1-02-6.9-02, -03, -04, -07, -09): the shape of the request.
        body: ref(MessageCreateRequest),
        response: {
          201: ref(Message),
          ...errorResponses(400, 401, 403, 413),
        },
      },
    },
    async (request, reply) => {
      const caller = await callerRegistration(request, db)
      const body = request.body
      const store = new KyselyMessageStore(db)
      // Step 1 — CDS-WG1-02 §6.9 (R1-02-6.9-10; A-51): at most `attachment_limit` decoded bytes.
      const attachments = decodeAttachments(body.attachments ?? [], limit)
      // Steps 2 and 3.
      const previous = await checkAnswer(store, config.base_url, caller, body, attachments)
      // Step 4.
      const related = await checkRelated(db, config.base_url, caller, body)

      // Step 5 — CDS-WG1-02 §6.9 (R1-02-6.9-12): the fields the Server sets, whatever the Client sent.
      const now = toDateTime(clock.now())
      const message: MessageRecord = {
        message_id: randomUUID(),
        registration_id: caller.registration_id,
        previous_id: previous?.message_id ?? null,
        type: body.type,
        read: true,
        creator: caller.client_id,
        created: now,
        modified: now,
        status: STATUS_BY_TYPE[body.type],
        name: body.name,
        description: body.description,
        attachments,
        ...(body.updates_requested === undefined ? {} : { updates_requested: body.updates_requested }),
        ...(body.grants_requested === undefined ? {} : { grants_requested: body.grants_requested }),
        ...related,
      }
      await db.transaction().execute(async (trx) => {
        const tx = new KyselyMessageStore(trx)
        await tx.insert(message)
        if (body.type === 'client_submission' && previous !== undefined) {
          // CDS-WG1-02 §6.9 (R1-02-6.9-13): an open request that gets an answer is now pending (A-13: modified moves).
          await tx.updateIfStatus(previous.message_id, 'open', { status: 'pending', modified: now })
          if (previous.type === 'pdf_form_request' && (previous.status === 'open' || previous.status === 'pending')) {
            // CDS-WG1-02 §3.6 `pdf_form` (R1-02-3.6-31): a submitted PDF form gets a pending request_update at once.
            await writeServerMessage(trx, clock, {
              registration_id: caller.registration_id,
              previous_id: previous.message_id,
              type: 'request_update',
              status: 'pending',
              name: 'PDF form received',
              description: 'The submitted PDF form was received and waits for review.',
            })
          }
        }
      })
      const created = messageObject(config.base_url, message)
      // CDS-WG1-02 §6.9 (R1-02-6.9-11): 201 with the whole Message; Location names it.
      return reply.code(201).header('location', created.uri).send(created)
    },
  )
}
