/**
 * CDS-WG1-01 §3 Metadata Endpoint.
 *
 * @module
 */
import { defineCheck, type Check } from '../core/check.js'
import type { CheckContext } from '../core/context.js'

/** The checks of CDS-WG1-01 §3. */
export const serverMetadataChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-01-3-02',
    spec: 'CDS-WG1-01',
    section: '§3.1',
    title: 'the metadata document is served at /.well-known/cds-server-metadata.json as a JSON object',
    async run(ctx: CheckContext) {
      const response = await ctx.request({ url: '/.well-known/cds-server-metadata.json' })
      ctx.expectStatus(response, 200)
      ctx.assert(response.mediaType === 'application/json', `the content type is ${response.mediaType}, not application/json`)
      const body = response.json()
      ctx.assert(typeof body === 'object' && body !== null && !Array.isArray(body), 'the body is not a JSON object')
    },
  }),
]
