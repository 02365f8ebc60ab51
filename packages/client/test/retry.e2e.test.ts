/**
 * Retries of 429 and 503 answers (CDS-WG1-02 §11.3) over a real socket: a small fake CDS server
 * on 127.0.0.1 answers from a script, and the SDK's sleep is injected, so no test waits. The
 * waits the SDK asked for are checked: `Retry-After` in seconds and as an HTTP date, exponential
 * back-off without it, a bounded number of attempts, and no retry when the wait is too long.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CdsClient, CdsProtocolError, CdsResponseError, type RetryOptions } from '../src/index.js'
import { fakeAuthorizationServer } from './fake-fetch.js'

interface Scripted {
  status: number
  headers?: Record<string, string>
  body?: unknown
}

let server: Server
let base = ''
/** Answers queued per path; the last one repeats. */
const script = new Map<string, Scripted[]>()
const seen: { method: string; path: string; body: string; authorization: string | undefined }[] = []

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const metadata = () => fakeAuthorizationServer(base)

const ok = (body: unknown): Scripted => ({ status: 200, body })
const clients = ok({ clients: [], next: null, previous: null })

beforeAll(async () => {
  server = createServer((request, response) => {
    void (async () => {
      const path = new URL(request.url ?? '/', base).pathname
      seen.push({ method: request.method ?? '', path, body: await bodyOf(request), authorization: request.headers.authorization })
      const queue = script.get(path) ?? []
      const answer = (queue.length > 1 ? queue.shift() : queue[0]) ?? { status: 404, body: { error: 'not_found' } }
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
      response.end(answer.body === undefined ? '' : JSON.stringify(answer.body))
    })()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

beforeEach(() => {
  script.clear()
  seen.length = 0
})

/** A client of the fake server whose sleeps are recorded, not waited. */
function fakeClient(retry: Omit<RetryOptions, 'sleep'> = {}): { cds: CdsClient; waits: number[] } {
  const waits: number[] = []
  const cds = new CdsClient(
    { authorizationServer: metadata() },
    {
      client: { client_id: 'c1', client_secret: 's1' },
      retry: {
        ...retry,
        sleep: async (ms) => {
          waits.push(ms)
        },
      },
    },
  )
  script.set('/token', [ok({ access_token: 'at-1', token_type: 'Bearer', expires_in: 3600, scope: 'cds_client_admin' })])
  return { cds, waits }
}

const calls = (path: string) => seen.filter((s) => s.path === path)

describe('CDS-WG1-02 §11.3 retries of 429 and 503', () => {
  it('RFC 6585 §4 waits the Retry-After seconds of a 429, then succeeds', async () => {
    const { cds, waits } = fakeClient()
    script.set('/api/clients', [{ status: 429, headers: { 'retry-after': '2' }, body: { error: 'too_many_requests' } }, clients])
    expect((await cds.clients.list()).clients).toEqual([])
    expect(waits).toEqual([2000])
    expect(calls('/api/clients')).toHaveLength(2)
  })

  it('RFC 9110 §10.2.3 reads a Retry-After HTTP date against the injected clock', async () => {
    const now = Date.parse('2026-03-01T10:00:00Z')
    const { cds, waits } = fakeClient({ now: () => now })
    script.set('/api/clients', [{ status: 503, headers: { 'retry-after': 'Sun, 01 Mar 2026 10:00:05 GMT' } }, clients])
    await cds.clients.list()
    expect(waits).toEqual([5000])
  })

  it('backs off exponentially without Retry-After and stops after maxRetries', async () => {
    const { cds, waits } = fakeClient({ maxRetries: 3, baseDelayMs: 100 })
    script.set('/api/clients', [{ status: 503, body: { error: 'temporarily_unavailable', error_description: 'maintenance' } }])
    const failure = await cds.clients.list().catch((e: unknown) => e)
    expect(waits).toEqual([100, 200, 400])
    expect(calls('/api/clients')).toHaveLength(4)
    expect(failure).toBeInstanceOf(CdsResponseError)
    expect(failure).toMatchObject({ status: 503, error: 'temporarily_unavailable', error_description: 'maintenance' })
  })

  it('gives up at once when Retry-After asks for more than maxDelayMs', async () => {
    const { cds, waits } = fakeClient({ maxDelayMs: 10_000 })
    script.set('/api/clients', [{ status: 429, headers: { 'retry-after': '3600' } }])
    const failure = await cds.clients.list().catch((e: unknown) => e)
    expect(waits).toEqual([])
    expect(calls('/api/clients')).toHaveLength(1)
    // No error body: a protocol error that still carries the status and the response.
    expect(failure).toBeInstanceOf(CdsProtocolError)
    expect(failure).toMatchObject({ code: 'UNEXPECTED_STATUS', status: 429 })
    expect((failure as CdsProtocolError).response?.headers.get('retry-after')).toBe('3600')
  })

  it('retries a token request with the same form body and credentials', async () => {
    const { cds, waits } = fakeClient()
    script.set('/token', [{ status: 429, headers: { 'retry-after': '1' } }, ok({ access_token: 'at-2', token_type: 'bearer', expires_in: 60 })])
    expect((await cds.token()).access_token).toBe('at-2')
    expect(waits).toEqual([1000])
    const [first, second] = calls('/token')
    expect(first?.body).toBe('grant_type=client_credentials&scope=cds_client_admin')
    expect(second?.body).toBe(first?.body)
    expect(second?.authorization).toBe(`Basic ${btoa('c1:s1')}`)
  })

  it('does not retry other statuses, nor at all with retry: false', async () => {
    const { cds, waits } = fakeClient()
    script.set('/api/clients', [{ status: 500, body: { error: 'server_error' } }])
    await expect(cds.clients.list()).rejects.toMatchObject({ status: 500, error: 'server_error' })
    expect(waits).toEqual([])
    const plain = new CdsClient({ authorizationServer: metadata() }, { client: { client_id: 'c1', client_secret: 's1' }, retry: false })
    script.set('/api/clients', [{ status: 429, headers: { 'retry-after': '1' } }, clients])
    await expect(plain.clients.list()).rejects.toMatchObject({ code: 'UNEXPECTED_STATUS', status: 429 })
  })
})
