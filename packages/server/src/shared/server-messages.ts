/**
 * Messages the server writes (CDS-WG1-02 §6): the changelog that every change to a Client object,
 * Credential or Grant after registration must leave (§5.3, §7.3; R1-02-5.3-07, R1-02-7.3-09), the
 * mirror of every official communication (§6, R1-02-6-01), and the operator's notifications,
 * requests and decisions. Server Messages start unread, with `creator: null` (§6.1).
 *
 * Call these inside the transaction of the change they record, so the change and its Message are
 * written together or not at all.
 *
 * @see CDS-WG1-02 §6 Messages API
 * @module
 */
import { randomUUID } from 'node:crypto'
import { toDateTime, type Clock } from '@cds-ts/auth'
import type { Kysely } from 'kysely'
import type { Database } from '../db/database.js'
import { KyselyMessageStore, type MessageRecord } from '../db/message-store.js'

/** What a server Message says; the server sets the rest (`message_id`, times, `read`, `creator`). */
export type ServerMessageInput = Omit<MessageRecord, 'message_id' | 'created' | 'modified' | 'read' | 'creator' | 'attachments'> &
  Partial<Pick<MessageRecord, 'attachments'>>

/**
 * Writes a Message from the server: unread, `creator: null`, `created == modified` (§6.1).
 *
 * @returns the stored Message
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export async function writeServerMessage(db: Kysely<Database>, clock: Clock, input: ServerMessageInput): Promise<MessageRecord> {
  const now = toDateTime(clock.now())
  const message: MessageRecord = {
    attachments: [],
    ...input,
    message_id: randomUUID(),
    // CDS-WG1-02 §6.1 (R1-02-6.1-02, -03): server Messages start unread and have no creator.
    read: false,
    creator: null,
    created: now,
    modified: now,
  }
  await new KyselyMessageStore(db).insert(message)
  return message
}

/** The object a changelog Message is about. */
export interface ChangelogSubject {
  registration_id: string
  /** `client`, `credential`, `grant`, or a listing type when the object is gone. */
  related_type: 'client' | 'credential' | 'grant' | 'client_list' | 'credential_list' | 'grant_list'
  /** The object's URL (or the filtered listing URL). */
  related_uri: string
  /** Subject line, e.g. `Client object modified`. */
  name: string
  /** What changed, in a sentence or two. */
  description: string
}

/**
 * Writes the changelog Message for an object added, modified or removed after registration: a
 * `notification`, `complete`, linking the object.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 * @see CDS-WG1-02 §7.3 Listing Credentials
 */
export async function writeChangelog(db: Kysely<Database>, clock: Clock, subject: ChangelogSubject): Promise<MessageRecord> {
  // CDS-WG1-02 §5.3, §7.3 (R1-02-5.3-07, R1-02-7.3-09); A-37 for the type and the link.
  return writeServerMessage(db, clock, {
    registration_id: subject.registration_id,
    previous_id: null,
    type: 'notification',
    status: 'complete',
    name: subject.name,
    description: subject.description,
    related_uri: subject.related_uri,
    related_type: subject.related_type,
  })
}
