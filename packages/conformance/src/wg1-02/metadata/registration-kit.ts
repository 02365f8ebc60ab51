/**
 * Registration requests that probe the Registration Fields of CDS-WG1-02 §3.4–§3.7: which scope
 * asks for a field, values of each format (valid, at the limit, or wrong), small valid PNG and
 * PDF files of an exact size, and two accepted registrations made once per run (every field at
 * its limit, and only the required fields).
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { registrationBody } from '../../core/registration.js'
import { descriptions, registrationFields, strings } from './kit.js'

/** Leaves a field out of a registration request. */
export const OMIT = Symbol('omit')

/** A Registration Field of type `registration_field` and a scope that lists it. */
export interface ListedField {
  field: Json
  scope: string
  /** Listed in the scope's `registration_requirements` and without a `default` (§3.5: a default makes it optional). */
  required: boolean
}

/** Every `registration_field` some scope lists, with the scope (a requiring scope preferred). */
export async function listedFields(ctx: CheckContext): Promise<ListedField[]> {
  const fields = await registrationFields(ctx)
  const out = new Map<string, ListedField>()
  for (const [scope, description] of Object.entries(await descriptions(ctx)))
    for (const [list, requiring] of [['registration_requirements', true], ['registration_optional', false]] as const)
      for (const id of strings(description[list])) {
        const field = fields[id]
        if (field?.type !== 'registration_field' || typeof field.field_name !== 'string') continue
        const required = requiring && !('default' in field)
        const known = out.get(id)
        if (known === undefined || (required && !known.required)) out.set(id, { field, scope, required })
      }
  return [...out.values()]
}

/** The listed fields of a format family (`image` matches `image` and `image_or_null`); not applicable when none. */
export async function fieldsOfFormat(ctx: CheckContext, base: string): Promise<ListedField[]> {
  const found = (await listedFields(ctx)).filter(({ field }) => field.format === base || field.format === `${base}_or_null`)
  if (found.length === 0) ctx.notApplicable(`no scope lists a registration field of format ${base} or ${base}_or_null`)
  return found
}

/** RFC 4648 §4 Base64 of bytes. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  out.set(new TextEncoder().encode(type), 4)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

const PNG_SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
// A 1×1 grey pixel: IHDR, then zlib-compressed scanline (filter 0, value 0x80).
const IHDR = Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
const IDAT = Uint8Array.from([0x78, 0x9c, 0x63, 0x68, 0x00, 0x00, 0x00, 0x82, 0x00, 0x81])

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

/** A valid 1×1 PNG of exactly `size` bytes (a private ancillary chunk pads it), or the smallest one when `size` is too small. */
export function pngOfSize(size: number): Uint8Array {
  const head = concat([PNG_SIGNATURE, chunk('IHDR', IHDR), chunk('IDAT', IDAT)])
  const end = chunk('IEND', new Uint8Array(0))
  const room = size - head.length - end.length - 12
  if (room < 0) return concat([head, end])
  return concat([head, chunk('cdTs', new Uint8Array(room).fill(0x2e)), end])
}

/** A small PDF of exactly `size` bytes (padded with a comment), or the smallest one when `size` is too small. */
export function pdfOfSize(size: number): Uint8Array {
  const body = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n'
  const tail = '%%EOF\n'
  const pad = size - body.length - tail.length - 2
  return new TextEncoder().encode(pad < 0 ? `${body}${tail}` : `${body}%${'.'.repeat(pad)}\n${tail}`)
}

/** A GIF header: an image, but not one of the two §3.7 allows. */
export const GIF_BYTES = new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;')

