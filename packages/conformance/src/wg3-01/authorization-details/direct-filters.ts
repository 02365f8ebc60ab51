/**
 * Preselection fields on direct access scopes (CDS-WG3-01 §7.1, the "Direct" rows of §7.1.1–
 * §7.1.12): `null` filters nothing, a list keeps only the objects it matches, the reference arrays
 * of the other objects point only at what is left, and several fields intersect (§7.1). Every
 * expectation comes from what the server lists to a `client_credentials` token of the suite.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { APIS, DIRECT_PRIMARY, directLab, directToken, idsOf, listItems, wideEntry, type ApiKey } from './direct-lab.js'
import { check, fieldRule, profileOf, show, type CdScope } from './kit.js'

/** How a preselection field matches objects of its type, and which reference arrays point at that type. */
interface FilterRow {
  field: string
  type: ApiKey
  match: (item: Json) => string[]
  /** The rows: null filters nothing, non-matching excluded, references pruned. */
  ids: [string, string, string]
  refs: readonly (readonly [ApiKey, string])[]
}

const one = (name: string) => (item: Json) => (typeof item[name] === 'string' ? [item[name]] : [])
const many = (name: string) => (item: Json) => (Array.isArray(item[name]) ? (item[name] as unknown[]).map(String) : [])
const nested = (name: string, inner: string) => (item: Json) => (Array.isArray(item[name]) ? (item[name] as Json[]).map((x) => String(x[inner])) : [])

const ACCOUNT_REFS = [['aggregations', 'grouped_accounts'], ['usagesegments', 'related_accounts']] as const
const CONTRACT_REFS = [
  ['servicepoints', 'current_servicecontracts'],
  ['servicepoints', 'previous_servicecontracts'],
  ['billsections', 'related_servicecontracts'],
  ['aggregations', 'grouped_servicecontracts'],
  ['usagesegments', 'related_servicecontracts'],
] as const
const POINT_REFS = [
  ['meterdevices', 'current_servicepoints'],
  ['meterdevices', 'previous_servicepoints'],
  ['billsections', 'related_servicepoints'],
  ['aggregations', 'grouped_servicepoints'],
  ['usagesegments', 'related_servicepoints'],
] as const
const METER_REFS = [['billsections', 'related_meterdevices'], ['aggregations', 'grouped_meterdevices'], ['usagesegments', 'related_meterdevices']] as const
const AGGREGATION_REFS = [['aggregations', 'grouped_aggregations'], ['usagesegments', 'related_aggregations']] as const

const ROWS: readonly FilterRow[] = [
  { field: 'account_numbers', type: 'accounts', match: one('account_number'), ids: ['R3-01-7.1.1-06', 'R3-01-7.1.1-07', 'R3-01-7.1.1-08'], refs: ACCOUNT_REFS },
  { field: 'account_programs', type: 'accounts', match: nested('account_programs', 'program_number'), ids: ['R3-01-7.1.2-05', 'R3-01-7.1.2-06', 'R3-01-7.1.2-07'], refs: ACCOUNT_REFS },
  { field: 'contract_numbers', type: 'servicecontracts', match: one('contract_number'), ids: ['R3-01-7.1.3-06', 'R3-01-7.1.3-07', 'R3-01-7.1.3-08'], refs: CONTRACT_REFS },
  { field: 'service_types', type: 'servicecontracts', match: many('service_types'), ids: ['R3-01-7.1.4-06', 'R3-01-7.1.4-07', 'R3-01-7.1.4-08'], refs: CONTRACT_REFS },
  { field: 'service_programs', type: 'servicecontracts', match: nested('service_programs', 'program_number'), ids: ['R3-01-7.1.5-05', 'R3-01-7.1.5-06', 'R3-01-7.1.5-07'], refs: CONTRACT_REFS },
  { field: 'servicepoint_numbers', type: 'servicepoints', match: one('servicepoint_number'), ids: ['R3-01-7.1.6-08', 'R3-01-7.1.6-09', 'R3-01-7.1.6-10'], refs: POINT_REFS },
  { field: 'servicepoint_types', type: 'servicepoints', match: many('servicepoint_types'), ids: ['R3-01-7.1.7-08', 'R3-01-7.1.7-09', 'R3-01-7.1.7-10'], refs: POINT_REFS },
  { field: 'premise_numbers', type: 'servicepoints', match: nested('premises', 'premise_number'), ids: ['R3-01-7.1.8-08', 'R3-01-7.1.8-09', 'R3-01-7.1.8-10'], refs: POINT_REFS },
  { field: 'meter_numbers', type: 'meterdevices', match: one('meter_number'), ids: ['R3-01-7.1.9-08', 'R3-01-7.1.9-09', 'R3-01-7.1.9-10'], refs: METER_REFS },
  { field: 'meter_types', type: 'meterdevices', match: many('meter_types'), ids: ['R3-01-7.1.10-08', 'R3-01-7.1.10-09', 'R3-01-7.1.10-10'], refs: METER_REFS },
  { field: 'meter_apps', type: 'meterdevices', match: nested('meter_apps', 'app_number'), ids: ['R3-01-7.1.11-06', 'R3-01-7.1.11-07', 'R3-01-7.1.11-08'], refs: METER_REFS },
  { field: 'aggregation_numbers', type: 'aggregations', match: one('aggregation_number'), ids: ['R3-01-7.1.12-09', 'R3-01-7.1.12-10', 'R3-01-7.1.12-11'], refs: AGGREGATION_REFS },
]

