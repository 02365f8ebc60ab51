/**
 * The Server's answer to a request Message (CDS-WG1-02 §6.2 `request_update`): the reply itself,
 * and the same status written onto the Message it answers, so that `outstanding` empties as
 * requests are decided. The operator API decides; this module records the decision.
 *
 * @see CDS-WG1-02 §6.2 Message Types
 * @see CDS-WG1-02 §6.3 Message Statuses
 * @module
 */
import { InvalidRequest, NotFound, toDateTime, type Clock } from '@cds-ts/auth'
import { messageStatusFits, type MessageRelatedType, type MessageStatus, type MessageType } from '@cds-ts/schema'
import type { Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import { KyselyMessageStore, type MessageChanges, type MessageRecord } from '../../db/message-store.js'
import { writeServerMessage } from '../../shared/server-messages.js'

/**
 * What a `request_update` says besides its status.
 *
 * @see CDS-WG1-02 §6.2 Message Types
 */
export interface RequestUpdateInput {
  /** The decision in words; must not be empty for `rejected` (R1-02-6.3-06). */
  description: string
  /** Subject line; default `Request update`. */
  name?: string | undefined
  /**
   * A link: the production Client object (`client`) when a `production_request` completes, the
   * filtered Grants listing (`grant_list`) when a `grant_request` completes, the receipt
   * (`payment_receipt`) when a `payment_request` completes.
   */
  related_uri?: string | undefined
  related_type?: MessageRelatedType | undefined
}

/**
 * The records {@link replyWithRequestUpdate} wrote.
 *
 * @see CDS-WG1-02 §6.2 Message Types
 */
export interface RequestUpdateResult {
  /** The new `request_update` Message. */
  request_update: MessageRecord
  /** The Message it answers, as stored afterwards. */
  original: MessageRecord
  /**
   * The Message whose `status` now mirrors the update: `original`, or for a `client_submission` the
   * request it answered; `undefined` when a `client_submission` answers nothing.
   */
  mirrored: MessageRecord | undefined
}

/**
 * The Message types a `request_update` may answer (CDS-WG1-02 §6.2), plus `field_changes`, whose
 * asynchronous review also ends in one (§5.5).
 */
const ANSWERABLE: ReadonlySet<MessageType> = new Set<MessageType>([
  'production_request',
  'support_request',
  'grant_request',
  'field_changes',
  'server_request',
  'client_submission',
  'payment_request',
  'online_form_request',
  'pdf_form_request',
])

/** The link a completed request must carry (CDS-WG1-02 §6.3), by the type it answers. */
const COMPLETION_LINK: Partial<Record<MessageType, MessageRelatedType>> = {
  // R1-02-6.3-03: the production Client object.
  production_request: 'client',
  // R1-02-6.3-04: the Grants listing filtered to the new Grants.
  grant_request: 'grant_list',
  // R1-02-6.3-05: the payment receipt.
  payment_request: 'payment_receipt',
}

/** Runs `work` in a transaction, or in the caller's when `db` already is one. */
async function inTransaction<T>(db: Kysely<Database>, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work)
}

/** The checks of a decision before anything is written. */
function checkDecision(original: MessageRecord, target: MessageRecord | undefined, status: MessageStatus, input: RequestUpdateInput): void {
  if (!ANSWERABLE.has(original.type)) throw new InvalidRequest(`a request_update cannot answer a ${original.type} Message`)
  // CDS-WG1-02 §6.3 (R1-02-6.3-01): the answered request must be able to take the status.
  if (target !== undefined && !messageStatusFits(target.type, status)) throw new InvalidRequest(`a ${target.type} Message cannot have the status ${status}`)
  // CDS-WG1-02 §6.3 (R1-02-6.3-06): a rejection says why.
  if (status === 'rejected' && input.description.trim() === '') throw new InvalidRequest('a rejection needs a description that says why')
  if ((input.related_uri === undefined) !== (input.related_type === undefined)) {
    // CDS-WG1-02 §6.1 (R1-02-6.1-12; A-50): a link always says what it links to, and a type needs a link.
    throw new InvalidRequest('related_uri and related_type go together')
  }
  const link = COMPLETION_LINK[original.type]
  if (status === 'complete' && link !== undefined && (input.related_uri === undefined || input.related_type !== link)) {
    // CDS-WG1-02 §6.3 (R1-02-6.3-03, -04, -05): a completed production, grant or payment request links its outcome.
    throw new InvalidRequest(`completing a ${original.type} needs a related_uri with related_type ${link}`)
  }
}

