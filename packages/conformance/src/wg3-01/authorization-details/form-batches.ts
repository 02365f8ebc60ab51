/**
 * Opening Authorization Forms in batches for the preselection checks (CDS-WG3-01 §7.1): the test
 * customer's world (their objects, as the `on` consent lists them, with the unpruned links of a
 * direct reading), and requests that carry several Request Sections of distinct scopes and distinct
 * Selection types, so each section is known by its entries. Each planned row ends with the entries
 * its section checked.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { formClient, formRequest, type FormClient } from '../authorization-form/form-client.js'
import { Visitor } from '../authorization-form/survey-kit.js'
import { consentView } from './consent-lab.js'
import { APIS, listItems, type ApiKey } from './direct-lab.js'
import { truth } from './include-consent.js'
import { cdScopes, choiceIds, show, type CdScope } from './kit.js'

/** A Selection type: its Choice id, the listing of its entries and the number the entries carry. */
export interface Kind {
  key: string
  choice: string
  api: ApiKey
  number: string
}

export const KINDS: readonly Kind[] = [
  { key: 'account', choice: 'account_selection', api: 'accounts', number: 'account_number' },
  { key: 'contract', choice: 'service_contract_selection', api: 'servicecontracts', number: 'contract_number' },
  { key: 'point', choice: 'servicepoint_selection', api: 'servicepoints', number: 'servicepoint_number' },
  { key: 'meter', choice: 'meter_device_selection', api: 'meterdevices', number: 'meter_number' },
  { key: 'aggregation', choice: 'aggregation_selection', api: 'aggregations', number: 'aggregation_number' },
]

/** Objects by listing and id. */
export type Graph = Map<ApiKey, Map<string, Json>>

/** The ids a member of an object lists. */
export const refs = (item: Json | undefined, member: string): string[] => (Array.isArray(item?.[member]) ? (item[member] as unknown[]).map(String) : [])

/** The test customer's world. */
export interface World {
  fc: FormClient
  /** Consent scopes of the form Client object (Aggregation Inclusion aside: it refuses null preselections). */
  scopes: CdScope[]
  /** Every object with its unpruned links, plus the members only the consent shows. */
  graph: Graph
  /** The customer's objects per listing. */
  mine: Map<ApiKey, Set<string>>
  numberOf: (api: ApiKey, id: string) => string
}

/** The customer's world (made once). */
export function world(ctx: CheckContext): Promise<World> {
  return ctx.once('adf:world', async () => {
    const fc = await formClient(ctx)
    const on = await consentView(ctx, 'on')
    const held = String(fc.client.scope).split(' ')
    const scopes = (await cdScopes(ctx)).filter((s) => s.consent && held.includes(s.id) && s.type !== 'cds_aggregation_consent')
    const graph: Graph = new Map()
    for (const [api, items] of await truth(ctx)) graph.set(api, new Map([...items].map(([id, item]) => [id, { ...item }])))
    const mine = new Map<ApiKey, Set<string>>()
    for (const k of KINDS) {
      mine.set(k.api, new Set())
      if (k.api === 'aggregations') continue
      for (const item of await listItems(ctx, k.api, on.token)) {
        const id = String(item[APIS[k.api].id])
        mine.get(k.api)?.add(id)
        const known = graph.get(k.api)?.get(id)
        if (known !== undefined) for (const [m, v] of Object.entries(item)) if (!Object.hasOwn(known, m)) known[m] = v
      }
    }
    // The customer's Aggregations: those grouping one of their objects.
    const members: [ApiKey, string][] = [['accounts', 'grouped_accounts'], ['servicecontracts', 'grouped_servicecontracts'], ['servicepoints', 'grouped_servicepoints'], ['meterdevices', 'grouped_meterdevices']]
    for (const a of (graph.get('aggregations') ?? new Map<string, Json>()).values())
      if (members.some(([api, member]) => refs(a, member).some((id) => mine.get(api)?.has(id)))) mine.get('aggregations')?.add(String(a.cds_aggregation_id))
    const numberOf = (api: ApiKey, id: string) => String(graph.get(api)?.get(id)?.[KINDS.find((k) => k.api === api)?.number ?? ''])
    return { fc, scopes, graph, mine, numberOf }
  })
}

