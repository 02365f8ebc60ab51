/**
 * The date windows of CDS-WG3-01 §7.3 on the data (catalog §1.6, §3.10): containment of Bill
 * Statements and Bill Sections, Usage Segments trimmed at the Grant's `segment_start` and
 * `segment_end`, durations held to the scope's limits and made absolute, `sync_until`, `expires`,
 * and the sync cadence of the §4 scenarios.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { CheckFailure } from '../../core/check.js'
import { apiOf, instant, type ApiKey } from './apis.js'
import { CONSENT_NEEDS, consentToken } from './consent-tokens.js'
import { union } from './consent-visibility.js'
import { check } from './kit.js'
import { fullListing, idsOf, sameIds, shown, str, strings } from './listing.js'
import { descriptions, directToken, fieldsOf, grantAdminToken, grantOf, scopeIdOfType, suiteClient, type DataToken } from './tokens.js'
import { intervalMs } from './usage-segments.js'
import { directTypeFor, views } from './views.js'

/** A direct token of a listing's scope with a window entry; `undefined` when the server refuses the values. */
async function windowToken(ctx: CheckContext, key: ApiKey, name: string, entry: Json): Promise<DataToken | undefined> {
  const type = await directTypeFor(ctx, key)
  if (type === undefined) ctx.notApplicable(`no direct-access scope shows ${apiOf(key).name}`)
  const description = Object.values(await descriptions(ctx)).find((d) => d.type === type) ?? {}
  const missing = Object.keys(entry).filter((f) => !fieldsOf(description).has(f))
  if (missing.length > 0) ctx.notApplicable(`the ${type} scope does not offer ${missing.join(', ')}`)
  try {
    return await directToken(ctx, type, { key: name, entry })
  } catch (error) {
    if (error instanceof CheckFailure && /answered 400/.test(error.message)) return undefined
    throw error
  }
}

/** A start window (containment): a direct token whose start field is a middle value of the listing lists exactly the objects from it on. */
function startCheck(id: string, section: string, key: ApiKey, field: string, member: string, format: 'date' | 'datetime'): Check {
  const api = apiOf(key)
  return check(id, section, `${api.name} are visible only from the Grant's ${field} on`, async (ctx: CheckContext) => {
    const [view] = await views(ctx, key, ['direct'])
    const items = view?.items ?? []
    const values = [...new Set(items.map((i) => String(i[member])))].sort((a, b) => (format === 'date' ? (a < b ? -1 : 1) : (instant(a) ?? 0) - (instant(b) ?? 0)))
    if (values.length < 2) ctx.notApplicable(`fewer than two distinct ${member} values are visible`)
    // The second latest value: a window that keeps few objects (Usage Segments are heavy).
    const bound = values[values.length - 2] ?? ''
    const token = await windowToken(ctx, key, `${field}=${bound}`, { [field]: bound })
    if (token === undefined) ctx.fail(`the server refused ${field} ${bound}, a value inside the data`)
    const after = (v: unknown) => (format === 'date' ? String(v) >= bound : (instant(v) ?? 0) >= (instant(bound) ?? 0))
    const got = (await fullListing(ctx, token, key)).items
    for (const item of got) ctx.assert(after(item[member]), `${api.name} ${String(item[api.id])} has ${member} ${String(item[member])}, before the Grant's ${field} ${bound}`)
    if (key !== 'usagesegments') sameIds(ctx, idsOf(key, got), idsOf(key, items.filter((i) => after(i[member]))), `${api.name} of a token with ${field} ${bound}`)
  })
}

/** An end window: the server refuses an end before now (its limits), or lists nothing after it. */
function endCheck(id: string, section: string, key: ApiKey, field: string, member: string, format: 'date' | 'datetime'): Check {
  const api = apiOf(key)
  return check(id, section, `${api.name} are visible only up to the Grant's ${field}`, async (ctx: CheckContext) => {
    const [view] = await views(ctx, key, ['direct'])
    const values = [...new Set((view?.items ?? []).map((i) => String(i[member])))].sort((a, b) => (format === 'date' ? (a < b ? -1 : 1) : (instant(a) ?? 0) - (instant(b) ?? 0)))
    if (values.length < 2) ctx.notApplicable(`fewer than two distinct ${member} values are visible`)
    const bound = values[Math.floor(values.length / 2)] ?? ''
    const token = await windowToken(ctx, key, `${field}=${bound}`, { [field]: bound })
    if (token === undefined) ctx.notApplicable(`the server refuses a ${field} in the past (its minimum), and all the data lies in the past, so nothing can fall after the end`)
    const before = (v: unknown) => (format === 'date' ? String(v) <= bound : (instant(v) ?? 0) <= (instant(bound) ?? 0))
    for (const item of (await fullListing(ctx, token, key)).items) ctx.assert(before(item[member]), `${api.name} ${String(item[api.id])} has ${member} ${String(item[member])}, after the Grant's ${field} ${bound}`)
  })
}

