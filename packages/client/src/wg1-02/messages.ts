/**
 * The Messages API (CDS-WG1-02 §6): the conversation between a Client and the server. Its
 * listing holds three separately paginated lists (outstanding, unread, read), each with its own
 * `*_next` and `*_previous` links; a Message is read through its `uri`, created with a POST and
 * marked read or unread with a PATCH.
 *
 * @module
 */
import { Message, MessageListing, type MessageCreateRequest, type MessageModifyRequest } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { followPages, listingUrl, type ListFilter } from '../pagination.js'
import { urlOf, type ApiSession, type CallOptions } from '../session.js'

/**
 * Filters of the Message listing, applied to all three lists.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export interface MessageFilters {
  /** Only these `message_id`s. */
  message_ids?: ListFilter
}

/**
 * The three lists of the Message listing: `outstanding` (status `open` or `pending`), `unread`
 * and `read`.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export type MessageList = 'outstanding' | 'unread' | 'read'

/**
 * A Message, or its `uri`.
 *
 * @see CDS-WG1-02 §6.10 Retrieving Individual Messages
 */
export type MessageRef = string | { readonly uri: string }

/**
 * The Messages API: `list` and `page` (all three lists at once), `all` (one list, across its
 * pages), `get`, `create` and `modify`.
 *
 * @see CDS-WG1-02 §6 Messages API
 */
export class MessagesApi {
  constructor(
    private readonly session: ApiSession,
    private readonly url: () => string,
  ) {}

  /**
   * The first page of the three lists.
   *
   * @see CDS-WG1-02 §6.8 Listing Messages
   */
  async list(filters?: MessageFilters, options?: CallOptions): Promise<Decoded<MessageListing>> {
    return this.page(listingUrl(this.url(), filters).href, options)
  }

  /**
   * The page at one of the `*_next` or `*_previous` links (only that link's list is filled).
   *
   * @see CDS-WG1-02 §6.8 Listing Messages
   */
  async page(url: string, options?: CallOptions): Promise<Decoded<MessageListing>> {
    return (await this.session.json<Decoded<MessageListing>>(url, { method: 'GET' }, MessageListing, [200], options)).value
  }

  /**
   * Every Message of one list, newest `modified` first, following that list's `*_next` links.
   *
   * @example
   * ```ts
   * for await (const message of cds.messages.all('unread')) console.log(message.name)
   * ```
   * @see CDS-WG1-02 §6.8 Listing Messages
   */
  async *all(list: MessageList, filters?: MessageFilters, options?: CallOptions): AsyncGenerator<Decoded<Message>, void, undefined> {
    const url = listingUrl(this.url(), filters).href
    const nextOf = (page: Decoded<MessageListing>) => page[`${list}_next`]
    for await (const page of followPages(await this.page(url, options), url, nextOf, (next) => this.page(next, options))) yield* page[list]
  }

  /**
   * One Message, by its `uri`.
   *
   * @see CDS-WG1-02 §6.10 Retrieving Individual Messages
   */
  async get(message: MessageRef, options?: CallOptions): Promise<Decoded<Message>> {
    return (await this.session.json<Decoded<Message>>(urlOf(message, 'uri'), { method: 'GET' }, Message, [200], options)).value
  }

  /**
   * Creates a Message (`201 Created`): a private message, a support, production or grant
   * request, or a submission answering a server request.
   *
   * @example
   * ```ts
   * await cds.messages.create({ type: 'support_request', previous_uri: null, name: 'Question', description: 'How do I …?' })
   * ```
   * @see CDS-WG1-02 §6.9 Creating Messages
   */
  async create(body: MessageCreateRequest, options?: CallOptions): Promise<Decoded<Message>> {
    return (await this.session.json<Decoded<Message>>(this.url(), { method: 'POST', body }, Message, [201], options)).value
  }

  /**
   * Marks a Message read or unread.
   *
   * @see CDS-WG1-02 §6.11 Modifying Messages
   */
  async modify(message: MessageRef, body: MessageModifyRequest, options?: CallOptions): Promise<Decoded<Message>> {
    return (await this.session.json<Decoded<Message>>(urlOf(message, 'uri'), { method: 'PATCH', body }, Message, [200], options)).value
  }
}
