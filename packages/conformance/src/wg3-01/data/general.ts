/**
 * CDS-WG3-01 §10 general rules and the §5 metadata members of the Customer Data APIs: which APIs a
 * server publishes for its scopes, bearer authentication and Grant state (catalog §1.1, §1.2,
 * §1.11), Grant Admin tokens, the Value Type Choices of §5.2.
 *
 * @module
 */
import { ValueFormat, checkStrict } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { DATA_APIS, type DataApi } from './apis.js'
import { check } from './kit.js'
import { firstPage, fullListing, idsOf, page, sameIds, shown, str } from './listing.js'
import { apiUrl, clientMetadata, descriptions, directToken, fieldsOf, grantAdminToken, grantOf, impliedFields, suiteClient, scopeIdOfType, tokenResponse } from './tokens.js'
import { directView } from './views.js'

/** Whether a Scope Description offers or implies an `include_*` field (catalog §1.1 "has or requires"). */
function hasInclude(description: Json, include: string): boolean {
  return fieldsOf(description).has(include) || impliedFields(String(description.type)).includes(include)
}

/** The Customer Data Scope Descriptions of `scopes_supported`. */
async function dataScopes(ctx: CheckContext): Promise<Json[]> {
  const all = await descriptions(ctx)
  const supported = ((await ctx.oauthMetadata()).scopes_supported ?? []) as string[]
  return supported.map((id) => all[id]).filter((d): d is Json => d !== undefined && String(d.type).startsWith('cds_') && (impliedFields(String(d.type)).length > 0 || [...fieldsOf(d).keys()].some((f) => f.startsWith('include_'))))
}

/** The metadata a Client object holding a scope with the include sees (Client-specific, §5), or the public one. */
async function metadataFor(ctx: CheckContext, include: string): Promise<{ asm: Json; scope?: string }> {
  const registration = await ctx.registration()
  for (const d of await dataScopes(ctx)) {
    if (!hasInclude(d, include)) continue
    const client = registration.clients.find((c) => str(c.scope ?? '').split(' ').includes(String(d.id)))
    if (client !== undefined) return { asm: await clientMetadata(ctx, client), scope: String(d.id) }
  }
  return { asm: await ctx.oauthMetadata() }
}

/** `cds_<x>_api` is an https URL when a supported scope has or requires its include field (§5). */
function publishedCheck(id: string, api: DataApi): Check {
  return check(id, '§5', `${api.metadata} is published when a supported scope has or requires ${api.include}`, async (ctx: CheckContext) => {
    const scopes = (await dataScopes(ctx)).filter((d) => hasInclude(d, api.include))
    if (scopes.length === 0) ctx.notApplicable(`no supported scope has or requires ${api.include}`)
    const { asm, scope } = await metadataFor(ctx, api.include)
    const url = asm[api.metadata]
    ctx.assert(typeof url === 'string' && ctx.isSecureUrl(url), `the scope ${scope ?? String(scopes[0]?.id)} offers ${api.include} but the metadata has ${api.metadata} ${shown(url)}`)
  })
}

const api = (key: DataApi['key']) => DATA_APIS.find((a) => a.key === key) as DataApi

