/**
 * CDS-WG3-01 §7.2 include fields seen through direct access tokens: each member field adds its
 * members when true and leaves them out when false, objects carry no optional member unless a
 * field turns it on, a scope that is not permitted a listing sees none of it (§7.2), and the EAC
 * and Usage Segment switches (§7.2.8, §7.2.9).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { consentMemberCheck } from './include-consent.js'
import { DIRECT_PRIMARY, directLab, directProbe, directToken, listItems, wideEntry, type ApiKey } from './direct-lab.js'
import { ACCESS_FIELDS, gatedMembers, MEMBER_ROWS, OMIT_ROWS, type MemberRow } from './include-table.js'
import { check, profileOf, type CdScope } from './kit.js'

/** A token and the listings its scopes are about. */
interface View {
  token: string
  apis: ApiKey[]
  /** The include fields some scope of the token always shares. */
  implied: Set<string>
}

const impliedOf = (scope: CdScope) => (profileOf(scope.type)?.impliedTrueFields ?? []) as readonly string[]

/** Tokens over every direct scope (one token when one object holds them all), includes set by `value`. */
async function directViews(ctx: CheckContext, value: (scope: CdScope, field: string) => boolean): Promise<View[]> {
  const lab = await directLab(ctx)
  const entry = (s: CdScope) => {
    const e = wideEntry(s, false, {}, impliedOf(s))
    for (const id of Object.keys(e)) if (id.startsWith('include_') && typeof e[id] === 'boolean') e[id] = value(s, id)
    return e
  }
  const groups = lab.multi ? [lab.scopes] : lab.scopes.map((s) => [s])
  const out: View[] = []
  for (const group of groups) {
    const { token } = await directToken(ctx, group.map(entry))
    out.push({ token, apis: group.map((s) => DIRECT_PRIMARY[s.type]).filter((a): a is ApiKey => a !== undefined), implied: new Set(group.flatMap(impliedOf)) })
  }
  return out
}

/** The shared "everything off" views (every include field false where the scope allows). */
function offViews(ctx: CheckContext): Promise<View[]> {
  return ctx.once('adf:off-views', () => directViews(ctx, () => false))
}

/** The members of the row that objects of a listing carry, under a view. */
async function carried(ctx: CheckContext, view: View, api: ApiKey, members: readonly string[]): Promise<{ objects: number; found: Set<string> }> {
  const items = await listItems(ctx, api, view.token)
  const found = new Set<string>()
  for (const item of items) for (const m of members) if (Object.hasOwn(item, m)) found.add(m)
  return { objects: items.length, found }
}

/** A member include field through direct tokens: on adds the members, off leaves them out. */
async function runMembers(ctx: CheckContext, row: MemberRow): Promise<void> {
  const lab = await directLab(ctx).catch(() => undefined)
  if (lab === undefined || !lab.scopes.some((s) => s.fields.has(row.field))) return consentMemberCheck(ctx, row)
  const on = await directViews(ctx, (_s, id) => id === row.field)
  const off = await offViews(ctx)
  let checked = 0
  for (const [api, members] of Object.entries(row.members) as [ApiKey, readonly string[]][]) {
    const viewOn = on.find((v) => v.apis.includes(api))
    const viewOff = off.find((v) => v.apis.includes(api))
    if (viewOn === undefined || viewOff === undefined) continue
    const yes = await carried(ctx, viewOn, api, members)
    if (yes.objects === 0) continue
    if (yes.found.size === 0) ctx.fail(`${row.field}: true, yet no ${api} object carries ${members.join(', ')}`)
    if (!viewOff.implied.has(row.field)) {
      const no = await carried(ctx, viewOff, api, members)
      if (no.found.size > 0) ctx.fail(`${row.field}: false, yet ${api} objects carry ${[...no.found].join(', ')}`)
    }
    checked++
  }
  if (checked === 0) ctx.notApplicable(`no direct token of the suite lists ${Object.keys(row.members).join(' or ')} objects`)
}

/** No optional member of a listing shows while every include field is off. */
async function runOmit(ctx: CheckContext, api: ApiKey): Promise<void> {
  const view = (await offViews(ctx)).find((v) => v.apis.includes(api))
  if (view === undefined) ctx.notApplicable(`no direct scope of the server lists ${api}`)
  const gated = [...gatedMembers(api).entries()].filter(([, field]) => !view.implied.has(field)).map(([m]) => m)
  const { objects, found } = await carried(ctx, view, api, gated)
  if (objects === 0) ctx.notApplicable(`the suite sees no ${api} object`)
  if (found.size > 0) ctx.fail(`with every include field off, ${api} objects carry ${[...found].join(', ')}`)
}

