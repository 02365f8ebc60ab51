/**
 * Reading and writing Messages (CDS-WG1-02 §6.8–§6.11) for the checks of this area: the three
 * lists read whole, a Message posted or patched, and the Messages that appeared since a moment.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { apiUrl, jsonBody, labToken, withQuery } from './kit.js'

/** The three lists of the Messages API (CDS-WG1-02 §6.8). */
export const LISTS = ['outstanding', 'unread', 'read'] as const

/** One of the three lists. */
export type ListName = (typeof LISTS)[number]

/** Every Message of each list, each list followed through its own `*_next` links. */
export type MessageLists = Record<ListName, Json[]>

/** Reads the three lists whole (with `query` applied), following each list's `*_next` separately. */
export async function allMessages(ctx: CheckContext, token: string, query: Record<string, string> = {}): Promise<MessageLists> {
  const first = jsonBody(ctx, await ctx.request({ url: withQuery(await apiUrl(ctx, 'cds_messages_api'), query), bearer: token }))
  const out: MessageLists = { outstanding: [], unread: [], read: [] }
  for (const list of LISTS) {
    let page = first
    for (let count = 0; count < 200; count++) {
      const items = page[list]
      if (!Array.isArray(items)) ctx.fail(`a Message listing page has no ${list} array`)
      out[list].push(...(items as Json[]))
      const next = page[`${list}_next`]
      if (typeof next !== 'string') break
      page = jsonBody(ctx, await ctx.request({ url: next, bearer: token }))
    }
  }
  return out
}

/** Every distinct Message of the lists, by `message_id`. */
export function byId(lists: MessageLists): Map<string, Json> {
  const out = new Map<string, Json>()
  for (const list of LISTS) for (const message of lists[list]) out.set(String(message.message_id), message)
  return out
}

/** The Messages of `after` whose id `before` did not have. */
export function newMessages(before: MessageLists, after: MessageLists): Json[] {
  const known = byId(before)
  return [...byId(after).values()].filter((message) => !known.has(String(message.message_id)))
}

/** POSTs a Message with the lab's admin token. */
export async function postMessage(ctx: CheckContext, body: unknown, token?: string): Promise<HttpResponse> {
  return ctx.request({ url: await apiUrl(ctx, 'cds_messages_api'), bearer: token ?? (await labToken(ctx)), json: body })
}

/** POSTs a Message that must be created (201) and returns it. */
export async function createMessage(ctx: CheckContext, body: Json, token?: string): Promise<Json> {
  return jsonBody(ctx, await postMessage(ctx, body, token), 201)
}

/** A `private_message` body with a unique subject. */
export function privateMessage(extra: Json = {}): Json {
  return { type: 'private_message', previous_uri: null, name: `cds-ts conformance ${Date.now()}`, description: 'A message of the conformance suite.', ...extra }
}

/** PATCHes a Message with the lab's admin token. */
export async function patchMessage(ctx: CheckContext, message: Json, body: unknown, token?: string): Promise<HttpResponse> {
  return ctx.request({ method: 'PATCH', url: String(message.uri), bearer: token ?? (await labToken(ctx)), json: body })
}

/** GETs a Message at its `uri` (must be 200). */
export async function messageAt(ctx: CheckContext, uri: unknown, token?: string): Promise<Json> {
  return jsonBody(ctx, await ctx.request({ url: String(uri), bearer: token ?? (await labToken(ctx)) }))
}

/** The lab's Messages now. */
export async function labMessages(ctx: CheckContext): Promise<MessageLists> {
  return allMessages(ctx, await labToken(ctx))
}

/** A Message's `modified` as milliseconds. */
export function modifiedOf(message: Json): number {
  return Date.parse(String(message.modified))
}
