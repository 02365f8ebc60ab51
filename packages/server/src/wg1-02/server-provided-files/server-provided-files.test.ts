import { hashSecret, randomOpaqueValue } from '@cds-ts/auth'
import type { ServerProvidedFile, ServerProvidedFileListing } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, buildApiApp, call, clientCredentialsToken, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { DEMO_CODE_SCOPE, DEMO_FILES_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../../config/defaults.js'
import { KyselyFileStore, type FileRecord } from '../../db/file-store.js'
import { KyselyGrantStore, type GrantRecord } from '../../db/grant-store.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { changeGrantStatus, createGrant } from '../grants/grant-changes.js'
import { shareFile } from './share-file.js'

/** `length` bytes that change from one position to the next, so a misplaced chunk shows. */
function pattern(length: number, seed = 1): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i += 1) bytes[i] = (i * 7 + seed + (i >> 10)) & 0xff
  return bytes
}

/** A registration with every demo scope, its Client objects by role, and a known Grant Admin secret. */
interface Fixture {
  reg: TestRegistration
  registration_id: string
  files_client_id: string
  ga_client_id: string
  ga_secret: string
  code_client_id: string
}

forEachDialect('Server-Provided Files API', (t) => {
  let api: ApiApp
  let fx: Fixture

  async function fixture(): Promise<Fixture> {
    const reg = await register(api.app)
    const { registration_id } = await t.db.selectFrom('clients').select('registration_id').where('client_id', '=', reg.admin.client_id).executeTakeFirstOrThrow()
    const clients = await t.db.selectFrom('clients').select(['client_id', 'scope']).where('registration_id', '=', registration_id).execute()
    const withScope = (id: string) => {
      const found = clients.find((c) => c.scope.split(' ').includes(id))
      if (found === undefined) throw new Error(`no Client object with ${id}`)
      return found.client_id
    }
    // Registration returns only the admin secret; seed a known one for the Grant Admin object.
    const ga_client_id = withScope(DEMO_GRANT_ADMIN_SCOPE)
    const ga_secret = randomOpaqueValue()
    const now = api.clock.now()
    await new KyselyAuthStore(t.db).credentials.insert({
      credential_id: `cred-${randomOpaqueValue().slice(0, 12)}`,
      client_id: ga_client_id,
      type: 'client_secret',
      client_secret_hash: hashSecret(ga_secret),
      client_secret_expires_at: 0,
      created: now,
      modified: now,
    })
    return { reg, registration_id, files_client_id: withScope(DEMO_FILES_SCOPE), ga_client_id, ga_secret, code_client_id: withScope(DEMO_CODE_SCOPE) }
  }

  const gaToken = (grant: Pick<GrantRecord, 'client_id' | 'grant_id'>, f: Fixture = fx) =>
    clientCredentialsToken(api.app, f.ga_client_id, f.ga_secret, undefined, [{ type: DEMO_GRANT_ADMIN_SCOPE, client_id: grant.client_id, grant_id: grant.grant_id }])

  const newFile = (name: string, content: Uint8Array = pattern(10), meta: Partial<Pick<FileRecord, 'mime_type' | 'description' | 'file_id'>> = {}) =>
    new KyselyFileStore(t.db, api.clock).create({ name, mime_type: meta.mime_type ?? 'text/plain', description: meta.description ?? '', ...(meta.file_id ? { file_id: meta.file_id } : {}) }, content)

  const share = async (files: FileRecord[], f: Fixture = fx) => (await shareFile(t.db, api.clock, api.config, { client_id: f.files_client_id, file_ids: files.map((x) => x.file_id) })).grant

  const expectedObject = (file: FileRecord): ServerProvidedFile => ({
    ...file,
    uri: `${API_BASE_URL}/api/files/${file.file_id}`,
    download_uri: `${API_BASE_URL}/api/files/${file.file_id}/download`,
  })

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    fx = await fixture()
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('CDS-WG1-02 §9 Server-Provided Files API', () => {
    it('R1-02-9-01 the Authorization Server Metadata names the API, served at /api/files', async () => {
      const response = await call(api.app, 'GET', '/.well-known/oauth-authorization-server', undefined)
      expect(response.json<{ cds_server_provided_files_api: string }>().cds_server_provided_files_api).toBe(`${API_BASE_URL}/api/files`)
    })

    it('R1-02-9-02 no token is 401 with a bare Bearer challenge on every endpoint', async () => {
      const file = await newFile('no-token.txt')
      for (const path of ['/api/files', `/api/files/${file.file_id}`, `/api/files/${file.file_id}/download`]) {
        const response = await call(api.app, 'GET', path, undefined)
        expect(response.statusCode).toBe(401)
        expect(response.json()).toEqual({ error: 'invalid_token', error_description: expect.any(String) })
        expect(response.headers['www-authenticate']).toBe(`Bearer realm="${API_BASE_URL}"`)
      }
    })

    it('R1-02-9-02 A-26 a Client Admin token is 403 insufficient_scope', async () => {
      const file = await newFile('ca-token.txt')
      await share([file])
      for (const path of ['/api/files', `/api/files/${file.file_id}`, `/api/files/${file.file_id}/download`]) {
        const response = await call(api.app, 'GET', path, fx.reg.adminToken)
        expect(response.statusCode).toBe(403)
        expect(response.json()).toMatchObject({ error: 'insufficient_scope' })
        expect(response.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+", error="insufficient_scope"/)
      }
    })

    it('R1-02-9-02 A-26 a Grant Admin token for a Grant that is not a files Grant is 403 insufficient_scope', async () => {
      const grant = await createGrant(t.db, api.clock, { client_id: fx.code_client_id, scope: DEMO_CODE_SCOPE, changelog: false })
      const token = await gaToken(grant)
      for (const path of ['/api/files', '/api/files/anything', '/api/files/anything/download']) {
        const response = await call(api.app, 'GET', path, token)
        expect(response.statusCode).toBe(403)
        expect(response.json()).toEqual({ error: 'insufficient_scope', error_description: 'this access token is not for a Server-Provided Files Grant' })
      }
    })

    it('R1-02-9.2-01 R1-02-9.1-01 a Grant Admin token of a files Grant lists its files as F22 objects', async () => {
      const file = await newFile('listing.csv', pattern(42), { mime_type: 'text/csv', description: 'Demo tariffs' })
      const token = await gaToken(await share([file]))
      const response = await call(api.app, 'GET', '/api/files', token)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toMatch(/^application\/json/)
      expect(response.headers['cache-control']).toBe('no-store')
      const body = response.json<ServerProvidedFileListing>()
      expect(body).toEqual({ files: [expectedObject(file)], next: null, previous: null })
      const [listed] = body.files
      expect(Object.keys(listed ?? {}).sort()).toEqual(['created', 'description', 'download_uri', 'file_id', 'mime_type', 'modified', 'name', 'size', 'uri'])
    })

    it('R1-02-9.2-03 the Grant Admin token of Grant 1 sees only file 1, and of Grant 2 only file 2', async () => {
      const [one, two] = [await newFile('one.txt'), await newFile('two.txt')]
      const [token1, token2] = [await gaToken(await share([one])), await gaToken(await share([two]))]
      const listed = async (token: string) => (await call(api.app, 'GET', '/api/files', token)).json<ServerProvidedFileListing>().files.map((f) => f.file_id)
      expect(await listed(token1)).toEqual([one.file_id])
      expect(await listed(token2)).toEqual([two.file_id])
    })

    it('R1-02-9.2-04 file_ids keeps only the named files the token reaches', async () => {
      const [a, b, c] = [await newFile('a.txt'), await newFile('b.txt'), await newFile('c.txt')]
      const outside = await newFile('outside.txt')
      const token = await gaToken(await share([a, b, c]))
      const response = await call(api.app, 'GET', `/api/files?file_ids=${a.file_id}+${c.file_id}+${outside.file_id}`, token)
      expect(response.statusCode).toBe(200)
      expect(response.json<ServerProvidedFileListing>().files.map((f) => f.file_id).sort()).toEqual([a.file_id, c.file_id].sort())
      const none = await call(api.app, 'GET', `/api/files?file_ids=${outside.file_id}`, token)
      expect(none.json()).toEqual({ files: [], next: null, previous: null })
    })

    it('R1-02-9.2-05 lists the most recently modified file first', async () => {
      const first = await newFile('first.txt')
      api.clock.advance(1)
      const second = await newFile('second.txt')
      api.clock.advance(1)
      const third = await newFile('third.txt')
      const token = await gaToken(await share([first, second, third]))
      const ids = async () => (await call(api.app, 'GET', '/api/files', token)).json<ServerProvidedFileListing>().files.map((f) => f.file_id)
      expect(await ids()).toEqual([third.file_id, second.file_id, first.file_id])
      api.clock.advance(1)
      await new KyselyFileStore(t.db, api.clock).update(first.file_id, { description: 'revised' })
      expect(await ids()).toEqual([first.file_id, third.file_id, second.file_id])
    })

    it('R1-02-9.2-02 more than 100 files are paged through next and previous, which keep the filter', async () => {
      const files: FileRecord[] = []
      for (let i = 0; i < 103; i += 1) files.push(await newFile(`page-${i}.txt`, pattern(1, i)))
      const token = await gaToken(await share(files))
      const filter = files.slice(0, 101).map((f) => f.file_id)
      const first = await call(api.app, 'GET', `/api/files?file_ids=${filter.join('+')}`, token)
      const page1 = first.json<ServerProvidedFileListing>()
      expect(page1.files).toHaveLength(100)
      expect(page1.previous).toBeNull()
      expect(page1.next).not.toBeNull()
      expect(new URL(page1.next ?? '').searchParams.get('file_ids')).toBe(filter.join(' '))
      const page2 = (await call(api.app, 'GET', page1.next ?? '', token)).json<ServerProvidedFileListing>()
      expect(page2.files).toHaveLength(1)
      expect(page2.next).toBeNull()
      expect(new Set([...page1.files, ...page2.files].map((f) => f.file_id))).toEqual(new Set(filter))
      const back = (await call(api.app, 'GET', page2.previous ?? '', token)).json<ServerProvidedFileListing>()
      expect(back.files.map((f) => f.file_id)).toEqual(page1.files.map((f) => f.file_id))
      const unfiltered = (await call(api.app, 'GET', '/api/files', token)).json<ServerProvidedFileListing>()
      expect(unfiltered.files).toHaveLength(100)
      expect((await call(api.app, 'GET', unfiltered.next ?? '', token)).json<ServerProvidedFileListing>().files).toHaveLength(3)
    })

    it('R1-02-X-10 a cursor the server did not write is 400 invalid_request', async () => {
      const token = await gaToken(await share([await newFile('cursor.txt')]))
      const response = await call(api.app, 'GET', '/api/files?cursor=not-a-cursor', token)
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ error: 'invalid_request' })
    })
  })

  describe('CDS-WG1-02 §9.3 Retrieving Individual Server-Provided Files', () => {
    it('R1-02-9.3-01 R1-02-9.1-02 the file of the Grant is returned at its uri, created == modified', async () => {
      const file = await newFile('DR_API_docs_v1.0.pdf', pattern(1234), { mime_type: 'application/pdf', description: 'API documentation' })
      const token = await gaToken(await share([file]))
      const response = await call(api.app, 'GET', `${API_BASE_URL}/api/files/${file.file_id}`, token)
      expect(response.statusCode).toBe(200)
      expect(response.headers['cache-control']).toBe('no-store')
      const body = response.json<ServerProvidedFile>()
      expect(body).toEqual(expectedObject(file))
      expect(body.created).toBe(body.modified)
      expect(body.size).toBe(1234)
    })

    it('R1-02-9.1-02 a file without a description has description ""', async () => {
      const file = await newFile('plain.txt')
      const token = await gaToken(await share([file]))
      expect((await call(api.app, 'GET', `/api/files/${file.file_id}`, token)).json<ServerProvidedFile>().description).toBe('')
    })

    it('R1-02-9.3-01 A-26 a file outside the Grant is 404 on uri and download_uri, like an unknown one', async () => {
      const [mine, theirs] = [await newFile('mine.txt'), await newFile('theirs.txt')]
      await share([theirs])
      const token = await gaToken(await share([mine]))
      for (const path of [`/api/files/${theirs.file_id}`, `/api/files/${theirs.file_id}/download`, '/api/files/no-such-file', '/api/files/no-such-file/download']) {
        const response = await call(api.app, 'GET', path, token)
        expect(response.statusCode).toBe(404)
        expect(response.json()).toEqual({ error: 'not_found', error_description: expect.stringMatching(/^no Server-Provided File .+ is shared with this access token$/) })
      }
    })

    it('A-25 a Grant that loses access takes its Grant Admin tokens with it, checked on every request', async () => {
      const file = await newFile('status.txt')
      const grant = await share([file])
      const token = await gaToken(grant)
      const grants = new KyselyGrantStore(t.db)
      expect((await call(api.app, 'GET', `/api/files/${file.file_id}`, token)).statusCode).toBe(200)
      // Suspended behind the token machinery's back: the API itself still refuses.
      await grants.update(grant.grant_id, { status: 'suspended' })
      const suspended = await call(api.app, 'GET', `/api/files/${file.file_id}`, token)
      expect(suspended.statusCode).toBe(401)
      expect(suspended.json()).toEqual({ error: 'invalid_token', error_description: 'the Grant of this access token no longer gives access' })
      await grants.update(grant.grant_id, { status: 'active' })
      expect((await call(api.app, 'GET', '/api/files', token)).statusCode).toBe(200)
      // An access window that has ended counts as expired.
      await grants.update(grant.grant_id, { not_after: new Date(api.clock.now().getTime() + 30_000).toISOString() })
      api.clock.advance(60)
      expect((await call(api.app, 'GET', `/api/files/${file.file_id}/download`, token)).statusCode).toBe(401)
    })

    it('R1-02-8.2-04 closing the files Grant through the Grants helper ends its tokens', async () => {
      const file = await newFile('closed.txt')
      const grant = await share([file])
      const token = await gaToken(grant)
      await changeGrantStatus(t.db, api.clock, api.config, grant.grant_id, 'closed')
      const response = await call(api.app, 'GET', '/api/files', token)
      expect(response.statusCode).toBe(401)
      expect(response.json()).toMatchObject({ error: 'invalid_token' })
    })
  })

  describe('CDS-WG1-02 §9.4 Downloading Server-Provided File Data', () => {
    it('R1-02-9.4-01 streams a file of several chunks byte for byte, with its type, length and name', async () => {
      const content = pattern(3.5 * 1024 * 1024, 5)
      const file = await newFile('backfill 2024.csv', content, { mime_type: 'text/csv' })
      const token = await gaToken(await share([file]))
      const metadata = (await call(api.app, 'GET', `/api/files/${file.file_id}`, token)).json<ServerProvidedFile>()
      const response = await call(api.app, 'GET', metadata.download_uri, token)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('text/csv')
      expect(response.headers['content-length']).toBe(String(content.length))
      expect(response.headers['content-disposition']).toBe('attachment; filename="backfill 2024.csv"')
      expect(response.headers['cache-control']).toBe('no-store')
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.rawPayload.length).toBe(metadata.size)
      expect(Buffer.compare(response.rawPayload, content)).toBe(0)
      const chunks = await t.db.selectFrom('file_chunks').select('seq').where('file_id', '=', file.file_id).execute()
      expect(chunks).toHaveLength(4)
    })

    it('R1-02-9.4-01 a name outside printable ASCII gets a safe filename and an RFC 8187 filename*', async () => {
      const file = await newFile('Relevé "été"\r\n.pdf', pattern(5), { mime_type: 'application/pdf' })
      const token = await gaToken(await share([file]))
      const response = await call(api.app, 'GET', `/api/files/${file.file_id}/download`, token)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-disposition']).toBe(
        `attachment; filename="Relev_ __t____.pdf"; filename*=UTF-8''Relev%C3%A9%20%22%C3%A9t%C3%A9%22%0D%0A.pdf`,
      )
    })

    it('HEAD on download_uri answers the headers of the download without the body', async () => {
      const file = await newFile('head.bin', pattern(2048), { mime_type: 'application/octet-stream' })
      const token = await gaToken(await share([file]))
      const response = await api.app.inject({ method: 'HEAD', url: `/api/files/${file.file_id}/download`, headers: { authorization: `Bearer ${token}` } })
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-length']).toBe('2048')
      expect(response.headers['content-type']).toBe('application/octet-stream')
      expect(response.rawPayload.length).toBe(0)
    })

    it('R1-02-9.1-03 the download takes the same authentication: 401 without a token, 403 with a CA token', async () => {
      const file = await newFile('auth.txt')
      await share([file])
      expect((await call(api.app, 'GET', `/api/files/${file.file_id}/download`, undefined)).statusCode).toBe(401)
      const ca = await call(api.app, 'GET', `/api/files/${file.file_id}/download`, fx.reg.adminToken)
      expect(ca.statusCode).toBe(403)
      expect(ca.json()).toMatchObject({ error: 'insufficient_scope' })
    })

    it('A-29 an empty file has size 0 and downloads as an empty body', async () => {
      const file = await newFile('empty.txt', new Uint8Array(0))
      const token = await gaToken(await share([file]))
      expect((await call(api.app, 'GET', `/api/files/${file.file_id}`, token)).json<ServerProvidedFile>().size).toBe(0)
      const response = await call(api.app, 'GET', `/api/files/${file.file_id}/download`, token)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-length']).toBe('0')
      expect(response.rawPayload.length).toBe(0)
    })

    it('the OpenAPI document declares the download as a binary body and every files route', async () => {
      const document = (await call(api.app, 'GET', '/openapi.json', undefined)).json<{ paths: Record<string, Record<string, { responses: Record<string, unknown>; operationId: string }>> }>()
      expect(document.paths['/api/files/{file_id}/download']?.get?.responses['200']).toMatchObject({
        content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
      })
      expect(document.paths['/api/files']?.get?.operationId).toBe('listServerProvidedFiles')
      expect(document.paths['/api/files/{file_id}']?.get?.operationId).toBe('getServerProvidedFile')
    })
  })
})
