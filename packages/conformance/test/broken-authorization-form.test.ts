/**
 * The CDS-WG3-01 §9 checks against deliberately broken servers: the tampering proxy drops the
 * Decline button from the customer's pages, drops `state` from the redirects back to the Client,
 * and drops the receipt's robots meta tag. Each time the matching checks fail; through a
 * transparent proxy the same checks pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConformance, type CheckResult } from '../src/index.js'
import { startLiveServer, type LiveServer } from './live-server.js'
import { startTamperingProxy, type Tamper } from './tampering-proxy.js'

const DECLINE = ['R3-01-9.1.1-22', 'R3-01-9.2.1.6-01', 'R3-01-9.2.1.6-03']
const STATE = ['R3-01-9.1.1-27', 'R3-01-9.1.1-22']
const ROBOTS = ['R3-01-9.4-08']

/** Runs the checks through a proxy with `tamper` and returns their results by ID. */
async function through(server: LiveServer, tamper: Tamper, only: readonly string[]): Promise<Map<string, CheckResult>> {
  const proxy = await startTamperingProxy(server, tamper)
  try {
    const report = await runConformance({ ...proxy.options, only: [...only] })
    return new Map(report.results.map((r) => [r.id, r]))
  } finally {
    await proxy.close()
  }
}

const isHtml = (headers: Record<string, string>) => (headers['content-type'] ?? '').startsWith('text/html')

describe('the §9 checks catch a broken Authorization Form', { timeout: 300_000 }, () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('passes through a transparent proxy', async () => {
    const results = await through(server, {}, [...new Set([...DECLINE, ...STATE, ...ROBOTS])])
    expect([...results.values()].filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.message ?? ''}`)).toEqual([])
  })

  it('fails the decline checks when the pages have no Decline button', async () => {
    const results = await through(
      server,
      { response: (r) => (isHtml(r.headers) ? { body: r.body.replace(/<button\b[^>]*>\s*Decline\s*<\/button>/gi, '') } : undefined) },
      DECLINE,
    )
    for (const id of DECLINE) expect(results.get(id)?.status, id).toBe('failed')
    expect(results.get('R3-01-9.2.1.6-01')?.message).toContain('decline')
  })

  it('fails the state checks when the redirects back to the Client lose state', async () => {
    const results = await through(
      server,
      {
        response: (r) => {
          const location = r.headers.location
          if (location === undefined || !/[?&](code|error)=/.test(location)) return undefined
          const url = new URL(location)
          url.searchParams.delete('state')
          return { headers: { ...r.headers, location: url.href } }
        },
      },
      STATE,
    )
    for (const id of STATE) expect(results.get(id)?.status, id).toBe('failed')
    expect(results.get('R3-01-9.1.1-27')?.message).toContain('state')
  })

  it('fails the noindex check when the receipt has no robots meta tag', async () => {
    const results = await through(
      server,
      { response: (r) => (isHtml(r.headers) && r.path.includes('receipt') ? { body: r.body.replace(/<meta name="robots"[^>]*>/gi, '') } : undefined) },
      ROBOTS,
    )
    expect(results.get('R3-01-9.4-08')?.status).toBe('failed')
  })
})