/** The latest multi-interval segment of the direct view, and an instant inside it between two intervals. */
async function straddled(ctx: CheckContext): Promise<{ segment: Json; cut: string; kept: number }> {
  const [view] = await views(ctx, 'usagesegments', ['direct'])
  const segment = (view?.items ?? []).filter((s) => Array.isArray(s.values) && s.values.length >= 4 && intervalMs(s) !== undefined).sort((a, b) => (instant(b.segment_start) ?? 0) - (instant(a.segment_start) ?? 0))[0]
  if (segment === undefined) ctx.notApplicable('no visible segment holds four or more intervals')
  const step = Number(intervalMs(segment))
  const half = Math.floor((segment.values as unknown[]).length / 2)
  const cut = new Date((instant(segment.segment_start) ?? 0) + half * step - step / 2).toISOString()
  return { segment, cut, kept: half }
}

/** The checks of §7.3 and the §4 sync cadence. */
export const windowChecks: readonly Check[] = [
  check('R3-01-7.3-D01', '§7.3', 'a duration beyond the scope\'s limit is refused or held to it', async (ctx: CheckContext) => {
    const type = await directTypeFor(ctx, 'usagesegments')
    const description = Object.values(await descriptions(ctx)).find((d) => d.type === type)
    const field = description === undefined ? undefined : fieldsOf(description).get('segment_start')
    const limit = typeof field?.maximum === 'string' ? /^P(\d+)Y$/.exec(field.maximum) : null
    if (type === undefined || limit === null) ctx.notApplicable('no direct-access usage scope has a segment_start limit in years')
    const token = await windowToken(ctx, 'usagesegments', 'too-long', { segment_start: `P${Number(limit[1]) + 7}Y` })
    if (token === undefined) return
    const earliest = Date.now() - (Number(limit[1]) * 366 + 1) * 86_400_000
    for (const s of (await fullListing(ctx, token, 'usagesegments')).items) ctx.assert((instant(s.segment_start) ?? 0) >= earliest, `segment ${String(s.cds_usagesegment_id)} starts ${String(s.segment_start)}, beyond the scope's ${String(field?.maximum)}`)
  }),
  check('R3-01-7.3-D02', '§7.3', 'durations in the token response and the Grant are absolute dates, datetimes or "infinite"', async (ctx: CheckContext) => {
    const token = await windowToken(ctx, 'usagesegments', 'relative', { segment_start: 'P40D' })
    if (token === undefined) ctx.fail('the server refused segment_start P40D')
    const grant = await grantOf(ctx, token)
    const entries = [...((token.response.authorization_details ?? []) as Json[]), ...((grant.authorization_details ?? []) as Json[]), ...((grant.enabled_authorization_details ?? []) as Json[])]
    const fields = ['sync_until', 'segment_start', 'segment_end', 'statement_date_start', 'statement_date_end', 'start_date', 'end_date', 'expires']
    let seen = 0
    for (const entry of entries)
      for (const f of fields.filter((x) => x in entry)) {
        seen++
        ctx.assert(entry[f] === 'infinite' || (typeof entry[f] === 'string' && instant(entry[f]) !== undefined), `${f} is ${shown(entry[f])}, not an absolute value`)
      }
    if (seen === 0) ctx.notApplicable('neither the token response nor the Grant shows a duration field')
  }),
  check('R3-01-7.3.1-D01', '§7.3.1', 'data is frozen at sync_until', async (ctx: CheckContext) => {
    ctx.notApplicable('seeing data frozen at sync_until needs the source data to change after it, which a client cannot cause')
  }),
  check('R3-01-7.3.1-D02', '§7.3.1', 'cds_synced is kept current: never before the last modification', async (ctx: CheckContext) => {
    let seen = 0
    for (const key of ['accounts', 'servicecontracts', 'servicepoints', 'meterdevices', 'billstatements', 'billsections', 'aggregations', 'usagesegments', 'eacs'] as const)
      for (const view of await views(ctx, key, ['direct']).catch(() => []))
        for (const item of view.items) {
          seen++
          ctx.assert((instant(item.cds_synced) ?? 0) >= (instant(item.cds_modified) ?? 0), `${apiOf(key).name} ${String(item[apiOf(key).id])} was modified (${String(item.cds_modified)}) after its last sync (${String(item.cds_synced)})`)
        }
    if (seen === 0) ctx.notApplicable('no object is visible')
  }),
  startCheck('R3-01-7.3.2-D01', '§7.3.2', 'billstatements', 'statement_date_start', 'statement_date', 'date'),
  endCheck('R3-01-7.3.3-D01', '§7.3.3', 'billstatements', 'statement_date_end', 'statement_date', 'date'),
  startCheck('R3-01-7.3.4-D01', '§7.3.4', 'billsections', 'start_date', 'start_date', 'date'),
  endCheck('R3-01-7.3.5-D01', '§7.3.5', 'billsections', 'end_date', 'end_date', 'date'),
  startCheck('R3-01-7.3.6-D01', '§7.3.6', 'usagesegments', 'segment_start', 'segment_start', 'datetime'),
  check('R3-01-7.3.6-D02', '§7.3.6', 'a segment straddling the Grant\'s segment_start is replaced by a new segment holding only the intervals from it on', async (ctx: CheckContext) => {
    const { segment, cut, kept } = await straddled(ctx)
    const token = await windowToken(ctx, 'usagesegments', `segment_start=${cut}`, { segment_start: cut })
    if (token === undefined) ctx.fail(`the server refused segment_start ${cut}, an instant inside the data`)
    const items = (await fullListing(ctx, token, 'usagesegments')).items
    ctx.assert(!idsOf('usagesegments', items).includes(String(segment.cds_usagesegment_id)), `the straddling segment ${String(segment.cds_usagesegment_id)} is exposed as it is`)
    const values = segment.values as unknown[]
    const start = new Date((instant(segment.segment_start) ?? 0) + kept * Number(intervalMs(segment))).getTime()
    const trimmed = items.find((s) => instant(s.segment_start) === start && instant(s.segment_end) === instant(segment.segment_end) && shown(s.formats) === shown(segment.formats))
    if (trimmed === undefined) ctx.fail(`no segment from ${new Date(start).toISOString()} to ${String(segment.segment_end)} replaces ${String(segment.cds_usagesegment_id)}`)
    ctx.assert(shown(trimmed.values) === shown(values.slice(kept)), 'the trimmed segment does not hold exactly the original Value Sets from the cut on')
    for (const list of ['related_accounts', 'related_servicecontracts', 'related_servicepoints', 'related_meterdevices', 'related_aggregations'])
      ctx.assert(strings(trimmed[list]).sort().join() === strings(segment[list]).sort().join(), `the trimmed segment's ${list} differs from the original's`)
  }),
  endCheck('R3-01-7.3.7-D01', '§7.3.7', 'usagesegments', 'segment_end', 'segment_end', 'datetime'),
  check('R3-01-7.3.7-D02', '§7.3.7', 'a segment straddling the Grant\'s segment_end is replaced by a new segment holding only the intervals up to it', async (ctx: CheckContext) => {
    const { segment, cut, kept } = await straddled(ctx)
    const token = await windowToken(ctx, 'usagesegments', `segment_end=${cut}`, { segment_end: cut })
    if (token === undefined) ctx.notApplicable('the server refuses a segment_end in the past (its minimum), and all the data lies in the past, so no segment can straddle the end')
    const items = (await fullListing(ctx, token, 'usagesegments')).items
    ctx.assert(!idsOf('usagesegments', items).includes(String(segment.cds_usagesegment_id)), `the straddling segment ${String(segment.cds_usagesegment_id)} is exposed as it is`)
    const end = (instant(segment.segment_start) ?? 0) + kept * Number(intervalMs(segment))
    ctx.assert(items.some((s) => instant(s.segment_start) === instant(segment.segment_start) && instant(s.segment_end) === end), `no segment ending at ${new Date(end).toISOString()} replaces ${String(segment.cds_usagesegment_id)}`)
  }),
  check('R3-01-7.3.8-D01', '§7.3.8', 'after the Grant expires, its token reads no more data', async (ctx: CheckContext) => {
    const scopeId = await scopeIdOfType(ctx, 'cds_query_accounts')
    if (scopeId === undefined) ctx.notApplicable('the server offers no cds_query_accounts scope')
    const { client } = await suiteClient(ctx, scopeId)
    const expires = new Date(Date.now() + 1500).toISOString()
    const made = await ctx.operatorRequest('grants', { json: { client_id: client.client_id, scope: scopeId, expires, not_after: expires } })
    ctx.expectStatus(made, 201)
    const grant = made.json<Json>().grant as Json
    const token = await grantAdminToken(ctx, scopeId, String(client.client_id), String(grant.grant_id))
    const url = String((await ctx.oauthMetadata()).cds_accounts_api)
    ctx.expectStatus(await ctx.request({ url, bearer: token.token }), 200)
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expires) - Date.now() + 1000)))
    const after = await ctx.request({ url, bearer: token.token })
    if (after.status === 401) return
    ctx.expectStatus(after, 200)
    const items = after.json<Json>().accounts
    ctx.assert(Array.isArray(items) && items.length === 0, `the expired Grant's token still lists ${Array.isArray(items) ? items.length : '?'} Account(s)`)
  }, { needs: ['registration', 'operator'] }),
  check('R3-01-4.4-D01', '§4.4', 'usage of daily or shorter intervals was synced within a day, longer intervals within a week', async (ctx: CheckContext) => {
    claimed(ctx, '4.4')
    let seen = 0
    for (const view of await views(ctx, 'usagesegments')) {
      const now = Date.parse((await fullListing(ctx, view.token, 'usagesegments')).pages[0]?.response.headers.get('date') ?? '') || Date.now()
      for (const s of view.items) {
        const step = intervalMs(s)
        const limit = step !== undefined && step <= 90_000_000n ? 86_400_000 : 7 * 86_400_000
        seen++
        ctx.assert(now - (instant(s.cds_synced) ?? 0) <= limit + 300_000, `segment ${String(s.cds_usagesegment_id)} (interval ${String(s.interval)} s) was last synced ${String(s.cds_synced)}`)
      }
    }
    if (seen === 0) ctx.notApplicable('no segment is visible')
  }),
  check('R3-01-4.5-D01', '§4.5', 'rate plan, program and bill data was synced within a week', async (ctx: CheckContext) => {
    claimed(ctx, '4.5', '4.6', '4.7', '4.8', '4.9')
    let seen = 0
    for (const key of ['accounts', 'servicecontracts', 'billstatements', 'billsections'] as const)
      for (const view of await views(ctx, key)) {
        const now = Date.parse((await fullListing(ctx, view.token, key)).pages[0]?.response.headers.get('date') ?? '') || Date.now()
        for (const item of view.items) {
          seen++
          ctx.assert(now - (instant(item.cds_synced) ?? 0) <= 7 * 86_400_000 + 300_000, `${apiOf(key).name} ${String(item[apiOf(key).id])} was last synced ${String(item.cds_synced)}, more than a week ago`)
        }
      }
    if (seen === 0) ctx.notApplicable('no object is visible')
  }),
  check('R3-01-4.7-D01', '§4.7', 'a Bill Amount Due consent starts at the last statement, whatever start the Client asks for', async (ctx: CheckContext) => {
    claimed(ctx, '4.7')
    const statements = await union(ctx, 'billstatements')
    const latest = statements.map((x) => String(x.statement_date)).sort().at(-1)
    if (latest === undefined) ctx.notApplicable('the test customer has no Bill Statement')
    const token = await consentToken(ctx, 'bills-history', [{ type: 'cds_bill_statements', entry: { statement_date_start: 'P3Y' } }])
    const got = (await fullListing(ctx, token, 'billstatements')).items
    for (const x of got) ctx.assert(String(x.statement_date) >= latest, `statement ${str(x.cds_billstatement_id)} of ${str(x.statement_date)} is older than the customer's last statement (${latest})`)
    ctx.assert(got.length > 0, 'the consent shows not even the last statement')
  }, { needs: CONSENT_NEEDS }),
]

/** Not applicable unless the run says the server claims one of the §4 Scenarios (option `scenarios`; a server publishes no claim). */
function claimed(ctx: CheckContext, ...scenarios: readonly string[]): void {
  const claims = ctx.options.scenarios ?? []
  if (!scenarios.some((x) => claims.includes(x))) ctx.notApplicable(`the run does not say the server claims the §${scenarios.join('/§')} Scenario (option scenarios)`)
}
