/**
 * Checks one parsed example value against one schema and says, for every problem, where it
 * is (JSON Pointer and line), how bad it is, and whether the example's own elisions excuse it.
 *
 * - `error`: a client reading leniently (CDS-WG1-01 §6, CDS-WG1-02 §10) would refuse the value
 *   too: a missing required member, a wrong type, `null` where not allowed.
 * - `warning`: only the strict check a server applies to its own output refuses it: an enum
 *   string the spec does not define, an inexact decimal.
 * - `info`: a member the schema does not define. Extensions are allowed, so this never fails an
 *   example, but it shows typos and members a draft dropped or renamed.
 *
 * @module
 */
import { parentOf } from './json-pointer.js'
import type { TSchema } from 'typebox'
import { checkStrict, parseLenient, type Issue } from '../common/validate.js'
import { explainIssue } from './explain.js'
import type { Elision } from './lenient-json.js'

/** One problem of an example value. */
export interface CheckIssue {
  /** JSON Pointer into the example body. */
  pointer: string
  message: string
  keyword: string
  severity: 'error' | 'warning' | 'info'
  /** Line in the file, when known (the line of the member, or of its nearest enclosing value). */
  line?: number
}

/** What {@link checkValue} returns. */
export interface CheckOutcome {
  issues: CheckIssue[]
  /** Problems not reported because the example elides that part (`...`). */
  excused: number
}

/** Options of {@link checkValue}. */
export interface CheckOptions {
  /** Pointer of the checked value inside the body (`''`, or `/0` for an array item). */
  base?: string
  elisions?: Elision[]
  lines?: Map<string, number>
  /** List members the schema does not define (`info`). Default `true`; off for extension schemas, which describe only their own members. */
  listUndefinedMembers?: boolean
}

const REQUIRED_PROPERTIES = /required propert(?:y|ies)\s+(.+?)(?: \((.+)\))?$/

/** Splits "must have required properties a, b" into one issue per missing member, at its own pointer. */
function expand(issue: Issue): Issue[] {
  if (issue.keyword !== 'required') return [issue]
  const match = REQUIRED_PROPERTIES.exec(issue.message)
  if (!match?.[1]) return [issue]
  const reason = match[2] ? ` (${match[2]})` : ''
  return match[1]
    .split(/,\s*/)
    .map((n) => n.replace(/^['"]|['"]$/g, '').trim())
    .filter((n) => n !== '')
    .map((name) => ({ path: `${issue.path}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, message: `required member missing${reason}`, keyword: 'required' }))
}

// Keywords an object with elided members cannot be blamed for.
const MEMBER_KEYWORDS = new Set(['required', 'if', 'then', 'anyOf', 'oneOf', 'minProperties', 'dependentRequired'])
const ITEM_KEYWORDS = new Set(['minItems', 'contains', 'minContains', 'uniqueItems'])

/** True when the example's elisions excuse an issue. */
export function excused(issue: { pointer: string; keyword: string }, elisions: readonly Elision[]): boolean {
  for (const elision of elisions) {
    const at = elision.pointer
    if (elision.kind === 'value' && (issue.pointer === at || issue.pointer.startsWith(`${at}/`))) return true
    if (elision.kind === 'members' && MEMBER_KEYWORDS.has(issue.keyword)) {
      const owner = issue.keyword === 'required' ? parentOf(issue.pointer) : issue.pointer
      if (owner === at) return true
    }
    if (elision.kind === 'items' && ITEM_KEYWORDS.has(issue.keyword) && issue.pointer === at) return true
  }
  return false
}

/** The line of a pointer, or of its nearest ancestor that has one. */
export function lineOf(pointer: string, lines: Map<string, number> | undefined): number | undefined {
  if (!lines) return undefined
  let p = pointer
  for (;;) {
    const line = lines.get(p)
    if (line !== undefined) return line
    if (p === '') return undefined
    p = parentOf(p)
  }
}

/**
 * Checks a parsed value (decimals as `Decimal`) against a schema: strictly, then leniently to
 * grade each problem, then closed to list members the schema does not define.
 */
export function checkValue(schema: TSchema, value: unknown, options: CheckOptions = {}): CheckOutcome {
  const base = options.base ?? ''
  const elisions = options.elisions ?? []
  const explain = (issue: Issue) => explainIssue(schema, value, issue).flatMap(expand)
  const rawStrict = checkStrict(schema, value)
  const strict = rawStrict.flatMap(explain)
  const lenient = parseLenient(schema, value)
  const lenientErrors = lenient.ok ? [] : lenient.errors.flatMap(explain)
  const errorKeys = new Set(lenientErrors.map((i) => `${i.path} ${i.keyword}`))
  const graded: CheckIssue[] = []
  const seen = new Set<string>()
  const add = (issue: Issue, severity: CheckIssue['severity']) => {
    const key = `${issue.path} ${issue.keyword} ${issue.message}`
    if (seen.has(key)) return
    seen.add(key)
    graded.push({ pointer: `${base}${issue.path}`, message: issue.message, keyword: issue.keyword, severity })
  }
  for (const issue of strict) {
    const lenientToo = errorKeys.has(`${issue.path} ${issue.keyword}`)
    const strictOnly = issue.keyword === 'enum' || issue.keyword === 'decimal'
    add(issue, lenientToo || !strictOnly ? 'error' : 'warning')
  }
  for (const issue of lenientErrors) add(issue, 'error')
  // Extension members are allowed (CDS-WG1-01 §6, CDS-WG1-02 §10): listed, never failed.
  const open = new Set(rawStrict.map((i) => `${i.path} ${i.keyword}`))
  for (const issue of options.listUndefinedMembers === false ? [] : checkStrict(schema, value, { closed: true })) {
    // Only what the closed check adds: a failed schema for extra members is already an error above.
    if (issue.keyword !== 'additionalProperties' || open.has(`${issue.path} ${issue.keyword}`)) continue
    add({ ...issue, message: 'member not defined by the schema (allowed as an extension)' }, 'info')
  }
  // A raw message that an explained one repeats with its reason adds nothing.
  const explained = (issue: CheckIssue) =>
    graded.some((other) => other !== issue && other.pointer === issue.pointer && other.keyword === issue.keyword && other.message.startsWith(`${issue.message} (`))
  let excusedCount = 0
  const issues: CheckIssue[] = []
  for (const issue of graded.filter((i) => !explained(i))) {
    if (issue.severity !== 'info' && excused(issue, elisions)) {
      excusedCount++
      continue
    }
    const line = lineOf(issue.pointer, options.lines)
    issues.push(line === undefined ? issue : { ...issue, line })
  }
  return { issues, excused: excusedCount }
}
