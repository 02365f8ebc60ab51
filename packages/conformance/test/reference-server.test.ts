/**
 * The suite against the reference server on a real socket: every applicable check passes.
 * `CDS_CONFORMANCE_ONLY=R1-01,R3-01-10` runs a part (for work on one area).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConformance, type ConformanceReport } from '../src/index.js'
import { startLiveServer, type LiveServer } from './live-server.js'

describe('the reference server passes every applicable check', () => {
  let server: LiveServer
  let report: ConformanceReport

  beforeAll(async () => {
    server = await startLiveServer()
    const only = process.env.CDS_CONFORMANCE_ONLY?.split(',').filter((prefix) => prefix !== '')
    report = await runConformance({ ...server.options, ...(only === undefined ? {} : { only }) })
  }, 600_000)

  afterAll(async () => {
    await server?.close()
  })

  it('has no failed check', () => {
    const failed = report.results.filter((result) => result.status === 'failed')
    expect(failed.map((result) => `${result.id} ${result.title}: ${result.message}\n${(result.exchanges ?? []).map((e) => `  ${e.request} → ${e.status} ${e.body.slice(0, 200)}`).join('\n')}`)).toEqual([])
  })

  it('skips nothing: the reference server offers every need (registration, customers, browser, operator API)', () => {
    expect(report.results.filter((result) => result.status === 'skipped').map((result) => `${result.id}: ${result.message}`)).toEqual([])
  })

  it('counts requirements per spec', () => {
    for (const spec of report.summary) {
      expect(spec.covered).toBeLessThanOrEqual(spec.testable)
      expect(spec.passed + spec.failed + spec.skipped + spec.not_applicable).toBe(spec.covered)
      expect(spec.testable + spec.not_testable).toBeLessThanOrEqual(spec.requirements)
    }
    console.log(report.summary.map((s) => `${s.spec}: ${s.covered}/${s.testable} testable covered, ${s.passed} passed, ${s.failed} failed, ${s.not_testable} not black-box`).join('\n'))
  })
})
