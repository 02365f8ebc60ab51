/**
 * CDS-WG3-01 §7 defaults and the rules that hold across every field: an omitted field behaves as
 * its `default` and the default shows in the token response and the Grant (§7), changed defaults
 * reach only new requests (§7, MAY), a field the Client object may not use never widens access
 * (§7.1), preselection strings match exactly (§7.1.13.1), and `sync_until` bounds what is served
 * (§7.3.1).
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { consentCheck, consentView, grantedEntries } from './consent-lab.js'
import { DIRECT_PRIMARY, directLab, directProbe, directToken, idsOf, listItems, wideEntry, type ApiKey } from './direct-lab.js'
import { isAbsolute } from './durations.js'
import { check, fieldRule, hasDefault, knownField, profileOf, show, type CdScope } from './kit.js'
import { entryOf } from './values.js'

const same = (a: unknown, b: unknown) => show(a) === show(b)

/** Whether a returned value is what the field's default stands for (durations: absolute, `infinite` kept). */
function defaultShown(field: string, published: unknown, value: unknown): boolean {
  if (fieldRule(field).category !== 'duration') return same(published, value)
  return published === 'infinite' ? value === 'infinite' : isAbsolute(field, value)
}

/** §7: an omitted field behaves as its default, as the token response of every direct scope shows. */
async function runOmittedIsDefault(ctx: CheckContext): Promise<void> {
  const lab = await directLab(ctx)
  let seen = 0
  for (const scope of lab.scopes) {
    const probe = await directProbe(ctx, [{ type: scope.rarType }])
    if (!probe.accepted) ctx.fail(`${scope.id} refused an entry with no field: ${probe.response.text.slice(0, 200)}`)
    const entry = entryOf(probe.details, scope.rarType) ?? ctx.fail(`the token response of ${scope.id} has no ${scope.rarType} entry`)
    for (const [id, field] of scope.fields) {
      if (!hasDefault(field) || knownField(id) === undefined) continue
      seen++
      if (!Object.hasOwn(entry, id)) ctx.fail(`${scope.id}: ${id} was omitted, and the token response does not show its default ${show(field.default)}`)
      if (!defaultShown(id, field.default, entry[id])) ctx.fail(`${scope.id}: ${id} was omitted; the token response has ${show(entry[id])}, not the default ${show(field.default)}`)
    }
  }
  if (seen === 0) ctx.notApplicable('no direct scope publishes a field with a default')
}

/** §7: the defaults a consent's Grant was issued with show in its token response and Grant (preselections aside, A-09). */
async function runDefaultsShown(ctx: CheckContext): Promise<void> {
  const view = await consentView(ctx, 'on')
  const { token, grant } = grantedEntries(view)
  if (grant === undefined) ctx.fail('the suite could not read the Grant of its consent from the Grants API')
  let seen = 0
  for (const requested of view.requested) {
    const scope = view.scopes.find((s) => s.rarType === requested.type)
    if (scope === undefined) continue
    const profile = profileOf(scope.type)
    for (const [id, field] of scope.fields) {
      if (!hasDefault(field) || Object.hasOwn(requested, id) || knownField(id) === undefined) continue
      const preselection = fieldRule(id).category === 'preselection'
      if (preselection && profile?.omitsPreselectionFieldsFromGrant === true && !(profile.preselectionFieldsKeptInGrant as readonly string[]).includes(id)) continue
      for (const [where, entries] of [['token response', token], ['Grant', grant]] as const) {
        const entry = entries.find((e) => e.type === scope.rarType)
        seen++
        if (entry === undefined || !Object.hasOwn(entry, id)) ctx.fail(`the ${where} of the consent lacks ${scope.rarType}.${id}, whose default ${show(field.default)} was used`)
        if (!defaultShown(id, field.default, entry[id])) ctx.fail(`the ${where} has ${scope.rarType}.${id} ${show(entry[id])}, not the default ${show(field.default)}`)
      }
    }
  }
  if (seen === 0) ctx.notApplicable('the consent left out no field with a default')
}

