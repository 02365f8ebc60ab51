/**
 * Deliberately broken Customer Data APIs (CDS-WG3-01 §10): the matching checks fail behind a
 * tampering proxy and pass against the reference server itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConformance, type CheckStatus } from '../src/index.js'
import { startLiveServer, type LiveServer } from './live-server.js'
import { startTamperingProxy, type ProxiedRequest, type ProxiedResponse, type Tamper } from './tampering-proxy.js'

const FILTER = 'R3-01-10.1.10-06'
const SUM = 'R3-01-10.5.1-10'
const NEXT = 'R3-01-10.8.8-04'

/** The status of each check of a run limited to `ids`. */
async function statuses(options: Parameters<typeof runConformance>[0], ids: readonly string[]): Promise<Record<string, CheckStatus | undefined>> {
  const report = await runConformance({ ...options, only: ids })
  return Object.fromEntries(ids.map((id) => [id, report.results.find((r) => r.id === id)?.status]))
}

/** Whether a proxied request or response is for the listing at `path`. */
const at = (message: ProxiedRequest | ProxiedResponse, path: string) => new URL(message.path, 'http://x').pathname === path

/** The listing path of a metadata member. */
async function listingPath(server: LiveServer, member: string): Promise<string> {
  const wk = (await (await fetch(`${server.baseUrl}/.well-known/cds-server-metadata.json`)).json()) as { oauth_metadata: string }
  const asm = (await (await fetch(wk.oauth_metadata)).json()) as Record<string, string>
  return new URL(String(asm[member])).pathname
}

describe('broken Customer Data APIs make the matching checks fail', () => {
  let server: LiveServer
  let accounts = ''
  let statements = ''
  let usage = ''

  beforeAll(async () => {
    server = await startLiveServer()
    accounts = await listingPath(server, 'cds_accounts_api')
    statements = await listingPath(server, 'cds_billstatement_api')
    usage = await listingPath(server, 'cds_usagesegments_api')
  }, 120_000)

  afterAll(async () => {
    await server?.close()
  })

  it('passes against the reference server', async () => {
    expect(await statuses(server.options, [FILTER, SUM, NEXT])).toEqual({ [FILTER]: 'passed', [SUM]: 'passed', [NEXT]: 'passed' })
  }, 300_000)

  it('a filter the server ignores (the cds_account_ids parameter is stripped on the way)', async () => {
    const tamper: Tamper = {
      request: (request) => {
        if (!at(request, accounts)) return undefined
        const url = new URL(request.path, 'http://x')
        url.searchParams.delete('cds_account_ids')
        return { path: `${url.pathname}${url.search}` }
      },
    }
    const proxy = await startTamperingProxy(server, tamper)
    try {
      expect((await statuses(proxy.options, [FILTER]))[FILTER]).toBe('failed')
    } finally {
      await proxy.close()
    }
  }, 300_000)

  it('amounts computed through floats (amount_due summed in IEEE-754 doubles)', async () => {
    const tamper: Tamper = {
      response: (response) => {
        if (!at(response, statements) || response.status !== 200) return undefined
        const body = JSON.parse(response.body) as { bill_statements: Record<string, unknown>[] }
        for (const s of body.bill_statements) {
          if (typeof s.previous_balance_unpaid !== 'number' || !Array.isArray(s.new_charges)) continue
          const charges = s.new_charges as { amount: number; included_in_amount_due: boolean }[]
          s.amount_due = charges.filter((c) => c.included_in_amount_due).reduce((sum, c) => sum + c.amount, s.previous_balance_unpaid)
        }
        return { body: JSON.stringify(body) }
      },
    }
    const proxy = await startTamperingProxy(server, tamper)
    try {
      expect((await statuses(proxy.options, [SUM]))[SUM]).toBe('failed')
    } finally {
      await proxy.close()
    }
  }, 300_000)

  it('next links that lose the filters (only the cursor is kept)', async () => {
    const tamper: Tamper = {
      response: (response) => {
        if (!at(response, usage) || response.status !== 200 || !response.body.includes('"next":"')) return undefined
        const body = JSON.parse(response.body) as { next: string | null }
        if (body.next === null) return undefined
        const next = new URL(body.next)
        const cursor = next.searchParams.get('cursor')
        next.search = cursor === null ? '' : `?cursor=${encodeURIComponent(cursor)}`
        // Rewrite the link only, so the page's decimals keep their text.
        return { body: response.body.replace(JSON.stringify(body.next), JSON.stringify(next.href)) }
      },
    }
    const proxy = await startTamperingProxy(server, tamper)
    try {
      expect((await statuses(proxy.options, [NEXT]))[NEXT]).toBe('failed')
    } finally {
      await proxy.close()
    }
  }, 300_000)
})
