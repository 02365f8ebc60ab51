/**
 * CDS-WG3-01 §10.1 Accounts API: the Account object, Entities, Account Contacts, Account Programs,
 * the listing's filters and order.
 *
 * @module
 */
import { AccountContactType, AccountProgramType, AccountStatus, AccountType, Entity, EntityType, checkStrict } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { ENTITY_LISTINGS, PROGRAM_LISTINGS, entitiesOf, isUrl, modifiedCheck, nestedCheck, providedCheck, syncedCheck } from './common.js'
import { filterCheck, intersectCheck, qCheck, qHiddenCheck, type FilterSpec } from './filters.js'
import { check, endsCheck, envelopeCheck, orderCheck, ruleCheck, schemaCheck } from './kit.js'
import { shown, str, strings } from './listing.js'
import { presenceCheck } from './gates.js'
import { allIn, directView, enumValues, nested, views, type Verdict } from './views.js'

const E164 = /^\+[1-9][0-9]{1,14}$/
const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]+$/

/** What `q` searches on an Account (§10.1.10, A-24: contact `value`; programs' `program_number`). */
export function accountSearch(item: Json): string[] {
  return [
    ...strings(item.cds_account_id),
    ...strings(item.customer_number),
    ...strings(item.account_number),
    ...strings(item.account_address),
    ...strings(item.account_name),
    ...nested(item, 'account_contacts').flatMap((c) => strings(c.value)),
    ...nested(item, 'account_programs').flatMap((p) => strings(p.program_number)),
  ]
}

const ids: FilterSpec = { key: 'accounts', param: 'cds_account_ids', values: (item) => strings(item.cds_account_id), wide: true }
const numbers: FilterSpec = { key: 'accounts', param: 'account_numbers', values: (item) => strings(item.account_number) }
const statuses: FilterSpec = { key: 'accounts', param: 'account_statuses', values: (item) => strings(item.account_status) }

/** A link member of a Program is absent or a URL, never null or empty (§10.1.8, §10.2.5). */
export function programLinks(program: Json): Verdict {
  const bad = ['more_info', 'signup', 'settings', 'discontinue'].filter((m) => m in program && !isUrl(program[m]))
  return bad.length === 0 ? true : `${bad.map((m) => `${m} ${shown(program[m])}`).join(', ')} is not a URL (leave it out when there is no link)`
}

/** Participation members are absent or typed, never null (§10.1.8, §10.2.5). */
export function programParticipation(program: Json): Verdict {
  const bad = ['participation_number', 'start', 'end'].filter((m) => m in program && (typeof program[m] !== 'string' || program[m] === ''))
  return bad.length === 0 ? true : `${bad.map((m) => `${m} ${shown(program[m])}`).join(', ')}: leave it out when unknown`
}

