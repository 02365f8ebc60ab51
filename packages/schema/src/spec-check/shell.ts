/**
 * Takes example bodies out of the shell transcripts of the overview pages (`curl … | jq "."`
 * followed by the JSON it printed): request bodies given with `--data-raw`, JSON-valued form
 * fields given with `-d`, JSON assigned to shell variables, and the printed responses.
 *
 * @module
 */
import { isJsonValue, targetPath, type FoundBody } from './http.js'
import type { HttpContext } from './types.js'

interface ShellArg {
  value: string
  /** Offset of the argument's first character in the command text. */
  offset: number
  /** Offset of the first character inside the quotes (equal to `offset` when unquoted). */
  valueOffset: number
  quoted: boolean
}

/** Splits a shell command into arguments, stopping at a pipe or a closing parenthesis. */
function shellArgs(command: string): ShellArg[] {
  const args: ShellArg[] = []
  let i = 0
  while (i < command.length) {
    const c = command.charAt(i)
    if (c === '\\' && command[i + 1] === '\n') {
      i += 2
      continue
    }
    if (/\s/.test(c)) {
      i++
      continue
    }
    if (c === '|' || c === ')') break
    const offset = i
    let value = ''
    let valueOffset = i
    let quoted = false
    while (i < command.length && !/\s/.test(command.charAt(i)) && command[i] !== '|' && command[i] !== ')') {
      const d = command.charAt(i)
      if (d === '"' || d === "'") {
        quoted = true
        valueOffset = value === '' ? i + 1 : valueOffset
        const close = d
        i++
        while (i < command.length && command[i] !== close) {
          if (close === '"' && command[i] === '\\' && i + 1 < command.length && '"\\$`\n'.includes(command.charAt(i + 1))) {
            if (command[i + 1] !== '\n') value += command.charAt(i + 1)
            i += 2
            continue
          }
          value += command.charAt(i)
          i++
        }
        i++
        continue
      }
      value += d
      i++
    }
    args.push({ value, offset, valueOffset, quoted })
  }
  return args
}

const FLAGS_WITH_VALUE = new Set(['-X', '--request', '-H', '--header', '-u', '--user', '-d', '--data', '--data-raw', '--data-urlencode', '-o'])
const DATA_FLAGS = new Set(['-d', '--data', '--data-raw', '--data-urlencode'])

interface Curl {
  http: HttpContext
  bodies: FoundBody[]
}

function lineAt(text: string, offset: number, firstLine: number): number {
  let line = firstLine
  for (let k = 0; k < offset && k < text.length; k++) if (text[k] === '\n') line++
  return line
}

function readCurl(command: string, firstLine: number): Curl {
  const args = shellArgs(command.slice(command.indexOf('curl') + 4))
  const base = command.indexOf('curl') + 4
  const http: HttpContext = { headers: [] }
  const bodies: FoundBody[] = []
  let hasData = false
  const form: Array<{ name: string; value: string; line: number; endLine: number }> = []
  for (let k = 0; k < args.length; k++) {
    const arg = args[k]
    if (!arg) break
    if (FLAGS_WITH_VALUE.has(arg.value) && !arg.quoted) {
      const next = args[++k]
      if (!next) break
      if (arg.value === '-X' || arg.value === '--request') http.method = next.value
      if (arg.value === '-H' || arg.value === '--header') {
        const colon = next.value.indexOf(':')
        if (colon > 0) http.headers.push([next.value.slice(0, colon).trim(), next.value.slice(colon + 1).trim()])
      }
      if (DATA_FLAGS.has(arg.value)) {
        hasData = true
        const at = lineAt(command, base + next.valueOffset, firstLine)
        const end = at + (next.value.match(/\n/g)?.length ?? 0)
        if (isJsonValue(next.value)) {
          bodies.push({ line: at, endLine: end, origin: 'shell-data', role: 'request', mediaType: 'json', text: next.value, notes: [] })
        } else {
          const eq = next.value.indexOf('=')
          // curl -d sends the text as written (no encoding); each `name=value` is a form field.
          if (eq > 0) form.push({ name: next.value.slice(0, eq), value: next.value.slice(eq + 1), line: at, endLine: end })
        }
      }
      continue
    }
    if (arg.value.startsWith('-')) continue
    http.target = arg.value
  }
  http.method ??= hasData ? 'POST' : 'GET'
  if (http.target) {
    const path = targetPath(http.target)
    if (path) http.path = path
  }
  const first = form[0]
  const last = form[form.length - 1]
  if (first && last) {
    const fields = form.map((f): [string, string] => [f.name, f.value])
    const text = form.map((f) => `${f.name}=${f.value}`).join('&')
    bodies.push({ line: first.line, endLine: last.endLine, origin: 'shell-data', role: 'request', mediaType: 'form', text, form: fields, notes: [] })
    for (const f of form) {
      if (isJsonValue(f.value)) {
        bodies.push({ line: f.line, endLine: f.endLine, origin: 'form-parameter', role: 'request', mediaType: 'json', text: f.value, parameter: f.name, notes: [] })
      }
    }
  }
  for (const body of bodies) body.http = http
  return { http, bodies }
}

