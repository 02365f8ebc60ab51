/**
 * CDS-WG1-02 §5.3 and §5.4: listing Client objects (envelope, isolation between registrations, the
 * `client_ids` filter, order, the changelog Messages) and retrieving one.
 *
 * @module
 */
import { ClientListing } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { currentClient, putClient } from './client-samples.js'
import { apiUrl, canonical, getJson, isUrl, jsonBody, lab, labClients, labToken, listed, reserveClient, tick, withQuery } from './kit.js'
import { labMessages, newMessages } from './messages-kit.js'

const ids = (clients: readonly Json[]) => clients.map((client) => String(client.client_id)).sort()

/** Lists the lab's Client objects with `client_ids` set. */
async function filtered(ctx: CheckContext, value: string): Promise<Json[]> {
  return listed(ctx, withQuery(await apiUrl(ctx, 'cds_clients_api'), { client_ids: value }), await labToken(ctx), 'clients')
}

/** Fails unless the Client objects are newest `cds_modified` first. */
function expectNewestFirst(ctx: CheckContext, clients: readonly Json[]): void {
  for (let i = 1; i < clients.length; i++) {
    const [a, b] = [clients[i - 1], clients[i]]
    ctx.assert(Date.parse(String(a?.cds_modified)) >= Date.parse(String(b?.cds_modified)), `the listing has ${String(b?.client_id)} (cds_modified ${String(b?.cds_modified)}) after ${String(a?.client_id)} (${String(a?.cds_modified)})`)
  }
}