/** The checks of §10.1. */
export const accountChecks: readonly Check[] = [
  providedCheck('R3-01-10.1-01', 'accounts'),
  schemaCheck('R3-01-10.1.1-01', 'accounts', 'every Account has its required fields (ids, the three timestamps, cds_account_parent) of the right types'),
  modifiedCheck('R3-01-10.1.1-02', 'accounts'),
  syncedCheck('R3-01-10.1.1-03', 'accounts'),
  ruleCheck(
    'R3-01-10.1.1-04',
    'accounts',
    '§10.1.1',
    'a non-null cds_account_parent names a parent Account that the listing shows too',
    (item, view) => {
      if (item.cds_account_parent === null || item.cds_account_parent === undefined) return undefined
      return view.items.some((a) => a.cds_account_id === item.cds_account_parent) ? true : `its parent ${str(item.cds_account_parent)} is not listed although Accounts are included`
    },
    'no visible Account has a parent',
  ),
  presenceCheck('R3-01-10.1.1-05', '§10.1.1', 'with account numbers enabled, customer_number is present: a string, or null when there is none', 'accounts', 'include_account_numbers', 'customer_number', 'nullable', (item) =>
    item.customer_number === null || (typeof item.customer_number === 'string' && item.customer_number !== '') ? undefined : `customer_number is ${shown(item.customer_number)}`),
  presenceCheck('R3-01-10.1.1-06', '§10.1.1', 'with account numbers enabled, account_entity is present: an Entity, or null when unknown', 'accounts', 'include_account_numbers', 'account_entity', 'nullable', (item) =>
    item.account_entity === null || (typeof item.account_entity === 'object' && !Array.isArray(item.account_entity)) ? undefined : `account_entity is ${shown(item.account_entity)}`),
  ruleCheck(
    'R3-01-10.1.1-08',
    'accounts',
    '§10.1.1',
    'account_types, when present, has at least one entry',
    (item) => (item.account_types === undefined ? undefined : Array.isArray(item.account_types) && item.account_types.length > 0 ? true : 'account_types is empty'),
    'no view shows account types',
  ),
  presenceCheck('R3-01-10.1.1-09', '§10.1.1', 'with account programs enabled, account_programs is a list ([] when there are none)', 'accounts', 'include_account_programs', 'account_programs', 'list'),
  ruleCheck('R3-01-10.1.2-01', 'accounts', '§10.1.2', 'account_types holds only the defined Account Types', allIn(enumValues(AccountType), 'account_types'), 'no view shows account types'),
  ruleCheck('R3-01-10.1.3-01', 'accounts', '§10.1.3', 'account_status is a defined Account Status', allIn(enumValues(AccountStatus), 'account_status'), 'no view shows account status'),
  nestedCheck('R3-01-10.1.4-01', '§10.1.4', 'every Entity has id, types, entity_number, entity_name and entity_abbreviation (string or null)', ENTITY_LISTINGS, entitiesOf, (entity) => {
    const issues = checkStrict(Entity, entity)
    return issues.length === 0 ? true : issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')
  }, 'no Entity is visible'),
  check('R3-01-10.1.4-02', '§10.1.4', 'entity_number equals the Entity id when no unique identifier is known', async (ctx: CheckContext) => {
    ctx.notApplicable('whether the server knows a unique identifier for an Entity is internal to it; a differing entity_number cannot be told wrong black-box')
  }),
  check('R3-01-10.1.4-03', '§10.1.4', 'entity_number equals the entity_number of the CDS-WG1-01 Coverage Entry of the same entity', async (ctx: CheckContext) => {
    const coverage = (await ctx.serverMetadata()).coverage
    if (typeof coverage !== 'string') ctx.notApplicable('the server publishes no coverage endpoint (CDS-WG1-01 §4)')
    const entries: Json[] = []
    let next: string | null = coverage
    for (let i = 0; next !== null && i < 50; i++) {
      const reply = await ctx.request({ url: next })
      ctx.expectStatus(reply, 200)
      const body = reply.json<Json>()
      entries.push(...((body.coverage_entries ?? []) as Json[]))
      next = typeof body.next === 'string' ? body.next : null
    }
    const numbered = entries.filter((e) => typeof e.entity_number === 'string')
    if (numbered.length === 0) ctx.notApplicable('no Coverage Entry carries an entity_number (the pinned CDS-WG1-01 §4.3 defines none), so nothing can be compared')
    let compared = 0
    for (const view of [...(await views(ctx, 'accounts')), ...(await views(ctx, 'servicecontracts'))])
      for (const entity of view.items.flatMap(entitiesOf)) {
        const same = numbered.filter((e) => e.entity_name === entity.entity_name)
        if (same.length === 0) continue
        compared++
        ctx.assert(same.some((e) => e.entity_number === entity.entity_number), `Entity ${String(entity.id)} has entity_number ${String(entity.entity_number)}, its Coverage Entry ${String(same[0]?.entity_number)}`)
      }
    if (compared === 0) ctx.notApplicable('no visible Entity has a Coverage Entry of the same entity_name')
  }),
  nestedCheck('R3-01-10.1.4-04', '§10.1.4', 'entity_abbreviation is present, and null (not an empty string) when there is none', ENTITY_LISTINGS, entitiesOf, (entity) =>
    !('entity_abbreviation' in entity) ? 'entity_abbreviation is missing' : entity.entity_abbreviation === '' ? 'entity_abbreviation is "" instead of null' : true, 'no Entity is visible'),
  nestedCheck('R3-01-10.1.5-01', '§10.1.5', 'Entity types are defined Entity Types', ENTITY_LISTINGS, entitiesOf, allIn(enumValues(EntityType), 'types'), 'no Entity is visible'),
  nestedCheck('R3-01-10.1.5-02', '§10.1.5', 'an Entity of type iou is also a distributor (A-22)', ENTITY_LISTINGS, entitiesOf, (entity) => {
    const types = strings(entity.types)
    if (!types.includes('iou')) return undefined
    return types.includes('distributor') ? true : `Entity ${String(entity.id)} is an iou but not a distributor`
  }, 'no visible Entity is an iou'),
  nestedCheck('R3-01-10.1.6-01', '§10.1.6', 'every Account Contact has id, types and value', ['accounts'], (item) => nested(item, 'account_contacts'), (c) =>
    typeof c.id === 'string' && Array.isArray(c.types) && typeof c.value === 'string' ? true : `contact ${shown(c).slice(0, 120)} lacks id, types or value`, 'no Account Contact is visible'),
  nestedCheck('R3-01-10.1.6-02', '§10.1.6', 'every Account Contact is typed phone_number or email', ['accounts'], (item) => nested(item, 'account_contacts'), (c) =>
    strings(c.types).some((t) => t === 'phone_number' || t === 'email') ? true : `contact ${String(c.id)} has types ${shown(c.types)}`, 'no Account Contact is visible'),
  nestedCheck('R3-01-10.1.6-04', '§10.1.6', 'a phone_number contact value is an E.164 number', ['accounts'], (item) => nested(item, 'account_contacts'), (c) =>
    !strings(c.types).includes('phone_number') ? undefined : E164.test(String(c.value)) ? true : `contact ${String(c.id)} value ${shown(c.value)} is not E.164`, 'no phone contact is visible'),
  nestedCheck('R3-01-10.1.6-05', '§10.1.6', 'an email contact value is an email address', ['accounts'], (item) => nested(item, 'account_contacts'), (c) =>
    !strings(c.types).includes('email') ? undefined : EMAIL.test(String(c.value)) ? true : `contact ${String(c.id)} value ${shown(c.value)} is not an address`, 'no email contact is visible'),
  nestedCheck('R3-01-10.1.7-01', '§10.1.7', 'Account Contact types are defined values', ['accounts'], (item) => nested(item, 'account_contacts'), allIn(enumValues(AccountContactType), 'types'), 'no Account Contact is visible'),
  nestedCheck('R3-01-10.1.8-01', '§10.1.8', 'every Account Program has id, program_number, types, name, description and a documentation URL', PROGRAM_LISTINGS, (item) => [...nested(item, 'account_programs')], (p) => {
    const missing = ['id', 'program_number', 'name', 'description'].filter((m) => typeof p[m] !== 'string')
    if (!Array.isArray(p.types)) missing.push('types')
    if (!isUrl(p.documentation)) missing.push('documentation')
    return missing.length === 0 ? true : `program ${String(p.id)} lacks ${missing.join(', ')}`
  }, 'no Account Program is visible'),
  check('R3-01-10.1.8-02', '§10.1.8', 'a program keeps one program_number across Accounts, Bill Statements and reads', async (ctx: CheckContext) => {
    const byName = new Map<string, Set<string>>()
    for (const key of PROGRAM_LISTINGS)
      for (const view of await views(ctx, key))
        for (const p of view.items.flatMap((item) => nested(item, 'account_programs'))) {
          const name = String(p.name)
          byName.set(name, (byName.get(name) ?? new Set()).add(String(p.program_number)))
        }
    if (byName.size === 0) ctx.notApplicable('no Account Program is visible')
    for (const [name, numbers] of byName) ctx.assert(numbers.size === 1, `the program "${name}" has the program_numbers ${[...numbers].join(', ')}`)
  }),
  nestedCheck('R3-01-10.1.8-03', '§10.1.8', 'Account Program links are absent when there is none, never null or empty', PROGRAM_LISTINGS, (item) => nested(item, 'account_programs'), programLinks, 'no Account Program is visible'),
  nestedCheck('R3-01-10.1.8-05', '§10.1.8', 'Account Program participation_number, start and end are absent when unknown, never null', PROGRAM_LISTINGS, (item) => nested(item, 'account_programs'), programParticipation, 'no Account Program is visible'),
  nestedCheck('R3-01-10.1.9-01', '§10.1.9', 'Account Program types are defined values', PROGRAM_LISTINGS, (item) => nested(item, 'account_programs'), allIn(enumValues(AccountProgramType), 'types'), 'no Account Program is visible'),
  nestedCheck('R3-01-10.1.9-02', '§10.1.9', 'a credit bank balance is absent when unknown, never null', PROGRAM_LISTINGS, (item) => nested(item, 'account_programs'), (p) =>
    !('balance' in p) ? undefined : p.balance === null ? 'balance is null' : true, 'no visible Account Program has a balance'),
  nestedCheck('R3-01-10.1.9-03', '§10.1.9', 'an Account Program with a balance has its ISO 4217 currency', PROGRAM_LISTINGS, (item) => nested(item, 'account_programs'), (p) =>
    !('balance' in p) ? undefined : typeof p.currency === 'string' && /^[A-Z]{3}$/.test(p.currency) ? true : `balance without a currency (${shown(p.currency)})`, 'no visible Account Program has a balance'),
  envelopeCheck('R3-01-10.1.10-01', 'accounts', ['R3-01-10.1.10-02']),
  endsCheck('R3-01-10.1.10-04', 'accounts'),
  filterCheck('R3-01-10.1.10-06', ids),
  filterCheck('R3-01-10.1.10-07', { key: 'accounts', param: 'customer_numbers', values: (item) => strings(item.customer_number) }, 'the Accounts listing supports customer_numbers (a null customer_number never matches)'),
  filterCheck('R3-01-10.1.10-08', numbers),
  filterCheck('R3-01-10.1.10-09', statuses),
  qCheck('R3-01-10.1.10-10', 'accounts', accountSearch),
  qHiddenCheck('R3-01-10.1.10-11', 'accounts', accountSearch, (ctx: CheckContext) => directView(ctx, 'accounts', 'bare')),
  intersectCheck('R3-01-10.1.10-12', ids, numbers),
  orderCheck('R3-01-10.1.10-13', 'accounts'),
]