/** The checks of §10 (general) and §5. */
export const generalChecks: readonly Check[] = [
  check('R3-01-10-01', '§10', 'each supported data scope has the APIs of its data published, and a token of each direct scope reads them', async (ctx: CheckContext) => {
    const scopes = await dataScopes(ctx)
    if (scopes.length === 0) ctx.notApplicable('the server supports no Customer Data scope')
    for (const d of scopes) {
      const apis = DATA_APIS.filter((a) => impliedFields(String(d.type)).includes(a.include))
      const { asm } = await metadataFor(ctx, apis[0]?.include ?? '')
      for (const a of apis) ctx.assert(typeof asm[a.metadata] === 'string', `the scope ${String(d.id)} gives ${a.name}, but ${a.metadata} is not published`)
      if (!Array.isArray(d.response_types_supported) || d.response_types_supported.length > 0) continue
      const token = await directToken(ctx, String(d.type), 'plain')
      for (const a of apis) await firstPage(ctx, token, a.key)
    }
  }),
  check('R3-01-10-03', '§10', 'every data API answers 401 without a token and to an unknown token, and 200 to a valid one', async (ctx: CheckContext) => {
    let seen = 0
    for (const a of DATA_APIS) {
      const token = await directView(ctx, a.key).catch(() => undefined)
      if (token === undefined) continue
      const url = await apiUrl(ctx, token, a)
      const none = await ctx.request({ url })
      ctx.expectStatus(none, 401)
      const unknown = await ctx.request({ url, bearer: 'cds-conformance-unknown-token-0123456789' })
      ctx.expectStatus(unknown, 401)
      const challenge = unknown.headers.get('www-authenticate') ?? ''
      const error = unknown.mediaType.endsWith('json') ? unknown.json<Json>().error : undefined
      ctx.assert(/invalid_token/.test(challenge) || error === 'invalid_token', `${unknown.request} with an unknown token says neither error="invalid_token" in WWW-Authenticate nor in the body`)
      await fullListing(ctx, token, a.key)
      seen++
    }
    if (seen === 0) ctx.notApplicable('no data API can be read with a direct-access token')
  }),
  check('R3-01-10-04', '§10', "a token stops reading data once its Grant is closed", async (ctx: CheckContext) => {
    const scopeId = await scopeIdOfType(ctx, 'cds_query_accounts')
    if (scopeId === undefined) ctx.notApplicable('the server offers no cds_query_accounts scope')
    const registration = await ctx.freshRegistration(`cds_client_admin ${scopeId}`)
    const { client, credentials } = await suiteClient(ctx, scopeId, registration)
    const response = await tokenResponse(ctx, credentials, scopeId)
    const token = { token: String(response.access_token), client, label: 'a fresh cds_query_accounts token', types: ['cds_query_accounts'], response }
    const url = await apiUrl(ctx, token, 'accounts')
    await page(ctx, url, token.token, api('accounts'))
    const admin = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const grant = await grantOf(ctx, token, registration)
    if (typeof grant.uri !== 'string') ctx.fail(`the Grant ${String(grant.grant_id)} has no uri`)
    ctx.expectStatus(await ctx.request({ method: 'PATCH', url: grant.uri, bearer: admin, json: { status: 'closed' } }), 200)
    const after = await ctx.request({ url, bearer: token.token })
    if (after.status === 401) return
    ctx.expectStatus(after, [200, 401])
    const items = after.json<Json>().accounts
    ctx.assert(Array.isArray(items) && items.length === 0, `the token of the closed Grant still lists ${Array.isArray(items) ? items.length : '?'} Account(s)`)
  }),
  check('R3-01-10-05', '§10', "a Grant Admin token for a direct-access Grant reads that Grant's data", async (ctx: CheckContext) => {
    const plain = await directToken(ctx, 'cds_query_accounts', 'plain')
    const grantId = String((await grantOf(ctx, plain)).grant_id)
    const scopeId = (await scopeIdOfType(ctx, 'cds_query_accounts')) ?? ''
    const admin = await grantAdminToken(ctx, scopeId, String(plain.client.client_id), grantId)
    const expected = idsOf('accounts', (await fullListing(ctx, plain, 'accounts')).items)
    const got = idsOf('accounts', (await fullListing(ctx, admin, 'accounts')).items)
    sameIds(ctx, got, expected, 'the Grant Admin token against the Grant\'s own token')
    ctx.assert(expected.length > 0, 'the Grant shows no Account, so the comparison shows nothing')
  }),
  check('R3-01-5-D01', '§5', 'the metadata has cds_customerdata_version "v1"', async (ctx: CheckContext) => {
    const { asm } = await metadataFor(ctx, 'include_accounts')
    ctx.assert(asm.cds_customerdata_version === 'v1', `cds_customerdata_version is ${shown(asm.cds_customerdata_version)}`)
  }),
  publishedCheck('R3-01-5-D02', api('accounts')),
  publishedCheck('R3-01-5-D03', api('servicecontracts')),
  publishedCheck('R3-01-5-D04', api('servicepoints')),
  publishedCheck('R3-01-5-D05', api('meterdevices')),
  publishedCheck('R3-01-5-D06', api('billstatements')),
  publishedCheck('R3-01-5-D07', api('billsections')),
  publishedCheck('R3-01-5-D08', api('aggregations')),
  publishedCheck('R3-01-5-D09', api('usagesegments')),
  check('R3-01-5-D10', '§5', 'with the Usage Segments API, cds_usagesegments_additional_value_types is a map keyed by type ({} when none)', async (ctx: CheckContext) => {
    const { asm } = await metadataFor(ctx, 'include_usage_segments')
    if (typeof asm.cds_usagesegments_api !== 'string') ctx.notApplicable('the metadata publishes no cds_usagesegments_api')
    const map = asm.cds_usagesegments_additional_value_types
    ctx.assert(typeof map === 'object' && map !== null && !Array.isArray(map), `cds_usagesegments_additional_value_types is ${shown(map)}`)
    for (const [key, d] of Object.entries(map as Record<string, Json>)) ctx.assert(d.type === key, `the entry ${key} has type ${shown(d.type)} (A-47)`)
  }),
  publishedCheck('R3-01-5-D11', api('eacs')),
  check('R3-01-5-D12', '§5', 'with the EACs API, cds_eac_formats is a map keyed by each description id', async (ctx: CheckContext) => {
    const { asm } = await metadataFor(ctx, 'include_eacs')
    if (typeof asm.cds_eacs_api !== 'string') ctx.notApplicable('the metadata publishes no cds_eacs_api')
    const map = asm.cds_eac_formats
    ctx.assert(typeof map === 'object' && map !== null && !Array.isArray(map), `cds_eac_formats is ${shown(map)}`)
    for (const [key, d] of Object.entries(map as Record<string, Json>)) ctx.assert(d.id === key, `the EAC format ${key} has id ${shown(d.id)}`)
  }),
  check('R3-01-5-D13', '§5', "each data Client object's own metadata (cds_server_metadata) publishes the APIs of its scope", async (ctx: CheckContext) => {
    const registration = await ctx.registration()
    let seen = 0
    for (const d of await dataScopes(ctx)) {
      const client = registration.clients.find((c) => str(c.scope ?? '').split(' ').includes(String(d.id)))
      if (client === undefined) continue
      ctx.assert(typeof client.cds_server_metadata === 'string', `the Client object ${String(client.client_id)} has no cds_server_metadata`)
      const asm = await clientMetadata(ctx, client)
      for (const a of DATA_APIS.filter((x) => impliedFields(String(d.type)).includes(x.include))) {
        seen++
        ctx.assert(typeof asm[a.metadata] === 'string', `the metadata of the ${String(d.id)} Client object lacks ${a.metadata}`)
      }
    }
    if (seen === 0) ctx.notApplicable('the suite holds no Client object of a data scope')
  }),
  check('R3-01-5.2-D01', '§5.2', 'value type Choices carry a valid usagesegment_format, and no other Choice carries one', async (ctx: CheckContext) => {
    let seen = 0
    for (const d of Object.values(await descriptions(ctx)))
      for (const field of fieldsOf(d).values())
        for (const choice of (field.choices ?? []) as Json[]) {
          if (field.id !== 'include_usage_segment_value_types') {
            ctx.assert(!('usagesegment_format' in choice), `the Choice ${String(choice.id)} of ${String(field.id)} (${String(d.id)}) carries a usagesegment_format`)
            continue
          }
          seen++
          const issues = checkStrict(ValueFormat, choice.usagesegment_format)
          ctx.assert(choice.usagesegment_format !== undefined && issues.length === 0, `the value type Choice ${String(choice.id)} of ${String(d.id)} has no valid usagesegment_format: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`)
        }
    if (seen === 0) ctx.notApplicable('no scope offers include_usage_segment_value_types Choices')
  }),
]
