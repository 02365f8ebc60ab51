/**
 * What consent tokens see (CDS-WG3-01 §6.1, §7.2; catalog §1.4): the customer's selection decides
 * the primary objects, `include_*` fields add the related ones. The ground truth is the test
 * customer's union token (every consent scope, every entry, every `include_*`), against which
 * tokens of one scope and a small selection are compared.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { ApiKey } from './apis.js'
import { CONSENT_NEEDS, consentToken, unionToken, type Section } from './consent-tokens.js'
import { check } from './kit.js'
import { fullListing, idsOf, sameIds, strings } from './listing.js'
import type { DataToken } from './tokens.js'

/** A consent check (needs the customer and the browser). */
function consentCheck(id: string, section: string, title: string, run: (ctx: CheckContext) => Promise<void>): Check {
  return check(id, section, title, run, { needs: CONSENT_NEEDS })
}

/** The union token's objects of a listing. */
export async function union(ctx: CheckContext, key: ApiKey): Promise<Json[]> {
  return (await fullListing(ctx, await unionToken(ctx), key)).items
}

/** The listing of a token. */
export async function listed(ctx: CheckContext, token: DataToken, key: ApiKey): Promise<Json[]> {
  return (await fullListing(ctx, token, key)).items
}

/** The account of the union view with the most usage segments (a selection that shows something). */
async function busyAccount(ctx: CheckContext): Promise<Json> {
  const accounts = await union(ctx, 'accounts')
  const segments = await union(ctx, 'usagesegments')
  const count = (a: Json) => segments.filter((s) => strings(s.related_accounts).includes(String(a.cds_account_id))).length
  const best = accounts.filter((a) => typeof a.account_number === 'string').sort((a, b) => count(b) - count(a))[0]
  if (best === undefined) ctx.notApplicable("the test customer's union token sees no numbered Account")
  return best
}

/** The first Service Contract of the union view that has a number and bill sections. */
async function billedContract(ctx: CheckContext): Promise<Json> {
  const sections = await union(ctx, 'billsections')
  const contract = (await union(ctx, 'servicecontracts')).find((c) => typeof c.contract_number === 'string' && sections.some((s) => strings(s.related_servicecontracts).includes(String(c.cds_servicecontract_id))))
  if (contract === undefined) ctx.notApplicable("the test customer's union token sees no numbered Service Contract with bill sections")
  return contract
}

/** The first numbered meter of the union view with usage segments. */
async function busyMeter(ctx: CheckContext): Promise<Json> {
  const segments = await union(ctx, 'usagesegments')
  const meter = (await union(ctx, 'meterdevices')).find((m) => typeof m.meter_number === 'string' && segments.some((s) => strings(s.related_meterdevices).includes(String(m.cds_meterdevice_id))))
  if (meter === undefined) ctx.notApplicable("the test customer's union token sees no numbered meter with usage segments")
  return meter
}

/** Ancestors of an account in a listing (itself included). */
function lineage(accounts: readonly Json[], id: string): Set<string> {
  const out = new Set<string>()
  for (let current: string | undefined = id; current !== undefined && !out.has(current); ) {
    out.add(current)
    const parent: unknown = accounts.find((a) => a.cds_account_id === current)?.cds_account_parent
    current = typeof parent === 'string' ? parent : undefined
  }
  return out
}

/** The usage consent of one meter: no value types, contracts and meters but not service points (§7.2, §7.2.8.1). */
export async function meterUsageToken(ctx: CheckContext): Promise<{ token: DataToken; meter: Json }> {
  const meter = await busyMeter(ctx)
  const section: Section = {
    type: 'cds_usage',
    selection: { type: 'meter_device_selection', numbers: [String(meter.meter_number)] },
    full: false,
    entry: { include_service_contracts: true, include_contract_numbers: true, include_meter_devices: true, include_meter_numbers: true, include_usage_segment_value_types: null },
  }
  return { token: await consentToken(ctx, 'usage-meter', [section]), meter }
}

/** The Service Bills consent of one contract, without Bill Statements, with meters and service points. */
export async function contractBillsToken(ctx: CheckContext): Promise<{ token: DataToken; contract: Json }> {
  const contract = await billedContract(ctx)
  const section: Section = {
    type: 'cds_service_bills',
    selection: { type: 'service_contract_selection', numbers: [String(contract.contract_number)] },
    entry: { include_bill_statements: false },
  }
  return { token: await consentToken(ctx, 'sbills-contract', [section]), contract }
}

