/**
 * CDS-WG1-02 §3.2 Metadata Object Format: the members the Authorization Server Metadata must
 * have, their formats, the unions over the Scope Descriptions, and the conditional members.
 * The endpoints' behaviour is checked in `asm-endpoints.ts`.
 *
 * @module
 */
import { RegistrationField, ScopeDescription } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { conformsOpen, isAbsoluteUrl, isWebUrl } from '../../wg1-01/kit.js'
import { descriptions, descriptionsOfType, exactAsm, mapOf, strings, unionOf } from './kit.js'

/** The top-level lists that must cover the union of the Scope Descriptions' lists (§3.2). */
const UNIONS: readonly { id: string; member: string }[] = [
  { id: 'R1-02-3.2-09', member: 'code_challenge_methods_supported' },
  { id: 'R1-02-3.2-10', member: 'authorization_details_types_supported' },
  { id: 'R1-02-3.2-12', member: 'response_types_supported' },
  { id: 'R1-02-3.2-13', member: 'grant_types_supported' },
  { id: 'R1-02-3.2-14', member: 'token_endpoint_auth_methods_supported' },
]

/** The page URLs §3.2 makes REQUIRED. */
const PAGES: readonly { id: string; member: string; what: string }[] = [
  { id: 'R1-02-3.2-04', member: 'service_documentation', what: 'the developer documentation' },
  { id: 'R1-02-3.2-05', member: 'op_policy_uri', what: 'the registration policy' },
  { id: 'R1-02-3.2-06', member: 'op_tos_uri', what: 'the terms of use' },
  { id: 'R1-02-3.2-16', member: 'cds_human_registration', what: 'the manual registration page' },
]

