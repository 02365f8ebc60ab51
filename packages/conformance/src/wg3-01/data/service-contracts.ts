/**
 * CDS-WG3-01 §10.2 Service Contracts API: the Service Contract object, Service Programs, the
 * listing's filters and order.
 *
 * @module
 */
import { ContractStatus, ContractType, ServiceProgramType, ServiceType, UnitType } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { programLinks, programParticipation } from './accounts.js'
import { isUrl, nestedCheck, providedCheck } from './common.js'
import { filterCheck, intersectCheck, qCheck, type FilterSpec } from './filters.js'
import { presenceCheck } from './gates.js'
import { check, endsCheck, envelopeCheck, orderCheck, ruleCheck, schemaCheck } from './kit.js'
import { fullListing, idsOf, shown, strings } from './listing.js'
import { allIn, directView, enumValues, nested, views } from './views.js'

/** What `q` searches on a Service Contract (§10.2.7). */
export function contractSearch(item: Json): string[] {
  return [
    ...strings(item.cds_servicecontract_id),
    ...strings(item.account_number),
    ...strings(item.contract_number),
    ...strings(item.contract_address),
    ...strings(item.rateplan_code),
    ...strings(item.rateplan_name),
    ...nested(item, 'service_programs').flatMap((p) => strings(p.program_number)),
  ]
}

