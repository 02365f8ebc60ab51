/**
 * CDS-WG1-01 §2 data types, as they appear in the metadata object and the coverage listing:
 * datetimes, URLs, media types, country codes and the JSON types of every field.
 *
 * @module
 */
import { CoverageEntry, CoverageListing, ServerMetadata } from '@cds-ts/schema'
import { defineCheck, type Check } from '../core/check.js'
import type { CheckContext, Json } from '../core/context.js'
import { conformsOpen, coverage, coverageEntries, isAbsoluteUrl, isCountryCode, isDateTime, MEDIA_TYPE } from './kit.js'

/** The URL members of the metadata object that are endpoints (they must be https, R1-01-3-01). */
const ENDPOINT_URLS = ['cds_metadata_url', 'coverage', 'oauth_metadata'] as const

/** The other URL members of the metadata object. */
const PAGE_URLS = ['website', 'documentation', 'support'] as const

/** The metadata and, when the server has coverage, every coverage page; each with a label. */
async function documents(ctx: CheckContext): Promise<{ wk: Json; pages: { label: string; body: Json }[] }> {
  const wk = await ctx.serverMetadata()
  const capabilities = Array.isArray(wk.capabilities) ? (wk.capabilities as unknown[]) : []
  if (!capabilities.includes('coverage')) return { wk, pages: [] }
  const { pages } = await coverage(ctx)
  return { wk, pages: pages.map((page) => ({ label: `the coverage page ${page.url}`, body: page.body })) }
}

/** The entries of a coverage page. */
function entriesOf(page: Json): Json[] {
  return Array.isArray(page.coverage_entries) ? (page.coverage_entries as Json[]) : []
}

/** The checks of CDS-WG1-01 §2. */
export const dataTypeChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-01-2-01',
    spec: 'CDS-WG1-01',
    section: '§2',
    title: 'every datetime (metadata and coverage entries) is an RFC 3339 date-time with an offset',
    async run(ctx: CheckContext) {
      const { wk, pages } = await documents(ctx)
      const bad: string[] = []
      for (const name of ['created', 'updated']) if (!isDateTime(wk[name])) bad.push(`metadata ${name} ${JSON.stringify(wk[name])}`)
      for (const page of pages)
        for (const entry of entriesOf(page.body))
          for (const name of ['created', 'updated']) if (!isDateTime(entry[name])) bad.push(`entry ${String(entry.id)} ${name} ${JSON.stringify(entry[name])}`)
      ctx.assert(bad.length === 0, `not RFC 3339 date-times: ${bad.slice(0, 5).join('; ')}`)
    },
  }),
  defineCheck({
    id: 'R1-01-2-02',
    spec: 'CDS-WG1-01',
    section: '§2',
    title: 'every URL is absolute, and endpoint URLs are https',
    async run(ctx: CheckContext) {
      const { wk, pages } = await documents(ctx)
      const bad: string[] = []
      const absolute = (label: string, value: unknown) => {
        if (!isAbsoluteUrl(value)) bad.push(`${label} ${JSON.stringify(value)} is not an absolute URL`)
      }
      for (const name of PAGE_URLS) absolute(name, wk[name])
      for (const name of ENDPOINT_URLS) {
        if (wk[name] === undefined) continue
        absolute(name, wk[name])
        if (typeof wk[name] === 'string' && !ctx.isSecureUrl(wk[name])) bad.push(`${name} ${wk[name]} is not https`)
      }
      for (const url of Array.isArray(wk.related_metadata) ? (wk.related_metadata as unknown[]) : []) {
        absolute('related_metadata[]', url)
        if (typeof url === 'string' && !ctx.isSecureUrl(url)) bad.push(`related_metadata ${url} is not https`)
      }
      for (const page of pages) {
        for (const link of ['next', 'previous']) if (page.body[link] !== null) absolute(`${page.label} ${link}`, page.body[link])
        for (const entry of entriesOf(page.body))
          for (const name of ['map_resource', 'geojson_resource']) if (entry[name] !== undefined) absolute(`entry ${String(entry.id)} ${name}`, entry[name])
      }
      ctx.assert(bad.length === 0, bad.slice(0, 5).join('; '))
    },
  }),
  defineCheck({
    id: 'R1-01-2-03',
    spec: 'CDS-WG1-01',
    section: '§2',
    title: 'every map_content_type is an RFC 6838 media type',
    async run(ctx: CheckContext) {
      const entries = (await coverageEntries(ctx)).filter((entry) => entry.map_content_type !== undefined)
      if (entries.length === 0) ctx.notApplicable('no coverage entry has a map_content_type')
      for (const entry of entries)
        ctx.assert(typeof entry.map_content_type === 'string' && MEDIA_TYPE.test(entry.map_content_type), `entry ${String(entry.id)} has map_content_type ${JSON.stringify(entry.map_content_type)}, not a media type`)
    },
  }),
  defineCheck({
    id: 'R1-01-2-04',
    spec: 'CDS-WG1-01',
    section: '§2',
    title: 'every country is an assigned ISO 3166-1 alpha-2 code in upper case',
    async run(ctx: CheckContext) {
      for (const entry of await coverageEntries(ctx))
        ctx.assert(isCountryCode(entry.country), `entry ${String(entry.id)} has country ${JSON.stringify(entry.country)}, not an ISO 3166-1 alpha-2 code`)
    },
  }),
  defineCheck({
    id: 'R1-01-2-05',
    spec: 'CDS-WG1-01',
    section: '§2',
    title: 'every field of the metadata object, the coverage listing and its entries has its JSON type',
    async run(ctx: CheckContext) {
      const { wk, pages } = await documents(ctx)
      conformsOpen(ctx, ServerMetadata, wk, 'the metadata object')
      for (const page of pages) {
        conformsOpen(ctx, CoverageListing, page.body, page.label)
        for (const entry of entriesOf(page.body)) conformsOpen(ctx, CoverageEntry, entry, `the coverage entry ${String(entry.id)}`)
      }
    },
  }),
]
