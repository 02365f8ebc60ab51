/**
 * The spec example check: reads the Markdown of the CDS drafts, takes out every example body,
 * reads it leniently, chooses its schema, validates it, and returns a structured report.
 * `cds-spec-check` (cli.ts) prints it; report.ts also renders it as the errata page.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { schemaRegistry } from '../registry.js'
import { checkValue, type CheckIssue } from './check.js'
import { extractExamples } from './extract.js'
import { covers, disagreementsFor } from './disagreements.js'
import { KNOWN_DISAGREEMENTS, type KnownDisagreement } from './known-disagreements.js'
import { parseLenientJson, type Elision, type SyntaxProblem } from './lenient-json.js'
import { isObjectSchema, matchSchema, type MatchContext } from './match.js'
import { parentOf, valueAt } from './json-pointer.js'
import type { ExtractedBody, Heading, HttpContext } from './types.js'

export type { CheckIssue } from './check.js'
export type { KnownDisagreement } from './known-disagreements.js'
export type { SyntaxProblem, SyntaxProblemKind } from './lenient-json.js'
export type { BodyOrigin, Heading, HttpContext } from './types.js'

/** A schema problem of an example, with the known disagreement that explains it, if any. */
export interface ExampleIssue extends CheckIssue {
  /** Index into {@link SpecCheckReport.disagreements} of the entry that explains this issue. */
  explainedBy?: number
}

/** The schema an example (or one item of it) was checked against. */
export interface SchemaUse {
  pointer: string
  schema: string
  by: 'rule' | 'score'
  rule?: string
  score?: number
}

/** The outcome for one example body. */
export interface ExampleReport {
  file: string
  line: number
  endLine: number
  section?: Pick<Heading, 'number' | 'title' | 'anchor' | 'line'>
  origin: ExtractedBody['origin']
  role: ExtractedBody['role']
  http?: Omit<HttpContext, 'headers'>
  mediaType: 'json' | 'form'
  parameter?: string
  ordinal: number
  /** How the body read: strict JSON, JSON after repairs, or not at all; form bodies are `form`. */
  parse: 'clean' | 'repaired' | 'unparseable' | 'form'
  syntax: SyntaxProblem[]
  /** True when the example elides parts (`...`); problems in those parts are excused. */
  partial: boolean
  schemas: SchemaUse[]
  /** Parts no schema fits (`''` for the whole body). */
  unmatched: string[]
  /** A note when the body looks like another schema than the one its context calls for. */
  hint?: string
  status: 'pass' | 'fail' | 'unmatched' | 'unparseable'
  issues: ExampleIssue[]
  /** Problems excused by elisions. */
  excused: number
  /** Indexes into {@link SpecCheckReport.disagreements} of the entries for this example's location. */
  disagreements: number[]
}

/** Totals of a run. */
export interface SpecCheckSummary {
  files: number
  examples: number
  json: { clean: number; repaired: number; unparseable: number }
  form: number
  checked: number
  pass: number
  passWithWarnings: number
  fail: number
  unmatched: number
}

/** What {@link checkSpecFiles} returns. */
export interface SpecCheckReport {
  files: Array<{ file: string; path: string; blocks: number; skippedBlocks: number; examples: number }>
  examples: ExampleReport[]
  summary: SpecCheckSummary
  /** Schemas a rule wanted that the registry does not have yet, with where they were wanted. */
  missingSchemas: Array<{ rule: string; wanted: string[]; locations: string[] }>
  /** The known disagreements referenced by the examples. */
  disagreements: KnownDisagreement[]
  registry: { schemas: number; objectSchemas: number }
}

/** Options of {@link checkSpecFiles}. */
export interface SpecCheckOptions {
  /** Known disagreements to use instead of the built-in list. */
  disagreements?: readonly KnownDisagreement[]
}

function formValue(fields: Array<[string, string]>): Record<string, string> {
  const value: Record<string, string> = {}
  for (const [name, text] of fields) value[name] = text
  return value
}

function contextOf(body: ExtractedBody): MatchContext {
  const context: MatchContext = { file: body.file, role: body.role, origin: body.origin, mediaType: body.mediaType }
  if (body.http?.method) context.method = body.http.method
  if (body.http?.path) context.path = body.http.path
  if (body.http?.status !== undefined) context.status = body.http.status
  if (body.heading) context.heading = body.heading.title
  if (body.heading?.number) context.section = body.heading.number
  if (body.parameter) context.parameter = body.parameter
  return context
}

