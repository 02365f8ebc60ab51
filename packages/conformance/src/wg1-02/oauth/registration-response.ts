/**
 * CDS-WG1-02 §4.2: the registration response and the Client objects, Credentials and sandbox
 * objects a registration creates.
 *
 * @module
 */
import { ClientRegistrationResponse } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { scopeDescriptions, scopeTokens } from './lab.js'
import { registrationProbe } from './registration-probe.js'

const options = (client: Json): unknown[] => (Array.isArray(client.cds_status_options) ? client.cds_status_options : [])
const isCode = (client: Json): boolean => Array.isArray(client.response_types) && client.response_types.length > 0

/** §4.2's fixed members of the registration response, one check each. */
const FIXED: readonly { id: string; member: string; value: unknown; title: string }[] = [
  { id: 'R1-02-4.2-02', member: 'scope', value: 'cds_client_admin', title: 'the registration response has scope exactly "cds_client_admin", whatever was registered' },
  { id: 'R1-02-4.2-03', member: 'redirect_uris', value: [], title: 'the registration response has redirect_uris []' },
  { id: 'R1-02-4.2-04', member: 'response_types', value: [], title: 'the registration response has response_types []' },
  { id: 'R1-02-4.2-05', member: 'grant_types', value: ['client_credentials'], title: 'the registration response has grant_types ["client_credentials"]' },
  { id: 'R1-02-4.2-06', member: 'token_endpoint_auth_method', value: 'client_secret_basic', title: 'the registration response has token_endpoint_auth_method "client_secret_basic"' },
]