/** Whether a value is an IANA time zone name the running Node knows (an `Area/Location` name or `UTC`; offsets refused). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(value)) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/** The checks of CDS-WG1-02 §3.2 about members and formats. */
export const asmMemberChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.2-02',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'scopes_supported holds every scope id of cds_scope_descriptions',
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      ctx.assert(Array.isArray(asm.scopes_supported), 'scopes_supported is not an array')
      const missing = Object.keys(await descriptions(ctx)).filter((id) => !strings(asm.scopes_supported).includes(id))
      ctx.assert(missing.length === 0, `scopes_supported lacks ${missing.join(', ')}`)
    },
  }),
  ...UNIONS.map((row) =>
    defineCheck({
      id: row.id,
      spec: 'CDS-WG1-02',
      section: '§3.2',
      title: `${row.member} covers the union of the Scope Descriptions' ${row.member}${row.member.startsWith('code_challenge') ? ', which never offers plain' : ''}`,
      async run(ctx: CheckContext) {
        const asm = await ctx.oauthMetadata()
        ctx.assert(Array.isArray(asm[row.member]), `${row.member} is not an array`)
        const union = await unionOf(ctx, row.member)
        const missing = [...union].filter((value) => !strings(asm[row.member]).includes(value))
        ctx.assert(missing.length === 0, `${row.member} ${JSON.stringify(asm[row.member])} lacks ${missing.join(', ')}`)
        if (row.member === 'code_challenge_methods_supported') ctx.assert(!union.has('plain'), 'a Scope Description offers the plain code challenge method')
      },
    }),
  ),
  ...PAGES.map((row) =>
    defineCheck({
      id: row.id,
      spec: 'CDS-WG1-02',
      section: '§3.2',
      title: `${row.member} is present: the URL of ${row.what}`,
      async run(ctx: CheckContext) {
        const value = (await ctx.oauthMetadata())[row.member]
        ctx.assert(isWebUrl(value), `${row.member} is ${JSON.stringify(value)}, not an absolute http(s) URL`)
      },
    }),
  ),
  defineCheck({
    id: 'R1-02-3.2-15',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'cds_oauth_version is "v1"',
    async run(ctx: CheckContext) {
      const { cds_oauth_version } = await ctx.oauthMetadata()
      ctx.assert(cds_oauth_version === 'v1', `cds_oauth_version is ${JSON.stringify(cds_oauth_version)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-17',
    also: ['R1-02-2-07'],
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'cds_timezone is a time zone name of the IANA database (no offsets)',
    async run(ctx: CheckContext) {
      const { cds_timezone } = await ctx.oauthMetadata()
      ctx.assert(isTimeZone(cds_timezone), `cds_timezone is ${JSON.stringify(cds_timezone)}, not an IANA time zone name`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-22',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'with a cds_server_provided_files scope, cds_server_provided_files_api is present',
    async run(ctx: CheckContext) {
      const files = await descriptionsOfType(ctx, 'cds_server_provided_files')
      if (files.length === 0) ctx.notApplicable('no Scope Description has the type cds_server_provided_files')
      const value = (await ctx.oauthMetadata()).cds_server_provided_files_api
      ctx.assert(isAbsoluteUrl(value), `the server offers ${String(files[0]?.id)} but cds_server_provided_files_api is ${JSON.stringify(value)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-23',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'with user authorization (response types offered), cds_test_accounts is present',
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      if (strings(asm.response_types_supported).length === 0) ctx.notApplicable('response_types_supported is empty: no user authorization')
      ctx.assert(isWebUrl(asm.cds_test_accounts), `cds_test_accounts is ${JSON.stringify(asm.cds_test_accounts)}, not a URL`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-24',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'cds_scope_descriptions maps each scope id to its Scope Description, and covers the CDS scopes of scopes_supported',
    async run(ctx: CheckContext) {
      const asm = await exactAsm(ctx)
      const map = asm.cds_scope_descriptions
      ctx.assert(typeof map === 'object' && map !== null && !Array.isArray(map), 'cds_scope_descriptions is not an object')
      for (const [key, description] of Object.entries(mapOf(map))) {
        conformsOpen(ctx, ScopeDescription, description, `the Scope Description ${key}`)
        ctx.assert(description.id === key, `the Scope Description under ${key} has id ${JSON.stringify(description.id)}`)
      }
      // Scope ids that use the CDS prefix are CDS functionality; they need a description (§3.2).
      const undescribed = strings(asm.scopes_supported).filter((id) => id.startsWith('cds_') && !(id in mapOf(map)))
      ctx.assert(undescribed.length === 0, `scopes_supported lists ${undescribed.join(', ')} without a Scope Description`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-25',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'cds_registration_fields has a Registration Field for every id any Scope Description requires or offers ({} when none)',
    async run(ctx: CheckContext) {
      const asm = await exactAsm(ctx)
      const map = asm.cds_registration_fields
      ctx.assert(typeof map === 'object' && map !== null && !Array.isArray(map), 'cds_registration_fields is not an object')
      const fields = mapOf(map)
      const used = new Set<string>()
      for (const description of Object.values(mapOf(asm.cds_scope_descriptions)))
        for (const id of [...strings(description.registration_requirements), ...strings(description.registration_optional)]) used.add(id)
      const missing = [...used].filter((id) => !(id in fields))
      ctx.assert(missing.length === 0, `cds_registration_fields lacks ${missing.join(', ')} (A-44 counts registration_optional too)`)
      if (used.size === 0) ctx.assert(Object.keys(fields).length === 0, 'no scope needs a registration field, yet cds_registration_fields is not {}')
      for (const [key, field] of Object.entries(fields)) conformsOpen(ctx, RegistrationField, field, `the Registration Field ${key}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.2-29',
    spec: 'CDS-WG1-02',
    section: '§3.2',
    title: 'the RFC 8414 base members: an https issuer without query or fragment, token_endpoint, authorization_endpoint with the code flow, response_types_supported',
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      ctx.assert(typeof asm.issuer === 'string' && ctx.isSecureUrl(asm.issuer), `issuer ${JSON.stringify(asm.issuer)} is not an https URL`)
      ctx.assert(!asm.issuer.includes('?') && !asm.issuer.includes('#'), `issuer ${asm.issuer} has a query or fragment`)
      ctx.assert(typeof asm.token_endpoint === 'string' && ctx.isSecureUrl(asm.token_endpoint), `token_endpoint ${JSON.stringify(asm.token_endpoint)} is not an https URL`)
      ctx.assert(Array.isArray(asm.response_types_supported), 'response_types_supported is missing')
      const code = Object.values(await descriptions(ctx)).some((d: Json) => strings(d.grant_types_supported).includes('authorization_code'))
      if (code) ctx.assert(typeof asm.authorization_endpoint === 'string' && ctx.isSecureUrl(asm.authorization_endpoint), `a scope offers authorization_code but authorization_endpoint is ${JSON.stringify(asm.authorization_endpoint)}`)
    },
  }),
]
