/**
 * CDS-WG1-02 §6.8, §6.10 and §6.11: the three Message lists (membership, links, the
 * `message_ids` filter, pages, order), one Message at its `uri`, and marking Messages read.
 *
 * @module
 */
import { MessageListing } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiUrl, canonical, foreign, isUrl, jsonBody, labToken } from './kit.js'
import { everyMessage, freshServerMessage } from './messages-format.js'
import { allMessages, byId, LISTS, labMessages, messageAt, modifiedOf, patchMessage, type MessageLists } from './messages-kit.js'
import { clientMade } from './messages-lab.js'
import { pagedRegistration } from './messages-pages.js'

const LINKS = LISTS.flatMap((list) => [`${list}_next`, `${list}_previous`])

const idsOf = (messages: readonly Json[]) => messages.map((m) => String(m.message_id)).sort()

/** The lab's lists with every fixture made. */
async function everyList(ctx: CheckContext): Promise<MessageLists> {
  await everyMessage(ctx)
  return labMessages(ctx)
}

/** Fails unless a list is newest `modified` first. */
function expectNewestFirst(ctx: CheckContext, list: string, messages: readonly Json[]): void {
  for (let i = 1; i < messages.length; i++) {
    const [a, b] = [messages[i - 1] as Json, messages[i] as Json]
    ctx.assert(modifiedOf(a) >= modifiedOf(b), `the ${list} list has ${String(b.message_id)} (modified ${String(b.modified)}) after ${String(a.message_id)} (modified ${String(a.modified)})`)
  }
}