/**
 * Replies to a Message with a `request_update` carrying `status`, and writes that status (with a
 * new `modified`) onto the Message it answers. When a `production_request` or
 * `grant_request` completes, its `related_uri` and `related_type` become the outcome's link
 * (§6.3). A `client_submission` stays `complete` (§6.3); its request (`server_request` or
 * `pdf_form_request`) takes the status instead. Everything is written in one transaction
 * (the caller's, when `db` is a transaction).
 *
 * @param message_id the Message answered
 * @throws {NotFound} when `message_id` is unknown
 * @throws {InvalidRequest} when the Message cannot be answered (a `notification`, a `private_message`,
 *   a `request_update`), the status does not fit the answered type (§6.3), a rejection has no
 *   description, or a completion lacks its link (`client`, `grant_list` or `payment_receipt`)
 * @example
 * ```ts
 * const { request_update } = await replyWithRequestUpdate(db, clock, config, message_id, 'rejected', {
 *   description: 'The sandbox Client object has not been used yet.',
 * })
 * ```
 * @see CDS-WG1-02 §6.2 Message Types
 * @see CDS-WG1-02 §6.3 Message Statuses
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export async function replyWithRequestUpdate(
  db: Kysely<Database>,
  clock: Clock,
  _config: ServerConfig,
  message_id: string,
  status: MessageStatus,
  input: RequestUpdateInput,
): Promise<RequestUpdateResult> {
  return inTransaction(db, async (trx) => {
    const store = new KyselyMessageStore(trx)
    const original = await store.find(message_id)
    if (original === undefined) throw new NotFound(`no Message ${message_id}`)
    // a submission keeps `complete`; the request it answered carries the outcome.
    const target =
      original.type === 'client_submission' ? (original.previous_id === null ? undefined : await store.find(original.previous_id)) : original
    checkDecision(original, target, status, input)

    // CDS-WG1-02 §6.2: the reply links the answered Message through `previous_uri`.
    const request_update = await writeServerMessage(trx, clock, {
      registration_id: original.registration_id,
      previous_id: original.message_id,
      type: 'request_update',
      status,
      name: input.name ?? 'Request update',
      description: input.description,
      ...(input.related_uri === undefined ? {} : { related_uri: input.related_uri, related_type: input.related_type ?? null }),
    })

    if (target !== undefined) {
      // the answered request takes the same status, so it leaves `outstanding` once decided.
      const changes: MessageChanges = { status, modified: toDateTime(clock.now()) }
      if (status === 'complete' && (target.type === 'production_request' || target.type === 'grant_request')) {
        // CDS-WG1-02 §6.3 (R1-02-6.3-03, -04; A-09): the completed request links its outcome.
        changes.related_uri = input.related_uri ?? null
        changes.related_type = input.related_type ?? null
      }
      await store.update(target.message_id, changes)
    }
    const reread = async (id: string) => {
      const record = await store.find(id)
      if (record === undefined) throw new TypeError(`Message ${id} vanished inside its transaction`)
      return record
    }
    const storedOriginal = await reread(original.message_id)
    const mirrored = target === undefined ? undefined : target.message_id === original.message_id ? storedOriginal : await reread(target.message_id)
    return { request_update, original: storedOriginal, mirrored }
  })
}
