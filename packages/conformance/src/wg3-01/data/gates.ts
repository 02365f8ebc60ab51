/**
 * The `include_*` field gates of CDS-WG3-01 §7.2 (catalog §1.5 and the field-presence state machine
 * of §0.2, A-02): with the gate on, a nullable field is present (its value or `null`), a list is
 * present (`[]` when empty), and a plain field is present where the server has a value; with the
 * gate off, none of them appears.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiOf, type ApiKey } from './apis.js'
import { consentClient, CONSENT_NEEDS } from './consent-tokens.js'
import { check } from './kit.js'
import { fullListing, shown } from './listing.js'
import { descriptions, fieldsOf, impliedFields, type DataToken } from './tokens.js'
import { directTypeFor, directView, viewToken, type ViewName } from './views.js'

/** How a gated field behaves when its gate is on and the value is unknown (§0.2). */
export type Presence = 'nullable' | 'list' | 'plain'

/** The fields one gate turns on in one listing. */
export interface GateTarget {
  key: ApiKey
  fields: Readonly<Record<string, Presence>>
}

/** Every gate of §7.2 with the fields it turns on (catalog §1.5). */
export const GATES: Readonly<Record<string, readonly GateTarget[]>> = {
  include_account_numbers: [
    { key: 'accounts', fields: { customer_number: 'nullable', account_number: 'plain', account_entity: 'nullable' } },
    { key: 'servicecontracts', fields: { account_number: 'plain' } },
    { key: 'billstatements', fields: { account_number: 'plain' } },
    { key: 'billsections', fields: { account_number: 'plain' } },
  ],
  include_account_details: [{ key: 'accounts', fields: { account_name: 'plain', account_address: 'plain', account_types: 'plain', account_status: 'plain', account_contacts: 'list' } }],
  include_account_programs: [{ key: 'accounts', fields: { account_programs: 'list' } }],
  include_contract_numbers: [{ key: 'servicecontracts', fields: { contract_number: 'nullable', contract_entity: 'nullable' } }],
  include_rate_plans: [{ key: 'servicecontracts', fields: { rateplan_code: 'plain', rateplan_name: 'plain' } }],
  include_service_contract_details: [{ key: 'servicecontracts', fields: { contract_address: 'plain', contract_start: 'plain', contract_end: 'nullable' } }],
  include_service_programs: [{ key: 'servicecontracts', fields: { service_programs: 'list' } }],
  include_premises: [{ key: 'servicepoints', fields: { premises: 'list' } }],
  include_service_point_addresses: [{ key: 'servicepoints', fields: { servicepoint_address: 'nullable' } }],
  include_coordinates: [{ key: 'servicepoints', fields: { latitude: 'nullable', longitude: 'nullable' } }],
  include_meter_numbers: [{ key: 'meterdevices', fields: { meter_number: 'nullable' } }],
  include_meter_apps: [{ key: 'meterdevices', fields: { meter_apps: 'list' } }],
  include_bill_statement_files: [{ key: 'billstatements', fields: { file_uri: 'nullable' } }],
  include_bill_statement_charges: [
    {
      key: 'billstatements',
      fields: { previous_balance_amount: 'plain', previous_balance_paid: 'plain', previous_balance_unpaid: 'plain', new_charges_amount: 'plain', new_charges: 'list', new_balance_amount: 'plain' },
    },
  ],
  include_bill_statement_programs: [{ key: 'billstatements', fields: { account_programs: 'list' } }],
  include_bill_section_line_items: [{ key: 'billsections', fields: { line_items: 'list' } }],
  include_aggregation_addresses: [{ key: 'aggregations', fields: { grouped_addresses: 'list' } }],
}

/** Every gated field of a listing (all gates). */
export function gatedFields(key: ApiKey): string[] {
  return Object.values(GATES).flatMap((targets) => targets.filter((t) => t.key === key).flatMap((t) => Object.keys(t.fields)))
}

/** Whether a scope type turns the gate on when asked (offered or implied). */
async function scopeHasGate(ctx: CheckContext, type: string, gate: string): Promise<boolean> {
  if (impliedFields(type).includes(gate)) return true
  return Object.values(await descriptions(ctx)).some((d) => d.type === type && fieldsOf(d).has(gate))
}

/** A view of the listing whose token has the gate on: the direct one when its scope offers it, else the union consent. */
export async function gateOnView(ctx: CheckContext, key: ApiKey, gate: string): Promise<{ name: ViewName; token: DataToken } | undefined> {
  const direct = await directTypeFor(ctx, key)
  if (direct !== undefined && (await scopeHasGate(ctx, direct, gate))) return { name: 'direct', token: await viewToken(ctx, key, 'direct') }
  const cc = await consentClient(ctx)
  for (const type of cc.scopes.keys()) if (await scopeHasGate(ctx, type, gate)) return { name: 'union', token: await viewToken(ctx, key, 'union') }
  return undefined
}

