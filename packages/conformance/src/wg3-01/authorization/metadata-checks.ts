/**
 * CDS-WG3-01 §5 Server Metadata, §5.1 Registration Field Formats and §5.2 Choice objects: the
 * version, the Customer Data API URLs each offered or implied include field calls for (in the
 * public metadata, or in the Client-specific metadata of the Client objects concerned, §5), their
 * reference maps, Purposes at registration, and `usagesegment_format` on Choices.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { clientWithScope, registrationBody } from '../../core/registration.js'
import { cdScopes, check, HTTP, profileOf, show, strings, type CdScope } from './kit.js'

/** The API URL members of §5 and the include field each one serves. */
const API_URLS: [string, string, string][] = [
  ['02', 'cds_accounts_api', 'include_accounts'],
  ['03', 'cds_servicecontracts_api', 'include_service_contracts'],
  ['04', 'cds_servicepoints_api', 'include_service_points'],
  ['05', 'cds_meterdevices_api', 'include_meter_devices'],
  ['06', 'cds_billstatement_api', 'include_bill_statements'],
  ['07', 'cds_billsection_api', 'include_bill_sections'],
  ['08', 'cds_aggregations_api', 'include_aggregations'],
  ['09', 'cds_usagesegments_api', 'include_usage_segments'],
  ['11', 'cds_eacs_api', 'include_eacs'],
]

/** Whether a scope offers or implies an include field (§6 "treated as true"). */
function gives(scope: CdScope, field: string): boolean {
  return scope.fields.has(field) || (profileOf(scope.type).impliedTrueFields as readonly string[]).includes(field)
}

/** Whether a scope gives the data of the field; Service Points also come with contracts and meters together (§7.2.2, §7.2.4, A-87). */
function needs(scope: CdScope, field: string): boolean {
  if (gives(scope, field)) return true
  return field === 'include_service_points' && gives(scope, 'include_service_contracts') && gives(scope, 'include_meter_devices')
}

/**
 * The metadata a member must be in for a scope: the public one, or else the Client-specific
 * metadata of a Client object of the suite's registration that holds the scope (§5 lets the
 * members live there only).
 */
async function metadataFor(ctx: CheckContext, scope: CdScope, member: string): Promise<Json> {
  const asm = await ctx.oauthMetadata()
  if (asm[member] !== undefined) return asm
  const found = clientWithScope(await ctx.registration(), scope.id)
  const specific = found?.client.cds_server_metadata
  if (typeof specific !== 'string') return asm
  return ctx.once(`authz:client-metadata:${specific}`, async () => {
    const wk = await ctx.request({ url: specific })
    if (wk.status !== 200) return asm
    const url = wk.json<Json>().oauth_metadata
    const reply = typeof url === 'string' ? await ctx.request({ url }) : undefined
    return reply?.status === 200 ? reply.json<Json>() : asm
  })
}

/** A §5 API URL is present wherever a scope offers or implies its data. */
function apiUrlRule(member: string, field: string) {
  return async (ctx: CheckContext) => {
    const scopes = (await cdScopes(ctx)).filter((s) => needs(s, field))
    if (scopes.length === 0) ctx.notApplicable(`no Customer Data scope offers or implies ${field}`)
    for (const scope of scopes) {
      const metadata = await metadataFor(ctx, scope, member)
      const value = metadata[member]
      ctx.assert(typeof value === 'string' && ctx.isSecureUrl(value), `${scope.id} offers or implies ${field}, but ${member} is ${show(value)} in the metadata its Client objects read`)
    }
  }
}

/** The registration field of Purposes (§5.1), and its format. */
async function purposesField(ctx: CheckContext): Promise<{ id: string; name: string; format: string; scope: CdScope }> {
  const fields = ((await ctx.oauthMetadata()).cds_registration_fields ?? {}) as Record<string, Json>
  const entry = Object.entries(fields).find(([, f]) => f.format === 'purposes' || f.format === 'purposes_or_null')
  if (entry === undefined) ctx.notApplicable('no registration field has the purposes or purposes_or_null format')
  const [id, field] = entry
  const scope = (await cdScopes(ctx)).find((s) => s.consent && [...strings(s.description.registration_requirements), ...strings(s.description.registration_optional)].includes(id))
  if (scope === undefined) ctx.notApplicable(`no consent scope lists the ${id} registration field`)
  return { id, name: typeof field.field_name === 'string' ? field.field_name : id, format: String(field.format), scope }
}

const PURPOSE = { id: '', name: 'Conformance purpose', content: 'To check the registration of Purposes.', related_uri: null, scopes_supported: [] }

/** The Purposes of the registration's Client object that holds the scope. */
function purposesOf(client: Json | undefined): Json[] {
  return Object.values((client?.cds_purposes ?? {}) as Record<string, Json>)
}

