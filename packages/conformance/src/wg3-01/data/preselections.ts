/**
 * What direct-access tokens see (CDS-WG3-01 §6.2, §7.1, §7.2; catalog §1.4): the scope's default
 * access without authorization details, preselection fields narrowing the primary set and the
 * reference lists pruned with it, intersections of preselections, and `include_*` fields that
 * never reach beyond the scope.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { CheckNotApplicable } from '../../core/check.js'
import { apiOf, DATA_APIS, type ApiKey } from './apis.js'
import { check } from './kit.js'
import { comparableIds, fullListing, idsOf, sameIds, shown, strings } from './listing.js'
import { descriptions, directToken, fieldsOf, impliedFields, type DataToken } from './tokens.js'

/** Each §7.1 preselection field: the listing it narrows and the values of an object it matches (catalog §1.4 table). */
export const PRESELECTIONS: Readonly<Record<string, { section: string; key: ApiKey; values: (item: Json) => string[]; refs: readonly string[] }>> = {
  account_numbers: { section: '§7.1.1', key: 'accounts', values: (i) => strings(i.account_number), refs: ['grouped_accounts', 'related_accounts'] },
  account_programs: { section: '§7.1.2', key: 'accounts', values: (i) => (Array.isArray(i.account_programs) ? (i.account_programs as Json[]).flatMap((p) => strings(p.program_number)) : []), refs: ['grouped_accounts', 'related_accounts'] },
  contract_numbers: { section: '§7.1.3', key: 'servicecontracts', values: (i) => strings(i.contract_number), refs: ['current_servicecontracts', 'previous_servicecontracts', 'related_servicecontracts', 'grouped_servicecontracts'] },
  service_types: { section: '§7.1.4', key: 'servicecontracts', values: (i) => strings(i.service_types), refs: ['current_servicecontracts', 'previous_servicecontracts', 'related_servicecontracts', 'grouped_servicecontracts'] },
  service_programs: { section: '§7.1.5', key: 'servicecontracts', values: (i) => (Array.isArray(i.service_programs) ? (i.service_programs as Json[]).flatMap((p) => strings(p.program_number)) : []), refs: ['current_servicecontracts', 'previous_servicecontracts', 'related_servicecontracts', 'grouped_servicecontracts'] },
  servicepoint_numbers: { section: '§7.1.6', key: 'servicepoints', values: (i) => strings(i.servicepoint_number), refs: ['current_servicepoints', 'previous_servicepoints', 'related_servicepoints', 'grouped_servicepoints'] },
  servicepoint_types: { section: '§7.1.7', key: 'servicepoints', values: (i) => strings(i.servicepoint_types), refs: ['current_servicepoints', 'previous_servicepoints', 'related_servicepoints', 'grouped_servicepoints'] },
  premise_numbers: { section: '§7.1.8', key: 'servicepoints', values: (i) => (Array.isArray(i.premises) ? (i.premises as Json[]).flatMap((p) => strings(p.premise_number)) : []), refs: ['current_servicepoints', 'previous_servicepoints', 'related_servicepoints', 'grouped_servicepoints'] },
  meter_numbers: { section: '§7.1.9', key: 'meterdevices', values: (i) => strings(i.meter_number), refs: ['related_meterdevices', 'grouped_meterdevices'] },
  meter_types: { section: '§7.1.10', key: 'meterdevices', values: (i) => strings(i.meter_types), refs: ['related_meterdevices', 'grouped_meterdevices'] },
  meter_apps: { section: '§7.1.11', key: 'meterdevices', values: (i) => (Array.isArray(i.meter_apps) ? (i.meter_apps as Json[]).flatMap((a) => strings(a.app_number)) : []), refs: ['related_meterdevices', 'grouped_meterdevices'] },
  aggregation_numbers: { section: '§7.1.12', key: 'aggregations', values: (i) => strings(i.aggregation_number), refs: ['grouped_aggregations', 'related_aggregations'] },
}