const ids: FilterSpec = { key: 'servicecontracts', param: 'cds_servicecontract_ids', values: (item) => strings(item.cds_servicecontract_id), wide: true }
const numbers: FilterSpec = { key: 'servicecontracts', param: 'contract_numbers', values: (item) => strings(item.contract_number) }
const programs = (item: Json) => nested(item, 'service_programs')
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** The checks of §10.2. */
export const serviceContractChecks: readonly Check[] = [
  providedCheck('R3-01-10.2-01', 'servicecontracts'),
  schemaCheck('R3-01-10.2.1-01', 'servicecontracts', 'every Service Contract has its required fields (ids, timestamps, cds_account_id, contract_types, contract_status, service_types) of the right types'),
  presenceCheck('R3-01-10.2.1-02', '§10.2.1', 'with contract numbers enabled, contract_number is present: a string, or null when there is none', 'servicecontracts', 'include_contract_numbers', 'contract_number', 'nullable', (item) =>
    item.contract_number === null || (typeof item.contract_number === 'string' && item.contract_number !== '') ? undefined : `contract_number is ${shown(item.contract_number)}`),
  presenceCheck('R3-01-10.2.1-04', '§10.2.1', 'with contract numbers enabled, contract_entity is present: an Entity, or null when unknown', 'servicecontracts', 'include_contract_numbers', 'contract_entity', 'nullable', (item) =>
    item.contract_entity === null || (typeof item.contract_entity === 'object' && !Array.isArray(item.contract_entity)) ? undefined : `contract_entity is ${shown(item.contract_entity)}`),
  presenceCheck('R3-01-10.2.1-05', '§10.2.1', 'with contract details enabled, contract_end is present: a date, or null while the contract goes on', 'servicecontracts', 'include_service_contract_details', 'contract_end', 'nullable', (item) => {
    if (item.contract_end === null) return undefined
    if (typeof item.contract_end !== 'string' || !DATE.test(item.contract_end)) return `contract_end is ${shown(item.contract_end)}`
    return typeof item.contract_start === 'string' && item.contract_end < item.contract_start ? `contract_end ${item.contract_end} is before contract_start ${item.contract_start}` : undefined
  }),
  presenceCheck('R3-01-10.2.1-06', '§10.2.1', 'with service programs enabled, service_programs is a list ([] when there are none)', 'servicecontracts', 'include_service_programs', 'service_programs', 'list'),
  check('R3-01-10.2.1-08', '§10.2.1', "a Service Contract's cds_account_id names its Account, which a token that includes Accounts sees", async (ctx: CheckContext) => {
    let seen = 0
    for (const view of await views(ctx, 'servicecontracts')) {
      const accounts = new Set(idsOf('accounts', (await fullListing(ctx, view.token, 'accounts')).items))
      if (accounts.size === 0) continue
      for (const item of view.items) {
        seen++
        ctx.assert(accounts.has(String(item.cds_account_id)), `Service Contract ${String(item.cds_servicecontract_id)}'s Account ${String(item.cds_account_id)} is not listed by ${view.token.label}, which includes Accounts`)
      }
    }
    if (seen === 0) ctx.notApplicable('no token sees both Service Contracts and Accounts')
  }),
  ruleCheck('R3-01-10.2.2-01', 'servicecontracts', '§10.2.2', 'contract_types holds only defined Contract Types', allIn(enumValues(ContractType), 'contract_types'), 'no Service Contract is visible'),
  ruleCheck('R3-01-10.2.3-01', 'servicecontracts', '§10.2.3', 'contract_status is a defined Contract Status', allIn(enumValues(ContractStatus), 'contract_status'), 'no Service Contract is visible'),
  ruleCheck('R3-01-10.2.4-01', 'servicecontracts', '§10.2.4', 'service_types holds only defined Service Types', allIn(enumValues(ServiceType), 'service_types'), 'no Service Contract is visible'),
  nestedCheck('R3-01-10.2.5-01', '§10.2.5', 'every Service Program has id, program_number, types, name, description and a documentation URL', ['servicecontracts'], programs, (p) => {
    const missing = ['id', 'program_number', 'name', 'description'].filter((m) => typeof p[m] !== 'string')
    if (!Array.isArray(p.types)) missing.push('types')
    if (!isUrl(p.documentation)) missing.push('documentation')
    return missing.length === 0 ? true : `program ${String(p.id)} lacks ${missing.join(', ')}`
  }, 'no Service Program is visible'),
  check('R3-01-10.2.5-02', '§10.2.5', 'a service program keeps one program_number across Service Contracts', async (ctx: CheckContext) => {
    const byName = new Map<string, Set<string>>()
    for (const view of await views(ctx, 'servicecontracts'))
      for (const p of view.items.flatMap(programs)) byName.set(String(p.name), (byName.get(String(p.name)) ?? new Set()).add(String(p.program_number)))
    if (byName.size === 0) ctx.notApplicable('no Service Program is visible')
    for (const [name, values] of byName) ctx.assert(values.size === 1, `the service program "${name}" has the program_numbers ${[...values].join(', ')}`)
  }),
  nestedCheck('R3-01-10.2.5-03', '§10.2.5', 'Service Program links are absent when there is none, never null or empty', ['servicecontracts'], programs, programLinks, 'no Service Program is visible'),
  nestedCheck('R3-01-10.2.5-05', '§10.2.5', 'Service Program participation_number, start and end are absent when unknown, never null', ['servicecontracts'], programs, programParticipation, 'no Service Program is visible'),
  nestedCheck('R3-01-10.2.6-01', '§10.2.6', 'Service Program types are defined values', ['servicecontracts'], programs, allIn(enumValues(ServiceProgramType), 'types'), 'no Service Program is visible'),
  nestedCheck('R3-01-10.2.6-02', '§10.2.6', 'a credit bank balance is absent when unknown, never null', ['servicecontracts'], programs, (p) => (!('balance' in p) ? undefined : p.balance === null ? 'balance is null' : true), 'no visible Service Program has a balance'),
  nestedCheck('R3-01-10.2.6-03', '§10.2.6', 'a Service Program with a balance has its units (a Unit Type)', ['servicecontracts'], programs, (p) =>
    !('balance' in p) ? undefined : enumValues(UnitType).has(String(p.units)) ? true : `balance without valid units (${shown(p.units)})`, 'no visible Service Program has a balance'),
  nestedCheck('R3-01-10.2.6-04', '§10.2.6', 'a Service Program whose units are money has its ISO 4217 currency', ['servicecontracts'], programs, (p) =>
    p.units !== 'money' ? undefined : typeof p.currency === 'string' && /^[A-Z]{3}$/.test(p.currency) ? true : `units money without a currency (${shown(p.currency)})`, 'no visible Service Program counts money'),
  envelopeCheck('R3-01-10.2.7-01', 'servicecontracts'),
  endsCheck('R3-01-10.2.7-03', 'servicecontracts'),
  filterCheck('R3-01-10.2.7-04', ids),
  filterCheck('R3-01-10.2.7-05', { key: 'servicecontracts', param: 'account_numbers', values: (item) => strings(item.account_number) }),
  filterCheck('R3-01-10.2.7-06', numbers, 'the Service Contracts listing supports contract_numbers (a null contract_number never matches)'),
  filterCheck('R3-01-10.2.7-07', { key: 'servicecontracts', param: 'contract_statuses', values: (item) => strings(item.contract_status) }),
  filterCheck('R3-01-10.2.7-08', { key: 'servicecontracts', param: 'contract_types', values: (item) => strings(item.contract_types) }, 'the Service Contracts listing supports contract_types, any type matching any value'),
  filterCheck('R3-01-10.2.7-09', { key: 'servicecontracts', param: 'service_types', values: (item) => strings(item.service_types) }, 'the Service Contracts listing supports service_types, any type matching any value'),
  qCheck('R3-01-10.2.7-10', 'servicecontracts', contractSearch, (ctx: CheckContext) => directView(ctx, 'servicecontracts', 'bare')),
  intersectCheck('R3-01-10.2.7-11', ids, numbers),
  orderCheck('R3-01-10.2.7-12', 'servicecontracts'),
]
