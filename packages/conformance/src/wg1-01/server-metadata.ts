/**
 * CDS-WG1-01 §3 Metadata Endpoint: the well-known URL, the metadata object's fields and their
 * rules, conditional requests and capabilities (§3.4).
 *
 * @module
 */
import { ServerMetadata } from '@cds-ts/schema'
import { defineCheck, type Check } from '../core/check.js'
import type { CheckContext, Json } from '../core/context.js'
import { conditionalRequest, WELL_KNOWN } from './conditional.js'
import { conformsOpen, coverage, epochNanos, isAbsoluteUrl, isDateTime, isWebUrl, jsonObject, nearMiss } from './kit.js'

/** The REQUIRED members of the metadata object (CDS-WG1-01 §3.2) and their JSON type. */
const REQUIRED: readonly (readonly [string, 'string' | 'array'])[] = [
  ['cds_metadata_version', 'string'],
  ['cds_metadata_url', 'string'],
  ['created', 'string'],
  ['updated', 'string'],
  ['name', 'string'],
  ['description', 'string'],
  ['website', 'string'],
  ['documentation', 'string'],
  ['support', 'string'],
  ['capabilities', 'array'],
]

/** The capabilities the specs define (CDS-WG1-01 §3.4, CDS-WG1-02 §3.1). */
const KNOWN_CAPABILITIES = ['coverage', 'oauth'] as const

/** The metadata's capabilities, as given (a failure when they are not an array). */
function capabilitiesOf(ctx: CheckContext, wk: Json): unknown[] {
  if (!Array.isArray(wk.capabilities)) ctx.fail('capabilities is not an array')
  return wk.capabilities as unknown[]
}