/** The direct Scope Descriptions of the server. */
async function directScopes(ctx: CheckContext): Promise<Json[]> {
  return Object.values(await descriptions(ctx)).filter((d) => Array.isArray(d.response_types_supported) && d.response_types_supported.length === 0 && String(d.type).startsWith('cds_query_'))
}

/** Whether a scope type shows a listing (its include implied, or offered and asked for by the full token). */
function shows(d: Json, key: ApiKey): boolean {
  const include = apiOf(key).include
  return impliedFields(String(d.type)).includes(include) || fieldsOf(d).has(include)
}

/** Every id list of a token's listings that names objects of the target listing holds only visible ones. */
async function expectPruned(ctx: CheckContext, token: DataToken, target: ApiKey, refs: readonly string[]): Promise<void> {
  const visible = new Set(idsOf(target, (await fullListing(ctx, token, target)).items))
  for (const a of DATA_APIS) {
    if (a.key === target) continue
    for (const item of (await fullListing(ctx, token, a.key).catch(() => ({ items: [] as Json[] }))).items)
      for (const ref of refs.flatMap((r) => strings(item[r]))) ctx.assert(visible.has(ref), `${a.name} ${String(item[a.id])} names ${ref}, which ${token.label} does not see in ${apiOf(target).name}`)
  }
}

/**
 * A direct token with the preselection field set to one value lists exactly the objects with that
 * value, and prunes the references to the others (§6.2 "MUST constrain", §7.1.x).
 */
export function preselectionCheck(id: string, field: string): Check {
  const spec = PRESELECTIONS[field]
  if (spec === undefined) throw new TypeError(`unknown preselection ${field}`)
  const target = apiOf(spec.key)
  return check(id, spec.section, `a direct-access token preselecting ${field} sees only the ${target.name} that match, and references to no other`, async (ctx: CheckContext) => {
    const scope = (await directScopes(ctx)).find((d) => fieldsOf(d).has(field) && shows(d, spec.key))
    if (scope === undefined) ctx.notApplicable(`no direct-access scope offers ${field} with ${target.name}`)
    const full = await directToken(ctx, String(scope.type), 'full')
    const items = (await fullListing(ctx, full, spec.key)).items
    const counts = new Map<string, number>()
    for (const item of items) for (const v of new Set(spec.values(item))) counts.set(v, (counts.get(v) ?? 0) + 1)
    const [value] = [...counts.entries()].sort((a, b) => a[1] - b[1])[0] ?? []
    if (value === undefined) ctx.notApplicable(`no ${target.name} visible to ${full.label} shows a value for ${field}`)
    const narrowed = await directToken(ctx, String(scope.type), { key: `${field}=${value}`, entry: { [field]: [value] } })
    const expected = items.filter((item) => spec.values(item).includes(value))
    sameIds(ctx, idsOf(spec.key, (await fullListing(ctx, narrowed, spec.key)).items), idsOf(spec.key, expected), `${target.name} of a token preselecting ${field} ["${value}"]`)
    await expectPruned(ctx, narrowed, spec.key, spec.refs)
  })
}

