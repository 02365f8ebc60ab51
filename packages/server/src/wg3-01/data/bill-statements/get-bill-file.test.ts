import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApiApp, call, clientCredentialsToken, register, type ApiApp } from '../../../../test/api-app.js'
import { forEachDialect } from '../../../../test/dialects.js'
import { clientsByScope, secretFor } from '../../../../test/grants-kit.js'
import { customerDataScopeDescriptions } from '../../../config/customer-data-scopes.js'
import { toJsonText } from '../../../db/json-text.js'

const SCOPE = 'cds_query_bill_statements'
const STAMPS = { cds_created: '2025-01-01T00:00:00Z', cds_modified: '2025-01-01T00:00:00Z', cds_synced: '2025-01-01T00:00:00Z' }
// A PDF header and a byte that is not valid UTF-8: the body must come back byte for byte.
const PDF = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xff, 0x00])

forEachDialect('CDS-WG3-01 §10.5.1 Bill Statement files (file_uri)', (t) => {
  let api: ApiApp
  let adminToken = ''
  /** Bill statement tokens: files on, files off (the scope default), and for account A-200 only. */
  const tokens = { files: '', noFiles: '', otherAccount: '' }

  beforeAll(async () => {
    api = await buildApiApp(t.database, (config) => {
      config.oauth.scope_descriptions = { ...config.oauth.scope_descriptions, ...customerDataScopeDescriptions(config.base_url, { scopes: [SCOPE], grant_admin_scope: null }) }
    })
    // A direct-access token reads its Client object's Grant: each token gets a Client
    // object whose Grant carries the authorization details under test.
    const token = async (details: Record<string, unknown>) => {
      const reg = await register(api.app, `cds_client_admin ${SCOPE}`)
      adminToken = reg.adminToken
      const client = (await clientsByScope(t.db, reg.admin.client_id)).get(SCOPE)!
      await t.db
        .updateTable('grants')
        .set({ enabled_authorization_details: toJsonText([{ type: SCOPE, ...details }]) })
        .where('client_id', '=', client)
        .execute()
      // §6.2: the token request names the fields it wants; its entry narrows the Grant's (never widens it).
      return clientCredentialsToken(api.app, client, await secretFor(t.db, api.clock, api.config, client), undefined, [{ type: SCOPE, ...details }])
    }
    tokens.files = await token({ include_bill_statement_files: true })
    tokens.noFiles = await token({})
    tokens.otherAccount = await token({ include_bill_statement_files: true, account_numbers: ['A-200'] })

    await t.db
      .insertInto('accounts')
      .values([
        { cds_account_id: 'acct-1', account_number: 'A-100', account_status: 'active', ...STAMPS },
        { cds_account_id: 'acct-2', account_number: 'A-200', account_status: 'active', ...STAMPS },
      ])
      .execute()
    await t.db
      .insertInto('bill_files')
      .values([
        { file_id: 'file-1', content_type: 'application/pdf', file_name: 'Facture été 2025.pdf', content: PDF, size: PDF.byteLength },
        { file_id: 'file-orphan', content_type: 'application/pdf', file_name: 'orphan.pdf', content: PDF, size: PDF.byteLength },
      ])
      .execute()
    await t.db
      .insertInto('bill_statements')
      .values({
        cds_billstatement_id: 'bs-1',
        cds_account_id: 'acct-1',
        account_number: 'A-100',
        statement_date: '2025-03-01',
        currency: 'USD',
        file_id: 'file-1',
        amount_due: '2000.00',
        amount_due_date: '2025-03-20',
        ...STAMPS,
      })
      .execute()
  })
  afterAll(async () => {
    await api?.app.close()
  })

  describe('R3-01-10.5.1-04 the file takes the same authentication as the Bill Statements API', () => {
    it('the listing links the file on this server, and the link answers 200 with the bytes and their headers', async () => {
      const listing = await call(api.app, 'GET', '/api/billstatements', tokens.files)
      expect(listing.statusCode, listing.body).toBe(200)
      const [statement] = listing.json<{ bill_statements: { file_uri: string; file_mimetype: string }[] }>().bill_statements
      expect(statement).toMatchObject({ file_uri: 'https://utility.example.com/api/bill-files/file-1', file_mimetype: 'application/pdf' })
      expect(listing.body).toContain('"amount_due":2000.00')

      const file = await call(api.app, 'GET', statement!.file_uri, tokens.files)
      expect(file.statusCode).toBe(200)
      // R3-01-10.5.1-06: the type the statement announced.
      expect(file.headers['content-type']).toBe(statement!.file_mimetype)
      expect(file.headers['content-length']).toBe(String(PDF.byteLength))
      expect(file.headers['content-disposition']).toBe(`attachment; filename="Facture _t_ 2025.pdf"; filename*=UTF-8''Facture%20%C3%A9t%C3%A9%202025.pdf`)
      expect(file.headers['cache-control']).toBe('no-store')
      expect(new Uint8Array(file.rawPayload)).toEqual(PDF)
    })

    it('401 without a token, with the bare Bearer challenge', async () => {
      const response = await call(api.app, 'GET', '/api/bill-files/file-1', undefined)
      expect(response.statusCode).toBe(401)
      expect(response.headers['www-authenticate']).toMatch(/^Bearer realm=/)
    })

    it('403 for a token without any Customer Data scope', async () => {
      const response = await call(api.app, 'GET', '/api/bill-files/file-1', adminToken)
      expect(response.statusCode).toBe(403)
      expect(response.json()).toMatchObject({ error: 'insufficient_scope' })
    })

    it('404 when include_bill_statement_files is off, as for an unknown file', async () => {
      const off = await call(api.app, 'GET', '/api/bill-files/file-1', tokens.noFiles)
      expect(off.statusCode).toBe(404)
      expect(off.json()).toMatchObject({ error: 'not_found' })
      const listing = await call(api.app, 'GET', '/api/billstatements', tokens.noFiles)
      expect(listing.json<{ bill_statements: Record<string, unknown>[] }>().bill_statements[0]).not.toHaveProperty('file_uri')
    })

    it('404 for a file of a statement the token cannot see, a file no statement links, and an unknown id', async () => {
      for (const id of ['file-1', 'file-orphan', 'no-such-file']) {
        const token = id === 'file-1' ? tokens.otherAccount : tokens.files
        const response = await call(api.app, 'GET', `/api/bill-files/${id}`, token)
        expect(response.statusCode, id).toBe(404)
      }
    })
  })
})