/** The checks of §5, §5.1 and §5.2. */
export const metadataChecks: readonly Check[] = [
  check('R3-01-5-01', '5', 'cds_customerdata_version is "v1"', async (ctx: CheckContext) => {
    if ((await cdScopes(ctx)).length === 0) ctx.notApplicable('the server offers no Customer Data scope')
    const version = (await ctx.oauthMetadata()).cds_customerdata_version
    ctx.assert(version === 'v1', `cds_customerdata_version is ${show(version)}`)
  }),
  ...API_URLS.map(([n, member, field]) =>
    check(`R3-01-5-${n}`, '5', `${member} is published where a scope offers or implies ${field}`, apiUrlRule(member, field), { needs: HTTP }),
  ),
  check('R3-01-5-10', '5', 'cds_usagesegments_additional_value_types is a map wherever cds_usagesegments_api is', async (ctx: CheckContext) => {
    const asm = await ctx.oauthMetadata()
    if (asm.cds_usagesegments_api === undefined) ctx.notApplicable('the metadata has no cds_usagesegments_api')
    const map = asm.cds_usagesegments_additional_value_types
    ctx.assert(typeof map === 'object' && map !== null && !Array.isArray(map), `cds_usagesegments_additional_value_types is ${show(map)}`)
  }),
  check('R3-01-5-12', '5', 'cds_eac_formats is a map keyed by format id wherever cds_eacs_api is', async (ctx: CheckContext) => {
    const asm = await ctx.oauthMetadata()
    if (asm.cds_eacs_api === undefined) ctx.notApplicable('the metadata has no cds_eacs_api')
    const map = asm.cds_eac_formats
    ctx.assert(typeof map === 'object' && map !== null && !Array.isArray(map), `cds_eac_formats is ${show(map)}`)
    for (const [key, value] of Object.entries(map as Record<string, Json>)) ctx.assert(value.id === key, `cds_eac_formats key ${key} holds the format ${show(value.id)}`)
  }),
  check(
    'R3-01-5.1-01',
    '5.1',
    'a registration with a Purpose whose id is set is refused; Purposes with empty ids are taken and get server ids',
    async (ctx: CheckContext) => {
      const field = await purposesField(ctx)
      const endpoint = await ctx.endpoint('registration_endpoint')
      const body = await registrationBody(ctx, `cds_client_admin ${field.scope.id}`)
      const refused = await ctx.request({ url: endpoint, json: { ...body, [field.name]: [{ ...PURPOSE, id: 'abc' }] } })
      ctx.assert(refused.status === 400, `a registration with a Purpose id "abc" answered ${refused.status}`)
      const registration = await ctx.freshRegistration(`cds_client_admin ${field.scope.id}`, { [field.name]: [PURPOSE] })
      const client = clientWithScope(registration, field.scope.id)?.client
      const own = purposesOf(client).find((p) => p.content === PURPOSE.content)
      ctx.assert(own !== undefined, `the Client object of ${field.scope.id} does not hold the registered Purpose: ${show(client?.cds_purposes)}`)
      ctx.assert(typeof own.id === 'string' && own.id !== '', `the registered Purpose has id ${show(own.id)}, not one the server gave it`)
    },
    { needs: HTTP },
  ),
  check(
    'R3-01-5.1-02',
    '5.1',
    'a registration with null Purposes is taken and gives only the default Purposes',
    async (ctx: CheckContext) => {
      const field = await purposesField(ctx)
      if (field.format !== 'purposes_or_null') ctx.notApplicable(`the ${field.id} registration field has the format ${field.format}`)
      const registration = await ctx.freshRegistration(`cds_client_admin ${field.scope.id}`, { [field.name]: null })
      const withNull = purposesOf(clientWithScope(registration, field.scope.id)?.client).map((p) => String(p.id))
      const plain = purposesOf(clientWithScope(await ctx.registration(), field.scope.id)?.client).map((p) => String(p.id))
      ctx.assert(withNull.length === plain.length && withNull.every((id) => plain.includes(id)), `with null Purposes the Client object holds ${show(withNull)}, not the default Purposes ${show(plain)}`)
    },
    { needs: HTTP },
  ),
  check('R3-01-5.2-02', '5.2', 'every Choice of include_usage_segment_value_types carries a usagesegment_format with id and type', async (ctx: CheckContext) => {
    const fields = (await cdScopes(ctx)).flatMap((s) => (s.fields.has('include_usage_segment_value_types') ? [[s.id, s.fields.get('include_usage_segment_value_types')] as const] : []))
    if (fields.length === 0) ctx.notApplicable('no scope offers include_usage_segment_value_types')
    for (const [id, field] of fields)
      for (const choice of (field?.choices ?? []) as Json[]) {
        const format = choice.usagesegment_format as Json | undefined
        ctx.assert(typeof format?.id === 'string' && typeof format.type === 'string', `${id} value type ${show(choice.id)} has usagesegment_format ${show(format)}`)
      }
  }),
  check('R3-01-5.2-03', '5.2', 'no other Choice carries usagesegment_format', async (ctx: CheckContext) => {
    const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
    for (const [id, description] of Object.entries(descriptions))
      for (const field of (description.authorization_details_fields_supported ?? []) as Json[]) {
        if (field.id === 'include_usage_segment_value_types') continue
        const marked = ((field.choices ?? []) as Json[]).filter((c) => Object.hasOwn(c, 'usagesegment_format'))
        ctx.assert(marked.length === 0, `${id} ${String(field.id)} has Choices with usagesegment_format: ${show(marked.map((c) => c.id))}`)
      }
  }),
]
