/**
 * Splits the `==Request==` / `==Response==` HTTP messages of the spec examples (CDS-WG1-01 §7,
 * CDS-WG1-02 §12, CDS-WG3-01 §13) into start line, headers and body, and takes JSON values out
 * of form bodies and query strings (RFC 6749 §4.1.1 and RFC 9396 §2 put `authorization_details`
 * there as URL-encoded JSON).
 *
 * @module
 */
import type { ExtractNote, ExtractedBody, HttpContext } from './types.js'

/** A body found in a block, before file, heading and ordinal are attached. */
export type FoundBody = Omit<ExtractedBody, 'file' | 'heading' | 'ordinal'>

const REQUEST_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)(?:\s+HTTP\/[\d.]+)?\s*$/
const STATUS_LINE = /^HTTP\/[\d.]+\s+(\d{3})\b/
const HEADER_LINE = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/
const MARKER = /^==\s*(Request|Response)\s*==$/i

/** True when a block reads as HTTP messages. */
export function looksLikeHttp(lines: string[]): boolean {
  if (lines.some((l) => MARKER.test(l.trim()))) return true
  const first = lines.find((l) => l.trim() !== '')?.trim() ?? ''
  return REQUEST_LINE.test(first) || STATUS_LINE.test(first)
}

// Names the examples give endpoints (shell variables, `{ASM.x}` templates), with the path each stands for.
const ENDPOINT_HINTS: Array<[RegExp, string]> = [
  [/oauth_metadata|authorization_server_metadata|oauth-authorization-server/i, '/.well-known/oauth-authorization-server'],
  [/cds_metadata|cds_server_metadata|cds-server-metadata/i, '/.well-known/cds-server-metadata.json'],
  [/registration_endpoint/i, '/oauth/register'],
  [/pushed_authorization_request_endpoint|par_endpoint/i, '/oauth/par'],
  [/introspection_endpoint/i, '/oauth/introspect'],
  [/revocation_endpoint/i, '/oauth/revoke'],
  [/token_endpoint/i, '/oauth/token'],
  [/authorization_endpoint/i, '/oauth/authorize'],
  [/cds_client_uri/i, '/cds-api/v1/clients/{client_id}'],
  [/clients_api/i, '/cds-api/v1/clients'],
  [/credentials_api/i, '/cds-api/v1/credentials'],
  [/grants_api/i, '/cds-api/v1/grants'],
  [/messages_api/i, '/cds-api/v1/messages'],
  [/server_provided_files_api/i, '/cds-api/v1/server-provided-files'],
  [/accounts_(?:endpoint|api)/i, '/cds-customerdata-api/v1/accounts'],
]

/** The path a request target stands for: a URL's path, a path, or the endpoint a variable names. */
export function targetPath(target: string): string | undefined {
  const trimmed = target.replace(/\s+/g, '')
  if (/^https?:\/\//i.test(trimmed)) {
    try {
      return new URL(trimmed).pathname
    } catch {
      return undefined
    }
  }
  if (trimmed.startsWith('/')) return trimmed.split('?')[0]
  const name = trimmed.split('?')[0] ?? ''
  for (const [pattern, path] of ENDPOINT_HINTS) if (pattern.test(name)) return path
  // A relative path (`messages`, `grants/{id}`): read it from the root.
  if (/^[a-z][\w.-]*(?:\/\S*)?$/.test(name)) return `/${name}`
  return undefined
}

/** Decodes `application/x-www-form-urlencoded` text (also used for query strings). */
export function decodeForm(text: string, line: number, notes: ExtractNote[]): Array<[string, string]> {
  const fields: Array<[string, string]> = []
  for (const part of text.split('&')) {
    if (part === '') continue
    const eq = part.indexOf('=')
    const rawName = eq === -1 ? part : part.slice(0, eq)
    const rawValue = eq === -1 ? '' : part.slice(eq + 1)
    fields.push([decodeComponent(rawName, line, notes), decodeComponent(rawValue, line, notes)])
  }
  return fields
}

