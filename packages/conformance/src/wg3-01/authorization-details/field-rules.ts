/**
 * Metadata rules of CDS-WG3-01 §7 beyond one field's id and format: every field object well formed
 * (§7), the fields kept off direct scopes (§7.1.13, §7.4.2, §7.4.4, §7.4.5), the Selection Type
 * field on every scope with a Selection (§7.4.1), the value-type Choices (§7.2.8.1), the `purpose`
 * choices in public and Client-specific metadata (§7.4.4), `allow_scope_modifications` on every
 * form scope (§7.4.5) and the `jwk` default (§7.4.6).
 *
 * @module
 */
import { AuthorizationDetailsField, ValueFormat } from '@cds-ts/schema'
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { formClient } from '../authorization-form/form-client.js'
import { publishing } from './field-objects.js'
import { cdScopes, check, choiceIds, hasDefault, METADATA, profileOf, scopesOf, show } from './kit.js'

/** A field a direct scope (response types `[]`) must never list. */
function absentOnDirect(id: string, section: string, field: string, why: string): Check {
  return check(
    id,
    section,
    `no direct access scope lists ${field} (${why})`,
    async (ctx: CheckContext) => {
      const direct = (await cdScopes(ctx)).filter((s) => !s.consent)
      if (direct.length === 0) ctx.notApplicable('the server offers no direct access scope')
      const listing = direct.filter((s) => s.fields.has(field)).map((s) => s.id)
      if (listing.length > 0) ctx.fail(`direct scope(s) ${listing.join(', ')} list ${field}`)
    },
    { needs: METADATA },
  )
}

/** The Selections a scope type may render (§6.1.x). */
function selectionsOf(type: string): string[] {
  const choices = profileOf(type)?.selectionChoices
  return choices === null || choices === undefined ? [] : [...choices.mustInclude, ...choices.mayInclude]
}

/** The purpose choices of a Client object: its Purposes whose scopes_supported holds the scope. */
function purposesFor(client: Json, scope: string): string[] {
  return Object.entries((client.cds_purposes ?? {}) as Record<string, Json>)
    .filter(([, p]) => Array.isArray(p.scopes_supported) && (p.scopes_supported as string[]).includes(scope))
    .map(([key]) => key)
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x))

/** The public `purpose` choices are the server default Purposes each new Client object gets for that scope. */
async function runPublicPurposes(ctx: CheckContext): Promise<void> {
  const scopes = await publishing(ctx, 'purpose')
  const registration = await ctx.registration()
  if (!registration.registered) ctx.skip('the run was given credentials: the suite cannot tell which Purposes the server added by default')
  let compared = 0
  for (const scope of scopes) {
    const client = registration.clients.find((c) => String(c.scope).split(' ').includes(scope.id))
    if (client === undefined) continue
    // The suite registers without Purposes of its own, so every Purpose of its objects is a server default.
    const defaults = purposesFor(client, scope.id)
    const choices = choiceIds(scope.fields.get('purpose'))
    if (!sameSet(defaults, choices)) ctx.fail(`${scope.id}: the public purpose choices ${show(choices)} are not the default Purposes ${show(defaults)} of a new Client object`)
    compared++
  }
  if (compared === 0) ctx.skip('the suite has no Client object of a scope that offers purpose')
}

/** The Client-specific metadata's `purpose` choices are that object's own Purposes for the scope. */
async function runClientPurposes(ctx: CheckContext): Promise<void> {
  await publishing(ctx, 'purpose')
  const fc = await formClient(ctx)
  const client = await ctx.request({ url: String(fc.client.cds_client_uri), bearer: fc.adminToken })
  ctx.expectStatus(client, 200)
  const object = client.json<Json>()
  if (fc.purpose === undefined) ctx.skip('the server did not take the Client-written Purpose of the suite')
  // CDS-WG1-02 §5.1: the Client-specific documents are read with the registration's admin token.
  const wk = await ctx.request({ url: String(object.cds_server_metadata), bearer: fc.adminToken })
  ctx.expectStatus(wk, 200)
  const oauth = wk.json<Json>().oauth_metadata
  ctx.assert(typeof oauth === 'string', 'the Client-specific CDS Server Metadata has no oauth_metadata')
  const asm = await ctx.request({ url: oauth, bearer: fc.adminToken })
  ctx.expectStatus(asm, 200)
  const scopes = scopesOf(asm.json<Json>().cds_scope_descriptions).filter((s) => s.fields.has('purpose') && String(object.scope).split(' ').includes(s.id))
  if (scopes.length === 0) ctx.fail('the Client-specific metadata lists no scope of the object with a purpose field')
  let own = false
  for (const scope of scopes) {
    const expected = purposesFor(object, scope.id)
    const choices = choiceIds(scope.fields.get('purpose'))
    if (!sameSet(expected, choices)) ctx.fail(`${scope.id}: the Client-specific purpose choices ${show(choices)} are not the object's Purposes for the scope ${show(expected)}`)
    own ||= choices.includes(fc.purpose)
  }
  ctx.assert(own, `the Client-written Purpose ${fc.purpose} is a choice of no scope in the Client-specific metadata`)
}

