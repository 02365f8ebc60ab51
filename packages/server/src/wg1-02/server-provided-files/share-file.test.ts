import { InvalidRequest, NotFound } from '@cds-ts/auth'
import type { ClientListing, Credential, Grant, GrantListing, Message, ServerProvidedFile, ServerProvidedFileListing } from '@cds-ts/schema'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { API_BASE_URL, ALL_SCOPES, basic, buildApiApp, call, clientCredentialsToken, register, type ApiApp, type TestRegistration } from '../../../test/api-app.js'
import { forEachDialect } from '../../../test/dialects.js'
import { DEMO_FILES_SCOPE, DEMO_GRANT_ADMIN_SCOPE, serverProvidedFilesScope } from '../../config/defaults.js'
import { KyselyFileStore } from '../../db/file-store.js'
import { shareFile } from './share-file.js'

const SECOND_FILES_SCOPE = 'cds_server_provided_files_2'

/** What a Client learns about its registration through the Clients and Credentials APIs. */
interface ClientView {
  reg: TestRegistration
  clients: ClientListing['clients']
  /** The `client_id` of the Client object holding `scope`. */
  clientWith(scope: string): string
  /** A Grant Admin token for a Grant, with a secret obtained from the Credentials API. */
  gaToken(grant: Pick<Grant, 'client_id' | 'grant_id'>): Promise<string>
}

/** Registers, lists the Client objects, and creates a Credential for the Grant Admin object (§5.3, §7.5). */
async function clientView(app: FastifyInstance, scope: string = ALL_SCOPES): Promise<ClientView> {
  const reg = await register(app, scope)
  const listing = await call(app, 'GET', '/api/clients', reg.adminToken)
  expect(listing.statusCode).toBe(200)
  const clients = listing.json<ClientListing>().clients
  const clientWith = (id: string) => {
    const found = clients.find((c) => c.scope.split(' ').includes(id))
    if (found === undefined) throw new Error(`no Client object with ${id}`)
    return found.client_id
  }
  const created = await call(app, 'POST', '/api/credentials', reg.adminToken, { client_id: clientWith(DEMO_GRANT_ADMIN_SCOPE) })
  expect(created.statusCode).toBe(201)
  const secret = created.json<Credential>().client_secret
  if (typeof secret !== 'string') throw new Error('the Credentials API returned no client_secret')
  const gaToken = (grant: Pick<Grant, 'client_id' | 'grant_id'>) =>
    clientCredentialsToken(app, clientWith(DEMO_GRANT_ADMIN_SCOPE), secret, undefined, [{ type: DEMO_GRANT_ADMIN_SCOPE, client_id: grant.client_id, grant_id: grant.grant_id }])
  return { reg, clients, clientWith, gaToken }
}

