/**
 * The request rules of CDS-WG3-01 §7.4: a Selection Type outside the field's choices (§7.4.1),
 * the merge rules of `merge_selection_with` (§7.4.2, A-25–A-27), `error_if_no_preselections` on
 * direct scopes (§7.4.3), a `purpose` the Client object does not have (§7.4.4), and the `jwk`
 * rules (§7.4.6, A-53, A-54), probed with pushed authorization requests and token requests.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { formClient } from '../authorization-form/form-client.js'
import { DIRECT_PRIMARY, directLab, directProbe, listItems } from './direct-lab.js'
import { cdScopes, check, choiceIds, expectAccepted, expectRefused, parProbe, show, type CdScope } from './kit.js'
import { p256Key } from './values.js'

const selectionOf = (s: CdScope) => s.fields.get('authorization_form_selection_type')?.default
const preselections = (s: CdScope) => [...s.fields.keys()].filter((id) => /_numbers$|_types$|_programs$|^meter_apps$|^addresses$/.test(id) && !id.startsWith('include_'))
const shape = (f: Json | undefined) => show({ format: f?.format, minimum: f?.minimum, maximum: f?.maximum, choices: choiceIds(f) })

/** Consent scopes on the form Client object that may merge (they offer merge_selection_with). */
async function mergeable(ctx: CheckContext): Promise<CdScope[]> {
  const fc = await formClient(ctx)
  const held = String(fc.client.scope).split(' ')
  const scopes = (await cdScopes(ctx)).filter((s) => s.consent && held.includes(s.id) && s.fields.has('merge_selection_with'))
  if (scopes.length < 2) ctx.notApplicable('the suite holds no two consent scopes that offer merge_selection_with')
  return scopes
}

/** Every combination of `count` scopes, in order. */
function combinations(scopes: readonly CdScope[], count: number): CdScope[][] {
  if (count === 0) return [[]]
  return scopes.flatMap((first, i) => combinations(scopes.slice(i + 1), count - 1).map((rest) => [first, ...rest]))
}

/** Whether the scopes may merge: one Selection, equal shared preselection field objects, one-sided ones null by default. */
function mergeOk(group: readonly CdScope[]): boolean {
  const [first] = group
  if (first === undefined || group.some((g) => selectionOf(g) !== selectionOf(first))) return false
  for (const g of group)
    for (const id of preselections(g)) {
      const holders = group.filter((o) => o.fields.has(id))
      if (holders.length < group.length && (g.fields.get(id)?.default ?? null) !== null) return false
      if (holders.some((o) => shape(o.fields.get(id)) !== shape(g.fields.get(id)))) return false
    }
  return true
}

/** `count` scopes that may merge (and satisfy `want`), or not applicable. */
async function compatible(ctx: CheckContext, count: number, want: (group: CdScope[]) => boolean = () => true): Promise<CdScope[]> {
  const found = combinations(await mergeable(ctx), count).find((g) => mergeOk(g) && want(g))
  return found ?? ctx.notApplicable(`the suite holds no ${count} consent scopes with the same Selection and matching preselection fields`)
}

/** Entries that merge the scopes in a ring (A→B→…→A), with `extra` per scope. */
function ring(scopes: readonly CdScope[], extra: (s: CdScope, i: number) => Json = () => ({})): Json[] {
  return scopes.map((s, i) => ({ type: s.rarType, merge_selection_with: scopes[(i + 1) % scopes.length]?.id, ...extra(s, i) }))
}

/** A pair that merges fine, refused once `change` is applied. */
async function refusedMerge(ctx: CheckContext, change: (pair: CdScope[]) => Json[] | undefined, what: string): Promise<void> {
  const pair = await compatible(ctx, 2)
  expectAccepted(ctx, await parProbe(ctx, pair, ring(pair)), `merging ${pair.map((s) => s.id).join(' and ')}`)
  const entries = change(pair) ?? ctx.notApplicable(`the suite cannot build ${what} with ${pair.map((s) => s.id).join(' and ')}`)
  expectRefused(ctx, await parProbe(ctx, pair, entries), what)
}

/** §7.4.2: a merge whose scopes differ in Selection type is refused. */
async function runSelectionDiffers(ctx: CheckContext): Promise<void> {
  const scopes = await mergeable(ctx)
  const a = scopes[0] as CdScope
  const b = scopes.find((s) => selectionOf(s) !== selectionOf(a))
  if (b === undefined) ctx.notApplicable('every mergeable scope renders the same Selection')
  expectRefused(ctx, await parProbe(ctx, [a, b], ring([a, b])), `merging ${a.id} (${show(selectionOf(a))}) with ${b.id} (${show(selectionOf(b))})`)
}

