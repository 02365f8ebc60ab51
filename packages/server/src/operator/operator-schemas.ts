/**
 * The shapes of the operator API: what it lists (registrations, and the spec objects of every
 * registration, each paired with its `registration_id`) and the request bodies of its actions.
 * The spec objects themselves are the shared schemas of `@cds-ts/schema`, referenced with `ref`.
 * None of these has an `$id`: they are the operator API's own, not CDS objects.
 *
 * @see CDS-WG1-02 §6 Messages API
 * @module
 */
import { Cds, Client, ClientUpdateRequest, Credential, Grant, Message, MessageAttachment, MessageRelatedType, MessageStatus } from '@cds-ts/schema'
import type { FastifyRequest } from 'fastify'
import Type, { type Static } from 'typebox'
import { ref } from '../shared/schemas.js'

const registrationId = Type.String({ minLength: 1, description: 'The registration (CDS-WG1-02 §4.2) the object belongs to.' })

/**
 * The `cursor` query parameter of every operator listing (from its `next`/`previous` links).
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export const OperatorCursor = Type.Optional(Type.String({ description: 'Opaque cursor from a `next` or `previous` link.' }))

/**
 * One registration: its `cds_client_admin` Client object, its Client objects and how many of its
 * Messages wait for an answer.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export const OperatorRegistration = Type.Object({
  registration_id: registrationId,
  admin_client_id: Type.String({ description: 'The `client_id` of the registration\u2019s `cds_client_admin` Client object.' }),
  client_name: Type.String({ description: 'The `client_name` of the admin Client object.' }),
  contacts: Type.Array(Type.String(), { description: 'The `contacts` of the admin Client object.' }),
  created: Cds.DateTime({ description: 'When the registration was made (the admin Client object\u2019s `cds_created`).' }),
  client_ids: Type.Array(Type.String(), { description: 'Every Client object of the registration, in creation order.' }),
  outstanding_messages: Type.Integer({ minimum: 0, description: 'How many of its Messages are `open` or `pending` (CDS-WG1-02 §6.8).' }),
})
export type OperatorRegistration = Static<typeof OperatorRegistration>

/**
 * A page of registrations, newest first.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export const OperatorRegistrationListing = Cds.Listing('registrations', OperatorRegistration, {
  description: 'Registrations, newest first, with next/previous links.',
})
export type OperatorRegistrationListing = Static<typeof OperatorRegistrationListing>

/** A Client object with its registration. @see CDS-WG1-02 §5.1 Client Object Format */
export const OperatorClient = Type.Object({ registration_id: registrationId, client: ref(Client) })
export type OperatorClient = Static<typeof OperatorClient>

/**
 * A page of Client objects across registrations, newest `cds_modified` first.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export const OperatorClientListing = Cds.Listing('clients', OperatorClient, { description: 'Client objects across registrations.' })
export type OperatorClientListing = Static<typeof OperatorClientListing>

/** A Message with the registration whose Messages listing shows it. @see CDS-WG1-02 §6.1 Message Object Format */
export const OperatorMessage = Type.Object({ registration_id: registrationId, message: ref(Message) })
export type OperatorMessage = Static<typeof OperatorMessage>

/**
 * A page of Messages across registrations, newest `modified` first.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const OperatorMessageListing = Cds.Listing('messages', OperatorMessage, { description: 'Messages across registrations.' })
export type OperatorMessageListing = Static<typeof OperatorMessageListing>

/** A Grant with the registration of its Client object. @see CDS-WG1-02 §8.1 Grant Object Format */
export const OperatorGrant = Type.Object({ registration_id: registrationId, grant: ref(Grant) })
export type OperatorGrant = Static<typeof OperatorGrant>

/**
 * A page of Grants across registrations, newest `modified` first.
 *
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export const OperatorGrantListing = Cds.Listing('grants', OperatorGrant, { description: 'Grants across registrations.' })
export type OperatorGrantListing = Static<typeof OperatorGrantListing>

/**
 * The Messages an action wrote, each with its registration.
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export const OperatorMessages = Type.Object({ messages: Type.Array(OperatorMessage) })
export type OperatorMessages = Static<typeof OperatorMessages>

/**
 * The answer to a Message the operator decided on: the `request_update` reply and the Message it
 * answers as it now stands (its status mirrored, A-09).
 *
 * @see CDS-WG1-02 §6.2 Message Types
 */
export const OperatorDecision = Type.Object({
  registration_id: registrationId,
  request_update: ref(Message),
  request: ref(Message),
})
export type OperatorDecision = Static<typeof OperatorDecision>

