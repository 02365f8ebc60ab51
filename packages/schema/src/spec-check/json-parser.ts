/**
 * The parser of the lenient JSON reader: builds a JSON tree from the tokens, repairing what is
 * unambiguous (commas, elisions, placeholders, JSON5 forms) and reporting each repair.
 *
 * @module
 */
import JSON5 from 'json5'
import { JSON_NUMBER, type Token } from './json-tokens.js'
import type { Elision, SyntaxProblem, SyntaxProblemKind } from './lenient-json.js'

/** Thrown inside the parser when the text cannot be read; never escapes `parseLenientJson`. */
export class Unparseable extends Error {}

/** The intermediate tree: like JSON, but numbers keep their text and every node its line. */
export type Node =
  | { kind: 'object'; line: number; members: Map<string, Node> }
  | { kind: 'array'; line: number; items: Node[] }
  | { kind: 'string'; line: number; value: string }
  | { kind: 'number'; line: number; text: string }
  | { kind: 'literal'; line: number; text: 'true' | 'false' | 'null' }

/** Appends a member name or index to a JSON Pointer (RFC 6901 escaping). */
export function pointerJoin(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`
}

const PLACEHOLDER_STRINGS = new Set(['...', '…', '....'])

/** A recursive-descent reader that repairs as it goes and fails with `Unparseable`. */
export class Parser {
  private pos = 0
  readonly elisions: Elision[] = []

  constructor(
    private readonly tokens: Token[],
    private readonly problems: SyntaxProblem[],
    private readonly shellVariables = false,
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset]
  }

  private next(): Token | undefined {
    return this.tokens[this.pos++]
  }

  private report(kind: SyntaxProblemKind, token: Token | undefined, message: string): void {
    const last = this.tokens[this.tokens.length - 1]
    const where = token ?? last
    this.problems.push({ kind, line: where?.line ?? 0, column: where?.column ?? 0, message })
  }

  private fail(token: Token | undefined, message: string): never {
    this.report('syntax', token, token ? `${message} (found ${JSON.stringify(token.text)})` : `${message} (end of text)`)
    throw new Unparseable(message)
  }

  private isPunct(token: Token | undefined, text: string): boolean {
    return token?.type === 'punct' && token.text === text
  }

  private startsValue(token: Token | undefined): boolean {
    if (!token) return false
    if (token.type === 'punct') return token.text === '{' || token.text === '['
    return token.type !== 'invalid'
  }

  parseDocument(): Node {
    const first = this.peek()
    if (!first) this.fail(undefined, 'no JSON value')
    let root: Node
    // A bare list of members (`"a": 1, "b": 2`) is read as the inside of an object.
    if ((first.type === 'string' || first.type === 'ident') && this.isPunct(this.peek(1), ':')) {
      this.report('fragment', first, 'a list of members without enclosing braces; read as an object whose other members are elided')
      root = this.parseMembers('', first.line, undefined)
      this.elisions.push({ pointer: '', kind: 'members' })
    } else {
      root = this.parseValue('')
    }
    while (this.isPunct(this.peek(), ',')) {
      this.report('trailing-comma', this.peek(), 'comma after the value removed')
      this.pos++
    }
    const extra = this.peek()
    if (extra) this.fail(extra, 'unexpected text after the JSON value')
    return root
  }

  private parseValue(pointer: string): Node {
    const token = this.next()
    if (!token) {
      this.report('truncated', undefined, 'the text ends where a value was expected; read as elided')
      this.elisions.push({ pointer, kind: 'value' })
      return { kind: 'literal', line: this.tokens[this.tokens.length - 1]?.line ?? 0, text: 'null' }
    }
    switch (token.type) {
      case 'punct':
        if (token.text === '{') return this.parseObject(pointer, token)
        if (token.text === '[') return this.parseArray(pointer, token)
        return this.fail(token, 'a value was expected')
      case 'string':
        return this.stringNode(token, pointer, true)
      case 'number':
        return this.numberNode(token)
      case 'ident':
        if (token.text === 'true' || token.text === 'false' || token.text === 'null') return { kind: 'literal', line: token.line, text: token.text }
        if (token.text === 'Infinity' || token.text === 'NaN' || token.text === 'undefined') this.fail(token, `${token.text} has no JSON form`)
        if (token.text.startsWith('$')) {
          this.report('placeholder', token, `shell variable ${token.text} in place of a value; read as elided`)
          this.elisions.push({ pointer, kind: 'value' })
          return { kind: 'literal', line: token.line, text: 'null' }
        }
        this.report('unquoted-value', token, `unquoted word ${token.text} read as a string`)
        return { kind: 'string', line: token.line, value: token.text }
      case 'ellipsis':
        this.report('elision', token, `${token.text} in place of a value; read as elided`)
        this.elisions.push({ pointer, kind: 'value' })
        return { kind: 'literal', line: token.line, text: 'null' }
      case 'angle':
        this.report('placeholder', token, `${token.text} in place of a value; read as elided`)
        this.elisions.push({ pointer, kind: 'value' })
        return { kind: 'literal', line: token.line, text: 'null' }
      default:
        return this.fail(token, 'a value was expected')
    }
  }

  private stringNode(token: Token, pointer: string | undefined, asValue: boolean): Node & { kind: 'string' } {
    let raw = token.text
    if (token.unterminated) {
      this.report('truncated', token, 'string without its closing quote; closed at the end of the line')
      raw = `${raw.replace(/\\$/, '')}${token.quote ?? '"'}`
    }
    let value: string
    if (token.quote === "'") {
      this.report('single-quoted', token, 'single-quoted string read as a JSON string')
    }
    try {
      value = token.quote === '"' ? (JSON.parse(raw) as string) : String(JSON5.parse(raw))
    } catch {
      try {
        value = String(JSON5.parse(raw))
        this.report('syntax', token, 'string escape that JSON does not allow, decoded as JSON5')
      } catch {
        // Raw control characters (tabs) inside the quotes: keep the characters.
        value = raw.slice(1, -1)
        this.report('control-character', token, 'string with characters JSON does not allow unescaped; kept as written')
      }
    }
    if (asValue && pointer !== undefined && PLACEHOLDER_STRINGS.has(value.trim())) {
      this.report('placeholder', token, `the string ${JSON.stringify(value)} stands for an elided value`)
      this.elisions.push({ pointer, kind: 'value' })
    } else if (asValue && pointer !== undefined && this.shellVariables && /\$\{?[A-Za-z_]/.test(value)) {
      this.report('placeholder', token, `the string ${JSON.stringify(value)} holds a shell variable; read as elided`)
      this.elisions.push({ pointer, kind: 'value' })
    }
    return { kind: 'string', line: token.line, value }
  }

  private numberNode(token: Token): Node {
    let text = token.text
    if (JSON_NUMBER.test(text)) return { kind: 'number', line: token.line, text }
    if (/Infinity|NaN/.test(text)) this.fail(token, 'Infinity and NaN have no JSON form')
    if (/^[-+]?0[xX]/.test(text)) {
      const n = Number(JSON5.parse(text))
      if (!Number.isSafeInteger(n)) this.fail(token, 'hexadecimal number too large to convert exactly')
      text = String(n)
    } else {
      const sign = text.startsWith('-') ? '-' : ''
      text = text.replace(/^[-+]/, '')
      if (text.startsWith('.')) text = `0${text}`
      text = text.replace(/\.(?=[eE]|$)/, '')
      text = text.replace(/^0+(?=\d)/, '')
      text = `${sign}${text}`
    }
    if (!JSON_NUMBER.test(text)) this.fail(token, 'number that cannot be read exactly')
    this.report('json5-number', token, `number ${token.text} written as ${text}`)
    return { kind: 'number', line: token.line, text }
  }

  private parseObject(pointer: string, open: Token): Node {
    const node = this.parseMembers(pointer, open.line, '}')
    return node
  }

  /** Reads members up to `close` (or to the end of the text for a fragment). */
  private parseMembers(pointer: string, line: number, close: '}' | undefined): Node {
    const members = new Map<string, Node>()
    const node: Node = { kind: 'object', line, members }
    let elided = false
    for (;;) {
      const token = this.peek()
      if (!token) {
        if (close) {
          this.report('truncated', undefined, 'object not closed before the end of the text; closed, the rest read as elided')
          this.elisions.push({ pointer, kind: 'members' })
        }
        return node
      }
      if (close && this.isPunct(token, close)) {
        this.pos++
        return node
      }
      if (this.isPunct(token, ',')) {
        this.report('extra-comma', token, 'comma without a member before it removed')
        this.pos++
        continue
      }
      if (token.type === 'ellipsis' || token.type === 'angle') {
        this.pos++
        if (!elided) this.elisions.push({ pointer, kind: 'members' })
        elided = true
        this.report(token.type === 'ellipsis' ? 'elision' : 'placeholder', token, `${token.text} in place of members; the object is read as partial`)
        if (this.isPunct(this.peek(), ',')) this.pos++
        continue
      }
      const key = this.readKey(token)
      // `"<field id>": <value>`: a member whose name is a placeholder stands for members left out.
      if (/^<[^>]+>$/.test(key)) {
        if (!elided) this.elisions.push({ pointer, kind: 'members' })
        elided = true
        this.report('placeholder', token, `member name ${key} is a placeholder; the object is read as partial`)
        if (!this.isPunct(this.peek(), ':')) this.fail(this.peek(), `a colon was expected after the member name ${JSON.stringify(key)}`)
        this.pos++
        this.parseValue(pointerJoin(pointer, key))
        if (!this.afterItem(close, 'member')) return node
        continue
      }
      const memberPointer = pointerJoin(pointer, key)
      if (!this.isPunct(this.peek(), ':')) this.fail(this.peek(), `a colon was expected after the member name ${JSON.stringify(key)}`)
      this.pos++
      const value = this.parseValue(memberPointer)
      if (members.has(key)) {
        this.report('duplicate-key', token, `member ${JSON.stringify(key)} appears twice; the later value is used, as most JSON readers do`)
        members.delete(key)
      }
      members.set(key, value)
      if (!this.afterItem(close, 'member')) return node
    }
  }

  private readKey(token: Token): string {
    this.pos++
    if (token.type === 'string') return this.stringNode(token, undefined, false).value
    if (token.type === 'ident' || token.type === 'number') {
      this.report('unquoted-key', token, `member name ${token.text} without quotes`)
      return token.text
    }
    return this.fail(token, 'a member name was expected')
  }

  /** After a member or item: consumes a separator. Returns false when the container ended. */
  private afterItem(close: '}' | ']' | undefined, what: string): boolean {
    const token = this.peek()
    if (!token) return true
    if (this.isPunct(token, ',')) {
      this.pos++
      const following = this.peek()
      if (close && this.isPunct(following, close)) {
        this.report('trailing-comma', token, `comma after the last ${what} removed`)
      } else if (!close && !following) {
        this.report('trailing-comma', token, `comma after the last ${what} removed`)
      }
      return true
    }
    if (close && this.isPunct(token, close)) return true
    if (!close && !token) return true
    // An elision right after an item needs no comma: it stands for the items that follow.
    if (token.type === 'ellipsis' || token.type === 'angle') return true
    // Two members or items in a row with nothing between them: a forgotten comma.
    if (this.startsValue(token)) {
      this.report('missing-comma', token, `comma missing before this ${what}; inserted`)
      return true
    }
    return this.fail(token, `a comma or ${close ?? 'the end'} was expected`)
  }

  private parseArray(pointer: string, open: Token): Node {
    const items: Node[] = []
    const node: Node = { kind: 'array', line: open.line, items }
    let elided = false
    for (;;) {
      const token = this.peek()
      if (!token) {
        this.report('truncated', undefined, 'array not closed before the end of the text; closed, the rest read as elided')
        this.elisions.push({ pointer, kind: 'items' })
        return node
      }
      if (this.isPunct(token, ']')) {
        this.pos++
        return node
      }
      if (this.isPunct(token, ',')) {
        this.report('extra-comma', token, 'comma without an item before it removed')
        this.pos++
        continue
      }
      if (token.type === 'ellipsis' || token.type === 'angle') {
        this.pos++
        if (!elided) this.elisions.push({ pointer, kind: 'items' })
        elided = true
        this.report(token.type === 'ellipsis' ? 'elision' : 'placeholder', token, `${token.text} in place of items; the array is read as partial`)
        if (this.isPunct(this.peek(), ',')) this.pos++
        continue
      }
      items.push(this.parseValue(pointerJoin(pointer, items.length)))
      if (!this.afterItem(']', 'item')) return node
    }
  }
}

