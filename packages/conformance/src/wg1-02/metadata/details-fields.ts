/**
 * CDS-WG1-02 §3.8–§3.10 as published: the Authorization Details Field objects, their formats,
 * limits and defaults, and their Choice objects.
 *
 * @module
 */
import { AuthorizationDetailsField, AuthorizationDetailsFieldChoice } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { conformsOpen, isAbsoluteUrl, isDateTime, isFullDate, nearMiss, show } from '../../wg1-01/kit.js'
import { everyField, exactAsm, fieldsOf, mapOf, strings } from './kit.js'
import { isRelativeDate, isRelativeDateTime } from './durations.js'

/** The formats CDS-WG1-02 §3.9 defines, and those CDS-WG3-01 §7 adds (catalog A-03 of WG3). */
const KNOWN_FORMATS = ['int', 'decimal', 'string', 'string_or_null', 'string_list', 'boolean', 'relative_or_absolute_date', 'relative_or_absolute_datetime', 'choice', 'jwk_or_null', 'string_list_or_null', 'choice_or_null', 'choice_list_or_null'] as const

/** The formats whose fields need `maximum` (§3.8), and what a limit of each looks like. */
const LIMIT: Record<string, (value: unknown) => boolean> = {
  int: (v) => v === 'infinite' || (typeof v === 'number' && Number.isInteger(v)),
  decimal: (v) => v === 'infinite' || typeof v === 'number' || (typeof v === 'object' && v !== null),
  string: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
  string_or_null: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
  string_list: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 0,
  relative_or_absolute_date: (v) => v === 'infinite' || isRelativeDate(v) || isFullDate(v),
  relative_or_absolute_datetime: (v) => v === 'infinite' || isRelativeDateTime(v) || isDateTime(v),
}

/** The formats with choices. */
const CHOICE_FORMATS = new Set(['choice', 'choice_or_null', 'choice_list_or_null'])

/** The choices of a field. */
function choicesOf(field: Json): Json[] {
  return Array.isArray(field.choices) ? (field.choices as Json[]) : []
}

