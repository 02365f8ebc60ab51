/**
 * CDS-WG1-01 §5 Server Migration, as far as a suite sees it from one host: the metadata on the
 * host names that host, and a former well-known location answers with the migration redirect.
 *
 * @module
 */
import { ServerMetadata } from '@cds-ts/schema'
import { defineCheck, type Check } from '../core/check.js'
import type { CheckContext } from '../core/context.js'
import { WELL_KNOWN } from './conditional.js'
import { conformsOpen, jsonObject } from './kit.js'

/**
 * Where metadata used to be published before CDS: the well-known path of the Carbon Data
 * Specification, the former name of CDS (the reference server redirects it, catalog A-54).
 */
const FORMER_WELL_KNOWN = ['/.well-known/carbon-data-spec.json'] as const

/** The checks of CDS-WG1-01 §5. */
export const migrationChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-01-5-02',
    spec: 'CDS-WG1-01',
    section: '§5',
    title: 'the well-known metadata on this host is a full metadata object that names this host as its location',
    async run(ctx: CheckContext) {
      const url = ctx.url(WELL_KNOWN)
      const body = jsonObject(ctx, await ctx.request({ url }), 'the metadata')
      conformsOpen(ctx, ServerMetadata, body, 'the metadata')
      const named = typeof body.cds_metadata_url === 'string' ? new URL(body.cds_metadata_url) : undefined
      ctx.assert(named?.host === url.host, `the metadata on ${url.host} names ${String(body.cds_metadata_url)} as its location, on another host`)
    },
  }),
  defineCheck({
    id: 'R1-01-5-03',
    spec: 'CDS-WG1-01',
    section: '§5',
    title: 'a former metadata location answers 301 or 302 with an absolute Location that leads to the metadata',
    async run(ctx: CheckContext) {
      let probed = 0
      for (const path of FORMER_WELL_KNOWN) {
        const old = ctx.url(path)
        const response = await ctx.request({ url: old })
        if (response.status < 300 || response.status >= 400) continue
        probed++
        ctx.assert(response.status === 301 || response.status === 302, `${old.href} answered ${response.status}; a migration redirect is 301 or 302 (A-54)`)
        const location = response.headers.get('location')
        ctx.assert(location !== null && /^https?:\/\//i.test(location), `${old.href} redirects to ${JSON.stringify(location)}, not an absolute URL`)
        const body = jsonObject(ctx, await ctx.request({ url: location, follow: true }), `the metadata at ${location}`)
        conformsOpen(ctx, ServerMetadata, body, `the metadata at ${location}`)
        ctx.assert(body.cds_metadata_url === location, `the metadata at ${location} names ${String(body.cds_metadata_url)} as its location`)
      }
      if (probed === 0) ctx.notApplicable(`the server redirects no former metadata location (${FORMER_WELL_KNOWN.join(', ')})`)
    },
  }),
]