/** §7.4.2: a preselection field only one merged scope offers must stay null. */
async function runOneSidedField(ctx: CheckContext): Promise<void> {
  const oneSided = ([x, y]: CdScope[]) => preselections(x as CdScope).find((id) => !(y as CdScope).fields.has(id)) ?? preselections(y as CdScope).find((id) => !(x as CdScope).fields.has(id))
  const [a, b] = (await compatible(ctx, 2, (g) => oneSided(g) !== undefined)) as [CdScope, CdScope]
  const field = oneSided([a, b])
  if (field === undefined) ctx.notApplicable(`${a.id} and ${b.id} offer the same preselection fields`)
  const owner = a.fields.has(field) ? a : b
  const value = owner.fields.get(field)?.format === 'choice_list_or_null' ? choiceIds(owner.fields.get(field)).slice(0, 1) : ['conformance-number']
  expectRefused(ctx, await parProbe(ctx, [a, b], ring([a, b], (s) => (s === owner ? { [field]: value } : {}))), `merging with ${owner.id}.${field} set, which the other scope lacks`)
}

/** §7.4.6: the jwk rules on a consent scope (or two). */
async function jwkScopes(ctx: CheckContext, count: number): Promise<CdScope[]> {
  const fc = await formClient(ctx)
  const held = String(fc.client.scope).split(' ')
  const scopes = (await cdScopes(ctx)).filter((s) => s.consent && held.includes(s.id) && s.fields.has('jwk'))
  if (scopes.length < count) ctx.notApplicable(`the suite holds fewer than ${count} consent scopes offering jwk`)
  return scopes.slice(0, count)
}

/** A P-256 public key changed by `edit`. */
async function keyWith(edit: (key: Json) => void): Promise<Json> {
  const key = await p256Key()
  edit(key)
  return key
}

/** §7.4.3: on a direct scope, error_if_no_preselections true refuses values that match nothing; false ignores it. */
async function runDirectNoMatch(ctx: CheckContext, flag: boolean): Promise<void> {
  const lab = await directLab(ctx)
  const scope = lab.scopes.find((s) => s.fields.has('error_if_no_preselections') && s.fields.has('account_numbers') && DIRECT_PRIMARY[s.type] === 'accounts')
    ?? lab.scopes.find((s) => s.fields.has('error_if_no_preselections') && preselections(s).some((f) => s.fields.get(f)?.format === 'string_list_or_null'))
  if (scope === undefined) ctx.notApplicable('no direct scope offers error_if_no_preselections with a preselection list')
  const field = scope.fields.has('account_numbers') ? 'account_numbers' : (preselections(scope).find((f) => scope.fields.get(f)?.format === 'string_list_or_null') ?? '')
  const probe = await directProbe(ctx, [{ type: scope.rarType, [field]: ['conformance-no-such-number'], error_if_no_preselections: flag }])
  if (flag) {
    expectRefused(ctx, probe, `${scope.id} with ${field} matching nothing and error_if_no_preselections true`)
    return
  }
  expectAccepted(ctx, probe, `${scope.id} with ${field} matching nothing and error_if_no_preselections false`)
  const api = DIRECT_PRIMARY[scope.type]
  if (api !== undefined && (await listItems(ctx, api, probe.token ?? '')).length > 0) ctx.fail(`${field} matching nothing still lists ${api}`)
}

