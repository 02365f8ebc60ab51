/**
 * The tokenizer of the lenient JSON reader: JSON tokens plus what the spec examples add
 * (comments, single quotes, bare words, `...` elisions, `<placeholders>`). Comments are
 * dropped here and reported as problems.
 *
 * @module
 */
import type { SyntaxProblem } from './lenient-json.js'

/** Kinds of token. */
export type TokenType = 'punct' | 'string' | 'number' | 'ident' | 'ellipsis' | 'angle' | 'invalid'

/** One token with its position in the file. */
export interface Token {
  type: TokenType
  text: string
  line: number
  column: number
  /** For strings: the quote character, and whether the closing quote is missing. */
  quote?: string
  unterminated?: boolean
}

/** The RFC 8259 §6 number grammar. */
export const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const NUMBER_START = /[-+.\d]/
const NUMBER_TEXT = /^[-+]?(?:0[xX][\da-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Infinity|NaN)/
const IDENT_TEXT = /^[A-Za-z_$][\w$]*/
const ELLIPSIS_TEXT = /^(?:\.{3,}|…)(?:[A-Za-z_$][\w$.]*)?/

/** Splits example text into tokens; comments become `comment` problems. */
export function tokenize(text: string, firstLine: number, problems: SyntaxProblem[]): Token[] {
  const tokens: Token[] = []
  let i = 0
  let line = firstLine
  let lineStart = 0
  const at = (index: number) => ({ line, column: index - lineStart + 1 })
  while (i < text.length) {
    const c = text.charAt(i)
    if (c === '\n') {
      i++
      line++
      lineStart = i
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF' || c === '\u00A0') {
      i++
      continue
    }
    const rest = text.slice(i, i + 3)
    if (rest.startsWith('//') || c === '#') {
      const end = text.indexOf('\n', i)
      const stop = end === -1 ? text.length : end
      problems.push({ kind: 'comment', ...at(i), message: `comment removed: ${text.slice(i, stop).trim().slice(0, 60)}` })
      i = stop
      continue
    }
    if (rest.startsWith('/*')) {
      const end = text.indexOf('*/', i + 2)
      const stop = end === -1 ? text.length : end + 2
      problems.push({ kind: 'comment', ...at(i), message: 'block comment removed' })
      for (let k = i; k < stop; k++) {
        if (text[k] === '\n') {
          line++
          lineStart = k + 1
        }
      }
      i = stop
      continue
    }
    if ('{}[]:,'.includes(c)) {
      tokens.push({ type: 'punct', text: c, ...at(i) })
      i++
      continue
    }
    if (c === '"' || c === "'") {
      const start = at(i)
      let k = i + 1
      let closed = false
      while (k < text.length) {
        const d = text.charAt(k)
        if (d === '\\') {
          k += 2
          continue
        }
        if (d === c) {
          closed = true
          break
        }
        // A string never spans lines in these examples: an unclosed quote ends at the line end.
        if (d === '\n') break
        k++
      }
      const raw = text.slice(i, closed ? k + 1 : k)
      tokens.push({ type: 'string', text: raw, ...start, quote: c, unterminated: !closed })
      i = closed ? k + 1 : k
      continue
    }
    const tail = text.slice(i)
    const ellipsis = ELLIPSIS_TEXT.exec(tail)
    if (ellipsis) {
      tokens.push({ type: 'ellipsis', text: ellipsis[0], ...at(i) })
      i += ellipsis[0].length
      continue
    }
    if (NUMBER_START.test(c)) {
      const number = NUMBER_TEXT.exec(tail)
      if (number) {
        tokens.push({ type: 'number', text: number[0], ...at(i) })
        i += number[0].length
        continue
      }
    }
    const ident = IDENT_TEXT.exec(tail)
    if (ident) {
      tokens.push({ type: 'ident', text: ident[0], ...at(i) })
      i += ident[0].length
      continue
    }
    if (c === '<') {
      const end = text.indexOf('>', i)
      const newline = text.indexOf('\n', i)
      if (end !== -1 && (newline === -1 || end < newline)) {
        tokens.push({ type: 'angle', text: text.slice(i, end + 1), ...at(i) })
        i = end + 1
        continue
      }
    }
    tokens.push({ type: 'invalid', text: c, ...at(i) })
    i++
  }
  return tokens
}

