/**
 * What a token shows through the Customer Data APIs (CDS-WG3-01 §10), for the §6 checks of what
 * each scope makes available: the nine listings read whole, and what each §7.2 include field adds
 * (whole objects, or members of objects), from the §7.2 field sections.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { listAll } from '../../core/registration.js'

/** The Customer Data listings: metadata member(s), listing key and id member. */
export const APIS = {
  accounts: { metadata: ['cds_accounts_api'], list: 'accounts', id: 'cds_account_id' },
  service_contracts: { metadata: ['cds_servicecontracts_api'], list: 'service_contracts', id: 'cds_servicecontract_id' },
  service_points: { metadata: ['cds_servicepoints_api'], list: 'service_points', id: 'cds_servicepoint_id' },
  meter_devices: { metadata: ['cds_meterdevices_api'], list: 'meter_devices', id: 'cds_meterdevice_id' },
  bill_statements: { metadata: ['cds_billstatement_api'], list: 'bill_statements', id: 'cds_billstatement_id' },
  bill_sections: { metadata: ['cds_billsection_api'], list: 'bill_sections', id: 'cds_billsection_id' },
  aggregations: { metadata: ['cds_aggregations_api'], list: 'aggregations', id: 'cds_aggregation_id' },
  usage_segments: { metadata: ['cds_usagesegments_api'], list: 'usage_segments', id: 'cds_usagesegment_id' },
  eacs: { metadata: ['cds_eacs_api'], list: 'eacs', id: 'cds_eac_id' },
} as const

/** A Customer Data listing. */
export type ApiKey = keyof typeof APIS

/** What a token shows, by listing (a listing the server does not publish is empty). */
export type View = Record<ApiKey, Json[]>

/** Reads every listing the server publishes with a token (once per key). */
export function viewOf(ctx: CheckContext, key: string, token: string): Promise<View> {
  return ctx.once(`authz:view:${key}`, async () => {
    const asm = await ctx.oauthMetadata()
    const view = {} as View
    for (const [name, api] of Object.entries(APIS) as [ApiKey, (typeof APIS)[ApiKey]][]) {
      view[name] = []
      const url = api.metadata.map((m) => asm[m]).find((u): u is string => typeof u === 'string')
      if (url === undefined) continue
      for await (const item of listAll(ctx, url, token, api.list)) view[name].push(item)
    }
    return view
  })
}

/** The ids of a listing's items. */
export function idsOf(view: View, api: ApiKey): string[] {
  return view[api].map((item) => String(item[APIS[api].id]))
}

/** What an include field adds: whole objects of a listing, or members of its objects. */
export interface Observable {
  api: ApiKey
  /** Members any of which shows the field's data; none: the objects themselves. */
  members?: readonly string[]
}

/** The §7.2 include fields and what each adds (§7.2.1–§7.2.9). */
export const OBSERVABLES: Readonly<Record<string, readonly Observable[]>> = {
  include_accounts: [{ api: 'accounts' }],
  include_account_numbers: [
    { api: 'accounts', members: ['account_number', 'customer_number', 'account_entity'] },
    { api: 'service_contracts', members: ['account_number'] },
    { api: 'bill_statements', members: ['account_number'] },
    { api: 'bill_sections', members: ['account_number'] },
  ],
  include_account_details: [{ api: 'accounts', members: ['account_name', 'account_address', 'account_types', 'account_status', 'account_contacts'] }],
  include_account_programs: [{ api: 'accounts', members: ['account_programs'] }],
  include_service_contracts: [{ api: 'service_contracts' }],
  include_contract_numbers: [{ api: 'service_contracts', members: ['contract_number', 'contract_entity'] }],
  include_rate_plans: [{ api: 'service_contracts', members: ['rateplan_code', 'rateplan_name'] }],
  include_service_contract_details: [{ api: 'service_contracts', members: ['contract_address', 'contract_start', 'contract_end'] }],
  include_service_programs: [{ api: 'service_contracts', members: ['service_programs'] }],
  include_service_points: [{ api: 'service_points' }],
  include_premises: [{ api: 'service_points', members: ['premises'] }],
  include_service_point_addresses: [{ api: 'service_points', members: ['servicepoint_address'] }],
  include_coordinates: [{ api: 'service_points', members: ['latitude', 'longitude'] }],
  include_meter_devices: [{ api: 'meter_devices' }],
  include_meter_numbers: [{ api: 'meter_devices', members: ['meter_number'] }],
  include_meter_apps: [{ api: 'meter_devices', members: ['meter_apps'] }],
  include_bill_statements: [{ api: 'bill_statements' }],
  include_bill_statement_files: [{ api: 'bill_statements', members: ['file_uri'] }],
  include_bill_statement_charges: [
    { api: 'bill_statements', members: ['previous_balance_amount', 'previous_balance_paid', 'previous_balance_unpaid', 'new_charges_amount', 'new_charges', 'new_balance_amount'] },
  ],
  include_bill_statement_programs: [{ api: 'bill_statements', members: ['account_programs'] }],
  include_bill_sections: [{ api: 'bill_sections' }],
  include_bill_section_line_items: [{ api: 'bill_sections', members: ['line_items'] }],
  include_aggregations: [{ api: 'aggregations' }],
  include_aggregation_addresses: [{ api: 'aggregations', members: ['grouped_addresses'] }],
  include_usage_segments: [{ api: 'usage_segments' }],
  include_eacs: [{ api: 'eacs' }],
}

/** Whether one observable shows in a view. */
function shows(view: View, observable: Observable): boolean {
  const items = view[observable.api]
  if (observable.members === undefined) return items.length > 0
  return items.some((item) => observable.members?.some((member) => Object.hasOwn(item, member)) === true)
}

/** Where an include field's data shows in a view (empty: nowhere). */
export function showsField(view: View, field: string): string[] {
  return (OBSERVABLES[field] ?? []).filter((o) => shows(view, o)).map((o) => (o.members === undefined ? `${o.api} objects` : `${o.api} ${o.members.join('/')}`))
}

/** The first string member of an object, or undefined. */
export function text(item: Json | undefined, member: string): string | undefined {
  const value = item?.[member]
  return typeof value === 'string' && value !== '' ? value : undefined
}