/** The checks of CDS-WG1-01 §3. */
export const serverMetadataChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-01-3-01',
    spec: 'CDS-WG1-01',
    section: '§3',
    title: 'the metadata is offered at an https URL; over plain http it is redirected to https or refused, never served',
    async run(ctx: CheckContext) {
      const url = ctx.url(WELL_KNOWN)
      ctx.assert(ctx.isSecureUrl(url.href), `the metadata URL ${url.href} is not https`)
      jsonObject(ctx, await ctx.request({ url }), 'the metadata')
      if (url.protocol !== 'https:') return
      // The same path in clear text may only send the client to https (or not answer at all).
      const plain = new URL(url.href)
      plain.protocol = 'http:'
      let answer
      try {
        answer = await ctx.request({ url: plain })
      } catch {
        return
      }
      if (answer.status >= 300 && answer.status < 400) {
        const location = answer.headers.get('location') ?? ''
        ctx.assert(new URL(location, plain).protocol === 'https:', `${plain.href} redirects to ${location}, not to https`)
        return
      }
      ctx.assert(!(answer.status === 200 && answer.text.includes('cds_metadata_version')), `${plain.href} serves the metadata in clear text`)
    },
  }),
  defineCheck({
    id: 'R1-01-3-02',
    spec: 'CDS-WG1-01',
    section: '§3',
    title: 'a successful answer is 200 application/json whose body is a metadata object',
    async run(ctx: CheckContext) {
      const response = await ctx.request({ url: WELL_KNOWN })
      ctx.expectStatus(response, 200)
      ctx.assert(response.mediaType === 'application/json', `the content type is ${response.mediaType || 'missing'}, not application/json`)
      conformsOpen(ctx, ServerMetadata, jsonObject(ctx, response, 'the metadata'), 'the metadata object')
    },
  }),
  defineCheck({
    id: 'R1-01-3-03',
    spec: 'CDS-WG1-01',
    section: '§3',
    title: 'a conditional request for the metadata (If-None-Match / If-Modified-Since) gets 304 with no body, or the same 200',
    async run(ctx: CheckContext) {
      await conditionalRequest(ctx, ctx.url(WELL_KNOWN).href, 'the metadata')
    },
  }),
  defineCheck({
    id: 'R1-01-3.1-01',
    spec: 'CDS-WG1-01',
    section: '§3.1',
    title: 'public metadata is at /.well-known/cds-server-metadata.json on the server\'s host',
    async run(ctx: CheckContext) {
      const url = new URL(WELL_KNOWN, ctx.url('/').origin)
      const body = jsonObject(ctx, await ctx.request({ url }), 'the well-known metadata')
      conformsOpen(ctx, ServerMetadata, body, 'the well-known metadata')
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-01',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'every REQUIRED member of the metadata object is present with its type',
    async run(ctx: CheckContext) {
      const wk = await ctx.serverMetadata()
      const wrong = REQUIRED.filter(([name, type]) => (type === 'array' ? !Array.isArray(wk[name]) : typeof wk[name] !== 'string')).map(([name, type]) => `${name} (${type})`)
      ctx.assert(wrong.length === 0, `missing or mistyped: ${wrong.join(', ')}`)
      conformsOpen(ctx, ServerMetadata, wk, 'the metadata object')
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-02',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'cds_metadata_version is "v1"',
    async run(ctx: CheckContext) {
      const { cds_metadata_version } = await ctx.serverMetadata()
      ctx.assert(cds_metadata_version === 'v1', `cds_metadata_version is ${JSON.stringify(cds_metadata_version)}`)
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-03',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'cds_metadata_url names the object\'s own location: it serves the same object, and is the well-known URL (or where it redirects)',
    async run(ctx: CheckContext) {
      const wk = await ctx.serverMetadata()
      ctx.assert(isAbsoluteUrl(wk.cds_metadata_url), `cds_metadata_url ${JSON.stringify(wk.cds_metadata_url)} is not an absolute URL`)
      const asked = ctx.url(WELL_KNOWN)
      const direct = await ctx.request({ url: asked, follow: true })
      ctx.assert(wk.cds_metadata_url === asked.href || wk.cds_metadata_url === direct.url, `cds_metadata_url is ${wk.cds_metadata_url}, but the object was fetched from ${asked.href}`)
      const there = jsonObject(ctx, await ctx.request({ url: wk.cds_metadata_url, follow: true }), 'the object at cds_metadata_url')
      ctx.assert(JSON.stringify(there) === JSON.stringify(wk), `${wk.cds_metadata_url} serves a different object than the well-known URL`)
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-04',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'created is not later than updated',
    async run(ctx: CheckContext) {
      const { created, updated } = await ctx.serverMetadata()
      ctx.assert(isDateTime(created) && isDateTime(updated), `created ${JSON.stringify(created)} or updated ${JSON.stringify(updated)} is not an RFC 3339 date-time`)
      ctx.assert(epochNanos(created) <= epochNanos(updated), `created ${created} is later than updated ${updated}`)
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-05',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'name and description are non-empty strings; website, documentation and support are web URLs',
    async run(ctx: CheckContext) {
      const wk = await ctx.serverMetadata()
      for (const name of ['name', 'description']) ctx.assert(typeof wk[name] === 'string' && wk[name].trim() !== '', `${name} is ${JSON.stringify(wk[name])}, not a human-readable string`)
      for (const name of ['website', 'documentation', 'support']) ctx.assert(isWebUrl(wk[name]), `${name} is ${JSON.stringify(wk[name])}, not an absolute http(s) URL`)
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-06',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'capabilities is an array of strings (possibly empty)',
    async run(ctx: CheckContext) {
      const capabilities = capabilitiesOf(ctx, await ctx.serverMetadata())
      const odd = capabilities.filter((value) => typeof value !== 'string' || value === '')
      ctx.assert(odd.length === 0, `capabilities holds ${JSON.stringify(odd)}, which are not capability strings`)
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-07',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'with coverage, capabilities holds every capability of every coverage entry (all pages)',
    async run(ctx: CheckContext) {
      const capabilities = capabilitiesOf(ctx, await ctx.serverMetadata())
      const { entries } = await coverage(ctx)
      const missing = new Set<string>()
      for (const entry of entries)
        for (const capability of Array.isArray(entry.capabilities) ? (entry.capabilities as unknown[]) : [])
          if (typeof capability === 'string' && !capabilities.includes(capability)) missing.add(`${capability} (entry ${String(entry.id)})`)
      ctx.assert(missing.size === 0, `capabilities ${JSON.stringify(capabilities)} lacks ${[...missing].join(', ')}`)
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-08',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'with the coverage capability, coverage is a URL that answers 200',
    async run(ctx: CheckContext) {
      const wk = await ctx.serverMetadata()
      if (!capabilitiesOf(ctx, wk).includes('coverage')) ctx.notApplicable('the server does not list the coverage capability')
      ctx.assert(isAbsoluteUrl(wk.coverage), `coverage is ${JSON.stringify(wk.coverage)}, not a URL`)
      ctx.expectStatus(await ctx.request({ url: wk.coverage }), 200)
    },
  }),
  defineCheck({
    id: 'R1-01-3.2-09',
    spec: 'CDS-WG1-01',
    section: '§3.2',
    title: 'each related_metadata URL serves a metadata object (followed transitively, cycles allowed)',
    async run(ctx: CheckContext) {
      const wk = await ctx.serverMetadata()
      if (wk.related_metadata === undefined) ctx.notApplicable('the metadata has no related_metadata')
      ctx.assert(Array.isArray(wk.related_metadata), 'related_metadata is not an array')
      const seen = new Set<string>([String(wk.cds_metadata_url), ctx.url(WELL_KNOWN).href])
      const queue = [...(wk.related_metadata as unknown[])]
      while (queue.length > 0 && seen.size < 50) {
        const url = queue.shift()
        ctx.assert(isAbsoluteUrl(url), `related_metadata holds ${JSON.stringify(url)}, not a URL`)
        if (seen.has(url)) continue
        seen.add(url)
        const body = jsonObject(ctx, await ctx.request({ url, follow: true }), `the related metadata ${url}`)
        conformsOpen(ctx, ServerMetadata, body, `the related metadata ${url}`)
        if (Array.isArray(body.related_metadata)) queue.push(...(body.related_metadata as unknown[]))
      }
    },
  }),
  defineCheck({
    id: 'R1-01-3.4-01',
    spec: 'CDS-WG1-01',
    section: '§3.4',
    title: 'capability values are strings, known ones spelled exactly, and coverage comes with the coverage URL',
    async run(ctx: CheckContext) {
      const wk = await ctx.serverMetadata()
      for (const value of capabilitiesOf(ctx, wk)) {
        ctx.assert(typeof value === 'string', `capabilities holds ${JSON.stringify(value)}, not a string`)
        const meant = nearMiss(value, KNOWN_CAPABILITIES)
        ctx.assert(meant === undefined, `capabilities holds ${JSON.stringify(value)}, a misspelling of ${String(meant)}`)
      }
      if (capabilitiesOf(ctx, wk).includes('coverage')) ctx.assert(typeof wk.coverage === 'string', 'capabilities lists coverage, but the coverage URL is missing')
    },
  }),
]