/** The direct scope that filters and lists the row's type; not applicable when none offers the field. */
async function filterScope(ctx: CheckContext, row: FilterRow): Promise<CdScope> {
  const lab = await directLab(ctx)
  const offering = lab.scopes.filter((s) => s.fields.has(row.field))
  if (offering.length === 0) ctx.notApplicable(`no direct scope of the server offers ${row.field}`)
  const scope = offering.find((s) => DIRECT_PRIMARY[s.type] === row.type)
  if (scope === undefined) ctx.notApplicable(`${row.field} is offered only by direct scopes that do not list ${row.type} (${offering.map((s) => s.id).join(', ')})`)
  return scope
}

/** The scope's objects for a value of the field (every include field on, so the matched members show). */
async function filtered(ctx: CheckContext, scope: CdScope, row: FilterRow, value: unknown, more: readonly CdScope[] = []): Promise<{ items: Json[]; token: string }> {
  const implied = (profileOf(scope.type)?.impliedTrueFields ?? []) as readonly string[]
  const entries = [wideEntry(scope, true, { [row.field]: value }, implied), ...more.map((s) => wideEntry(s, true))]
  const { token } = await directToken(ctx, entries)
  return { items: await listItems(ctx, row.type, token), token }
}

/** Two values of the field that the unfiltered listing shows, each on fewer objects than all. */
async function sampleValues(ctx: CheckContext, scope: CdScope, row: FilterRow): Promise<{ all: Json[]; values: string[] }> {
  const { items: all } = await filtered(ctx, scope, row, null)
  const counts = new Map<string, number>()
  for (const item of all) for (const value of new Set(row.match(item))) if (!value.startsWith('_')) counts.set(value, (counts.get(value) ?? 0) + 1)
  const values = [...counts.entries()].filter(([, n]) => n < all.length).map(([v]) => v)
  if (values.length === 0) ctx.notApplicable(`the ${row.type} the suite sees show no ${row.field} value that tells them apart`)
  return { all, values }
}

/** `null` lists every object the scope reaches: a superset of each single-value listing, and larger. */
async function runNull(ctx: CheckContext, row: FilterRow): Promise<void> {
  const scope = await filterScope(ctx, row)
  const { all, values } = await sampleValues(ctx, scope, row)
  const allIds = idsOf(row.type, all)
  for (const value of values.slice(0, 2)) {
    const { items } = await filtered(ctx, scope, row, [value])
    const missing = [...idsOf(row.type, items)].filter((id) => !allIds.has(id))
    if (missing.length > 0) ctx.fail(`${row.field}: null lists fewer ${row.type} than ${show([value])} (missing ${missing.slice(0, 3).join(', ')})`)
    if (items.length >= all.length) ctx.fail(`${row.field}: ${show([value])} lists as many ${row.type} as null (${all.length}); null should filter nothing, the list something`)
  }
}

/** A list keeps exactly the objects that match one of its values. */
async function runExclude(ctx: CheckContext, row: FilterRow): Promise<void> {
  const scope = await filterScope(ctx, row)
  const { all, values } = await sampleValues(ctx, scope, row)
  const value = values[0] ?? ''
  const { items } = await filtered(ctx, scope, row, [value])
  const stray = items.filter((item) => !row.match(item).includes(value))
  if (stray.length > 0) ctx.fail(`${row.field}: ${show([value])} still lists ${row.type} ${show(stray[0]?.[APIS[row.type].id])} matching ${show(row.match(stray[0] ?? {}))}`)
  const expected = all.filter((item) => row.match(item).includes(value)).length
  if (items.length !== expected) ctx.fail(`${row.field}: ${show([value])} lists ${items.length} ${row.type}; ${expected} of the unfiltered ones match`)
}

