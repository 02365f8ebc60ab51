/**
 * The wire form of a stored Message (CDS-WG1-02 §6.1): the one place where a {@link MessageRecord}
 * becomes the Message object the Messages API returns.
 *
 * @module
 */
import type { Message } from '@cds-ts/schema'
import { resourceUrl } from '../../config/endpoints.js'
import type { MessageRecord } from '../../db/message-store.js'

/**
 * The Message object of a stored Message: `uri` and `previous_uri` built from the ids under
 * `baseUrl`, attachments Base64 encoded, and each optional field present only when it is set.
 * `amount` stays a `Decimal`, so its digits reach the wire unchanged.
 *
 * @example
 * ```ts
 * const message = messageObject(config.base_url, await new KyselyMessageStore(db).find(id))
 * ```
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export function messageObject(baseUrl: string, m: MessageRecord): Message {
  const message: Message = {
    message_id: m.message_id,
    // CDS-WG1-02 §6.1: each Message has its own URL under cds_messages_api.
    uri: resourceUrl(baseUrl, 'messages_api', m.message_id),
    previous_uri: m.previous_id === null ? null : resourceUrl(baseUrl, 'messages_api', m.previous_id),
    type: m.type,
    read: m.read,
    creator: m.creator,
    created: m.created,
    modified: m.modified,
    status: m.status,
    name: m.name,
    description: m.description,
  }
  if (m.updates_requested !== undefined) message.updates_requested = m.updates_requested
  if (m.grants_requested !== undefined) message.grants_requested = m.grants_requested
  // CDS-WG1-02 §6.7: attachment bytes travel Base64 encoded (RFC 4648 §4).
  if (m.attachments.length > 0) {
    message.attachments = m.attachments.map((a) => ({ filename: a.filename, mime_type: a.mime_type, data: Buffer.from(a.data).toString('base64') }))
  }
  if (m.related_uri !== undefined && m.related_uri !== null) message.related_uri = m.related_uri
  if (m.related_type !== undefined && m.related_type !== null) message.related_type = m.related_type
  if (m.amount !== undefined) message.amount = m.amount
  if (m.currency !== undefined) message.currency = m.currency
  return message
}
