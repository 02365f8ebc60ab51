/**
 * The views the Customer Data checks read objects through: the direct-access token of a listing
 * with every offered `include_*` on (the server's whole base set for the suite, CDS-WG3-01 §6.2),
 * and the test customer's union consent token (every consent scope, every `include_*` on, every
 * entry selected, §6.1). A check that finds nothing to look at in one view tries the next.
 *
 * @module
 */
import { CheckNotApplicable, CheckSkip } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiOf, type ApiKey } from './apis.js'
import { unionToken } from './consent-tokens.js'
import { fullListing, shown } from './listing.js'
import { descriptions, directToken, fieldsOf, impliedFields, type DataToken } from './tokens.js'

/** Which tokens a check may read with. */
export type ViewName = 'direct' | 'union'

/** A token with the objects of one listing it sees. */
export interface View {
  name: ViewName
  token: DataToken
  items: Json[]
}

/**
 * The direct-access scope type that shows a listing: its own §6.2 scope, or else one that offers
 * its `include_*` field (EACs, A-05).
 */
export async function directTypeFor(ctx: CheckContext, key: ApiKey): Promise<string | undefined> {
  const api = apiOf(key)
  const all = Object.values(await descriptions(ctx))
  const direct = all.filter((d) => Array.isArray(d.response_types_supported) && d.response_types_supported.length === 0)
  const own = direct.find((d) => d.type === api.direct)
  if (own !== undefined) return String(own.type)
  const offering = direct.find((d) => fieldsOf(d).has(api.include) || impliedFields(String(d.type)).includes(api.include))
  return offering === undefined ? undefined : String(offering.type)
}

/** The full direct token that shows a listing; not applicable when no direct scope shows it. */
export async function directView(ctx: CheckContext, key: ApiKey, variant: 'full' | 'bare' | 'plain' = 'full'): Promise<DataToken> {
  const type = await directTypeFor(ctx, key)
  if (type === undefined) ctx.notApplicable(`no direct-access scope shows ${apiOf(key).name}`)
  return directToken(ctx, type, variant)
}

/** The token of a view. */
export function viewToken(ctx: CheckContext, key: ApiKey, name: ViewName): Promise<DataToken> {
  return name === 'direct' ? directView(ctx, key) : unionToken(ctx)
}

/**
 * The views of a listing that can be had, in order (direct first). A view the run cannot make (no
 * browser, no such scope) is left out; when none is left, the reason is raised.
 */
export async function views(ctx: CheckContext, key: ApiKey, names: readonly ViewName[] = ['direct', 'union']): Promise<View[] & { skipped?: CheckSkip }> {
  const out: View[] & { skipped?: CheckSkip } = []
  let reason: Error | undefined
  for (const name of names) {
    try {
      const token = await viewToken(ctx, key, name)
      out.push({ name, token, items: (await fullListing(ctx, token, key)).items })
    } catch (error) {
      if (!(error instanceof CheckSkip || error instanceof CheckNotApplicable)) throw error
      reason ??= error
      if (error instanceof CheckSkip) out.skipped = error
    }
  }
  if (out.length === 0 && reason !== undefined) throw reason
  return out
}

/**
 * What a rule says of one object: `undefined` when it does not apply to it, `true` when it holds,
 * a message when it is broken.
 */
export type Verdict = undefined | true | string

/**
 * Applies a rule to every object of every view; fails with the broken ones, and is not applicable
 * (or skipped, when a view was missing) when the rule applied to none.
 */
export async function everyItem(
  ctx: CheckContext,
  key: ApiKey,
  rule: (item: Json, view: View) => Verdict | Promise<Verdict>,
  none: string,
  names: readonly ViewName[] = ['direct', 'union'],
): Promise<void> {
  const api = apiOf(key)
  const list = await views(ctx, key, names)
  const broken: string[] = []
  let applied = 0
  for (const view of list)
    for (const item of view.items) {
      const verdict = await rule(item, view)
      if (verdict === undefined) continue
      applied++
      if (verdict !== true) broken.push(`${api.name} ${String(item[api.id])} (${view.name} view): ${verdict}`)
    }
  if (broken.length > 0) ctx.fail(`${broken.length} object(s) break the rule: ${broken.slice(0, 4).join('; ')}`)
  if (applied === 0) {
    if (list.skipped !== undefined) ctx.skip(`${none} in the views the run could make (${list.skipped.message})`)
    ctx.notApplicable(none)
  }
}

/** Every nested object under `member` (an array of objects, or one object) of an item. */
export function nested(item: Json, member: string): Json[] {
  const value = item[member]
  if (Array.isArray(value)) return value.filter((v): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v))
  return typeof value === 'object' && value !== null ? [value as Json] : []
}

/** Combines verdicts of nested objects: the first failure, else true when any applied. */
export function combine(verdicts: readonly Verdict[]): Verdict {
  const failure = verdicts.find((v) => typeof v === 'string')
  if (failure !== undefined) return failure
  return verdicts.some((v) => v === true) ? true : undefined
}

/** The values of an enumeration schema of `@cds-ts/schema` (its `enum`). */
export function enumValues(schema: unknown): ReadonlySet<string> {
  return new Set(((schema as { enum?: string[] }).enum ?? []).map(String))
}

/** A rule: every string of an array member is one of the values. */
export function allIn(values: ReadonlySet<string>, member: string): (object: Json) => Verdict {
  return (object) => {
    const value = object[member]
    if (value === undefined) return undefined
    const list = Array.isArray(value) ? value : [value]
    const bad = list.filter((v) => typeof v !== 'string' || !values.has(v))
    return bad.length === 0 ? true : `${member} holds ${bad.map((v) => shown(v)).join(', ')}, not defined values`
  }
}
