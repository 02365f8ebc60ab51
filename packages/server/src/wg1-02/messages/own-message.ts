/**
 * The one lookup of a Message by id for the Messages API: a Message of another registration is
 * as unknown as one that does not exist (R1-02-X-01, R1-02-X-02).
 *
 * @module
 */
import { NotFound } from '@cds-ts/auth'
import type { KyselyMessageStore, MessageRecord } from '../../db/message-store.js'

/**
 * The Message `message_id` of the registration `registration_id`.
 *
 * @throws {NotFound} (404 `not_found`) when it is unknown or belongs to another registration
 * @see CDS-WG1-02 §6.10 Retrieving Individual Messages
 */
export async function findOwnMessage(store: KyselyMessageStore, registration_id: string, message_id: string): Promise<MessageRecord> {
  const message = await store.find(message_id)
  // R1-02-X-01, -02: another registration's Message answers exactly like an unknown one.
  if (message === undefined || message.registration_id !== registration_id) throw new NotFound(`no Message ${message_id}`)
  return message
}
