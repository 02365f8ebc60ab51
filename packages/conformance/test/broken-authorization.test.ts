/**
 * The CDS-WG3-01 §2–§6 checks against deliberately broken servers: the reference server behind the
 * tampering proxy (or configured), changed in one way each time. The matching checks fail there
 * and pass against the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConformanceOptions } from '../src/index.js'
import { runChecks } from '../src/core/runner.js'
import { checks } from '../src/wg3-01/authorization/index.js'
import { startLiveServer, type LiveServer } from './live-server.js'
import { editJson, startTamperingProxy, type Tamper } from './tampering-proxy.js'

/** The status of each check of a run, by id, and the failure messages. */
async function run(options: ConformanceOptions, only: string[]): Promise<{ status: Record<string, string>; messages: string }> {
  const report = await runChecks({ ...options, only }, checks)
  return {
    status: Object.fromEntries(report.results.map((result) => [result.id, result.status])),
    messages: report.results.map((result) => `${result.id}: ${result.message ?? ''}`).join('\n'),
  }
}

/** Runs `only` against the proxy with `tamper`. */
async function broken(server: LiveServer, tamper: Tamper, only: string[]): Promise<{ status: Record<string, string>; messages: string }> {
  const proxy = await startTamperingProxy(server, tamper)
  try {
    return await run(proxy.options, only)
  } finally {
    await proxy.close()
  }
}

const pathOf = (path: string) => path.replace(/\?.*$/s, '')
const isJson = (headers: Record<string, string>) => (headers['content-type'] ?? '').includes('json')
type Json = Record<string, unknown>

describe('broken Customer Data authorization fails the matching checks', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('metadata without the Rate Plan jwk field and without cds_customerdata_version fails R3-01-6.1.1-05 and R3-01-5-01', async () => {
    const ids = ['R3-01-6.1.1-05', 'R3-01-5-01', 'R3-01-6.1.1-08']
    const result = await broken(
      server,
      {
        response: (r) =>
          r.method === 'GET' && pathOf(r.path).startsWith('/.well-known/oauth-authorization-server') && r.status === 200
            ? {
                body: editJson(r.body, (asm) => {
                  delete asm.cds_customerdata_version
                  const plan = (asm.cds_scope_descriptions as Record<string, Json>).cds_rate_plan as Json
                  plan.authorization_details_fields_supported = (plan.authorization_details_fields_supported as Json[]).filter((f) => f.id !== 'jwk')
                }),
              }
            : undefined,
      },
      ids,
    )
    expect(result.status).toEqual({ 'R3-01-6.1.1-05': 'failed', 'R3-01-5-01': 'failed', 'R3-01-6.1.1-08': 'passed' })
    expect(result.messages).toContain('does not offer jwk')
    expect((await run(server.options, ids)).status).toEqual({ 'R3-01-6.1.1-05': 'passed', 'R3-01-5-01': 'passed', 'R3-01-6.1.1-08': 'passed' })
  }, 120_000)

  it('a PAR endpoint that takes refused authorization details fails R3-01-6.1.2-09, R3-01-6.1.10-11 and R3-01-2-03', async () => {
    const ids = ['R3-01-6.1.2-09', 'R3-01-6.1.10-11', 'R3-01-2-03', 'R3-01-3-03']
    const result = await broken(
      server,
      {
        // The server's 400 invalid_authorization_details becomes a 201 with a request_uri.
        response: (r) =>
          r.method === 'POST' && pathOf(r.path) === '/oauth/par' && r.status === 400 && r.body.includes('invalid_authorization_details')
            ? { status: 201, body: JSON.stringify({ request_uri: 'urn:ietf:params:oauth:request_uri:broken', expires_in: 90 }) }
            : undefined,
      },
      ids,
    )
    expect(result.status).toEqual({ 'R3-01-6.1.2-09': 'failed', 'R3-01-6.1.10-11': 'failed', 'R3-01-2-03': 'failed', 'R3-01-3-03': 'passed' })
    expect(result.messages).toContain('was accepted (201)')
    expect((await run(server.options, ids)).status).toEqual({ 'R3-01-6.1.2-09': 'passed', 'R3-01-6.1.10-11': 'passed', 'R3-01-2-03': 'passed', 'R3-01-3-03': 'passed' })
  }, 120_000)

  it('token responses that echo preselections fail R3-01-6.1.4-12 (the customer consents in the browser)', async () => {
    const ids = ['R3-01-6.1.4-12', 'R3-01-6.1.2-14']
    const result = await broken(
      server,
      {
        response: (r) =>
          r.method === 'POST' && pathOf(r.path) === '/oauth/token' && r.status === 200 && isJson(r.headers)
            ? {
                body: editJson(r.body, (tokens) => {
                  for (const entry of (tokens.authorization_details ?? []) as Json[]) if (entry.type === 'cds_accounts') entry.account_numbers = ['_all']
                }),
              }
            : undefined,
      },
      ids,
    )
    expect(result.status['R3-01-6.1.4-12']).toBe('failed')
    expect(result.messages).toContain('holds account_numbers')
    expect(result.status['R3-01-6.1.2-14']).toBe('passed')
  }, 300_000)

  it('a server claiming §4.8 Customer Bills needs a pre-production step: without one R3-01-4.8-02 fails, with one every §4.8 metadata row passes', async () => {
    const ids = ['R3-01-4.8-01', 'R3-01-4.8-02', 'R3-01-4.8-03', 'R3-01-4.8-04', 'R3-01-4.8-05']
    const claimed = await run({ ...server.options, scenarios: ['4.8'] }, ids)
    expect(claimed.status['R3-01-4.8-02']).toBe('failed')
    expect(claimed.messages).toContain('lists no registration requirement')
    expect((await run(server.options, ids)).status['R3-01-4.8-02']).toBe('not_applicable')
    const reviewed = await startLiveServer((config) => {
      const bills = config.oauth.scope_descriptions.cds_bill_statements
      if (bills !== undefined) bills.registration_requirements = ['company_name']
    })
    try {
      const status = (await run({ ...reviewed.options, scenarios: ['4.8'] }, ids)).status
      expect(status).toEqual(Object.fromEntries(ids.map((id) => [id, 'passed'])))
    } finally {
      await reviewed.close()
    }
  }, 300_000)
})
