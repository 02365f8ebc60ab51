/**
 * `POST /operator/messages`: a Message from the server on the operator's initiative
 * (CDS-WG1-02 §6.2): a `notification` to one registration or to all, a `private_message`
 * (optionally replying to a Message), a `server_request` naming what the Client must submit, or a
 * `payment_request`, `online_form_request` or `pdf_form_request` linking the form (§3.6). Every
 * Message written is unread with `creator: null` (§6.1); all of them commit together.
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { Decimal, type MessageRelatedType, type MessageStatus } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { ApiPluginOptions } from '../shared/plugin-options.js'
import { writeServerMessage, type ServerMessageInput } from '../shared/server-messages.js'
import { decodeAttachments } from '../wg1-02/messages/create-message-checks.js'
import { messageObject } from '../wg1-02/messages/message-object.js'
import { OPERATOR_SECURITY, OPERATOR_TAG } from './operator-auth.js'
import { allRegistrations, requireMessage, requireRegistration } from './operator-lookups.js'
import { OperatorMessageRequest, OperatorMessages, type OperatorMessageType } from './operator-schemas.js'
import { errorResponses } from '../shared/schemas.js'

/** The status a server Message starts in (CDS-WG1-02 §6.3): requests wait for the Client. */
const START_STATUS: Readonly<Record<OperatorMessageType, MessageStatus>> = {
  // CDS-WG1-02 §6.3 (R1-02-6.3-02): notifications and private messages are always complete.
  notification: 'complete',
  private_message: 'complete',
  // CDS-WG1-02 §6.3: a request is open until the Client answers it.
  server_request: 'open',
  payment_request: 'open',
  online_form_request: 'open',
  pdf_form_request: 'open',
}

/** CDS-WG1-02 §6.1 (R1-02-6.1-09..11): the link of a form or payment request says what it is. */
const FORM_RELATED_TYPE: Readonly<Partial<Record<OperatorMessageType, MessageRelatedType>>> = {
  payment_request: 'payment_form',
  online_form_request: 'online_form',
  pdf_form_request: 'pdf_form',
}

/**
 * Checks the body against the rules of its `type` and returns the fields of the Message, except
 * the registration and `previous_id`.
 *
 * @throws {InvalidRequest} naming the field that breaks a rule
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export function messageFields(body: OperatorMessageRequest, attachmentLimit: number): Omit<ServerMessageInput, 'registration_id' | 'previous_id'> {
  const { type } = body
  const formType = FORM_RELATED_TYPE[type]
  let related_type = body.related_type
  if (body.related_uri === undefined && related_type !== undefined) throw new InvalidRequest("'related_type' needs a 'related_uri'")
  if (formType !== undefined) {
    // CDS-WG1-02 §3.6, §6.1: the form or checkout to open is the point of these requests.
    if (body.related_uri === undefined) throw new InvalidRequest(`a ${type} needs a 'related_uri' linking the ${formType.replace('_', ' ')}`)
    if (related_type !== undefined && related_type !== formType) throw new InvalidRequest(`the 'related_type' of a ${type} is ${formType}`)
    related_type = formType
  }
  // CDS-WG1-02 §6.1 (R1-02-6.1-12): a link always says what it links to; `more_info` by default.
  if (body.related_uri !== undefined) related_type ??= 'more_info'
  if (type === 'server_request') {
    // CDS-WG1-02 §6.1, §6.5 (R1-02-6.1-05, R1-02-6.5-03): each requested item has a name and a description.
    if (body.updates_requested === undefined) throw new InvalidRequest("a server_request needs 'updates_requested'")
    body.updates_requested.forEach((item, index) => {
      if (item.name === undefined || item.description === undefined) {
        throw new InvalidRequest(`'updates_requested/${index}' of a server_request needs 'name' and 'description'`)
      }
    })
  } else if (body.updates_requested !== undefined) {
    throw new InvalidRequest("'updates_requested' belongs to a server_request only")
  }
  // CDS-WG1-02 §6.1: amount and currency are those of a payment request.
  if ((body.amount !== undefined || body.currency !== undefined) && type !== 'payment_request') {
    throw new InvalidRequest("'amount' and 'currency' belong to a payment_request only")
  }
  if ((body.amount === undefined) !== (body.currency === undefined)) throw new InvalidRequest("'amount' and 'currency' go together")
  // CDS-WG1-02 §6.7, §6.9: padded Base64, within the same size limit as the Client's attachments.
  const attachments = decodeAttachments(body.attachments ?? [], attachmentLimit)
  return {
    type,
    status: START_STATUS[type],
    name: body.name,
    description: body.description,
    attachments,
    ...(body.related_uri === undefined ? {} : { related_uri: body.related_uri, related_type: related_type ?? null }),
    ...(body.updates_requested === undefined ? {} : { updates_requested: body.updates_requested }),
    ...(body.amount === undefined ? {} : { amount: Decimal.from(body.amount) }),
    ...(body.currency === undefined ? {} : { currency: body.currency }),
  }
}

/**
 * Registers `POST /operator/messages`.
 *
 * @see CDS-WG1-02 §6.2 Message Types
 * @see CDS-WG1-02 §3.6 Registration Field Types
 */
export const sendMessagePlugin: FastifyPluginAsyncTypebox<ApiPluginOptions> = async (app, { config, db, clock }) => {
  app.post(
    '/operator/messages',
    {
      // CDS-WG1-02 §6.1: `amount` is a decimal and keeps every digit.
      config: { decimalJson: true },
      schema: {
        operationId: 'operatorSendMessage',
        tags: [OPERATOR_TAG],
        summary: 'Sending a Message',
        description:
          'Writes a notification (to one registration or, with `all`, to every one), a private message, a server request or a payment, ' +
          'online form or PDF form request (CDS-WG1-02 §6.2, §3.6).',
        security: OPERATOR_SECURITY,
        body: OperatorMessageRequest,
        response: { 201: OperatorMessages, ...errorResponses(400, 401, 404, 413) },
      },
    },
    async (request, reply) => {
      const { body } = request
      const fields = messageFields(body, config.client_management.attachment_limit)
      if (body.all === true && (body.type !== 'notification' || body.registration_id !== undefined || body.previous_message_id !== undefined)) {
        // CDS-WG1-02 §6.2: only a notification is addressed to every relevant Client.
        throw new InvalidRequest("'all' sends a notification to every registration; it takes no 'registration_id' or 'previous_message_id'")
      }
      const written = await db.transaction().execute(async (trx) => {
        let registrations: string[]
        let previous_id: string | null = null
        if (body.all === true) {
          registrations = await allRegistrations(trx)
        } else if (body.previous_message_id !== undefined) {
          const previous = await requireMessage(trx, body.previous_message_id)
          if (body.registration_id !== undefined && body.registration_id !== previous.registration_id) {
            throw new InvalidRequest("'previous_message_id' names a Message of another registration")
          }
          // CDS-WG1-02 §6.1: a reply links the Message it answers and goes to the same registration.
          registrations = [previous.registration_id]
          previous_id = previous.message_id
        } else if (body.registration_id !== undefined) {
          registrations = [await requireRegistration(trx, body.registration_id)]
        } else {
          throw new InvalidRequest("name the recipient: 'registration_id', 'previous_message_id' or 'all'")
        }
        const messages = []
        for (const registration_id of registrations) messages.push(await writeServerMessage(trx, clock, { ...fields, registration_id, previous_id }))
        return messages
      })
      return reply.code(201).send({ messages: written.map((m) => ({ registration_id: m.registration_id, message: messageObject(config.base_url, m) })) })
    },
  )
}
