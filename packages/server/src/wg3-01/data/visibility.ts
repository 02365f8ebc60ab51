/**
 * What one Customer Data scope makes visible (catalog §1.4 steps 3–4, A-04): its primary set
 * (the customer's selection, or the direct-access base set narrowed by the preselections), then
 * the related objects each effective `include_*` field adds, computed once from the primary set
 * and never widening the primary type, all within the base set. `access.ts` takes the union over
 * the token's scopes and adds the date windows (step 5).
 *
 * @see CDS-WG3-01 §7.2 Authorization Details Fields for Included Data
 * @module
 */
import type { CustomerDataScope } from '@cds-ts/schema'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../db/database.js'
import type { ScopeAccess } from './access-grant.js'
import { aggregationsWith, idsOf, inSet, intersect, NONE, related, union, withAncestors, type IdSet, type SmallType } from './id-sets.js'
import type { DataObjectType } from './types.js'
import {
  and,
  FALSE,
  or,
  preselectionFilters,
  sectionLinkedTo,
  segmentLinkedTo,
  selectedIds,
  type BaseSet,
  type BigType,
  type Condition,
} from './visibility-base.js'

/** What one scope makes visible: id sets for the small types, conditions for the large ones. */
export interface ScopeView {
  small: Record<SmallType, IdSet>
  big: Record<BigType, Condition>
}

/** The primary object type of each scope (catalog §1.3 "Primary objects"); `null`: no data of its own. */
export const PRIMARY_TYPES: Readonly<Record<CustomerDataScope, DataObjectType | null>> = {
  cds_rate_plan: 'service_contract',
  cds_account_programs: 'account',
  cds_service_programs: 'service_contract',
  cds_accounts: 'account',
  cds_service_contracts: 'service_contract',
  cds_meters: 'meter_device',
  cds_bill_statements: 'bill_statement',
  cds_service_bills: 'bill_section',
  cds_usage: 'usage_segment',
  // CDS-WG3-01 §6.1.10: completing it activates the parent Grant; it shares nothing itself.
  cds_aggregation_consent: null,
  cds_query_accounts: 'account',
  cds_query_service_contracts: 'service_contract',
  cds_query_service_points: 'service_point',
  cds_query_meter_devices: 'meter_device',
  cds_query_bill_statements: 'bill_statement',
  cds_query_bill_sections: 'bill_section',
  cds_query_aggregations: 'aggregation',
  cds_query_usage: 'usage_segment',
}

const SMALL: readonly SmallType[] = ['account', 'service_contract', 'service_point', 'meter_device', 'aggregation']
const SELECTABLE: readonly SmallType[] = ['account', 'service_contract', 'service_point', 'meter_device', 'aggregation']

/** A scope that shows nothing. */
export function emptyView(): ScopeView {
  return {
    small: { account: NONE, service_contract: NONE, service_point: NONE, meter_device: NONE, aggregation: NONE },
    big: { bill_statement: FALSE, bill_section: FALSE, usage_segment: FALSE, eac: FALSE },
  }
}

/** The primary set: small ids, or a condition over a large type's table. */
type Primary = { type: SmallType; ids: IdSet } | { type: Exclude<BigType, 'eac'>; where: Condition; everything: boolean }

const isSmall = (type: DataObjectType): type is SmallType => (SMALL as readonly string[]).includes(type)

/** CDS-WG3-01 §6.1.x: the customer's selections turned into the scope's primary set. */
async function consentPrimary(db: Kysely<Database>, base: BaseSet, scope: ScopeAccess, type: DataObjectType, created: string): Promise<Primary> {
  const selected = new Map<SmallType, IdSet>()
  for (const resource of SELECTABLE) selected.set(resource, await selectedIds(db, base, scope.selections, resource, created))
  const sel = (resource: SmallType) => selected.get(resource) ?? NONE
  if (isSmall(type)) {
    // §6.1.6: Meters selected through a Contract, Account or Service Point are the ones there now.
    const current = scope.type === 'cds_meters'
    const parts: IdSet[] = []
    for (const resource of SELECTABLE) parts.push(await related(db, resource, sel(resource), type, current))
    return { type, ids: intersect(union(...parts), base.small[type]) }
  }
  switch (type) {
    case 'bill_statement':
      // §6.1.7: the statements of the selected Accounts.
      return { type, where: and(base.big.bill_statement, inSet('bill_statements.cds_account_id', sel('account'))), everything: false }
    case 'bill_section': {
      // §6.1.8: by Account, the Account's sections; by Contract, the sections naming a selected
      // Contract under one of those Contracts' Accounts.
      const contracts = sel('service_contract')
      const byContract = and(sectionLinkedTo('service_contract', contracts), inSet('bill_sections.cds_account_id', await related(db, 'service_contract', contracts, 'account')))
      return { type, where: and(base.big.bill_section, or(inSet('bill_sections.cds_account_id', sel('account')), byContract)), everything: false }
    }
    default:
      // §6.1.9: the segments related to a selected object of the selection's type.
      return { type: 'usage_segment', where: and(base.big.usage_segment, or(...SELECTABLE.map((r) => segmentLinkedTo(r, sel(r))))), everything: false }
  }
}

