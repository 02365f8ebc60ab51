/**
 * Every CDS-WG1-02 API through the SDK against the reference server: Clients (§5), Messages
 * (§6), Credentials (§7), Grants (§8) and Server-Provided Files (§9, with a Grant Admin token and
 * the download).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { CdsResponseError, type Decoded } from '../src/index.js'
import type { Grant, Message, ServerProvidedFile } from '@cds-ts/schema'
import { operator, register, registrationIdOf, type Registration } from './live.js'

let reg: Registration

beforeAll(async () => {
  reg = await register(['cds_query_accounts', 'cds_query_meter_devices', 'cds_usage', 'cds_grant_admin_1', 'cds_server_provided_files_1'])
})

describe('CDS-WG1-02 §5 Clients API', () => {
  it('R1-02-5.3 lists (one page and every item) with the client_ids filter', async () => {
    const page = await reg.admin.clients.list()
    expect(page.next).toBeNull()
    expect(page.previous).toBeNull()
    expect(page.clients.map((c) => c.client_id).sort()).toEqual(reg.clients.map((c) => c.client_id).sort())
    const wanted = reg.clientObject('cds_query_accounts').client_id
    const filtered = await reg.admin.clients.list({ client_ids: [wanted] })
    expect(filtered.clients.map((c) => c.client_id)).toEqual([wanted])
    const all = []
    for await (const client of reg.admin.clients.all({ client_ids: `${wanted} ${reg.registration.client_id}` })) all.push(client.client_id)
    expect(all.sort()).toEqual([wanted, reg.registration.client_id].sort())
  })

  it('R1-02-5.4 gets one Client object by object or by cds_client_uri', async () => {
    const object = reg.clientObject('cds_usage')
    expect(await reg.admin.clients.get(object)).toMatchObject({ client_id: object.client_id, scope: 'cds_usage' })
    expect((await reg.admin.clients.get(object.cds_client_uri)).client_id).toBe(object.client_id)
  })

  it('R1-02-5.5 modifies a Client object with PUT (200) and reads the change back', async () => {
    const object = await reg.admin.clients.get(reg.clientObject('cds_usage'))
    const extra = 'http://127.0.0.1:9/sdk-callback'
    const { status, client } = await reg.admin.clients.modify(object, { ...object, redirect_uris: [...object.redirect_uris, extra], client_name: 'Renamed by the SDK' })
    expect(status).toBe(200)
    expect(client.redirect_uris).toContain(extra)
    expect((await reg.admin.clients.get(object)).client_name).toBe('Renamed by the SDK')
  })

  it('R1-02-5.5 a change of a server-set field is refused with a typed error', async () => {
    const object = reg.clientObject('cds_query_accounts')
    const failure = await reg.admin.clients.modify(object, { ...object, client_id_issued_at: 1 }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsResponseError)
    expect(failure).toMatchObject({ status: 400, error: 'invalid_client_metadata' })
  })
})

describe('CDS-WG1-02 §6 Messages API', () => {
  let created: Decoded<Message>

  it('R1-02-6.9 creates a support request (201), as read and pending', async () => {
    created = await reg.admin.messages.create({ type: 'support_request', previous_uri: null, name: 'SDK question', description: 'Does the SDK work?' })
    expect(created).toMatchObject({ type: 'support_request', status: 'pending', read: true, creator: reg.registration.client_id, name: 'SDK question' })
  })

  it('R1-02-6.8 lists the three lists and iterates one of them', async () => {
    const listing = await reg.admin.messages.list({ message_ids: [created.message_id] })
    expect(listing.outstanding.map((m) => m.message_id)).toEqual([created.message_id])
    expect(listing.read.map((m) => m.message_id)).toEqual([created.message_id])
    expect(listing.unread).toEqual([])
    const read = []
    for await (const message of reg.admin.messages.all('read')) read.push(message.message_id)
    expect(read).toContain(created.message_id)
  })

  it('R1-02-6.10, R1-02-6.11 gets a Message and marks it unread', async () => {
    expect((await reg.admin.messages.get(created)).message_id).toBe(created.message_id)
    const unread = await reg.admin.messages.modify(created.uri, { read: false })
    expect(unread.read).toBe(false)
    const unreadIds = []
    for await (const message of reg.admin.messages.all('unread', { message_ids: [created.message_id] })) unreadIds.push(message.message_id)
    expect(unreadIds).toEqual([created.message_id])
  })

  it('R1-02-6.9 an invalid Message is a typed 400', async () => {
    const failure = await reg.admin.messages.create({ type: 'grant_request', previous_uri: null, name: 'x', description: 'y' }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(CdsResponseError)
    expect(failure).toMatchObject({ status: 400 })
  })
})

describe('CDS-WG1-02 §7 Credentials API', () => {
  it('R1-02-7.3 to 7.6 lists, creates, gets and expires a Credential, after which its secret fails', async () => {
    const target = reg.clientObject('cds_query_meter_devices')
    const listed = await reg.admin.credentials.list({ client_ids: [target.client_id] })
    expect(listed.credentials).toHaveLength(1)
    const created = await reg.admin.credentials.create({ client_id: target.client_id })
    expect(created).toMatchObject({ client_id: target.client_id, type: 'client_secret', client_secret_expires_at: 0 })
    const all = []
    for await (const credential of reg.admin.credentials.all({ client_ids: target.client_id, after: new Date(Date.now() - 3_600_000) })) all.push(credential.credential_id)
    expect(all).toContain(created.credential_id)
    expect((await reg.admin.credentials.get(created)).client_secret).toBe(created.client_secret)

    const secret = created.client_secret ?? ''
    const withNew = reg.admin.withClient({ client_id: target.client_id, client_secret: secret })
    expect((await withNew.token({ scope: 'cds_query_meter_devices' })).scope).toBe('cds_query_meter_devices')

    const expired = await reg.admin.credentials.modify(created.uri, { client_secret_expires_at: Math.floor(Date.now() / 1000) })
    expect(expired.client_secret_expires_at).toBeLessThanOrEqual(Math.floor(Date.now() / 1000))
    const failure = await reg.admin.withClient({ client_id: target.client_id, client_secret: secret }).token({ scope: 'cds_query_meter_devices' }).catch((e: unknown) => e)
    expect(failure).toMatchObject({ code: 'RESPONSE_BODY_ERROR', error: 'invalid_client', status: 401 })
  })
})

describe('CDS-WG1-02 §8 Grants API', () => {
  it('R1-02-8.4 lists with typed filters, gets one, closes it (200)', async () => {
    const target = reg.clientObject('cds_query_accounts')
    const active = await reg.admin.grants.list({ statuses: ['active'], client_ids: [target.client_id], scopes: ['cds_query_accounts'] })
    expect(active.grants).toHaveLength(1)
    const grant = active.grants[0] as Decoded<Grant>
    expect(grant).toMatchObject({ client_id: target.client_id, status: 'active', scope: 'cds_query_accounts' })
    const all = []
    for await (const g of reg.admin.grants.all({ before: new Date(Date.now() + 60_000) })) all.push(g.grant_id)
    expect(all).toContain(grant.grant_id)
    expect((await reg.admin.grants.get(grant)).grant_id).toBe(grant.grant_id)
    const { status, grant: closed } = await reg.admin.grants.modify(grant.uri, { status: 'closed' })
    expect(status).toBe(200)
    expect(closed).toMatchObject({ status: 'closed', enabled_scope: '' })
    expect((await reg.admin.grants.list({ statuses: 'closed', grant_ids: grant.grant_id })).grants).toHaveLength(1)
  })
})

describe('CDS-WG1-02 §9 Server-Provided Files API', () => {
  it('R1-02-9.2 to 9.4 lists, gets and downloads a shared file with a Grant Admin token', async () => {
    const bytes = new Uint8Array(70_000).map((_, i) => (i * 7) % 256)
    const uploaded = await operator('POST', '/operator/files', bytes, '?name=config.bin&mime_type=application/x-sdk-test&description=SDK%20test%20file')
    expect(uploaded.status).toBe(201)
    const file = (await uploaded.json()) as ServerProvidedFile
    const shared = await operator('POST', '/operator/files/share', { file_ids: [file.file_id], registration_id: await registrationIdOf(reg.registration.client_id) })
    expect(shared.status).toBe(201)
    const { grant } = (await shared.json()) as { grant: Grant }

    // CDS-WG1-02 §3.3.3: the files Grant shows on the Grants API; a Grant Admin token reaches it.
    const found = await reg.admin.grants.list({ scopes: ['cds_server_provided_files_1'] })
    expect(found.grants.map((g) => g.grant_id)).toContain(grant.grant_id)
    const admin = reg.clientFor('cds_grant_admin_1')
    const files = admin.serverProvidedFiles(admin.grantAdmin(grant))
    const listing = await files.list({ file_ids: [file.file_id] })
    expect(listing.files.map((f) => f.file_id)).toEqual([file.file_id])
    const every = []
    for await (const f of files.all()) every.push(f.file_id)
    expect(every).toEqual([file.file_id])
    const one = await files.get(listing.files[0]?.uri ?? '')
    expect(one).toMatchObject({ name: 'config.bin', mime_type: 'application/x-sdk-test', size: bytes.length, description: 'SDK test file' })
    const download = await files.download(one)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toMatch(/^application\/x-sdk-test/)
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes)
  })
})
