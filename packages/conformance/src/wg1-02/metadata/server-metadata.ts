/**
 * CDS-WG1-02 §3 and §3.1: the Authorization Server Metadata endpoint and how the CDS Server
 * Metadata (CDS-WG1-01) leads to it.
 *
 * @module
 */
import { AuthorizationServerMetadata, CoverageListing, ServerMetadata } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import { conformsOpen, isAbsoluteUrl, jsonObject } from '../../wg1-01/kit.js'
import { WELL_KNOWN } from '../../wg1-01/conditional.js'
import { exactAsm } from './kit.js'

/** The checks of CDS-WG1-02 §3 and §3.1. */
export const serverMetadataChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3-01',
    spec: 'CDS-WG1-02',
    section: '§3',
    title: 'the Authorization Server Metadata is hosted: 200 application/json, an RFC 8414 object with the CDS members',
    async run(ctx: CheckContext) {
      const url = (await ctx.serverMetadata()).oauth_metadata
      ctx.assert(typeof url === 'string', 'the CDS Server Metadata has no oauth_metadata')
      const response = await ctx.request({ url })
      ctx.expectStatus(response, 200)
      ctx.assert(response.mediaType === 'application/json', `the metadata is ${response.mediaType || 'untyped'}, not application/json`)
      conformsOpen(ctx, AuthorizationServerMetadata, await exactAsm(ctx), 'the Authorization Server Metadata')
    },
  }),
  defineCheck({
    id: 'R1-02-3.1-01',
    spec: 'CDS-WG1-02',
    section: '§3.1',
    title: 'the metadata is obtained by an https GET of its URL, which answers 200 with a JSON object',
    async run(ctx: CheckContext) {
      const url = (await ctx.serverMetadata()).oauth_metadata
      ctx.assert(typeof url === 'string' && ctx.isSecureUrl(url), `oauth_metadata ${JSON.stringify(url)} is not an https URL`)
      jsonObject(ctx, await ctx.request({ url }), 'the Authorization Server Metadata')
    },
  }),
  defineCheck({
    id: 'R1-02-3.1-02',
    spec: 'CDS-WG1-02',
    section: '§3.1',
    title: 'the server implements CDS-WG1-01: a well-known metadata object, and a coverage listing when it lists coverage',
    async run(ctx: CheckContext) {
      const wk = jsonObject(ctx, await ctx.request({ url: WELL_KNOWN }), 'the CDS Server Metadata')
      conformsOpen(ctx, ServerMetadata, wk, 'the CDS Server Metadata')
      if (Array.isArray(wk.capabilities) && wk.capabilities.includes('coverage')) {
        ctx.assert(typeof wk.coverage === 'string', 'the coverage capability is listed without a coverage URL')
        conformsOpen(ctx, CoverageListing, jsonObject(ctx, await ctx.request({ url: wk.coverage }), 'the coverage listing'), 'the coverage listing')
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.1-03',
    spec: 'CDS-WG1-02',
    section: '§3.1',
    title: 'the CDS Server Metadata lists the oauth capability',
    async run(ctx: CheckContext) {
      const { capabilities } = await ctx.serverMetadata()
      ctx.assert(Array.isArray(capabilities) && capabilities.includes('oauth'), `capabilities ${JSON.stringify(capabilities)} lacks oauth`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.1-04',
    spec: 'CDS-WG1-02',
    section: '§3.1',
    title: 'the CDS Server Metadata has oauth_metadata, a URL that answers 200',
    async run(ctx: CheckContext) {
      const { oauth_metadata } = await ctx.serverMetadata()
      ctx.assert(isAbsoluteUrl(oauth_metadata), `oauth_metadata is ${JSON.stringify(oauth_metadata)}, not a URL`)
      ctx.expectStatus(await ctx.request({ url: oauth_metadata }), 200)
    },
  }),
]