/** CDS-WG3-01 §6.2, §7.1: the base set narrowed by every preselection, projected onto the primary type. */
async function directPrimary(db: Kysely<Database>, base: BaseSet, scope: ScopeAccess, type: DataObjectType): Promise<Primary> {
  const filters = await preselectionFilters(db, base, scope.entry)
  if (isSmall(type)) {
    let ids = base.small[type]
    for (const [filtered, set] of filters) ids = intersect(ids, await related(db, filtered, set, type))
    return { type, ids }
  }
  const parts: Condition[] = []
  for (const [filtered, set] of filters) {
    if (type === 'usage_segment') parts.push(segmentLinkedTo(filtered, set))
    else if (type === 'bill_section' && filtered !== 'account' && filtered !== 'aggregation') parts.push(sectionLinkedTo(filtered, set))
    else parts.push(inSet(`${type === 'bill_statement' ? 'bill_statements' : 'bill_sections'}.cds_account_id`, await related(db, filtered, set, 'account')))
  }
  const big = type as Exclude<BigType, 'eac'>
  return { type: big, where: and(base.big[big], ...parts), everything: base.everything && filters.size === 0 }
}

/** The objects of a small type related to the primary set (through the link tables for large primaries). */
function relatedTo(db: Kysely<Database>, primary: Primary): (type: SmallType) => Promise<IdSet> {
  const cache = new Map<SmallType, Promise<IdSet>>()
  const compute = async (type: SmallType): Promise<IdSet> => {
    if ('ids' in primary) return related(db, primary.type, primary.ids, type)
    if (primary.everything) return 'all'
    if (primary.type === 'usage_segment') {
      return idsOf(db, sql`select distinct l.object_id as id from usage_segment_links l join usage_segments on usage_segments.cds_usagesegment_id = l.cds_usagesegment_id where l.object_type = ${type} and ${primary.where}`)
    }
    const table = primary.type === 'bill_statement' ? 'bill_statements' : 'bill_sections'
    if (type === 'account') return idsOf(db, sql`select distinct ${sql.ref(`${table}.cds_account_id`)} as id from ${sql.table(table)} where ${primary.where}`)
    if (primary.type === 'bill_section' && type !== 'aggregation') {
      return idsOf(db, sql`select distinct b.object_id as id from bill_section_links b join bill_sections on bill_sections.cds_billsection_id = b.cds_billsection_id where b.object_type = ${type} and ${primary.where}`)
    }
    return related(db, 'account', await of('account'), type)
  }
  const of = (type: SmallType): Promise<IdSet> => {
    let found = cache.get(type)
    if (found === undefined) {
      found = compute(type)
      cache.set(type, found)
    }
    return found
  }
  return of
}

/**
 * What one scope makes visible (catalog §1.4, A-04): the primary set, then, for each effective
 * `include_*`, the related objects of that type, capped by the base set.
 *
 * @see CDS-WG3-01 §7.2 Authorization Details Fields for Included Data
 */
