/**
 * The OAuth and Grants checks against deliberately broken servers: the reference server behind
 * the tampering proxy, changed in one way each time. The matching check fails there and passes
 * against the real server.
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
      messages: report.results.map((result) => result.message ?? '').join('\n'),
    }
  } finally {
    await proxy.close()
  }
}

const isPath = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}?`) || path.startsWith(`${prefix}/`)

describe('broken OAuth and Grants servers fail the matching checks', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('plain PKCE accepted: a proxy that turns code_challenge_method=plain into S256 fails RFC7636-02', async () => {
    const plainToS256 = (text: string) => text.replace(/code_challenge_method=plain/g, 'code_challenge_method=S256')
    const result = await broken(server, { request: (r) => ({ path: plainToS256(r.path), body: plainToS256(r.body) }) }, ['RFC7636-02', 'RFC7636-04'])
    expect(result.status['RFC7636-02']).toBe('failed')
    expect(result.messages).toContain('plain PKCE request')
    // The tamper leaves other PKCE refusals alone.
    expect(result.status['RFC7636-04']).toBe('passed')
    expect(await statuses(server.options, ['RFC7636-02'])).toEqual({ 'RFC7636-02': 'passed' })
  })

  it('a token response without Cache-Control: no-store fails RFC6749-05', async () => {
    const result = await broken(
      server,
      {
        response: (r) => {
          if (!isPath(r.path, '/oauth/token')) return undefined
          const headers = { ...r.headers }
          delete headers['cache-control']
          delete headers.pragma
          return { headers }
        },
      },
      ['RFC6749-05', 'RFC6749-04'],
    )
    expect(result.status).toEqual({ 'RFC6749-05': 'failed', 'RFC6749-04': 'passed' })
    expect(result.messages).toContain('Cache-Control')
    expect(await statuses(server.options, ['RFC6749-05'])).toEqual({ 'RFC6749-05': 'passed' })
  })

  it('a registration that keeps the submitted redirect_uris fails R1-02-4.1-07 and R1-02-4.2-03', async () => {
    const result = await broken(
      server,
      { response: (r) => (isPath(r.path, '/oauth/register') && r.status === 201 ? { body: editJson(r.body, (v) => (v.redirect_uris = ['https://attacker.conformance.example/cb'])) } : undefined) },
      ['R1-02-4.1-07', 'R1-02-4.2-03'],
    )
    expect(result.status).toEqual({ 'R1-02-4.1-07': 'failed', 'R1-02-4.2-03': 'failed' })
  })

  it('a server that ignores cds_grant_id fails R1-02-8.3-06', async () => {
    const result = await broken(server, { request: (r) => ({ path: r.path.replace(/&cds_grant_id=[^&]*/g, '') }) }, ['R1-02-8.3-06'])
    expect(result.status).toEqual({ 'R1-02-8.3-06': 'failed' })
  })

  it('an inactive token introspected with its details fails RFC7662-03', async () => {
    const result = await broken(
      server,
      { response: (r) => (isPath(r.path, '/oauth/introspect') && r.body.includes('"active":false') ? { body: '{"active":false,"client_id":"leaked"}' } : undefined) },
      ['RFC7662-03'],
    )
    expect(result.status).toEqual({ 'RFC7662-03': 'failed' })
  })

  it('a Grants listing in the wrong order fails R1-02-8.4-12', async () => {
    const result = await broken(
      server,
      {
        response: (r) =>
          isPath(r.path, '/api/grants') && !r.path.startsWith('/api/grants/') && r.status === 200 ? { body: editJson(r.body, (v) => (v.grants as unknown[]).reverse()) } : undefined,
      },
      ['R1-02-8.4-12'],
    )
    expect(result.status).toEqual({ 'R1-02-8.4-12': 'failed' })
  })

  it('a file download with another Content-Type fails R1-02-9.4-01', async () => {
    const result = await broken(
      server,
      { response: (r) => (r.path.startsWith('/api/files/') && r.path.includes('/download') ? { headers: { ...r.headers, 'content-type': 'application/octet-stream' } } : undefined) },
      ['R1-02-9.4-01'],
    )
    expect(result.status).toEqual({ 'R1-02-9.4-01': 'failed' })
  })
}, 300_000)