/** Fails unless the gated fields follow the state machine in `items` (gate on); returns how many fields were seen. */
function expectOn(ctx: CheckContext, key: ApiKey, target: GateTarget, items: readonly Json[], label: string): number {
  const api = apiOf(key)
  let seen = 0
  for (const [field, presence] of Object.entries(target.fields)) {
    const missing = items.filter((item) => !(field in item))
    if (presence === 'plain') {
      if (missing.length < items.length) seen++
      continue
    }
    ctx.assert(missing.length === 0, `${label}: ${missing.length} ${api.name} lack ${field}, which the gate turns on (${presence === 'list' ? '[] when empty' : 'null when unknown'}), for example ${String(missing[0]?.[api.id])}`)
    for (const item of items)
      if (presence === 'list') ctx.assert(Array.isArray(item[field]), `${label}: ${api.name} ${String(item[api.id])} has ${field} ${shown(item[field])}, not a list`)
    seen++
  }
  return seen
}

/** Fails if any of the fields appears in `items` (gate off). */
export function expectOff(ctx: CheckContext, key: ApiKey, fields: readonly string[], items: readonly Json[], label: string): void {
  const api = apiOf(key)
  for (const item of items) {
    const shown = fields.filter((f) => f in item)
    ctx.assert(shown.length === 0, `${label}: ${api.name} ${String(item[api.id])} shows ${shown.join(', ')}, which its gate leaves off`)
  }
}

/**
 * `include_X=true` shows the gate's fields and `false` hides them (catalog §1.5, "toggle the field
 * and compare"): the gate-on view against the bare direct token of each listing.
 */
export function gateCheck(id: string, gate: string, section: string): Check {
  const targets = GATES[gate] ?? []
  const names = targets.flatMap((t) => Object.keys(t.fields))
  return check(
    id,
    section,
    `${gate}=true includes ${[...new Set(names)].join(', ')}; without it they are left out`,
    async (ctx: CheckContext) => {
      let seen = 0
      for (const target of targets) {
        const on = await gateOnView(ctx, target.key, gate).catch(() => undefined)
        if (on === undefined) continue
        const items = (await fullListing(ctx, on.token, target.key)).items
        if (items.length === 0) continue
        seen += expectOn(ctx, target.key, target, items, on.token.label)
        const bare = await directView(ctx, target.key, 'bare').catch(() => undefined)
        if (bare !== undefined) expectOff(ctx, target.key, Object.keys(target.fields), (await fullListing(ctx, bare, target.key)).items, bare.label)
      }
      if (seen === 0) ctx.notApplicable(`no listing of ${gate}'s fields could be read with the gate on, or the server has no value for them`)
    },
    { needs: CONSENT_NEEDS },
  )
}

/** A listing's optional fields are left out for a token that does not enable them (§7.2): the bare direct token. */
export function gatedOffCheck(id: string, key: ApiKey, section: string): Check {
  const api = apiOf(key)
  return check(id, section, `${api.name} carry none of their optional fields unless a gate enables them`, async (ctx: CheckContext) => {
    const bare = await directView(ctx, key, 'bare')
    const items = (await fullListing(ctx, bare, key)).items
    if (items.length === 0) ctx.notApplicable(`${bare.label} sees no ${api.name}`)
    expectOff(ctx, key, gatedFields(key), items, bare.label)
  })
}

/**
 * With the gate on, a nullable or list member is present in every object (`null` or `[]` when the
 * server has nothing, §0.2, A-02); a value check may follow.
 */
export function presenceCheck(
  id: string,
  section: string,
  title: string,
  key: ApiKey,
  gate: string,
  member: string,
  presence: Exclude<Presence, 'plain'>,
  value?: (item: Json) => string | undefined,
): Check {
  const api = apiOf(key)
  return check(
    id,
    section,
    title,
    async (ctx: CheckContext) => {
      const on = await gateOnView(ctx, key, gate)
      if (on === undefined) ctx.notApplicable(`no scope of the server offers ${gate} with ${api.name}`)
      const items = (await fullListing(ctx, on.token, key)).items
      if (items.length === 0) ctx.notApplicable(`${on.token.label} sees no ${api.name}`)
      expectOn(ctx, key, { key, fields: { [member]: presence } }, items, on.token.label)
      for (const item of items) {
        const problem = value?.(item)
        if (problem !== undefined) ctx.fail(`${api.name} ${String(item[api.id])}: ${problem}`)
      }
    },
    { needs: CONSENT_NEEDS },
  )
}