/** §7 (MAY): a default changed by the operator reaches new requests only; an earlier token keeps its values. */
async function runChangedDefault(ctx: CheckContext): Promise<void> {
  ctx.operator()
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => [...s.fields.entries()].some(([id, f]) => id.startsWith('include_') && f.default === false))
  if (scope === undefined) ctx.notApplicable('no direct scope has an include field that defaults to false')
  const credentials = lab.credentials([scope.id]) ?? ctx.skip('no credentials for the direct scope')
  const [field] = [...scope.fields.entries()].find(([id, f]) => id.startsWith('include_') && f.default === false) ?? ['']
  const before = await directToken(ctx, [{ type: scope.rarType }])
  const fields = [...scope.fields.values()].map((f) => (f.id === field ? { ...f, default: true } : f))
  const set = await ctx.operatorRequest(`clients/${encodeURIComponent(credentials.client_id)}/scope-overrides`, { method: 'PUT', json: { scope_overrides: { [scope.id]: { authorization_details_fields_supported: fields } } } })
  if (set.status !== 200) ctx.notApplicable(`the operator test API would not change the default (${set.status}): ${set.text.slice(0, 200)}`)
  ctx.defer(async () => {
    await ctx.operatorRequest(`clients/${encodeURIComponent(credentials.client_id)}/scope-overrides`, { method: 'PUT', json: { scope_overrides: null } })
  })
  const after = await directProbe(ctx, [{ type: scope.rarType }])
  if (!after.accepted) ctx.fail(`after the default changed, ${scope.id} refused a bare entry: ${after.response.text.slice(0, 200)}`)
  // The operator test API changes the Client-specific metadata; a server that keeps applying the
  // public default to requests offers no way to change a default within a run.
  if (entryOf(after.details, scope.rarType)?.[field] !== true)
    ctx.notApplicable(`the Client-specific default of ${field} changed, but requests still get ${show(entryOf(after.details, scope.rarType)?.[field])}: the run cannot change a default requests use`)
  const introspect = await ctx.request({ url: await ctx.endpoint('introspection_endpoint'), basic: credentials, form: { token: before.token } })
  ctx.expectStatus(introspect, 200)
  const old = entryOf(introspect.json<Json>().authorization_details as Json[] | undefined, scope.rarType)
  if (old !== undefined && old[field] !== false) ctx.fail(`the token issued before the change now has ${field} ${show(old[field])}: a changed default reached an existing authorization`)
}

/** §7.1: a preselection field the scope does not offer never widens what a token sees. */
async function runNotPermittedField(ctx: CheckContext): Promise<void> {
  const lab = await directLab(ctx)
  const offered = new Set(lab.scopes.flatMap((s) => [...s.fields.keys()]))
  for (const scope of lab.scopes) {
    const api = DIRECT_PRIMARY[scope.type]
    const field = [...offered].find((f) => !scope.fields.has(f) && knownField(f)?.category === 'preselection')
    if (api === undefined || field === undefined) continue
    const probe = await directProbe(ctx, [{ type: scope.rarType, [field]: ['_all'] }])
    if (!probe.accepted) {
      ctx.expectError(probe.response, 400, 'invalid_authorization_details')
      return
    }
    const base = idsOf(api, await listItems(ctx, api, (await directToken(ctx, [{ type: scope.rarType }])).token))
    const wider = [...idsOf(api, await listItems(ctx, api, probe.token ?? ''))].filter((id) => !base.has(id))
    if (wider.length > 0) ctx.fail(`${scope.id} does not offer ${field}, yet a request with it lists ${wider.length} more ${api}`)
    return
  }
  ctx.notApplicable('every direct scope offers every preselection field the server uses')
}