/** Reads, matches and checks one extracted body. */
export function checkBody(body: ExtractedBody, known: readonly KnownDisagreement[], registerEntry: (entry: KnownDisagreement) => number, missing: SpecCheckReport['missingSchemas']): ExampleReport {
  const { headers: _headers, ...http } = body.http ?? { headers: [] }
  const report: ExampleReport = {
    ...blankReport(body),
    syntax: body.notes.map((n) => ({ kind: /HTTP/.test(n.message) ? 'http' : 'form', line: n.line, column: 1, message: n.message })),
  }
  if (body.heading) {
    const { number, title, anchor, line } = body.heading
    report.section = { title, line, ...(number ? { number } : {}), ...(anchor ? { anchor } : {}) }
  }
  if (body.http) report.http = http
  if (body.parameter) report.parameter = body.parameter
  const entries = disagreementsFor(
    { file: body.file, section: body.heading?.number ?? body.heading?.title ?? '', role: body.role, ordinal: body.ordinal },
    known,
  )
  report.disagreements = entries.map(registerEntry)

  let value: unknown
  let elisions: Elision[] = []
  let lines: Map<string, number> | undefined
  if (body.mediaType === 'form') {
    value = formValue(body.form ?? [])
    // Shell variables and `<placeholders>` stand for values the example does not give.
    for (const [name, text] of body.form ?? []) {
      if ((body.shell === true && /\$[A-Za-z_{]/.test(text)) || /^<[^>]*>$/.test(text.trim())) elisions.push({ pointer: `/${name}`, kind: 'value' })
    }
    report.partial = elisions.length > 0
  } else {
    const parsed = parseLenientJson(body.text, { firstLine: body.line, shellVariables: body.shell === true })
    report.parse = parsed.status
    report.syntax.push(...parsed.problems)
    report.syntax.sort((a, b) => a.line - b.line)
    report.partial = parsed.elisions.length > 0
    if (parsed.status === 'unparseable') {
      report.status = 'unparseable'
      return report
    }
    value = parsed.value
    elisions = parsed.elisions
    lines = parsed.lines
  }

  const match = matchSchema(value, contextOf(body))
  const wanted = match.missing
  if (wanted) {
    const location = `${body.file}:${body.line}`
    const existing = missing.find((m) => m.rule === wanted.rule && m.wanted.join() === wanted.wanted.join())
    if (existing) existing.locations.push(location)
    else missing.push({ ...wanted, locations: [location] })
  }
  if (match.hint) report.hint = match.hint
  report.unmatched = match.unmatched
  const outcomes = match.choices.map((choice) => {
    report.schemas.push({
      pointer: choice.pointer,
      schema: choice.schema.id,
      by: choice.by,
      ...(choice.rule ? { rule: choice.rule } : {}),
      ...(choice.score !== undefined ? { score: choice.score } : {}),
    })
    const outcome = checkValue(choice.schema.schema, valueAt(value, choice.pointer), {
      base: choice.pointer,
      elisions,
      listUndefinedMembers: choice.rule !== 'extension',
      ...(lines ? { lines } : {}),
    })
    report.excused += outcome.excused
    return { pointer: choice.pointer, outcome, info: new Set(outcome.issues.filter((i) => i.severity === 'info').map((i) => i.pointer)) }
  })
  const seen = new Set<string>()
  outcomes.forEach(({ outcome }, index) => {
    for (const issue of outcome.issues) {
      // A member one schema does not define is fine when another schema checked on the same object defines it.
      if (issue.severity === 'info' && outcomes.some((o, j) => j !== index && o.pointer === parentOf(issue.pointer) && !o.info.has(issue.pointer))) continue
      const key = `${issue.pointer} ${issue.keyword} ${issue.message}`
      if (seen.has(key)) continue
      seen.add(key)
      const explaining = report.disagreements[entries.findIndex((e) => covers(e, issue.pointer))]
      report.issues.push(explaining === undefined ? issue : { ...issue, explainedBy: explaining })
    }
  })
  const mainChoices = match.choices.filter((c) => c.rule !== 'extension' && c.rule !== 'nested-authorization-details')
  if (mainChoices.length === 0) report.status = 'unmatched'
  else report.status = report.issues.some((i) => i.severity === 'error') ? 'fail' : 'pass'
  return report
}

/** The report of a body before anything is known about it: the one place its location fields are copied. */
function blankReport(body: ExtractedBody): ExampleReport {
  return {
    file: body.file,
    line: body.line,
    endLine: body.endLine,
    origin: body.origin,
    role: body.role,
    mediaType: body.mediaType,
    ordinal: body.ordinal,
    parse: 'form',
    syntax: [],
    partial: false,
    schemas: [],
    unmatched: [],
    status: 'unmatched',
    issues: [],
    excused: 0,
    disagreements: [],
  }
}

function internalFailure(body: ExtractedBody, error: unknown): ExampleReport {
  return {
    ...blankReport(body),
    parse: body.mediaType === 'form' ? 'form' : 'repaired',
    status: 'fail',
    issues: [{ pointer: '', keyword: 'internal', severity: 'error', message: `the check itself failed: ${error instanceof Error ? error.message : String(error)}` }],
  }
}

/** Adds up a list of example reports. */
export function summarize(examples: readonly ExampleReport[], files: number): SpecCheckSummary {
  const summary: SpecCheckSummary = {
    files,
    examples: examples.length,
    json: { clean: 0, repaired: 0, unparseable: 0 },
    form: 0,
    checked: 0,
    pass: 0,
    passWithWarnings: 0,
    fail: 0,
    unmatched: 0,
  }
  for (const example of examples) {
    if (example.parse === 'form') summary.form++
    else summary.json[example.parse]++
    if (example.status === 'pass' || example.status === 'fail') summary.checked++
    if (example.status === 'pass') {
      summary.pass++
      if (example.issues.some((i) => i.severity === 'warning')) summary.passWithWarnings++
    }
    if (example.status === 'fail') summary.fail++
    if (example.status === 'unmatched') summary.unmatched++
  }
  return summary
}

/**
 * Checks every example of the given Markdown files and returns the structured report.
 * Never throws for content problems; an unreadable file is an error (the CLI checks first).
 *
 * @example
 * ```ts
 * const report = await checkSpecFiles(['../shared/specs/cds-wg1-01.md'])
 * report.summary // { examples: 2, checked: 2, pass: 0, fail: 2, … }
 * ```
 */
export async function checkSpecFiles(paths: readonly string[], options: SpecCheckOptions = {}): Promise<SpecCheckReport> {
  const known = options.disagreements ?? KNOWN_DISAGREEMENTS
  const disagreements: KnownDisagreement[] = []
  const registerEntry = (entry: KnownDisagreement) => {
    const at = disagreements.indexOf(entry)
    if (at !== -1) return at
    disagreements.push(entry)
    return disagreements.length - 1
  }
  const missingSchemas: SpecCheckReport['missingSchemas'] = []
  const files: SpecCheckReport['files'] = []
  const examples: ExampleReport[] = []
  for (const path of paths) {
    const file = basename(path)
    const markdown = await readFile(path, 'utf8')
    const extraction = extractExamples(file, markdown)
    files.push({ file, path, blocks: extraction.blocks, skippedBlocks: extraction.skippedBlocks.length, examples: extraction.bodies.length })
    for (const body of extraction.bodies) {
      try {
        examples.push(checkBody(body, known, registerEntry, missingSchemas))
      } catch (error) {
        // The check must finish for every other example; report this one as failed.
        examples.push(internalFailure(body, error))
      }
    }
  }
  const registry = schemaRegistry()
  return {
    files,
    examples,
    summary: summarize(examples, files.length),
    missingSchemas,
    disagreements,
    registry: { schemas: registry.size, objectSchemas: [...registry.values()].filter((e) => isObjectSchema(e.schema)).length },
  }
}

/**
 * The folder of the pinned drafts: `$CDS_SPECS_DIR`, else `../shared/specs` beside the
 * repository root (the folder that holds `packages/`).
 */
export function defaultSpecsDir(): string {
  const fromEnv = process.env.CDS_SPECS_DIR
  if (fromEnv) return resolve(fromEnv)
  // {src,dist}/spec-check/ → packages/schema → packages → repository root.
  const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
  return resolve(repoRoot, '../shared/specs')
}
