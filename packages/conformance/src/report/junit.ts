/**
 * The JUnit XML report: one test suite per spec, one test case per check, so CI systems show
 * the checks by requirement ID.
 *
 * @module
 */
import type { ConformanceReport } from '../core/result.js'

/** Escapes text for XML content and attribute values. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/** The report as JUnit XML. */
export function formatJUnitReport(report: ConformanceReport): string {
  const suites = report.summary.map((summary) => {
    const results = report.results.filter((result) => result.spec === summary.spec)
    const cases = results.map((result) => {
      const name = xml(`${result.id} ${result.title}`)
      const open = `    <testcase classname="${xml(`${result.spec} ${result.section}`)}" name="${name}" time="${(result.duration / 1000).toFixed(3)}"`
      if (result.status === 'passed') return `${open}/>`
      if (result.status === 'failed') {
        const detail = [result.message ?? '', ...(result.exchanges ?? []).map((e) => `${e.request} → ${e.status} ${e.body}`)].join('\n')
        return `${open}>\n      <failure message="${xml(result.message ?? 'failed')}">${xml(detail)}</failure>\n    </testcase>`
      }
      return `${open}>\n      <skipped message="${xml(`${result.status === 'skipped' ? 'skipped' : 'not applicable'}: ${result.message ?? ''}`)}"/>\n    </testcase>`
    })
    const failures = results.filter((r) => r.status === 'failed').length
    const skipped = results.filter((r) => r.status === 'skipped' || r.status === 'not_applicable').length
    const time = results.reduce((sum, r) => sum + r.duration, 0) / 1000
    return `  <testsuite name="${summary.spec}" tests="${results.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time.toFixed(3)}" timestamp="${report.started}">\n${cases.join('\n')}\n  </testsuite>`
  })
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`CDS conformance of ${report.baseUrl}`)}">\n${suites.join('\n')}\n</testsuites>\n`
}
