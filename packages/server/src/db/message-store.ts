/**
 * Messages (CDS-WG1-02 §6.1) on Kysely: the one place that reads and writes the `messages` and
 * `message_attachments` tables. The Messages API lists and modifies through it; the Clients,
 * Credentials and Grants APIs and the operator write their changelog and decision Messages
 * through it (`shared/server-messages.ts`).
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { Decimal, type ClientGrantRequest, type ClientUpdateRequest, type MessageRelatedType, type MessageStatus, type MessageType } from '@cds-ts/schema'
import type { Insertable, Kysely, Selectable } from 'kysely'
import { whereIn } from '../shared/filters.js'
import type { Cursor, Page } from '../shared/pagination.js'
import type { Database, MessagesTable } from './database.js'
import { fromJsonText, toJsonText } from './json-text.js'
import { keysetPage } from './keyset.js'

/**
 * A stored attachment: the Message Attachment object with its bytes decoded.
 *
 * @see CDS-WG1-02 §6.7 Message Attachment Object Format
 */
export interface AttachmentRecord {
  filename: string
  mime_type: string
  data: Uint8Array
}

/**
 * A stored Message: the Message object with ids in place of the URLs the server derives
 * (`uri` from `message_id`, `previous_uri` from `previous_id`), datetimes as RFC 3339 text, and
 * the registration whose listing shows it. Optional fields are `undefined` when absent.
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export interface MessageRecord {
  message_id: string
  registration_id: string
  previous_id: string | null
  type: MessageType
  read: boolean
  creator: string | null
  created: string
  modified: string
  status: MessageStatus
  name: string
  description: string
  updates_requested?: ClientUpdateRequest[] | undefined
  grants_requested?: ClientGrantRequest[] | undefined
  related_uri?: string | null | undefined
  related_type?: MessageRelatedType | null | undefined
  amount?: Decimal | undefined
  currency?: string | undefined
  /** `[]` when none. {@link KyselyMessageStore.find} loads them; listings load them too. */
  attachments: AttachmentRecord[]
}

/**
 * The three lists of the Messages listing (CDS-WG1-02 §6.8): `outstanding` (status `open` or
 * `pending`), `unread` (`read` false) and `read` (`read` true).
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export type MessageList = 'outstanding' | 'unread' | 'read'

/**
 * The lists of {@link MessageList}, in the order the listing names them.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const MESSAGE_LISTS: readonly MessageList[] = ['outstanding', 'unread', 'read']

/**
 * What {@link KyselyMessageStore.listPage} reads.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export interface MessageListOptions {
  /** Only these `message_id`s (the `message_ids` filter); `undefined` for all. */
  message_ids?: ReadonlySet<string> | undefined
  /** Where the page starts; `undefined` for the first page. */
  cursor?: Cursor | undefined
  /** Messages per page, clamped to 1…100; default 100. */
  limit?: number | undefined
}

/** The changes {@link KyselyMessageStore.update} may make. */
export type MessageChanges = Partial<Pick<MessageRecord, 'read' | 'status' | 'modified' | 'related_uri' | 'related_type'>>

function messageRow(m: MessageRecord): Insertable<MessagesTable> {
  return {
    message_id: m.message_id,
    registration_id: m.registration_id,
    previous_id: m.previous_id,
    type: m.type,
    read: m.read,
    creator: m.creator,
    created: m.created,
    modified: m.modified,
    status: m.status,
    name: m.name,
    description: m.description,
    updates_requested: m.updates_requested === undefined ? null : toJsonText(m.updates_requested),
    grants_requested: m.grants_requested === undefined ? null : toJsonText(m.grants_requested),
    related_uri: m.related_uri ?? null,
    related_type: m.related_type ?? null,
    amount: m.amount === undefined ? null : m.amount.toString(),
    currency: m.currency ?? null,
    attachment_count: m.attachments.length,
  }
}

/** The columns {@link MessageChanges} set; only the members given. */
function changeSet(changes: MessageChanges): Partial<Insertable<MessagesTable>> {
  const set: Partial<Insertable<MessagesTable>> = {}
  if (changes.read !== undefined) set.read = changes.read
  if (changes.status !== undefined) set.status = changes.status
  if (changes.modified !== undefined) set.modified = changes.modified
  if (changes.related_uri !== undefined) set.related_uri = changes.related_uri
  if (changes.related_type !== undefined) set.related_type = changes.related_type
  return set
}

/**
 * A `messages` row as a {@link MessageRecord}, with the given attachments.
 *
 * @see CDS-WG1-02 §6.1 Message Object Format
 */
