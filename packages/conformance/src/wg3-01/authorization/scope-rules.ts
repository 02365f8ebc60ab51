/**
 * The §6 rules of one scope type that the metadata and a request without a customer settle: the
 * Scope Description's `type`, response and grant types, the fields it must, may or must not
 * offer, its Selection choices and fixed defaults, and the values a request must not carry.
 * Each rule returns the `run` of a check; the tables of `scope-checks.ts` bind them to IDs.
 *
 * @module
 */
import { ScopeDescription } from '@cds-ts/schema'
import type { CheckContext, Json } from '../../core/context.js'
import { cdScopes, choiceIds, conformsTo, expectAccepted, expectRefused, profileOf, requestProbe, scopesOfType, show, strings, tokenProbe, type CdScope } from './kit.js'

/** A check body. */
export type Run = (ctx: CheckContext) => Promise<void>

/** Scope Descriptions whose id names a §6 type (`cds_usage`, `cds_usage_1`, `cds_usage_self`) carry that type; the ones of the type conform to CDS-WG1-02 §3.4. */
export function typeRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const all = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
    const named = Object.entries(all).filter(([id]) => new RegExp(`^${type}(_[a-z0-9]+)*$`).test(id))
    const typed = Object.entries(all).filter(([, d]) => d.type === type)
    if (named.length === 0 && typed.length === 0) ctx.notApplicable(`the server offers no ${type} scope`)
    // An id shaped like a §6 scope whose type is no §6 type at all is a mislabelled Customer Data scope.
    const known = new Set((await cdScopes(ctx)).map((s) => s.id))
    const wrong = named.filter(([id]) => !known.has(id))
    ctx.assert(wrong.length === 0, `the Scope Description(s) ${wrong.map(([id, d]) => `${id} (type ${show(d.type)})`).join(', ')} are named as ${type} scopes but carry no CDS-WG3-01 §6 type`)
    ctx.assert(typed.length > 0, `no Scope Description carries the type ${type}`)
    for (const [id, description] of typed) {
      ctx.assert(description.id === id, `the ${type} Scope Description under ${id} has id ${show(description.id)}`)
      conformsTo(ctx, ScopeDescription, description, `the ${id} Scope Description`)
    }
  }
}

/** Consent scopes: `response_types_supported` holds `code`; direct scopes: it is `[]`. */
export function responseTypesRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const consent = profileOf(type).access === 'customer_consent'
    for (const scope of await scopesOfType(ctx, type)) {
      const types = strings(scope.description.response_types_supported)
      if (consent) ctx.assert(types.includes('code'), `${scope.id} lists response types ${show(types)}, without "code"`)
      else ctx.assert(Array.isArray(scope.description.response_types_supported) && types.length === 0, `${scope.id} lists response types ${show(scope.description.response_types_supported)}, not []`)
    }
  }
}

/** `grant_types_supported` holds the profile's grant types. */
export function grantTypesRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const wanted = profileOf(type).grantTypesMustInclude
    for (const scope of await scopesOfType(ctx, type)) {
      const types = strings(scope.description.grant_types_supported)
      const missing = wanted.filter((g) => !types.includes(g))
      ctx.assert(missing.length === 0, `${scope.id} lists grant types ${show(types)}, without ${missing.join(', ')}`)
    }
  }
}

/** Consent scopes never offer `client_credentials`, and a `client_credentials` request for one is refused. */
export function noClientCredentialsRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const scopes = await scopesOfType(ctx, type)
    for (const scope of scopes) ctx.assert(!strings(scope.description.grant_types_supported).includes('client_credentials'), `${scope.id} lists the client_credentials grant`)
    const [first] = scopes
    if (first === undefined) return
    const probe = await tokenProbe(ctx, first)
    if (probe.accepted) ctx.fail(`a client_credentials token request for ${first.id} was answered 200`)
    ctx.expectStatus(probe.response, [400, 401])
  }
}

/** The fields the profile requires are offered (A-01: `authorization_details_fields_supported` ids). */
export function requiredFieldsRule(type: string): Run {
  return async (ctx: CheckContext) => {
    for (const scope of await scopesOfType(ctx, type)) {
      const missing = profileOf(type).requiredFields.filter((f) => !scope.fields.has(f))
      ctx.assert(missing.length === 0, `${scope.id} does not offer ${missing.join(', ')}`)
    }
  }
}

/**
 * The fields a scope must offer "when the Server has the data": the server shows it has the data
 * of a field when another of its Customer Data scopes offers that field.
 */
export function conditionalFieldsRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const all = await cdScopes(ctx)
    const wanted = profileOf(type).fieldsWhenDataAvailable
    let checked = 0
    for (const scope of await scopesOfType(ctx, type)) {
      const evident = wanted.filter((f) => all.some((other) => other.id !== scope.id && other.fields.has(f)))
      checked += evident.length
      const missing = evident.filter((f) => !scope.fields.has(f))
      ctx.assert(missing.length === 0, `${scope.id} does not offer ${missing.join(', ')}, although the server has that data (other scopes offer the fields)`)
    }
    if (checked === 0) ctx.notApplicable(`no other scope shows the server has the data of ${wanted.join(', ')}`)
  }
}

