/**
 * CDS-WG1-02 §2 and §3.8–§3.9 as the server enforces them: values sent in `authorization_details`
 * for a scope's fields (formats, limits, required fields, choices, JWKs, relative dates) are
 * accepted or refused, and relative values are resolved in `cds_timezone`.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isFullDate } from '../../wg1-01/kit.js'
import { addDays, beyond, isRelativeDateTime, pickWithin, todayIn } from './durations.js'
import { expectAccepted, expectRefused, fieldTarget, intLimit, optional, validValue, type FieldTarget } from './kit.js'

/** A value of the wrong JSON type for each format (§3.8: values use the field's format). */
const WRONG_TYPE: Record<string, unknown> = {
  int: 'one',
  decimal: 'one',
  string: 42,
  string_or_null: 42,
  string_list: 'not a list',
  boolean: 'true',
  relative_or_absolute_date: 42,
  relative_or_absolute_datetime: 42,
  choice: 42,
  jwk_or_null: 'not a key',
}

/** Sends the base entry with `field` set to `value`. */
function withValue(target: FieldTarget, value: unknown) {
  return target.sender.send([{ ...target.base, [String(target.field.id)]: value }])
}

/** A label for a field of a scope. */
function label(target: FieldTarget): string {
  return `${String(target.field.id)} (${String(target.field.format)}) of ${target.sender.scope}`
}

/** A public P-256 key as a JWK (RFC 7517), without `use`. */
async function publicJwk(): Promise<Json> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', pair.publicKey)
  return { kty, crv, x, y }
}

const formatIs = (format: string) => (field: Json) => field.format === format

