/**
 * The §6 rules of one scope type that only the data settles: what a scope includes by itself
 * ("treated as true"), which objects a Selection makes available, what the include fields add,
 * what the token response and the Grant echo, and the date windows. Consent scopes are read with
 * the lab's consents (`consents.ts`), one token per scope; direct scopes with `client_credentials`
 * tokens of the shared registration.
 *
 * @module
 */
import { CheckNotApplicable } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { entryFor, scopedToken, type Consent } from './consent-lab.js'
import { basisConsent, bareConsent, fullConsent, includesOff, includesOn, truth, type Basis } from './consents.js'
import { APIS, idsOf, OBSERVABLES, showsField, viewOf, type ApiKey, type View } from './data-lab.js'
import { isPreselection, profileOf, scopesOfType, show, tokenProbe, type CdScope } from './kit.js'
import { includes } from './consent-lab.js'
import type { Run } from './scope-rules.js'

/** The first scope of a type that the consent carries; not applicable when it carries none. */
async function scopeIn(ctx: CheckContext, made: Consent, type: string): Promise<CdScope> {
  const section = made.sections.find((s) => s.scope.type === type)
  if (section === undefined) ctx.notApplicable(`the ${made.key} consent carries no ${type} scope (the customer has nothing to select for it, or it does not fit the lab's Client object)`)
  return section.scope
}

/** What the consent shows through one of its scopes alone. */
async function scopeView(ctx: CheckContext, made: Consent, scope: CdScope): Promise<View> {
  return viewOf(ctx, `${made.key}:${scope.id}`, await scopedToken(ctx, made, scope))
}

/** What a `client_credentials` token of a direct scope shows, with every include field set to `on`. */
async function directView(ctx: CheckContext, scope: CdScope, on: boolean): Promise<View> {
  const probe = await tokenProbe(ctx, scope, [{ type: scope.rarType, ...includes(scope, on) }])
  if (!probe.accepted) ctx.fail(`a client_credentials request for ${scope.id} with every include ${String(on)} was refused: ${probe.response.status} ${probe.response.text.slice(0, 200)}`)
  return viewOf(ctx, `direct:${scope.id}:${String(on)}`, String(probe.response.json<Json>().access_token))
}

/** Where a field's data shows, with Usage Query's implied value types read as non-empty `formats`. */
function shows(view: View, field: string): string[] {
  if (field === 'include_usage_segment_value_types') return view.usage_segments.some((s) => Array.isArray(s.formats) && s.formats.length > 0) ? ['usage_segments formats'] : []
  return showsField(view, field)
}

/** The scope shows the data of its implied fields with every include field off (§6 "treated as true"). */
export function impliedRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const profile = profileOf(type)
    const direct = profile.access === 'direct_access'
    const scope = direct ? (await scopesOfType(ctx, type))[0] : await scopeIn(ctx, await includesOff(ctx, (await scopesOfType(ctx, type))[0] as CdScope), type)
    if (scope === undefined) return
    const off = direct ? await directView(ctx, scope, false) : await scopeView(ctx, await includesOff(ctx, scope), scope)
    const reference = direct ? await directView(ctx, scope, true) : await truth(ctx)
    let checked = 0
    for (const field of profile.impliedTrueFields) {
      if (OBSERVABLES[field as string] === undefined && field !== 'include_usage_segment_value_types') continue
      if (shows(reference, field).length === 0) continue
      checked++
      ctx.assert(shows(off, field).length > 0, `with every include field off, ${scope.id} does not show the ${field} data (${show(OBSERVABLES[field]?.map((o) => o.api))}), which the scope includes by itself`)
    }
    if (checked === 0) ctx.notApplicable(`there is no data of ${profile.impliedTrueFields.join(', ')} to see`)
  }
}