/** One planned form section. */
export interface Plan {
  id: string
  field: string
  kind: Kind
  /** The field's value in the entry. */
  value: unknown
  /** The entry numbers the section must check. */
  expected: string[]
  /** The scopes that can carry it. */
  options: CdScope[]
}

/** What one row saw on the form. */
export type Seen = { ok: true; value: unknown; expected: string[]; checked: string[] } | { ok: false; na: boolean; reason: string }

/** Opens the plans' forms, batched, and reads each section's checked entries. */
export async function runPlans(ctx: CheckContext, w: World, plans: readonly Plan[]): Promise<Map<string, Seen>> {
  const out = new Map<string, Seen>()
  const left = [...plans]
  const visitor = await Visitor.open(ctx, w.fc.redirect_uri)
  while (left.length > 0) {
    const batch: (Plan & { scope: CdScope })[] = []
    for (const p of [...left]) {
      const free = p.options.find((s) => !batch.some((b) => b.scope === s))
      if (free === undefined || batch.some((b) => b.kind === p.kind)) continue
      batch.push({ ...p, scope: free })
      left.splice(left.indexOf(p), 1)
    }
    if (batch.length === 0) {
      for (const p of left.splice(0)) out.set(p.id, { ok: false, na: true, reason: 'no scope of the suite can carry this section' })
      break
    }
    const details = batch.map((b) => ({ type: b.scope.rarType, [b.field]: b.value, authorization_form_selection_type: b.kind.choice, error_if_no_preselections: false }))
    try {
      const { form } = await visitor.form(formRequest(w.fc, batch.map((b) => b.scope.id).join(' '), details), ctx.customer())
      for (const b of batch) {
        const universe = new Set([...(w.mine.get(b.kind.api) ?? new Set<string>())].map((id) => w.numberOf(b.kind.api, id)))
        const section = form.requests.find((s) => (s.selection?.entries ?? []).length > 0 && (s.selection?.entries ?? []).every((e) => universe.has(e.value)))
        if (section?.selection === null || section?.selection === undefined) out.set(b.id, { ok: false, na: false, reason: `the form shows no ${b.kind.choice} for ${b.scope.id}` })
        else out.set(b.id, { ok: true, value: b.value, expected: b.expected, checked: section.selection.entries.filter((e) => e.checked).map((e) => e.value) })
      }
    } catch (error) {
      for (const b of batch) out.set(b.id, { ok: false, na: false, reason: `the form for ${show(details)} did not open: ${(error as Error).message}` })
    }
  }
  return out
}

/** Judges one row: the checked entries are exactly the expected ones. */
export function judge(ctx: CheckContext, seen: Seen | undefined, what: string): void {
  if (seen === undefined) ctx.fail('the form survey did not reach this row')
  if (!seen.ok) {
    if (seen.na) ctx.notApplicable(seen.reason)
    ctx.fail(seen.reason)
  }
  const missing = seen.expected.filter((n) => !seen.checked.includes(n))
  const extra = seen.checked.filter((n) => !seen.expected.includes(n))
  if (missing.length + extra.length > 0) ctx.fail(`${what} ${show(seen.value)}: the form checks ${show(seen.checked)}, expected ${show(seen.expected)}`)
}

/** The scopes that render the Selection with the field, and no other preselection defaulting to a value (§7.1 intersection). */
export function optionsFor(w: World, field: string, kind: Kind, isPreselection: (id: string) => boolean): CdScope[] {
  return w.scopes.filter(
    (s) =>
      s.fields.has(field) &&
      choiceIds(s.fields.get('authorization_form_selection_type')).includes(kind.choice) &&
      [...s.fields.entries()].every(([id, f]) => id === field || !isPreselection(id) || (f.default ?? null) === null),
  )
}
