/**
 * What each CDS-WG3-01 §7.2 include field turns on: the listing it opens (the "access" fields) or
 * the optional members it adds to objects (the "member" fields), by listing. The suite's own table
 * of §7.2.1–§7.2.9, shared by the direct and the consent checks.
 *
 * @module
 */
import type { ApiKey } from './direct-lab.js'

/** The listing an access include field opens (§7.2.1–§7.2.9). */
export const ACCESS_FIELDS: Readonly<Record<string, ApiKey>> = {
  include_accounts: 'accounts',
  include_service_contracts: 'servicecontracts',
  include_service_points: 'servicepoints',
  include_meter_devices: 'meterdevices',
  include_bill_statements: 'billstatements',
  include_bill_sections: 'billsections',
  include_aggregations: 'aggregations',
  include_usage_segments: 'usagesegments',
  include_eacs: 'eacs',
}

/** A member include field: the requirement row and the members it adds, per listing. */
export interface MemberRow {
  field: string
  id: string
  members: Partial<Record<ApiKey, readonly string[]>>
}

/** The member include fields of §7.2 with their "-02" rows. */
export const MEMBER_ROWS: readonly MemberRow[] = [
  {
    field: 'include_account_numbers',
    id: 'R3-01-7.2.1.1-02',
    members: { accounts: ['customer_number', 'account_number', 'account_entity'], servicecontracts: ['account_number'], billstatements: ['account_number'], billsections: ['account_number'] },
  },
  { field: 'include_account_details', id: 'R3-01-7.2.1.2-02', members: { accounts: ['account_name', 'account_address', 'account_types', 'account_status', 'account_contacts'] } },
  { field: 'include_account_programs', id: 'R3-01-7.2.1.3-02', members: { accounts: ['account_programs'] } },
  { field: 'include_contract_numbers', id: 'R3-01-7.2.2.1-02', members: { servicecontracts: ['contract_number', 'contract_entity'] } },
  { field: 'include_rate_plans', id: 'R3-01-7.2.2.2-02', members: { servicecontracts: ['rateplan_code', 'rateplan_name'] } },
  { field: 'include_service_contract_details', id: 'R3-01-7.2.2.3-02', members: { servicecontracts: ['contract_address', 'contract_start', 'contract_end'] } },
  { field: 'include_service_programs', id: 'R3-01-7.2.2.4-02', members: { servicecontracts: ['service_programs'] } },
  { field: 'include_premises', id: 'R3-01-7.2.3.1-02', members: { servicepoints: ['premises'] } },
  { field: 'include_service_point_addresses', id: 'R3-01-7.2.3.2-02', members: { servicepoints: ['servicepoint_address'] } },
  { field: 'include_coordinates', id: 'R3-01-7.2.3.3-02', members: { servicepoints: ['latitude', 'longitude'] } },
  { field: 'include_meter_numbers', id: 'R3-01-7.2.4.1-02', members: { meterdevices: ['meter_number'] } },
  { field: 'include_meter_apps', id: 'R3-01-7.2.4.2-02', members: { meterdevices: ['meter_apps'] } },
  { field: 'include_bill_statement_files', id: 'R3-01-7.2.5.1-02', members: { billstatements: ['file_uri'] } },
  {
    field: 'include_bill_statement_charges',
    id: 'R3-01-7.2.5.2-02',
    members: { billstatements: ['previous_balance_amount', 'previous_balance_paid', 'previous_balance_unpaid', 'new_charges_amount', 'new_charges', 'new_balance_amount'] },
  },
  { field: 'include_bill_statement_programs', id: 'R3-01-7.2.5.3-02', members: { billstatements: ['account_programs'] } },
  { field: 'include_bill_section_line_items', id: 'R3-01-7.2.6.1-02', members: { billsections: ['line_items'] } },
  { field: 'include_aggregation_addresses', id: 'R3-01-7.2.7.1-02', members: { aggregations: ['grouped_addresses'] } },
]

/** The "optional members left out by default" rows (§7.2.1–§7.2.7), by listing. */
export const OMIT_ROWS: readonly { id: string; section: string; api: ApiKey }[] = [
  { id: 'R3-01-7.2.1-04', section: '7.2.1', api: 'accounts' },
  { id: 'R3-01-7.2.2-05', section: '7.2.2', api: 'servicecontracts' },
  { id: 'R3-01-7.2.3-03', section: '7.2.3', api: 'servicepoints' },
  { id: 'R3-01-7.2.4-04', section: '7.2.4', api: 'meterdevices' },
  { id: 'R3-01-7.2.5-03', section: '7.2.5', api: 'billstatements' },
  { id: 'R3-01-7.2.6-04', section: '7.2.6', api: 'billsections' },
  { id: 'R3-01-7.2.7-03', section: '7.2.7', api: 'aggregations' },
]

/** The members of a listing that some include field gates, with the field that gates each. */
export function gatedMembers(api: ApiKey): Map<string, string> {
  const out = new Map<string, string>()
  for (const row of MEMBER_ROWS) for (const member of row.members[api] ?? []) out.set(member, row.field)
  return out
}
