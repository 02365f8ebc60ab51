/**
 * Preselection on the Authorization Form (CDS-WG3-01 §7.1.1–§7.1.12, the "Customer UI" rows): for
 * each field and Selection type, the entries the form checks are exactly those the field's rule
 * reaches from the matching objects (Account → Service Contract → Service Point → Meter links,
 * Aggregation members). The expectation is computed from the server's own data (`form-batches.ts`).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { consentCheck } from './consent-lab.js'
import type { ApiKey } from './direct-lab.js'
import { judge, KINDS, optionsFor, refs, runPlans, world, type Graph, type Kind, type Plan, type Seen } from './form-batches.js'
import { choiceIds } from './kit.js'

/** The object type a field matches and the values an object offers to it. */
const MATCH: Readonly<Record<string, { api: ApiKey; values: (item: Json) => string[] }>> = {
  account_numbers: { api: 'accounts', values: (i) => [String(i.account_number)] },
  account_programs: { api: 'accounts', values: (i) => ((i.account_programs ?? []) as Json[]).map((p) => String(p.program_number)) },
  contract_numbers: { api: 'servicecontracts', values: (i) => [String(i.contract_number)] },
  service_types: { api: 'servicecontracts', values: (i) => ((i.service_types ?? []) as unknown[]).map(String) },
  service_programs: { api: 'servicecontracts', values: (i) => ((i.service_programs ?? []) as Json[]).map((p) => String(p.program_number)) },
  servicepoint_numbers: { api: 'servicepoints', values: (i) => [String(i.servicepoint_number)] },
  servicepoint_types: { api: 'servicepoints', values: (i) => ((i.servicepoint_types ?? []) as unknown[]).map(String) },
  premise_numbers: { api: 'servicepoints', values: (i) => ((i.premises ?? []) as Json[]).map((p) => String(p.premise_number)) },
  meter_numbers: { api: 'meterdevices', values: (i) => [String(i.meter_number)] },
  meter_types: { api: 'meterdevices', values: (i) => ((i.meter_types ?? []) as unknown[]).map(String) },
  meter_apps: { api: 'meterdevices', values: (i) => ((i.meter_apps ?? []) as Json[]).map((p) => String(p.app_number)) },
  aggregation_numbers: { api: 'aggregations', values: (i) => [String(i.aggregation_number)] },
}

/** One row: a field, a Selection type and its requirement ID. */
interface Row {
  id: string
  field: string
  kind: string
}

const row = (id: string, field: string, kind: string): Row => ({ id, field, kind })
const ROWS: readonly Row[] = [
  row('R3-01-7.1.1-04', 'account_numbers', 'account'),
  row('R3-01-7.1.1-05', 'account_numbers', 'contract'),
  row('R3-01-7.1.2-04', 'account_programs', 'account'),
  row('R3-01-7.1.3-04', 'contract_numbers', 'account'),
  row('R3-01-7.1.3-05', 'contract_numbers', 'contract'),
  row('R3-01-7.1.4-04', 'service_types', 'account'),
  row('R3-01-7.1.4-05', 'service_types', 'contract'),
  row('R3-01-7.1.5-04', 'service_programs', 'contract'),
  ...['account', 'contract', 'point', 'meter'].map((k, i) => row(`R3-01-7.1.6-0${String(i + 4)}`, 'servicepoint_numbers', k)),
  ...['account', 'contract', 'point', 'meter'].map((k, i) => row(`R3-01-7.1.7-0${String(i + 4)}`, 'servicepoint_types', k)),
  ...['account', 'contract', 'point', 'meter'].map((k, i) => row(`R3-01-7.1.8-0${String(i + 4)}`, 'premise_numbers', k)),
  ...['account', 'contract', 'point', 'meter'].map((k, i) => row(`R3-01-7.1.9-0${String(i + 4)}`, 'meter_numbers', k)),
  ...['account', 'contract', 'meter', 'point'].map((k, i) => row(`R3-01-7.1.10-0${String(i + 4)}`, 'meter_types', k)),
  row('R3-01-7.1.11-04', 'meter_apps', 'contract'),
  row('R3-01-7.1.11-05', 'meter_apps', 'meter'),
  ...['account', 'contract', 'point', 'meter', 'aggregation'].map((k, i) => row(`R3-01-7.1.12-0${String(i + 4)}`, 'aggregation_numbers', k)),
]

