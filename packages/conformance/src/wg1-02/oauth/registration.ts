/**
 * CDS-WG1-02 §4 and §4.1: the registration request (RFC 7591 §3.1) and what the server does with
 * the members a Client sends.
 *
 * @module
 */
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { registrationBody } from '../../core/registration.js'
import { scopeDescriptions } from './lab.js'
import { ATTACKER_REDIRECT, postRegistration, registrationProbe } from './registration-probe.js'

/** The error codes of RFC 7591 §3.2.2. */
export const RFC7591_ERRORS = ['invalid_redirect_uri', 'invalid_client_metadata', 'invalid_software_statement', 'unapproved_software_statement'] as const

/** Fails unless `response` is a 400 RFC 7591 error (JSON, `error` one of the registered codes). */
function expectRegistrationError(ctx: CheckContext, response: Awaited<ReturnType<typeof postRegistration>>, what: string, codes: readonly string[] = RFC7591_ERRORS): void {
  ctx.assert(response.status === 400, `${what}: the registration answered ${response.status}, expected 400: ${response.text.slice(0, 200)}`)
  ctx.assert(response.mediaType === 'application/json', `${what}: the error body is ${response.mediaType || 'untyped'}, not JSON`)
  const body = response.json<Json>()
  ctx.assert(typeof body.error === 'string' && codes.includes(body.error), `${what}: error=${JSON.stringify(body.error)}, expected ${codes.join(' or ')}`)
  if (body.error_description !== undefined) ctx.assert(typeof body.error_description === 'string', `${what}: error_description is not a string`)
}

/** A registration-field requirement of an offered scope that has no default (so it is required), with a format the suite can fill. */
async function requiredField(ctx: CheckContext): Promise<{ scope: string; field_name: string } | undefined> {
  const asm = await ctx.oauthMetadata()
  const fields = (asm.cds_registration_fields ?? {}) as Record<string, Json>
  for (const [scope, description] of Object.entries(await scopeDescriptions(ctx))) {
    if (description.type === 'cds_grant_admin') continue
    for (const id of (description.registration_requirements ?? []) as string[]) {
      const field = fields[id]
      if (field === undefined || 'default' in field || typeof field.field_name !== 'string') continue
      if (['string', 'email', 'url', 'phone'].includes(String(field.format))) return { scope, field_name: field.field_name }
    }
  }
  return undefined
}

/** The checks of CDS-WG1-02 §4 and §4.1. */
export const registrationRequestChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-4-01',
    spec: 'CDS-WG1-02',
    section: '§4',
    title: 'registration follows RFC 7591: a POST to registration_endpoint answers client information (201) or an RFC 7591 error (400)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      ctx.assert(typeof probe.response.client_id === 'string', 'the client information response has no client_id')
      const refused = await postRegistration(ctx, { client_name: 'conformance', scope: 'cds_client_admin cds-conformance-no-such-scope' })
      expectRegistrationError(ctx, refused, 'a registration asking for an unknown scope')
    },
  }),
  defineCheck({
    id: 'R1-02-4.1-01',
    also: ['RFC7591-01'],
    spec: 'CDS-WG1-02',
    section: '§4.1',
    title: 'a registration request is a POST of a JSON object (Content-Type: application/json) and is accepted',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      ctx.expectStatus(probe.reply, 201)
      ctx.assert(probe.reply.mediaType === 'application/json', `the registration response is ${probe.reply.mediaType || 'untyped'}, not application/json`)
    },
  }),
  defineCheck({
    id: 'R1-02-4.1-03',
    spec: 'CDS-WG1-02',
    section: '§4.1',
    title: 'a registration without cds_client_admin is not treated as a CDS registration (refused with invalid_client_metadata, A-15)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const offered = Object.keys(await scopeDescriptions(ctx)).find((id) => id !== 'cds_client_admin')
      if (offered === undefined) ctx.notApplicable('the server offers no scope besides cds_client_admin')
      const body = await registrationBody(ctx, offered)
      body.scope = offered
      const response = await postRegistration(ctx, body)
      if (response.status === 201) {
        // Accepted as a non-CDS registration: it must not be a CDS client-admin registration.
        const created = response.json<Json>()
        ctx.assert(created.scope !== 'cds_client_admin', 'a registration without cds_client_admin was answered with a cds_client_admin Client object')
        ctx.fail('a registration without cds_client_admin was accepted; the reference interpretation (A-15) refuses it with invalid_client_metadata')
      }
      expectRegistrationError(ctx, response, `a registration asking for ${offered} without cds_client_admin`, ['invalid_client_metadata'])
    },
  }),
  defineCheck({
    id: 'R1-02-4.1-05',
    spec: 'CDS-WG1-02',
    section: '§4.1',
    title: 'scopes outside cds_scope_descriptions requested with CDS scopes give 400',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      const described = new Set(Object.keys(await scopeDescriptions(ctx)))
      const undescribed = ((asm.scopes_supported ?? []) as string[]).filter((id) => !described.has(id))
      for (const outside of ['cds-conformance-no-such-scope', ...undescribed]) {
        const response = await postRegistration(ctx, { client_name: 'conformance', scope: `cds_client_admin ${outside}` })
        expectRegistrationError(ctx, response, `a registration asking for cds_client_admin and ${outside}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-4.1-06',
    spec: 'CDS-WG1-02',
    section: '§4.1',
    title: 'registration field values sent as top-level members named by field_name are read (accepted with them, refused without a required one)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const field = await requiredField(ctx)
      if (field === undefined) ctx.notApplicable('no offered scope requires a registration field the suite can fill')
      const body = await registrationBody(ctx, `cds_client_admin ${field.scope}`)
      ctx.assert(field.field_name in body, `the suite's registration body has no ${field.field_name}`)
      const accepted = await postRegistration(ctx, body)
      ctx.assert(accepted.status === 201, `a registration with ${field.field_name} answered ${accepted.status}: ${accepted.text.slice(0, 200)}`)
      const without: Json = { ...body }
      delete without[field.field_name]
      const refused = await postRegistration(ctx, without)
      expectRegistrationError(ctx, refused, `a registration of ${field.scope} without its required ${field.field_name}`, ['invalid_client_metadata'])
    },
  }),
  defineCheck({
    id: 'R1-02-4.1-07',
    spec: 'CDS-WG1-02',
    section: '§4.1',
    title: 'submitted redirect_uris are ignored: the response has [] and no Client object carries the submitted URI',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      ctx.assert(Array.isArray(probe.response.redirect_uris) && probe.response.redirect_uris.length === 0, `the response has redirect_uris ${JSON.stringify(probe.response.redirect_uris)}`)
      for (const client of probe.registration.clients) {
        const uris = JSON.stringify([client.redirect_uris, client.cds_default_redirect_uri])
        ctx.assert(!uris.includes(ATTACKER_REDIRECT), `the Client object ${String(client.client_id)} (${String(client.scope)}) carries the submitted redirect URI`)
      }
    },
  }),
]
