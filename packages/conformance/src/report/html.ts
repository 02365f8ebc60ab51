/**
 * The HTML report: one self-contained page (inline styles, no script, no external resource) with
 * the per-spec counts and every check grouped by spec and section; failures show their HTTP
 * exchanges. Every value from the server is escaped.
 *
 * @module
 */
import type { CheckResult, ConformanceReport } from '../core/result.js'

/** Escapes text for HTML content and attribute values. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}

const STATUS_LABEL: Record<CheckResult['status'], string> = { passed: 'passed', failed: 'failed', skipped: 'skipped', not_applicable: 'not applicable' }

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:72rem;padding:1rem 1.5rem;color:#1b1b1b;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #c8c8c8;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.passed{color:#0b6b2b}.failed{color:#a4141b;font-weight:600}.skipped,.not_applicable{color:#555}
details{margin:.2rem 0}pre{white-space:pre-wrap;word-break:break-all;background:#f6f6f6;padding:.5rem;margin:.3rem 0}
code{font-family:ui-monospace,monospace}`

function resultRow(result: CheckResult): string {
  const detail =
    result.message === undefined
      ? ''
      : `<details><summary>${esc(result.status === 'failed' ? 'Why it failed' : 'Reason')}</summary><pre>${esc(
          [result.message, ...(result.exchanges ?? []).map((e) => `${e.request} → ${e.status}\n${e.body}`)].join('\n\n'),
        )}</pre></details>`
  return `<tr><td><code>${esc(result.id)}</code>${result.also.length > 0 ? `<br><small>also ${esc(result.also.join(', '))}</small>` : ''}</td><td>${esc(result.section)}</td><td>${esc(result.title)}${detail}</td><td class="${result.status}">${STATUS_LABEL[result.status]}</td><td class="n">${result.duration} ms</td></tr>`
}

/** The report as one self-contained HTML page. */
export function formatHtmlReport(report: ConformanceReport): string {
  const summary = report.summary
    .map(
      (s) =>
        `<tr><th scope="row">${esc(s.spec)}</th>${[s.requirements, s.not_testable, s.testable, s.covered, s.passed, s.failed, s.skipped, s.not_applicable].map((n) => `<td class="n">${n}</td>`).join('')}</tr>`,
    )
    .join('\n')
  const sections = report.summary
    .map((s) => {
      const rows = report.results.filter((result) => result.spec === s.spec)
      if (rows.length === 0) return ''
      return `<h2 id="${esc(s.spec)}">${esc(s.spec)}</h2>\n<table><caption>Checks of ${esc(s.spec)}</caption><thead><tr><th scope="col">Requirement</th><th scope="col">Section</th><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Time</th></tr></thead><tbody>\n${rows.map(resultRow).join('\n')}\n</tbody></table>`
    })
    .join('\n')
  const t = report.totals
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>CDS conformance report: ${esc(report.baseUrl)}</title><style>${STYLE}</style></head>
<body><main>
<h1>CDS conformance report</h1>
<p>Server <code>${esc(report.baseUrl)}</code>, suite ${esc(report.suite)}, run from ${esc(report.started)} to ${esc(report.finished)}.</p>
<p>Checks: <span class="passed">${t.passed} passed</span>, <span class="failed">${t.failed} failed</span>, ${t.skipped} skipped, ${t.not_applicable} not applicable.</p>
<table><caption>Requirements per specification</caption><thead><tr><th scope="col">Spec</th><th scope="col">Requirements</th><th scope="col">Not black-box</th><th scope="col">Testable</th><th scope="col">Covered</th><th scope="col">Passed</th><th scope="col">Failed</th><th scope="col">Skipped</th><th scope="col">Not applicable</th></tr></thead>
<tbody>
${summary}
</tbody></table>
${sections}
</main></body></html>
`
}
