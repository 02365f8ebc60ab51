/**
 * The direct-access lab of the §7 checks: a registration of the suite's own with every §6.2 direct
 * scope the server offers, put on one Client object through the Clients API (CDS-WG1-02 §5.5) so a
 * single `client_credentials` token can carry several scopes and their authorization details
 * (CDS-WG3-01 §6.2), and the Customer Data listings (§10) read whole with such a token.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { ClientCredentials } from '../../core/options.js'
import { clientWithScope } from '../../core/registration.js'
import { cdScopes, type CdScope, type Probe } from './kit.js'

/** The Customer Data listings (CDS-WG3-01 §10): metadata member(s), listing key and id member. */
export const APIS = {
  accounts: { metadata: ['cds_accounts_api'], list: 'accounts', id: 'cds_account_id' },
  servicecontracts: { metadata: ['cds_servicecontracts_api'], list: 'service_contracts', id: 'cds_servicecontract_id' },
  servicepoints: { metadata: ['cds_servicepoints_api'], list: 'service_points', id: 'cds_servicepoint_id' },
  meterdevices: { metadata: ['cds_meterdevices_api'], list: 'meter_devices', id: 'cds_meterdevice_id' },
  billstatements: { metadata: ['cds_billstatement_api', 'cds_billstatements_api'], list: 'bill_statements', id: 'cds_billstatement_id' },
  billsections: { metadata: ['cds_billsection_api', 'cds_billsections_api'], list: 'bill_sections', id: 'cds_billsection_id' },
  aggregations: { metadata: ['cds_aggregations_api'], list: 'aggregations', id: 'cds_aggregation_id' },
  usagesegments: { metadata: ['cds_usagesegments_api'], list: 'usage_segments', id: 'cds_usagesegment_id' },
  eacs: { metadata: ['cds_eacs_api'], list: 'eacs', id: 'cds_eac_id' },
} as const

/** A Customer Data listing. */
export type ApiKey = keyof typeof APIS

/** The listing each §6.2 direct scope type is about. */
export const DIRECT_PRIMARY: Readonly<Record<string, ApiKey>> = {
  cds_query_accounts: 'accounts',
  cds_query_service_contracts: 'servicecontracts',
  cds_query_service_points: 'servicepoints',
  cds_query_meter_devices: 'meterdevices',
  cds_query_bill_statements: 'billstatements',
  cds_query_bill_sections: 'billsections',
  cds_query_aggregations: 'aggregations',
  cds_query_usage: 'usagesegments',
}

/** The lab: the direct scopes and how to ask for tokens. */
export interface DirectLab {
  scopes: CdScope[]
  /** One Client object holds every direct scope (else each scope has its own object). */
  multi: boolean
  credentials: (scopes: readonly string[]) => ClientCredentials | undefined
}

/** The run's direct lab (made once); not applicable when the server offers no direct scope. */
export function directLab(ctx: CheckContext): Promise<DirectLab> {
  return ctx.once('adf:direct-lab', async () => {
    const scopes = (await cdScopes(ctx)).filter((s) => !s.consent)
    if (scopes.length === 0) ctx.notApplicable('the server offers no direct access scope (CDS-WG3-01 §6.2)')
    const ids = scopes.map((s) => s.id)
    let registration
    try {
      registration = await ctx.freshRegistration(['cds_client_admin', ...ids].join(' '))
    } catch {
      registration = await ctx.registration()
    }
    const single = (scope: string) => clientWithScope(registration, scope)?.credentials
    const base = clientWithScope(registration, ids[0] ?? '')
    let multi = false
    if (base !== undefined && registration.registered) {
      const token = await ctx.clientToken(registration.admin, 'cds_client_admin')
      const uri = typeof base.client.cds_client_uri === 'string' ? base.client.cds_client_uri : `${String((await ctx.oauthMetadata()).cds_clients_api)}/${String(base.client.client_id)}`
      const put = await ctx.request({ method: 'PUT', url: uri, bearer: token, json: { ...base.client, scope: ids.join(' ') } })
      multi = put.status === 200 && String(put.json<Json>().scope).split(' ').length === ids.length
    }
    return {
      scopes,
      multi,
      credentials: (wanted) => (multi && base !== undefined ? base.credentials : wanted.length === 1 ? single(wanted[0] ?? '') : undefined),
    }
  })
}

/** The direct scope of a type, or not applicable. */
export async function directScope(ctx: CheckContext, type: string): Promise<CdScope> {
  const scope = (await directLab(ctx)).scopes.find((s) => s.type === type)
  if (scope === undefined) ctx.notApplicable(`the server offers no ${type} scope`)
  return scope
}

