/**
 * CDS-WG3-01 §6.1.10, the typical use of Aggregation Inclusion: a `cds_query_usage` Grant waits in
 * `needs_sub_grants` for one Aggregation Inclusion sub-Grant per customer; the customer authorizes
 * the sub-Grant through a Grant Authorization Request (`cds_grant_id`, CDS-WG1-02 §8.3), and the
 * parent becomes active once every sub-Grant is. The suite sets the two Grants up through the
 * operator test API, as a server does for a building (§4.11), then the test customer approves.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { clientWithScope } from '../../core/registration.js'
import { approve, consentLab, labScope } from './consent-lab.js'
import { truth } from './consents.js'
import { viewOf } from './data-lab.js'
import { cdScopes, check, show, tokenProbe } from './kit.js'

/** Sends an operator request; fails unless it is answered 2xx, and returns the body. */
async function operator(ctx: CheckContext, path: string, json: Json): Promise<Json> {
  const response = await ctx.operatorRequest(path, { method: 'POST', json })
  if (response.status < 200 || response.status > 299) ctx.fail(`${response.request} answered ${response.status}: ${response.text.slice(0, 300)}`)
  return response.json<Json>()
}

/** The check of §6.1.10's typical use. */
export const aggregationConsentChecks: readonly Check[] = [
  check(
    'R3-01-6.1.10-13',
    '6.1.10',
    'Aggregation Inclusion (cds_aggregation_consent): the customer authorizes a sub-Grant through cds_grant_id, and its needs_sub_grants parent becomes active',
    async (ctx: CheckContext) => {
      ctx.operator()
      const scope = await labScope(ctx, 'cds_aggregation_consent')
      const lab = await consentLab(ctx)
      const usage = (await cdScopes(ctx)).find((s) => s.type === 'cds_query_usage')
      const listing = (await cdScopes(ctx)).find((s) => s.type === 'cds_query_aggregations')
      if (usage === undefined || listing === undefined) ctx.notApplicable('the server offers no Usage Query and Aggregations Query scopes for a parent Grant')
      const parentClient = clientWithScope(lab.registration, usage.id)?.client
      if (parentClient === undefined) ctx.skip(`the lab's registration has no Client object for ${usage.id}`)
      // Every Aggregation number, and every premise of the customer: the form offers what they share.
      const list = await tokenProbe(ctx, listing, [{ type: listing.rarType }])
      const numbers = list.accepted ? (await viewOf(ctx, 'aggregation-consent-list', String(list.response.json<Json>().access_token))).aggregations.map((a) => a.aggregation_number).filter((n): n is string => typeof n === 'string') : []
      const premises = [...new Set((await truth(ctx)).service_points.flatMap((sp) => ((sp.premises ?? []) as Json[]).map((p) => String(p.premise_number))))]
      if (numbers.length === 0 || premises.length === 0) ctx.notApplicable('no Aggregation number, or no premise of the customer, to ask about')
      const entry = { type: scope.rarType, aggregation_numbers: numbers, premise_numbers: premises }
      const parent = (await operator(ctx, 'grants', { client_id: parentClient.client_id, scope: usage.id, status: 'needs_sub_grants', authorization_details: [{ type: usage.rarType, aggregation_numbers: numbers }] })).grant as Json
      const child = (await operator(ctx, 'grants', { client_id: lab.client.client_id, scope: scope.id, status: 'needs_authorization', parent: parent.grant_id, authorization_details: [entry] })).grant as Json
      await approve(ctx, lab, { credentials: lab.credentials, redirect_uri: lab.redirect_uri, scope: scope.id, authorization_details: [entry], extra: { cds_grant_id: String(child.grant_id) } })
      const grants = String((await ctx.oauthMetadata()).cds_grants_api)
      const read = async (id: unknown, token: string) => (await ctx.request({ url: `${grants}/${encodeURIComponent(String(id))}`, bearer: token })).json<Json>()
      const sub = await read(child.grant_id, lab.adminToken)
      ctx.assert(sub.status === 'active', `the authorized sub-Grant is ${show(sub.status)}`)
      let after = await read(parent.grant_id, lab.adminToken)
      for (let i = 0; i < 10 && after.status === 'needs_sub_grants'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 1000))
        after = await read(parent.grant_id, lab.adminToken)
      }
      ctx.assert(after.status === 'active', `with its only sub-Grant authorized, the parent Grant is ${show(after.status)}, not active`)
    },
    { needs: ['registration', 'customer', 'browser', 'operator'] },
  ),
]
