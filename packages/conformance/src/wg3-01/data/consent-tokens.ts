/**
 * Customer consent tokens for the Customer Data checks (CDS-WG3-01 §6.1): a registration of the
 * suite's own whose Meter Usage Client object is widened (CDS-WG1-02 §5.5) to every consent scope
 * that fits it, so one authorization can carry several Request Sections; the test customer approves
 * in the run's browser, with every entry of the Selection preselected through the `"_all"` value of
 * §7.1.1/§7.1.3/§7.1.6/§7.1.9 unless a check asks for particular numbers.
 *
 * @module
 */
import type { CheckNeed } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { ClientCredentials } from '../../core/options.js'
import type { SuiteRegistration } from '../../core/registration.js'
import { authorizeWithConsent } from '../authorization-form/consent.js'
import { descriptions, fieldsOf, includeEntry, type DataToken } from './tokens.js'
import { str } from './listing.js'

/** The needs of a check that reads with a consent token. */
export const CONSENT_NEEDS: readonly CheckNeed[] = ['registration', 'customer', 'browser']

/** The suite's consent Client object for the data checks. */
export interface ConsentClient {
  client: Json
  credentials: ClientCredentials
  redirect_uri: string
  /** Its consent scope ids by Scope Description type. */
  scopes: ReadonlyMap<string, string>
  registration: SuiteRegistration
}

const same = (a: unknown, b: unknown) => Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x) => b.includes(x))

/** The consent Client object (made once per run); not applicable without a consent data scope. */
export function consentClient(ctx: CheckContext): Promise<ConsentClient> {
  return ctx.once('data:consent-client', async () => {
    const all = await descriptions(ctx)
    const consent = Object.entries(all).filter(([, d]) => Array.isArray(d.response_types_supported) && d.response_types_supported.includes('code') && String(d.type).startsWith('cds_') && d.type !== 'cds_aggregation_consent')
    if (consent.length === 0) ctx.notApplicable('the server offers no Customer Data consent scope')
    const registration = await ctx.freshRegistration()
    const admin = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const typeOf = (id: string) => str(all[id]?.type ?? id)
    const rank = (c: Json) => (String(c.scope).split(' ').some((id) => typeOf(id) === 'cds_usage') ? 0 : 2) + (c.cds_status === 'production' ? 0 : 1)
    const base = registration.clients
      .filter((c) => str(c.scope ?? '').split(' ').some((id) => consent.some(([cid]) => cid === id)) && registration.secrets.has(String(c.client_id)))
      .sort((a, b) => rank(a) - rank(b))[0]
    if (base === undefined) ctx.fail('the registration made no consent Client object with a secret')
    const credentials = registration.secrets.get(String(base.client_id))
    if (credentials === undefined) ctx.fail('no secret for the consent Client object')
    const own = String(base.scope).split(' ')
    const fitting = consent
      .filter(([id, d]) => own.includes(id) || (same(d.grant_types_supported, base.grant_types) && (d.registration_requirements as unknown[] | undefined)?.length === 0))
      .map(([id]) => id)
    let client = base
    const put = await ctx.request({ method: 'PUT', url: String(base.cds_client_uri), bearer: admin, json: { ...base, scope: [...new Set([...own, ...fitting])].join(' ') } })
    if (put.status === 200) client = put.json<Json>()
    const scopes = new Map<string, string>()
    for (const id of String(client.scope).split(' ')) if (all[id] !== undefined && !scopes.has(typeOf(id))) scopes.set(typeOf(id), id)
    const redirect_uri = typeof client.cds_default_redirect_uri === 'string' ? client.cds_default_redirect_uri : (client.redirect_uris as string[] | undefined)?.[0]
    if (redirect_uri === undefined) ctx.fail('the consent Client object has no redirect URI')
    return { client, credentials, redirect_uri, scopes, registration }
  })
}