/** Every check of this file. */
export const fieldRuleChecks: readonly Check[] = [
  check(
    'R3-01-7-01',
    '7',
    'every Authorization Details Field object of the Customer Data scopes is well formed and names only types of its scope',
    async (ctx: CheckContext) => {
      const scopes = await cdScopes(ctx)
      if (scopes.length === 0) ctx.notApplicable('the server offers no Customer Data scope')
      for (const scope of scopes) {
        const types = (scope.description.authorization_details_types_supported ?? []) as string[]
        for (const [id, field] of scope.fields) {
          ctx.conforms(AuthorizationDetailsField, field, `${scope.id}.${id}`)
          // for_types may name the scope's type as well as its RAR types.
          const stray = ((field.for_types ?? []) as string[]).filter((t) => !types.includes(t) && t !== scope.type)
          if (stray.length > 0) ctx.fail(`${scope.id}.${id} names for_types ${show(stray)} outside the scope's authorization_details_types_supported ${show(types)}`)
        }
      }
    },
    { needs: METADATA },
  ),
  absentOnDirect('R3-01-7.1.13-04', '7.1.13', 'addresses', 'addresses cannot filter direct access; A-19 resolved for §7.1.13'),
  check(
    'R3-01-7.2.8.1-02',
    '7.2.8.1',
    'every Choice of include_usage_segment_value_types carries a usagesegment_format Value Format',
    async (ctx: CheckContext) => {
      for (const scope of await publishing(ctx, 'include_usage_segment_value_types')) {
        const choices = (scope.fields.get('include_usage_segment_value_types')?.choices ?? []) as Json[]
        for (const choice of choices) {
          if (!Object.hasOwn(choice, 'usagesegment_format')) ctx.fail(`${scope.id}: the Choice ${show(choice.id)} has no usagesegment_format`)
          ctx.conforms(ValueFormat, choice.usagesegment_format, `${scope.id} Choice ${String(choice.id)} usagesegment_format`)
        }
      }
    },
    { needs: METADATA },
  ),
  check(
    'R3-01-7.4.1-04',
    '7.4.1',
    'every scope whose type allows several Selections lists authorization_form_selection_type',
    async (ctx: CheckContext) => {
      const several = (await cdScopes(ctx)).filter((s) => selectionsOf(s.type).length > 1)
      if (several.length === 0) ctx.notApplicable('the server offers no scope type with several possible Selections')
      for (const scope of several) if (!scope.fields.has('authorization_form_selection_type')) ctx.fail(`${scope.id} (${scope.type}) may render several Selections but does not list authorization_form_selection_type`)
    },
    { needs: METADATA },
  ),
  check(
    'R3-01-7.4.1-06',
    '7.4.1',
    'every scope with a Selection lists authorization_form_selection_type with at least one Choice and a default among them',
    async (ctx: CheckContext) => {
      const withSelection = (await cdScopes(ctx)).filter((s) => s.consent && selectionsOf(s.type).length > 0)
      if (withSelection.length === 0) ctx.notApplicable('the server offers no scope with a Selection')
      for (const scope of withSelection) {
        const field = scope.fields.get('authorization_form_selection_type')
        if (field === undefined) ctx.fail(`${scope.id} (${scope.type}) has a Selection but no authorization_form_selection_type`)
        const choices = choiceIds(field)
        if (choices.length === 0) ctx.fail(`${scope.id}.authorization_form_selection_type has no Choice`)
        const unknown = choices.filter((c) => !selectionsOf(scope.type).includes(c))
        if (unknown.length > 0) ctx.fail(`${scope.id}.authorization_form_selection_type offers ${show(unknown)}, which ${scope.type} cannot render`)
        if (!hasDefault(field) || !choices.includes(String(field.default))) ctx.fail(`${scope.id}.authorization_form_selection_type has default ${show(field.default)}, not one of its choices ${show(choices)}`)
      }
    },
    { needs: METADATA },
  ),
  absentOnDirect('R3-01-7.4.2-04', '7.4.2', 'merge_selection_with', 'direct scopes render no Selection'),
  check('R3-01-7.4.4-04', '7.4.4', "the Client-specific metadata's purpose choices are the Client object's own Purposes for that scope", runClientPurposes),
  check('R3-01-7.4.4-05', '7.4.4', 'the public purpose choices are the server default Purposes a new Client object gets for that scope', runPublicPurposes),
  absentOnDirect('R3-01-7.4.4-07', '7.4.4', 'purpose', 'no Authorization Form shows it'),
  absentOnDirect('R3-01-7.4.5-03', '7.4.5', 'allow_scope_modifications', 'no customer can modify a direct request'),
  check(
    'R3-01-7.4.5-06',
    '7.4.5',
    'a server that lets customers modify requests lists allow_scope_modifications on every scope that can appear on the form',
    async (ctx: CheckContext) => {
      const consent = (await cdScopes(ctx)).filter((s) => s.consent)
      if (!consent.some((s) => s.fields.has('allow_scope_modifications'))) ctx.notApplicable('no consent scope lists allow_scope_modifications: the server offers no customer modification')
      const missing = consent.filter((s) => !s.fields.has('allow_scope_modifications')).map((s) => s.id)
      if (missing.length > 0) ctx.fail(`consent scope(s) ${missing.join(', ')} do not list allow_scope_modifications`)
    },
    { needs: METADATA },
  ),
  check(
    'R3-01-7.4.6-04',
    '7.4.6',
    'in consent scopes the jwk field defaults to null',
    async (ctx: CheckContext) => {
      const scopes = (await publishing(ctx, 'jwk')).filter((s) => s.consent)
      if (scopes.length === 0) ctx.notApplicable('no consent scope offers jwk')
      for (const scope of scopes) {
        const field = scope.fields.get('jwk') ?? {}
        if (!hasDefault(field) || field.default !== null) ctx.fail(`${scope.id}.jwk has default ${hasDefault(field) ? show(field.default) : '(none)'}, not null`)
      }
    },
    { needs: METADATA },
  ),
]