function decodeComponent(text: string, line: number, notes: ExtractNote[]): string {
  const plus = text.replace(/\+/g, ' ')
  try {
    return decodeURIComponent(plus)
  } catch {
    // A cut-off escape (`%2`) at the end: decode what is whole.
    notes.push({ line, message: `malformed percent-encoding in ${JSON.stringify(text.slice(0, 40))}…; decoded what could be` })
    return plus.replace(/(%[\dA-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run
      }
    })
  }
}

/** True when a decoded field value is JSON (an array or an object). */
export function isJsonValue(value: string): boolean {
  return /^\s*[[{]/.test(value)
}

/** JSON-valued fields of a decoded form or query, as bodies of their own. */
export function jsonFields(
  fields: Array<[string, string]>,
  line: (name: string) => number,
  origin: 'form-parameter' | 'url-parameter',
  http: HttpContext | undefined,
  role: 'request' | 'response' | 'standalone',
): FoundBody[] {
  const found: FoundBody[] = []
  for (const [name, value] of fields) {
    if (!isJsonValue(value)) continue
    const at = line(name)
    found.push({ line: at, endLine: at, origin, role, ...(http ? { http } : {}), mediaType: 'json', text: value, parameter: name, notes: [] })
  }
  return found
}

interface Message {
  role?: 'request' | 'response'
  lines: string[]
  firstLine: number
}

function splitMessages(lines: string[], firstLine: number): Message[] {
  const messages: Message[] = []
  let current: Message = { lines: [], firstLine }
  lines.forEach((text, index) => {
    const marker = MARKER.exec(text.trim())
    if (marker) {
      if (current.role || current.lines.some((l) => l.trim() !== '')) messages.push(current)
      current = { role: (marker[1] ?? '').toLowerCase() === 'request' ? 'request' : 'response', lines: [], firstLine: firstLine + index + 1 }
      return
    }
    current.lines.push(text)
  })
  if (current.role || current.lines.some((l) => l.trim() !== '')) messages.push(current)
  return messages
}

/** Takes every body out of a block of HTTP messages. */
export function extractHttp(lines: string[], firstLine: number): FoundBody[] {
  const found: FoundBody[] = []
  let lastRequest: HttpContext | undefined
  for (const message of splitMessages(lines, firstLine)) {
    let i = message.lines.findIndex((l) => l.trim() !== '')
    if (i === -1) continue
    const notes: ExtractNote[] = []
    const http: HttpContext = { headers: [] }
    const start = (message.lines[i] ?? '').trim()
    const request = REQUEST_LINE.exec(start)
    const status = STATUS_LINE.exec(start)
    let role = message.role
    if (request) {
      role ??= 'request'
      http.method = request[1] ?? ''
      http.target = request[2] ?? ''
      i++
      // A long target may continue on indented lines (`  &redirect_uri=…`).
      while (i < message.lines.length && /^\s+\S/.test(message.lines[i] ?? '')) http.target += (message.lines[i++] ?? '').trim()
      if (!/\sHTTP\/[\d.]+\s*$/.test(start)) notes.push({ line: message.firstLine + i - 1, message: 'request line without an HTTP version' })
    } else if (status) {
      role ??= 'response'
      http.status = Number(status[1])
      i++
    } else if (!/^[[{]/.test(start)) {
      continue
    }
    role ??= 'response'
    if (role === 'response' && lastRequest) {
      if (lastRequest.method) http.method = lastRequest.method
      if (lastRequest.target) http.target = lastRequest.target
    }
    if (http.target) {
      const path = targetPath(http.target)
      if (path) http.path = path
    }
    // Headers run to the first blank line.
    while (i < message.lines.length && (message.lines[i] ?? '').trim() !== '') {
      const header = HEADER_LINE.exec((message.lines[i] ?? '').trim())
      if (!header) break
      http.headers.push([header[1] ?? '', header[2] ?? ''])
      i++
    }
    const contentType = http.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1]
    if (contentType) http.contentType = contentType
    if (role === 'request') lastRequest = http
    if (role === 'request' && http.target?.includes('?')) {
      const query = http.target.slice(http.target.indexOf('?') + 1)
      const at = message.firstLine + message.lines.findIndex((l) => l.trim() !== '')
      found.push(...jsonFields(decodeForm(query, at, notes), () => at, 'url-parameter', http, 'request'))
    }
    const bodyLines = message.lines.slice(i)
    while (bodyLines.length > 0 && (bodyLines[0] ?? '').trim() === '') {
      bodyLines.shift()
      i++
    }
    while (bodyLines.length > 0 && (bodyLines[bodyLines.length - 1] ?? '').trim() === '') bodyLines.pop()
    if (bodyLines.length === 0) continue
    const bodyLine = message.firstLine + i
    const text = bodyLines.join('\n')
    const type = (contentType ?? '').toLowerCase()
    const sniffedJson = /^\s*[[{]/.test(text)
    const sniffedForm = /^[\w.~%-]+=/.test(text.trim())
    if (type.includes('json') || (!type && sniffedJson) || (sniffedJson && !type.includes('form'))) {
      found.push({ line: bodyLine, endLine: bodyLine + bodyLines.length - 1, origin: `http-${role}`, role, http, mediaType: 'json', text, notes })
    } else if (type.includes('x-www-form-urlencoded') || (!type && sniffedForm)) {
      if (bodyLines.length > 1) notes.push({ line: bodyLine, message: `form body written over ${bodyLines.length} lines; joined into one` })
      // Form text has no raw spaces: what follows a run of spaces on a line is an annotation.
      const joined = bodyLines
        .map((l, k) => {
          // `[&name=value]` marks an optional field in the catalogs' shorthand.
          const unbracketed = l.trim().replace(/\[(&[^\]]*)\]\s*/g, '$1')
          const parts = unbracketed.split(/\s{2,}|\s+\(/)
          if (parts.length > 1) notes.push({ line: bodyLine + k, message: `text after the form field read as an annotation: ${unbracketed.slice((parts[0] ?? '').length).trim().slice(0, 40)}` })
          return parts[0] ?? ''
        })
        .join('')
      const form = decodeForm(joined, bodyLine, notes)
      const lineOf = (name: string) => bodyLine + Math.max(0, bodyLines.findIndex((l) => l.includes(`${name}=`)))
      found.push({ line: bodyLine, endLine: bodyLine + bodyLines.length - 1, origin: `http-${role}`, role, http, mediaType: 'form', text: joined, form, notes })
      found.push(...jsonFields(form, lineOf, 'form-parameter', http, role))
    }
    // Other bodies (a PDF download, prose placeholders) are not examples of a CDS object.
  }
  return found
}

/** Takes the JSON-valued query parameters out of a block that is one URL written over several lines. */
export function extractUrl(lines: string[], firstLine: number): FoundBody[] {
  const joined = lines.map((l) => l.trim()).join('')
  const q = joined.indexOf('?')
  if (q === -1) return []
  const notes: ExtractNote[] = []
  const http: HttpContext = { method: 'GET', target: joined, headers: [] }
  const path = targetPath(joined)
  if (path) http.path = path
  const fields = decodeForm(joined.slice(q + 1), firstLine, notes)
  const lineOf = (name: string) => firstLine + Math.max(0, lines.findIndex((l) => l.includes(`${name}=`)))
  return jsonFields(fields, lineOf, 'url-parameter', http, 'request')
}

/** True when a block is a single URL with a query, possibly broken over lines. */
export function looksLikeUrl(lines: string[]): boolean {
  const content = lines.filter((l) => l.trim() !== '')
  return content.length > 0 && /^https?:\/\/\S+$/.test((content[0] ?? '').trim()) && content.every((l) => !/\s/.test(l.trim()))
}
