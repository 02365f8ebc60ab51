/**
 * The Messages API listing and its filter (CDS-WG1-02 §6.8). Unlike the other listings it
 * has three lists, each paginated on its own, so its envelope is spelled out here instead of
 * coming from `Cds.Listing`.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { Message } from './message.js'

const link = (list: string, end: 'next' | 'previous') =>
  Cds.Nullable(Cds.Url(), {
    description: `URL of the ${end} page of the ${list} list, or null at its ${end === 'next' ? 'end' : 'start'}.`,
  })

/**
 * The response of the Messages API listing (CDS-WG1-02 §6.8): outstanding, unread and read
 * Messages, each list with its own next and previous links.
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const MessageListing = Type.Object(
  {
    outstanding: Type.Array(Message, { description: 'Messages whose `status` is `open` or `pending`.' }),
    outstanding_next: link('outstanding', 'next'),
    outstanding_previous: link('outstanding', 'previous'),
    unread: Type.Array(Message, { description: 'Messages whose `read` is false.' }),
    unread_next: link('unread', 'next'),
    unread_previous: link('unread', 'previous'),
    read: Type.Array(Message, { description: 'Messages whose `read` is true.' }),
    read_next: link('read', 'next'),
    read_previous: link('read', 'previous'),
  },
  {
    $id: 'MessageListing',
    description:
      'Message Listing: three separately paginated lists of Messages (outstanding, unread, read), each newest `modified` first; a page link fills only its own list (CDS-WG1-02 §6.8).',
    allOf: [
      // CDS-WG1-02 §6.8 (R1-02-6.8-02): only open or pending Messages are outstanding.
      { properties: { outstanding: { items: { properties: { status: { type: 'string', enum: ['open', 'pending'] } } } } } },
      // CDS-WG1-02 §6.8 (R1-02-6.8-03, -04; A-10): each Message sits in the list its `read` flag names.
      { properties: { unread: { items: { properties: { read: { const: false } } } } } },
      { properties: { read: { items: { properties: { read: { const: true } } } } } },
    ],
  },
)
export type MessageListing = Static<typeof MessageListing>

/**
 * Query parameters of the Messages API listing (CDS-WG1-02 §6.8).
 *
 * @see CDS-WG1-02 §6.8 Listing Messages
 */
export const MessageListingQuery = Type.Object(
  {
    message_ids: Type.Optional(Type.String({ description: 'Space-separated `message_id` values.' })),
  },
  { $id: 'MessageListingQuery', description: 'Filters of the Message listing, applied to all three lists; several filters intersect (CDS-WG1-02 §6.8).' },
)
export type MessageListingQuery = Static<typeof MessageListingQuery>
