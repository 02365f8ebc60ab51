/**
 * CDS-WG3-01 §10.5 Bill Statements API: the Bill Statement object with its exact amount-due sum,
 * New Charges, the bill file behind `file_uri`, the listing's filters and order.
 *
 * @module
 */
import { NewChargeType } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isUrl, nestedCheck, providedCheck } from './common.js'
import { add, equal, exact, show, ZERO } from './exact.js'
import { filterCheck, intersectCheck, type FilterSpec } from './filters.js'
import { gateOnView, presenceCheck } from './gates.js'
import { check, endsCheck, envelopeCheck, orderCheck, ruleCheck, schemaCheck } from './kit.js'
import { fullListing, idsOf, shown, str, strings } from './listing.js'
import { isDecimal } from './service-points.js'
import { descriptions, fieldsOf, impliedFields, type DataToken } from './tokens.js'
import { allIn, directView, enumValues, everyItem, nested, views, type Verdict } from './views.js'

const ids: FilterSpec = { key: 'billstatements', param: 'cds_billstatement_ids', values: (item) => strings(item.cds_billstatement_id), wide: true }
const accountIds: FilterSpec = { key: 'billstatements', param: 'cds_account_ids', values: (item) => strings(item.cds_account_id) }
const charges = (item: Json) => nested(item, 'new_charges')

/** The amount-due sum of §10.5.1: previous unpaid plus the included New Charges equals amount due, exactly. */
export function sumRule(item: Json): Verdict {
  if (!('previous_balance_unpaid' in item) || !Array.isArray(item.new_charges)) return undefined
  let total = exact(item.previous_balance_unpaid)
  const due = exact(item.amount_due)
  if (total === undefined || due === undefined) return 'previous_balance_unpaid or amount_due is not an exact number'
  for (const charge of charges(item)) {
    if (charge.included_in_amount_due !== true) continue
    const amount = exact(charge.amount)
    if (amount === undefined) return `New Charge ${String(charge.id)} has amount ${shown(String(charge.amount))}, not a number`
    total = add(total, amount)
  }
  return equal(total, due) ? true : `previous_balance_unpaid + included New Charges = ${show(total)}, but amount_due is ${show(due)}`
}

/** Whether a token's scopes can show Bill Sections (§10.5.2: otherwise no `related_billsections`). */
async function seesSections(ctx: CheckContext, token: DataToken): Promise<boolean> {
  const all = Object.values(await descriptions(ctx))
  return token.types.some((type) => impliedFields(type).includes('include_bill_sections') || all.some((d) => d.type === type && fieldsOf(d).has('include_bill_sections')))
}

