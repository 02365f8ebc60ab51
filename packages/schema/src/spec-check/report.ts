/**
 * Renders a {@link SpecCheckReport}: as console text (`cds-spec-check`) and as the Markdown
 * errata page of the docs site (`apps/docs/pages/errata/spec-examples.md`).
 *
 * @module
 */
import type { ExampleIssue, ExampleReport, SpecCheckReport } from './index.js'
import type { SyntaxProblem } from './lenient-json.js'

function sectionLabel(example: ExampleReport): string {
  const s = example.section
  if (!s) return '(before the first heading)'
  return s.number ? `§${s.number} ${s.title}` : s.title
}

/** "response to GET /x", "request POST /x", "authorization_details form field", … */
export function bodyLabel(example: ExampleReport): string {
  const where = example.http ? [example.http.method, example.http.path ?? example.http.target].filter(Boolean).join(' ') : ''
  const status = example.http?.status !== undefined ? ` (${example.http.status})` : ''
  switch (example.origin) {
    case 'http-request':
      return `request ${where}${example.mediaType === 'form' ? ' (form)' : ''}`
    case 'http-response':
      return `response to ${where}${status}`
    case 'form-parameter':
      return `\`${example.parameter ?? ''}\` form field of ${where}`
    case 'url-parameter':
      return `\`${example.parameter ?? ''}\` query parameter of ${where}`
    case 'shell-output':
      return example.role === 'response' ? `printed response to ${where}` : 'printed JSON'
    case 'shell-data':
      return example.parameter ? `shell variable ${example.parameter}` : `request data of ${where}${example.mediaType === 'form' ? ' (form)' : ''}`
    default:
      return 'JSON block'
  }
}

const ADDED = new Set(['extension', 'nested-authorization-details'])

function schemaLabel(example: ExampleReport): string {
  const main = example.schemas.filter((s) => !ADDED.has(s.rule ?? ''))
  const ids = [...new Set(main.map((s) => s.schema))]
  const first = main[0]
  if (!first) return example.status === 'unparseable' ? '–' : 'no matching schema'
  const how = first.by === 'rule' ? `rule ${first.rule ?? ''}` : `score ${first.score ?? ''}`
  const items = main.length > 1 || first.pointer !== '' ? ' (per item)' : ''
  const extensions = [...new Set(example.schemas.filter((s) => s.rule === 'extension').map((s) => s.schema))]
  const nested = new Map<string, number>()
  for (const s of example.schemas.filter((u) => u.rule === 'nested-authorization-details')) nested.set(s.schema, (nested.get(s.schema) ?? 0) + 1)
  const added = [
    ...extensions.map((id) => ` + ${id}`),
    ...(nested.size > 0 ? [` + nested ${[...nested].map(([id, n]) => `${id} ×${n}`).join(', ')}`] : []),
  ]
  return `${ids.join(', ')}${items} — ${how}${added.join('')}`
}

function syntaxSummary(problems: readonly SyntaxProblem[]): string[] {
  const byKind = new Map<string, number[]>()
  for (const p of problems) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p.line])
  return [...byKind].map(([kind, lines]) => {
    const shown = lines.slice(0, 6).join(', ')
    return `${kind} ×${lines.length} (line${lines.length > 1 ? 's' : ''} ${shown}${lines.length > 6 ? ', …' : ''})`
  })
}

function issueText(issue: ExampleIssue, report: SpecCheckReport): string {
  const where = issue.line !== undefined ? `line ${issue.line} ` : ''
  const entry = issue.explainedBy !== undefined ? report.disagreements[issue.explainedBy] : undefined
  const why = entry ? ` [${entry.catalog ?? 'errata'}: follow ${entry.follow}]` : ''
  return `${where}${issue.pointer || '/'} ${issue.severity}: ${issue.message}${why}`
}