/** How a Request Section selects: every entry of a Selection type (`"_all"`), or particular numbers. */
export interface SectionSelection {
  type: 'account_selection' | 'service_contract_selection' | 'servicepoint_selection' | 'meter_device_selection'
  /** The numbers to preselect (default `["_all"]`). */
  numbers?: readonly string[]
}

const SELECTION_FIELD: Record<SectionSelection['type'], string> = {
  account_selection: 'account_numbers',
  service_contract_selection: 'contract_numbers',
  servicepoint_selection: 'servicepoint_numbers',
  meter_device_selection: 'meter_numbers',
}

/** One Request Section of a consent: the scope type, its selection and the entry's own members. */
export interface Section {
  type: string
  selection?: SectionSelection
  /** Members of the entry (over the defaults `full` gives). */
  entry?: Json
  /** Start from every offered `include_*` on (default) or off. */
  full?: boolean
}

/** The entry of a section for a Scope Description: the includes, the Selection preselected, the check's members. */
export function sectionEntry(ctx: CheckContext, description: Json, section: Section): Json {
  const fields = fieldsOf(description)
  const selectionChoices = ((fields.get('authorization_form_selection_type')?.choices ?? []) as Json[]).map((c) => String(c.id))
  const wanted: SectionSelection['type'][] = section.selection === undefined ? ['account_selection', 'service_contract_selection', 'meter_device_selection', 'servicepoint_selection'] : [section.selection.type]
  const selection = wanted.find((s) => selectionChoices.includes(s) && fields.has(SELECTION_FIELD[s]))
  if (selection === undefined) ctx.notApplicable(`the ${section.type} scope offers no ${wanted.join('/')} preselection`)
  return {
    ...includeEntry(description, section.full ?? true),
    authorization_form_selection_type: selection,
    [SELECTION_FIELD[selection]]: section.selection?.numbers ?? ['_all'],
    ...section.entry,
  }
}

/** A consent token (made once per key): the test customer approves the sections in the browser. */
export function consentToken(ctx: CheckContext, key: string, sections: readonly Section[]): Promise<DataToken & { grant_id?: string }> {
  // The needs are checked before the shared promise, so a run without them skips instead of failing.
  ctx.customer()
  if (ctx.options.browser === undefined) ctx.skip('no browser was given (--browser /usr/bin/chromium)')
  return ctx.once(`data:consent:${key}`, async () => {
    const cc = await consentClient(ctx)
    const all = await descriptions(ctx)
    const ids: string[] = []
    const entries: Json[] = []
    for (const section of sections) {
      const id = cc.scopes.get(section.type)
      if (id === undefined) ctx.notApplicable(`the server offers no consent scope of type ${section.type} (or it does not fit one Client object)`)
      ids.push(id)
      entries.push(sectionEntry(ctx, all[id] ?? {}, section))
    }
    const result = await authorizeWithConsent(ctx, { credentials: cc.credentials, redirect_uri: cc.redirect_uri, scope: ids.join(' '), authorization_details: entries })
    await result.page.close().catch(() => undefined)
    return {
      token: String(result.tokens.access_token),
      client: cc.client,
      label: `a consent token (${key})`,
      types: sections.map((s) => s.type),
      response: result.tokens,
      ...(result.grant_id === undefined ? {} : { grant_id: result.grant_id }),
    }
  })
}

/** The consent scope types the union token carries (every data scope whose primary objects the form selects by account). */
export const UNION_TYPES = ['cds_accounts', 'cds_service_contracts', 'cds_meters', 'cds_bill_statements', 'cds_service_bills', 'cds_usage'] as const

/** The union consent token: every consent scope of {@link UNION_TYPES} the server offers, every `include_*` on, every entry selected. */
export async function unionToken(ctx: CheckContext): Promise<DataToken> {
  const cc = await consentClient(ctx)
  const types = UNION_TYPES.filter((t) => cc.scopes.has(t))
  if (types.length === 0) ctx.notApplicable('the server offers none of the consent scopes of §6.1.4–§6.1.9')
  return consentToken(ctx, 'union', types.map((type) => ({ type })))
}