/** The checks of §10.5. */
export const billStatementChecks: readonly Check[] = [
  providedCheck('R3-01-10.5-01', 'billstatements'),
  schemaCheck('R3-01-10.5.1-01', 'billstatements', 'every Bill Statement has its required fields (ids, timestamps, statement_date, currency, amount_due and its date, the shutoff pair) of the right types'),
  check('R3-01-10.5.1-02', '§10.5.1', 'with account numbers enabled, every Bill Statement carries the account_number it was issued under', async (ctx: CheckContext) => {
    const on = await gateOnView(ctx, 'billstatements', 'include_account_numbers')
    if (on === undefined) ctx.notApplicable('no scope shows Bill Statements with account numbers')
    const items = (await fullListing(ctx, on.token, 'billstatements')).items
    if (items.length === 0) ctx.notApplicable(`${on.token.label} sees no Bill Statement`)
    for (const item of items) ctx.assert(typeof item.account_number === 'string' && item.account_number !== '', `Bill Statement ${String(item.cds_billstatement_id)} has account_number ${shown(item.account_number)}`)
    // That the number is the one at issuance (a snapshot) needs an account renumbered after issue, which a client cannot cause.
  }),
  ruleCheck('R3-01-10.5.1-03', 'billstatements', '§10.5.1', 'currency is an ISO 4217 code', (item) => (typeof item.currency === 'string' && /^[A-Z]{3}$/.test(item.currency) ? true : `currency ${shown(item.currency)}`), 'no Bill Statement is visible'),
  check('R3-01-10.5.1-04', '§10.5.1', 'a file_uri answers the same token, and neither no token nor a token that cannot see the statement', async (ctx: CheckContext) => {
    const on = await gateOnView(ctx, 'billstatements', 'include_bill_statement_files')
    if (on === undefined) ctx.notApplicable('no scope enables bill files')
    const item = (await fullListing(ctx, on.token, 'billstatements')).items.find((s) => typeof s.file_uri === 'string')
    if (item === undefined) ctx.notApplicable(`no Bill Statement ${on.token.label} sees has a file`)
    const uri = String(item.file_uri)
    const own = await ctx.request({ url: uri, bearer: on.token.token, headers: { accept: '*/*' } })
    ctx.expectStatus(own, 200)
    if (typeof item.file_mimetype === 'string') ctx.assert(own.mediaType === item.file_mimetype.toLowerCase(), `the file answers ${own.mediaType}, the statement says ${item.file_mimetype}`)
    const none = await ctx.request({ url: uri, headers: { accept: '*/*' } })
    ctx.expectStatus(none, 401)
    const other = await directView(ctx, 'accounts', 'bare')
    const stranger = await ctx.request({ url: uri, bearer: other.token, headers: { accept: '*/*' } })
    ctx.expectStatus(stranger, [401, 403, 404])
  }),
  presenceCheck('R3-01-10.5.1-05', '§10.5.1', 'with bill files enabled, file_uri is present: a URL, or null when there is no file', 'billstatements', 'include_bill_statement_files', 'file_uri', 'nullable', (item) =>
    item.file_uri === null || isUrl(item.file_uri) ? undefined : `file_uri is ${shown(item.file_uri)}`),
  ruleCheck('R3-01-10.5.1-06', 'billstatements', '§10.5.1', 'a Bill Statement whose file_uri is a URL has file_mimetype', (item) =>
    typeof item.file_uri !== 'string' ? undefined : typeof item.file_mimetype === 'string' && /^[\w.+-]+\/[\w.+-]+/.test(item.file_mimetype) ? true : `file_mimetype is ${shown(item.file_mimetype)}`, 'no visible Bill Statement has a file'),
  ruleCheck('R3-01-10.5.1-07', 'billstatements', '§10.5.1', 'shutoff_prevention_minimum_due is always present: an exact decimal, or null without a shutoff notice', (item) =>
    !('shutoff_prevention_minimum_due' in item) ? 'shutoff_prevention_minimum_due is missing' : item.shutoff_prevention_minimum_due === null || isDecimal(item.shutoff_prevention_minimum_due) ? true : `it is ${shown(str(item.shutoff_prevention_minimum_due))}`, 'no Bill Statement is visible'),
  ruleCheck('R3-01-10.5.1-08', 'billstatements', '§10.5.1', 'shutoff_prevention_date is null whenever shutoff_prevention_minimum_due is null', (item) =>
    item.shutoff_prevention_minimum_due !== null ? undefined : item.shutoff_prevention_date === null ? true : `shutoff_prevention_date is ${shown(item.shutoff_prevention_date)} without a minimum due`, 'no visible Bill Statement is without a shutoff notice'),
  presenceCheck('R3-01-10.5.1-09', '§10.5.1', 'with statement programs enabled, account_programs is a list ([] when there are none)', 'billstatements', 'include_bill_statement_programs', 'account_programs', 'list'),
  ruleCheck('R3-01-10.5.1-10', 'billstatements', '§10.5.1', 'previous_balance_unpaid plus the included New Charges equals amount_due, in exact decimal arithmetic', sumRule, 'no visible Bill Statement shows both previous_balance_unpaid and new_charges'),
  ruleCheck('R3-01-10.5.1-11', 'billstatements', '§10.5.1', 'a bill that does not add up carries one amount_due_sum_difference charge, included in the amount due, that closes the gap', (item) => {
    const differences = charges(item).filter((c) => strings(c.types).includes('amount_due_sum_difference'))
    if (differences.length === 0) return undefined
    if (differences.length > 1) return `${differences.length} amount_due_sum_difference charges`
    const [difference] = differences
    if (difference?.included_in_amount_due !== true) return 'the amount_due_sum_difference charge is not included in the amount due'
    if (equal(exact(difference.amount) ?? ZERO, ZERO)) return 'the amount_due_sum_difference charge is zero'
    return sumRule(item) ?? true
  }, 'no visible Bill Statement needed an amount_due_sum_difference charge'),
  nestedCheck('R3-01-10.5.2-01', '§10.5.2', 'every New Charge has id, name, types, an exact decimal amount and a boolean included_in_amount_due', ['billstatements'], charges, (c) =>
    typeof c.id === 'string' && typeof c.name === 'string' && Array.isArray(c.types) && isDecimal(c.amount) && typeof c.included_in_amount_due === 'boolean' ? true : `New Charge ${shown(c).slice(0, 160)} is incomplete`, 'no New Charge is visible'),
  check('R3-01-10.5.2-02', '§10.5.2', 'New Charges carry no related_billsections for a token whose scopes do not include Bill Sections', async (ctx: CheckContext) => {
    let seen = 0
    for (const view of await views(ctx, 'billstatements')) {
      if (await seesSections(ctx, view.token)) continue
      for (const charge of view.items.flatMap(charges)) {
        seen++
        ctx.assert(!('related_billsections' in charge), `New Charge ${String(charge.id)} lists related_billsections for ${view.token.label}, which has no Bill Sections scope`)
      }
    }
    if (seen === 0) ctx.notApplicable('no token without Bill Sections sees a New Charge')
  }),
  check('R3-01-10.5.2-03', '§10.5.2', 'related_billsections of New Charges lists only Bill Sections the token sees', async (ctx: CheckContext) =>
    everyItem(ctx, 'billstatements', async (item, view) => {
      const refs = charges(item).flatMap((c) => strings(c.related_billsections))
      if (refs.length === 0) return undefined
      const visible = new Set(idsOf('billsections', (await fullListing(ctx, view.token, 'billsections')).items))
      const hidden = refs.filter((id) => !visible.has(id))
      return hidden.length === 0 ? true : `related_billsections names ${hidden.join(', ')}, which the token does not see`
    }, 'no visible New Charge lists related_billsections'),
  ),
  nestedCheck('R3-01-10.5.3-01', '§10.5.3', 'New Charge types are defined values (differed as spelt)', ['billstatements'], charges, allIn(enumValues(NewChargeType), 'types'), 'no New Charge is visible'),
  envelopeCheck('R3-01-10.5.4-01', 'billstatements'),
  endsCheck('R3-01-10.5.4-03', 'billstatements'),
  filterCheck('R3-01-10.5.4-04', ids),
  filterCheck('R3-01-10.5.4-05', { key: 'billstatements', param: 'before', kind: 'before', format: 'date', values: (item) => strings(item.statement_date) }, 'before keeps the Bill Statements dated on or before it (the bound included)'),
  filterCheck('R3-01-10.5.4-06', { key: 'billstatements', param: 'after', kind: 'after', format: 'date', values: (item) => strings(item.statement_date) }, 'after keeps the Bill Statements dated on or after it (the bound included)'),
  filterCheck('R3-01-10.5.4-07', accountIds),
  filterCheck('R3-01-10.5.4-08', { key: 'billstatements', param: 'account_numbers', values: (item) => strings(item.account_number) }),
  intersectCheck('R3-01-10.5.4-09', ids, accountIds),
  orderCheck('R3-01-10.5.4-10', 'billstatements'),
]
