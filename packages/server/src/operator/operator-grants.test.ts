import type { Client, Credential, Grant, ServerProvidedFile, ServerProvidedFileListing } from '@cds-ts/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiApp, call, clientCredentialsToken, operator, OPERATOR_TOKEN, register, type ApiApp, type TestRegistration } from '../../test/api-app.js'
import { forEachDialect } from '../../test/dialects.js'
import { authorizeCode } from '../../test/grants-kit.js'
import { clientMessages, clientObjects, registrationIdOf } from '../../test/operator-helpers.js'
import { DEMO_CODE_SCOPE, DEMO_DIRECT_SCOPE, DEMO_FILES_SCOPE, DEMO_GRANT_ADMIN_SCOPE } from '../config/defaults.js'

interface Listed {
  registration_id: string
  grant: Grant
}

forEachDialect('operator Grants and Server-Provided Files', (t) => {
  let api: ApiApp
  let acme: TestRegistration
  let clients: Client[]
  const clientWith = (scope: string, status?: string) => {
    const found = clients.find((c) => c.scope.split(' ').includes(scope) && (status === undefined || c.cds_status === status))
    if (found === undefined) throw new Error(`no Client object with ${scope}`)
    return found
  }

  /** A Grant Admin token for a Grant, with the Grant Admin secret from the Credentials API. */
  async function gaToken(grant: Pick<Grant, 'client_id' | 'grant_id'>): Promise<string> {
    const ga = clientWith(DEMO_GRANT_ADMIN_SCOPE)
    const listed = await call(api.app, 'GET', `/api/credentials?client_ids=${ga.client_id}`, acme.adminToken)
    const secret = listed.json<{ credentials: Credential[] }>().credentials[0]?.client_secret ?? ''
    return clientCredentialsToken(api.app, ga.client_id, secret, undefined, [{ type: DEMO_GRANT_ADMIN_SCOPE, client_id: grant.client_id, grant_id: grant.grant_id }])
  }

  beforeAll(async () => {
    api = await buildApiApp(t.database)
    acme = await register(api.app)
    clients = await clientObjects(api, acme)
  })
  afterAll(async () => {
    await api.app.close()
  })

  describe('creating Grants', () => {
    it('R1-02-8.3-11 a needs_authorization Grant waits for the customer, who authorizes it with cds_grant_id', async () => {
      const code = clientWith(DEMO_CODE_SCOPE, 'sandbox')
      const response = await operator(api.app, 'POST', '/operator/grants', {
        client_id: code.client_id,
        scope: DEMO_CODE_SCOPE,
        status: 'needs_authorization',
        name: 'Please ask your customer',
      })
      expect(response.statusCode).toBe(201)
      const { grant, registration_id } = response.json<Listed>()
      expect(registration_id).toBe(await registrationIdOf(api, acme))
      expect(grant).toMatchObject({ client_id: code.client_id, status: 'needs_authorization', scope: DEMO_CODE_SCOPE, enabled_scope: '', enabled_authorization_details: [] })
      const seen = await call(api.app, 'GET', '/api/grants?statuses=needs_authorization', acme.adminToken)
      expect(seen.json<{ grants: Grant[] }>().grants.map((g) => g.grant_id)).toContain(grant.grant_id)
      // R1-02-6-01: the Client hears of the new Grant.
      expect((await clientMessages(api, acme)).find((m) => m.name === 'Please ask your customer')).toMatchObject({ type: 'notification', related_type: 'grant', related_uri: grant.uri })
      api.clock.advance(60)
      const authorized = await authorizeCode(api.app, code.client_id, { cds_grant_id: grant.grant_id })
      expect(authorized.error).toBeNull()
      const after = await call(api.app, 'GET', grant.uri, acme.adminToken)
      expect(after.json<Grant>()).toMatchObject({ status: 'active', enabled_scope: DEMO_CODE_SCOPE })
    })

    it('an active Grant with authorization details; a scope or type the Client object lacks is 400, an unknown client 404', async () => {
      const direct = clientWith(DEMO_DIRECT_SCOPE)
      const details = [{ type: DEMO_DIRECT_SCOPE, meter_ids: ['m-7'], max_readings: 5 }]
      const response = await operator(api.app, 'POST', '/operator/grants', { client_id: direct.client_id, scope: DEMO_DIRECT_SCOPE, authorization_details: details })
      expect(response.statusCode).toBe(201)
      expect(response.json<Listed>().grant).toMatchObject({ status: 'active', authorization_details: details, enabled_authorization_details: details })
      const outside = await operator(api.app, 'POST', '/operator/grants', { client_id: direct.client_id, scope: DEMO_CODE_SCOPE })
      expect(outside.statusCode).toBe(400)
      expect(outside.json<{ error_description: string }>().error_description).toMatch(/^scope: demo_usage_data is not a scope/)
      const foreign = await operator(api.app, 'POST', '/operator/grants', { client_id: direct.client_id, scope: DEMO_DIRECT_SCOPE, authorization_details: [{ type: DEMO_CODE_SCOPE }] })
      expect(foreign.statusCode).toBe(400)
      const unknown = await operator(api.app, 'POST', '/operator/grants', { client_id: 'nobody', scope: DEMO_DIRECT_SCOPE })
      expect(unknown.statusCode).toBe(404)
      expect(unknown.json()).toMatchObject({ error: 'not_found' })
    })

    it('lists Grants across registrations with filters', async () => {
      const direct = clientWith(DEMO_DIRECT_SCOPE)
      const response = await operator(api.app, 'GET', `/operator/grants?client_ids=${direct.client_id}&statuses=active`)
      expect(response.statusCode).toBe(200)
      const { grants } = response.json<{ grants: Listed[] }>()
      expect(grants.length).toBeGreaterThanOrEqual(2)
      for (const listed of grants) expect(listed.grant).toMatchObject({ client_id: direct.client_id, status: 'active' })
      expect((await operator(api.app, 'GET', '/operator/grants?statuses=paused')).statusCode).toBe(400)
    })
  })

  describe('Server-Provided Files and Grant statuses', () => {
    const bytes = new Uint8Array(2_500_000).map((_, i) => i % 251)
    let file: ServerProvidedFile
    let grant: Grant

    it('streams an upload into a file whatever the Content-Type', async () => {
      const response = await api.app.inject({
        method: 'POST',
        url: '/operator/files?name=backfill.bin&mime_type=application/x-backfill&description=Initial%20backfill',
        headers: { authorization: `Bearer ${OPERATOR_TOKEN}`, 'content-type': 'application/json' },
        payload: Buffer.from(bytes),
      })
      expect(response.statusCode).toBe(201)
      file = response.json<ServerProvidedFile>()
      expect(file).toMatchObject({ name: 'backfill.bin', mime_type: 'application/x-backfill', description: 'Initial backfill', size: bytes.length })
      expect(file.download_uri).toBe(`${file.uri}/download`)
      const empty = await api.app.inject({ method: 'POST', url: '/operator/files?name=empty.txt', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` } })
      expect(empty.statusCode).toBe(201)
      expect(empty.json<ServerProvidedFile>()).toMatchObject({ size: 0, mime_type: 'application/octet-stream', description: '' })
      const noName = await api.app.inject({ method: 'POST', url: '/operator/files', headers: { authorization: `Bearer ${OPERATOR_TOKEN}` }, payload: 'x' })
      expect(noName.statusCode).toBe(400)
      const anonymous = await api.app.inject({ method: 'POST', url: '/operator/files?name=x.txt', payload: 'x' })
      expect(anonymous.statusCode).toBe(401)
      expect((await t.db.selectFrom('server_provided_files').select('file_id').where('name', '=', 'x.txt').execute()).length).toBe(0)
      const listed = await operator(api.app, 'GET', `/operator/files?file_ids=${file.file_id}`)
      expect(listed.json<ServerProvidedFileListing>().files.map((f) => f.file_id)).toEqual([file.file_id])
    })

    it('R1-02-3.3.3-01 sharing creates the files Grant, which the Client finds and downloads through', async () => {
      const response = await operator(api.app, 'POST', '/operator/files/share', { file_ids: [file.file_id], registration_id: await registrationIdOf(api, acme) })
      expect(response.statusCode).toBe(201)
      grant = response.json<{ grant: Grant }>().grant
      expect(grant).toMatchObject({
        client_id: clientWith(DEMO_FILES_SCOPE).client_id,
        scope: DEMO_FILES_SCOPE,
        status: 'active',
        authorization_details: [{ type: DEMO_FILES_SCOPE, file_id: file.file_id }],
      })
      const found = await call(api.app, 'GET', `/api/grants?scopes=${DEMO_FILES_SCOPE}`, acme.adminToken)
      expect(found.json<{ grants: Grant[] }>().grants.map((g) => g.grant_id)).toContain(grant.grant_id)
      expect((await clientMessages(api, acme)).find((m) => m.related_uri === grant.uri)).toMatchObject({ type: 'notification', related_type: 'grant' })
      const token = await gaToken(grant)
      const files = await call(api.app, 'GET', '/api/files', token)
      expect(files.json<ServerProvidedFileListing>().files.map((f) => f.file_id)).toEqual([file.file_id])
      const download = await call(api.app, 'GET', file.download_uri, token)
      expect(download.statusCode).toBe(200)
      expect(download.headers['content-type']).toMatch(/^application\/x-backfill/)
      expect(download.rawPayload.length).toBe(bytes.length)
      // Compared as bytes: a deep equality over 2.5 million elements would take far too long.
      expect(Buffer.compare(download.rawPayload, Buffer.from(bytes))).toBe(0)
    })

    it('sharing an unknown file is 404; a registration without a files Client object is 400', async () => {
      const unknown = await operator(api.app, 'POST', '/operator/files/share', { file_ids: ['nope'], registration_id: await registrationIdOf(api, acme) })
      expect(unknown.statusCode).toBe(404)
      const plain = await register(api.app, 'cds_client_admin')
      const none = await operator(api.app, 'POST', '/operator/files/share', { file_ids: [file.file_id], registration_id: await registrationIdOf(api, plain) })
      expect(none.statusCode).toBe(400)
    })

    it('R1-02-6-01 R1-02-8.2-04 suspending ends access and its tokens, with a Message; reactivating restores it', async () => {
      const token = await gaToken(grant)
      const response = await operator(api.app, 'POST', `/operator/grants/${grant.grant_id}/status`, { status: 'suspended', reason: 'Audit in progress.' })
      expect(response.statusCode).toBe(200)
      expect(response.json<Listed>().grant).toMatchObject({ status: 'suspended', enabled_scope: '', enabled_authorization_details: [] })
      expect((await call(api.app, 'GET', '/api/files', token)).statusCode).toBe(401)
      const message = (await clientMessages(api, acme)).find((m) => m.name === 'Grant suspended')
      expect(message).toMatchObject({ type: 'notification', related_type: 'grant', related_uri: grant.uri })
      expect(message?.description).toMatch(/Audit in progress\./)
      const back = await operator(api.app, 'POST', `/operator/grants/${grant.grant_id}/status`, { status: 'active' })
      expect(back.json<Listed>().grant).toMatchObject({ status: 'active', enabled_scope: DEMO_FILES_SCOPE })
      const again = await gaToken(grant)
      expect((await call(api.app, 'GET', file.uri, again)).statusCode).toBe(200)
    })

    it('delayed keeps access; expired and disabled end it; an unknown Grant is 404', async () => {
      const delayed = await operator(api.app, 'POST', `/operator/grants/${grant.grant_id}/status`, { status: 'delayed' })
      expect(delayed.json<Listed>().grant).toMatchObject({ status: 'delayed', enabled_scope: DEMO_FILES_SCOPE })
      const expired = await operator(api.app, 'POST', `/operator/grants/${grant.grant_id}/status`, { status: 'expired' })
      expect(expired.json<Listed>().grant).toMatchObject({ status: 'expired', enabled_scope: '', not_after: expect.any(String) as string })
      const disabled = await operator(api.app, 'POST', `/operator/grants/${grant.grant_id}/status`, { status: 'disabled' })
      expect(disabled.json<Listed>().grant.status).toBe('disabled')
      const unknown = await operator(api.app, 'POST', '/operator/grants/nope/status', { status: 'disabled' })
      expect(unknown.statusCode).toBe(404)
      const bad = await operator(api.app, 'POST', `/operator/grants/${grant.grant_id}/status`, { status: 'paused' })
      expect(bad.statusCode).toBe(400)
    })
  })
})
