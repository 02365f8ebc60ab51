/**
 * The Message object of the Messages API and its three enumerations (CDS-WG1-02 §6.1–§6.4).
 * All three enumerations are extensible (CDS-WG1-02 §10).
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { ClientGrantRequest, ClientUpdateRequest, MessageAttachment } from './message-parts.js'

/**
 * What kind of communication a Message is (CDS-WG1-02 §6.2).
 *
 * @see CDS-WG1-02 §6.2 Message Types
 */
export const MessageType = Cds.Enum(
  [
    'notification',
    'private_message',
    'production_request',
    'support_request',
    'grant_request',
    'field_changes',
    'server_request',
    'client_submission',
    'payment_request',
    'online_form_request',
    'pdf_form_request',
    'request_update',
  ],
  {
    $id: 'MessageType',
    description: 'The kind of Message, from broadcast notifications to requests and their status updates (CDS-WG1-02 §6.2). Extensible (CDS-WG1-02 §10).',
  },
)
export type MessageType = Static<typeof MessageType>

/**
 * Where a Message stands (CDS-WG1-02 §6.3).
 *
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export const MessageStatus = Cds.Enum(['complete', 'open', 'pending', 'rejected', 'errored'], {
  $id: 'MessageStatus',
  description: 'The processing state of a Message (CDS-WG1-02 §6.3). Extensible (CDS-WG1-02 §10).',
})
export type MessageStatus = Static<typeof MessageStatus>

/**
 * What a Message `related_uri` points to (CDS-WG1-02 §6.4).
 *
 * @see CDS-WG1-02 §6.4 Message Related Types
 */
export const MessageRelatedType = Cds.Enum(
  [
    'more_info',
    'documentation',
    'support',
    'online_form',
    'pdf_form',
    'payment_form',
    'payment_receipt',
    'client_list',
    'client',
    'grant_list',
    'grant',
    'message_list',
    'message',
    'credential_list',
    'credential',
  ],
  {
    $id: 'MessageRelatedType',
    description: 'The kind of resource a Message `related_uri` links to (CDS-WG1-02 §6.4). Extensible (CDS-WG1-02 §10).',
  },
)
export type MessageRelatedType = Static<typeof MessageRelatedType>

const typeIs = (...types: string[]) => ({ required: ['type'], properties: { type: types.length === 1 ? { const: types[0] } : { enum: types } } })
const statusIs = (status: string) => ({ required: ['status'], properties: { status: { const: status } } })
const hasRelatedUri = { required: ['related_uri'], properties: { related_uri: { type: 'string' } } }
/** An enum inside a rule: the lenient parser drops it, so clients tolerate a broken rule (CDS-WG1-02 §10). */
const oneOfStrings = (...values: string[]) => ({ type: 'string', enum: values })

/**
 * Which Message types each status other than `complete` applies to (CDS-WG1-02 §6.3,
 * R1-02-6.3-01); `notification`, `private_message` and `client_submission` are therefore
 * always `complete` (R1-02-6.3-02). The Message schema's rules and the server's checks both
 * read this one table.
 *
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export const MESSAGE_TYPES_BY_STATUS: Readonly<Record<Exclude<MessageStatus, 'complete'>, readonly MessageType[]>> = {
  open: ['server_request', 'payment_request', 'online_form_request', 'pdf_form_request', 'request_update'],
  pending: [
    'production_request',
    'support_request',
    'grant_request',
    'field_changes',
    'server_request',
    'payment_request',
    'online_form_request',
    'pdf_form_request',
    'request_update',
  ],
  rejected: [
    'field_changes',
    'server_request',
    'production_request',
    'grant_request',
    'payment_request',
    'online_form_request',
    'pdf_form_request',
    'request_update',
  ],
  errored: ['field_changes', 'server_request', 'payment_request', 'online_form_request', 'pdf_form_request', 'request_update'],
}

/**
 * Whether CDS-WG1-02 §6.3 lets a Message of `type` have `status` (R1-02-6.3-01).
 *
 * @example
 * ```ts
 * messageStatusFits('private_message', 'pending') // false: private messages are always complete
 * ```
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export function messageStatusFits(type: MessageType, status: MessageStatus): boolean {
  return status === 'complete' || MESSAGE_TYPES_BY_STATUS[status].includes(type)
}

/** The related type a form or payment request must use for its link (CDS-WG1-02 §6.1, R1-02-6.1-09..11). */
const RELATED_TYPE_BY_TYPE: Record<string, string> = {
  payment_request: 'payment_form',
  online_form_request: 'online_form',
  pdf_form_request: 'pdf_form',
}

