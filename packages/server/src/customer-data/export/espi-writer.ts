/**
 * The XML text of a Green Button (NAESB ESPI) Atom feed, entry by entry, for the exporter. Every
 * string is built from the values given: the same data gives the same bytes (entry ids are
 * name-based UUIDs of their links, timestamps come from the data).
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import { createHash } from 'node:crypto'
import type { LocalTimeParameters } from '../import/local-time.js'

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Escapes text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c)
}

/** A name-based (SHA-1, version 5 layout) UUID URN of a link, so ids repeat between exports. */
export function entryId(namespace: string, href: string): string {
  const hex = createHash('sha1').update(`${namespace}\u0000${href}`).digest('hex')
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

/** The feed's opening: XML declaration, namespaces, id, title, updated and self link. */
export function feedStart(namespace: string, self: string, updated: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">\n' +
    `  <id>${entryId(namespace, self)}</id>\n` +
    '  <title>Green Button Usage Feed</title>\n' +
    `  <updated>${updated}</updated>\n` +
    `  <link rel="self" href="${escapeXml(self)}"/>\n`
  )
}

/** The feed's end. */
export const FEED_END = '</feed>\n'

/** One Atom entry around ESPI content (lines already indented for `<content>`). */
export function entry(
  namespace: string,
  links: { self: string; up: string; related?: readonly string[] },
  title: string,
  content: readonly string[],
  updated: string,
): string {
  const lines = [
    '  <entry>',
    `    <id>${entryId(namespace, links.self)}</id>`,
    `    <link rel="self" href="${escapeXml(links.self)}"/>`,
    `    <link rel="up" href="${escapeXml(links.up)}"/>`,
    ...(links.related ?? []).map((href) => `    <link rel="related" href="${escapeXml(href)}"/>`),
    `    <title>${escapeXml(title)}</title>`,
    '    <content>',
    ...content.map((line) => `      ${line}`),
    '    </content>',
    `    <published>${updated}</published>`,
    `    <updated>${updated}</updated>`,
    '  </entry>',
  ]
  return `${lines.join('\n')}\n`
}

/** `<espi:UsagePoint>` content with its ServiceCategory kind. */
export function usagePointContent(serviceKind: number): string[] {
  return ['<espi:UsagePoint>', `  <espi:ServiceCategory><espi:kind>${serviceKind}</espi:kind></espi:ServiceCategory>`, '</espi:UsagePoint>']
}

/** `<espi:LocalTimeParameters>` content. */
export function localTimeContent(p: LocalTimeParameters): string[] {
  return [
    '<espi:LocalTimeParameters>',
    `  <espi:dstEndRule>${escapeXml(p.dstEndRule)}</espi:dstEndRule>`,
    `  <espi:dstOffset>${p.dstOffset}</espi:dstOffset>`,
    `  <espi:dstStartRule>${escapeXml(p.dstStartRule)}</espi:dstStartRule>`,
    `  <espi:tzOffset>${p.tzOffset}</espi:tzOffset>`,
    '</espi:LocalTimeParameters>',
  ]
}

/** `<espi:ReadingType>` content; `fields` in ESPI schema order, undefined ones left out. */
export function readingTypeContent(fields: readonly (readonly [string, number | undefined])[]): string[] {
  return ['<espi:ReadingType>', ...fields.filter(([, v]) => v !== undefined).map(([k, v]) => `  <espi:${k}>${String(v)}</espi:${k}>`), '</espi:ReadingType>']
}

/** One IntervalReading of an IntervalBlock. */
export interface BlockReading {
  readonly start: number
  readonly duration: number
  /** The ESPI integer value; undefined for an interval stated without a value. */
  readonly value: string | undefined
  readonly quality: number | undefined
}

/** `<espi:IntervalBlock>` content. */
export function intervalBlockContent(start: number, duration: number, readings: readonly BlockReading[]): string[] {
  const lines = ['<espi:IntervalBlock>', '  <espi:interval>', `    <espi:duration>${duration}</espi:duration>`, `    <espi:start>${start}</espi:start>`, '  </espi:interval>']
  for (const r of readings) {
    lines.push('  <espi:IntervalReading>')
    if (r.quality !== undefined) lines.push(`    <espi:ReadingQuality><espi:quality>${r.quality}</espi:quality></espi:ReadingQuality>`)
    lines.push(`    <espi:timePeriod><espi:duration>${r.duration}</espi:duration><espi:start>${r.start}</espi:start></espi:timePeriod>`)
    if (r.value !== undefined) lines.push(`    <espi:value>${r.value}</espi:value>`)
    lines.push('  </espi:IntervalReading>')
  }
  lines.push('</espi:IntervalBlock>')
  return lines
}
