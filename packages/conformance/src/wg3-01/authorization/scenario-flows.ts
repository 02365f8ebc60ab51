/**
 * The §4 Scenario rules that follow a Grant: the Aggregation Grant a Usage Query token with
 * `aggregation_numbers` makes (§4.11, §4.12: pending, sub-Grants, the parent's state, the data once
 * no consent is needed) and the Bill Amount Due start date (§4.7).
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { listAll } from '../../core/registration.js'
import { allSelection, consent, consentLab, entryFor, includes, labScope, SELECTIONS } from './consent-lab.js'
import { truth } from './consents.js'
import { viewOf } from './data-lab.js'
import { cdScopes, credentialsFor, expectAccepted, show, strings, tokenProbe, type CdScope } from './kit.js'
import type { Run } from './scope-rules.js'

/** The Aggregation Grant of the run and what made it. */
interface AggregationGrant {
  scope: CdScope
  number: string
  token: string
  /** The Grant, after any `pending` time (polled up to 40 s). */
  grant: Json
  /** The status the Grant had when first read. */
  first: string
}

async function grantById(ctx: CheckContext, id: string): Promise<Json> {
  const response = await ctx.request({ url: `${String((await ctx.oauthMetadata()).cds_grants_api)}/${encodeURIComponent(id)}`, bearer: await ctx.adminToken() })
  ctx.expectStatus(response, 200)
  return response.json<Json>()
}

/** A Usage Query token for the first numbered Aggregation, and its Grant (made once per run). */
function aggregationGrant(ctx: CheckContext): Promise<AggregationGrant> {
  return ctx.once('authz:aggregation-grant', async () => {
    const usage = (await cdScopes(ctx)).filter((s) => s.type === 'cds_query_usage')
    const scope = usage.find((s) => s.fields.get('aggregation_numbers')?.is_required === true) ?? usage.find((s) => s.fields.has('aggregation_numbers'))
    const listing = (await cdScopes(ctx)).find((s) => s.type === 'cds_query_aggregations')
    if (scope === undefined || listing === undefined) ctx.fail('the Scenario needs a Usage Query scope with aggregation_numbers and an Aggregations Query scope')
    const list = await tokenProbe(ctx, listing, [{ type: listing.rarType }])
    expectAccepted(ctx, list, 'an Aggregations Query token request')
    const view = await viewOf(ctx, 'scenario-aggregation-list', String(list.response.json<Json>().access_token))
    const number = view.aggregations.map((a) => a.aggregation_number).find((n): n is string => typeof n === 'string' && n !== '')
    if (number === undefined) ctx.fail('the Aggregations Query lists no numbered Aggregation')
    const { client } = await credentialsFor(ctx, scope.id)
    // Related Aggregations show on the segments when the scope includes them (§7.2.7).
    const probe = await tokenProbe(ctx, scope, [{ type: scope.rarType, aggregation_numbers: [number], ...(scope.fields.has('include_aggregations') ? { include_aggregations: true } : {}) }])
    expectAccepted(ctx, probe, `a ${scope.id} token request for Aggregation ${number}`)
    const body = probe.response.json<Json>()
    let id = strings(body.cds_grant_ids)[0]
    if (id === undefined) {
      const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
      url.searchParams.set('client_ids', String(client.client_id))
      const grants: Json[] = []
      for await (const grant of listAll(ctx, url.href, await ctx.adminToken(), 'grants')) grants.push(grant)
      id = grants.map((g) => String(g.grant_id))[0]
    }
    if (id === undefined) ctx.fail(`no Grant of ${scope.id} can be found after the token request`)
    let grant = await grantById(ctx, id)
    const first = String(grant.status)
    for (let i = 0; i < 20 && grant.status === 'pending'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 2000))
      grant = await grantById(ctx, id)
    }
    return { scope, number, token: String(body.access_token), grant, first }
  })
}

/** The Grant starts `pending`, or goes straight to its outcome when the server decides at once. */
export function aggregationPendingRule(): Run {
  return async (ctx: CheckContext) => {
    const { first } = await aggregationGrant(ctx)
    ctx.assert(['pending', 'active', 'needs_sub_grants'].includes(first), `the Aggregation Grant started as ${show(first)}`)
  }
}

/** After the server's work, the Grant is no longer `pending`. */
export function aggregationSettledRule(): Run {
  return async (ctx: CheckContext) => {
    const { grant } = await aggregationGrant(ctx)
    ctx.assert(grant.status !== 'pending', `the Aggregation Grant ${String(grant.grant_id)} was still pending after 40 s`)
  }
}

