/**
 * CDS-WG1-02 §3.4 (registration lists), §3.5 Registration Field Object Format, the static rules
 * of §3.6 and the value formats of §3.7, probed with registration requests.
 *
 * @module
 */
import { RegistrationField, stringifyJson } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { listAll } from '../../core/registration.js'
import { conformsOpen, isWebUrl } from '../../wg1-01/kit.js'
import { exactAsm, mapOf, registrationFields } from './kit.js'
import { base64, edgeRegistration, expectRefusedRegistration, expectRegistered, fieldsOfFormat, GIF_BYTES, listedFields, minimalRegistration, OMIT, pdfOfSize, pngOfSize, registerWith } from './registration-kit.js'

/** The §3.7 formats: values a server must refuse, by format family. */
const FORMATS: readonly { id: string; base: string; bad: readonly { label: string; value: unknown }[] }[] = [
  { id: 'R1-02-3.7-01', base: 'string', bad: [{ label: 'a number', value: 42 }] },
  { id: 'R1-02-3.7-02', base: 'url', bad: [{ label: '"not a url"', value: 'not a url' }, { label: 'a number', value: 42 }] },
  { id: 'R1-02-3.7-03', base: 'email', bad: [{ label: '"foo"', value: 'foo' }, { label: 'a number', value: 42 }] },
  { id: 'R1-02-3.7-04', base: 'boolean', bad: [{ label: 'the string "true"', value: 'true' }, { label: 'the number 1', value: 1 }] },
  {
    id: 'R1-02-3.7-05',
    base: 'image',
    bad: [
      { label: 'Base64 of a GIF', value: base64(GIF_BYTES) },
      { label: 'text that is not Base64', value: 'not*base64!' },
    ],
  },
  { id: 'R1-02-3.7-06', base: 'pdf', bad: [{ label: 'Base64 of a file without the %PDF- signature', value: base64(new TextEncoder().encode('plain text, not a PDF')) }] },
]

/** A wrong JSON type for each format family (§3.5: a value has the field's format). */
const WRONG_TYPE: Record<string, unknown> = { string: 42, url: 42, email: 42, boolean: 'true', image: 42, pdf: 42 }

/** The Registration Fields of one type; not applicable when none. */
async function fieldsOfType(ctx: CheckContext, type: string): Promise<Json[]> {
  const found = Object.values(await registrationFields(ctx)).filter((field) => field.type === type)
  if (found.length === 0) ctx.notApplicable(`no Registration Field has the type ${type}`)
  return found
}

/** Whether a currency code is an ISO 4217 code the running Node knows. */
function isCurrency(value: unknown): boolean {
  return typeof value === 'string' && /^[A-Z]{3}$/.test(value) && new Intl.DisplayNames(['en'], { type: 'currency', fallback: 'none' }).of(value) !== undefined
}

/** The Client objects of an accepted registration, read with its own admin credentials. */
async function clientsOf(ctx: CheckContext, response: Json): Promise<Json[]> {
  const token = await ctx.clientToken({ client_id: String(response.client_id), client_secret: String(response.client_secret) }, 'cds_client_admin')
  const out: Json[] = []
  for await (const client of listAll(ctx, String((await ctx.oauthMetadata()).cds_clients_api), token, 'clients')) out.push(client)
  return out
}