/** The checks of CDS-WG1-02 §5.3 and §5.4. */
export const clientListingChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-5.3-01',
    spec: 'CDS-WG1-02',
    section: '§5.3',
    title: 'the Clients API lists {clients, next, previous}',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const response = await ctx.request({ url: await apiUrl(ctx, 'cds_clients_api'), bearer: await ctx.adminToken() })
      ctx.expectStatus(response, 200)
      ctx.conforms(ClientListing, response.json(), 'the Client listing')
    },
  }),
  defineCheck({
    id: 'R1-02-5.3-02',
    spec: 'CDS-WG1-02',
    section: '§5.3',
    title: 'a registration lists all of its own Client objects and none of another registration',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const mine = await labClients(ctx)
      const registered = ids((await lab(ctx)).clients)
      const listedIds = new Set(ids(mine))
      ctx.assert(registered.every((id) => listedIds.has(id)), 'the listing lacks Client objects the registration made')
      const shared = await listed(ctx, await apiUrl(ctx, 'cds_clients_api'), await ctx.adminToken(), 'clients')
      const leaked = ids(shared).filter((id) => listedIds.has(id))
      ctx.assert(leaked.length === 0, `two registrations both list the Client objects ${leaked.join(', ')}`)
      ctx.assert(shared.length > 0 && mine.length > 0, 'a registration lists no Client object')
    },
  }),
  defineCheck({
    id: 'R1-02-5.3-04',
    spec: 'CDS-WG1-02',
    section: '§5.3',
    title: 'next and previous are always present, null at the end and at the front',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await ctx.adminToken()
      let url: string | null = await apiUrl(ctx, 'cds_clients_api')
      for (let page = 0; url !== null && page < 100; page++) {
        const body = jsonBody(ctx, await ctx.request({ url, bearer: token }))
        for (const key of ['next', 'previous'])
          ctx.assert(key in body && (body[key] === null || isUrl(body[key])), `page ${page + 1} of the Client listing has ${key}=${JSON.stringify(body[key])} (a URL or null, never absent)`)
        if (page === 0) ctx.assert(body.previous === null, 'the first page of the Client listing has a previous link')
        else ctx.assert(body.previous !== null, `page ${page + 1} of the Client listing has no previous link`)
        url = body.next as string | null
      }
    },
  }),
  defineCheck({
    id: 'R1-02-5.3-05',
    spec: 'CDS-WG1-02',
    section: '§5.3',
    title: 'client_ids filters by id (space-separated); unknown and foreign ids match nothing',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const [a, b, c] = ids(await labClients(ctx))
      if (a === undefined || b === undefined || c === undefined) ctx.fail('the registration has fewer than three Client objects to filter')
      ctx.assert(canonical(ids(await filtered(ctx, a))) === canonical([a]), `client_ids=${a} did not list exactly that Client object`)
      ctx.assert(canonical(ids(await filtered(ctx, `${a} ${b}`))) === canonical([a, b].sort()), 'client_ids with two ids did not list exactly those two')
      ctx.assert(canonical(ids(await filtered(ctx, `${c} cds-ts-conformance-unknown`))) === canonical([c]), 'an unknown id in client_ids changed the result')
      const other = (await ctx.registration()).admin.client_id
      ctx.assert((await filtered(ctx, other)).length === 0, 'client_ids with another registration\'s client_id listed it')
    },
  }),
  defineCheck({
    id: 'R1-02-5.3-06',
    spec: 'CDS-WG1-02',
    section: '§5.3',
    title: 'Client objects are listed newest cds_modified first, and a changed one moves to the top',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      expectNewestFirst(ctx, await listed(ctx, await apiUrl(ctx, 'cds_clients_api'), await ctx.adminToken(), 'clients'))
      const token = await labToken(ctx)
      const { client } = await reserveClient(ctx, 'order', () => true, 'Client object')
      await tick()
      ctx.expectStatus(await putClient(ctx, token, await currentClient(ctx, token, client), { client_name: `cds-ts conformance order ${Date.now()}` }), 200)
      const after = await labClients(ctx)
      expectNewestFirst(ctx, after)
      ctx.assert(after[0]?.client_id === client.client_id, `the Client object just changed (${String(client.client_id)}) is not first in the listing`)
    },
  }),
  defineCheck({
    id: 'R1-02-5.3-07',
    spec: 'CDS-WG1-02',
    section: '§5.3',
    title: 'changing a Client object adds a Server Message (a changelog)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await labToken(ctx)
      const { client } = await reserveClient(ctx, 'changelog', () => true, 'Client object')
      const before = await labMessages(ctx)
      ctx.expectStatus(await putClient(ctx, token, await currentClient(ctx, token, client), { client_name: `cds-ts conformance changelog ${Date.now()}` }), 200)
      const added = newMessages(before, await labMessages(ctx))
      ctx.assert(added.length > 0, 'a PUT that changed client_name added no Message')
      ctx.assert(added.some((message) => message.creator === null), 'the Messages after the change are not the Server\'s (creator is not null)')
    },
  }),
  defineCheck({
    id: 'R1-02-5.4-01',
    spec: 'CDS-WG1-02',
    section: '§5.4',
    title: 'cds_client_uri answers the Client object as listed; another registration\'s is 404 (or 403)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await ctx.adminToken()
      const all = await listed(ctx, await apiUrl(ctx, 'cds_clients_api'), token, 'clients')
      ctx.assert(all.length > 0, 'the listing has no Client object')
      for (const client of all) {
        const one = await getJson(ctx, String(client.cds_client_uri), token)
        ctx.assert(canonical(one) === canonical(client), `GET ${String(client.cds_client_uri)} differs from its listing entry`)
      }
      const foreignClient = (await lab(ctx)).clients[0]
      if (foreignClient === undefined) ctx.fail('the lab registration has no Client object')
      const refused = await ctx.request({ url: String(foreignClient.cds_client_uri), bearer: token })
      ctx.expectStatus(refused, [404, 403])
    },
  }),
  defineCheck({
    id: 'R1-02-5.4-02',
    spec: 'CDS-WG1-02',
    section: '§5.4',
    title: 'with RFC 7592, registration_client_uri is cds_client_uri and both kinds of token read it',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const response = (await lab(ctx)).response
      if (typeof response.registration_client_uri !== 'string') ctx.notApplicable('the registration response has no registration_client_uri (RFC 7592 is not offered)')
      ctx.assert(response.registration_client_uri === response.cds_client_uri, `registration_client_uri ${response.registration_client_uri} is not cds_client_uri ${String(response.cds_client_uri)}`)
      ctx.expectStatus(await ctx.request({ url: response.registration_client_uri, bearer: await labToken(ctx) }), 200)
      if (typeof response.registration_access_token !== 'string') ctx.fail('the registration response has registration_client_uri but no registration_access_token')
      ctx.expectStatus(await ctx.request({ url: response.registration_client_uri, bearer: response.registration_access_token }), 200)
    },
  }),
]