/** The include fields a scope offers (not implied) add their data when on and nothing when off (§6.1.x "fields and objects enabled"). */
export function includesRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const profile = profileOf(type)
    const first = (await scopesOfType(ctx, type))[0] as CdScope
    const onConsent = await includesOn(ctx, first)
    const scope = await scopeIn(ctx, onConsent, type)
    const on = await scopeView(ctx, onConsent, scope)
    const off = await scopeView(ctx, await includesOff(ctx, scope), scope)
    const all = await truth(ctx)
    const checked: string[] = []
    for (const [field, object] of scope.fields) {
      if (!field.startsWith('include_') || object.format !== 'boolean' || (profile.impliedTrueFields as readonly string[]).includes(field) || OBSERVABLES[field] === undefined) continue
      if (shows(all, field).length === 0) continue
      checked.push(field)
      ctx.assert(shows(on, field).length > 0, `${scope.id} with ${field}: true does not show that data (${show(OBSERVABLES[field].map((o) => o.api))})`)
      ctx.assert(shows(off, field).length === 0, `${scope.id} with ${field}: false still shows ${shows(off, field).join(', ')}`)
    }
    if (checked.length === 0) ctx.notApplicable(`the customer has no data of the include fields ${scope.id} offers`)
  }
}

/** A Preselection Field member of an entry that the scope must not echo. */
function preselectionKeys(entry: Json | undefined, kept: readonly string[]): string[] {
  return Object.keys(entry ?? {}).filter((k) => isPreselection(k) && !kept.includes(k))
}

/** The consents made so far that carry the scope (the full and bare ones, and the Selection bases). */
async function consentsWith(ctx: CheckContext, type: string): Promise<{ made: Consent; scope: CdScope }[]> {
  const out: { made: Consent; scope: CdScope }[] = []
  const candidates: Promise<Consent>[] = [fullConsent(ctx), bareConsent(ctx), ...(['account', 'contract'] as const).map(async (b) => (await basisConsent(ctx, b)).made)]
  for (const candidate of candidates) {
    const made = await candidate.catch(() => undefined)
    const section = made?.sections.find((s) => s.scope.type === type)
    if (made !== undefined && section !== undefined) out.push({ made, scope: section.scope })
  }
  return out
}

/** The token response and the Grant (authorization details and enabled ones) hold no Preselection Field but the ones the scope keeps. */
export function noPreselectionRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const kept = profileOf(type).preselectionFieldsKeptInGrant
    const found = await consentsWith(ctx, type)
    if (found.length === 0) ctx.notApplicable(`no consent of the run carries a ${type} scope`)
    for (const { made, scope } of found) {
      const sent = preselectionKeys(made.sections.find((s) => s.scope.id === scope.id)?.entry, kept)
      const places: [string, unknown][] = [
        ['token response', made.tokens.authorization_details],
        ['Grant authorization_details', made.grant?.authorization_details],
        ['Grant enabled_authorization_details', made.grant?.enabled_authorization_details],
      ]
      ctx.assert(made.grant !== undefined, `the ${made.key} consent's Grant could not be read from the Grants API`)
      for (const [where, details] of places) {
        const keys = preselectionKeys(entryFor(details, scope), kept)
        ctx.assert(keys.length === 0, `the ${where} entry of ${scope.id} (${made.key} consent, request sent ${sent.join(', ') || 'none'}) holds ${keys.join(', ')}`)
      }
    }
  }
}

/** The scope's entry keeps the requested program numbers (§6.1.2, §6.1.3) in the token response and the Grant. */
export function keptProgramsRule(type: string, field: string): Run {
  return async (ctx: CheckContext) => {
    const first = (await scopesOfType(ctx, type))[0] as CdScope
    const made = await includesOn(ctx, first)
    const scope = await scopeIn(ctx, made, type)
    const wanted = made.sections.find((s) => s.scope.id === scope.id)?.entry[field]
    const grant = made.grant
    ctx.assert(grant !== undefined, `the ${made.key} consent's Grant could not be read from the Grants API`)
    for (const [where, details] of [
      ['token response', made.tokens.authorization_details],
      ['Grant', grant.authorization_details],
    ] as const) {
      const value = entryFor(details, scope)?.[field]
      ctx.assert(JSON.stringify(value) === JSON.stringify(wanted), `the ${where} entry of ${scope.id} has ${field} ${show(value)}, not the requested ${show(wanted)}`)
    }
  }
}

/** Every Account id from `id` up its `cds_account_parent` chain (§7.2.1: parents come with an included Account). */
function withAncestors(all: View, ids: readonly string[]): Set<string> {
  const parents = new Map(all.accounts.map((a) => [String(a.cds_account_id), typeof a.cds_account_parent === 'string' ? a.cds_account_parent : undefined]))
  const out = new Set<string>()
  for (let id of ids) for (let hop = 0; hop < 50 && !out.has(id); hop++) {
    out.add(id)
    const parent = parents.get(id)
    if (parent === undefined) break
    id = parent
  }
  return out
}