/** A value of the field's format; `edge` puts strings at `max_length` and files at `max_size`. */
export function goodFieldValue(field: Json, edge = false): unknown {
  const format = String(field.format).replace(/_or_null$/, '')
  const maxLength = typeof field.max_length === 'number' ? field.max_length : undefined
  const maxSize = typeof field.max_size === 'number' ? field.max_size : undefined
  switch (format) {
    case 'string':
      return edge && maxLength !== undefined ? 'x'.repeat(maxLength) : 'cds-ts conformance suite'
    case 'url': {
      const url = 'https://conformance.example/'
      return edge && maxLength !== undefined && maxLength > url.length ? `${url}${'p'.repeat(maxLength - url.length)}` : url
    }
    case 'email': {
      const domain = '@conformance.example'
      return edge && maxLength !== undefined && maxLength > domain.length ? `${'a'.repeat(Math.min(64, maxLength - domain.length))}${domain}` : `suite${domain}`
    }
    case 'boolean':
      return true
    case 'image':
      return base64(pngOfSize(edge && maxSize !== undefined ? maxSize : 0))
    case 'pdf':
      return base64(pdfOfSize(edge && maxSize !== undefined ? maxSize : 0))
    default:
      return String(field.format).endsWith('_or_null') ? null : undefined
  }
}

/**
 * POSTs a registration for `cds_client_admin` and `scope`, with a valid value for every registration
 * field the scope lists, then `values` (by `field_name`) on top; {@link OMIT} leaves one out.
 */
export async function registerWith(ctx: CheckContext, scope: string, values: Record<string, unknown> = {}, edge = false, optional = true): Promise<HttpResponse> {
  const body: Json = await registrationBody(ctx, `cds_client_admin ${scope}`)
  const all = await descriptions(ctx)
  const lists = scope.split(' ').flatMap((id) => [...strings(all[id]?.registration_requirements), ...(optional ? strings(all[id]?.registration_optional) : [])])
  for (const listed of await listedFields(ctx)) {
    if (!lists.includes(String(listed.field.id))) continue
    const value = goodFieldValue(listed.field, edge)
    if (value !== undefined) body[String(listed.field.field_name)] = value
  }
  for (const [name, value] of Object.entries(values)) {
    if (value === OMIT) delete body[name]
    else body[name] = value
  }
  return ctx.request({ url: await ctx.endpoint('registration_endpoint'), json: body })
}

/** An accepted registration of every scope that lists a registration field, and what was sent. */
export interface Accepted {
  scopes: string
  response: HttpResponse
}

/** The scopes that list at least one `registration_field`. */
async function fieldScopes(ctx: CheckContext): Promise<string[]> {
  const ids = new Set((await listedFields(ctx)).map(({ field }) => String(field.id)))
  return Object.entries(await descriptions(ctx))
    .filter(([, d]) => [...strings(d.registration_requirements), ...strings(d.registration_optional)].some((id) => ids.has(id)))
    .map(([id]) => id)
}

/** A registration with every listed field at its limit (strings at `max_length`, files at `max_size`), made once. */
export function edgeRegistration(ctx: CheckContext): Promise<Accepted> {
  return ctx.once('wg1-02-metadata:edge-registration', async () => {
    const scopes = (await fieldScopes(ctx)).join(' ')
    if (scopes === '') ctx.notApplicable('no scope lists a registration field')
    return { scopes, response: await registerWith(ctx, scopes, {}, true) }
  })
}

/** A registration with only the required fields (optional ones left out), made once. */
export function minimalRegistration(ctx: CheckContext): Promise<Accepted> {
  return ctx.once('wg1-02-metadata:minimal-registration', async () => {
    const scopes = (await fieldScopes(ctx)).join(' ')
    if (scopes === '') ctx.notApplicable('no scope lists a registration field')
    return { scopes, response: await registerWith(ctx, scopes, {}, false, false) }
  })
}

/** Fails unless a registration was refused as invalid client metadata (400). */
export function expectRefusedRegistration(ctx: CheckContext, response: HttpResponse, what: string): void {
  const error = response.mediaType.endsWith('json') ? response.json<Json>().error : undefined
  ctx.assert(response.status === 400 && error === 'invalid_client_metadata', `${what}: the registration answered ${response.status} ${JSON.stringify(error ?? response.text.slice(0, 200))}, expected 400 invalid_client_metadata`)
}

/** Fails unless a registration was accepted (201). */
export function expectRegistered(ctx: CheckContext, response: HttpResponse, what: string): void {
  ctx.assert(response.status === 201, `${what}: the registration answered ${response.status}: ${response.text.slice(0, 300)}`)
}
