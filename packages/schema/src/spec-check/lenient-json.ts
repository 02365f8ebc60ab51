/**
 * A forgiving JSON reader for the examples of the CDS drafts.
 *
 * Most examples in CDS-WG1-01 §7, CDS-WG1-02 §12 and CDS-WG3-01 §13 are not strict JSON
 * (RFC 8259): they carry trailing commas, forget commas, hold comments, and elide content with
 * `...`. This reader repairs what can be repaired without guessing, lists every repair with its
 * line, and records which parts were elided so that the schema check does not blame an example
 * for what it left out on purpose. Single-quoted strings, unusual escapes and JSON5 number forms
 * are decoded with `json5`; the repaired text is then read by {@link parseJson}, so decimals stay
 * exact (CDS-WG3-01 §2).
 *
 * @module
 */
import { parseJson } from '../common/json.js'
import { Parser, pointerJoin, Unparseable, type Node } from './json-parser.js'
import { tokenize } from './json-tokens.js'

/** The kinds of syntax problem the reader repairs or reports. */
export type SyntaxProblemKind =
  | 'comment'
  | 'trailing-comma'
  | 'missing-comma'
  | 'extra-comma'
  | 'elision'
  | 'placeholder'
  | 'single-quoted'
  | 'unquoted-key'
  | 'unquoted-value'
  | 'json5-number'
  | 'control-character'
  | 'duplicate-key'
  | 'truncated'
  | 'fragment'
  | 'syntax'
  | 'http'
  | 'form'

/** One syntax problem: what, where (1-based line and column in the file), and how it was handled. */
export interface SyntaxProblem {
  kind: SyntaxProblemKind
  line: number
  column: number
  message: string
}

/** A part of the value the example leaves out: object members, array items, or a whole value. */
export interface Elision {
  /** JSON Pointer (RFC 6901) of the object, array or value concerned. */
  pointer: string
  kind: 'members' | 'items' | 'value'
}

/** What {@link parseLenientJson} returns. */
export interface LenientJsonResult {
  /** `clean`: strict JSON; `repaired`: parsed after repairs; `unparseable`: no value. */
  status: 'clean' | 'repaired' | 'unparseable'
  /** The value, with every non-integer number as an exact `Decimal`; absent when unparseable. */
  value?: unknown
  /** The repaired text as strict JSON; absent when unparseable. */
  text?: string
  problems: SyntaxProblem[]
  elisions: Elision[]
  /** Line (in the file) where the value at each JSON Pointer starts. */
  lines: Map<string, number>
}

/** Options of {@link parseLenientJson}. */
export interface LenientJsonOptions {
  /** Line number in the file of the first line of `text` (default 1). */
  firstLine?: number
  /** Read strings holding a shell variable (`"$CLIENT_ID"`) as elided values (shell transcripts). */
  shellVariables?: boolean
}

function serialize(node: Node, pointer: string, lines: Map<string, number>): string {
  lines.set(pointer, node.line)
  switch (node.kind) {
    case 'object': {
      const parts: string[] = []
      for (const [key, value] of node.members) parts.push(`${JSON.stringify(key)}:${serialize(value, pointerJoin(pointer, key), lines)}`)
      return `{${parts.join(',')}}`
    }
    case 'array':
      return `[${node.items.map((item, index) => serialize(item, pointerJoin(pointer, index), lines)).join(',')}]`
    case 'string':
      return JSON.stringify(node.value)
    case 'number':
      return node.text
    case 'literal':
      return node.text
  }
}

/**
 * Reads example JSON leniently: repairs what is unambiguous, lists every problem with its line,
 * and never throws. Decimals stay exact: the repaired text is read by {@link parseJson}.
 *
 * @example
 * ```ts
 * const r = parseLenientJson('{ "a": [1.10, ...], }')
 * r.status // 'repaired'; r.problems: elision, trailing comma; r.elisions: [{ pointer: '/a', kind: 'items' }]
 * ```
 */
export function parseLenientJson(text: string, options: LenientJsonOptions = {}): LenientJsonResult {
  const firstLine = options.firstLine ?? 1
  const problems: SyntaxProblem[] = []
  const lines = new Map<string, number>()
  const tokens = tokenize(text, firstLine, problems)
  const parser = new Parser(tokens, problems, options.shellVariables)
  let root: Node
  try {
    root = parser.parseDocument()
  } catch (error) {
    if (!(error instanceof Unparseable)) throw error
    return { status: 'unparseable', problems: sortProblems(problems), elisions: parser.elisions, lines }
  }
  const repaired = serialize(root, '', lines)
  let value: unknown
  try {
    value = parseJson(repaired)
  } catch (error) {
    problems.push({ kind: 'syntax', line: firstLine, column: 1, message: `repaired text still not JSON: ${(error as Error).message}` })
    return { status: 'unparseable', problems: sortProblems(problems), elisions: parser.elisions, lines }
  }
  if (problems.length === 0) {
    // Safety net: what the tokenizer accepted silently must also be strict JSON as written.
    try {
      parseJson(text)
    } catch (error) {
      problems.push({ kind: 'syntax', line: firstLine, column: 1, message: `not strict JSON: ${(error as Error).message}` })
    }
  }
  return {
    status: problems.length === 0 ? 'clean' : 'repaired',
    value,
    text: repaired,
    problems: sortProblems(problems),
    elisions: parser.elisions,
    lines,
  }
}

function sortProblems(problems: SyntaxProblem[]): SyntaxProblem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.column - b.column)
}