/** The checks of §6.2 and §7.1 on direct access, and the §7.2 bounds of `include_*`. */
export const preselectionChecks: readonly Check[] = [
  check('R3-01-6-D01', '§6', 'a direct-access token without authorization details sees what the scope includes by default', async (ctx: CheckContext) => {
    let compared = 0
    for (const d of await directScopes(ctx)) {
      const plain = await directToken(ctx, String(d.type), 'plain')
      const full = await directToken(ctx, String(d.type), 'full')
      for (const a of DATA_APIS.filter((x) => impliedFields(String(d.type)).includes(x.include))) {
        const expected = await comparableIds(ctx, full, a.key)
        sameIds(ctx, await comparableIds(ctx, plain, a.key), expected, `${a.name} of ${plain.label} against ${full.label}`)
        compared += expected.length
      }
    }
    if (compared === 0) ctx.notApplicable('no direct-access token sees any object')
  }),
  preselectionCheck('R3-01-6.2-D01', 'account_numbers'),
  check('R3-01-7.1-D01', '§7.1', 'a preselection naming nothing in the base set gives nothing', async (ctx: CheckContext) => {
    const scope = (await directScopes(ctx)).find((d) => fieldsOf(d).has('account_numbers') && shows(d, 'accounts'))
    if (scope === undefined) ctx.notApplicable('no direct-access scope offers account_numbers with Accounts')
    let token: DataToken
    try {
      token = await directToken(ctx, String(scope.type), { key: 'no-such-account', entry: { account_numbers: ['cds-conformance-no-such-account'] } })
    } catch (error) {
      if (error instanceof CheckNotApplicable) throw error
      return // A server may refuse the token instead (error_if_no_preselections, §7.4.3).
    }
    const items = (await fullListing(ctx, token, 'accounts')).items
    ctx.assert(items.length === 0, `a token preselecting an account number outside the base set lists ${items.length} Account(s)`)
  }),
  check('R3-01-7.1-D02', '§7.1', 'two preselection fields of one entry are intersected', async (ctx: CheckContext) => {
    const scope = (await directScopes(ctx)).find((d) => fieldsOf(d).has('account_numbers') && fieldsOf(d).has('contract_numbers') && shows(d, 'servicecontracts'))
    if (scope === undefined) ctx.notApplicable('no direct-access scope offers account_numbers and contract_numbers with Service Contracts')
    const items = (await fullListing(ctx, await directToken(ctx, String(scope.type), 'full'), 'servicecontracts')).items
    const a = items.find((c) => typeof c.account_number === 'string' && typeof c.contract_number === 'string')
    const b = items.find((c) => typeof c.contract_number === 'string' && typeof c.account_number === 'string' && c.account_number !== a?.account_number)
    if (a === undefined || b === undefined) ctx.notApplicable('fewer than two accounts with numbered contracts are visible')
    const entry = { account_numbers: [String(a.account_number)], contract_numbers: [String(a.contract_number), String(b.contract_number)] }
    const token = await directToken(ctx, String(scope.type), { key: 'intersect', entry })
    const expected = items.filter((c) => c.account_number === a.account_number && entry.contract_numbers.includes(String(c.contract_number)))
    sameIds(ctx, idsOf('servicecontracts', (await fullListing(ctx, token, 'servicecontracts')).items), idsOf('servicecontracts', expected), `Service Contracts of a token preselecting ${shown(entry)}`)
  }),
  preselectionCheck('R3-01-7.1.1-D01', 'account_numbers'),
  preselectionCheck('R3-01-7.1.2-D01', 'account_programs'),
  preselectionCheck('R3-01-7.1.3-D01', 'contract_numbers'),
  preselectionCheck('R3-01-7.1.4-D01', 'service_types'),
  preselectionCheck('R3-01-7.1.5-D01', 'service_programs'),
  preselectionCheck('R3-01-7.1.6-D01', 'servicepoint_numbers'),
  preselectionCheck('R3-01-7.1.7-D01', 'servicepoint_types'),
  preselectionCheck('R3-01-7.1.8-D01', 'premise_numbers'),
  preselectionCheck('R3-01-7.1.9-D01', 'meter_numbers'),
  preselectionCheck('R3-01-7.1.10-D01', 'meter_types'),
  preselectionCheck('R3-01-7.1.11-D01', 'meter_apps'),
  preselectionCheck('R3-01-7.1.12-D01', 'aggregation_numbers'),
  check('R3-01-7.1.13-D01', '§7.1.13', 'no direct-access scope offers the addresses preselection', async (ctx: CheckContext) => {
    const scopes = await directScopes(ctx)
    if (scopes.length === 0) ctx.notApplicable('the server offers no direct-access scope')
    for (const d of scopes) ctx.assert(!fieldsOf(d).has('addresses'), `the direct-access scope ${String(d.id)} offers addresses`)
  }),
  check('R3-01-7.2-D01', '§7.2', 'a direct-access token lists nothing of a type its scope does not include', async (ctx: CheckContext) => {
    let seen = 0
    for (const d of await directScopes(ctx)) {
      const token = await directToken(ctx, String(d.type), 'full')
      const both = ['include_service_contracts', 'include_meter_devices'].every((f) => impliedFields(String(d.type)).includes(f) || fieldsOf(d).has(f))
      for (const a of DATA_APIS) {
        if (shows(d, a.key) || (a.key === 'servicepoints' && both)) continue
        const items = (await fullListing(ctx, token, a.key)).items
        ctx.assert(items.length === 0, `${token.label} lists ${items.length} ${a.name}, which its scope does not include`)
        seen++
      }
    }
    if (seen === 0) ctx.notApplicable('every direct-access scope may show every type')
  }),
  check('R3-01-7.2-D02', '§7.2', 'include_* fields set to false give no more than leaving them out', async (ctx: CheckContext) => {
    let compared = 0
    for (const d of await directScopes(ctx)) {
      const [bare, plain] = [await directToken(ctx, String(d.type), 'bare'), await directToken(ctx, String(d.type), 'plain')]
      for (const a of DATA_APIS) {
        const allowed = new Set(await comparableIds(ctx, plain, a.key))
        const extra = (await comparableIds(ctx, bare, a.key)).filter((x) => !allowed.has(x))
        ctx.assert(extra.length === 0, `${bare.label} lists ${extra.length} ${a.name} that ${plain.label} does not (${extra.slice(0, 3).join(', ')})`)
        compared++
      }
    }
    if (compared === 0) ctx.notApplicable('the server offers no direct-access scope')
  }),
  check('R3-01-7.2.8-D02', '§7.2.8', 'a token whose scopes do not include Usage Segments lists none', async (ctx: CheckContext) => {
    let seen = 0
    for (const d of await directScopes(ctx)) {
      if (shows(d, 'usagesegments')) continue
      const token = await directToken(ctx, String(d.type), 'full')
      const items = (await fullListing(ctx, token, 'usagesegments')).items
      ctx.assert(items.length === 0, `${token.label} lists ${items.length} Usage Segment(s)`)
      seen++
    }
    if (seen === 0) ctx.notApplicable('every direct-access scope includes Usage Segments')
  }),
  check('R3-01-7.2.9-D02', '§7.2.9', 'include_eacs=false (or a scope without it) shows no EAC', async (ctx: CheckContext) => {
    let seen = 0
    for (const d of await directScopes(ctx)) {
      const token = await directToken(ctx, String(d.type), fieldsOf(d).has('include_eacs') ? 'bare' : 'full')
      const items = (await fullListing(ctx, token, 'eacs')).items
      ctx.assert(items.length === 0, `${token.label} lists ${items.length} EAC(s) although it does not include EACs`)
      seen++
    }
    if (seen === 0) ctx.notApplicable('the server offers no direct-access scope')
  }),
  check('R3-01-7.2.9-D01', '§7.2.9', 'include_eacs=true adds the EACs of the scope\'s data', async (ctx: CheckContext) => {
    const scope = (await directScopes(ctx)).find((d) => fieldsOf(d).has('include_eacs'))
    if (scope === undefined) ctx.notApplicable('no direct-access scope offers include_eacs (A-05)')
    const on = (await fullListing(ctx, await directToken(ctx, String(scope.type), 'full'), 'eacs')).items
    const off = (await fullListing(ctx, await directToken(ctx, String(scope.type), 'bare'), 'eacs')).items
    ctx.assert(off.length === 0, `with include_eacs=false the token lists ${off.length} EAC(s)`)
    if (on.length === 0) ctx.notApplicable(`no EAC relates to the data of ${String(scope.id)}`)
  }),
]

