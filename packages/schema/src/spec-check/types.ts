/**
 * Shared shapes of the spec example check: where a body was found and what it is.
 *
 * @module
 */

/** A Markdown heading: the section an example belongs to. */
export interface Heading {
  /** Heading text without anchors, permalink marks or the section number. */
  title: string
  /** Section number as written (`12.2`, `13.1.5`, `3.13`, `F1`), when the heading has one. */
  number?: string
  /** The `id` of the heading's anchor, when it has one. */
  anchor?: string
  level: number
  line: number
}

/** A code block of a Markdown file: a fenced block or an HTML `<pre>` block. */
export interface CodeBlock {
  file: string
  kind: 'fence' | 'pre'
  /** The info string of a fenced block (`json`, `mermaid`, …); empty when absent. */
  info: string
  /** Line number (1-based) of the first content line. */
  firstLine: number
  /** The content lines (HTML tags and entities already removed for `<pre>` blocks). */
  lines: string[]
  heading?: Heading
}

/** How a body was found. */
export type BodyOrigin =
  | 'http-request'
  | 'http-response'
  | 'json-block'
  | 'form-parameter'
  | 'url-parameter'
  | 'shell-output'
  | 'shell-data'

/** What the HTTP exchange around a body says. */
export interface HttpContext {
  method?: string
  /** The request target as written (may be a URL, a path, or a shell variable). */
  target?: string
  /** The path of the request target, when it could be told (query removed). */
  path?: string
  status?: number
  contentType?: string
  headers: Array<[string, string]>
}

/** A problem found while taking a body out of its block (before any JSON is read). */
export interface ExtractNote {
  line: number
  message: string
}

/** One example body, ready to be parsed and checked. */
export interface ExtractedBody {
  file: string
  /** Line of the first line of the body text in the file. */
  line: number
  /** Line of the last line of the body text. */
  endLine: number
  heading?: Heading
  origin: BodyOrigin
  role: 'request' | 'response' | 'standalone'
  http?: HttpContext
  mediaType: 'json' | 'form'
  /** The body text (for `form`, the raw encoded text; for parameters, the decoded value). */
  text: string
  /** Decoded form fields, for `form` bodies. */
  form?: Array<[string, string]>
  /** Parameter name, for JSON values taken from form fields, query parameters or shell variables. */
  parameter?: string
  /** True for bodies of shell transcripts, where `$NAME` stands for a value the example does not give. */
  shell?: boolean
  /** Position among the bodies of the same section (1-based), for stable keys. */
  ordinal: number
  notes: ExtractNote[]
}
