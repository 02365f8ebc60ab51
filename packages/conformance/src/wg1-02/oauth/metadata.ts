/**
 * RFC 8414 (Authorization Server Metadata) as CDS-WG1-02 §3.2 profiles it: the document at
 * `oauth_metadata`, its issuer, the members RFC 8414 requires and CDS raises to required, empty
 * arrays, and the RFC defaults that CDS makes moot.
 *
 * @module
 */
import { AuthorizationServerMetadata } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { asIfHttps } from './lab.js'

/** The members CDS-WG1-02 §3.2 requires (catalog F5) besides `issuer` and `token_endpoint`. */
const CDS_REQUIRED = [
  'registration_endpoint',
  'scopes_supported',
  'response_types_supported',
  'grant_types_supported',
  'token_endpoint_auth_methods_supported',
  'service_documentation',
  'op_policy_uri',
  'op_tos_uri',
  'revocation_endpoint',
  'introspection_endpoint',
  'code_challenge_methods_supported',
  'authorization_details_types_supported',
] as const

/** The array members CDS requires, which may therefore be `[]` despite RFC 8414 §2. */
const MAY_BE_EMPTY = new Set<string>(['scopes_supported', 'response_types_supported', 'grant_types_supported', 'token_endpoint_auth_methods_supported', 'code_challenge_methods_supported', 'authorization_details_types_supported'])

/** Fetches `oauth_metadata` itself (not the run's cached copy) for the checks that look at the response. */
async function fetchMetadata(ctx: CheckContext) {
  const url = (await ctx.serverMetadata()).oauth_metadata
  if (typeof url !== 'string') ctx.fail('the CDS Server Metadata has no oauth_metadata URL')
  return { url, response: await ctx.request({ url }) }
}

/** The checks of RFC 8414. */
export const metadataChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC8414-01',
    spec: 'CDS-WG1-02',
    section: '§3.1 (RFC 8414 §3.2)',
    title: 'the metadata URL answers 200 application/json with a JSON object of RFC 8414 members',
    async run(ctx: CheckContext) {
      const { response } = await fetchMetadata(ctx)
      ctx.expectStatus(response, 200)
      ctx.assert(response.mediaType === 'application/json', `the metadata is ${response.mediaType || 'untyped'}, not application/json`)
      const body = response.json<Json>()
      ctx.assert(typeof body === 'object' && body !== null && !Array.isArray(body), 'the metadata is not a JSON object')
      ctx.assert(typeof body.issuer === 'string' && typeof body.token_endpoint === 'string', 'the metadata lacks issuer or token_endpoint')
    },
  }),
  defineCheck({
    id: 'RFC8414-02',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 8414 §2, §3.3)',
    title: 'issuer is an https URL without query or fragment, and equals the issuer a well-known metadata URL was derived from',
    async run(ctx: CheckContext) {
      const { url } = await fetchMetadata(ctx)
      const issuer = (await ctx.oauthMetadata()).issuer
      ctx.assert(typeof issuer === 'string' && ctx.isSecureUrl(issuer), `issuer ${JSON.stringify(issuer)} is not an https URL`)
      const parsed = new URL(issuer)
      ctx.assert(parsed.search === '' && parsed.hash === '' && !issuer.includes('?') && !issuer.includes('#'), `issuer ${issuer} has a query or fragment`)
      const where = new URL(url)
      const wellKnown = '/.well-known/oauth-authorization-server'
      if (where.pathname.startsWith(wellKnown)) {
        const derived = `${where.origin}${where.pathname.slice(wellKnown.length)}`
        ctx.assert(issuer.replace(/\/$/, '') === derived.replace(/\/$/, ''), `the metadata at ${url} names issuer ${issuer}, but that URL was derived from ${derived}`)
      }
    },
  }),
  defineCheck({
    id: 'RFC8414-03',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 8414 §2)',
    title: 'the RFC 8414 required members and those CDS makes required are present',
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      const missing = ['issuer', 'token_endpoint', ...CDS_REQUIRED].filter((member) => !(member in asm))
      const grants = (asm.grant_types_supported ?? []) as unknown[]
      if (grants.includes('authorization_code') && !('authorization_endpoint' in asm)) missing.push('authorization_endpoint')
      ctx.assert(missing.length === 0, `the metadata lacks ${missing.join(', ')}`)
      ctx.conforms(AuthorizationServerMetadata, asIfHttps(ctx, asm), 'the Authorization Server Metadata')
    },
  }),
  defineCheck({
    id: 'RFC8414-04',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 8414 §2, A-40)',
    title: 'an array member with no elements is one CDS requires; other empty members are omitted',
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      const empty = Object.entries(asm).filter(([, value]) => Array.isArray(value) && value.length === 0).map(([name]) => name)
      const stray = empty.filter((name) => !MAY_BE_EMPTY.has(name))
      ctx.assert(stray.length === 0, `the metadata carries empty ${stray.join(', ')}, which RFC 8414 §2 says to omit`)
      // `response_types_supported` may be [] only when no scope offers the code flow.
      const codeOffered = Object.values((asm.cds_scope_descriptions ?? {}) as Record<string, Json>).some((d) => ((d.response_types_supported ?? []) as unknown[]).length > 0)
      if (codeOffered) ctx.assert(!empty.includes('response_types_supported'), 'response_types_supported is [] although a scope offers the code flow')
    },
  }),
  defineCheck({
    id: 'RFC8414-05',
    spec: 'CDS-WG1-02',
    section: '§3.2 (RFC 8414 §2)',
    title: 'the members whose RFC 8414 defaults would mislead (grant types with implicit, auth methods, response modes with fragment) are stated and fit the CDS profile',
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      ctx.assert(Array.isArray(asm.grant_types_supported), 'grant_types_supported is missing, so the RFC default (authorization_code, implicit) would apply')
      ctx.assert(!asm.grant_types_supported.includes('implicit'), 'grant_types_supported lists implicit')
      ctx.assert(Array.isArray(asm.token_endpoint_auth_methods_supported) && asm.token_endpoint_auth_methods_supported.length > 0, 'token_endpoint_auth_methods_supported is missing')
      if (Array.isArray(asm.response_modes_supported) && ((asm.response_types_supported ?? []) as unknown[]).includes('code'))
        ctx.assert(asm.response_modes_supported.includes('query'), `response_modes_supported ${JSON.stringify(asm.response_modes_supported)} lacks query, the mode of the code flow`)
    },
  }),
]