/** The checks of CDS-WG1-02 §4.2. */
export const registrationResponseChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-4.2-01',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'a valid registration answers 201 with a Client object (plus client_secret)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      ctx.expectStatus(probe.reply, 201)
      ctx.conforms(ClientRegistrationResponse, probe.response, 'the registration response')
    },
  }),
  ...FIXED.map((row) =>
    defineCheck({
      id: row.id,
      spec: 'CDS-WG1-02',
      section: '§4.2',
      title: row.title,
      needs: ['registration'],
      async run(ctx: CheckContext) {
        const probe = await registrationProbe(ctx)
        const got = probe.response[row.member]
        ctx.assert(JSON.stringify(got) === JSON.stringify(row.value), `the registration response has ${row.member} ${JSON.stringify(got)}, expected ${JSON.stringify(row.value)} (the request asked for ${JSON.stringify(probe.body[row.member])})`)
      },
    }),
  ),
  defineCheck({
    id: 'R1-02-4.2-07',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'the returned client_secret is the secret of a Credential of the returned Client object, and it works at the token endpoint',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const own = probe.credentials.filter((credential) => credential.client_id === probe.response.client_id)
      ctx.assert(own.length > 0, 'the Credentials API lists no Credential of the returned Client object')
      ctx.assert(
        own.some((credential) => credential.client_secret === probe.response.client_secret),
        'no Credential of the returned Client object has the returned client_secret',
      )
      // The secret authenticates the returned Client object (RFC 6749 §2.3.1).
      await ctx.clientToken(probe.registration.admin, 'cds_client_admin')
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-08',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'the returned Client object exists on the Clients API with scope "cds_client_admin"',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const url = new URL(String((await ctx.oauthMetadata()).cds_clients_api))
      url.searchParams.set('client_ids', String(probe.response.client_id))
      const response = await ctx.request({ url, bearer: probe.token })
      ctx.expectStatus(response, 200)
      const clients = (response.json<Json>().clients ?? []) as Json[]
      ctx.assert(clients.length === 1, `the Clients API lists ${clients.length} objects for client_ids=${String(probe.response.client_id)}`)
      ctx.assert(clients[0]?.scope === 'cds_client_admin', `the returned Client object has scope ${JSON.stringify(clients[0]?.scope)} on the Clients API`)
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-09',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'every requested scope is held by some Client object of the registration',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const held = new Set(probe.registration.clients.flatMap((client) => scopeTokens(client.scope)))
      const missing = probe.requested.filter((scope) => !held.has(scope))
      ctx.assert(missing.length === 0, `no Client object of the registration holds ${missing.join(', ')}`)
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-11',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'a registered scope with a grant_admin_scope gets a Client object holding that Grant Admin scope, even when it was not requested',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const descriptions = await scopeDescriptions(ctx)
      const needed = new Set(probe.requested.map((scope) => descriptions[scope]?.grant_admin_scope).filter((id): id is string => typeof id === 'string'))
      if (needed.size === 0) ctx.notApplicable('no requested scope names a grant_admin_scope')
      const held = new Set(probe.registration.clients.flatMap((client) => scopeTokens(client.scope)))
      for (const id of needed) {
        ctx.assert(!probe.requested.includes(id), `the suite asked for ${id} itself; the check needs a registration that does not`)
        ctx.assert(held.has(id), `no Client object holds the Grant Admin scope ${id}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-12',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'every Client object with a token_endpoint_auth_method has at least one Credential',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const withCredential = new Set(probe.credentials.map((credential) => credential.client_id))
      for (const client of probe.registration.clients) {
        if (client.token_endpoint_auth_method === null || client.token_endpoint_auth_method === undefined) continue
        ctx.assert(withCredential.has(client.client_id), `the Client object ${String(client.client_id)} (${String(client.scope)}) has no Credential`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-13',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'a Client object with response_types gets one server-created default redirect URI, its only one',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const code = probe.registration.clients.filter(isCode)
      if (code.length === 0) ctx.notApplicable('no registered scope offers a response type')
      for (const client of code) {
        const uris = (Array.isArray(client.redirect_uris) ? client.redirect_uris : []) as unknown[]
        ctx.assert(uris.length === 1 && typeof uris[0] === 'string', `the Client object ${String(client.client_id)} has redirect_uris ${JSON.stringify(uris)}, expected one server default`)
        ctx.assert(ctx.isSecureUrl(uris[0]), `the default redirect URI ${uris[0]} is not an https URL`)
        if (typeof client.cds_default_redirect_uri === 'string')
          ctx.assert(client.cds_default_redirect_uri === uris[0], `cds_default_redirect_uri ${client.cds_default_redirect_uri} is not the registered redirect URI`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-16',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'each registered scope with response types has a Client object with "sandbox" in cds_status_options',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const descriptions = await scopeDescriptions(ctx)
      const codeScopes = probe.requested.filter((scope) => ((descriptions[scope]?.response_types_supported ?? []) as unknown[]).length > 0)
      if (codeScopes.length === 0) ctx.notApplicable('no registered scope offers a response type')
      for (const scope of codeScopes) {
        const sandbox = probe.registration.clients.find((client) => scopeTokens(client.scope).includes(scope) && options(client).includes('sandbox'))
        ctx.assert(sandbox !== undefined, `no Client object holding ${scope} has "sandbox" in cds_status_options`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-18',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'an approved production request creates a new production Client object and leaves the sandbox object as it was',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      ctx.operator()
      const probe = await registrationProbe(ctx)
      const sandbox = probe.registration.clients.find((client) => options(client).includes('sandbox'))
      if (sandbox === undefined) ctx.notApplicable('the registration has no sandbox Client object')
      const asm = await ctx.oauthMetadata()
      const request = await ctx.request({
        url: String(asm.cds_messages_api),
        bearer: probe.token,
        json: { type: 'production_request', previous_uri: null, name: 'Production access', description: 'Conformance suite: please approve.', related_uri: sandbox.cds_client_uri },
      })
      ctx.expectStatus(request, 201)
      const approval = await ctx.operatorRequest(`messages/${encodeURIComponent(String(request.json<Json>().message_id))}/approve-production`, { json: {} })
      ctx.assert(approval.status >= 200 && approval.status < 300, `the operator approval answered ${approval.status}: ${approval.text.slice(0, 200)}`)
      const before = new Set(probe.registration.clients.map((client) => client.client_id))
      const after: Json[] = []
      const url = new URL(String(asm.cds_clients_api))
      const list = await ctx.request({ url, bearer: probe.token })
      ctx.expectStatus(list, 200)
      after.push(...((list.json<Json>().clients ?? []) as Json[]))
      const created = after.filter((client) => !before.has(client.client_id) && options(client).includes('production'))
      ctx.assert(created.length > 0, 'no new Client object with "production" in cds_status_options appeared after the approval')
      const kept = after.find((client) => client.client_id === sandbox.client_id)
      ctx.assert(kept !== undefined, 'the sandbox Client object is gone after the approval')
      ctx.assert(JSON.stringify(options(kept)) === JSON.stringify(options(sandbox)), `the sandbox Client object's cds_status_options changed to ${JSON.stringify(kept.cds_status_options)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-19',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'no Client object has both "production" and "sandbox" in cds_status_options',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const shared = await ctx.registration()
      for (const client of [...probe.registration.clients, ...shared.clients]) {
        const opts = options(client)
        ctx.assert(!(opts.includes('production') && opts.includes('sandbox')), `the Client object ${String(client.client_id)} has cds_status_options ${JSON.stringify(opts)}`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-4.2-21',
    spec: 'CDS-WG1-02',
    section: '§4.2',
    title: 'the server publishes cds_clients_api and it lists the registration\'s Client objects',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      ctx.assert(typeof asm.cds_clients_api === 'string' && ctx.isSecureUrl(asm.cds_clients_api), `cds_clients_api is ${JSON.stringify(asm.cds_clients_api)}`)
      const probe = await registrationProbe(ctx)
      ctx.assert(
        probe.registration.clients.some((client) => client.client_id === probe.response.client_id),
        'the Clients API does not list the registered cds_client_admin Client object',
      )
    },
  }),
]