export async function scopeView(db: Kysely<Database>, base: BaseSet, scope: ScopeAccess, direct: boolean, created: string): Promise<ScopeView> {
  const view = emptyView()
  const type = PRIMARY_TYPES[scope.type]
  if (type === null || type === 'eac') return view
  const primary = direct ? await directPrimary(db, base, scope, type) : await consentPrimary(db, base, scope, type, created)
  const has = (field: string) => scope.includes.has(field as `include_${string}`)
  const rel = relatedTo(db, primary)
  const derived = async (t: SmallType, included: boolean, widen?: (set: IdSet) => Promise<IdSet>) => {
    if ('ids' in primary && primary.type === t) return primary.ids
    if (!included) return NONE
    const set = await rel(t)
    return intersect(widen === undefined ? set : await widen(set), base.small[t])
  }
  const s = view.small
  // A-04 order: Accounts (with their ancestors), Contracts, Service Points, Meters, then the large types and Aggregations.
  s.account = await derived('account', has('include_accounts'), (set) => withAncestors(db, set))
  s.service_contract = await derived('service_contract', has('include_service_contracts'))
  // §7.2: Contracts and Meters together bring the Service Points between them.
  s.service_point = await derived('service_point', has('include_service_points') || (has('include_service_contracts') && has('include_meter_devices')))
  s.meter_device = await derived('meter_device', has('include_meter_devices'))
  if ('ids' in primary && primary.type === 'aggregation') s.aggregation = primary.ids
  else if (has('include_aggregations')) {
    const grouping = union(
      await aggregationsWith(db, 'account', s.account),
      await aggregationsWith(db, 'service_contract', s.service_contract),
      await aggregationsWith(db, 'meter_device', s.meter_device),
      primary.type === 'usage_segment' ? await rel('aggregation') : NONE,
    )
    s.aggregation = intersect(grouping, base.small.aggregation)
  }

  const where = (t: BigType) => ('where' in primary && primary.type === t ? primary.where : undefined)
  const accounts = 'ids' in primary && primary.type === 'account' ? primary.ids : await rel('account')
  // §7.2.5: the statements of the Accounts the scope reaches.
  view.big.bill_statement = where('bill_statement') ?? (has('include_bill_statements') ? and(base.big.bill_statement, inSet('bill_statements.cds_account_id', accounts)) : FALSE)
  if (where('bill_section') !== undefined) view.big.bill_section = where('bill_section') as Condition
  else if (has('include_bill_sections')) {
    // §7.2.6: an included Account's sections naming an included Contract, or those an included segment names.
    const contracts = 'ids' in primary && primary.type === 'service_contract' ? primary.ids : await rel('service_contract')
    const ofSegments =
      'where' in primary && primary.type === 'usage_segment'
        ? sql<boolean>`exists (select 1 from usage_segment_links ls join usage_segments on usage_segments.cds_usagesegment_id = ls.cds_usagesegment_id where ls.object_type = 'bill_section' and ls.object_id = bill_sections.cds_billsection_id and ${primary.where})`
        : FALSE
    view.big.bill_section = and(base.big.bill_section, or(and(inSet('bill_sections.cds_account_id', accounts), sectionLinkedTo('service_contract', contracts)), ofSegments))
  }
  if (where('usage_segment') !== undefined) view.big.usage_segment = where('usage_segment') as Condition
  else if (has('include_usage_segments')) {
    // §7.2.8: the segments related to the scope's primary objects.
    const linked =
      'ids' in primary
        ? segmentLinkedTo(primary.type, primary.ids)
        : primary.type === 'bill_section'
          ? segmentLinkedTo('bill_section', sql<boolean>`l.object_id in (select cds_billsection_id from bill_sections where ${primary.where})`)
          : segmentLinkedTo('account', accounts)
    view.big.usage_segment = and(base.big.usage_segment, linked)
  }
  // A-05: no §6 scope offers include_eacs; a scope that does reaches the EACs naming the Accounts or
  // Contracts it reaches (like the statements of §7.2.5: those of the data it shares, included or not).
  if (has('include_eacs')) {
    const contracts = 'ids' in primary && primary.type === 'service_contract' ? primary.ids : await rel('service_contract')
    view.big.eac = or(beneficiaries('account', intersect(accounts, base.small.account)), beneficiaries('servicecontract', intersect(contracts, base.small.service_contract)))
  }
  return view
}

/** EACs whose beneficiaries of `type` include an id of `set` (§10.9.1). */
function beneficiaries(type: string, set: IdSet): Condition {
  if (set === 'all') return sql<boolean>`eacs.beneficiary_type = ${type}`
  if (set.size === 0) return FALSE
  return sql<boolean>`(eacs.beneficiary_type = ${type} and eacs.beneficiaries ?| array[${sql.join([...set].map((id) => sql`${id}`))}]::text[])`
}

/** The union of the scopes' views (catalog §1.4: visibility is the union over the token's scopes). */
export function unionOf(views: readonly ScopeView[]): ScopeView {
  const merged = emptyView()
  for (const view of views) {
    for (const t of SMALL) merged.small[t] = union(merged.small[t], view.small[t])
    for (const t of ['bill_statement', 'bill_section', 'usage_segment', 'eac'] as const) merged.big[t] = or(merged.big[t], view.big[t])
  }
  return merged
}
