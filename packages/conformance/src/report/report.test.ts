import AxeBuilder from '@axe-core/playwright'
import { chromium } from 'playwright-core'
import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import { CHROMIUM_FLAGS } from '../core/browser.js'
import type { ConformanceReport } from '../core/result.js'
import { summarize } from '../core/runner.js'
import { formatConsoleReport, formatHtmlReport, formatJsonReport, formatJUnitReport } from './index.js'

const HOSTILE = '<script>alert("x")</script> & ]]> \u0001'

const results: ConformanceReport['results'] = [
  { id: 'R1-01-3-02', also: [], spec: 'CDS-WG1-01', section: '§3.1', title: 'metadata is a JSON object', severity: 'MUST', status: 'passed', duration: 12 },
  {
    id: 'R1-02-3-01',
    also: ['R1-02-3.1-01'],
    spec: 'CDS-WG1-02',
    section: '§3',
    title: 'issuer matches',
    severity: 'MUST',
    status: 'failed',
    message: `issuer was ${HOSTILE}`,
    duration: 30,
    exchanges: [{ request: 'GET http://127.0.0.1/.well-known/oauth-authorization-server', status: 200, body: HOSTILE }],
  },
  { id: 'R3-01-9-01', also: [], spec: 'CDS-WG3-01', section: '§9', title: 'login page', severity: 'MUST', status: 'skipped', message: 'no browser', duration: 0 },
  { id: 'R3-01-10-01', also: [], spec: 'CDS-WG3-01', section: '§10', title: 'apis', severity: 'MUST', status: 'not_applicable', message: 'no data scopes', duration: 1 },
]
const report: ConformanceReport = {
  baseUrl: 'http://127.0.0.1:1234',
  started: '2026-11-28T12:00:00.000Z',
  finished: '2026-11-28T12:00:05.000Z',
  suite: '0.0.0',
  results,
  summary: summarize(results),
  totals: { passed: 1, failed: 1, skipped: 1, not_applicable: 1 },
}

describe('reports', () => {
  it('summarize counts a requirement once per spec, failed before skipped before passed', () => {
    const wg102 = report.summary.find((s) => s.spec === 'CDS-WG1-02')!
    expect(wg102).toMatchObject({ covered: 2, failed: 2, passed: 0 })
    const wg301 = report.summary.find((s) => s.spec === 'CDS-WG3-01')!
    expect(wg301).toMatchObject({ covered: 2, skipped: 1, not_applicable: 1, passed: 0 })
    expect(wg301.testable + wg301.not_testable).toBeLessThanOrEqual(wg301.requirements)
  })

  it('console: failures with their exchanges and the per-spec table', () => {
    const text = formatConsoleReport(report, { verbose: true })
    expect(text).toContain('FAIL R1-02-3-01 CDS-WG1-02 §3: issuer matches')
    expect(text).toContain('GET http://127.0.0.1/.well-known/oauth-authorization-server → 200')
    expect(text).toContain('skip R3-01-9-01: no browser')
    expect(text).toMatch(/^CDS-WG1-02\s+\d+\s+\d+\s+\d+\s+2\s+0\s+2\s+0\s+0$/m)
    expect(text).toContain('checks: 1 passed, 1 failed, 1 skipped, 1 not applicable')
  })

  it('JSON: the report round-trips', () => {
    expect(JSON.parse(formatJsonReport(report))).toEqual(JSON.parse(JSON.stringify(report)))
  })

  it('JUnit: well-formed XML, one suite per spec, failures and skips marked, hostile text escaped', () => {
    const text = formatJUnitReport(report)
    const parser = new SaxesParser()
    const suites: Record<string, string>[] = []
    const failures: string[] = []
    let skipped = 0
    parser.on('opentag', (tag) => {
      if (tag.name === 'testsuite') suites.push(tag.attributes)
      if (tag.name === 'failure') failures.push((tag.attributes as Record<string, string>).message!)
      if (tag.name === 'skipped') skipped++
    })
    parser.write(text).close()
    expect(suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
      ['CDS-WG1-01', '1', '0'],
      ['CDS-WG1-02', '1', '1'],
      ['CDS-WG3-01', '2', '0'],
    ])
    expect(failures).toEqual(['issuer was <script>alert("x")</script> & ]]> '])
    expect(skipped).toBe(2)
  })

  it('HTML: self-contained, escaped and accessible in chromium', async () => {
    const html = formatHtmlReport(report)
    expect(html).not.toMatch(/<script|src=|href="http/)
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_FLAGS] })
    try {
      const page = await (await browser.newContext()).newPage()
      const requests: string[] = []
      page.on('request', (request) => requests.push(request.url()))
      await page.setContent(html)
      expect(await page.title()).toBe('CDS conformance report: http://127.0.0.1:1234')
      expect(await page.locator('td.failed').count()).toBe(1)
      expect(requests.filter((url) => !url.startsWith('data:') && url !== 'about:blank')).toEqual([])
      const axe = await new AxeBuilder({ page }).analyze()
      expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([])
    } finally {
      await browser.close()
    }
  }, 60_000)
})
