/**
 * CDS-WG3-01 §2 (data types) and §3 (the CDS-WG1-02 extension): exact decimals, the JWK Public
 * Encryption Key, wire formats, and the CDS-WG1-02 pieces a Customer Data server must have (PAR,
 * PKCE S256, metadata unions, test accounts and timezone, Client object defaults, sandbox objects,
 * `cds_grant_id` and `prompt=login`, relative dates in the server's timezone, Grant Admin tokens).
 *
 * @module
 */
import {
  AuthorizationServerMetadata,
  Client,
  CustomerDataAuthorizationDetails,
  CustomerDataClientExtension,
  CustomerDataServerMetadataExtension,
  Grant,
  TokenResponse,
} from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { clientWithScope, listAll } from '../../core/registration.js'
import { APIS } from './data-lab.js'
import { cdScopes, check, conformsTo, credentialsFor, expectAccepted, expectRefused, HTTP, parProbe, show, strings, tokenProbe, type CdScope } from './kit.js'
import { localDate, plusDays } from './time.js'

/** The first consent scope, or not applicable. */
async function anyConsent(ctx: CheckContext): Promise<CdScope> {
  const scope = (await cdScopes(ctx)).find((s) => s.consent)
  if (scope === undefined) ctx.notApplicable('the server offers no Customer Data consent scope')
  return scope
}

/** An EC P-256 public key as a JWK with the given `use` (RFC 7517 §4.2). */
async function publicJwk(use: string): Promise<Json> {
  const pair = (await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']))
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
  return { kty, crv, x, y, use, kid: `conformance-${use}` }
}

/** Decimal numbers of a raw JSON text: those with a trailing zero in the fraction, and those with float artefacts. */
function decimals(text: string): { trailing: string[]; artefacts: string[] } {
  const numbers = text.match(/(?<=[:[,]\s*)-?\d+\.\d+(?=\s*[,\]}])/g) ?? []
  return { trailing: numbers.filter((n) => n.endsWith('0')), artefacts: numbers.filter((n) => /\.\d*(0{6,}[1-9]|9{6,}\d)$/.test(n)) }
}

/** A raw listing of a direct scope's data (first page), every include field on. */
async function rawListing(ctx: CheckContext, scope: CdScope, api: string): Promise<string | undefined> {
  const entry: Json = { type: scope.rarType }
  for (const [id, field] of scope.fields) if (id.startsWith('include_') && field.format === 'boolean') entry[id] = true
  const probe = await tokenProbe(ctx, scope, [entry])
  if (!probe.accepted) return undefined
  const url = (await ctx.oauthMetadata())[api]
  if (typeof url !== 'string') return undefined
  const response = await ctx.request({ url, bearer: String(probe.response.json<Json>().access_token) })
  return response.status === 200 ? response.text : undefined
}