/** §7.2: a scope that is not permitted a listing sees none of it, even when it asks. */
async function runNotPermitted(ctx: CheckContext): Promise<void> {
  const lab = await directLab(ctx)
  for (const [field, api] of Object.entries(ACCESS_FIELDS)) {
    const scope = lab.scopes.find((s) => DIRECT_PRIMARY[s.type] !== api && !s.fields.has(field) && !impliedOf(s).includes(field))
    if (scope === undefined || !lab.scopes.some((s) => DIRECT_PRIMARY[s.type] === api)) continue
    const asked = await directProbe(ctx, [{ type: scope.rarType, [field]: true }])
    if (asked.accepted && asked.token !== undefined && (await listItems(ctx, api, asked.token)).length > 0)
      ctx.fail(`${scope.id} may not reach ${api}, yet with ${field}: true it lists some`)
    if (!asked.accepted) ctx.expectError(asked.response, 400, 'invalid_authorization_details')
    const { token } = await directToken(ctx, [{ type: scope.rarType }])
    const seen = await listItems(ctx, api, token)
    if (seen.length > 0) ctx.fail(`a token of ${scope.id} alone lists ${seen.length} ${api}, which its scope does not permit`)
    return
  }
  ctx.notApplicable('no direct scope lacks a listing another direct scope offers')
}

/** §7.2: with every include field false, no object of any listing carries a member those fields gate. */
async function runFalseAddsNothing(ctx: CheckContext): Promise<void> {
  let checked = 0
  for (const view of await offViews(ctx))
    for (const api of view.apis) {
      const gated = [...gatedMembers(api).entries()].filter(([, f]) => !view.implied.has(f)).map(([m]) => m)
      if (gated.length === 0) continue
      const { objects, found } = await carried(ctx, view, api, gated)
      if (found.size > 0) ctx.fail(`with every include field false, ${api} objects still carry ${[...found].join(', ')}`)
      checked += objects
    }
  if (checked === 0) ctx.notApplicable('the suite sees no object with optional members')
}

/** §7.2.9: include_eacs true opens the EACs, false shows none. */
async function runEacs(ctx: CheckContext, want: boolean): Promise<void> {
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => s.fields.has('include_eacs'))
  if (scope === undefined) ctx.notApplicable('no direct scope of the server offers include_eacs')
  const { token } = await directToken(ctx, [wideEntry(scope, false, { include_eacs: want }, impliedOf(scope))])
  const eacs = await listItems(ctx, 'eacs', token)
  if (!want && eacs.length > 0) ctx.fail(`include_eacs: false, yet the EAC listing shows ${eacs.length}`)
  if (want && eacs.length === 0) ctx.notApplicable(`${scope.id} reaches no EAC of the server's data`)
}

/** §7.2.8: a scope without Usage Segments (include_usage_segments false or not offered) shows none. */
async function runNoSegments(ctx: CheckContext): Promise<void> {
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => !impliedOf(s).includes('include_usage_segments') && !(s.fields.get('include_usage_segments')?.default === true))
  if (scope === undefined) ctx.notApplicable('every direct scope shares Usage Segments')
  const entry: Json = { type: scope.rarType, ...(scope.fields.has('include_usage_segments') ? { include_usage_segments: false } : {}) }
  const { token } = await directToken(ctx, [entry])
  const segments = await listItems(ctx, 'usagesegments', token)
  if (segments.length > 0) ctx.fail(`a token of ${scope.id} without Usage Segments lists ${segments.length} of them`)
}

/** Every check of this file. */
export const includeDirectChecks: readonly Check[] = [
  check('R3-01-7.2-01', '7.2', 'a scope not permitted a listing sees none of it, even when it asks for the include field', runNotPermitted),
  check('R3-01-7.2-02', '7.2', 'include fields set to false add no optional member to any object', runFalseAddsNothing),
  ...OMIT_ROWS.map((row) => check(row.id, row.section, `${row.api} objects carry no optional member while no include field turns it on`, (ctx: CheckContext) => runOmit(ctx, row.api))),
  ...MEMBER_ROWS.map((row) =>
    check(row.id, row.id.replace(/^R3-01-|-\d+$/g, ''), `${row.field}: true adds ${Object.values(row.members).flat().join(', ')}; false leaves them out`, (ctx: CheckContext) => runMembers(ctx, row)),
  ),
  check('R3-01-7.2.8-03', '7.2.8', 'a scope whose include_usage_segments is false (or absent) shows no Usage Segment', runNoSegments),
  check('R3-01-7.2.9-02', '7.2.9', 'include_eacs: true opens the EACs of the data the scope reaches', (ctx: CheckContext) => runEacs(ctx, true)),
  check('R3-01-7.2.9-03', '7.2.9', 'include_eacs: false shows no EAC', (ctx: CheckContext) => runEacs(ctx, false)),
]
