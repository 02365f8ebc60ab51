import { execFile } from 'node:child_process'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { buildServer, loadConfig } from '@cds-ts/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../../dist/bin.js', import.meta.url))
const TOKEN = 'cli-test-operator-token-0123456789abcdef'

interface Result {
  code: number
  stdout: string
  stderr: string
}

/** Runs `cds …` (the built bin) as a separate process, as a person would. */
async function cds(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CDS_OPERATOR_')))
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...clean, ...env } })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string }
    return { code: e.code, stdout: e.stdout, stderr: e.stderr }
  }
}

/** A free TCP port on 127.0.0.1, so the server's base URL (in its links) is the one it listens on. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      probe.close(() => resolve(port))
    })
  })
}

describe('cds admin against a running server', () => {
  let app: Awaited<ReturnType<typeof buildServer>>
  let base = ''
  let adminToken = ''
  let registration_id = ''
  const admin = (...args: string[]) => cds(['admin', ...args, '--url', base, '--token', TOKEN])
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  }

  beforeAll(async () => {
    const port = await freePort()
    base = `http://127.0.0.1:${port}`
    const config = await loadConfig({ env: { CDS_DATABASE_URL: 'memory:', CDS_BASE_URL: base, CDS_OPERATOR_TOKEN: TOKEN } })
    app = await buildServer({ config })
    await app.listen({ host: '127.0.0.1', port })
    // A Client registers for every demo scope and gets a cds_client_admin token.
    const registered = await fetch(`${base}/oauth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'cds_client_admin demo_usage_data demo_meter_readings cds_server_provided_files_1', client_name: 'CLI test', cds_company_name: 'Acme' }),
    })
    const { client_id, client_secret } = (await registered.json()) as { client_id: string; client_secret: string }
    const token = await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=cds_client_admin',
    })
    adminToken = ((await token.json()) as { access_token: string }).access_token
  }, 60_000)
  afterAll(async () => {
    await app.close()
  })

  it('admin --help lists the subcommands and exit codes', async () => {
    const { code, stdout } = await cds(['admin', '--help'])
    expect(code).toBe(0)
    for (const name of ['registrations', 'messages', 'approve-production', 'reject', 'reply', 'notify', 'server-request', 'create-grant', 'grant-status', 'upload-file', 'share-file', 'expire-credential', 'client-status']) {
      expect(stdout).toContain(name)
    }
    expect(stdout).toMatch(/Exit codes: 0 done, 1 the server refused/)
  })

  it('lists registrations as a table, and as JSON with the token from the environment', async () => {
    const table = await admin('registrations')
    expect(table.code).toBe(0)
    expect(table.stdout).toMatch(/^REGISTRATION\s+ADMIN CLIENT\s+NAME\s+CREATED\s+CLIENTS\s+OUTSTANDING\n/)
    expect(table.stdout).toContain('CLI test')
    const json = await cds(['admin', 'registrations', '--json', '--url', base], { CDS_OPERATOR_TOKEN: TOKEN })
    expect(json.code).toBe(0)
    const listing = JSON.parse(json.stdout) as { registrations: { registration_id: string }[]; next: null }
    expect(listing.registrations).toHaveLength(1)
    expect(listing.next).toBeNull()
    registration_id = listing.registrations[0]!.registration_id
  })

  it('finds a production request, approves it, and refuses a second decision with exit code 1', async () => {
    const clients = (await api('GET', '/api/clients')).body.clients as { scope: string; cds_status: string; cds_client_uri: string }[]
    const sandbox = clients.find((c) => c.scope === 'demo_usage_data' && c.cds_status === 'sandbox')!
    const posted = await api('POST', '/api/messages', { type: 'production_request', previous_uri: null, name: 'Go live', description: 'Please', related_uri: sandbox.cds_client_uri })
    expect(posted.status).toBe(201)
    const message_id = posted.body.message_id as string

    const listed = await admin('messages', '--type', 'production_request')
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(new RegExp(`^${message_id}\\s+${registration_id}\\s+production_request\\s+pending\\s+client\\s`, 'm'))

    const approved = await admin('approve-production', message_id, '--json')
    expect(approved.code).toBe(0)
    const approval = JSON.parse(approved.stdout) as { client: { client_id: string; cds_status: string }; request_update: { status: string; related_uri: string } }
    expect(approval.client.cds_status).toBe('production')
    expect(approval.request_update.status).toBe('complete')
    expect((await api('GET', `/api/credentials?client_ids=${approval.client.client_id}`)).body.credentials).toHaveLength(1)

    const again = await admin('reject', message_id, '--reason', 'Changed my mind')
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/cds admin: the server refused: 409 conflict: the production_request .* is complete already/)
  })

  it('notifies every registration; the Client reads it', async () => {
    const sent = await admin('notify', '--all', '--name', 'Maintenance', '--description', 'Sunday 02:00-04:00 UTC')
    expect(sent.code).toBe(0)
    expect(sent.stdout).toMatch(/^MESSAGE\s+REGISTRATION\s+TYPE\s+STATUS\n\S+\s+\S+\s+notification\s+complete\n$/)
    const messages = (await api('GET', '/api/messages')).body.unread as { name: string; type: string }[]
    expect(messages.some((m) => m.name === 'Maintenance' && m.type === 'notification')).toBe(true)
  })

  it('sends a payment request whose amount keeps its digits end to end', async () => {
    const sent = await admin('payment-request', '--registration', registration_id, '--name', 'Setup fee', '--description', 'Pay once', '--related-uri', `${base}/pay/1`, '--amount', '49.90', '--currency', 'USD', '--json')
    expect(sent.code).toBe(0)
    expect(sent.stdout).toMatch(/"amount": 49\.90,/)
    expect(sent.stdout).toMatch(/"related_type": "payment_form"/)
    const missing = await admin('payment-request', '--registration', registration_id, '--name', 'Fee', '--description', 'Pay')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/required option '--related-uri <url>' not specified/)
  })

  it('uploads a file streamed from disk and shares it; the Client finds the Grant', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cds-admin-'))
    const path = join(dir, 'tariffs.csv')
    await writeFile(path, 'tariff,price\nA,0.10\n')
    const uploaded = await admin('upload-file', path, '--mime-type', 'text/csv', '--description', 'Tariff sheet', '--json')
    expect(uploaded.code).toBe(0)
    const file = JSON.parse(uploaded.stdout) as { file_id: string; name: string; size: number; mime_type: string }
    expect(file).toMatchObject({ name: 'tariffs.csv', size: 20, mime_type: 'text/csv' })
    const shared = await admin('share-file', file.file_id, '--registration', registration_id)
    expect(shared.code).toBe(0)
    expect(shared.stdout).toMatch(/^grant \S+: active \(client \S+, scope "cds_server_provided_files_1"/)
    const grants = (await api('GET', '/api/grants?scopes=cds_server_provided_files_1')).body.grants as { authorization_details: { file_id?: string }[] }[]
    expect(grants.some((g) => g.authorization_details.some((d) => d.file_id === file.file_id))).toBe(true)
  })

  it('usage errors exit with 2: no server, no token, a missing option, a missing file', async () => {
    const noUrl = await cds(['admin', 'messages'], { CDS_OPERATOR_TOKEN: TOKEN })
    expect(noUrl.code).toBe(2)
    expect(noUrl.stderr).toMatch(/the server is missing: pass --url <server>/)
    const noToken = await cds(['admin', 'messages', '--url', base])
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toMatch(/the operator token is missing/)
    const noReason = await admin('reject', 'some-message')
    expect(noReason.code).toBe(2)
    expect(noReason.stderr).toMatch(/required option '--reason <text>' not specified/)
    const noFile = await admin('upload-file', '/nonexistent/file.bin')
    expect(noFile.code).toBe(2)
    expect(noFile.stderr).toMatch(/file not found/)
  })

  it('a wrong token is refused by the server with exit code 1', async () => {
    const refused = await cds(['admin', 'registrations', '--url', base, '--token', 'not-the-operator-token'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/401 invalid_token: the bearer token is not the operator token/)
  })
})