/** The checks of §6.1 and the consent side of §7.2. */
export const consentVisibilityChecks: readonly Check[] = [
  consentCheck('R3-01-6-D02', '§6', 'a consent token sees exactly the Accounts the customer selected', async (ctx: CheckContext) => {
    const accounts = await union(ctx, 'accounts')
    const one = accounts.find((a) => a.cds_account_parent === null && typeof a.account_number === 'string')
    if (one === undefined) ctx.notApplicable('the test customer has no numbered Account without a parent')
    const token = await consentToken(ctx, 'accounts-one', [{ type: 'cds_accounts', selection: { type: 'account_selection', numbers: [String(one.account_number)] } }])
    sameIds(ctx, idsOf('accounts', await listed(ctx, token, 'accounts')), [String(one.cds_account_id)], `Accounts of a cds_accounts consent selecting ${String(one.account_number)}`)
  }),
  consentCheck('R3-01-6-D03', '§6', 'a Grant follows its Selection as the data changes (for example a meter swap)', async (ctx: CheckContext) => {
    ctx.notApplicable('a meter swap or another change of the customer data cannot be caused by a client, so the Selection-based derivation over time cannot be observed')
  }),
  consentCheck('R3-01-6.1.9-D01', '§6.1.9', 'a Meter Usage consent by account shows the usage segments related to the selected account', async (ctx: CheckContext) => {
    const account = await busyAccount(ctx)
    const id = String(account.cds_account_id)
    const token = await consentToken(ctx, 'usage-account', [{ type: 'cds_usage', selection: { type: 'account_selection', numbers: [String(account.account_number)] } }])
    const got = await listed(ctx, token, 'usagesegments')
    for (const s of got) ctx.assert(strings(s.related_accounts).includes(id), `segment ${String(s.cds_usagesegment_id)} does not relate to the selected account ${id}`)
    const expected = (await union(ctx, 'usagesegments')).filter((s) => strings(s.related_accounts).includes(id))
    sameIds(ctx, idsOf('usagesegments', got), idsOf('usagesegments', expected), `segments of a Meter Usage consent selecting account ${String(account.account_number)}`)
  }),
  consentCheck('R3-01-6.1.8-D01', '§6.1.8', 'a Service Bills consent by contract shows the sections naming that contract under its account, and that account', async (ctx: CheckContext) => {
    const { token, contract } = await contractBillsToken(ctx)
    const [id, account] = [String(contract.cds_servicecontract_id), String(contract.cds_account_id)]
    const got = await listed(ctx, token, 'billsections')
    for (const s of got) ctx.assert(strings(s.related_servicecontracts).includes(id) && s.cds_account_id === account, `section ${String(s.cds_billsection_id)} is not a section of the selected contract under its account`)
    const expected = (await union(ctx, 'billsections')).filter((s) => strings(s.related_servicecontracts).includes(id) && s.cds_account_id === account)
    sameIds(ctx, idsOf('billsections', got), idsOf('billsections', expected), `sections of a Service Bills consent selecting contract ${String(contract.contract_number)}`)
    const allowed = lineage(await union(ctx, 'accounts'), account)
    for (const a of await listed(ctx, token, 'accounts')) ctx.assert(allowed.has(String(a.cds_account_id)), `the consent shows Account ${String(a.cds_account_id)}, not the selected contract's account`)
  }),
  consentCheck('R3-01-6.1.6-D01', '§6.1.6', 'a Meter List consent by contract shows the meters currently at the service points currently on that contract', async (ctx: CheckContext) => {
    const contract = await billedContract(ctx)
    const id = String(contract.cds_servicecontract_id)
    const token = await consentToken(ctx, 'meters-contract', [{ type: 'cds_meters', selection: { type: 'service_contract_selection', numbers: [String(contract.contract_number)] } }])
    const points = new Set((await union(ctx, 'servicepoints')).filter((p) => strings(p.current_servicecontracts).includes(id)).map((p) => String(p.cds_servicepoint_id)))
    const expected = (await union(ctx, 'meterdevices')).filter((m) => strings(m.current_servicepoints).some((p) => points.has(p)))
    sameIds(ctx, idsOf('meterdevices', await listed(ctx, token, 'meterdevices')), idsOf('meterdevices', expected), `meters of a Meter List consent selecting contract ${String(contract.contract_number)}`)
  }),
  consentCheck('R3-01-6.1.7-D01', '§6.1.7', 'a Bill Statements consent shows the statements of the selected account from statement_date_start on, with the enabled fields', async (ctx: CheckContext) => {
    const statements = await union(ctx, 'billstatements')
    const byAccount = new Map<string, Json[]>()
    for (const s of statements) byAccount.set(String(s.cds_account_id), [...(byAccount.get(String(s.cds_account_id)) ?? []), s])
    const [accountId, own] = [...byAccount.entries()].sort((a, b) => b[1].length - a[1].length)[0] ?? []
    const account = (await union(ctx, 'accounts')).find((a) => a.cds_account_id === accountId)
    if (own === undefined || own.length < 2 || typeof account?.account_number !== 'string') ctx.notApplicable('no numbered account of the test customer has two statements')
    const dates = own.map((s) => String(s.statement_date)).sort()
    const start = dates[Math.floor(dates.length / 2)] ?? ''
    const token = await consentToken(ctx, 'bills-account', [{ type: 'cds_bill_statements', selection: { type: 'account_selection', numbers: [account.account_number] }, entry: { statement_date_start: start } }])
    const got = await listed(ctx, token, 'billstatements')
    sameIds(ctx, idsOf('billstatements', got), idsOf('billstatements', own.filter((s) => String(s.statement_date) >= start)), `statements of a consent selecting ${account.account_number} from ${start}`)
    for (const s of got) ctx.assert(Array.isArray(s.new_charges), `statement ${String(s.cds_billstatement_id)} lacks new_charges, which the consent enables`)
  }),
]
