/**
 * CDS-WG3-01 §11 and §12 on the Customer Data APIs: extensions stay backwards compatible (an
 * unknown parameter changes nothing, every spec field keeps its type), the APIs are served like
 * APIs (secure URLs, JSON answers, no captcha pages), and no personal data without the field that
 * asks for it (§12.3).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { DATA_APIS } from './apis.js'
import { gatedFields } from './gates.js'
import { check } from './kit.js'
import { firstPage, fullListing, idsOf, page, query, sameIds, strings, withParams } from './listing.js'
import { apiUrl, directToken } from './tokens.js'
import { sampleValues } from './usage-segments.js'
import { directView, views } from './views.js'

/** Personal data fields of §12.3 (catalog check of R3-01-12.3-01). */
const PII = ['account_number', 'customer_number', 'account_name', 'account_address', 'account_contacts', 'contract_number', 'contract_address', 'servicepoint_address', 'latitude', 'longitude', 'meter_number', 'grouped_addresses']

/** The checks of §11 and §12. */
export const securityChecks: readonly Check[] = [
  check('R3-01-11.5-02', '§11.5', 'an unknown (extension) query parameter changes no listing', async (ctx: CheckContext) => {
    let compared = 0
    for (const a of DATA_APIS) {
      const [view] = await views(ctx, a.key, ['direct']).catch(() => [])
      if (view === undefined || view.items.length === 0) continue
      // Usage Segments: the first page only (megabytes a page).
      const heavy = a.key === 'usagesegments'
      const url = withParams(await apiUrl(ctx, view.token, a), { cds_conformance_unknown_parameter: 'x' })
      const got = heavy ? (await page(ctx, url, view.token.token, a)).items : (await query(ctx, view.token, a.key, { cds_conformance_unknown_parameter: 'x' })).items
      sameIds(ctx, idsOf(a.key, got), idsOf(a.key, heavy ? ((await fullListing(ctx, view.token, a.key)).pages[0]?.items ?? []) : view.items), `${a.name} with an unknown parameter`)
      compared++
    }
    if (compared === 0) ctx.notApplicable('no listing shows any object')
  }),
  check('R3-01-11.6-02', '§11.6', 'every object of every listing keeps the spec types of its fields (extensions only add)', async (ctx: CheckContext) => {
    let seen = 0
    for (const a of DATA_APIS)
      for (const view of await views(ctx, a.key).catch(() => []))
        for (const item of view.items) {
          ctx.conforms(a.schema, a.key === 'usagesegments' ? sampleValues(item) : item, `${a.name} ${String(item[a.id])}`)
          seen++
        }
    if (seen === 0) ctx.notApplicable('no object is visible')
  }),
  check('R3-01-12.1-01', '§12.1', 'the data APIs are at secure URLs and answer JSON (no HTML or captcha), with or without a token', async (ctx: CheckContext) => {
    let seen = 0
    for (const a of DATA_APIS) {
      const token = await directView(ctx, a.key).catch(() => undefined)
      if (token === undefined) continue
      const url = await apiUrl(ctx, token, a)
      ctx.assert(ctx.isSecureUrl(url), `${a.metadata} ${url} is not an https URL`)
      for (const reply of [await ctx.request({ url, headers: { accept: 'text/html,*/*' } }), (await fullListing(ctx, token, a.key)).pages[0]?.response])
        if (reply !== undefined) ctx.assert(reply.mediaType.endsWith('json'), `${reply.request} answered ${reply.mediaType || 'no content type'}, not JSON`)
      seen++
    }
    if (seen === 0) ctx.notApplicable('no data API can be read')
  }),
  check('R3-01-12.3-01', '§12.3', 'a token with every include_* off carries no personal data, and number filters and q cannot probe it', async (ctx: CheckContext) => {
    let seen = 0
    for (const a of DATA_APIS) {
      const bare = await directView(ctx, a.key, 'bare').catch(() => undefined)
      if (bare === undefined) continue
      for (const item of a.key === 'usagesegments' ? (await firstPage(ctx, bare, a.key)).items : (await fullListing(ctx, bare, a.key)).items) {
        seen++
        const shown = PII.filter((f) => f in item && gatedFields(a.key).includes(f))
        ctx.assert(shown.length === 0, `${a.name} ${String(item[a.id])} shows ${shown.join(', ')} to ${bare.label}`)
      }
    }
    const [full] = await views(ctx, 'accounts', ['direct'])
    const account = full?.items.find((x) => typeof x.account_number === 'string' && typeof x.account_name === 'string')
    if (account !== undefined) {
      const bare = await directView(ctx, 'accounts', 'bare')
      const byNumber = await query(ctx, bare, 'accounts', { account_numbers: String(account.account_number) })
      ctx.assert(byNumber.items.length === 0, `${bare.label} finds ${byNumber.items.length} Account(s) by an account number it may not see`)
      const q = String(account.account_name)
      const byName = await query(ctx, bare, 'accounts', { q })
      const unexplained = byName.items.filter((x) => !String(x.cds_account_id).toLowerCase().includes(q.toLowerCase()))
      ctx.assert(unexplained.length === 0, `${bare.label} finds ${unexplained.length} Account(s) with q=${q}, a name it may not see`)
    }
    if (seen === 0) ctx.notApplicable('no token without include_* fields sees any object')
  }),
  check('R3-01-12.3-03', '§12.3', 'segments of an aggregation that needs consents are not released before the consents', async (ctx: CheckContext) => {
    const [view] = await views(ctx, 'aggregations', ['direct'])
    const aggregation = view?.items.find((a) => typeof a.aggregation_number === 'string' && (a.consent_requirements as Json[] | undefined)?.some((c) => strings(c.types).includes('always')))
    if (aggregation === undefined) ctx.notApplicable('no visible aggregation always needs consents')
    const usage = await directView(ctx, 'usagesegments')
    const scope = String(usage.types[0])
    const entry = { aggregation_numbers: [String(aggregation.aggregation_number)] }
    let token
    try {
      token = await directToken(ctx, scope, { key: `aggregation=${String(aggregation.aggregation_number)}`, entry })
    } catch (error) {
      if ((error as Error).name === 'CheckFailure') return // refusing the token until consents exist also keeps the data back
      throw error
    }
    const segments = (await fullListing(ctx, token, 'usagesegments')).items.filter((s) => strings(s.related_aggregations).includes(String(aggregation.cds_aggregation_id)) || strings(s.related_aggregations).length === 0)
    ctx.assert(segments.length === 0, `a token for ${String(aggregation.aggregation_number)} reads ${segments.length} segment(s) before any consent`)
  }),
]