/** The objects of a Selection type the matched objects reach (§7.1.x rules). */
function reach(graph: Graph, from: ApiKey, matched: Set<string>, to: ApiKey): Set<string> {
  const all = (api: ApiKey) => [...(graph.get(api) ?? new Map<string, Json>()).values()]
  const get = (api: ApiKey, id: string) => graph.get(api)?.get(id)
  const contractsOfPoints = (ids: Set<string>) => new Set([...ids].flatMap((sp) => refs(get('servicepoints', sp), 'current_servicecontracts')))
  const pointsOfMeters = (ids: Set<string>) => new Set([...ids].flatMap((m) => refs(get('meterdevices', m), 'current_servicepoints')))
  const accountsOfContracts = (ids: Set<string>) => new Set([...ids].map((sc) => String(get('servicecontracts', sc)?.cds_account_id)))
  if (from === to) return matched
  if (from === 'aggregations') {
    const member = { accounts: 'grouped_accounts', servicecontracts: 'grouped_servicecontracts', servicepoints: 'grouped_servicepoints', meterdevices: 'grouped_meterdevices' }[to as string]
    return new Set(member === undefined ? [] : [...matched].flatMap((a) => refs(get('aggregations', a), member)))
  }
  const points = from === 'servicepoints' ? matched : from === 'meterdevices' ? pointsOfMeters(matched) : undefined
  const contracts =
    from === 'servicecontracts'
      ? matched
      : from === 'accounts'
        ? new Set(all('servicecontracts').filter((c) => matched.has(String(c.cds_account_id))).map((c) => String(c.cds_servicecontract_id)))
        : contractsOfPoints(points ?? new Set())
  if (to === 'servicecontracts') return contracts
  if (to === 'accounts') return from === 'accounts' ? matched : accountsOfContracts(contracts)
  if (to === 'servicepoints') return points ?? new Set()
  if (to === 'meterdevices') return new Set(all('meterdevices').filter((m) => refs(m, 'current_servicepoints').some((sp) => (points ?? new Set()).has(sp))).map((m) => String(m.cds_meterdevice_id)))
  return new Set()
}

/** The survey: every row's form section, read once per run. */
function survey(ctx: CheckContext): Promise<Map<string, Seen>> {
  return ctx.once('adf:preselection-forms', async () => {
    const w = await world(ctx)
    const out = new Map<string, Seen>()
    const plans: Plan[] = []
    for (const r of ROWS) {
      const kind = KINDS.find((k) => k.key === r.kind) as Kind
      const match = MATCH[r.field]
      const options = optionsFor(w, r.field, kind, (id) => MATCH[id] !== undefined)
      const field = options[options.length - 1]?.fields.get(r.field)
      if (match === undefined || field === undefined) {
        out.set(r.id, { ok: false, na: true, reason: `no consent scope of the suite renders ${kind.choice} with ${r.field}` })
        continue
      }
      const universe = [...(w.mine.get(kind.api) ?? new Set<string>())]
      const own = [...(w.mine.get(match.api) ?? new Set<string>())]
      const valuesOf = (id: string) => match.values(w.graph.get(match.api)?.get(id) ?? {})
      // A choice list takes only its choices (CDS-WG1-02 §3.9).
      const allowed = (v: string) => field.format !== 'choice_list_or_null' || choiceIds(field).includes(v)
      let best: { value: string; expected: string[] } | undefined
      for (const value of new Set(own.flatMap(valuesOf).filter((v) => v !== 'undefined' && allowed(v)))) {
        const matched = new Set(own.filter((id) => valuesOf(id).includes(value)))
        const expected = [...reach(w.graph, match.api, matched, kind.api)].filter((id) => universe.includes(id)).map((id) => w.numberOf(kind.api, id))
        if (expected.length === 0) continue
        if (best === undefined || (expected.length < universe.length && best.expected.length === universe.length)) best = { value, expected }
      }
      if (best === undefined) out.set(r.id, { ok: false, na: true, reason: `no ${r.field} value of the test customer's data reaches a ${kind.key} entry` })
      else plans.push({ id: r.id, field: r.field, kind, value: [best.value], expected: best.expected, options })
    }
    for (const [id, seen] of await runPlans(ctx, w, plans)) out.set(id, seen)
    return out
  })
}

/** Every check of this file. */
export const preselectionFormChecks: readonly Check[] = ROWS.map((r) => {
  const kind = KINDS.find((k) => k.key === r.kind) as Kind
  return consentCheck(r.id, r.id.replace(/^R3-01-|-\d+$/g, ''), `the ${kind.choice} preselects exactly the entries ${r.field} reaches`, async (ctx: CheckContext) => {
    judge(ctx, (await survey(ctx)).get(r.id), r.field)
  })
})