const has = (item: Json, member: string, id: string) => Array.isArray(item[member]) && (item[member] as unknown[]).includes(id)

/** The truth's relations between the customer's objects. */
function relations(all: View) {
  const contractsOf = (account: string) => all.service_contracts.filter((c) => c.cds_account_id === account).map((c) => String(c.cds_servicecontract_id))
  const accountOf = (contract: string) => String(all.service_contracts.find((c) => c.cds_servicecontract_id === contract)?.cds_account_id)
  const metersOnSp = (sp: string) => all.meter_devices.filter((m) => has(m, 'current_servicepoints', sp)).map((m) => String(m.cds_meterdevice_id))
  const spsOnContract = (contract: string) => all.service_points.filter((sp) => has(sp, 'current_servicecontracts', contract)).map((sp) => String(sp.cds_servicepoint_id))
  const metersOfContract = (contract: string) => spsOnContract(contract).flatMap(metersOnSp)
  return { contractsOf, accountOf, metersOnSp, metersOfContract }
}

/** What one Selection of one scope type must make available, from the truth and the picked entry. */
export interface Expectation {
  api: ApiKey
  /** The ids that must be listed. */
  must: (all: View, pick: string) => string[]
  /** The ids that may be listed besides (default: none). */
  may?: (all: View, pick: string) => string[]
  /** Items whose windowed dates make them optional near the window's start: their date member. */
  windowed?: string
}

const seg = (member: string): Expectation => ({ api: 'usage_segments', must: (all, id) => all.usage_segments.filter((s) => has(s, member, id)).map((s) => String(s.cds_usagesegment_id)), windowed: 'segment_start' })

/** The expectations of each scope type and Selection basis (§6.1.1–§6.1.9). */
export const EXPECTATIONS: Readonly<Record<string, Partial<Record<Basis, readonly Expectation[]>>>> = {
  cds_accounts: { account: [{ api: 'accounts', must: (_, id) => [id], may: (all, id) => [...withAncestors(all, [id])] }] },
  cds_rate_plan: { contract: [{ api: 'service_contracts', must: (_, id) => [id] }] },
  cds_service_contracts: {
    contract: [{ api: 'service_contracts', must: (_, id) => [id] }],
    account: [{ api: 'service_contracts', must: (all, id) => relations(all).contractsOf(id) }],
  },
  cds_meters: {
    meter: [{ api: 'meter_devices', must: (_, id) => [id] }],
    account: [{ api: 'meter_devices', must: (all, id) => relations(all).contractsOf(id).flatMap(relations(all).metersOfContract) }],
    contract: [{ api: 'meter_devices', must: (all, id) => relations(all).metersOfContract(id) }],
    servicepoint: [{ api: 'meter_devices', must: (all, id) => relations(all).metersOnSp(id) }],
  },
  cds_bill_statements: { account: [{ api: 'bill_statements', must: (all, id) => all.bill_statements.filter((s) => s.cds_account_id === id).map((s) => String(s.cds_billstatement_id)), windowed: 'statement_date' }] },
  cds_service_bills: {
    account: [
      { api: 'bill_sections', must: (all, id) => all.bill_sections.filter((s) => s.cds_account_id === id).map((s) => String(s.cds_billsection_id)), windowed: 'start_date' },
      { api: 'service_contracts', must: (all, id) => relations(all).contractsOf(id) },
    ],
    contract: [
      { api: 'accounts', must: (all, id) => [relations(all).accountOf(id)], may: (all, id) => [...withAncestors(all, [relations(all).accountOf(id)])] },
      {
        api: 'bill_sections',
        must: (all, id) => {
          const accounts = withAncestors(all, [relations(all).accountOf(id)])
          return all.bill_sections.filter((s) => has(s, 'related_servicecontracts', id) && accounts.has(String(s.cds_account_id))).map((s) => String(s.cds_billsection_id))
        },
        windowed: 'start_date',
      },
    ],
  },
  cds_usage: {
    account: [seg('related_accounts')],
    contract: [seg('related_servicecontracts')],
    servicepoint: [seg('related_servicepoints')],
    meter: [seg('related_meterdevices')],
    aggregation: [seg('related_aggregations')],
  },
}