/** The checks of CDS-WG1-02 §6.8, §6.10 and §6.11. */
export const messageListingChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-6.8-01',
    spec: 'CDS-WG1-02',
    section: '§6.8',
    title: 'the Messages API lists outstanding, unread and read, each with its next and previous links (nine members)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await clientMade(ctx)
      const response = await ctx.request({ url: await apiUrl(ctx, 'cds_messages_api'), bearer: await labToken(ctx) })
      const body = jsonBody(ctx, response)
      for (const key of [...LISTS, ...LINKS]) ctx.assert(key in body, `the Message listing has no ${key}`)
      ctx.conforms(MessageListing, ctx.exactJson(response), 'the Message listing')
    },
  }),
  defineCheck({
    id: 'R1-02-6.8-02',
    spec: 'CDS-WG1-02',
    section: '§6.8',
    title: 'outstanding holds exactly the open and pending Messages',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const lists = await everyList(ctx)
      for (const message of lists.outstanding) ctx.assert(message.status === 'open' || message.status === 'pending', `outstanding holds Message ${String(message.message_id)} with status ${String(message.status)}`)
      const outstanding = new Set(idsOf(lists.outstanding))
      const waiting = [...lists.unread, ...lists.read].filter((m) => m.status === 'open' || m.status === 'pending')
      ctx.assert(waiting.length > 0, 'the registration has no open or pending Message (its requests should be pending)')
      for (const message of waiting) ctx.assert(outstanding.has(String(message.message_id)), `the ${String(message.status)} Message ${String(message.message_id)} is not in outstanding`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.8-03',
    spec: 'CDS-WG1-02',
    section: '§6.8',
    title: 'unread holds exactly the Messages with read false',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await freshServerMessage(ctx)
      const lists = await everyList(ctx)
      for (const message of lists.unread) ctx.assert(message.read === false, `unread holds Message ${String(message.message_id)} with read=${JSON.stringify(message.read)}`)
      const unread = new Set(idsOf(lists.unread))
      ctx.assert(unread.size > 0, 'the unread list is empty although the Server just wrote a Message')
      for (const message of lists.outstanding) if (message.read === false) ctx.assert(unread.has(String(message.message_id)), `the unread Message ${String(message.message_id)} is outstanding but not in unread`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.8-04',
    spec: 'CDS-WG1-02',
    section: '§6.8',
    title: 'read holds exactly the Messages with read true; each Message is in exactly one of unread and read',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const lists = await everyList(ctx)
      for (const message of lists.read) ctx.assert(message.read === true, `read holds Message ${String(message.message_id)} with read=${JSON.stringify(message.read)}`)
      ctx.assert(lists.read.length > 0, 'the read list is empty although the Client wrote Messages')
      const unread = new Set(idsOf(lists.unread))
      const both = idsOf(lists.read).filter((id) => unread.has(id))
      ctx.assert(both.length === 0, `the Messages ${both.join(', ')} are in both unread and read`)
      const either = new Set([...unread, ...idsOf(lists.read)])
      for (const message of lists.outstanding) ctx.assert(either.has(String(message.message_id)), `the outstanding Message ${String(message.message_id)} is in neither unread nor read`)
    },
  }),
  defineCheck({
    id: 'R1-02-6.8-05',
    spec: 'CDS-WG1-02',
    section: '§6.8',
    title: 'each *_next and *_previous is a URL or null',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const paged = await pagedRegistration(ctx)
      const pages: [string, Json][] = [['the first page', paged.first], ['the lab\'s first page', jsonBody(ctx, await ctx.request({ url: await apiUrl(ctx, 'cds_messages_api'), bearer: await labToken(ctx) }))]]
      if (paged.second !== undefined) pages.push(['the second read page', paged.second])
      for (const [where, body] of pages) for (const key of LINKS) ctx.assert(key in body && (body[key] === null || isUrl(body[key])), `${where} has ${key}=${JSON.stringify(body[key])}`)
      for (const [where, body] of pages.slice(0, 2)) for (const list of LISTS) ctx.assert(body[`${list}_previous`] === null, `${where} has a ${list}_previous link`)
      if (paged.second !== undefined) ctx.assert(isUrl(paged.second.read_previous), 'the second read page has no read_previous link')
    },
  }),
  defineCheck({
    id: 'R1-02-6.8-06',
    spec: 'CDS-WG1-02',
    section: '§6.8',
    title: 'message_ids (space-separated) filters all three lists; unknown and foreign ids match nothing',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await labToken(ctx)
      const mine = (await clientMade(ctx)).private
      const server = await freshServerMessage(ctx)
      const one = await allMessages(ctx, token, { message_ids: String(mine.message_id) })
      ctx.assert(canonical(idsOf(one.read)) === canonical([String(mine.message_id)]) && one.unread.length === 0 && one.outstanding.length === 0, 'message_ids=<a read, complete Message> did not give exactly that Message in read only')
      const two = await allMessages(ctx, token, { message_ids: `${String(mine.message_id)} ${String(server.message_id)}` })
      ctx.assert(canonical(idsOf([...two.read, ...two.unread])) === canonical(idsOf([mine, server])), 'message_ids with two ids did not give exactly those two')
      ctx.assert(idsOf(two.unread).includes(String(server.message_id)) && !idsOf(two.read).includes(String(server.message_id)), 'the unread Server Message is not (only) in unread')
      const other = await foreign(ctx)
      const none = await allMessages(ctx, token, { message_ids: `${String(other.message.message_id)} cds-ts-conformance-unknown` })
      ctx.assert(byId(none).size === 0, 'message_ids with another registration\'s and an unknown id listed Messages')
    },
  }),
  defineCheck({
    id: 'R1-02-6.8-07',
    spec: 'CDS-WG1-02',
    section: '§6.8',
    title: 'a *_next or *_previous page has the same format and fills only its own list',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { first, second, token } = await pagedRegistration(ctx)
      if (second === undefined) ctx.notApplicable('the server keeps more than 100 read Messages on one page (§6.8 lets it truncate, not must)')
      ctx.conforms(MessageListing, second, 'the page at read_next')
      ctx.assert(canonical(second.outstanding) === '[]' && canonical(second.unread) === '[]', 'the page at read_next has outstanding or unread Messages')
      const firstIds = new Set(idsOf(first.read as Json[]))
      const secondIds = idsOf(second.read as Json[])
      ctx.assert(secondIds.length > 0 && secondIds.every((id) => !firstIds.has(id)), 'the page at read_next repeats Messages of the first page or is empty')
      const back = jsonBody(ctx, await ctx.request({ url: String(second.read_previous), bearer: token }))
      ctx.conforms(MessageListing, back, 'the page at read_previous')
      ctx.assert(canonical(back.outstanding) === '[]' && canonical(back.unread) === '[]', 'the page at read_previous has outstanding or unread Messages')
      ctx.assert(canonical(idsOf(back.read as Json[])) === canonical([...firstIds].sort()), 'read_previous of the second page does not lead back to the first page')
    },
  }),
  defineCheck({
    id: 'R1-02-6.8-08',
    spec: 'CDS-WG1-02',
    section: '§6.8',
    title: 'each list is newest modified first',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const lists = await everyList(ctx)
      for (const list of LISTS) expectNewestFirst(ctx, list, lists[list])
      const paged = await pagedRegistration(ctx)
      expectNewestFirst(ctx, 'read (over its pages)', [...(paged.first.read as Json[]), ...((paged.second?.read ?? []) as Json[])])
    },
  }),
  defineCheck({
    id: 'R1-02-6.10-01',
    spec: 'CDS-WG1-02',
    section: '§6.10',
    title: 'a Message uri answers the Message as listed; another registration\'s is 404 (or 403)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const lists = await everyList(ctx)
      for (const message of byId(lists).values()) ctx.assert(canonical(await messageAt(ctx, message.uri)) === canonical(message), `GET ${String(message.uri)} differs from its listing entry`)
      const refused = await ctx.request({ url: String((await foreign(ctx)).message.uri), bearer: await labToken(ctx) })
      ctx.expectStatus(refused, [404, 403])
    },
  }),
  defineCheck({
    id: 'R1-02-6.11-01',
    spec: 'CDS-WG1-02',
    section: '§6.11',
    title: 'a PATCH of {"read": true} to a Message uri answers 200',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      ctx.expectStatus(await patchMessage(ctx, await freshServerMessage(ctx), { read: true }), 200)
    },
  }),
  defineCheck({
    id: 'R1-02-6.11-02',
    spec: 'CDS-WG1-02',
    section: '§6.11',
    title: 'members left out of a PATCH keep their values (only read and modified change)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const message = await freshServerMessage(ctx)
      ctx.expectStatus(await patchMessage(ctx, message, { read: true }), 200)
      const after = await messageAt(ctx, message.uri)
      ctx.assert(canonical({ ...after, read: null, modified: null }) === canonical({ ...message, read: null, modified: null }), 'a PATCH of read changed other members of the Message')
    },
  }),
  defineCheck({
    id: 'R1-02-6.11-03',
    spec: 'CDS-WG1-02',
    section: '§6.11',
    title: 'read can be set to true and back to false; the Message moves between the read and unread lists',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const message = await freshServerMessage(ctx)
      const where = async () => {
        const lists = await allMessages(ctx, await labToken(ctx), { message_ids: String(message.message_id) })
        return { read: lists.read.length, unread: lists.unread.length }
      }
      ctx.expectStatus(await patchMessage(ctx, message, { read: true }), 200)
      ctx.assert(canonical(await where()) === canonical({ read: 1, unread: 0 }), 'a Message marked read is not (only) in the read list')
      ctx.expectStatus(await patchMessage(ctx, message, { read: false }), 200)
      ctx.assert(canonical(await where()) === canonical({ read: 0, unread: 1 }), 'a Message marked unread again is not (only) in the unread list')
    },
  }),
  defineCheck({
    id: 'R1-02-6.11-08',
    spec: 'CDS-WG1-02',
    section: '§6.11',
    title: 'an invalid read value ("yes", null, 1) is 400 and changes nothing',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const message = await freshServerMessage(ctx)
      for (const value of ['yes', null, 1]) ctx.expectStatus(await patchMessage(ctx, message, { read: value }), 400)
      ctx.assert(canonical(await messageAt(ctx, message.uri)) === canonical(message), 'a refused PATCH changed the Message')
    },
  }),
  defineCheck({
    id: 'R1-02-6.11-09',
    spec: 'CDS-WG1-02',
    section: '§6.11',
    title: 'members a Client may not change are ignored in a PATCH (200, unchanged)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const message = await freshServerMessage(ctx)
      const response = await patchMessage(ctx, message, { read: true, status: message.status === 'complete' ? 'pending' : 'complete', name: 'cds-ts conformance renamed', creator: 'cds-ts-conformance', description: 'changed' })
      ctx.expectStatus(response, 200)
      const after = await messageAt(ctx, message.uri)
      for (const name of ['status', 'name', 'creator', 'description']) ctx.assert(canonical(after[name]) === canonical(message[name]), `a PATCH changed ${name} to ${JSON.stringify(after[name])}`)
      ctx.assert(after.read === true, 'the PATCH did not apply read')
    },
  }),
  defineCheck({
    id: 'R1-02-6.11-10',
    spec: 'CDS-WG1-02',
    section: '§6.11',
    title: 'a valid PATCH is applied at once: 200 with the updated Message',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const message = await freshServerMessage(ctx)
      const body = jsonBody(ctx, await patchMessage(ctx, message, { read: true }))
      ctx.assert(body.read === true, 'the PATCH answer does not show read=true')
      ctx.assert(canonical(body) === canonical(await messageAt(ctx, message.uri)), 'the PATCH answer differs from the Message read afterwards')
      ctx.assert(idsOf((await allMessages(ctx, await labToken(ctx), { message_ids: String(message.message_id) })).read).length === 1, 'the Message is not in the read list right after the PATCH')
    },
  }),
]
