/**
 * CDS-WG3-01 §7.3.8 `expires`: a consent asking for a Grant that expires a few seconds after
 * approval gets a Grant whose `expires` is that instant, and once it has passed the Grant is
 * `expired` and its token reaches nothing. One consent per run (the scope that offers `expires`,
 * Aggregation Inclusion in §6.1.10), approved in the browser.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { authorizeWithConsent } from '../authorization-form/consent.js'
import { grantsOf } from '../authorization-form/form-client.js'
import { consentCheck } from './consent-lab.js'
import { apiUrl, DIRECT_PRIMARY } from './direct-lab.js'
import { world } from './form-batches.js'
import { cdScopes, show } from './kit.js'

const SECONDS = 6

/** The expiring consent: the Grant, the token and when approval happened. */
interface Expiring {
  grant: Json
  token: string
  approvedFrom: number
  approvedTo: number
}

function expiring(ctx: CheckContext): Promise<Expiring> {
  return ctx.once('adf:expiring', async () => {
    const w = await world(ctx)
    const held = String(w.fc.client.scope).split(' ')
    const scope = (await cdScopes(ctx)).find((s) => s.consent && held.includes(s.id) && s.fields.has('expires'))
    if (scope === undefined) ctx.notApplicable('the suite holds no consent scope that offers expires')
    const entry: Json = { type: scope.rarType, expires: `PT${String(SECONDS)}S` }
    const aggregation = [...(w.mine.get('aggregations') ?? new Set<string>())][0]
    if (scope.fields.has('aggregation_numbers')) {
      if (aggregation === undefined) ctx.notApplicable('the test customer belongs to no aggregation to include')
      entry.aggregation_numbers = [w.numberOf('aggregations', aggregation)]
    }
    const premises = [...(w.mine.get('servicepoints') ?? new Set<string>())].flatMap((sp) => ((w.graph.get('servicepoints')?.get(sp)?.premises ?? []) as Json[]).map((p) => String(p.premise_number)))
    if (scope.fields.has('premise_numbers') && premises.length > 0) entry.premise_numbers = premises
    const approvedFrom = Date.now()
    const result = await authorizeWithConsent(ctx, { credentials: w.fc.credentials, redirect_uri: w.fc.redirect_uri, scope: scope.id, authorization_details: [entry] })
    const approvedTo = Date.now()
    const grant = (await grantsOf(ctx, w.fc)).find((g) => String(g.scope).split(' ').includes(scope.id) && Date.parse(String(g.created)) >= approvedFrom - 5_000)
    if (grant === undefined) ctx.fail('the suite could not find the Grant of its expiring consent in the Grants API')
    return { grant, token: String(result.tokens.access_token), approvedFrom, approvedTo }
  })
}

/** Every check of this file. */
export const expiryChecks: readonly Check[] = [
  consentCheck('R3-01-7.3.8-02', '7.3.8', 'a Grant made with expires has that absolute instant as its expires', async (ctx: CheckContext) => {
    const e = await expiring(ctx)
    const at = Date.parse(String(e.grant.expires))
    if (Number.isNaN(at)) ctx.fail(`the Grant's expires is ${show(e.grant.expires)}, not the instant asked for`)
    if (at < e.approvedFrom + SECONDS * 1000 - 2_000 || at > e.approvedTo + SECONDS * 1000 + 2_000)
      ctx.fail(`expires PT${String(SECONDS)}S gave the Grant expires ${String(e.grant.expires)}, not approval + ${String(SECONDS)} s`)
  }),
  consentCheck('R3-01-7.3.8-03', '7.3.8', 'once expires has passed the Grant is expired and its token reaches no data', async (ctx: CheckContext) => {
    const e = await expiring(ctx)
    const at = Date.parse(String(e.grant.expires))
    if (Number.isNaN(at)) ctx.fail(`the Grant's expires is ${show(e.grant.expires)}`)
    const wait = at + 1_500 - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const w = await world(ctx)
    const base = String((await ctx.oauthMetadata()).cds_grants_api).replace(/\/$/, '')
    const reply = await ctx.request({ url: `${base}/${encodeURIComponent(String(e.grant.grant_id))}`, bearer: w.fc.adminToken })
    ctx.expectStatus(reply, 200)
    const status = reply.json<Json>().status
    if (status !== 'expired') ctx.fail(`after its expires the Grant's status is ${show(status)}, not "expired"`)
    const api = await apiUrl(ctx, DIRECT_PRIMARY.cds_query_aggregations ?? 'aggregations')
    const data = await ctx.request({ url: api, bearer: e.token })
    if (data.status === 200) {
      const items = Object.values(data.json<Json>()).find(Array.isArray) as unknown[] | undefined
      if ((items ?? []).length > 0) ctx.fail(`the expired Grant's token still lists ${String(items?.length ?? 0)} objects at ${api}`)
    } else ctx.expectStatus(data, [401, 403])
  }),
]
