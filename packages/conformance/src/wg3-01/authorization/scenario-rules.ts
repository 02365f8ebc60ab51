/**
 * The kinds of requirement the CDS-WG3-01 §4 Scenarios put on a server that claims them: scopes
 * present, registration requirements, fields offered, history limits, open-ended ends, grant
 * types, Selection choices, program choices, Usage Query needing `aggregation_numbers`, and the
 * Aggregation data. A server publishes no claim (R3-01-4-02): a run names the Scenarios it
 * claims (option `scenarios`), and every rule of another Scenario is not applicable.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { viewOf } from './data-lab.js'
import { cdScopes, expectAccepted, expectRefused, requestProbe, show, strings, tokenProbe, type CdScope } from './kit.js'
import type { Run } from './scope-rules.js'

/** Not applicable unless the run says the server claims one of the Scenarios. */
export function claimed(ctx: CheckContext, ...scenarios: readonly string[]): void {
  const claims = ctx.options.scenarios ?? []
  if (!scenarios.some((s) => claims.includes(s)))
    ctx.notApplicable(`the run does not say the server claims the §${scenarios.join('/§')} Scenario (option scenarios; a server publishes no claim, R3-01-4-02)`)
}

/** A rule that applies under one of the Scenarios. */
export function under(scenarios: readonly string[], run: Run): Run {
  return async (ctx: CheckContext) => {
    claimed(ctx, ...scenarios)
    await run(ctx)
  }
}

/** The server's scopes of a type; a claimed Scenario needs at least one. */
async function ofType(ctx: CheckContext, type: string): Promise<CdScope[]> {
  const found = (await cdScopes(ctx)).filter((s) => s.type === type)
  ctx.assert(found.length > 0, `the claimed Scenario needs a ${type} scope, and the server offers none`)
  return found
}

/** Every listed scope type is offered (all of them, or at least one with `any`). */
export function scopesRule(types: readonly string[], any = false): Run {
  return async (ctx: CheckContext) => {
    const offered = new Set((await cdScopes(ctx)).map((s) => s.type))
    const missing = types.filter((t) => !offered.has(t))
    if (any) ctx.assert(missing.length < types.length, `the server offers none of ${types.join(', ')}`)
    else ctx.assert(missing.length === 0, `the server offers no ${missing.join(', ')} scope`)
  }
}

/** The scopes list at least one registration requirement, each a Registration Field of the metadata. */
export function registrationRule(types: readonly string[]): Run {
  return async (ctx: CheckContext) => {
    const fields = ((await ctx.oauthMetadata()).cds_registration_fields ?? {}) as Record<string, Json>
    for (const type of types)
      for (const scope of await ofType(ctx, type)) {
        const wanted = strings(scope.description.registration_requirements)
        ctx.assert(wanted.length > 0, `${scope.id} lists no registration requirement, so it names no step before production`)
        const unknown = wanted.filter((id) => fields[id] === undefined)
        ctx.assert(unknown.length === 0, `${scope.id} requires ${unknown.join(', ')}, which cds_registration_fields does not describe`)
      }
  }
}

/** Each scope of the types offers the fields. */
export function fieldsRule(types: readonly string[], fields: readonly string[]): Run {
  return async (ctx: CheckContext) => {
    for (const type of types)
      for (const scope of await ofType(ctx, type)) {
        const missing = fields.filter((f) => !scope.fields.has(f))
        ctx.assert(missing.length === 0, `${scope.id} does not offer ${missing.join(', ')}`)
      }
  }
}

/** A duration in days, roughly (years of 365.25 days, months of 30.44): enough to compare limits. */
export function days(value: string): number | undefined {
  if (value === 'infinite') return Infinity
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value)
  if (match === null || value === 'P' || value === 'PT') return undefined
  const [y, mo, w, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number]
  return y * 365.25 + mo * 30.44 + w * 7 + d + h / 24 + mi / 1440 + s / 86_400
}

/** The field lets a request reach back at least `history` (A-04: the historical bound is `maximum`), and a request with that value is taken. */
export function historyRule(types: readonly string[], field: string, history: string): Run {
  return async (ctx: CheckContext) => {
    const need = days(history) ?? 0
    for (const type of types)
      for (const scope of await ofType(ctx, type)) {
        const object = scope.fields.get(field)
        ctx.assert(object !== undefined, `${scope.id} does not offer ${field}`)
        const limit = object.maximum
        const reach = typeof limit === 'string' ? days(limit) : limit === undefined ? Infinity : undefined
        ctx.assert(reach !== undefined && reach >= need - 0.5, `${scope.id} ${field} reaches back to ${show(limit)}, less than ${history}`)
        expectAccepted(ctx, await requestProbe(ctx, scope, [{ type: scope.rarType, [field]: history }]), `a ${scope.id} request with ${field} ${history}`)
      }
  }
}

/** The field's `maximum` is `"infinite"`. */
export function infiniteRule(types: readonly string[], field: string): Run {
  return async (ctx: CheckContext) => {
    for (const type of types)
      for (const scope of await ofType(ctx, type)) {
        const object = scope.fields.get(field)
        ctx.assert(object !== undefined, `${scope.id} does not offer ${field}`)
        ctx.assert(object.maximum === 'infinite', `${scope.id} ${field} has maximum ${show(object.maximum)}, not "infinite"`)
      }
  }
}