/** The reference arrays of the other listings point only at the objects the filter kept. */
async function runPrune(ctx: CheckContext, row: FilterRow): Promise<void> {
  const scope = await filterScope(ctx, row)
  const lab = await directLab(ctx)
  if (!lab.multi) ctx.skip('no Client object of the suite holds several direct scopes, so no token shows the references beside the filtered objects')
  const apis = [...new Set(row.refs.map(([api]) => api))]
  const more = lab.scopes.filter((s) => s !== scope && apis.includes(DIRECT_PRIMARY[s.type] as ApiKey))
  if (more.length === 0) ctx.notApplicable(`the server offers no direct scope listing ${apis.join(', ')}`)
  const count = async (token: string, keep?: Set<string>) => {
    let refs = 0
    for (const [api, member] of row.refs) {
      if (!more.some((s) => DIRECT_PRIMARY[s.type] === api)) continue
      for (const item of await listItems(ctx, api, token)) {
        const ids = Array.isArray(item[member]) ? (item[member] as unknown[]).map(String) : []
        refs += ids.length
        const stray = keep === undefined ? undefined : ids.find((id) => !keep.has(id))
        if (stray !== undefined) ctx.fail(`${api} ${member} still names ${row.type} ${stray}, which ${row.field} left out`)
      }
    }
    return refs
  }
  const wide = await filtered(ctx, scope, row, null, more)
  if ((await count(wide.token)) === 0) ctx.notApplicable(`no ${row.refs.map(([a, m]) => `${a}.${m}`).join(', ')} reference shows to the suite`)
  const { values } = await sampleValues(ctx, scope, row)
  const narrow = await filtered(ctx, scope, row, [values[0] ?? ''], more)
  await count(narrow.token, idsOf(row.type, narrow.items))
}

/** §7.1: several preselection fields intersect (direct). */
async function runIntersection(ctx: CheckContext): Promise<void> {
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => DIRECT_PRIMARY[s.type] === 'servicecontracts' && s.fields.has('account_numbers') && s.fields.has('contract_numbers'))
  if (scope === undefined) ctx.notApplicable('no direct scope lists Service Contracts and offers both account_numbers and contract_numbers')
  const implied = (profileOf(scope.type)?.impliedTrueFields ?? []) as readonly string[]
  const list = async (extra: Json) => listItems(ctx, 'servicecontracts', (await directToken(ctx, [wideEntry(scope, true, extra, implied)])).token)
  const all = (await list({})).filter((c) => typeof c.account_number === 'string' && typeof c.contract_number === 'string')
  const first = all[0]
  const other = all.find((c) => c.account_number !== first?.account_number)
  if (first === undefined || other === undefined) ctx.notApplicable('the suite sees no two Service Contracts of different Accounts with their numbers')
  const got = await list({ account_numbers: [first.account_number], contract_numbers: [first.contract_number, other.contract_number] })
  const numbers = got.map((c) => String(c.contract_number))
  if (numbers.includes(String(other.contract_number))) ctx.fail(`account_numbers ${show([first.account_number])} with contract_numbers ${show([first.contract_number, other.contract_number])} still lists ${String(other.contract_number)} of another Account`)
  if (!numbers.includes(String(first.contract_number))) ctx.fail(`the intersection lost ${String(first.contract_number)}, which both fields match`)
}

/** Every check of this file. */
export const directFilterChecks: readonly Check[] = [
  check('R3-01-7.1-03', '7.1', 'several preselection fields on a direct scope keep only the objects every one of them matches', runIntersection),
  ...ROWS.flatMap((row) => {
    const section = fieldRule(row.field).section
    return [
      check(row.ids[0], section, `direct scopes: ${row.field}: null filters no ${row.type}`, (ctx: CheckContext) => runNull(ctx, row)),
      check(row.ids[1], section, `direct scopes: ${row.field}: a list keeps exactly the ${row.type} it matches`, (ctx: CheckContext) => runExclude(ctx, row)),
      check(row.ids[2], section, `direct scopes: ${row.field}: ${row.refs.map(([a, m]) => `${a}.${m}`).join(', ')} name only the ${row.type} left`, (ctx: CheckContext) => runPrune(ctx, row)),
    ]
  }),
]
