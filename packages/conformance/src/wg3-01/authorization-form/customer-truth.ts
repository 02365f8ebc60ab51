/**
 * What the first test customer really has, read once per run through the Customer Data APIs
 * (CDS-WG3-01 §10) after one consent that selects everything with every optional field: the
 * numbers, names, types and addresses that the form's selection entries must show (§9.2.3), and
 * the premises that an Aggregation Inclusion request must name (§6.1.10).
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { listAll } from '../../core/registration.js'
import { authorizeWithConsent } from './consent.js'
import { formClient, formRequest } from './form-client.js'
import { SELECTION_KINDS, scopeWithField } from './survey-forms.js'

/** The first customer's resources, as the Customer Data APIs list them. */
export interface CustomerTruth {
  accounts: Json[]
  service_contracts: Json[]
  service_points: Json[]
  meter_devices: Json[]
  aggregations: Json[]
}

/** The listing APIs and their item keys. */
const APIS: [keyof CustomerTruth, string, string][] = [
  ['accounts', 'cds_accounts_api', 'accounts'],
  ['service_contracts', 'cds_servicecontracts_api', 'service_contracts'],
  ['service_points', 'cds_servicepoints_api', 'service_points'],
  ['meter_devices', 'cds_meterdevices_api', 'meter_devices'],
  ['aggregations', 'cds_aggregations_api', 'aggregations'],
]

/** Runs the consent and reads the APIs. */
async function readTruth(ctx: CheckContext): Promise<CustomerTruth> {
  const fc = await formClient(ctx)
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  const wanted = [
    scopeWithField(fc, descriptions, 'account_numbers', 'account_selection', 'cds_accounts'),
    scopeWithField(fc, descriptions, 'contract_numbers', 'service_contract_selection', 'cds_service_contracts'),
    scopeWithField(fc, descriptions, 'meter_numbers', 'meter_device_selection', 'cds_meters'),
  ].filter((id, i, all): id is string => id !== undefined && all.indexOf(id) === i)
  if (wanted.length === 0) ctx.notApplicable('the form Client object has no consent scope with a selection')
  const details = wanted.map((type) => {
    const fields = (descriptions[type]?.authorization_details_fields_supported ?? []) as Json[]
    const entry: Json = { type }
    // Every optional data field on, and every entry of the scope's default Selection preselected.
    for (const f of fields) if (String(f.id).startsWith('include_') && f.format === 'boolean') entry[String(f.id)] = true
    const selection = fields.find((f) => f.id === 'authorization_form_selection_type')
    const kind = SELECTION_KINDS.find((k) => k.choice === selection?.default)
    if (kind !== undefined && kind.all && fields.some((f) => f.id === kind.field)) entry[kind.field] = ['_all']
    return entry
  })
  const { tokens } = await authorizeWithConsent(ctx, { ...formRequest(fc, wanted.join(' '), details), state: 'afk-truth-state' })
  const asm = await ctx.oauthMetadata()
  const token = String(tokens.access_token)
  const truth: CustomerTruth = { accounts: [], service_contracts: [], service_points: [], meter_devices: [], aggregations: [] }
  for (const [key, api, items] of APIS) {
    const url = asm[api]
    if (typeof url !== 'string') continue
    const probe = await ctx.request({ url, bearer: token })
    if (probe.status !== 200) continue
    for await (const item of listAll(ctx, url, token, items)) truth[key].push(item)
  }
  return truth
}

/** The first customer's resources (read once per run). */
export function customerTruth(ctx: CheckContext): Promise<CustomerTruth> {
  return ctx.once('afk:truth', () => readTruth(ctx))
}

/** The first line of an address (forms may join the lines with commas). */
export function firstLine(address: unknown): string | undefined {
  return typeof address === 'string' && address.trim() !== '' ? address.split('\n')[0]?.trim() : undefined
}

/** The words a type id may be shown as: the id with spaces, and the Choice `name` the metadata gives it. */
export function typeWords(id: string, choices: readonly Json[]): string[] {
  const named = choices.find((c) => c.id === id)?.name
  return [id.replace(/_/g, ' ').toLowerCase(), ...(typeof named === 'string' ? [named.toLowerCase()] : [])]
}