/** The checks of §2 and §3. */
export const extensionChecks: readonly Check[] = [
  check(
    'R3-01-2-01',
    '2',
    'decimals keep their digits: data values show trailing fraction zeros and no binary-float artefacts',
    async (ctx: CheckContext) => {
      const sources: [string, string][] = [
        ['cds_query_bill_statements', APIS.bill_statements.metadata[0]],
        ['cds_query_bill_sections', APIS.bill_sections.metadata[0]],
        ['cds_query_usage', APIS.usage_segments.metadata[0]],
      ]
      const trailing: string[] = []
      let read = 0
      for (const [type, api] of sources) {
        const scope = (await cdScopes(ctx)).find((s) => s.type === type)
        const text = scope === undefined ? undefined : await rawListing(ctx, scope, api)
        if (text === undefined) continue
        read++
        const found = decimals(text)
        ctx.assert(found.artefacts.length === 0, `the ${api} listing holds decimals rendered through binary floats: ${found.artefacts.slice(0, 3).join(', ')}`)
        trailing.push(...found.trailing)
      }
      if (read === 0) ctx.notApplicable('no direct scope gives bill or usage data to read decimals from')
      if (trailing.length === 0) ctx.notApplicable('the data read holds no decimal whose source precision shows (no trailing fraction zero)')
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-2-03',
    '2',
    'a jwk whose use is sig is refused with invalid_authorization_details, while the same key with use enc is taken',
    async (ctx: CheckContext) => {
      const scope = (await cdScopes(ctx)).find((s) => s.consent && s.fields.has('jwk'))
      if (scope === undefined) ctx.notApplicable('no consent scope offers the jwk field')
      const enc = await publicJwk('enc')
      expectAccepted(ctx, await parProbe(ctx, scope, [{ type: scope.rarType, jwk: enc }]), `a ${scope.id} request with an encryption key`)
      expectRefused(ctx, await parProbe(ctx, scope, [{ type: scope.rarType, jwk: { ...enc, use: 'sig' } }]), `a ${scope.id} request with a jwk whose use is sig`)
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-2-04',
    '2',
    'the metadata, a client_credentials token response and a Grant use the §2 wire formats',
    async (ctx: CheckContext) => {
      const asm = await ctx.oauthMetadata()
      conformsTo(ctx, AuthorizationServerMetadata, asm, 'the Authorization Server Metadata')
      conformsTo(ctx, CustomerDataServerMetadataExtension, asm, 'the Customer Data members of the metadata')
      const direct = (await cdScopes(ctx)).find((s) => !s.consent)
      if (direct === undefined) return
      const probe = await tokenProbe(ctx, direct, [{ type: direct.rarType }])
      expectAccepted(ctx, probe, `a client_credentials request for ${direct.id}`)
      const body = probe.response.json<Json>()
      conformsTo(ctx, TokenResponse, body, 'the token response')
      for (const entry of (Array.isArray(body.authorization_details) ? body.authorization_details : []) as Json[]) conformsTo(ctx, CustomerDataAuthorizationDetails, entry, `the token response entry ${show(entry.type)}`)
      const { client } = await credentialsFor(ctx, direct.id)
      const url = new URL(String(asm.cds_grants_api))
      url.searchParams.set('client_ids', String(client.client_id))
      for await (const grant of listAll(ctx, url.href, await ctx.adminToken(), 'grants')) conformsTo(ctx, Grant, grant, `the Grant ${String(grant.grant_id)}`)
    },
    { needs: HTTP },
  ),
  check('R3-01-3-01', '3', 'the metadata carries the CDS-WG1-02 version, registration, the four APIs and a Grant Admin scope', async (ctx: CheckContext) => {
    const asm = await ctx.oauthMetadata()
    ctx.assert(asm.cds_oauth_version === 'v1', `cds_oauth_version is ${show(asm.cds_oauth_version)}, not "v1"`)
    for (const member of ['registration_endpoint', 'cds_clients_api', 'cds_messages_api', 'cds_credentials_api', 'cds_grants_api'])
      ctx.assert(typeof asm[member] === 'string' && ctx.isSecureUrl(asm[member]), `${member} is ${show(asm[member])}, not an https URL`)
    const descriptions = Object.values((asm.cds_scope_descriptions ?? {}) as Record<string, Json>)
    ctx.assert(descriptions.some((d) => d.type === 'cds_grant_admin'), 'no Scope Description has the type cds_grant_admin')
  }),
  check(
    'R3-01-3-02',
    '3',
    'the extension points are used as specified: the metadata members (§5) and the Client object members (§8.1) conform',
    async (ctx: CheckContext) => {
      conformsTo(ctx, CustomerDataServerMetadataExtension, await ctx.oauthMetadata(), 'the Customer Data members of the metadata')
      const registration = await ctx.registration()
      const consent = registration.clients.filter((c) => strings(c.response_types).length > 0)
      for (const client of consent) {
        conformsTo(ctx, Client, client, `the Client object ${String(client.client_id)}`)
        conformsTo(ctx, CustomerDataClientExtension, client, `the Customer Data members of the Client object ${String(client.client_id)}`)
      }
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-3-03',
    '3',
    'a server with consent scopes publishes a PAR endpoint that answers 201 with request_uri and expires_in',
    async (ctx: CheckContext) => {
      const scope = await anyConsent(ctx)
      const asm = await ctx.oauthMetadata()
      ctx.assert(typeof asm.pushed_authorization_request_endpoint === 'string', 'the metadata has no pushed_authorization_request_endpoint')
      const probe = await parProbe(ctx, scope, undefined)
      ctx.expectStatus(probe.response, 201)
      const body = probe.response.json<Json>()
      ctx.assert(typeof body.request_uri === 'string' && body.request_uri !== '', 'the PAR response has no request_uri')
      ctx.assert(typeof body.expires_in === 'number' && body.expires_in > 0, `the PAR response has expires_in ${show(body.expires_in)}`)
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-3-04',
    '3',
    'every authorization_code scope lists S256 and never plain, and a plain challenge is refused',
    async (ctx: CheckContext) => {
      const code = (await cdScopes(ctx)).filter((s) => strings(s.description.grant_types_supported).includes('authorization_code'))
      if (code.length === 0) ctx.notApplicable('no Customer Data scope uses the authorization_code grant')
      for (const scope of code) {
        const methods = strings(scope.description.code_challenge_methods_supported)
        ctx.assert(methods.includes('S256') && !methods.includes('plain'), `${scope.id} lists PKCE methods ${show(methods)}`)
      }
      const [first] = code
      if (first === undefined) return
      const probe = await parProbe(ctx, first, undefined, { code_challenge_method: 'plain' })
      ctx.assert(!probe.accepted, 'a pushed request with code_challenge_method=plain was accepted')
      ctx.expectError(probe.response, 400, 'invalid_request')
    },
    { needs: HTTP },
  ),
  check('R3-01-3-05', '3', 'the top-level types, grants, methods and PKCE methods include every Scope Description value', async (ctx: CheckContext) => {
    const asm = await ctx.oauthMetadata()
    const descriptions = Object.values((asm.cds_scope_descriptions ?? {}) as Record<string, Json>)
    for (const member of ['authorization_details_types_supported', 'response_types_supported', 'grant_types_supported', 'token_endpoint_auth_methods_supported', 'code_challenge_methods_supported']) {
      const top = strings(asm[member])
      const missing = [...new Set(descriptions.flatMap((d) => strings(d[member])))].filter((v) => !top.includes(v))
      ctx.assert(missing.length === 0, `the top-level ${member} lacks ${missing.join(', ')}, which Scope Descriptions list`)
    }
  }),
  check('R3-01-3-06', '3', 'with consent scopes the metadata has cds_test_accounts, and cds_timezone is a known time zone', async (ctx: CheckContext) => {
    const asm = await ctx.oauthMetadata()
    if ((await cdScopes(ctx)).some((s) => s.consent)) ctx.assert(typeof asm.cds_test_accounts === 'string' && ctx.isSecureUrl(asm.cds_test_accounts), `cds_test_accounts is ${show(asm.cds_test_accounts)}`)
    ctx.assert(typeof asm.cds_timezone === 'string', `cds_timezone is ${show(asm.cds_timezone)}`)
    try {
      new Intl.DateTimeFormat('en', { timeZone: asm.cds_timezone })
    } catch {
      ctx.fail(`cds_timezone ${show(asm.cds_timezone)} is not an IANA time zone`)
    }
  }),
  check(
    'R3-01-3-07',
    '3',
    'every consent Client object gets a server default redirect URI, a default scope and empty default authorization details',
    async (ctx: CheckContext) => {
      const registration = await ctx.registration()
      const consent = registration.clients.filter((c) => strings(c.response_types).length > 0)
      if (consent.length === 0) ctx.notApplicable('the registration holds no Client object with response types')
      for (const client of consent) {
        const id = String(client.client_id)
        const redirects = strings(client.redirect_uris)
        ctx.assert(typeof client.cds_default_redirect_uri === 'string' && redirects.includes(client.cds_default_redirect_uri), `${id}: cds_default_redirect_uri ${show(client.cds_default_redirect_uri)} is not one of redirect_uris ${show(redirects)}`)
        ctx.assert(typeof client.cds_default_scope === 'string', `${id}: cds_default_scope is ${show(client.cds_default_scope)}`)
        ctx.assert(Array.isArray(client.cds_default_authorization_details) && client.cds_default_authorization_details.length === 0, `${id}: cds_default_authorization_details is ${show(client.cds_default_authorization_details)}, not []`)
      }
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-3-08',
    '3',
    'the registration makes a sandbox Client object for the consent scopes, and no object may be both production and sandbox',
    async (ctx: CheckContext) => {
      const registration = await ctx.registration()
      if (!registration.registered) ctx.skip('the run was given credentials; the check needs a registration of its own')
      for (const client of registration.clients) {
        const options = strings(client.cds_status_options)
        ctx.assert(!(options.includes('production') && options.includes('sandbox')), `${String(client.client_id)} offers both production and sandbox: ${show(options)}`)
      }
      const consent = (await cdScopes(ctx)).filter((s) => s.consent && registration.clients.some((c) => strings(String(c.scope).split(' ')).includes(s.id)))
      if (consent.length === 0) ctx.notApplicable('the registration holds no consent scope')
      for (const scope of consent) {
        const sandbox = registration.clients.some((c) => String(c.scope).split(' ').includes(scope.id) && (c.cds_status === 'sandbox' || strings(c.cds_status_options).includes('sandbox')))
        ctx.assert(sandbox, `the registration made no sandbox Client object holding ${scope.id}`)
      }
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-3-09',
    '3',
    'a pushed request may carry prompt=login and cds_grant_id: the first is taken, an unknown Grant id ends in cds_grant_id_invalid_value',
    async (ctx: CheckContext) => {
      const scope = await anyConsent(ctx)
      expectAccepted(ctx, await parProbe(ctx, scope, undefined, { prompt: 'login' }), 'a pushed request with prompt=login')
      const probe = await parProbe(ctx, scope, undefined, { cds_grant_id: `conformance-unknown-${Date.now()}` })
      if (!probe.accepted) {
        ctx.expectError(probe.response, 400, ['cds_grant_id_invalid_value', 'invalid_request'])
        return
      }
      const { credentials } = await credentialsFor(ctx, scope.id)
      const url = new URL(await ctx.endpoint('authorization_endpoint'))
      url.searchParams.set('client_id', credentials.client_id)
      url.searchParams.set('request_uri', String(probe.response.json<Json>().request_uri))
      const answer = await ctx.request({ url, headers: { accept: 'text/html' } })
      const location = answer.headers.get('location')
      ctx.assert(answer.status >= 300 && answer.status < 400 && location !== null, `the authorization request with an unknown cds_grant_id answered ${answer.status}, not a redirect back with an error`)
      ctx.assert(new URL(location, url).searchParams.get('error') === 'cds_grant_id_invalid_value', `the redirect for an unknown cds_grant_id is ${location}`)
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-3-10',
    '3',
    'relative dates of a client_credentials request count from the request, in cds_timezone',
    async (ctx: CheckContext) => {
      const asm = await ctx.oauthMetadata()
      const zone = String(asm.cds_timezone)
      const scope = (await cdScopes(ctx)).find((s) => !s.consent && ['statement_date_start', 'start_date'].some((f) => s.fields.get(f)?.format === 'relative_or_absolute_date'))
      if (scope === undefined) ctx.notApplicable('no direct scope offers a relative date field')
      const field = ['statement_date_start', 'start_date'].find((f) => scope.fields.has(f)) ?? 'start_date'
      const before = new Date()
      const probe = await tokenProbe(ctx, scope, [{ type: scope.rarType, [field]: 'P1D' }])
      const after = new Date()
      expectAccepted(ctx, probe, `a ${scope.id} request with ${field} P1D`)
      const value = (probe.response.json<Json>().authorization_details as Json[] | undefined)?.find((e) => e.type === scope.rarType)?.[field]
      const wanted = [plusDays(localDate(before, zone), -1), plusDays(localDate(after, zone), -1)]
      ctx.assert(typeof value === 'string' && wanted.includes(value), `${field} P1D became ${show(value)}; the day before the request in ${zone} is ${wanted[0] ?? ''}`)
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-3-11',
    '3',
    'a Grant Admin client_credentials request naming a Client object and its Grant gives a token that reads the Grant data',
    async (ctx: CheckContext) => {
      const asm = await ctx.oauthMetadata()
      const admin = Object.values((asm.cds_scope_descriptions ?? {}) as Record<string, Json>).find((d) => d.type === 'cds_grant_admin')
      if (admin === undefined) ctx.notApplicable('the server offers no Grant Admin scope')
      const direct = (await cdScopes(ctx)).find((s) => s.type === 'cds_query_accounts') ?? (await cdScopes(ctx)).find((s) => !s.consent)
      if (direct === undefined) ctx.notApplicable('the server offers no direct scope whose Grant exists without a customer')
      const registration = await ctx.registration()
      const holder = clientWithScope(registration, String(admin.id))
      if (holder === undefined) ctx.skip(`the registration has no Client object for ${String(admin.id)}`)
      const { client } = await credentialsFor(ctx, direct.id)
      const url = new URL(String(asm.cds_grants_api))
      url.searchParams.set('client_ids', String(client.client_id))
      let grant: Json | undefined
      for await (const g of listAll(ctx, url.href, await ctx.adminToken(), 'grants')) if (g.status === 'active' && String(g.enabled_scope).split(' ').includes(direct.id)) grant ??= g
      if (grant === undefined) ctx.notApplicable(`the ${direct.id} Client object has no active Grant`)
      const types = strings(admin.authorization_details_types_supported)
      const type = types.includes(String(admin.id)) ? String(admin.id) : (types[0] ?? String(admin.id))
      const response = await ctx.request({
        url: await ctx.endpoint('token_endpoint'),
        basic: holder.credentials,
        form: { grant_type: 'client_credentials', authorization_details: JSON.stringify([{ type, client_id: client.client_id, grant_id: grant.grant_id }]) },
      })
      ctx.expectStatus(response, 200)
      const token = response.json<Json>().access_token
      ctx.assert(typeof token === 'string', 'the Grant Admin token response has no access_token')
      const api = direct.type === 'cds_query_accounts' ? asm.cds_accounts_api : undefined
      if (typeof api === 'string') ctx.expectStatus(await ctx.request({ url: api, bearer: token }), 200)
    },
    { needs: HTTP },
  ),
]