/** The checks of CDS-WG1-02 §2 and §3.8–§3.9 about values. */
export const detailsValueChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-2-01',
    also: ['R1-02-3.9-05'],
    spec: 'CDS-WG1-02',
    section: '§2, §3.9',
    title: 'a jwk_or_null field takes a public JWK with use "enc", or null; a JWK without use "enc" is refused',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const target = await fieldTarget(ctx, formatIs('jwk_or_null'), 'a jwk_or_null field')
      const jwk = await publicJwk()
      expectAccepted(ctx, target.sender, await withValue(target, { ...jwk, use: 'enc' }), `${label(target)} = a public JWK with use enc`)
      expectAccepted(ctx, target.sender, await withValue(target, null), `${label(target)} = null`)
      expectRefused(ctx, await withValue(target, { ...jwk, use: 'sig' }), `${label(target)} = a JWK with use sig`)
      expectRefused(ctx, await withValue(target, jwk), `${label(target)} = a JWK without use`)
    },
  }),
  defineCheck({
    id: 'R1-02-2-02',
    spec: 'CDS-WG1-02',
    section: '§2',
    title: 'a relative date has no time part: P1DT2H is refused for a date field, a relative date with months or days accepted',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const target = await fieldTarget(ctx, formatIs('relative_or_absolute_date'), 'a relative_or_absolute_date field')
      expectRefused(ctx, await withValue(target, 'P1DT2H'), `${label(target)} = P1DT2H`)
      const good = pickWithin(target.field, ['P1Y2M', 'P2M', 'P1M', 'P10D', 'P2D'])
      if (good !== undefined) expectAccepted(ctx, target.sender, await withValue(target, good), `${label(target)} = ${good}`)
    },
  }),
  defineCheck({
    id: 'R1-02-2-03',
    spec: 'CDS-WG1-02',
    section: '§2',
    title: 'a relative datetime may have a time part: a duration with hours is accepted for a datetime field',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const target = await fieldTarget(ctx, (field) => field.format === 'relative_or_absolute_datetime' && pickWithin(field, ['P30DT2H', 'P2DT2H', 'P1DT2H', 'PT2H', 'P400DT2H']) !== undefined, 'a relative_or_absolute_datetime field whose limits admit a duration with hours')
      const value = pickWithin(target.field, ['P30DT2H', 'P2DT2H', 'P1DT2H', 'PT2H', 'P400DT2H']) ?? 'P30DT2H'
      expectAccepted(ctx, target.sender, await withValue(target, value), `${label(target)} = ${value}`)
    },
  }),
  defineCheck({
    id: 'R1-02-2-04',
    spec: 'CDS-WG1-02',
    section: '§2',
    title: 'relative or absolute dates and datetimes: each form (absolute, relative, infinite) is accepted within the limits; malformed values are refused',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const date = await fieldTarget(ctx, formatIs('relative_or_absolute_date'), 'a relative_or_absolute_date field')
      const timeZone = String((await ctx.oauthMetadata()).cds_timezone)
      const forms = [date.field.minimum, date.field.maximum].filter((value) => value !== undefined)
      if (date.field.minimum === 'P0D') forms.push(todayIn(timeZone))
      if (isFullDate(date.field.minimum)) forms.push(date.field.minimum)
      for (const value of forms) expectAccepted(ctx, date.sender, await withValue(date, value), `${label(date)} = ${JSON.stringify(value)}`)
      for (const bad of ['2024-13-01', 'forever', '2024-02-30']) expectRefused(ctx, await withValue(date, bad), `${label(date)} = ${bad}`)
      const datetime = await optional(fieldTarget(ctx, formatIs('relative_or_absolute_datetime'), 'a relative_or_absolute_datetime field'))
      if (datetime === undefined) return
      for (const value of [datetime.field.minimum, datetime.field.maximum].filter((v) => v !== undefined)) expectAccepted(ctx, datetime.sender, await withValue(datetime, value), `${label(datetime)} = ${JSON.stringify(value)}`)
      for (const bad of ['2024-13-01T00:00:00Z', 'forever', '2024-01-01 00:00:00']) expectRefused(ctx, await withValue(datetime, bad), `${label(datetime)} = ${bad}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-02',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'a field\'s id is its key in an authorization_details entry: a valid value under it is accepted, a wrong one refused',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const target = await fieldTarget(ctx, (field) => String(field.format) in WRONG_TYPE && validValue(field) !== undefined, 'a field of a §3.9 format')
      expectAccepted(ctx, target.sender, await withValue(target, validValue(target.field)), `${label(target)} = ${JSON.stringify(validValue(target.field))}`)
      expectRefused(ctx, await withValue(target, WRONG_TYPE[String(target.field.format)]), `${label(target)} = ${JSON.stringify(WRONG_TYPE[String(target.field.format)])}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-04',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'values of the wrong JSON type for their field\'s format are refused as invalid_authorization_details',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const tried = new Set<string>()
      for (const format of Object.keys(WRONG_TYPE)) {
        const target = await optional(fieldTarget(ctx, formatIs(format), `a ${format} field`))
        if (target === undefined) continue
        tried.add(format)
        expectRefused(ctx, await withValue(target, WRONG_TYPE[format]), `${label(target)} = ${JSON.stringify(WRONG_TYPE[format])}`)
      }
      if (tried.size === 0) ctx.notApplicable('no field of a §3.9 format can be sent')
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-05',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'a required field must be sent: an entry without it, or a request with only the scope, is refused',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const target = await fieldTarget(ctx, (field) => field.is_required === true, 'a required field')
      expectRefused(ctx, await target.sender.send([target.base]), `an entry of ${target.sender.scope} without ${String(target.field.id)}`)
      expectRefused(ctx, await target.sender.sendText(undefined), `a request for ${target.sender.scope} with no authorization_details`, ['invalid_authorization_details', 'invalid_request'])
      expectAccepted(ctx, target.sender, await withValue(target, validValue(target.field)), `an entry of ${target.sender.scope} with ${String(target.field.id)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-09',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'limits are enforced: a value past maximum (or before minimum) is refused, the limits themselves accepted',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const bounded = (field: Json) =>
        (field.format === 'int' && intLimit(field.maximum) !== undefined) ||
        (field.format === 'string' && intLimit(field.maximum) !== undefined) ||
        ((field.format === 'relative_or_absolute_date' || field.format === 'relative_or_absolute_datetime') && isRelativeDateTime(field.maximum) && beyond(field.maximum) !== undefined)
      const target = await fieldTarget(ctx, bounded, 'a field with a finite maximum')
      const { field } = target
      const [max, min] = [field.maximum, field.minimum]
      if (field.format === 'int') {
        expectRefused(ctx, await withValue(target, Number(max) + 1), `${label(target)} = maximum + 1`)
        if (intLimit(min) !== undefined) expectRefused(ctx, await withValue(target, Number(min) - 1), `${label(target)} = minimum - 1`)
      } else if (field.format === 'string') {
        expectRefused(ctx, await withValue(target, 'a'.repeat(Number(max) + 1)), `${label(target)} of maximum + 1 characters`)
      } else {
        const far = beyond(max) ?? ''
        const value = field.format === 'relative_or_absolute_date' ? far.replace(/T.*$/, '') : far
        expectRefused(ctx, await withValue(target, value), `${label(target)} = ${value}, past the maximum ${String(max)}`)
      }
      const exact = (value: unknown) => (field.format === 'string' ? 'a'.repeat(Number(value)) : value)
      expectAccepted(ctx, target.sender, await withValue(target, exact(max)), `${label(target)} at its maximum`)
      if (min !== undefined) expectAccepted(ctx, target.sender, await withValue(target, exact(min)), `${label(target)} at its minimum`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.9-02',
    spec: 'CDS-WG1-02',
    section: '§3.9',
    title: 'decimal values keep every digit: the token response echoes a 34-digit decimal exactly',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const target = await fieldTarget(ctx, formatIs('decimal'), 'a decimal field', 'token')
      if (target.sender.via !== 'token') ctx.notApplicable('no decimal field belongs to a scope the suite can get a token for without a customer')
      const min = target.field.minimum
      const digits = typeof min === 'number' && Number.isInteger(min) ? `${min}.1000000000000000055511151231257827` : '0.1000000000000000055511151231257827'
      const marker = '"cds-conformance-decimal"'
      const text = JSON.stringify([{ ...target.base, [String(target.field.id)]: 'cds-conformance-decimal' }]).replace(marker, digits)
      const response = await target.sender.sendText(text)
      expectAccepted(ctx, target.sender, response, `${label(target)} = ${digits}`)
      ctx.assert(response.text.includes(digits), `the token response does not echo ${digits} exactly: ${response.text.slice(0, 300)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.9-03',
    spec: 'CDS-WG1-02',
    section: '§3.9',
    title: 'a relative date is resolved in cds_timezone from the moment of the token request',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const target = await fieldTarget(ctx, (field) => field.format === 'relative_or_absolute_date' && pickWithin(field, ['P10D', 'P20D', 'P2D']) !== undefined, 'a relative date field with room for ten days', 'token')
      if (target.sender.via !== 'token') ctx.notApplicable('no relative date field belongs to a scope the suite can get a token for without a customer')
      const timeZone = String((await ctx.oauthMetadata()).cds_timezone)
      const value = pickWithin(target.field, ['P10D', 'P20D', 'P2D']) ?? 'P10D'
      const days = Number(/(\d+)D/.exec(value)?.[1] ?? 0)
      const before = todayIn(timeZone)
      const response = await withValue(target, value)
      const after = todayIn(timeZone)
      expectAccepted(ctx, target.sender, response, `${label(target)} = ${value}`)
      const echoed = ((response.json<Json>().authorization_details ?? []) as Json[]).find((entry) => entry.type === target.sender.scope)?.[String(target.field.id)]
      if (echoed === value || echoed === undefined) ctx.notApplicable('the token response shows the relative value as sent, so the resolution cannot be seen')
      const expected = [before, after].flatMap((today) => [addDays(today, -days), addDays(today, days)])
      ctx.assert(isFullDate(echoed) && expected.includes(echoed), `${value} was resolved to ${JSON.stringify(echoed)}; in ${timeZone} it is one of ${[...new Set(expected)].join(', ')}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.9-04',
    spec: 'CDS-WG1-02',
    section: '§3.9',
    title: 'a choice value must be the id of one of the field\'s choices: an unknown id is refused, a listed one accepted',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const target = await fieldTarget(ctx, formatIs('choice'), 'a choice field')
      expectRefused(ctx, await withValue(target, 'cds-conformance-no-such-choice'), `${label(target)} = an unknown choice`)
      const first = (Array.isArray(target.field.choices) ? (target.field.choices as Json[]) : [])[0]?.id
      expectAccepted(ctx, target.sender, await withValue(target, first), `${label(target)} = ${JSON.stringify(first)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.9-06',
    spec: 'CDS-WG1-02',
    section: '§3.9',
    title: 'int takes integers only (1.5 is refused) and string_list strings only ([1] is refused)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      let tried = 0
      const int = await optional(fieldTarget(ctx, formatIs('int'), 'an int field'))
      if (int !== undefined) {
        tried++
        expectRefused(ctx, await withValue(int, 1.5), `${label(int)} = 1.5`)
      }
      const list = await optional(fieldTarget(ctx, formatIs('string_list'), 'a string_list field'))
      if (list !== undefined) {
        tried++
        expectRefused(ctx, await withValue(list, [1]), `${label(list)} = [1]`)
      }
      if (tried === 0) ctx.notApplicable('no int or string_list field can be sent')
    },
  }),
]