/** The scopes offer the grant type. */
export function grantRule(types: readonly string[], grant: string): Run {
  return async (ctx: CheckContext) => {
    for (const type of types)
      for (const scope of await ofType(ctx, type))
        ctx.assert(strings(scope.description.grant_types_supported).includes(grant), `${scope.id} lists grant types ${show(scope.description.grant_types_supported)}, without ${grant}`)
  }
}

/** The field's Choices include the ids. */
export function choicesRule(types: readonly string[], field: string, ids: readonly string[]): Run {
  return async (ctx: CheckContext) => {
    for (const type of types)
      for (const scope of await ofType(ctx, type)) {
        const offered = ((scope.fields.get(field)?.choices ?? []) as Json[]).map((c) => String(c.id))
        const missing = ids.filter((id) => !offered.includes(id))
        ctx.assert(missing.length === 0, `${scope.id} ${field} offers ${show(offered)}, without ${missing.join(', ')}`)
      }
  }
}

/** A program field lists the server's programs as Choices (at least one). */
export function programsRule(type: string, field: string): Run {
  return async (ctx: CheckContext) => {
    const scopes = (await cdScopes(ctx)).filter((s) => s.type === type)
    if (scopes.length === 0) ctx.notApplicable(`the server offers no ${type} scope (the Scenario needs one of the two program scopes)`)
    for (const scope of scopes) {
      const choices = (scope.fields.get(field)?.choices ?? []) as Json[]
      ctx.assert(choices.length > 0 && choices.every((c) => typeof c.id === 'string' && c.id !== ''), `${scope.id} ${field} lists the programs ${show(choices.map((c) => c.id))}`)
    }
  }
}

/** The Usage Query scope set up for Aggregations: the one that requires `aggregation_numbers`, else one that offers it. */
async function aggregationUsage(ctx: CheckContext): Promise<CdScope> {
  const scopes = await ofType(ctx, 'cds_query_usage')
  const scope = scopes.find((s) => s.fields.get('aggregation_numbers')?.is_required === true) ?? scopes.find((s) => s.fields.has('aggregation_numbers'))
  ctx.assert(scope !== undefined, 'no Usage Query scope offers aggregation_numbers')
  return scope
}

/** A Usage Query token request without `aggregation_numbers` is refused. */
export function usageNeedsAggregationsRule(): Run {
  return async (ctx: CheckContext) => {
    const scope = await aggregationUsage(ctx)
    expectRefused(ctx, await tokenProbe(ctx, scope, [{ type: scope.rarType }]), `a ${scope.id} token request without aggregation_numbers`)
    expectRefused(ctx, await tokenProbe(ctx, scope, [{ type: scope.rarType, aggregation_numbers: null }]), `a ${scope.id} token request with aggregation_numbers null`)
  }
}

/** The Aggregations an Aggregations Query token lists (every include on). */
async function aggregations(ctx: CheckContext, extra: Json = {}): Promise<Json[]> {
  const [scope] = await ofType(ctx, 'cds_query_aggregations')
  if (scope === undefined) return []
  const entry: Json = { type: scope.rarType, ...extra }
  for (const [id, field] of scope.fields) if (id.startsWith('include_') && field.format === 'boolean') entry[id] = true
  const probe = await tokenProbe(ctx, scope, [entry])
  expectAccepted(ctx, probe, `an Aggregations Query token request ${show(entry)}`)
  const view = await viewOf(ctx, `scenario-aggregations:${JSON.stringify(extra)}`, String(probe.response.json<Json>().access_token))
  return view.aggregations
}

/** The Aggregations Query lists Aggregations with an `aggregation_number`. */
export function aggregationNumbersRule(): Run {
  return async (ctx: CheckContext) => {
    const listed = await aggregations(ctx)
    ctx.assert(listed.some((a) => typeof a.aggregation_number === 'string' && a.aggregation_number !== ''), `the Aggregations Query lists no Aggregation with an aggregation_number (${listed.length} listed)`)
  }
}

/** Some Aggregation groups Service Points. */
export function groupedServicePointsRule(): Run {
  return async (ctx: CheckContext) => {
    const listed = await aggregations(ctx)
    ctx.assert(listed.some((a) => Array.isArray(a.grouped_servicepoints) && a.grouped_servicepoints.length > 0), 'no listed Aggregation has grouped_servicepoints')
  }
}

/** A token limited to one aggregation number lists only that Aggregation. */
export function authorizedAggregationsRule(): Run {
  return async (ctx: CheckContext) => {
    const numbers = (await aggregations(ctx)).map((a) => a.aggregation_number).filter((n): n is string => typeof n === 'string')
    const [number] = numbers
    if (number === undefined || numbers.length < 2) ctx.notApplicable('the Aggregations Query lists fewer than two numbered Aggregations, so a limit cannot show')
    const listed = await aggregations(ctx, { aggregation_numbers: [number] })
    const others = listed.filter((a) => a.aggregation_number !== number)
    ctx.assert(others.length === 0, `a token limited to ${number} lists the Aggregations ${show(others.map((a) => a.aggregation_number))}`)
  }
}

/** A rule that needs what a black-box run cannot do: skipped with the reason, under the claim. */
export function needsRule(reason: string): Run {
  return (ctx: CheckContext) => Promise.resolve(ctx.skip(reason))
}