/**
 * A `client_credentials` token request (RFC 6749 §4.4) for the scopes of the entries (and `more`),
 * carrying the entries as `authorization_details` (RFC 9396 §6).
 */
export async function directProbe(ctx: CheckContext, entries: readonly Json[], more: readonly CdScope[] = []): Promise<Probe> {
  const lab = await directLab(ctx)
  const scopeIds = [...new Set([...entries.map((e) => lab.scopes.find((s) => s.rarType === e.type)?.id ?? String(e.type)), ...more.map((s) => s.id)])]
  const credentials = lab.credentials(scopeIds)
  if (credentials === undefined) ctx.skip(`no Client object of the suite holds ${scopeIds.join(' ')} together (the Clients API would not merge them)`)
  const response = await ctx.request({
    url: await ctx.endpoint('token_endpoint'),
    basic: credentials,
    form: { grant_type: 'client_credentials', scope: scopeIds.join(' '), ...(entries.length === 0 ? {} : { authorization_details: JSON.stringify(entries) }) },
  })
  if (response.status !== 200) return { response, accepted: false }
  const body = response.json<Json>()
  const details = Array.isArray(body.authorization_details) ? (body.authorization_details as Json[]) : []
  return { response, accepted: true, details, ...(typeof body.access_token === 'string' ? { token: body.access_token } : {}) }
}

/** A token for the entries; fails when the request is refused. */
export async function directToken(ctx: CheckContext, entries: readonly Json[], more: readonly CdScope[] = []): Promise<{ token: string; details: Json[] }> {
  const probe = await directProbe(ctx, entries, more)
  if (!probe.accepted || probe.token === undefined) ctx.fail(`the token request for ${entries.map((e) => String(e.type)).join(', ')} was refused: ${probe.response.status} ${probe.response.text.slice(0, 300)}`)
  return { token: probe.token, details: probe.details ?? [] }
}

/** The listing's URL from the metadata; not applicable when the server publishes none. */
export async function apiUrl(ctx: CheckContext, key: ApiKey): Promise<string> {
  const asm = await ctx.oauthMetadata()
  for (const name of APIS[key].metadata) if (typeof asm[name] === 'string') return asm[name]
  return ctx.notApplicable(`the server publishes no ${APIS[key].metadata[0]}`)
}

/**
 * Every object of a listing for a token (all pages, at most 30), read once per run and token;
 * `decrypt` opens bodies encrypted to a key of the request (CDS-WG3-01 §7.4.6).
 */
export function listItems(ctx: CheckContext, key: ApiKey, token: string, decrypt?: (body: string) => Promise<unknown>): Promise<Json[]> {
  return ctx.once(`adf:list:${key}:${token}`, async () => {
    const out: Json[] = []
    let next: string | null = await apiUrl(ctx, key)
    for (let page = 0; next !== null && page < 30; page++) {
      const reply = await ctx.request({ url: next, bearer: token })
      if (reply.status !== 200) ctx.fail(`${reply.request} answered ${reply.status}: ${reply.text.slice(0, 200)}`)
      const body = (decrypt === undefined ? ctx.exactJson(reply) : await decrypt(reply.text)) as Json
      const list = body[APIS[key].list]
      if (!Array.isArray(list)) ctx.fail(`${reply.request} has no ${APIS[key].list} array`)
      out.push(...(list as Json[]))
      next = typeof body.next === 'string' ? body.next : null
    }
    return out
  })
}

/** The ids of a listing's objects. */
export function idsOf(key: ApiKey, items: readonly Json[]): Set<string> {
  return new Set(items.map((item) => String(item[APIS[key].id])))
}

/**
 * A window on Usage Segments small enough to read fast (from midnight UTC 45 days before the run),
 * for entries that are not about the window. Absolute, so every token of the run trims the
 * segments at the same instant and their ids agree.
 */
export const SHORT_USAGE = { segment_start: `${new Date(Date.now() - 45 * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z` } as const

/**
 * The entry of a direct scope for a "wide" token: every include field offered set to `value`
 * (the scope's implied ones stay), Usage Segments on a short window, plus `extra`.
 */
export function wideEntry(scope: CdScope, value: boolean, extra: Json = {}, implied: readonly string[] = []): Json {
  const entry: Json = { type: scope.rarType }
  for (const [id, field] of scope.fields) if (id.startsWith('include_') && field.format === 'boolean' && (value || !implied.includes(id))) entry[id] = value
  if (scope.fields.has('segment_start')) Object.assign(entry, SHORT_USAGE)
  return { ...entry, ...extra }
}
