/**
 * CDS-WG1-02 §2 data types in what the server sends and accepts: datetimes, integers, time zones,
 * Base64 and request methods. The relative date types and JWKs are checked with authorization
 * details in `details-values.ts`.
 *
 * @module
 */
import { stringifyJson } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { isDateTime } from '../../wg1-01/kit.js'
import { exactAsm, fieldsOf, mapOf, metadataAdminToken, optional } from './kit.js'
import { base64, fieldsOfFormat, expectRefusedRegistration, pngOfSize, registerWith } from './registration-kit.js'
import { allMessages } from './requirements-kit.js'

/** The datetime members of the WG1-02 objects (Client, Credential, Grant, Message, Server-Provided File). */
const DATETIMES = new Set(['created', 'modified', 'updated', 'cds_created', 'cds_modified', 'not_before', 'not_after', 'eta', 'expires'])

/** Every `[path, value]` of a datetime member inside a JSON value. */
function datetimes(value: unknown, path: string, out: [string, unknown][]): void {
  if (Array.isArray(value)) for (const [index, item] of value.entries()) datetimes(item, `${path}/${index}`, out)
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) {
      if (DATETIMES.has(key) && (typeof item === 'string' || typeof item === 'number')) out.push([`${path}/${key}`, item])
      else if (key !== 'authorization_details' && key !== 'enabled_authorization_details') datetimes(item, `${path}/${key}`, out)
    }
}

/** The first page of a CDS API listing as sent, read with the run's Client Admin token (decimals exact). */
async function firstPage(ctx: CheckContext, member: string): Promise<unknown> {
  const url = (await ctx.oauthMetadata())[member]
  if (typeof url !== 'string') ctx.fail(`the metadata has no ${member}`)
  const response = await ctx.request({ url, bearer: await ctx.adminToken() })
  ctx.expectStatus(response, 200)
  return ctx.exactJson(response)
}

/** Fails unless `value` is a JSON integer ≥ 0 (a float or a numeric string is not). */
function expectInteger(ctx: CheckContext, value: unknown, what: string): void {
  ctx.assert(typeof value === 'number' && Number.isInteger(value) && value >= 0, `${what} is ${stringifyJson(value)}, not a JSON integer`)
}

/** The checks of CDS-WG1-02 §2 about the data types of messages. */
export const dataTypeChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-2-05',
    spec: 'CDS-WG1-02',
    section: '§2',
    title: 'every datetime in the Client, Credential, Grant and Message objects is an RFC 3339 date-time',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const found: [string, unknown][] = []
      for (const member of ['cds_clients_api', 'cds_credentials_api', 'cds_grants_api']) datetimes(await firstPage(ctx, member), member, found)
      datetimes(await allMessages(ctx, await ctx.adminToken()), 'cds_messages_api', found)
      ctx.assert(found.length > 0, 'the registration\'s objects show no datetime at all')
      const bad = found.filter(([, value]) => !isDateTime(value))
      ctx.assert(bad.length === 0, `not RFC 3339 date-times: ${bad.slice(0, 5).map(([path, value]) => `${path} = ${JSON.stringify(value)}`).join('; ')}`)
    },
  }),
  defineCheck({
    id: 'R1-02-2-06',
    spec: 'CDS-WG1-02',
    section: '§2',
    title: 'integers are JSON integers (never strings or floats): issue and expiry times, expires_in, max_length, max_size and int limits',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const clients = (await firstPage(ctx, 'cds_clients_api')) as Json
      for (const client of (clients.clients ?? []) as Json[]) expectInteger(ctx, client.client_id_issued_at, `client_id_issued_at of ${String(client.client_id)}`)
      const credentials = (await firstPage(ctx, 'cds_credentials_api')) as Json
      for (const credential of (credentials.credentials ?? []) as Json[])
        if (credential.client_secret_expires_at !== undefined) expectInteger(ctx, credential.client_secret_expires_at, `client_secret_expires_at of ${String(credential.credential_id)}`)
      const { admin } = await ctx.registration()
      const token = await ctx.request({ url: await ctx.endpoint('token_endpoint'), basic: admin, form: { grant_type: 'client_credentials', scope: 'cds_client_admin' } })
      ctx.expectStatus(token, 200)
      expectInteger(ctx, (ctx.exactJson(token) as Json).expires_in, 'expires_in of a token response')
      const asm = await exactAsm(ctx)
      for (const [key, field] of Object.entries(mapOf(asm.cds_registration_fields)))
        for (const member of ['max_length', 'max_size']) if (field[member] !== undefined) expectInteger(ctx, field[member], `${member} of the Registration Field ${key}`)
      for (const [key, description] of Object.entries(mapOf(asm.cds_scope_descriptions)))
        for (const field of fieldsOf(description).filter((f) => f.format === 'int'))
          for (const member of ['maximum', 'minimum']) if (field[member] !== undefined && field[member] !== 'infinite') expectInteger(ctx, field[member], `${member} of the int field ${String(field.id)} of ${key}`)
    },
  }),
  defineCheck({
    id: 'R1-02-2-08',
    spec: 'CDS-WG1-02',
    section: '§2',
    title: 'Base64 (RFC 4648) is read where the spec uses it: a Message attachment or file registration field that is not Base64 is refused, a Base64 one accepted',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const url = await ctx.endpoint('cds_messages_api')
      const token = await metadataAdminToken(ctx)
      const message = (data: string) => ({ type: 'private_message', previous_uri: null, name: 'cds-ts conformance: Base64', description: 'An attachment to check Base64 handling.', attachments: [{ filename: 'pixel.png', mime_type: 'image/png', data }] })
      const refused = await ctx.request({ url, bearer: token, json: message('not*base64!') })
      ctx.assert(refused.status === 400, `a Message attachment that is not Base64 answered ${refused.status}, expected 400`)
      const accepted = await ctx.request({ url, bearer: token, json: message(base64(pngOfSize(0))) })
      ctx.assert(accepted.status === 201, `a Message with a Base64 PNG attachment answered ${accepted.status}: ${accepted.text.slice(0, 200)}`)
      for (const format of ['image', 'pdf']) {
        const fields = (await optional(fieldsOfFormat(ctx, format))) ?? []
        for (const { field, scope } of fields) expectRefusedRegistration(ctx, await registerWith(ctx, scope, { [String(field.field_name)]: '%%% not base64 %%%' }), `${String(field.field_name)} that is not Base64`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-2-09',
    spec: 'CDS-WG1-02',
    section: '§2',
    title: 'the endpoints take their methods only: another method is 405 with an Allow header that lists the right ones',
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      const probes: [string, unknown][] = [
        ['GET', asm.token_endpoint],
        ['GET', asm.registration_endpoint],
        ['PUT', (await ctx.serverMetadata()).oauth_metadata],
        ['DELETE', asm.cds_clients_api],
        ['DELETE', asm.cds_grants_api],
        ['PATCH', asm.cds_messages_api],
      ]
      for (const [method, url] of probes) {
        if (typeof url !== 'string') continue
        const response = await ctx.request({ method, url, ...(method === 'GET' ? {} : { json: {} }) })
        ctx.assert(response.status === 405, `${method} ${url} answered ${response.status}, expected 405`)
        const allow = (response.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase()).filter((m) => m !== '')
        ctx.assert(allow.length > 0 && !allow.includes(method), `${method} ${url} answered 405 with Allow ${JSON.stringify(response.headers.get('allow'))}`)
      }
    },
  }),
]