forEachDialect('sharing Server-Provided Files', (t) => {
  let api: ApiApp
  let view: ClientView

  const newFile = (name: string, text: string, mime_type = 'text/plain') =>
    new KyselyFileStore(t.db, api.clock).create({ name, mime_type, description: `About ${name}` }, new TextEncoder().encode(text))
  const registrationOf = async (client_id: string) =>
    (await t.db.selectFrom('clients').select('registration_id').where('client_id', '=', client_id).executeTakeFirstOrThrow()).registration_id

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    view = await clientView(api.app)
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('CDS-WG1-02 §3.3.3 Server-Provided Files Scope', () => {
    it('R1-02-3.3.3-01 R1-02-3.3.3-07 the server creates an active Grant with one {type, file_id} entry per file', async () => {
      const [a, b] = [await newFile('a.txt', 'A'), await newFile('b.txt', 'B')]
      const files_client_id = view.clientWith(DEMO_FILES_SCOPE)
      const { grant, files } = await shareFile(t.db, api.clock, api.config, { client_id: files_client_id, file_ids: [a.file_id, b.file_id, a.file_id] })
      expect(files).toEqual([a, b])
      expect(grant).toMatchObject({
        client_id: files_client_id,
        status: 'active',
        scope: DEMO_FILES_SCOPE,
        authorization_details: [
          { type: DEMO_FILES_SCOPE, file_id: a.file_id },
          { type: DEMO_FILES_SCOPE, file_id: b.file_id },
        ],
        enabled_scope: DEMO_FILES_SCOPE,
        enabled_authorization_details: grant.authorization_details,
      })
      expect(grant.created).toBe(grant.modified)
    })

    it('R1-02-3.3.3-01 R1-02-6-01 the Client is told with a notification Message about the Grant', async () => {
      const file = await newFile('notice.pdf', '%PDF', 'application/pdf')
      const { grant } = await shareFile(t.db, api.clock, api.config, { registration_id: await registrationOf(view.reg.admin.client_id), file_ids: [file.file_id] })
      expect(grant.client_id).toBe(view.clientWith(DEMO_FILES_SCOPE))
      const response = await call(api.app, 'GET', '/api/messages', view.reg.adminToken)
      expect(response.statusCode).toBe(200)
      const body = response.json<Record<string, Message[]>>()
      const all = Object.values(body).flatMap((value) => (Array.isArray(value) ? value : []))
      const notice = all.find((m) => m.related_uri === `${API_BASE_URL}/api/grants/${grant.grant_id}`)
      expect(notice).toMatchObject({ type: 'notification', related_type: 'grant', name: 'Files shared', read: false, creator: null })
      expect(notice?.description).toContain('notice.pdf')
    })

    it('R1-02-3.3.3-08 the files Client object has no grant type and no token endpoint authentication', async () => {
      const files = view.clients.find((c) => c.client_id === view.clientWith(DEMO_FILES_SCOPE))
      expect(files).toMatchObject({ grant_types: [], token_endpoint_auth_method: null })
      // The Grant Admin object cannot ask for the files scope itself.
      const ga = view.clients.find((c) => c.client_id === view.clientWith(DEMO_GRANT_ADMIN_SCOPE))
      expect(ga?.scope.split(' ')).not.toContain(DEMO_FILES_SCOPE)
      const created = await call(api.app, 'POST', '/api/credentials', view.reg.adminToken, { client_id: view.clientWith(DEMO_GRANT_ADMIN_SCOPE) })
      const response = await api.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(view.clientWith(DEMO_GRANT_ADMIN_SCOPE), created.json<Credential>().client_secret ?? ''), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'client_credentials', scope: DEMO_FILES_SCOPE }).toString(),
      })
      expect(response.statusCode).toBe(400)
      expect(response.json()).toMatchObject({ error: 'invalid_scope' })
    })

    it('refuses to share nothing, unknown files, unknown Client objects and Client objects without a files scope', async () => {
      const file = await newFile('refused.txt', 'R')
      const files_client_id = view.clientWith(DEMO_FILES_SCOPE)
      const share = (input: Parameters<typeof shareFile>[3]) => shareFile(t.db, api.clock, api.config, input)
      const filesGrants = async () => (await t.db.selectFrom('grants').select('grant_id').where('scope', 'like', '%server_provided_files%').execute()).length
      const before = await filesGrants()
      await expect(share({ client_id: files_client_id, file_ids: [] })).rejects.toBeInstanceOf(InvalidRequest)
      await expect(share({ client_id: files_client_id, file_ids: [file.file_id, 'no-such-file'] })).rejects.toThrow(new NotFound('no Server-Provided File no-such-file'))
      await expect(share({ client_id: 'no-such-client', file_ids: [file.file_id] })).rejects.toBeInstanceOf(NotFound)
      await expect(share({ client_id: view.reg.admin.client_id, file_ids: [file.file_id] })).rejects.toThrow('the Client object has no Server-Provided Files scope')
      await expect(share({ client_id: files_client_id, file_ids: [file.file_id], scope: DEMO_GRANT_ADMIN_SCOPE })).rejects.toBeInstanceOf(InvalidRequest)
      await expect(share({ file_ids: [file.file_id] })).rejects.toBeInstanceOf(InvalidRequest)
      // Nothing was half-written.
      expect(await filesGrants()).toBe(before)
    })
  })

  describe('CDS-WG1-02 §9 end to end: share, find the Grant, get a Grant Admin token, list, get, download', () => {
    it('Flow 10: the Client finds the files Grant on the Grants API and reaches only its file', async () => {
      const one = await newFile('tariffs-2025.csv', 'tariff,price\nA,0.21\n', 'text/csv')
      api.clock.advance(1)
      const two = await newFile('keys.pem', '-----BEGIN KEY-----', 'application/x-pem-file')
      const files_client_id = view.clientWith(DEMO_FILES_SCOPE)
      const shared1 = await shareFile(t.db, api.clock, api.config, { client_id: files_client_id, file_ids: [one.file_id] })
      const shared2 = await shareFile(t.db, api.clock, api.config, { client_id: files_client_id, file_ids: [two.file_id] })

      // Step 2: the Client finds the Grant through the Grants API (Client Admin token).
      const grants = await call(api.app, 'GET', `/api/grants?scopes=${DEMO_FILES_SCOPE}`, view.reg.adminToken)
      expect(grants.statusCode).toBe(200)
      const grant = grants.json<GrantListing>().grants.find((g) => g.grant_id === shared1.grant.grant_id)
      expect(grant).toMatchObject({
        uri: `${API_BASE_URL}/api/grants/${shared1.grant.grant_id}`,
        client_id: files_client_id,
        status: 'active',
        scope: DEMO_FILES_SCOPE,
        authorization_details: [{ type: DEMO_FILES_SCOPE, file_id: one.file_id }],
      })
      if (grant === undefined) throw new Error('the files Grant is not listed')

      // Step 3: a Grant Admin token for that Grant.
      const token = await view.gaToken(grant)

      // Steps 4–6: list, get, download, at the URLs the server publishes.
      const asm = (await call(api.app, 'GET', '/.well-known/oauth-authorization-server', undefined)).json<{ cds_server_provided_files_api: string }>()
      const listing = await call(api.app, 'GET', asm.cds_server_provided_files_api, token)
      expect(listing.statusCode).toBe(200)
      const body = listing.json<ServerProvidedFileListing>()
      expect(body.files.map((f) => f.file_id)).toEqual([one.file_id])
      const [listed] = body.files
      if (listed === undefined) throw new Error('no file listed')
      const metadata = await call(api.app, 'GET', listed.uri, token)
      expect(metadata.statusCode).toBe(200)
      expect(metadata.json<ServerProvidedFile>()).toEqual(listed)
      const download = await call(api.app, 'GET', listed.download_uri, token)
      expect(download.statusCode).toBe(200)
      expect(download.headers['content-type']).toBe('text/csv')
      expect(download.headers['content-length']).toBe(String(listed.size))
      expect(download.headers['content-disposition']).toBe('attachment; filename="tariffs-2025.csv"')
      expect(download.body).toBe('tariff,price\nA,0.21\n')

      // Two files, two Grants: Grant 1's token never reaches file 2.
      const other = await call(api.app, 'GET', `/api/files/${two.file_id}`, token)
      expect(other.statusCode).toBe(404)
      const token2 = await view.gaToken(shared2.grant)
      expect((await call(api.app, 'GET', '/api/files', token2)).json<ServerProvidedFileListing>().files.map((f) => f.file_id)).toEqual([two.file_id])
    })
  })

  describe('R1-02-3.3.3-09 several files scopes', () => {
    let multi: ApiApp
    let multiView: ClientView

    beforeAll(async () => {
      multi = await buildApiApp(t.database, (config) => {
        const scopes = config.oauth.scope_descriptions
        const first = scopes[DEMO_FILES_SCOPE]
        if (first !== undefined) first.name = 'Server-Provided Files: Configs'
        scopes[SECOND_FILES_SCOPE] = { ...serverProvidedFilesScope(API_BASE_URL, SECOND_FILES_SCOPE), name: 'Server-Provided Files: Reports' }
      })
      multiView = await clientView(multi.app, `${ALL_SCOPES} ${SECOND_FILES_SCOPE}`)
    })
    afterAll(async () => {
      await multi.app.close()
    })

    it('shares through the scope named, and asks which one when the registration has several', async () => {
      const file = await new KyselyFileStore(t.db, multi.clock).create({ name: 'report.pdf', mime_type: 'application/pdf', description: '' }, new Uint8Array([37, 80, 68, 70]))
      const registration_id = await registrationOf(multiView.reg.admin.client_id)
      await expect(shareFile(t.db, multi.clock, multi.config, { registration_id, file_ids: [file.file_id] })).rejects.toThrow(/several Server-Provided Files scopes/)
      const { grant } = await shareFile(t.db, multi.clock, multi.config, { registration_id, file_ids: [file.file_id], scope: SECOND_FILES_SCOPE })
      expect(grant).toMatchObject({ client_id: multiView.clientWith(SECOND_FILES_SCOPE), scope: SECOND_FILES_SCOPE, authorization_details: [{ type: SECOND_FILES_SCOPE, file_id: file.file_id }] })
      const token = await multiView.gaToken(grant)
      const response = await call(multi.app, 'GET', `/api/files/${file.file_id}/download`, token)
      expect(response.statusCode).toBe(200)
      expect(response.rawPayload).toEqual(Buffer.from([37, 80, 68, 70]))
    })
  })
})