/** Without a needed consent the Grant is active and the Aggregation's usage is listed. */
export function aggregationActiveRule(): Run {
  return async (ctx: CheckContext) => {
    const { grant, token } = await aggregationGrant(ctx)
    if (grant.status === 'needs_sub_grants') ctx.notApplicable('the Aggregation needs customer consents (sub-Grants)')
    ctx.assert(grant.status === 'active', `the Aggregation Grant is ${show(grant.status)}, not active`)
    const view = await viewOf(ctx, 'scenario-aggregation-usage', token)
    ctx.assert(view.usage_segments.some((s) => Array.isArray(s.related_aggregations) && s.related_aggregations.length > 0), 'the active Aggregation Grant lists no Usage Segment related to an Aggregation')
  }
}

/** The sub-Grants of an Aggregation Grant that needs consents; not applicable without. */
async function subGrants(ctx: CheckContext): Promise<{ grant: Json; children: Json[] }> {
  const { grant } = await aggregationGrant(ctx)
  if (grant.status !== 'needs_sub_grants') ctx.notApplicable(`the Aggregation Grant is ${show(grant.status)}: no customer consent was needed`)
  const children: Json[] = []
  for (const id of strings(grant.children)) children.push(await grantById(ctx, id))
  return { grant, children }
}

/** Each sub-Grant asks one customer for Aggregation Inclusion: parent, status, scope and details. */
export function subGrantShapeRule(): Run {
  return async (ctx: CheckContext) => {
    const { grant, children } = await subGrants(ctx)
    ctx.assert(children.length > 0, 'the Grant needs sub-Grants but lists no children')
    const consentIds = (await cdScopes(ctx)).filter((s) => s.type === 'cds_aggregation_consent').map((s) => s.id)
    for (const child of children) {
      const id = String(child.grant_id)
      ctx.assert(child.parent === grant.grant_id, `sub-Grant ${id} has parent ${show(child.parent)}`)
      ctx.assert(child.status === 'needs_authorization', `sub-Grant ${id} is ${show(child.status)}`)
      ctx.assert(consentIds.includes(String(child.scope)), `sub-Grant ${id} has scope ${show(child.scope)}, not only the Aggregation Inclusion scope`)
      const entry = (child.authorization_details as Json[] | undefined)?.[0]
      ctx.assert(Array.isArray(entry?.aggregation_numbers) && Array.isArray(entry.premise_numbers), `sub-Grant ${id} has authorization_details ${show(child.authorization_details)}`)
    }
  }
}

/** The parent lists its sub-Grants and enables nothing meanwhile. */
export function parentGrantRule(): Run {
  return async (ctx: CheckContext) => {
    const { grant, children } = await subGrants(ctx)
    ctx.assert(children.length > 0, 'the parent lists no children')
    ctx.assert(grant.enabled_scope === '', `the parent's enabled_scope is ${show(grant.enabled_scope)}`)
    ctx.assert(Array.isArray(grant.enabled_authorization_details) && grant.enabled_authorization_details.length === 0, `the parent's enabled_authorization_details is ${show(grant.enabled_authorization_details)}`)
  }
}

/** Sub-Grants are approved by the customers they name; the run has one test customer at most for them. */
export function subGrantsApprovedRule(): Run {
  return async (ctx: CheckContext) => {
    await subGrants(ctx)
    ctx.skip('the sub-Grants name the customers of the Aggregation, whom the run cannot log in as')
  }
}

/** Bill Amount Due (§4.7, A-33): the Grant's `statement_date_start` is the last statement date or the Grant's creation date, whichever is earlier, whatever the request said. */
export function billAmountDueRule(): Run {
  return async (ctx: CheckContext) => {
    const scope = await labScope(ctx, 'cds_bill_statements')
    const selection = allSelection(scope)
    if (selection === undefined) ctx.notApplicable(`${scope.id} cannot select every Account`)
    const all = await truth(ctx)
    const dates = all.bill_statements.map((s) => String(s.statement_date)).sort()
    const last = dates.at(-1)
    if (last === undefined) ctx.notApplicable('the customer has no Bill Statement')
    await consentLab(ctx)
    const made = await consent(ctx, 'scenario-4.7', () =>
      Promise.resolve([{ scope, entry: { ...includes(scope, true), statement_date_start: 'P1Y', authorization_form_selection_type: selection, [SELECTIONS[selection].field]: ['_all'] } }]),
    )
    const created = typeof made.grant?.created === 'string' ? made.grant.created.slice(0, 10) : last
    const wanted = last < created ? last : created
    const value = entryFor(made.grant?.authorization_details ?? made.tokens.authorization_details, scope)?.statement_date_start
    ctx.assert(value === wanted, `the Grant's statement_date_start is ${show(value)}; the last statement is dated ${last}, so it should be ${wanted}`)
  }
}
