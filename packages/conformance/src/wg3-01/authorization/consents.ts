/**
 * The consents the §6.1 checks share, each made once per run by the test customer in the browser:
 *
 * - `full`: every consent scope of the lab (Aggregation Inclusion aside, it needs a sub-Grant),
 *   each with every `include_*` field on and every entry of a Selection preselected (`"_all"`);
 *   its union token is the suite's view of what the customer has ("truth").
 * - `bare`: the same Selections with every `include_*` field off, to see what each scope gives
 *   by itself (§6 "treated as true").
 * - one consent per Selection basis (`account`, `contract`, `servicepoint`, `meter`,
 *   `aggregation`), each preselecting one entry of that type for every scope that offers it, to
 *   see which objects a selection makes available (§6.1.x "selected", "Selection basis").
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { allSelection, consent, consentLab, includes, offersSelection, SELECTIONS, selectEverything, type Consent, type Section, type SelectionType } from './consent-lab.js'
import { text, viewOf, type View } from './data-lab.js'
import { choiceIds, type CdScope } from './kit.js'

const PROGRAM_TYPES = new Set(['cds_account_programs', 'cds_service_programs'])

/** The lab's scopes a full or bare consent carries (Program Participation aside: its programs come from the truth). */
async function everyScope(ctx: CheckContext): Promise<CdScope[]> {
  const lab = await consentLab(ctx)
  return [...lab.scopes.values()].filter((s) => s.type !== 'cds_aggregation_consent' && !PROGRAM_TYPES.has(s.type) && allSelection(s) !== undefined)
}

function everything(scope: CdScope, include: boolean, extra: Json = {}): Section {
  const selection = allSelection(scope) as SelectionType
  return { scope, entry: { ...includes(scope, include), ...extra, authorization_form_selection_type: selection, [SELECTIONS[selection].field]: ['_all'] } }
}

/**
 * The Program Participation sections (§6.1.2, §6.1.3): each names one program the customer takes
 * part in (its preselection is the intersection with the Selection, §7.1), from the truth.
 */
async function programSections(ctx: CheckContext, include: boolean): Promise<Section[]> {
  const lab = await consentLab(ctx)
  const view = await truth(ctx)
  const out: Section[] = []
  for (const scope of lab.scopes.values()) {
    if (!PROGRAM_TYPES.has(scope.type) || allSelection(scope) === undefined) continue
    const [field, items] = scope.type === 'cds_account_programs' ? ['account_programs', view.accounts] : ['service_programs', view.service_contracts]
    const taken = new Set(items.flatMap((item) => ((item[field] ?? []) as Json[]).map((p) => String(p.program_number))))
    // A program the customer takes part in preselects its entries; else the customer picks them (selectEverything).
    const offered = choiceIds(scope.fields.get(field))
    const program = offered.find((id) => taken.has(id)) ?? offered[0]
    if (program !== undefined) out.push(everything(scope, include, { [field]: [program] }))
  }
  return out
}

/** The `full` consent: every include on, everything selected. */
export function fullConsent(ctx: CheckContext): Promise<Consent> {
  return consent(ctx, 'full', async () => (await everyScope(ctx)).map((s) => everything(s, true)))
}

/** The `bare` consent: every include off, everything selected; it also carries the Program Participation scopes with every include on. */
export function bareConsent(ctx: CheckContext): Promise<Consent> {
  return consent(ctx, 'bare', async () => [...(await everyScope(ctx)).map((s) => everything(s, false)), ...(await programSections(ctx, true))], (page) => selectEverything(ctx, page))
}

/** The Program Participation scopes with every include off. */
export function programsBareConsent(ctx: CheckContext): Promise<Consent> {
  return consent(ctx, 'programs-bare', () => programSections(ctx, false), (page) => selectEverything(ctx, page))
}

/** The consent in which the scope has every include on (`full`, or `bare` for Program Participation). */
export async function includesOn(ctx: CheckContext, scope: CdScope): Promise<Consent> {
  return PROGRAM_TYPES.has(scope.type) ? bareConsent(ctx) : fullConsent(ctx)
}

/** The consent in which the scope has every include off. */
export async function includesOff(ctx: CheckContext, scope: CdScope): Promise<Consent> {
  return PROGRAM_TYPES.has(scope.type) ? programsBareConsent(ctx) : bareConsent(ctx)
}

/** What the test customer has: every listing read with the `full` consent's token. */
export async function truth(ctx: CheckContext): Promise<View> {
  const full = await fullConsent(ctx)
  return viewOf(ctx, 'truth', String(full.tokens.access_token))
}

