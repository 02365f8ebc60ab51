/**
 * Finds the example bodies of a spec Markdown file: every fenced code block and HTML `<pre>`
 * block, the heading (section number and title) it sits under, and the bodies inside it —
 * HTTP request and response bodies, bare JSON blocks, JSON-valued form fields and query
 * parameters, and the JSON of shell transcripts.
 *
 * @module
 */
import { extractHttp, extractUrl, looksLikeHttp, looksLikeUrl, type FoundBody } from './http.js'
import { extractShell, looksLikeShell } from './shell.js'
import type { CodeBlock, ExtractedBody, Heading } from './types.js'

export type { CodeBlock, ExtractedBody, Heading } from './types.js'

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }

function decodeEntities(text: string): string {
  return text.replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)))
    return ENTITIES[name.toLowerCase()] ?? whole
  })
}

/** Reads a heading line: title without anchors and permalink marks, section number, anchor id. */
export function parseHeading(text: string, line: number): Heading | undefined {
  const match = HEADING.exec(text)
  if (!match) return undefined
  const raw = match[2] ?? ''
  const anchor = /\bid="([^"]+)"/.exec(raw)?.[1]
  let title = raw
    .replace(/<a\b[^>]*>.*?<\/a>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/🔗/g, '')
    .trim()
  const number = /^((?:[A-Z]\.?)?\d+(?:\.\d+)*)\.?\s+/.exec(title)
  const heading: Heading = { title, level: (match[1] ?? '').length, line }
  if (number) {
    heading.number = number[1] ?? ''
    title = title.slice(number[0].length).trim()
    heading.title = title
  }
  if (anchor) heading.anchor = anchor
  return heading
}

/** Every code block of a Markdown text, with the heading it sits under. */
export function findCodeBlocks(file: string, markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/)
  const blocks: CodeBlock[] = []
  let heading: Heading | undefined
  let i = 0
  while (i < lines.length) {
    const text = lines[i] ?? ''
    const fence = FENCE.exec(text)
    if (fence) {
      const marker = fence[1] ?? ''
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`)
      const start = i + 1
      i++
      while (i < lines.length && !close.test(lines[i] ?? '')) i++
      blocks.push({ file, kind: 'fence', info: fence[2] ?? '', firstLine: start + 1, lines: lines.slice(start, i), ...(heading ? { heading } : {}) })
      i++
      continue
    }
    if (/<pre\b/i.test(text)) {
      // Everything up to </pre> is the block, fences inside included.
      const start = i
      const content: string[] = []
      let first = text.replace(/^.*?<pre\b[^>]*>/i, '')
      for (;;) {
        const end = /<\/pre>/i.exec(first)
        if (end) {
          content.push(first.slice(0, end.index))
          break
        }
        content.push(first)
        if (++i >= lines.length) break
        first = lines[i] ?? ''
      }
      const cleaned = content.map((l) => decodeEntities(l.replace(/<\/?code\b[^>]*>/gi, '')))
      // Drop the empty line left where `<pre>` or `<code>` stood alone, keeping line numbers right.
      let offset = 0
      while (cleaned.length > 0 && (cleaned[0] ?? '').trim() === '') {
        cleaned.shift()
        offset++
      }
      blocks.push({ file, kind: 'pre', info: 'html', firstLine: start + 1 + offset, lines: cleaned, ...(heading ? { heading } : {}) })
      i++
      continue
    }
    const parsed = parseHeading(text, i + 1)
    if (parsed) heading = parsed
    i++
  }
  return blocks
}

/** What a block holds, judged from its info string and content. */
export type BlockKind = 'http' | 'url' | 'json' | 'shell' | 'other'

/** Classifies a code block. */
export function classifyBlock(block: CodeBlock): BlockKind {
  const info = block.info.toLowerCase()
  if (['mermaid', 'python', 'py', 'ts', 'typescript', 'sql', 'yaml', 'yml', 'diff'].includes(info)) return 'other'
  if (looksLikeHttp(block.lines)) return 'http'
  if (block.kind === 'pre' || looksLikeShell(block.lines, info)) return looksLikeShell(block.lines, info) ? 'shell' : 'other'
  if (looksLikeUrl(block.lines)) return 'url'
  const first = block.lines.find((l) => l.trim() !== '')?.trim() ?? ''
  if (['json', 'json5', 'jsonc'].includes(info)) return 'json'
  if (/^[[{]/.test(first) || /^"[^"]+"\s*:/.test(first)) return 'json'
  return 'other'
}

/** Takes the bodies out of one block. */
export function extractBlock(block: CodeBlock): FoundBody[] {
  switch (classifyBlock(block)) {
    case 'http':
      return extractHttp(block.lines, block.firstLine)
    case 'url':
      return extractUrl(block.lines, block.firstLine)
    case 'shell':
      return extractShell(block.lines, block.firstLine)
    case 'json': {
      let start = 0
      let end = block.lines.length
      while (start < end && (block.lines[start] ?? '').trim() === '') start++
      while (end > start && (block.lines[end - 1] ?? '').trim() === '') end--
      if (start === end) return []
      const line = block.firstLine + start
      return [{ line, endLine: block.firstLine + end - 1, origin: 'json-block', role: 'standalone', mediaType: 'json', text: block.lines.slice(start, end).join('\n'), notes: [] }]
    }
    default:
      return []
  }
}

/** What {@link extractExamples} returns for one file. */
export interface FileExtraction {
  file: string
  blocks: number
  /** Blocks that hold no example body (diagrams, code, outlines). */
  skippedBlocks: Array<{ line: number; info: string }>
  bodies: ExtractedBody[]
}

/** Finds every example body of a Markdown text. `file` names it in the results. */
export function extractExamples(file: string, markdown: string): FileExtraction {
  const blocks = findCodeBlocks(file, markdown)
  const bodies: ExtractedBody[] = []
  const skippedBlocks: Array<{ line: number; info: string }> = []
  const perSection = new Map<string, number>()
  for (const block of blocks) {
    const found = extractBlock(block)
    if (found.length === 0) skippedBlocks.push({ line: block.firstLine - 1, info: block.info || classifyBlock(block) })
    for (const body of found) {
      const key = block.heading ? String(block.heading.line) : '-'
      const ordinal = (perSection.get(key) ?? 0) + 1
      perSection.set(key, ordinal)
      bodies.push({ ...body, file, ordinal, ...(block.heading ? { heading: block.heading } : {}) })
    }
  }
  return { file, blocks: blocks.length, skippedBlocks, bodies }
}
