/**
 * The console report: one line per failed or skipped check, then the per-spec requirement counts.
 *
 * @module
 */
import type { CheckResult, ConformanceReport } from '../core/result.js'

/** A one-line progress mark of a result, for runs that print as they go. */
export function progressLine(result: CheckResult, done: number, total: number): string {
  const mark = { passed: 'pass', failed: 'FAIL', skipped: 'skip', not_applicable: 'n/a ' }[result.status]
  return `[${String(done).padStart(String(total).length)}/${total}] ${mark} ${result.id} ${result.title}${result.message === undefined ? '' : ` (${result.message.split('\n')[0]})`}`
}

/** The report as plain text: failures with their HTTP exchanges, skips with reasons, and the counts. */
export function formatConsoleReport(report: ConformanceReport, options: { verbose?: boolean } = {}): string {
  const lines: string[] = [`CDS conformance of ${report.baseUrl} (suite ${report.suite}, ${report.started})`, '']
  const failed = report.results.filter((result) => result.status === 'failed')
  for (const result of failed) {
    lines.push(`FAIL ${result.id} ${result.spec} ${result.section}: ${result.title}`, `     ${result.message ?? ''}`)
    for (const exchange of result.exchanges ?? []) lines.push(`     ${exchange.request} → ${exchange.status}`)
  }
  if (options.verbose === true)
    for (const result of report.results.filter((r) => r.status === 'skipped' || r.status === 'not_applicable'))
      lines.push(`${result.status === 'skipped' ? 'skip' : 'n/a '} ${result.id}: ${result.message ?? ''}`)
  if (failed.length > 0) lines.push('')
  const header = ['spec', 'requirements', 'not black-box', 'testable', 'covered', 'passed', 'failed', 'skipped', 'n/a']
  const rows = report.summary.map((s) => [s.spec, s.requirements, s.not_testable, s.testable, s.covered, s.passed, s.failed, s.skipped, s.not_applicable].map(String))
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const format = (row: readonly string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')
  lines.push(format(header), ...rows.map(format), '')
  const t = report.totals
  lines.push(`checks: ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped, ${t.not_applicable} not applicable`)
  return `${lines.join('\n')}\n`
}