/** True when a shell text ends inside a quoted string (the command continues on the next line). */
function quoteOpen(text: string): boolean {
  let quote: string | undefined
  for (let k = 0; k < text.length; k++) {
    const c = text.charAt(k)
    if (quote === '"') {
      if (c === '\\') k++
      else if (c === '"') quote = undefined
    } else if (quote === "'") {
      if (c === "'") quote = undefined
    } else if (c === '\\') {
      k++
    } else if (c === '"' || c === "'") {
      quote = c
    } else if (c === '#' && (k === 0 || /\s/.test(text.charAt(k - 1)))) {
      const end = text.indexOf('\n', k)
      if (end === -1) return false
      k = end
    }
  }
  return quote !== undefined
}

/** Takes every body out of a shell transcript block. */
export function extractShell(lines: string[], firstLine: number): FoundBody[] {
  const found: FoundBody[] = []
  let lastCurl: HttpContext | undefined
  let i = 0
  while (i < lines.length) {
    const text = lines[i] ?? ''
    // A command, with its continuation lines.
    if (/\bcurl\s/.test(text) && !text.trimStart().startsWith('#')) {
      const start = i
      let command = text
      while (i < lines.length - 1 && (/\\\s*$/.test(lines[i] ?? '') || quoteOpen(command))) command += `\n${lines[++i] ?? ''}`
      const curl = readCurl(command, firstLine + start)
      lastCurl = curl.http
      found.push(...curl.bodies)
      i++
      continue
    }
    // JSON assigned to a variable: NAME='{ … }'.
    const assignment = /^([A-Z_][A-Z0-9_]*)='\s*([[{].*)$/.exec(text)
    if (assignment) {
      const start = i
      const body: string[] = [assignment[2] ?? '']
      while (!/'\s*$/.test(body[body.length - 1] ?? '') && i < lines.length - 1) body.push(lines[++i] ?? '')
      body[body.length - 1] = (body[body.length - 1] ?? '').replace(/'\s*$/, '')
      found.push({
        line: firstLine + start,
        endLine: firstLine + i,
        origin: 'shell-data',
        role: 'standalone',
        mediaType: 'json',
        text: body.join('\n'),
        parameter: assignment[1] ?? '',
        notes: [],
      })
      i++
      continue
    }
    // Printed JSON: starts with `{` or `[` in the first column, ends with the matching line.
    if (/^[[{]\s*(#.*)?$/.test(text)) {
      const close = text.startsWith('{') ? '}' : ']'
      const start = i
      while (i < lines.length - 1 && !new RegExp(`^\\${close}\\s*(#.*)?$`).test(lines[i] ?? '')) i++
      const http: HttpContext = lastCurl ? { ...lastCurl, headers: [] } : { headers: [] }
      found.push({
        line: firstLine + start,
        endLine: firstLine + i,
        origin: 'shell-output',
        role: lastCurl ? 'response' : 'standalone',
        ...(lastCurl ? { http } : {}),
        mediaType: 'json',
        text: lines.slice(start, i + 1).join('\n'),
        notes: [],
      })
      i++
      continue
    }
    i++
  }
  return found.map((body) => ({ ...body, shell: true }))
}

/** True when a block is a shell transcript. */
export function looksLikeShell(lines: string[], info: string): boolean {
  return /^(?:sh|bash|shell|console|zsh)$/i.test(info) || lines.some((l) => /\bcurl\s/.test(l))
}