/** The fields the profile forbids are not offered, and a request that names one is refused (RFC 9396 §5). */
export function forbiddenFieldsRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const forbidden = profileOf(type).forbiddenFields
    const scopes = await scopesOfType(ctx, type)
    for (const scope of scopes) {
      const listed = forbidden.filter((f) => scope.fields.has(f))
      ctx.assert(listed.length === 0, `${scope.id} offers ${listed.join(', ')}`)
    }
    const [first] = scopes
    const [field] = forbidden
    if (first === undefined || field === undefined) return
    expectRefused(ctx, await requestProbe(ctx, first, [{ ...validEntry(first), [field]: true }]), `a ${first.id} request with ${field}: true`)
  }
}

/** The Selection choices: exactly the given ones (`exact`), or at least them. */
export function selectionRule(type: string, choices: readonly string[], exact: boolean): Run {
  return async (ctx: CheckContext) => {
    for (const scope of await scopesOfType(ctx, type)) {
      const field = scope.fields.get('authorization_form_selection_type')
      ctx.assert(field !== undefined, `${scope.id} does not offer authorization_form_selection_type`)
      const ids = choiceIds(field)
      const missing = choices.filter((c) => !ids.includes(c))
      ctx.assert(missing.length === 0, `${scope.id} offers the Selections ${show(ids)}, without ${missing.join(', ')}`)
      if (exact) ctx.assert(ids.length === choices.length, `${scope.id} offers the Selections ${show(ids)}; only ${show(choices)} is allowed`)
    }
  }
}

/** Meter Usage (§6.1.9): at least one Selection, each one of the five. */
export function usageSelectionRule(type: string): Run {
  return async (ctx: CheckContext) => {
    const allowed = profileOf(type).selectionChoices?.mayInclude ?? []
    for (const scope of await scopesOfType(ctx, type)) {
      const ids = choiceIds(scope.fields.get('authorization_form_selection_type'))
      ctx.assert(ids.length > 0, `${scope.id} offers no Selection`)
      const other = ids.filter((id) => !(allowed as readonly string[]).includes(id))
      ctx.assert(other.length === 0, `${scope.id} offers the Selections ${other.join(', ')}, which §6.1.9 does not allow`)
    }
  }
}

/** Meter Usage (§6.1.9): a Selection brings its own fields. */
export function selectionFieldsRule(type: string, selection: string): Run {
  return async (ctx: CheckContext) => {
    const wanted = (profileOf(type).fieldsBySelection as Readonly<Record<string, readonly string[]>>)[selection] ?? []
    let checked = 0
    for (const scope of await scopesOfType(ctx, type)) {
      if (!choiceIds(scope.fields.get('authorization_form_selection_type')).includes(selection)) continue
      checked++
      const missing = wanted.filter((f) => !scope.fields.has(f))
      ctx.assert(missing.length === 0, `${scope.id} offers the ${selection} but not ${missing.join(', ')}`)
    }
    if (checked === 0) ctx.notApplicable(`no ${type} scope offers the ${selection}`)
  }
}

/** A field object's `default` is the fixed value. */
export function defaultRule(type: string, field: string, value: unknown): Run {
  return async (ctx: CheckContext) => {
    for (const scope of await scopesOfType(ctx, type)) {
      const object = scope.fields.get(field)
      ctx.assert(object !== undefined, `${scope.id} does not offer ${field}`)
      ctx.assert(Object.hasOwn(object, 'default') && object.default === value, `${scope.id} ${field} has default ${show(object.default)}, not ${show(value)}`)
    }
  }
}

/**
 * An entry of the scope the server should take: the values the profile refuses are replaced by
 * acceptable ones (a placeholder number, the first program, the fixed booleans).
 */
export function validEntry(scope: CdScope): Json {
  const entry: Json = { type: scope.rarType }
  for (const rule of profileOf(scope.type).rejectedValues) {
    const field = scope.fields.get(rule.field)
    if (field === undefined) continue
    if (typeof rule.value === 'boolean') entry[rule.field] = !rule.value
    else entry[rule.field] = choiceIds(field)[0] !== undefined ? [choiceIds(field)[0]] : ['CONFORMANCE-1']
  }
  return entry
}

/** A request whose effective value of `field` is `value` is refused with `invalid_authorization_details`, while the same request with an acceptable value is taken. */
export function rejectedValueRule(type: string, field: string, value: unknown): Run {
  return async (ctx: CheckContext) => {
    const scopes = await scopesOfType(ctx, type)
    const scope = scopes.find((s) => s.fields.has(field))
    if (scope === undefined) ctx.fail(`no ${type} scope offers ${field}`)
    const base = validEntry(scope)
    expectAccepted(ctx, await requestProbe(ctx, scope, [base]), `the control request ${show(base)}`)
    expectRefused(ctx, await requestProbe(ctx, scope, [{ ...base, [field]: value }]), `a ${scope.id} request with ${field}: ${show(value)}`)
  }
}