/** The console report: one paragraph per example, then the totals. */
export function formatText(report: SpecCheckReport, options: { verbose?: boolean } = {}): string {
  const out: string[] = []
  for (const example of report.examples) {
    const mark = { pass: 'PASS', fail: 'FAIL', unmatched: 'NONE', unparseable: 'BAD ' }[example.status]
    out.push(`${mark} ${example.file}:${example.line} ${sectionLabel(example)} — ${bodyLabel(example)}`)
    out.push(`     schema: ${schemaLabel(example)}`)
    if (example.hint) out.push(`     note: ${example.hint}`)
    const parse = example.parse === 'form' ? 'form body' : `JSON ${example.parse}`
    const syntax = syntaxSummary(example.syntax)
    out.push(`     ${parse}${example.partial ? ', partial (elided parts excused)' : ''}${syntax.length > 0 ? `: ${syntax.join('; ')}` : ''}`)
    if (options.verbose) for (const p of example.syntax) out.push(`       line ${p.line}:${p.column} ${p.kind}: ${p.message}`)
    for (const issue of example.issues.filter((i) => i.severity !== 'info')) out.push(`       ${issueText(issue, report)}`)
    const extensions = example.issues.filter((i) => i.severity === 'info').map((i) => i.pointer)
    if (extensions.length > 0) out.push(`       members the schema does not define: ${extensions.join(', ')}`)
    if (example.unmatched.length > 0 && example.schemas.length > 0) out.push(`       no schema for: ${example.unmatched.join(', ')}`)
  }
  out.push('', ...summaryLines(report))
  return `${out.join('\n')}\n`
}

function summaryLines(report: SpecCheckReport): string[] {
  const s = report.summary
  const lines = [
    'Summary',
    `  files                ${s.files}`,
    `  examples found       ${s.examples}`,
    `  JSON clean           ${s.json.clean}`,
    `  JSON repaired        ${s.json.repaired}`,
    `  JSON unparseable     ${s.json.unparseable}`,
    `  form bodies          ${s.form}`,
    `  checked              ${s.checked}`,
    `  pass                 ${s.pass}${s.passWithWarnings > 0 ? ` (${s.passWithWarnings} with warnings)` : ''}`,
    `  fail                 ${s.fail}`,
    `  no matching schema   ${s.unmatched}`,
    `  registry             ${report.registry.schemas} schemas (${report.registry.objectSchemas} object schemas)`,
  ]
  if (report.missingSchemas.length > 0) {
    lines.push('Schemas a rule wanted but the registry lacks:')
    for (const m of report.missingSchemas) lines.push(`  ${m.wanted.join(' | ')} (rule ${m.rule}; ${m.locations.length} example${m.locations.length > 1 ? 's' : ''})`)
  }
  return lines
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ')
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``
}

/**
 * The errata page: totals, every disagreement with the reading followed and why, then every
 * example by file. Deterministic (no dates), so it changes only when the drafts or schemas do.
 */