/** Within a day of the earliest item date: such items may fall either side of a window start set seconds apart. */
function nearStart(items: Json[], member: string): (item: Json) => boolean {
  const dates = items.map((i) => Date.parse(String(i[member]))).filter((t) => !Number.isNaN(t))
  const earliest = Math.min(...dates)
  return (item) => Date.parse(String(item[member])) - earliest < 2 * 86_400_000
}

/** Selections of one picked entry make exactly the objects §6.1.x derives from them available (each basis the run can make). */
export function selectedRule(type: string, bases: readonly Basis[]): Run {
  return async (ctx: CheckContext) => {
    await scopesOfType(ctx, type)
    const all = await truth(ctx)
    const skipped: string[] = []
    for (const basis of bases) {
      const expectations = EXPECTATIONS[type]?.[basis]
      if (expectations === undefined) throw new TypeError(`no expectation for ${type} ${basis}`)
      let made: Awaited<ReturnType<typeof basisConsent>>
      try {
        made = await basisConsent(ctx, basis)
      } catch (error) {
        if (!(error instanceof CheckNotApplicable)) throw error
        skipped.push(`${basis}: ${error.message}`)
        continue
      }
      const { pick } = made
      const section = made.made.sections.find((s) => s.scope.type === type)
      if (section === undefined) {
        skipped.push(`${basis}: the consent carries no ${type} scope`)
        continue
      }
      const scope = section.scope
      const view = await scopeView(ctx, made.made, scope)
      for (const expectation of expectations) {
        const listed = idsOf(view, expectation.api)
        const must = new Set(expectation.must(all, pick.id))
        const may = new Set([...must, ...(expectation.may?.(all, pick.id) ?? [])])
        const extra = listed.filter((id) => !may.has(id))
        ctx.assert(extra.length === 0, `${scope.id} with ${basis} ${pick.number} selected lists ${expectation.api} ${extra.join(', ')}, which that Selection does not reach`)
        const optional = expectation.windowed === undefined ? () => false : nearStart(all[expectation.api], expectation.windowed)
        const byId = new Map(all[expectation.api].map((i) => [String(i[APIS[expectation.api].id]), i]))
        const missing = [...must].filter((id) => !listed.includes(id) && !optional(byId.get(id) ?? {}))
        ctx.assert(missing.length === 0, `${scope.id} with ${basis} ${pick.number} selected does not list ${expectation.api} ${missing.join(', ')}`)
      }
    }
    if (skipped.length === bases.length) ctx.notApplicable(skipped.join('; '))
  }
}

/** Program Participation (§6.1.2, §6.1.3): the customer selected every entry, so every one of them is available. */
export function selectedProgramsRule(type: string, api: ApiKey): Run {
  return async (ctx: CheckContext) => {
    const first = (await scopesOfType(ctx, type))[0] as CdScope
    const made = await includesOn(ctx, first)
    const scope = await scopeIn(ctx, made, type)
    const listed = new Set(idsOf(await scopeView(ctx, made, scope), api))
    const missing = idsOf(await truth(ctx), api).filter((id) => !listed.has(id))
    ctx.assert(listed.size > 0 && missing.length === 0, `${scope.id} with every entry selected does not list ${api} ${missing.join(', ')}`)
  }
}

/** The objects dated before the Grant's window start are not listed (§6.1.7, §6.1.8, §6.1.9). */
export function windowRule(type: string, api: ApiKey, member: string, field: string): Run {
  return async (ctx: CheckContext) => {
    const first = (await scopesOfType(ctx, type))[0] as CdScope
    const made = await includesOn(ctx, first)
    const scope = await scopeIn(ctx, made, type)
    const start = entryFor(made.grant?.authorization_details ?? made.tokens.authorization_details, scope)?.[field]
    if (typeof start !== 'string' || start === 'infinite') ctx.notApplicable(`the Grant's ${field} is ${show(start)}, no window to check`)
    const bound = Date.parse(start)
    ctx.assert(!Number.isNaN(bound), `the Grant's ${field} ${show(start)} is not an absolute date (CDS-WG3-01 §7.3)`)
    const view = await scopeView(ctx, made, scope)
    const early = view[api].filter((item) => Date.parse(String(item[member])) < bound)
    ctx.assert(early.length === 0, `${scope.id} lists ${early.length} ${api} with ${member} before the Grant's ${field} ${start}, for example ${show(early[0])}`)
  }
}