/** The checks of CDS-WG1-02 §3.4–§3.7 about Registration Fields. */
export const registrationFieldChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.4-06',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'a registration without a required registration field is refused; with it, accepted',
    async run(ctx: CheckContext) {
      const required = (await listedFields(ctx)).find((listed) => listed.required)
      if (required === undefined) ctx.notApplicable('no scope requires a registration field')
      const name = String(required.field.field_name)
      expectRefusedRegistration(ctx, await registerWith(ctx, required.scope, { [name]: OMIT }), `${required.scope} without ${name}`)
      expectRegistered(ctx, (await minimalRegistration(ctx)).response, 'a registration with the required fields')
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-07',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'an optional registration field may be left out or sent: both registrations are accepted',
    async run(ctx: CheckContext) {
      if (!(await listedFields(ctx)).some((listed) => !listed.required)) ctx.notApplicable('no scope offers an optional registration field')
      expectRegistered(ctx, (await minimalRegistration(ctx)).response, 'a registration without the optional fields')
      expectRegistered(ctx, (await edgeRegistration(ctx)).response, 'a registration with every optional field')
    },
  }),
  defineCheck({
    id: 'R1-02-3.5-01',
    spec: 'CDS-WG1-02',
    section: '§3.5',
    title: 'each Registration Field has id, type, description and documentation, and conforms to the object format',
    async run(ctx: CheckContext) {
      const fields = mapOf((await exactAsm(ctx)).cds_registration_fields)
      if (Object.keys(fields).length === 0) ctx.notApplicable('cds_registration_fields is empty')
      for (const [key, field] of Object.entries(fields)) {
        const missing = ['id', 'type', 'description', 'documentation'].filter((member) => typeof field[member] !== 'string')
        ctx.assert(missing.length === 0, `the Registration Field ${key} lacks ${missing.join(', ')}`)
        ctx.assert(isWebUrl(field.documentation), `the Registration Field ${key} has documentation ${JSON.stringify(field.documentation)}`)
        conformsOpen(ctx, RegistrationField, field, `the Registration Field ${key}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.5-02',
    spec: 'CDS-WG1-02',
    section: '§3.5',
    title: 'each Registration Field\'s id equals its key in cds_registration_fields',
    async run(ctx: CheckContext) {
      const fields = await registrationFields(ctx)
      if (Object.keys(fields).length === 0) ctx.notApplicable('cds_registration_fields is empty')
      for (const [key, field] of Object.entries(fields)) ctx.assert(field.id === key, `the Registration Field under ${key} has id ${JSON.stringify(field.id)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.5-03',
    spec: 'CDS-WG1-02',
    section: '§3.5',
    title: 'a registration_field\'s field_name starts with cds_',
    async run(ctx: CheckContext) {
      for (const field of await fieldsOfType(ctx, 'registration_field'))
        ctx.assert(typeof field.field_name === 'string' && field.field_name.startsWith('cds_') && field.field_name.length > 4, `the Registration Field ${String(field.id)} has field_name ${JSON.stringify(field.field_name)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.5-04',
    spec: 'CDS-WG1-02',
    section: '§3.5',
    title: 'a registration field value of the wrong JSON type for its format is refused',
    async run(ctx: CheckContext) {
      const listed = (await listedFields(ctx)).filter(({ field }) => String(field.format).replace(/_or_null$/, '') in WRONG_TYPE)
      if (listed.length === 0) ctx.notApplicable('no scope lists a registration field of a §3.7 format')
      for (const { field, scope } of listed) {
        const wrong = WRONG_TYPE[String(field.format).replace(/_or_null$/, '')]
        expectRefusedRegistration(ctx, await registerWith(ctx, scope, { [String(field.field_name)]: wrong }), `${String(field.field_name)} (${String(field.format)}) = ${JSON.stringify(wrong)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.5-05',
    spec: 'CDS-WG1-02',
    section: '§3.5',
    title: 'an optional field left out takes its default where the server shows registration fields on Client objects',
    async run(ctx: CheckContext) {
      // Only the §3.7 formats: extension formats (CDS-WG3-01 purposes) give the Client object members of their own meaning.
      const own = (await listedFields(ctx)).filter(({ field }) => String(field.format).replace(/_or_null$/, '') in WRONG_TYPE)
      const optional = own.filter((listed) => 'default' in listed.field)
      if (optional.length === 0) ctx.notApplicable('no registration field of a §3.7 format has a default')
      const { response } = await minimalRegistration(ctx)
      expectRegistered(ctx, response, 'a registration without the optional fields')
      const clients = await clientsOf(ctx, response.json<Json>())
      const names = new Set(own.map(({ field }) => String(field.field_name)))
      if (!clients.some((client) => Object.keys(client).some((key) => names.has(key)))) ctx.notApplicable('the server does not show registration field values on Client objects')
      for (const { field } of optional)
        for (const client of clients)
          if (String(field.field_name) in client)
            ctx.assert(JSON.stringify(client[String(field.field_name)]) === JSON.stringify(field.default), `Client object ${String(client.client_id)} shows ${String(field.field_name)} = ${JSON.stringify(client[String(field.field_name)])}, not the default ${JSON.stringify(field.default)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.5-06',
    spec: 'CDS-WG1-02',
    section: '§3.5',
    title: 'max_length is enforced: one character more is refused, exactly max_length accepted',
    async run(ctx: CheckContext) {
      const limited = (await listedFields(ctx)).filter(({ field }) => typeof field.max_length === 'number' && /^(string|url|email)(_or_null)?$/.test(String(field.format)))
      if (limited.length === 0) ctx.notApplicable('no listed registration field has a max_length')
      for (const { field, scope } of limited) {
        const format = String(field.format).replace(/_or_null$/, '')
        const max = Number(field.max_length)
        const long = format === 'url' ? `https://conformance.example/${'p'.repeat(Math.max(0, max + 1 - 28))}` : format === 'email' ? `${'a'.repeat(Math.max(1, max + 1 - 20))}@conformance.example` : 'x'.repeat(max + 1)
        expectRefusedRegistration(ctx, await registerWith(ctx, scope, { [String(field.field_name)]: long }), `${String(field.field_name)} of ${long.length} characters (max_length ${max})`)
      }
      expectRegistered(ctx, (await edgeRegistration(ctx)).response, 'a registration with every field at its max_length')
    },
  }),
  defineCheck({
    id: 'R1-02-3.5-07',
    spec: 'CDS-WG1-02',
    section: '§3.5',
    title: 'max_size counts bytes before Base64: one byte more is refused, exactly max_size accepted',
    async run(ctx: CheckContext) {
      const limited = (await listedFields(ctx)).filter(({ field }) => typeof field.max_size === 'number' && /^(image|pdf)(_or_null)?$/.test(String(field.format)))
      if (limited.length === 0) ctx.notApplicable('no listed registration field has a max_size')
      for (const { field, scope } of limited) {
        const size = Number(field.max_size) + 1
        const bytes = String(field.format).startsWith('image') ? pngOfSize(size) : pdfOfSize(size)
        ctx.assert(bytes.length === size, `the suite cannot build a file of ${size} bytes for ${String(field.field_name)}`)
        expectRefusedRegistration(ctx, await registerWith(ctx, scope, { [String(field.field_name)]: base64(bytes) }), `${String(field.field_name)} of ${size} bytes (max_size ${size - 1})`)
      }
      expectRegistered(ctx, (await edgeRegistration(ctx)).response, 'a registration with every file at its max_size')
    },
  }),
  defineCheck({
    id: 'R1-02-3.5-08',
    spec: 'CDS-WG1-02',
    section: '§3.5',
    title: 'a payment_required field has an exact decimal amount and an ISO 4217 currency',
    async run(ctx: CheckContext) {
      await fieldsOfType(ctx, 'payment_required')
      for (const field of Object.values(mapOf((await exactAsm(ctx)).cds_registration_fields)).filter((f) => f.type === 'payment_required')) {
        ctx.assert(isCurrency(field.currency), `the payment field ${String(field.id)} has currency ${JSON.stringify(field.currency)}, not an ISO 4217 code`)
        ctx.assert(field.amount !== undefined && typeof field.amount !== 'string' && typeof field.amount !== 'boolean' && field.amount !== null, `the payment field ${String(field.id)} has amount ${stringifyJson(field.amount)}, not a JSON number`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.6-01',
    spec: 'CDS-WG1-02',
    section: '§3.6',
    title: 'a registration_field has field_name and format',
    async run(ctx: CheckContext) {
      for (const field of await fieldsOfType(ctx, 'registration_field'))
        ctx.assert(typeof field.field_name === 'string' && typeof field.format === 'string', `the Registration Field ${String(field.id)} lacks field_name or format`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.6-03',
    spec: 'CDS-WG1-02',
    section: '§3.6',
    title: 'a payment_required field has amount and currency',
    async run(ctx: CheckContext) {
      for (const field of await fieldsOfType(ctx, 'payment_required')) ctx.assert('amount' in field && 'currency' in field, `the payment field ${String(field.id)} lacks amount or currency`)
    },
  }),
  ...FORMATS.map((row) =>
    defineCheck({
      id: row.id,
      spec: 'CDS-WG1-02',
      section: '§3.7',
      title: `${row.base} registration values are validated: wrong values refused, null only for ${row.base}_or_null, valid values accepted`,
      async run(ctx: CheckContext) {
        const fields = await fieldsOfFormat(ctx, row.base)
        for (const { field, scope } of fields) {
          const name = String(field.field_name)
          for (const bad of row.bad) expectRefusedRegistration(ctx, await registerWith(ctx, scope, { [name]: bad.value }), `${name} (${String(field.format)}) = ${bad.label}`)
          if (field.format === row.base) expectRefusedRegistration(ctx, await registerWith(ctx, scope, { [name]: null }), `${name} (${row.base}) = null`)
        }
        const nullable = fields.find(({ field }) => field.format === `${row.base}_or_null`)
        if (nullable !== undefined) expectRegistered(ctx, await registerWith(ctx, nullable.scope, { [String(nullable.field.field_name)]: null }), `${String(nullable.field.field_name)} = null`)
        expectRegistered(ctx, (await edgeRegistration(ctx)).response, `a registration with valid ${row.base} values`)
      },
    }),
  ),
]
