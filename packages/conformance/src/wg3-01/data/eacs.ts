/**
 * CDS-WG3-01 §10.9 Energy Attribute Certificates API: the EAC object, its beneficiaries, the data
 * formats of the metadata, the listing's filters and order. The `eac_data_url` checks are in
 * `resources.ts`.
 *
 * @module
 */
import { BeneficiaryType } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { ApiKey } from './apis.js'
import { isUrl, programsOf, providedCheck } from './common.js'
import { filterCheck, intersectCheck, type FilterSpec } from './filters.js'
import { check, endsCheck, envelopeCheck, orderCheck, ruleCheck, schemaCheck } from './kit.js'
import { fullListing, shown, strings } from './listing.js'
import { clientMetadata, type DataToken } from './tokens.js'
import { allIn, enumValues, everyItem, views } from './views.js'

const ids: FilterSpec = { key: 'eacs', param: 'cds_eac_ids', values: (item) => strings(item.cds_eac_id), wide: true }
const numbers: FilterSpec = { key: 'eacs', param: 'eac_numbers', values: (item) => strings(item.eac_numbers) }

/** The values a token sees that a beneficiary of a type may name (§10.9.2, A-40). */
async function visibleValues(ctx: CheckContext, token: DataToken, type: string): Promise<Set<string>> {
  const read = async (key: ApiKey) => (await fullListing(ctx, token, key)).items
  switch (type) {
    case 'customer':
      return new Set((await read('accounts')).flatMap((a) => strings(a.customer_number)))
    case 'account':
      return new Set((await read('accounts')).flatMap((a) => strings(a.cds_account_id)))
    case 'servicecontract':
      return new Set((await read('servicecontracts')).flatMap((c) => strings(c.cds_servicecontract_id)))
    case 'rateplan':
      return new Set((await read('servicecontracts')).flatMap((c) => strings(c.rateplan_code)))
    default:
      return new Set([...(await read('accounts')), ...(await read('servicecontracts'))].flatMap(programsOf).flatMap((p) => strings(p.program_number)))
  }
}

/** `beneficiaries` of the type hold only values the token sees. */
function beneficiaryCheck(id: string, type: string, what: string): Check {
  return check(id, '§10.9.2', `a ${type} EAC lists as beneficiaries only ${what} the token sees`, async (ctx: CheckContext) =>
    everyItem(ctx, 'eacs', async (item, view) => {
      if (item.beneficiary_type !== type || strings(item.beneficiaries).length === 0) return undefined
      const visible = await visibleValues(ctx, view.token, type)
      const hidden = strings(item.beneficiaries).filter((b) => !visible.has(b))
      return hidden.length === 0 ? true : `beneficiaries ${hidden.join(', ')} are not ${what} ${view.token.label} sees`
    }, `no visible ${type} EAC lists a beneficiary`),
  )
}

/** The checks of §10.9. */
export const eacChecks: readonly Check[] = [
  providedCheck('R3-01-10.9-01', 'eacs'),
  schemaCheck('R3-01-10.9.1-01', 'eacs', 'every EAC has its ids, timestamps, beneficiary_type, beneficiaries, eac_numbers, eac_format, eac_data_url and period'),
  ruleCheck('R3-01-10.9.1-02', 'eacs', '§10.9.1', 'eac_numbers is always a list ([] when none is visible)', (item) => (Array.isArray(item.eac_numbers) ? true : `eac_numbers is ${shown(item.eac_numbers)}`), 'no EAC is visible'),
  check('R3-01-10.9.1-03', '§10.9.1', 'every eac_format is a key of the metadata cds_eac_formats', async (ctx: CheckContext) =>
    everyItem(ctx, 'eacs', async (item, view) => {
      const formats = (await clientMetadata(ctx, view.token.client)).cds_eac_formats as Json | undefined
      return formats !== undefined && typeof item.eac_format === 'string' && item.eac_format in formats ? true : `eac_format ${shown(item.eac_format)} is not in cds_eac_formats`
    }, 'no EAC is visible'),
  ),
  ruleCheck('R3-01-10.9.2-01', 'eacs', '§10.9.2', 'beneficiary_type is a defined Beneficiary Type', allIn(enumValues(BeneficiaryType), 'beneficiary_type'), 'no EAC is visible'),
  beneficiaryCheck('R3-01-10.9.2-02', 'customer', 'customer numbers'),
  beneficiaryCheck('R3-01-10.9.2-03', 'account', 'Account ids'),
  beneficiaryCheck('R3-01-10.9.2-04', 'servicecontract', 'Service Contract ids'),
  beneficiaryCheck('R3-01-10.9.2-05', 'rateplan', 'rate plan codes'),
  beneficiaryCheck('R3-01-10.9.2-06', 'program', 'program numbers'),
  ruleCheck('R3-01-10.9.2-07', 'eacs', '§10.9.2', 'a general EAC has no beneficiaries', (item) => (item.beneficiary_type !== 'general' ? undefined : strings(item.beneficiaries).length === 0 && Array.isArray(item.beneficiaries) ? true : `beneficiaries is ${shown(item.beneficiaries)}`), 'no visible EAC is general'),
  check('R3-01-10.9.3-01', '§10.9.3', 'every EAC Data Format Description has id (its key), name, description and a documentation URL', async (ctx: CheckContext) => {
    const [view] = await views(ctx, 'eacs', ['direct'])
    const asm = view === undefined ? await ctx.oauthMetadata() : await clientMetadata(ctx, view.token.client)
    const formats = asm.cds_eac_formats as Record<string, Json> | undefined
    if (formats === undefined) ctx.notApplicable('the metadata publishes no cds_eac_formats')
    if (Object.keys(formats).length === 0) ctx.notApplicable('cds_eac_formats is empty')
    for (const [key, d] of Object.entries(formats))
      ctx.assert(d.id === key && typeof d.name === 'string' && typeof d.description === 'string' && isUrl(d.documentation), `the EAC format ${key} lacks id (equal to its key), name, description or documentation`)
  }),
  envelopeCheck('R3-01-10.9.4-01', 'eacs'),
  endsCheck('R3-01-10.9.4-03', 'eacs'),
  filterCheck('R3-01-10.9.4-04', ids),
  filterCheck('R3-01-10.9.4-05', numbers, 'the EACs listing supports eac_numbers, any number matching'),
  filterCheck('R3-01-10.9.4-06', { key: 'eacs', param: 'beneficiaries', values: (item) => strings(item.beneficiaries) }, 'the EACs listing supports beneficiaries, any beneficiary matching whatever its type'),
  filterCheck('R3-01-10.9.4-08', { key: 'eacs', param: 'before', kind: 'before', format: 'datetime', values: (item) => strings(item.period_start) }, 'before keeps the EACs whose period starts at or before it'),
  filterCheck('R3-01-10.9.4-09', { key: 'eacs', param: 'after', kind: 'after', format: 'datetime', values: (item) => strings(item.period_end) }, 'after keeps the EACs whose period ends at or after it'),
  intersectCheck('R3-01-10.9.4-10', ids, numbers),
  orderCheck('R3-01-10.9.4-11', 'eacs'),
]
