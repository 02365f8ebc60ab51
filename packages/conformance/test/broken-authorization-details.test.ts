/**
 * The CDS-WG3-01 §7 checks against deliberately broken servers, through the tampering proxy: a
 * server that takes an invalid duration (the suite's `"P1X"` reaches it as a valid `"P1D"`), a
 * token response whose `authorization_details` lose the defaulted `sync_until`, and Account
 * listings that show `account_name` whatever `include_account_details` says, and an Authorization
 * Form that checks every Selection entry whatever the preselection fields match. Each time the
 * matching checks fail; through a transparent proxy the same checks pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConformance, type CheckResult } from '../src/index.js'
import { startLiveServer, type LiveServer } from './live-server.js'
import { editJson, startTamperingProxy, type Tamper } from './tampering-proxy.js'

const INVALID_DURATION = ['R3-01-7.3.1-02']
const DEFAULT_DROPPED = ['R3-01-7-02']
const MEMBER_LEAKED = ['R3-01-7.2.1.2-02', 'R3-01-7.2.1-04', 'R3-01-7.2-02']
const PRESELECTED = ['R3-01-7.1.1-04', 'R3-01-7.1.9-07']

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

const isJson = (headers: Record<string, string>) => (headers['content-type'] ?? '').startsWith('application/json')

describe('the §7 checks catch broken authorization details', { timeout: 300_000 }, () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('passes through a transparent proxy', async () => {
    const results = await through(server, {}, [...INVALID_DURATION, ...DEFAULT_DROPPED, ...MEMBER_LEAKED, ...PRESELECTED])
    expect([...results.values()].filter((r) => r.status !== 'passed').map((r) => `${r.id}: ${r.message ?? ''}`)).toEqual([])
  })

  it('fails the format check when an invalid duration is accepted', async () => {
    const results = await through(
      server,
      // The server sees "P1D" wherever the suite sent "P1X", so the invalid value is taken.
      { request: (r) => (r.body.includes('%22P1X%22') ? { body: r.body.split('%22P1X%22').join('%22P1D%22') } : undefined) },
      INVALID_DURATION,
    )
    expect(results.get('R3-01-7.3.1-02')?.status).toBe('failed')
    expect(results.get('R3-01-7.3.1-02')?.message).toContain('"P1X"')
  })

  it('fails the defaults check when the token response leaves a defaulted field out', async () => {
    const results = await through(
      server,
      {
        response: (r) =>
          r.path.startsWith('/oauth/token') && r.status === 200 && isJson(r.headers)
            ? {
                body: editJson(r.body, (body) => {
                  for (const entry of (body.authorization_details ?? []) as Record<string, unknown>[]) delete entry.sync_until
                }),
              }
            : undefined,
      },
      DEFAULT_DROPPED,
    )
    expect(results.get('R3-01-7-02')?.status).toBe('failed')
    expect(results.get('R3-01-7-02')?.message).toContain('sync_until')
  })

  it('fails the include checks when Accounts always carry account_name', async () => {
    const results = await through(
      server,
      {
        response: (r) =>
          r.path.startsWith('/api/accounts') && r.status === 200 && isJson(r.headers)
            ? {
                body: editJson(r.body, (body) => {
                  for (const account of (body.accounts ?? []) as Record<string, unknown>[]) account.account_name ??= 'Leaked name'
                }),
              }
            : undefined,
      },
      MEMBER_LEAKED,
    )
    for (const id of MEMBER_LEAKED) expect(results.get(id)?.status, id).toBe('failed')
    expect(results.get('R3-01-7.2.1.2-02')?.message).toContain('account_name')
  })

  it('fails the preselection checks when the form checks every entry', async () => {
    const results = await through(
      server,
      {
        response: (r) =>
          (r.headers['content-type'] ?? '').startsWith('text/html') ? { body: r.body.split('<input type="checkbox" name="select.').join('<input type="checkbox" checked name="select.') } : undefined,
      },
      PRESELECTED,
    )
    for (const id of PRESELECTED) expect(results.get(id)?.status, id).toBe('failed')
    expect(results.get('R3-01-7.1.1-04')?.message).toContain('expected')
  })
})
