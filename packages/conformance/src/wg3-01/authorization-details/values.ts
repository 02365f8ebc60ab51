/**
 * Values for probing one Authorization Details Field: samples a server must accept and samples it
 * must refuse, by the field's `format` (CDS-WG1-02 §3.9 and the CDS-WG3-01 §7 list formats, A-03),
 * and the probe that sends one value in an otherwise valid entry — a `client_credentials` token
 * request for a direct scope, a pushed authorization request for a consent scope.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import { directProbe } from './direct-lab.js'
import { choiceIds, fieldRule, knownField, parProbe, profileOf, show, type CdScope, type Probe } from './kit.js'

/** Values to send for a field: some it must accept, some it must refuse. */
export interface Samples {
  valid: unknown[]
  invalid: unknown[]
}

/** A date or datetime one day away from now, in the direction the field counts (RFC 3339, UTC). */
function absoluteSample(field: string, datetime: boolean): string {
  const rule = fieldRule(field)
  const sign = rule.duration?.direction === 'subtract' ? -1 : 1
  const when = new Date(Date.now() + sign * 2 * 86_400_000)
  return datetime ? `${when.toISOString().slice(0, 19)}Z` : when.toISOString().slice(0, 10)
}

/** A fresh P-256 public encryption key (RFC 7517, RFC 7518 §6.2) with `use: enc`. */
export async function p256Key(): Promise<Json> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])
  const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as Json
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, use: 'enc' }
}

/** Whether the scope type refuses the value for the field (CDS-WG3-01 §6.1.2, §6.1.3, §6.1.10; A-44). */
export function refusedByScope(scope: CdScope, field: string, value: unknown): boolean {
  const profile = profileOf(scope.type)
  if (profile === undefined) return false
  if (profile.rejectedValues.some((rule) => rule.field === field && rule.value === value)) return true
  return value === false && profile.impliedTrueFields.includes(field as never)
}

/** The samples of a field as the scope publishes it. */
export async function samplesOf(scope: CdScope, fieldId: string): Promise<Samples> {
  const field = scope.fields.get(fieldId) ?? {}
  const rule = fieldRule(fieldId)
  const choices = choiceIds(field)
  const out: Samples = { valid: [], invalid: [] }
  switch (field.format) {
    case 'string_list_or_null':
      out.valid.push([rule.specialValues[0] ?? 'conformance-no-such-number'], null)
      out.invalid.push('conformance-no-such-number', [1], { value: 'x' })
      break
    case 'choice_list_or_null':
      if (choices[0] !== undefined) out.valid.push([choices[0]])
      out.valid.push(null)
      out.invalid.push(['conformance-not-a-choice'], choices[0] ?? 'x', [7])
      break
    case 'boolean':
      out.valid.push(true, false)
      out.invalid.push('true', 1, null)
      break
    case 'relative_or_absolute_datetime':
    case 'relative_or_absolute_date': {
      const datetime = field.format === 'relative_or_absolute_datetime'
      out.valid.push('P1D', absoluteSample(fieldId, datetime))
      out.invalid.push('P1X', 'soon', datetime ? '2026-02-30T00:00:00Z' : '2026-02-30', 'INFINITE', 86400, '-P1D')
      if (!datetime) out.invalid.push('PT1H')
      break
    }
    case 'choice':
      if (choices[0] !== undefined) out.valid.push(choices[0])
      out.invalid.push('conformance-not-a-choice', null, [choices[0] ?? 'x'])
      break
    case 'choice_or_null':
      if (choices[0] !== undefined) out.valid.push(choices[0])
      out.valid.push(null)
      out.invalid.push('conformance-not-a-choice', 7)
      break
    case 'string_or_null':
      out.valid.push(null)
      out.invalid.push(5, ['x'], { id: 'x' })
      break
    case 'jwk_or_null':
      out.valid.push(null, await p256Key())
      out.invalid.push('key', { kty: 'EC' }, { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA', use: 'enc' })
      break
    default:
      break
  }
  out.valid = out.valid.filter((value) => !refusedByScope(scope, fieldId, value))
  return out
}

/**
 * The smallest valid entry of a scope: its type, plus a value for each field whose default the
 * scope type itself refuses (the Aggregation Inclusion nulls, §6.1.10), so the entry passes.
 */
export function baseEntry(scope: CdScope): Json {
  const entry: Json = { type: scope.rarType }
  for (const rule of profileOf(scope.type)?.rejectedValues ?? []) {
    const field = scope.fields.get(rule.field)
    if (field === undefined) continue
    const fallback = Object.hasOwn(field, 'default') ? field.default : null
    if (fallback !== rule.value) continue
    if (typeof rule.value === 'boolean') entry[rule.field] = !rule.value
    else entry[rule.field] = field.format === 'choice_list_or_null' ? choiceIds(field).slice(0, 1) : ['conformance-no-such-number']
  }
  return entry
}

/** Sends the entry (merged into the base entry) for the scope: token request when direct, PAR when consent. */
export async function probeEntry(ctx: CheckContext, scope: CdScope, values: Json): Promise<Probe> {
  const entry = { ...baseEntry(scope), ...values }
  // CDS-WG3-01 §7.4.3: on a direct scope, error_if_no_preselections true needs a preselection; `_all` matches everything.
  if (!scope.consent && entry.error_if_no_preselections === true && ![...scope.fields.keys()].some((id) => knownField(id)?.category === 'preselection' && Array.isArray(entry[id]))) {
    const all = [...scope.fields.keys()].find((id) => knownField(id)?.specialValues.includes('_all') === true)
    if (all !== undefined) entry[all] = ['_all']
  }
  return scope.consent ? parProbe(ctx, [scope], [entry]) : directProbe(ctx, [entry])
}

/** The entry of a type in a token response's `authorization_details`. */
export function entryOf(details: readonly Json[] | undefined, type: string): Json | undefined {
  return details?.find((d) => d.type === type)
}

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Sends every sample of a field through the scope: each valid one accepted (and, for a direct
 * scope, echoed as sent unless it is a duration, which comes back absolute), each invalid one
 * refused with `invalid_authorization_details`.
 */
export async function probeSamples(ctx: CheckContext, scope: CdScope, fieldId: string): Promise<void> {
  const samples = await samplesOf(scope, fieldId)
  if (samples.valid.length + samples.invalid.length === 0) ctx.fail(`${scope.id}.${fieldId} has a format the suite cannot probe: ${show(scope.fields.get(fieldId)?.format)}`)
  const duration = fieldRule(fieldId).category === 'duration'
  for (const value of samples.valid) {
    const probe = await probeEntry(ctx, scope, { [fieldId]: value })
    if (!probe.accepted) ctx.fail(`${scope.id} refused ${fieldId}: ${show(value)}: ${probe.response.status} ${probe.response.text.slice(0, 200)}`)
    const echoed = entryOf(probe.details, scope.rarType)
    if (!scope.consent && !duration && echoed !== undefined && !equal(echoed[fieldId], value))
      ctx.fail(`${scope.id} took ${fieldId}: ${show(value)} but the token response says ${show(echoed[fieldId])}`)
  }
  for (const value of samples.invalid) {
    const probe = await probeEntry(ctx, scope, { [fieldId]: value })
    if (probe.accepted) ctx.fail(`${scope.id} accepted ${fieldId}: ${show(value)}, which its format ${show(scope.fields.get(fieldId)?.format)} does not allow`)
    ctx.expectError(probe.response, 400, 'invalid_authorization_details')
  }
}