export function formatMarkdown(report: SpecCheckReport): string {
  const s = report.summary
  const out: string[] = [
    '# Errata: the examples of the CDS drafts',
    '',
    '<!-- Generated by `cds-spec-check` (packages/schema/src/spec-check). Do not edit: run `pnpm spec-check -- --markdown apps/docs/pages/errata/spec-examples.md` or the schema package tests. -->',
    '',
    'Every JSON example of the pinned drafts (request and response bodies, JSON form fields and query parameters, bare JSON blocks and the shell transcripts of the overview pages) is read leniently, matched to a schema of `@cds-ts/schema`, and validated. The examples are non-normative; where one disagrees with the normative text, the table below says which one this implementation follows and why. Problems in parts an example elides with `...` are not counted.',
    '',
    '## Summary',
    '',
    '| | count |',
    '|---|---|',
    `| files | ${s.files} |`,
    `| examples found | ${s.examples} |`,
    `| JSON clean / repaired / unparseable | ${s.json.clean} / ${s.json.repaired} / ${s.json.unparseable} |`,
    `| form bodies | ${s.form} |`,
    `| checked against a schema | ${s.checked} |`,
    `| pass | ${s.pass}${s.passWithWarnings > 0 ? ` (${s.passWithWarnings} with warnings only)` : ''} |`,
    `| fail | ${s.fail} |`,
    `| no matching schema | ${s.unmatched} |`,
    `| schemas in the registry | ${report.registry.schemas} (${report.registry.objectSchemas} objects) |`,
    '',
    '## Disagreements and the reading we follow',
    '',
    '| Location | The example | The normative text | We follow | Why | Catalog |',
    '|---|---|---|---|---|---|',
  ]
  report.disagreements.forEach((entry) => {
    const section = entry.section === '*' ? '(whole file)' : /^[A-Z]?\d/.test(entry.section) ? `§${entry.section}` : entry.section
    const location = `${entry.file} ${section}${entry.role ? ` ${entry.role}` : ''}`
    out.push(`| ${cell(location)} | ${cell(entry.example)} | ${cell(entry.text)} | ${entry.follow} | ${cell(entry.why)} | ${cell(entry.catalog ?? 'found by this check')} |`)
  })
  const unexplained = report.examples.filter((e) => e.issues.some((i) => i.severity === 'error' && i.explainedBy === undefined))
  for (const example of unexplained) {
    const problems = example.issues.filter((i) => i.severity === 'error' && i.explainedBy === undefined)
    const listed = problems.slice(0, 8).map((i) => `${code(i.pointer || '/')} ${i.message}`).join('; ')
    const schemas = [...new Set(example.schemas.map((u) => u.schema))].join(', ')
    out.push(
      `| ${cell(`${example.file}:${example.line} ${sectionLabel(example)}`)} | ${cell(`${listed}${problems.length > 8 ? `; and ${problems.length - 8} more` : ''}`)} | ${cell(`the field tables behind ${code(schemas)}`)} | normative text | ${cell('The examples are non-normative; the schema encodes the normative field tables.')} | ${cell('found by this check')} |`,
    )
  }
  out.push('')
  for (const file of report.files) {
    out.push(`## ${file.file}`, '')
    const examples = report.examples.filter((e) => e.file === file.file)
    if (examples.length === 0) {
      out.push(`No example bodies (${file.blocks} code block${file.blocks === 1 ? '' : 's'}).`, '')
      continue
    }
    out.push('| Line | Section | Body | Schema | JSON | Result |', '|---|---|---|---|---|---|')
    for (const e of examples) {
      const parse = e.parse === 'form' ? 'form' : `${e.parse}${e.partial ? ', partial' : ''}`
      const errors = e.issues.filter((i) => i.severity === 'error').length
      const warnings = e.issues.filter((i) => i.severity === 'warning').length
      const result = e.status === 'fail' ? `fail (${errors} error${errors === 1 ? '' : 's'})` : e.status === 'pass' && warnings > 0 ? `pass (${warnings} warning${warnings === 1 ? '' : 's'})` : e.status
      out.push(`| ${e.line} | ${cell(sectionLabel(e))} | ${cell(bodyLabel(e))} | ${cell(schemaLabel(e))} | ${parse} | ${result} |`)
    }
    out.push('')
    const detailed = examples.filter((e) => e.syntax.length > 0 || e.issues.length > 0)
    for (const e of detailed) {
      out.push(`- **Line ${e.line}** (${cell(sectionLabel(e))}):`)
      for (const line of syntaxSummary(e.syntax)) out.push(`  - syntax: ${line}`)
      for (const issue of e.issues.filter((i) => i.severity !== 'info')) out.push(`  - ${cell(issueText(issue, report))}`)
      const extensions = e.issues.filter((i) => i.severity === 'info').map((i) => code(i.pointer))
      if (extensions.length > 0) out.push(`  - members the schema does not define: ${extensions.join(', ')}`)
    }
    if (detailed.length > 0) out.push('')
  }
  if (report.missingSchemas.length > 0) {
    out.push('## Schemas not yet in the registry', '', 'A matching rule applied but none of the schemas it names is registered:', '')
    for (const m of report.missingSchemas) out.push(`- ${m.wanted.map(code).join(' or ')} (rule ${code(m.rule)}): ${m.locations.join(', ')}`)
    out.push('')
  }
  return out.join('\n')
}
