/**
 * CDS-WG1-02 §3.4 Scope Descriptions Object Format: members, keys, links to Registration Fields,
 * coverages and Grant Admin scopes, and PKCE (its static rule and the server's behaviour).
 *
 * @module
 */
import { AuthorizationDetailsField, ScopeDescription } from '@cds-ts/schema'
import { CheckNotApplicable, CheckSkip, defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { conformsOpen, coverageUrl, jsonObject, withIds } from '../../wg1-01/kit.js'
import { authorizationParams, authorize, expectClientError, push } from '../oauth/lab.js'
import { confidentialCodeClient, descriptions, exactAsm, fieldsOf, mapOf, registrationFields, strings } from './kit.js'

/** The REQUIRED members of a Scope Description (§3.4, catalog F6). */
const REQUIRED = [
  'id',
  'type',
  'name',
  'description',
  'documentation',
  'registration_requirements',
  'registration_optional',
  'response_types_supported',
  'grant_types_supported',
  'token_endpoint_auth_methods_supported',
  'code_challenge_methods_supported',
  'coverages_supported',
  'grant_admin_scope',
  'authorization_details_types_supported',
  'authorization_details_fields_supported',
] as const

/** Each Scope Description with its key. */
async function each(ctx: CheckContext): Promise<[string, Json][]> {
  return Object.entries(await descriptions(ctx))
}

/** The checks of CDS-WG1-02 §3.4 that read the metadata, and the PKCE behaviour of §3.4. */
export const scopeDescriptionChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.4-01',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'every Scope Description has the 15 REQUIRED members with their types',
    async run(ctx: CheckContext) {
      for (const [key, description] of Object.entries(mapOf((await exactAsm(ctx)).cds_scope_descriptions))) {
        const missing = REQUIRED.filter((member) => !(member in description))
        ctx.assert(missing.length === 0, `the Scope Description ${key} lacks ${missing.join(', ')}`)
        conformsOpen(ctx, ScopeDescription, description, `the Scope Description ${key}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-02',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'each Scope Description\'s id equals its key in cds_scope_descriptions',
    async run(ctx: CheckContext) {
      for (const [key, description] of await each(ctx)) ctx.assert(description.id === key, `the Scope Description under ${key} has id ${JSON.stringify(description.id)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-05',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'every registration_requirements value is a key of cds_registration_fields',
    async run(ctx: CheckContext) {
      const fields = await registrationFields(ctx)
      for (const [key, description] of await each(ctx)) {
        ctx.assert(Array.isArray(description.registration_requirements), `${key}: registration_requirements is not an array`)
        const missing = strings(description.registration_requirements).filter((id) => !(id in fields))
        ctx.assert(missing.length === 0, `${key} requires ${missing.join(', ')}, not in cds_registration_fields`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-09',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'every Scope Description offers at least one grant type (files scopes excepted, A-03)',
    async run(ctx: CheckContext) {
      for (const [key, description] of await each(ctx)) {
        if (description.type === 'cds_server_provided_files') continue
        ctx.assert(strings(description.grant_types_supported).length > 0, `${key} offers no grant type`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-11',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'PKCE: a scope with authorization_code offers S256 and never plain (others offer none); plain, a method-less challenge and no challenge are refused',
    async run(ctx: CheckContext) {
      let code = false
      for (const [key, description] of await each(ctx)) {
        const methods = strings(description.code_challenge_methods_supported)
        if (strings(description.grant_types_supported).includes('authorization_code')) {
          code = true
          ctx.assert(methods.includes('S256') && !methods.includes('plain'), `${key} offers authorization_code with code challenge methods ${JSON.stringify(methods)}`)
        } else ctx.assert(methods.length === 0, `${key} has no authorization_code but code challenge methods ${JSON.stringify(methods)}`)
      }
      if (!code) return
      // The server side of the rule, A-08 strict mode: each broken PKCE variant is refused.
      let client
      try {
        client = await confidentialCodeClient(ctx)
      } catch (error) {
        if (error instanceof CheckSkip || error instanceof CheckNotApplicable) return
        throw error
      }
      const par = typeof (await ctx.oauthMetadata()).pushed_authorization_request_endpoint === 'string'
      const variants: Record<string, Record<string, string | undefined>> = {
        'code_challenge_method=plain': { code_challenge_method: 'plain' },
        'a code_challenge without a method': { code_challenge_method: undefined },
        'no code_challenge': { code_challenge: undefined, code_challenge_method: undefined },
      }
      for (const [label, change] of Object.entries(variants)) {
        const params = await authorizationParams(client, change)
        if (!par) {
          expectClientError(ctx, await authorize(ctx, params, client.redirect_uris), 'invalid_request', String(params.state))
          continue
        }
        const response = await push(ctx, client, params)
        const error = response.mediaType.endsWith('json') ? response.json<Json>().error : undefined
        ctx.assert(response.status === 400 && error === 'invalid_request', `a pushed request with ${label} answered ${response.status} ${JSON.stringify(error)}, expected 400 invalid_request`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-12',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'every coverages_supported id is the id of exactly one Coverage Entry',
    async run(ctx: CheckContext) {
      const ids = new Set((await each(ctx)).flatMap(([, description]) => strings(description.coverages_supported)))
      if (ids.size === 0) ctx.notApplicable('no Scope Description lists coverages')
      const url = await coverageUrl(ctx)
      for (const id of ids) {
        const listing = jsonObject(ctx, await ctx.request({ url: withIds(url, [id]) }), `the coverage listing for ${id}`)
        const found = Array.isArray(listing.coverage_entries) ? (listing.coverage_entries as Json[]).filter((entry) => entry.id === id) : []
        ctx.assert(found.length === 1 && (listing.coverage_entries as Json[]).length === 1, `coverage?ids=${id} lists ${JSON.stringify(listing.coverage_entries)}, expected exactly the entry ${id}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-13',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'grant_admin_scope is null or the id of a Scope Description of type cds_grant_admin',
    async run(ctx: CheckContext) {
      const all = await descriptions(ctx)
      for (const [key, description] of Object.entries(all)) {
        const target = description.grant_admin_scope
        ctx.assert(target === null || (typeof target === 'string' && all[target]?.type === 'cds_grant_admin'), `${key} has grant_admin_scope ${JSON.stringify(target)}, neither null nor a Grant Admin scope`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-14',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'each scope\'s authorization_details_types_supported are strings the metadata lists as RAR types',
    async run(ctx: CheckContext) {
      const top = strings((await ctx.oauthMetadata()).authorization_details_types_supported)
      for (const [key, description] of await each(ctx)) {
        ctx.assert(Array.isArray(description.authorization_details_types_supported), `${key}: authorization_details_types_supported is not an array`)
        const missing = (description.authorization_details_types_supported as unknown[]).filter((type) => typeof type !== 'string' || !top.includes(type))
        ctx.assert(missing.length === 0, `${key} lists RAR types ${JSON.stringify(missing)} that the metadata does not`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-15',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'each scope\'s authorization_details_fields_supported is an array of Authorization Details Field objects',
    async run(ctx: CheckContext) {
      for (const [key, description] of Object.entries(mapOf((await exactAsm(ctx)).cds_scope_descriptions))) {
        ctx.assert(Array.isArray(description.authorization_details_fields_supported), `${key}: authorization_details_fields_supported is not an array`)
        for (const field of fieldsOf(description)) conformsOpen(ctx, AuthorizationDetailsField, field, `the field ${String(field.id)} of ${key}`)
      }
    },
  }),
]