/**
 * What approving a production request made: the decision, the new production Client object, its
 * Credential (with the `client_secret`) and its client-credentials Grant, if any.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export const OperatorProductionApproval = Type.Object({
  registration_id: registrationId,
  request_update: ref(Message),
  request: ref(Message),
  client: ref(Client),
  credential: Type.Union([ref(Credential), Type.Null()], { description: 'The new Credential; null when the Client object has no auth method.' }),
  grants: Type.Array(ref(Grant)),
})
export type OperatorProductionApproval = Static<typeof OperatorProductionApproval>

/** What approving a grant request made: the decision and the new Grants. @see CDS-WG1-02 §6.9 Creating Messages */
export const OperatorGrantApproval = Type.Object({
  registration_id: registrationId,
  request_update: ref(Message),
  request: ref(Message),
  grants: Type.Array(ref(Grant)),
})
export type OperatorGrantApproval = Static<typeof OperatorGrantApproval>

/**
 * The Message types the operator sends on its own initiative (CDS-WG1-02 §6.2): the others are
 * written by the Client (requests, submissions) or by the server as a consequence (changelog,
 * `field_changes`, `request_update`).
 *
 * @see CDS-WG1-02 §6.2 Message Types
 */
export const OperatorMessageType = Cds.Enum(['notification', 'private_message', 'server_request', 'payment_request', 'online_form_request', 'pdf_form_request'], {
  description: 'The kind of Message to send (CDS-WG1-02 §6.2).',
})
export type OperatorMessageType = Static<typeof OperatorMessageType>

/**
 * The body of `POST /operator/messages`.
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export const OperatorMessageRequest = Type.Object(
  {
    type: OperatorMessageType,
    registration_id: Type.Optional(Type.String({ minLength: 1, description: 'The registration to write to; omit with `all` or `previous_message_id`.' })),
    all: Type.Optional(Type.Boolean({ description: 'Send a `notification` to every registration.' })),
    previous_message_id: Type.Optional(Type.String({ minLength: 1, description: 'The Message this one replies to (`previous_uri`); sets the registration.' })),
    name: Type.String({ description: 'Subject line (CDS-WG1-02 §6.1).' }),
    description: Type.String({ description: 'Message body (CDS-WG1-02 §6.1).' }),
    related_uri: Type.Optional(Cds.Url({ description: 'A link; required for payment, online form and PDF form requests.' })),
    related_type: Type.Optional(MessageRelatedType),
    updates_requested: Type.Optional(
      Type.Array(ClientUpdateRequest, { minItems: 1, description: 'What a `server_request` asks for: `field`, `name`, `description` (CDS-WG1-02 §6.5).' }),
    ),
    amount: Type.Optional(Cds.Decimal({ description: 'The amount of a `payment_request`.' })),
    currency: Type.Optional(Cds.CurrencyCode({ description: 'The ISO 4217 currency of `amount`.' })),
    attachments: Type.Optional(Type.Array(MessageAttachment, { description: 'Small files (CDS-WG1-02 §6.7).' })),
  },
  { additionalProperties: false },
)
export type OperatorMessageRequest = Static<typeof OperatorMessageRequest>

/**
 * The body of `POST /operator/messages/{message_id}/reply`: a `request_update` with this status.
 *
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export const OperatorReplyRequest = Type.Object(
  {
    status: MessageStatus,
    description: Type.String({ description: 'What was decided; required to be non-empty for `rejected` (CDS-WG1-02 §6.3).' }),
    name: Type.Optional(Type.String({ description: 'Subject line; default `Request update`.' })),
    related_uri: Type.Optional(Cds.Url({ description: 'A link; for a completed payment request, the payment receipt (CDS-WG1-02 §6.3).' })),
    related_type: Type.Optional(MessageRelatedType),
  },
  { additionalProperties: false },
)
export type OperatorReplyRequest = Static<typeof OperatorReplyRequest>

/**
 * The optional body of the approve actions.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export const OperatorApproveRequest = Type.Object(
  { description: Type.Optional(Type.String({ description: 'The text of the `request_update`; a default explains the approval.' })) },
  { additionalProperties: false },
)
export type OperatorApproveRequest = Static<typeof OperatorApproveRequest>

/**
 * A `preValidation` hook for actions whose body is optional: a request sent without a body is read
 * as `{}`, so the body schema (all members optional) accepts it.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export async function emptyBodyAsObject(request: FastifyRequest): Promise<void> {
  if (request.body === undefined || request.body === null) request.body = {}
}