/** The numbers one entry of each Selection type is chosen by, from the truth. */
export interface Picks {
  account?: { id: string; number: string }
  contract?: { id: string; number: string }
  servicepoint?: { id: string; number: string }
  meter?: { id: string; number: string }
  aggregation?: { id: string; number: string }
}

/** Picks entries that discriminate: an Account with contracts (not the only one, when possible), a contract with metered Service Points. */
export function picks(ctx: CheckContext): Promise<Picks> {
  return ctx.once('authz:picks', async () => {
    const view = await truth(ctx)
    const out: Picks = {}
    const contractsOf = (account: string) => view.service_contracts.filter((c) => c.cds_account_id === account)
    const spsOf = (contract: string) => view.service_points.filter((sp) => ((sp.current_servicecontracts ?? []) as string[]).includes(contract))
    const metersOf = (sp: string) => view.meter_devices.filter((m) => ((m.current_servicepoints ?? []) as string[]).includes(sp))
    const metered = (contract: string) => spsOf(contract).some((sp) => metersOf(String(sp.cds_servicepoint_id)).length > 0)
    const accounts = view.accounts.filter((a) => text(a, 'account_number') !== undefined && contractsOf(String(a.cds_account_id)).some((c) => metered(String(c.cds_servicecontract_id))))
    const account = accounts[0]
    if (account !== undefined) out.account = { id: String(account.cds_account_id), number: String(account.account_number) }
    // A contract whose Account has another contract, so a contract selection differs from an account selection.
    const contracts = view.service_contracts.filter((c) => text(c, 'contract_number') !== undefined && metered(String(c.cds_servicecontract_id)))
    const contract = contracts.find((c) => contractsOf(String(c.cds_account_id)).length > 1) ?? contracts[0]
    if (contract !== undefined) out.contract = { id: String(contract.cds_servicecontract_id), number: String(contract.contract_number) }
    const sp = view.service_points.find((p) => text(p, 'servicepoint_number') !== undefined && metersOf(String(p.cds_servicepoint_id)).length > 0)
    if (sp !== undefined) out.servicepoint = { id: String(sp.cds_servicepoint_id), number: String(sp.servicepoint_number) }
    const meter = view.meter_devices.find((m) => text(m, 'meter_number') !== undefined && ((m.current_servicepoints ?? []) as string[]).length > 0)
    if (meter !== undefined) out.meter = { id: String(meter.cds_meterdevice_id), number: String(meter.meter_number) }
    const aggregation = view.aggregations.find((g) => text(g, 'aggregation_number') !== undefined)
    if (aggregation !== undefined) out.aggregation = { id: String(aggregation.cds_aggregation_id), number: String(aggregation.aggregation_number) }
    return out
  })
}

/** The Selection basis of each subset consent, and the scope types it carries (those that offer the Selection). */
export const BASES = {
  account: { selection: 'account_selection', pick: 'account' },
  contract: { selection: 'service_contract_selection', pick: 'contract' },
  servicepoint: { selection: 'servicepoint_selection', pick: 'servicepoint' },
  meter: { selection: 'meter_device_selection', pick: 'meter' },
  aggregation: { selection: 'aggregation_selection', pick: 'aggregation' },
} as const satisfies Record<string, { selection: SelectionType; pick: keyof Picks }>

/** A Selection basis. */
export type Basis = keyof typeof BASES

/**
 * The consent of one Selection basis: every lab scope that offers the Selection gets an entry
 * preselecting the picked entry (and every include on). Not applicable when the customer has no
 * such entry.
 */
export async function basisConsent(ctx: CheckContext, basis: Basis): Promise<{ made: Consent; pick: { id: string; number: string } }> {
  const { selection, pick } = BASES[basis]
  const chosen = (await picks(ctx))[pick]
  if (chosen === undefined) ctx.notApplicable(`the test customer has no ${pick} with a number to select`)
  const made = await consent(ctx, `basis-${basis}`, async () =>
    [...(await consentLab(ctx)).scopes.values()]
          .filter((s) => s.type !== 'cds_aggregation_consent' && offersSelection(s, selection))
          .filter((s) => !PROGRAM_TYPES.has(s.type))
          .map((scope) => ({ scope, entry: { ...includes(scope, true), authorization_form_selection_type: selection, [SELECTIONS[selection].field]: [chosen.number] } })),
  )
  return { made, pick: chosen }
}
