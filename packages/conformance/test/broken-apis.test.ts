/**
 * The Clients, Messages and Credentials checks (CDS-WG1-02 §5–§7) against deliberately broken
 * servers: the reference server behind the tampering proxy, changed in one way each time. The
 * matching checks fail there and pass against the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConformance, type ConformanceOptions } from '../src/index.js'
import { startLiveServer, type LiveServer } from './live-server.js'
import { editJson, startTamperingProxy, type Tamper } from './tampering-proxy.js'

/** The status of each check of a run, by id. */
async function statuses(options: ConformanceOptions, only: string[]): Promise<Record<string, string>> {
  const report = await runConformance({ ...options, only })
  return Object.fromEntries(report.results.map((result) => [result.id, result.status]))
}

/** Runs `only` against the proxy with `tamper` and returns the statuses and failure messages. */
async function broken(server: LiveServer, tamper: Tamper, only: string[]): Promise<{ status: Record<string, string>; messages: string }> {
  const proxy = await startTamperingProxy(server, tamper)
  try {
    const report = await runConformance({ ...proxy.options, only })
    return {
      status: Object.fromEntries(report.results.map((result) => [result.id, result.status])),
      messages: report.results.map((result) => `${result.id}: ${result.message ?? ''}`).join('\n'),
    }
  } finally {
    await proxy.close()
  }
}

const pathOf = (path: string) => path.replace(/\?.*$/s, '')
const isJson = (headers: Record<string, string>) => (headers['content-type'] ?? '').includes('json')

describe('broken Clients, Messages and Credentials APIs fail the matching checks', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('a Client listing without next and previous fails R1-02-5.3-04 and R1-02-5.3-01', async () => {
    const result = await broken(
      server,
      {
        response: (r) =>
          r.method === 'GET' && pathOf(r.path) === '/api/clients' && r.status === 200
            ? {
                body: editJson(r.body, (body) => {
                  delete body.next
                  delete body.previous
                }),
              }
            : undefined,
      },
      ['R1-02-5.3-04', 'R1-02-5.3-01', 'R1-02-5.3-05'],
    )
    expect(result.status['R1-02-5.3-04']).toBe('failed')
    expect(result.status['R1-02-5.3-01']).toBe('failed')
    expect(result.messages).toContain('never absent')
    // The filter still works: the tamper breaks only the envelope.
    expect(result.status['R1-02-5.3-05']).toBe('passed')
    expect(await statuses(server.options, ['R1-02-5.3-04', 'R1-02-5.3-01'])).toEqual({ 'R1-02-5.3-04': 'passed', 'R1-02-5.3-01': 'passed' })
  }, 120_000)

  it('a Client object at its cds_client_uri that shows client_secret fails R1-02-5.1-03', async () => {
    const result = await broken(
      server,
      {
        response: (r) =>
          r.method === 'GET' && /^\/api\/clients\/[^/]+$/.test(pathOf(r.path)) && r.status === 200 && isJson(r.headers)
            ? { body: editJson(r.body, (client) => void (client.client_secret = 'leaked-secret-of-the-broken-server')) }
            : undefined,
      },
      ['R1-02-5.1-03', 'R1-02-5.1-04'],
    )
    expect(result.status).toEqual({ 'R1-02-5.1-03': 'failed', 'R1-02-5.1-04': 'passed' })
    expect(result.messages).toContain('carries client_secret')
    expect(await statuses(server.options, ['R1-02-5.1-03'])).toEqual({ 'R1-02-5.1-03': 'passed' })
  }, 120_000)

  it('another registration\'s Credential answered with 200 instead of 404 fails R1-02-7.4-01', async () => {
    const result = await broken(
      server,
      {
        response: (r) =>
          r.method === 'GET' && /^\/api\/credentials\/[^/]+$/.test(pathOf(r.path)) && r.status === 404
            ? { status: 200, headers: { ...r.headers, 'content-type': 'application/json' }, body: JSON.stringify({ credential_id: 'leaked', type: 'client_secret' }) }
            : undefined,
      },
      ['R1-02-7.4-01', 'R1-02-7.3-01'],
    )
    expect(result.status).toEqual({ 'R1-02-7.4-01': 'failed', 'R1-02-7.3-01': 'passed' })
    expect(result.messages).toContain('answered 200, expected 404 or 403')
    expect(await statuses(server.options, ['R1-02-7.4-01'])).toEqual({ 'R1-02-7.4-01': 'passed' })
  }, 120_000)

  it('a Message PATCH that cannot mark a Message unread again fails R1-02-6.11-03', async () => {
    const result = await broken(
      server,
      {
        request: (r) => (r.method === 'PATCH' && pathOf(r.path).startsWith('/api/messages/') ? { body: r.body.replace(/"read":\s*false/, '"read":true') } : undefined),
      },
      ['R1-02-6.11-03', 'R1-02-6.11-01'],
    )
    expect(result.status).toEqual({ 'R1-02-6.11-03': 'failed', 'R1-02-6.11-01': 'passed' })
    expect(result.messages).toContain('marked unread again')
    expect(await statuses(server.options, ['R1-02-6.11-03'])).toEqual({ 'R1-02-6.11-03': 'passed' })
  }, 120_000)

  it('a Credential PATCH that lets the expiry move later fails R1-02-7.6-02', async () => {
    // The proxy turns the later expiry into one the server takes, and answers as if it had stored what was sent.
    let sent: number | undefined
    const result = await broken(
      server,
      {
        request: (r) => {
          if (r.method !== 'PATCH' || !pathOf(r.path).startsWith('/api/credentials/')) return undefined
          const body = JSON.parse(r.body) as { client_secret_expires_at?: unknown }
          sent = typeof body.client_secret_expires_at === 'number' ? body.client_secret_expires_at : undefined
          return sent === undefined || sent === 0 ? undefined : { body: '{}' }
        },
        response: (r) =>
          r.method === 'PATCH' && pathOf(r.path).startsWith('/api/credentials/') && r.status === 200 && sent !== undefined && sent !== 0
            ? { body: editJson(r.body, (credential) => void (credential.client_secret_expires_at = sent)) }
            : undefined,
      },
      ['R1-02-7.6-02'],
    )
    expect(result.status).toEqual({ 'R1-02-7.6-02': 'failed' })
    expect(await statuses(server.options, ['R1-02-7.6-02'])).toEqual({ 'R1-02-7.6-02': 'passed' })
  }, 120_000)
})
