/**
 * The objects embedded in a Message (CDS-WG1-02 §6.5–§6.7): requested field updates,
 * requested Grants and file attachments.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { authorizationDetailsList } from './open-authorization-detail.js'

/**
 * One field a Message asks to change or to submit (CDS-WG1-02 §6.5). Which optional members
 * are required depends on the enclosing Message `type`; the Message schema checks that.
 *
 * @see CDS-WG1-02 §6.5 Client Update Request Object Format
 */
export const ClientUpdateRequest = Type.Object(
  {
    field: Type.String({
      description: 'The API field name (`field_changes`) or the Server identifier of the requested submission (`server_request`, `client_submission`).',
    }),
    name: Type.Optional(Type.String({ description: 'Human-readable name of the requested submission; required in a `server_request`.' })),
    description: Type.Optional(
      Type.String({ description: 'What the submission is about (`server_request`), or the Client answer as text (`client_submission`).' }),
    ),
    uri: Type.Optional(Cds.Url({ description: 'A submitted resource (`client_submission`) or an online process to complete (`server_request`).' })),
    previous_value: Type.Optional(Type.Unknown({ description: 'The value before the change; required in `field_changes`. Any JSON value.' })),
    new_value: Type.Optional(Type.Unknown({ description: 'The value asked for; required in `field_changes`. Any JSON value.' })),
  },
  {
    $id: 'ClientUpdateRequest',
    description: 'Client Update Request: one field a Message asks to change, or one submission the Server asks for (CDS-WG1-02 §6.5).',
  },
)
export type ClientUpdateRequest = Static<typeof ClientUpdateRequest>

/**
 * One Grant a Client asks the Server to issue, inside a `grant_request` Message (CDS-WG1-02 §6.6).
 *
 * @see CDS-WG1-02 §6.6 Client Grant Request Object Format
 */
export const ClientGrantRequest = Type.Object(
  {
    scope: Type.String({ description: 'The OAuth scope string asked for.' }),
    authorization_details: authorizationDetailsList(
      'Authorization details refining the scope (RFC 9396); each `type` is one of the target Client `authorization_details_types`; `[]` when the scope suffices.',
    ),
  },
  {
    $id: 'ClientGrantRequest',
    description: 'Client Grant Request: the scope and authorization details of one Grant a Client asks for (CDS-WG1-02 §6.6).',
  },
)
export type ClientGrantRequest = Static<typeof ClientGrantRequest>

/**
 * A small file carried inline by a Message (CDS-WG1-02 §6.7).
 *
 * @see CDS-WG1-02 §6.7 Message Attachment Object Format
 */
export const MessageAttachment = Type.Object(
  {
    filename: Type.String({ description: 'Name of the attached file.' }),
    mime_type: Cds.MimeType({ description: 'Content type of the file; `application/octet-stream` when unknown.' }),
    data: Type.String({
      contentEncoding: 'base64',
      // RFC 4648 §4 alphabet with padding, no line breaks.
      pattern: '^[A-Za-z0-9+/]*={0,2}$',
      description: 'The file content, Base64 encoded (RFC 4648 §4).',
    }),
  },
  {
    $id: 'MessageAttachment',
    description: 'Message Attachment: a small file, such as a PDF, sent inline and Base64 encoded with a Message (CDS-WG1-02 §6.7).',
  },
)
export type MessageAttachment = Static<typeof MessageAttachment>
