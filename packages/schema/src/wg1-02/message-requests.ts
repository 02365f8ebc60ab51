/**
 * The request bodies of the Messages API: creating a Message (CDS-WG1-02 §6.9) and marking
 * one read or unread (CDS-WG1-02 §6.11).
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { MessageRelatedType } from './message.js'
import { ClientGrantRequest, ClientUpdateRequest, MessageAttachment } from './message-parts.js'

const typeIs = (type: string) => ({ required: ['type'], properties: { type: { const: type } } })
const linked = (field: string) => ({ required: [field], properties: { [field]: { type: 'string' } } })

/**
 * The body a Client POSTs to `cds_messages_api` (CDS-WG1-02 §6.9). The Server fills in
 * `message_id`, `uri`, `read`, `creator`, `created`, `modified` and `status`.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export const MessageCreateRequest = Type.Object(
  {
    // example 12.9 leaves it out, so a missing value reads as null except for submissions.
    previous_uri: Type.Optional(Cds.Nullable(Cds.Url(), { description: 'The Message this one answers, or null.' })),
    // CDS-WG1-02 §6.9 (R1-02-6.9-03): a Client may create only these five types.
    type: Cds.Enum(['private_message', 'production_request', 'support_request', 'grant_request', 'client_submission'], {
      description: 'The kind of Message; a Client may create only these five of the Message types (CDS-WG1-02 §6.2).',
    }),
    name: Type.String({ description: 'Subject line; `""` for a `client_submission`.' }),
    description: Type.String({ description: 'Message body; `""` for a `client_submission`.' }),
    updates_requested: Type.Optional(
      Type.Array(ClientUpdateRequest, { description: 'Answers to a `server_request`, one per requested `field`; required for `client_submission`.' }),
    ),
    grants_requested: Type.Optional(
      Type.Array(ClientGrantRequest, { minItems: 1, description: 'The Grants asked for; required for `grant_request`.' }),
    ),
    related_uri: Type.Optional(
      Cds.Nullable(Cds.Url(), {
        description: 'The API resource concerned: the sandbox Client object (`production_request`), the target Client object (`grant_request`) or the subject of a `support_request`.',
      }),
    ),
    // the Server normally sets it; a consistent value from the Client is accepted.
    related_type: Type.Optional(MessageRelatedType),
    // not listed in §6.9, yet the 413 rule and PDF form replies need it.
    attachments: Type.Optional(Type.Array(MessageAttachment, { description: 'Small files sent with the Message.' })),
  },
  {
    $id: 'MessageCreateRequest',
    description: 'The JSON body that creates a Message; the Server adds the identifying and status fields (CDS-WG1-02 §6.9).',
    allOf: [
      // CDS-WG1-02 §6.9 (R1-02-6.9-04): a submission answers a Server request and carries no subject or body text.
      {
        if: typeIs('client_submission'),
        then: { allOf: [linked('previous_uri'), { properties: { name: { maxLength: 0 }, description: { maxLength: 0 } } }] },
      },
      // CDS-WG1-02 §6.9 (R1-02-6.9-06; A-11): a submission carries its answers, or files for a PDF form.
      { if: typeIs('client_submission'), then: { anyOf: [{ required: ['updates_requested'] }, { required: ['attachments'] }] } },
      // CDS-WG1-02 §6.9 (R1-02-6.9-06): each answer is text or a link.
      {
        if: typeIs('client_submission'),
        then: { properties: { updates_requested: { items: { anyOf: [{ required: ['description'] }, { required: ['uri'] }] } } } },
      },
      // CDS-WG1-02 §6.9 (R1-02-6.9-07): a grant request lists what it asks for.
      { if: typeIs('grant_request'), then: { required: ['grants_requested'] } },
      // CDS-WG1-02 §6.9 (R1-02-6.9-08; ): production and grant requests name the Client object concerned.
      { if: typeIs('production_request'), then: linked('related_uri') },
      { if: typeIs('grant_request'), then: linked('related_uri') },
    ],
  },
)
export type MessageCreateRequest = Static<typeof MessageCreateRequest>

/**
 * The body a Client PATCHes to a Message `uri` (CDS-WG1-02 §6.11). Only `read` can change;
 * the Server ignores other members.
 *
 * @see CDS-WG1-02 §6.11 Modifying Messages
 */
export const MessageModifyRequest = Type.Object(
  {
    read: Type.Optional(Type.Boolean({ description: 'Mark the Message read (true) or unread (false).' })),
  },
  {
    $id: 'MessageModifyRequest',
    description: 'The JSON body that marks a Message read or unread; other members are ignored (CDS-WG1-02 §6.11).',
  },
)
export type MessageModifyRequest = Static<typeof MessageModifyRequest>
