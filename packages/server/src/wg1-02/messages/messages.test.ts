import { hashSecret, manualClock, toDateTime } from '@cds-ts/auth'
import { checkStrict, Message, MessageListing, parseJson } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import type { Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, call, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { resourceUrl } from '../../config/endpoints.js'
import type { Database } from '../../db/database.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { writeChangelog, writeServerMessage, type ServerMessageInput } from '../../shared/server-messages.js'

type Listing = MessageListing
const LISTS = ['outstanding', 'unread', 'read'] as const
const messageUri = (id: string) => resourceUrl(API_BASE_URL, 'messages_api', id)

async function registrationOf(db: Kysely<Database>, client_id: string): Promise<string> {
  return (await db.selectFrom('clients').select('registration_id').where('client_id', '=', client_id).executeTakeFirstOrThrow()).registration_id
}

forEachDialect('CDS-WG1-02 §6 Messages API', (t) => {
  let api: ApiApp
  let app: FastifyInstance
  let me: TestRegistration & { registration_id: string }
  let other: TestRegistration & { registration_id: string }
  // Server Messages get their own clock, one second apart, so that their order is known.
  const messageClock = manualClock('2025-01-01T00:00:00Z')
  const serverMessage = (registration_id: string, input: Partial<ServerMessageInput> = {}) => {
    messageClock.advance(1)
    return writeServerMessage(t.db, messageClock, { registration_id, previous_id: null, type: 'notification', status: 'complete', name: 'Notice', description: 'Text', ...input })
  }
  const list = async (query = '', token = me.adminToken): Promise<Listing> => {
    const response = await call(app, 'GET', `/api/messages${query}`, token)
    expect(response.statusCode).toBe(200)
    return parseJson(response.body) as Listing
  }
  const ids = (messages: Message[]) => messages.map((m) => m.message_id)

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    app = api.app
    const a = await register(app)
    const b = await register(app)
    me = { ...a, registration_id: await registrationOf(t.db, a.admin.client_id) }
    other = { ...b, registration_id: await registrationOf(t.db, b.admin.client_id) }
  })
  afterAll(async () => {
    await app.close()
  })

  describe('CDS-WG1-02 §6 authentication', () => {
    it('R1-02-6-03 the listing and each Message uri need a Client Admin bearer token', async () => {
      const message = await serverMessage(me.registration_id)
      for (const url of ['/api/messages', messageUri(message.message_id)]) {
        const none = await call(app, 'GET', url, undefined)
        expect(none.statusCode).toBe(401)
        expect(none.headers['www-authenticate']).toMatch(/^Bearer realm=/)
        const forged = await call(app, 'GET', url, 'not-a-token')
        expect(forged.statusCode).toBe(401)
        expect(forged.json()).toMatchObject({ error: 'invalid_token' })
      }
      // A token of the same Client object without cds_client_admin.
      const raw = `narrow-token-${message.message_id}`
      const now = api.clock.now()
      await new KyselyAuthStore(t.db).tokens.insert({
        token_hash: hashSecret(raw),
        token_type: 'access_token',
        client_id: me.admin.client_id,
        credential_id: null,
        grant_id: null,
        code_hash: null,
        scope: 'demo_meter_readings',
        authorization_details: [],
        issued_at: now,
        expires_at: new Date(now.getTime() + 600_000),
        revoked_at: null,
      })
      for (const [method, url] of [['GET', '/api/messages'], ['GET', messageUri(message.message_id)], ['PATCH', messageUri(message.message_id)], ['POST', '/api/messages']] as const) {
        const response = await call(app, method, url, raw, method === 'GET' ? undefined : { read: true, type: 'private_message', name: 'a', description: 'b' })
        expect(response.statusCode).toBe(403)
        expect(response.json()).toMatchObject({ error: 'insufficient_scope' })
      }
    })
  })

  describe('CDS-WG1-02 §6.8 Listing Messages', () => {
    it('R1-02-6.8-01 R1-02-6.8-05 the listing has its nine members; links are URLs or null', async () => {
      const body = await list()
      expect(Object.keys(body).sort()).toEqual(
        ['outstanding', 'outstanding_next', 'outstanding_previous', 'read', 'read_next', 'read_previous', 'unread', 'unread_next', 'unread_previous'].sort(),
      )
      for (const name of LISTS) {
        for (const end of ['next', 'previous'] as const) {
          const link = body[`${name}_${end}`]
          expect(link === null || link.startsWith(`${API_BASE_URL}/api/messages?`)).toBe(true)
        }
      }
      expect(checkStrict(MessageListing, body)).toEqual([])
    })

    it('R1-02-6.8-02 R1-02-6.8-03 R1-02-6.8-04 A-10 each list is a view of the same Messages', async () => {
      const request = await serverMessage(me.registration_id, { type: 'server_request', status: 'open', updates_requested: [{ field: 'f', name: 'F', description: 'Give F' }] })
      const notice = await serverMessage(me.registration_id)
      const mine = (await call(app, 'POST', '/api/messages', me.adminToken, { type: 'support_request', name: 'Help', description: 'x' })).json<Message>()
      const body = await list(`?message_ids=${[request.message_id, notice.message_id, mine.message_id].join('%20')}`)
      expect(new Set(ids(body.outstanding))).toEqual(new Set([request.message_id, mine.message_id]))
      expect(new Set(ids(body.unread))).toEqual(new Set([request.message_id, notice.message_id]))
      expect(ids(body.read)).toEqual([mine.message_id])
      // one `read` value per Message, so unread and read never share one.
      expect(ids(body.unread).filter((id) => ids(body.read).includes(id))).toEqual([])
      expect(body.outstanding.every((m) => m.status === 'open' || m.status === 'pending')).toBe(true)
      expect(body.unread.every((m) => !m.read) && body.read.every((m) => m.read)).toBe(true)
    })

    it('R1-02-6.8-06 message_ids filters all three lists; unknown ids find nothing', async () => {
      const open = await serverMessage(me.registration_id, { type: 'payment_request', status: 'open' })
      const body = await list(`?message_ids=${open.message_id}+unknown-id`)
      expect([ids(body.outstanding), ids(body.unread), ids(body.read)]).toEqual([[open.message_id], [open.message_id], []])
      const none = await list('?message_ids=unknown-id')
      expect([none.outstanding, none.unread, none.read]).toEqual([[], [], []])
    })

    it('R1-02-X-01 a registration sees only its own Messages', async () => {
      const foreign = await serverMessage(other.registration_id)
      const body = await list(`?message_ids=${foreign.message_id}`)
      expect([body.outstanding, body.unread, body.read]).toEqual([[], [], []])
      const all = await list()
      expect([...all.outstanding, ...all.unread, ...all.read].some((m) => m.message_id === foreign.message_id)).toBe(false)
    })

    it('R1-02-6.8-07 R1-02-6.8-08 A-36 each list pages by 100, newest modified first; a link fills only its list', async () => {
      const fresh = await register(app)
      const registration_id = await registrationOf(t.db, fresh.admin.client_id)
      const written: string[] = []
      for (let i = 0; i < 105; i++) written.push((await serverMessage(registration_id, { name: `Notice ${i}` })).message_id)
      const newestFirst = [...written].reverse()
      const filter = `message_ids=${written.slice(0, 103).join('+')}`
      const first = await list(`?${filter}`, fresh.adminToken)
      expect(ids(first.unread)).toEqual(newestFirst.slice(2, 102))
      expect([first.outstanding, first.read, first.unread_previous, first.read_next, first.outstanding_next]).toEqual([[], [], null, null, null])
      const next = new URL(first.unread_next ?? '')
      // the link names its list, carries a cursor and keeps the filter.
      expect(next.searchParams.get('list')).toBe('unread')
      expect(next.searchParams.get('cursor')).toMatch(/^[A-Za-z0-9_-]+$/)
      expect(next.searchParams.get('message_ids')).toBe(written.slice(0, 103).join(' '))
      // R1-02-6.8-07: the next segment holds only unread Messages; the other lists are [] with null links.
      const second = await list(next.search, fresh.adminToken)
      expect(ids(second.unread)).toEqual(newestFirst.slice(102, 105))
      expect(second.unread_next).toBeNull()
      expect([second.outstanding, second.read, second.outstanding_next, second.outstanding_previous, second.read_next, second.read_previous]).toEqual([[], [], null, null, null, null])
      const back = await list(new URL(second.unread_previous ?? '').search, fresh.adminToken)
      expect(ids(back.unread)).toEqual(ids(first.unread))
      expect(back.unread_previous).toBeNull()
      for (const page of [first, second]) {
        const times = page.unread.map((m) => m.modified)
        expect(times).toEqual([...times].sort().reverse())
      }
      // A `list` link without a cursor is that list's first page, alone.
      const only = await list(`?list=unread&${filter}`, fresh.adminToken)
      expect([ids(only.unread), only.read, only.outstanding]).toEqual([ids(first.unread), [], []])
    })

    it('A-36 a cursor needs its list; a foreign or broken cursor or list is 400', async () => {
      for (const query of ['?cursor=abc', '?list=unread&cursor=%%%', '?list=archived']) {
        const response = await call(app, 'GET', `/api/messages${query}`, me.adminToken)
        expect(response.statusCode).toBe(400)
        expect(response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/list|cursor/) })
      }
    })

    it('R1-02-6.1-01 R1-02-6.1-05 R1-02-6.1-12 R1-02-6.2-01 R1-02-6.3-01 R1-02-6.4-01 R1-02-6.5-01 R1-02-6.5-05 every listed Message is a valid Message object', async () => {
      await serverMessage(me.registration_id, { type: 'notification', status: 'complete', related_uri: `${API_BASE_URL}/api/clients`, related_type: 'client_list' })
      await serverMessage(me.registration_id, {
        type: 'field_changes',
        status: 'pending',
        updates_requested: [{ field: 'logo_uri', previous_value: null, new_value: 'https://client.example/logo.png' }],
        related_uri: `${API_BASE_URL}/api/clients/x`,
        related_type: 'client',
      })
      const body = await list()
      for (const message of [...body.outstanding, ...body.unread, ...body.read]) {
        expect(checkStrict(Message, message)).toEqual([])
        expect(Object.keys(message)).toEqual(expect.arrayContaining(['message_id', 'uri', 'previous_uri', 'type', 'read', 'creator', 'created', 'modified', 'status', 'name', 'description']))
        if (message.related_uri !== undefined) expect(message.related_type).toBeDefined()
      }
      // R1-02-6.2-02 R1-02-6.5-02: a field change is written by the Server and names the API field, old and new values.
      expect(body.outstanding.find((m) => m.type === 'field_changes')).toMatchObject({
        creator: null,
        read: false,
        updates_requested: [{ field: 'logo_uri', previous_value: null, new_value: 'https://client.example/logo.png' }],
      })
    })

    it('A-37 a changelog Message is a complete notification linking the object', async () => {
      const changelog = await writeChangelog(t.db, messageClock, {
        registration_id: me.registration_id,
        related_type: 'credential',
        related_uri: `${API_BASE_URL}/api/credentials/c-9`,
        name: 'Credential added',
        description: 'A Credential was added.',
      })
      const body = await list(`?message_ids=${changelog.message_id}`)
      expect([body.outstanding, body.read]).toEqual([[], []])
      expect(body.unread).toEqual([
        expect.objectContaining({ type: 'notification', status: 'complete', creator: null, related_type: 'credential', related_uri: `${API_BASE_URL}/api/credentials/c-9` }),
      ])
    })

    it('R1-02-6.1-02 R1-02-6.1-03 Server Messages are unread with no creator; Client Messages are read with their creator', async () => {
      const server = await serverMessage(me.registration_id)
      const client = (await call(app, 'POST', '/api/messages', me.adminToken, { type: 'private_message', name: 'Hi', description: 'There' })).json<Message>()
      const body = await list(`?message_ids=${server.message_id}+${client.message_id}`)
      expect(body.unread).toEqual([expect.objectContaining({ message_id: server.message_id, read: false, creator: null })])
      expect(body.read).toEqual([expect.objectContaining({ message_id: client.message_id, read: true, creator: me.admin.client_id })])
    })
  })

  describe('CDS-WG1-02 §6.10 Retrieving Individual Messages', () => {
    it('R1-02-6.10-01 GET on a uri returns the Message as listed; unknown or foreign ids are 404', async () => {
      const message = await serverMessage(me.registration_id, { type: 'payment_request', status: 'open', related_uri: 'https://pay.example/1', related_type: 'payment_form' })
      const listed = (await list(`?message_ids=${message.message_id}`)).unread[0]
      const response = await call(app, 'GET', messageUri(message.message_id), me.adminToken)
      expect(response.statusCode).toBe(200)
      expect(parseJson(response.body)).toEqual(listed)
      const foreign = await serverMessage(other.registration_id)
      for (const id of [foreign.message_id, 'no-such-message']) {
        const missing = await call(app, 'GET', messageUri(id), me.adminToken)
        expect(missing.statusCode).toBe(404)
        expect(missing.json()).toMatchObject({ error: 'not_found' })
      }
    })
  })

  describe('CDS-WG1-02 §6.11 Modifying Messages', () => {
    it('R1-02-6.11-01 R1-02-6.11-02 R1-02-6.11-03 R1-02-6.11-10 A-13 read moves between the lists and moves modified', async () => {
      const message = await serverMessage(me.registration_id, { type: 'server_request', status: 'open', updates_requested: [{ field: 'f', name: 'F', description: 'D' }] })
      const before = (await call(app, 'GET', messageUri(message.message_id), me.adminToken)).json<Message>()
      api.clock.advance(5)
      const patched = await call(app, 'PATCH', messageUri(message.message_id), me.adminToken, { read: true })
      expect(patched.statusCode).toBe(200)
      const body = patched.json<Message>()
      expect(body).toEqual({ ...before, read: true, modified: toDateTime(api.clock.now()) })
      expect((await call(app, 'GET', messageUri(message.message_id), me.adminToken)).json()).toEqual(body)
      let listing = await list(`?message_ids=${message.message_id}`)
      expect([ids(listing.outstanding), ids(listing.unread), ids(listing.read)]).toEqual([[message.message_id], [], [message.message_id]])
      // the Message just read is now the most recently modified one.
      expect(ids((await list()).read)[0]).toBe(message.message_id)
      api.clock.advance(5)
      const unread = await call(app, 'PATCH', messageUri(message.message_id), me.adminToken, { read: false })
      expect(unread.json()).toMatchObject({ read: false, modified: toDateTime(api.clock.now()) })
      listing = await list(`?message_ids=${message.message_id}`)
      expect([ids(listing.unread), ids(listing.read)]).toEqual([[message.message_id], []])
    })

    it('R1-02-6.11-08 a read that is not a boolean is 400', async () => {
      const message = await serverMessage(me.registration_id)
      for (const payload of [{ read: 'yes' }, { read: null }, { read: 'true' }, { read: 1 }]) {
        const response = await call(app, 'PATCH', messageUri(message.message_id), me.adminToken, payload)
        expect(response.statusCode).toBe(400)
        expect(response.json()).toMatchObject({ error: 'invalid_request', error_description: expect.stringMatching(/read/) })
      }
    })

    it('R1-02-6.11-09 fields the Client cannot modify are ignored', async () => {
      const message = await serverMessage(me.registration_id, { type: 'payment_request', status: 'open' })
      const response = await call(app, 'PATCH', messageUri(message.message_id), me.adminToken, { read: true, status: 'complete', name: 'x', creator: 'me' })
      expect(response.statusCode).toBe(200)
      expect(response.json()).toMatchObject({ read: true, status: 'open', name: message.name, creator: null })
      // Nothing to change leaves the Message, modified included, as it was.
      const same = await call(app, 'PATCH', messageUri(message.message_id), me.adminToken, { name: 'y' })
      expect(same.json()).toEqual(response.json())
    })

    it('R1-02-X-01 another registration cannot modify a Message', async () => {
      const foreign = await serverMessage(other.registration_id)
      const response = await call(app, 'PATCH', messageUri(foreign.message_id), me.adminToken, { read: true })
      expect(response.statusCode).toBe(404)
      expect(response.json()).toMatchObject({ error: 'not_found' })
      expect((await call(app, 'GET', messageUri(foreign.message_id), other.adminToken)).json()).toMatchObject({ read: false })
    })
  })
})