/** The checks of CDS-WG1-02 §3.8–§3.10 about the published fields. */
export const detailsFieldChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.8-01',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'each Authorization Details Field has id, name, description, documentation, for_types, format and is_required',
    async run(ctx: CheckContext) {
      await everyField(ctx)
      for (const [scope, description] of Object.entries(mapOf((await exactAsm(ctx)).cds_scope_descriptions)))
        for (const field of fieldsOf(description)) {
          const missing = ['id', 'name', 'description', 'documentation', 'for_types', 'format', 'is_required'].filter((member) => !(member in field))
          ctx.assert(missing.length === 0, `the field ${String(field.id)} of ${scope} lacks ${missing.join(', ')}`)
          ctx.assert(isAbsoluteUrl(field.documentation), `the field ${String(field.id)} of ${scope} has documentation ${show(field.documentation)}`)
          conformsOpen(ctx, AuthorizationDetailsField, field, `the field ${String(field.id)} of ${scope}`)
        }
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-03',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'for_types is non-empty and within its scope\'s authorization_details_types_supported (Grant Admin\'s literal type accepted, A-02)',
    async run(ctx: CheckContext) {
      for (const { scope, description, field } of await everyField(ctx)) {
        const types = strings(description.authorization_details_types_supported)
        const forTypes = field.for_types
        ctx.assert(Array.isArray(forTypes) && forTypes.length > 0, `the field ${String(field.id)} of ${scope} has for_types ${show(forTypes)}`)
        const literal = description.type === 'cds_grant_admin' ? ['cds_grant_admin'] : []
        const outside = (forTypes as unknown[]).filter((type) => typeof type !== 'string' || (!types.includes(type) && !literal.includes(type)))
        ctx.assert(outside.length === 0, `the field ${String(field.id)} of ${scope} is for ${show(outside)}, not among ${show(types)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-06',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'a required field has no default',
    async run(ctx: CheckContext) {
      const required = (await everyField(ctx)).filter(({ field }) => field.is_required === true)
      if (required.length === 0) ctx.notApplicable('no Authorization Details Field is required')
      for (const { scope, field } of required) ctx.assert(!('default' in field), `the required field ${String(field.id)} of ${scope} has a default`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-07',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'fields of bounded formats have a maximum of the kind their format asks for',
    async run(ctx: CheckContext) {
      const fields = Object.entries(mapOf((await exactAsm(ctx)).cds_scope_descriptions)).flatMap(([scope, d]) => fieldsOf(d).map((field) => ({ scope, field })))
      const bounded = fields.filter(({ field }) => String(field.format) in LIMIT)
      if (bounded.length === 0) ctx.notApplicable('no Authorization Details Field has a bounded format')
      for (const { scope, field } of bounded) {
        const fits = LIMIT[String(field.format)] ?? (() => false)
        ctx.assert('maximum' in field && fits(field.maximum), `the ${String(field.format)} field ${String(field.id)} of ${scope} has maximum ${show(field.maximum)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-08',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'a field with a maximum has a minimum of the same kind',
    async run(ctx: CheckContext) {
      const fields = Object.entries(mapOf((await exactAsm(ctx)).cds_scope_descriptions)).flatMap(([scope, d]) => fieldsOf(d).map((field) => ({ scope, field })))
      const limited = fields.filter(({ field }) => 'maximum' in field)
      if (limited.length === 0) ctx.notApplicable('no Authorization Details Field has a maximum')
      for (const { scope, field } of limited) {
        ctx.assert('minimum' in field, `the field ${String(field.id)} of ${scope} has a maximum but no minimum`)
        const fits = LIMIT[String(field.format)]
        if (fits !== undefined) ctx.assert(fits(field.minimum) && field.minimum !== 'infinite', `the ${String(field.format)} field ${String(field.id)} of ${scope} has minimum ${show(field.minimum)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.8-10',
    spec: 'CDS-WG1-02',
    section: '§3.8',
    title: 'a choice field has at least one choice',
    async run(ctx: CheckContext) {
      const choice = (await everyField(ctx)).filter(({ field }) => CHOICE_FORMATS.has(String(field.format)))
      if (choice.length === 0) ctx.notApplicable('no Authorization Details Field has a choice format')
      for (const { scope, field } of choice) ctx.assert(choicesOf(field).length > 0, `the ${String(field.format)} field ${String(field.id)} of ${scope} has no choices`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.9-01',
    spec: 'CDS-WG1-02',
    section: '§3.9',
    title: 'each field\'s format is a format string, known ones spelled exactly',
    async run(ctx: CheckContext) {
      for (const { scope, field } of await everyField(ctx)) {
        ctx.assert(typeof field.format === 'string' && field.format !== '', `the field ${String(field.id)} of ${scope} has format ${show(field.format)}`)
        const meant = nearMiss(field.format, KNOWN_FORMATS)
        ctx.assert(meant === undefined, `the field ${String(field.id)} of ${scope} has format ${show(field.format)}, a misspelling of ${String(meant)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.10-01',
    spec: 'CDS-WG1-02',
    section: '§3.10',
    title: 'each Choice has id, name, description and documentation',
    async run(ctx: CheckContext) {
      const withChoices = (await everyField(ctx)).filter(({ field }) => choicesOf(field).length > 0)
      if (withChoices.length === 0) ctx.notApplicable('no Authorization Details Field has choices')
      for (const { scope, field } of withChoices)
        for (const choice of choicesOf(field)) {
          const missing = ['id', 'name', 'description', 'documentation'].filter((member) => typeof choice[member] !== 'string')
          ctx.assert(missing.length === 0, `a choice of ${String(field.id)} (${scope}) lacks ${missing.join(', ')}`)
          conformsOpen(ctx, AuthorizationDetailsFieldChoice, choice, `the choice ${String(choice.id)} of ${String(field.id)} (${scope})`)
        }
    },
  }),
  defineCheck({
    id: 'R1-02-3.10-02',
    spec: 'CDS-WG1-02',
    section: '§3.10',
    title: 'choice ids are unique within a field (they are the values a Client submits)',
    async run(ctx: CheckContext) {
      const withChoices = (await everyField(ctx)).filter(({ field }) => choicesOf(field).length > 0)
      if (withChoices.length === 0) ctx.notApplicable('no Authorization Details Field has choices')
      for (const { scope, field } of withChoices) {
        const ids = choicesOf(field).map((choice) => choice.id)
        ctx.assert(new Set(ids).size === ids.length, `the field ${String(field.id)} of ${scope} repeats a choice id: ${show(ids)}`)
      }
    },
  }),
]
