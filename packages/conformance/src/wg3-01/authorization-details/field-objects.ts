/**
 * The Authorization Details Field objects of CDS-WG3-01 §7 as the Scope Descriptions publish
 * them: the exact `id`, an allowed `format` (and a server that holds requests to it), and
 * `is_required: false` where §7 says so (and a request that leaves the field out accepted).
 * Generated from the field table of `@cds-ts/schema` (catalog T8), one check per requirement ID.
 *
 * @module
 */
import { AuthorizationDetailsField, DURATION_FIELD_IDS, INCLUDED_DATA_FIELD_IDS, PRESELECTION_FIELD_IDS } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import { cdScopes, check, expectAccepted, fieldRule, profileOf, show, type CdScope } from './kit.js'
import { baseEntry, probeEntry, probeSamples, samplesOf } from './values.js'

const normal = (id: string) => id.toLowerCase().replace(/[^a-z0-9]/g, '')

/** The scopes that publish the field under its exact id; fails on a near miss, not applicable when none does and none must. */
export async function publishing(ctx: CheckContext, field: string): Promise<CdScope[]> {
  const scopes = await cdScopes(ctx)
  for (const scope of scopes)
    for (const id of scope.fields.keys())
      if (id !== field && normal(id) === normal(field)) ctx.fail(`${scope.id} publishes a field ${show(id)}: the §7 id is exactly ${show(field)}`)
  const found = scopes.filter((s) => s.fields.has(field))
  if (found.length > 0) return found
  const owing = scopes.find((s) => (profileOf(s.type)?.requiredFields as readonly string[] | undefined)?.includes(field))
  if (owing !== undefined) ctx.fail(`${owing.id} (${owing.type}) does not publish the field ${field}, which its scope type must offer`)
  return ctx.notApplicable(`no Scope Description of the server offers ${field}`)
}

/** The scope to probe a field through: a direct one (its token response echoes values) before a consent one, scopes that refuse fewer values first. */
export function probeScope(scopes: readonly CdScope[]): CdScope {
  const rank = (s: CdScope) => (s.consent ? 2 : 0) + ((profileOf(s.type)?.rejectedValues.length ?? 0) > 0 ? 1 : 0)
  const best = [...scopes].sort((a, b) => rank(a) - rank(b))[0]
  if (best === undefined) throw new TypeError('no scope')
  return best
}

/** The exact id: published as such by the scopes that offer it, and a valid value under it accepted. */
async function runId(ctx: CheckContext, field: string): Promise<void> {
  const scope = probeScope(await publishing(ctx, field))
  const value = (await samplesOf(scope, field)).valid[0]
  if (value === undefined) return
  expectAccepted(ctx, await probeEntry(ctx, scope, { [field]: value }), `${scope.id} with ${field}: ${show(value)}`)
}

/** An allowed format everywhere, a conforming field object, and the format held: valid values in, invalid ones out. */
async function runFormat(ctx: CheckContext, field: string): Promise<void> {
  const scopes = await publishing(ctx, field)
  const allowed = fieldRule(field).formats as readonly string[]
  for (const scope of scopes) {
    const object = scope.fields.get(field)
    ctx.conforms(AuthorizationDetailsField, object, `${scope.id}.${field}`)
    if (!allowed.includes(String(object?.format))) ctx.fail(`${scope.id}.${field} has format ${show(object?.format)}; §7 allows ${allowed.join(', ')}`)
  }
  await probeSamples(ctx, probeScope(scopes), field)
}

/** `is_required: false` where §7 says so, and an entry without the field accepted. */
async function runRequired(ctx: CheckContext, field: string, where: 'consent' | 'always'): Promise<void> {
  const scopes = (await publishing(ctx, field)).filter((s) => where === 'always' || s.consent)
  if (scopes.length === 0) ctx.notApplicable(`no consent scope of the server offers ${field}`)
  for (const scope of scopes) if (scope.fields.get(field)?.is_required !== false) ctx.fail(`${scope.id}.${field} has is_required ${show(scope.fields.get(field)?.is_required)}, not false`)
  const scope = probeScope(scopes)
  const entry = baseEntry(scope)
  delete entry[field]
  expectAccepted(ctx, await probeEntry(ctx, scope, entry), `${scope.id} without ${field}`)
}