/**
 * A Message between Server and Client (CDS-WG1-02 §6.1).
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export const Message = Type.Object(
  {
    message_id: Type.String({ description: 'Unique identifier of the Message.' }),
    uri: Cds.Url({ description: 'Where to GET or PATCH this Message.' }),
    previous_uri: Cds.Nullable(Cds.Url(), { description: 'The Message this one replies to, or null.' }),
    type: MessageType,
    read: Type.Boolean({ description: 'Whether the Client marked it read; Server-created Messages start unread.' }),
    creator: Cds.Nullable(Type.String(), { description: 'The `client_id` of the Client that wrote it, or null when the Server did.' }),
    created: Cds.DateTime({ description: 'When the Message was created.' }),
    modified: Cds.DateTime({ description: 'When the Message was last modified.' }),
    status: MessageStatus,
    name: Type.String({ description: 'Title of the Message; the subject for notifications, private messages and support requests.' }),
    description: Type.String({ description: 'Text of the Message; the body for notifications, private messages and support requests.' }),
    updates_requested: Type.Optional(
      Type.Array(ClientUpdateRequest, { description: 'Fields to change or submit; required for `field_changes` and `server_request`.' }),
    ),
    grants_requested: Type.Optional(Type.Array(ClientGrantRequest, { description: 'Grants asked for; required for `grant_request`.' })),
    attachments: Type.Optional(Type.Array(MessageAttachment, { description: 'Small files attached to the Message.' })),
    related_uri: Type.Optional(Cds.Nullable(Cds.Url(), { description: 'A linked resource whose meaning depends on `type` (CDS-WG1-02 §6.1).' })),
    related_type: Type.Optional(MessageRelatedType),
    amount: Type.Optional(Cds.Decimal({ description: 'Amount to pay, for a `payment_request`.' })),
    currency: Type.Optional(Cds.CurrencyCode({ description: 'ISO 4217 currency of `amount`, for a `payment_request`.' })),
  },
  {
    $id: 'Message',
    description:
      'Message object: one notification, request or reply exchanged between Server and Client through the Messages API (CDS-WG1-02 §6.1).',
    allOf: [
      // CDS-WG1-02 §6.1 (R1-02-6.1-05): these types carry the fields they are about.
      { if: typeIs('field_changes', 'server_request'), then: { required: ['updates_requested'] } },
      // CDS-WG1-02 §6.1 (R1-02-6.1-06): a grant request lists the Grants asked for.
      { if: typeIs('grant_request'), then: { required: ['grants_requested'] } },
      // CDS-WG1-02 §6.1 (R1-02-6.1-12): a link always says what it links to.
      { if: hasRelatedUri, then: { required: ['related_type'] } },
      // CDS-WG1-02 §6.1 (R1-02-6.1-09..11): form and payment requests link with their own related type.
      ...Object.entries(RELATED_TYPE_BY_TYPE).map(([type, related]) => ({
        if: { allOf: [typeIs(type), hasRelatedUri] },
        then: { properties: { related_type: oneOfStrings(related) } },
      })),
      // CDS-WG1-02 §6.5 (R1-02-6.5-05): a field change gives both the old and the new value.
      { if: typeIs('field_changes'), then: { properties: { updates_requested: { items: { required: ['previous_value', 'new_value'] } } } } },
      // CDS-WG1-02 §6.5 (R1-02-6.5-03): a server request names and explains each item.
      { if: typeIs('server_request'), then: { properties: { updates_requested: { items: { required: ['name', 'description'] } } } } },
      // CDS-WG1-02 §6.3 (R1-02-6.3-01, -02): statuses other than `complete` fit only some types.
      ...Object.entries(MESSAGE_TYPES_BY_STATUS).map(([status, types]) => ({
        if: statusIs(status),
        then: { properties: { type: oneOfStrings(...types) } },
      })),
      // CDS-WG1-02 §6.3 (R1-02-6.3-03): an approved production request links to the production Client object.
      {
        if: { allOf: [typeIs('production_request'), statusIs('complete')] },
        then: { allOf: [hasRelatedUri, { required: ['related_type'], properties: { related_type: oneOfStrings('client') } }] },
      },
      // CDS-WG1-02 §6.3 (R1-02-6.3-04): an approved grant request links to the listing of the new Grants.
      {
        if: { allOf: [typeIs('grant_request'), statusIs('complete')] },
        then: { allOf: [hasRelatedUri, { required: ['related_type'], properties: { related_type: oneOfStrings('grant_list') } }] },
      },
    ],
  },
)
export type Message = Static<typeof Message>