/** Every check of this file. */
export const otherFieldChecks: readonly Check[] = [
  check('R3-01-7.4.1-08', '7.4.1', 'a Selection Type outside the field\'s choices is refused with invalid_authorization_details', async (ctx: CheckContext) => {
    const scope = (await cdScopes(ctx)).find((s) => s.consent && s.fields.has('authorization_form_selection_type'))
    if (scope === undefined) ctx.notApplicable('no consent scope offers authorization_form_selection_type')
    const all = ['account_selection', 'service_contract_selection', 'servicepoint_selection', 'meter_device_selection', 'aggregation_selection']
    const outside = all.find((c) => !choiceIds(scope.fields.get('authorization_form_selection_type')).includes(c))
    for (const value of ['conformance_selection', ...(outside === undefined ? [] : [outside])])
      expectRefused(ctx, await parProbe(ctx, [scope], [{ type: scope.rarType, authorization_form_selection_type: value }]), `${scope.id} with authorization_form_selection_type ${show(value)}`)
  }),
  check('R3-01-7.4.2-05', '7.4.2', 'merge_selection_with naming another requested scope (both ways) is accepted', async (ctx: CheckContext) => {
    const pair = await compatible(ctx, 2)
    expectAccepted(ctx, await parProbe(ctx, pair, ring(pair)), `merging ${pair.map((s) => s.id).join(' and ')}`)
  }),
  check('R3-01-7.4.2-06', '7.4.2', 'merge_selection_with naming no requested scope is refused', async (ctx: CheckContext) => {
    const [a] = await mergeable(ctx)
    if (a === undefined) return
    expectRefused(ctx, await parProbe(ctx, [a], [{ type: a.rarType, merge_selection_with: 'conformance-no-such-scope' }]), 'merge_selection_with "conformance-no-such-scope"')
  }),
  check('R3-01-7.4.2-07', '7.4.2', 'a merge target listed twice in the scope parameter still merges (the first match is used)', async (ctx: CheckContext) => {
    const pair = await compatible(ctx, 2)
    const [a, b] = pair as [CdScope, CdScope]
    expectAccepted(ctx, await parProbe(ctx, pair, ring(pair), { scope: [a.id, b.id, b.id].join(' ') }), `merging ${a.id} with ${b.id}, listed twice`)
  }),
  check('R3-01-7.4.2-08', '7.4.2', 'merging with a scope whose own merge_selection_with is null is refused', (ctx: CheckContext) =>
    refusedMerge(ctx, ([a, b]) => [{ type: a?.rarType, merge_selection_with: b?.id }, { type: b?.rarType, merge_selection_with: null }], 'a merge whose target says null'),
  ),
  check('R3-01-7.4.2-09', '7.4.2', 'merging scopes that render different Selections is refused', runSelectionDiffers),
  check('R3-01-7.4.2-10', '7.4.2', 'merged scopes with different purposes are refused', (ctx: CheckContext) =>
    refusedMerge(
      ctx,
      ([a, b]) => {
        const ids = choiceIds(a?.fields.get('purpose'))
        if (a === undefined || b === undefined || !a.fields.has('purpose') || !b.fields.has('purpose') || ids[0] === undefined) return undefined
        return ring([a, b], (_s, i) => ({ purpose: i === 0 ? ids[0] : a.fields.get('purpose')?.format === 'choice_or_null' ? null : (ids[1] ?? null) }))
      },
      'a merge with different purposes',
    ),
  ),
  check('R3-01-7.4.2-11', '7.4.2', 'merged scopes with different allow_scope_modifications are refused', (ctx: CheckContext) =>
    refusedMerge(ctx, (pair) => (pair.every((s) => s.fields.has('allow_scope_modifications')) ? ring(pair, (_s, i) => ({ allow_scope_modifications: i === 0 })) : undefined), 'a merge with different allow_scope_modifications'),
  ),
  check('R3-01-7.4.2-12', '7.4.2', 'merged scopes with different values of a shared preselection field are refused', (ctx: CheckContext) =>
    refusedMerge(
      ctx,
      ([a, b]) => {
        const field = a === undefined || b === undefined ? undefined : preselections(a).find((id) => b.fields.has(id) && a.fields.get(id)?.format === 'string_list_or_null')
        return field === undefined ? undefined : ring([a as CdScope, b as CdScope], (_s, i) => ({ [field]: i === 0 ? ['conformance-1'] : ['conformance-2'] }))
      },
      'a merge with different values of a shared preselection field',
    ),
  ),
  check('R3-01-7.4.2-13', '7.4.2', 'a preselection field only one merged scope offers must be null', runOneSidedField),
  check('R3-01-7.4.2-14', '7.4.2', 'every merge failure is answered with invalid_authorization_details', async (ctx: CheckContext) => {
    const pair = await compatible(ctx, 2)
    const [a] = pair as [CdScope, CdScope]
    for (const entries of [[{ type: a.rarType, merge_selection_with: a.id }], ring(pair, (_s, i) => (i === 0 ? {} : { merge_selection_with: null }))])
      expectRefused(ctx, await parProbe(ctx, entries.length === 1 ? [a] : pair, entries), `the merge ${show(entries)}`)
  }),
  check('R3-01-7.4.2-16', '7.4.2', 'three scopes merged in a ring (A→B→C→A) are accepted as one group', async (ctx: CheckContext) => {
    const trio = await compatible(ctx, 3)
    expectAccepted(ctx, await parProbe(ctx, trio, ring(trio)), `merging ${trio.map((s) => s.id).join(' → ')} in a ring`)
  }),
  check('R3-01-7.4.2-18', '7.4.2', 'a scope another one merges with must itself name a merge', (ctx: CheckContext) =>
    refusedMerge(ctx, ([a, b]) => [{ type: a?.rarType, merge_selection_with: b?.id }, { type: b?.rarType }], 'a merge whose target leaves merge_selection_with at its default null'),
  ),
  check('R3-01-7.4.3-07', '7.4.3', 'direct scopes: error_if_no_preselections true with values matching nothing is refused', (ctx: CheckContext) => runDirectNoMatch(ctx, true)),
  check('R3-01-7.4.3-08', '7.4.3', 'direct scopes: error_if_no_preselections false is ignored (the token is issued, nothing listed)', (ctx: CheckContext) => runDirectNoMatch(ctx, false)),
  check('R3-01-7.4.4-11', '7.4.4', 'a purpose that is not among the Client object\'s choices for the scope is refused', async (ctx: CheckContext) => {
    const scope = (await cdScopes(ctx)).find((s) => s.consent && s.fields.has('purpose'))
    if (scope === undefined) ctx.notApplicable('no consent scope offers purpose')
    expectRefused(ctx, await parProbe(ctx, [scope], [{ type: scope.rarType, purpose: 'conformance-not-a-purpose' }]), 'purpose "conformance-not-a-purpose"')
    const other = (await formClient(ctx)).purpose
    if (other !== undefined) expectRefused(ctx, await parProbe(ctx, [scope], [{ type: scope.rarType, purpose: other }]), `another Client object's Purpose ${other}`)
  }),
  check('R3-01-7.4.6-05', '7.4.6', 'the same jwk on every Customer Data scope of a request is accepted', async (ctx: CheckContext) => {
    const scopes = await jwkScopes(ctx, 2)
    const key = await p256Key()
    expectAccepted(ctx, await parProbe(ctx, scopes, scopes.map((s) => ({ type: s.rarType, jwk: key }))), 'one key on both scopes')
  }),
  check('R3-01-7.4.6-06', '7.4.6', 'different jwk values in one request are refused with invalid_authorization_details', async (ctx: CheckContext) => {
    const scopes = await jwkScopes(ctx, 2)
    const keys = [await p256Key(), await p256Key()]
    expectRefused(ctx, await parProbe(ctx, scopes, scopes.map((s, i) => ({ type: s.rarType, jwk: keys[i] }))), 'two different keys')
  }),
  check('R3-01-7.4.6-08', '7.4.6', 'a jwk must be a public encryption key: use "sig" or a private member is refused', async (ctx: CheckContext) => {
    const [scope] = await jwkScopes(ctx, 1)
    if (scope === undefined) return
    for (const [what, key] of [
      ['use "sig"', await keyWith((k) => (k.use = 'sig'))],
      ['a private member d', await keyWith((k) => (k.d = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'))],
    ] as const)
      expectRefused(ctx, await parProbe(ctx, [scope], [{ type: scope.rarType, jwk: key }]), `a jwk with ${what}`)
  }),
  check('R3-01-7.4.6-09', '7.4.6', 'an EC P-256 public encryption key is accepted', async (ctx: CheckContext) => {
    const [scope] = await jwkScopes(ctx, 1)
    if (scope === undefined) return
    expectAccepted(ctx, await parProbe(ctx, [scope], [{ type: scope.rarType, jwk: await p256Key() }]), 'a P-256 key')
  }),
  check('R3-01-7.4.6-10', '7.4.6', 'an invalid or unsupported jwk is refused with invalid_authorization_details', async (ctx: CheckContext) => {
    const [scope] = await jwkScopes(ctx, 1)
    if (scope === undefined) return
    for (const [what, key] of [
      ['no y', await keyWith((k) => delete k.y)],
      ['an unknown curve', await keyWith((k) => (k.crv = 'P-999'))],
      ['a symmetric key', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', use: 'enc' }],
    ] as const)
      expectRefused(ctx, await parProbe(ctx, [scope], [{ type: scope.rarType, jwk: key }]), `a jwk with ${what}`)
  }),
]