/** The three in one, for the rows of §7.2 and §7.3 that state them together. */
async function runAll(ctx: CheckContext, field: string): Promise<void> {
  await runFormat(ctx, field)
  await runRequired(ctx, field, fieldRule(field).isRequiredFalse === 'always' ? 'always' : 'consent')
}

/** Id, format and is_required checks of one field under the given requirement IDs. */
export function fieldObjectChecks(field: string, ids: { id?: string; format?: string; required?: string; all?: string }): Check[] {
  const rule = fieldRule(field)
  const section = rule.section
  const out: Check[] = []
  const formats = rule.formats.join(' or ')
  if (ids.id !== undefined) out.push(check(ids.id, section, `the ${field} field object has exactly the id "${field}" and a value under it is accepted`, (ctx: CheckContext) => runId(ctx, field)))
  if (ids.format !== undefined)
    out.push(check(ids.format, section, `${field} has the format ${formats}, and requests are held to it (valid values accepted, others refused with invalid_authorization_details)`, (ctx: CheckContext) => runFormat(ctx, field)))
  if (ids.required !== undefined) {
    const where = rule.isRequiredFalse === 'always' ? 'always' : 'consent'
    out.push(check(ids.required, section, `${field} has is_required false${where === 'consent' ? ' in consent scopes' : ''}, and a request without it is accepted`, (ctx: CheckContext) => runRequired(ctx, field, where)))
  }
  if (ids.all !== undefined)
    out.push(check(ids.all, section, `${field}: exact id, format ${formats}, is_required false in consent scopes; values held to the format`, (ctx: CheckContext) => runAll(ctx, field)))
  return out
}

const rows = (section: string) => `R3-01-${section}`

/** §7.1: each preselection field's -01 id, -02 format, -03 is_required rows. */
const preselectionChecks: Check[] = PRESELECTION_FIELD_IDS.flatMap((field) => {
  const base = rows(fieldRule(field).section)
  return fieldObjectChecks(field, { id: `${base}-01`, format: `${base}-02`, required: `${base}-03` })
})

/** §7.2: one row per include field (id, boolean, is_required false). */
const includeChecks: Check[] = INCLUDED_DATA_FIELD_IDS.flatMap((field) => fieldObjectChecks(field, { all: `${rows(fieldRule(field).section)}-01` }))

/** §7.3: sync_until has three rows, the other duration fields one. */
const durationChecks: Check[] = DURATION_FIELD_IDS.flatMap((field) => {
  const base = rows(fieldRule(field).section)
  return field === 'sync_until' ? fieldObjectChecks(field, { id: `${base}-01`, format: `${base}-02`, required: `${base}-03` }) : fieldObjectChecks(field, { all: `${base}-01` })
})

/** §7.4: the id, format and is_required rows of the other fields. */
const otherChecks: Check[] = [
  ...fieldObjectChecks('authorization_form_selection_type', { id: 'R3-01-7.4.1-01', format: 'R3-01-7.4.1-02', required: 'R3-01-7.4.1-03' }),
  ...fieldObjectChecks('merge_selection_with', { id: 'R3-01-7.4.2-01', format: 'R3-01-7.4.2-02', required: 'R3-01-7.4.2-03' }),
  ...fieldObjectChecks('error_if_no_preselections', { id: 'R3-01-7.4.3-01', format: 'R3-01-7.4.3-02' }),
  ...fieldObjectChecks('purpose', { id: 'R3-01-7.4.4-01', format: 'R3-01-7.4.4-02', required: 'R3-01-7.4.4-03' }),
  ...fieldObjectChecks('allow_scope_modifications', { id: 'R3-01-7.4.5-01', format: 'R3-01-7.4.5-02' }),
  ...fieldObjectChecks('jwk', { id: 'R3-01-7.4.6-01', format: 'R3-01-7.4.6-02', required: 'R3-01-7.4.6-03' }),
]

/** Every field-object check, in section order (§7.1, §7.2, §7.3, §7.4). */
export const fieldObjectCheckList: readonly Check[] = [...preselectionChecks, ...includeChecks, ...durationChecks, ...otherChecks]