/** §7.1.13.1: list values match numbers exactly: a trailing space or another letter case matches nothing. */
async function runExactMatch(ctx: CheckContext): Promise<void> {
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => DIRECT_PRIMARY[s.type] === 'accounts' && s.fields.has('account_numbers'))
  if (scope === undefined) ctx.notApplicable('no direct Accounts scope offers account_numbers')
  const implied = (profileOf(scope.type)?.impliedTrueFields ?? []) as readonly string[]
  const list = async (value: unknown) => listItems(ctx, 'accounts', (await directToken(ctx, [wideEntry(scope, true, { account_numbers: value, error_if_no_preselections: false }, implied)])).token)
  const all = (await list(null)).map((a) => a.account_number).filter((n): n is string => typeof n === 'string')
  const number = all.find((n) => n.toLowerCase() !== n.toUpperCase()) ?? all[0]
  if (number === undefined) ctx.notApplicable('the suite sees no Account number')
  const exact = await list([number])
  if (exact.length === 0) ctx.fail(`account_numbers ${show([number])} matches no Account, though one has that number`)
  const variants = [`${number} `, ...(number.toLowerCase() === number.toUpperCase() ? [] : [number === number.toLowerCase() ? number.toUpperCase() : number.toLowerCase()])]
  for (const variant of variants) {
    if (all.includes(variant)) continue
    const got = await list([variant])
    if (got.length > 0) ctx.fail(`account_numbers ${show([variant])} matched ${String(got[0]?.account_number)}: matching must be exact and case-sensitive`)
  }
}

/** §7.3.1: with sync_until "PT0S", nothing created, dated or starting after it is served. */
async function runSyncUntil(ctx: CheckContext): Promise<void> {
  const lab = await directLab(ctx)
  if (!lab.multi) ctx.skip('no Client object of the suite holds every direct scope')
  const scopes = lab.scopes.filter((s: CdScope) => s.fields.has('sync_until'))
  if (scopes.length === 0) ctx.notApplicable('no direct scope offers sync_until')
  const { token, details } = await directToken(ctx, scopes.map((s) => wideEntry(s, true, { sync_until: 'PT0S' })))
  const until = Date.parse(String(details[0]?.sync_until))
  if (Number.isNaN(until)) ctx.fail(`sync_until "PT0S" came back as ${show(details[0]?.sync_until)}`)
  let seen = 0
  for (const api of new Set(scopes.map((s) => DIRECT_PRIMARY[s.type]).filter((a): a is ApiKey => a !== undefined))) {
    for (const item of await listItems(ctx, api, token)) {
      seen++
      if (Date.parse(String(item.cds_created)) > until) ctx.fail(`${api} ${String(item.cds_created)}: created after sync_until ${new Date(until).toISOString()}`)
      if (api === 'usagesegments' && Date.parse(String(item.segment_start)) >= until) ctx.fail(`a Usage Segment starts at ${String(item.segment_start)}, not before sync_until`)
    }
  }
  if (seen === 0) ctx.notApplicable('the suite sees no object through the direct scopes')
}

/** Every check of this file. */
export const defaultChecks: readonly Check[] = [
  check('R3-01-7-02', '7', 'an omitted field behaves as its default, as every direct scope\'s token response shows', runOmittedIsDefault),
  consentCheck('R3-01-7-03', '7', 'the defaults a consent was granted with show in its token response and Grant', runDefaultsShown),
  check('R3-01-7-04', '7', 'a changed default reaches new requests only, never an existing authorization', runChangedDefault, { needs: ['registration', 'operator'], severity: 'SHOULD' }),
  check('R3-01-7.1-02', '7.1', 'a preselection field the scope does not offer is refused or never widens what the token sees', runNotPermittedField),
  check('R3-01-7.1.13.1-01', '7.1.13.1', 'list preselections match numbers exactly (case and spaces count)', runExactMatch),
  check('R3-01-7.3.1-04', '7.3.1', 'with sync_until "PT0S" nothing created or starting after it is served', runSyncUntil, { also: ['R3-01-7.3.1-06'] }),
]