export function messageRecord(row: Selectable<MessagesTable>, attachments: AttachmentRecord[] = []): MessageRecord {
  const record: MessageRecord = {
    message_id: row.message_id,
    registration_id: row.registration_id,
    previous_id: row.previous_id,
    type: row.type,
    read: row.read,
    creator: row.creator,
    created: toDateTime(row.created),
    modified: toDateTime(row.modified),
    status: row.status,
    name: row.name,
    description: row.description,
    attachments,
  }
  if (row.updates_requested !== null) record.updates_requested = fromJsonText(row.updates_requested)
  if (row.grants_requested !== null) record.grants_requested = fromJsonText(row.grants_requested)
  if (row.related_uri !== null) record.related_uri = row.related_uri
  if (row.related_type !== null) record.related_type = row.related_type
  // CDS-WG1-02 §6.1: `amount` is a decimal; NUMERIC arrives as its exact text.
  if (row.amount !== null) record.amount = Decimal.from(row.amount)
  if (row.currency !== null) record.currency = row.currency
  return record
}

/**
 * Messages by `message_id`. Pass a store over a transaction (`new KyselyMessageStore(trx)`) to
 * write a Message together with the change it records.
 *
 * @example
 * ```ts
 * await db.transaction().execute(async (trx) => {
 *   await new KyselyMessageStore(trx).insert(message)
 * })
 * ```
 * @see CDS-WG1-02 §6 Messages API
 */
export class KyselyMessageStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a new Message and its attachments. */
  async insert(message: MessageRecord): Promise<void> {
    await this.db.insertInto('messages').values(messageRow(message)).execute()
    if (message.attachments.length > 0) {
      await this.db
        .insertInto('message_attachments')
        .values(message.attachments.map((a, position) => ({ message_id: message.message_id, position, filename: a.filename, mime_type: a.mime_type, data: a.data })))
        .execute()
    }
  }

  /** The Message with its attachments, or `undefined` when the `message_id` is unknown. */
  async find(message_id: string): Promise<MessageRecord | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('message_id', '=', message_id).executeTakeFirst()
    if (row === undefined) return undefined
    return messageRecord(row, row.attachment_count === 0 ? [] : ((await this.attachments([message_id])).get(message_id) ?? []))
  }

  /** The attachments of several Messages, by `message_id`, each in order. */
  async attachments(message_ids: readonly string[]): Promise<Map<string, AttachmentRecord[]>> {
    const byMessage = new Map<string, AttachmentRecord[]>()
    if (message_ids.length === 0) return byMessage
    const rows = await this.db
      .selectFrom('message_attachments')
      .selectAll()
      .where('message_id', 'in', [...message_ids])
      .orderBy('message_id')
      .orderBy('position')
      .execute()
    for (const row of rows) {
      const list = byMessage.get(row.message_id) ?? []
      list.push({ filename: row.filename, mime_type: row.mime_type, data: row.data })
      byMessage.set(row.message_id, list)
    }
    return byMessage
  }

  /** Applies the changes; returns `false` when the `message_id` is unknown. */
  async update(message_id: string, changes: MessageChanges): Promise<boolean> {
    const set = changeSet(changes)
    if (Object.keys(set).length === 0) return (await this.find(message_id)) !== undefined
    const result = await this.db.updateTable('messages').set(set).where('message_id', '=', message_id).executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  /**
   * Applies the changes only while the Message has the status `from`; returns whether it did. The
   * test and the change are one statement, so two concurrent answers cannot both move it.
   *
   * @see CDS-WG1-02 §6.9 Creating Messages
   */
  async updateIfStatus(message_id: string, from: MessageStatus, changes: MessageChanges): Promise<boolean> {
    const set = changeSet(changes)
    if (Object.keys(set).length === 0) return false
    const result = await this.db.updateTable('messages').set(set).where('message_id', '=', message_id).where('status', '=', from).executeTakeFirst()
    return result.numUpdatedRows > 0n
  }

  /**
   * One page of one list of a registration's Messages, newest `modified` first with `message_id`
   * as tie-break, with the attachments of each Message and the cursors of the neighbouring pages.
   *
   * @see CDS-WG1-02 §6.8 Listing Messages
   */
  async listPage(registration_id: string, list: MessageList, options: MessageListOptions = {}): Promise<Page<MessageRecord>> {
    let query = this.db
      .selectFrom('messages')
      .selectAll()
      .where('registration_id', '=', registration_id)
      .where(whereIn<Database, 'messages'>('messages.message_id', options.message_ids))
    // CDS-WG1-02 §6.8 (R1-02-6.8-02..04): each list is a view of the same Messages, by status or by `read`.
    if (list === 'outstanding') query = query.where('status', 'in', ['open', 'pending'])
    else query = query.where('read', '=', list === 'read')
    // CDS-WG1-02 §6.8 (R1-02-6.8-08): most recently modified first.
    const page = await keysetPage(query, {
      sort: 'messages.modified',
      id: 'messages.message_id',
      cursor: options.cursor,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      keyOf: (row) => ({ sort: toDateTime(row.modified), id: row.message_id }),
    })
    const attachments = await this.attachments(page.items.filter((row) => row.attachment_count > 0).map((row) => row.message_id))
    return { ...page, items: page.items.map((row) => messageRecord(row, attachments.get(row.message_id) ?? [])) }
  }
}
