/**
 * RFC 7591 (Dynamic Client Registration) and RFC 7592 (its management protocol) as CDS-WG1-02
 * §4 and §5.5 use them: the 201 client information response, the metadata the server overrides,
 * the error codes, and the full-replacement semantics of a Client object PUT.
 *
 * @module
 */
import { Client } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { scopeDescriptions, scopeTokens } from './lab.js'
import { RFC7591_ERRORS } from './registration.js'
import { postRegistration, registrationProbe } from './registration-probe.js'

/** The members CDS makes always present on a Client object (catalog RFC7591-06, F10). */
const ALWAYS_PRESENT = ['client_id', 'client_id_issued_at', 'scope', 'redirect_uris', 'token_endpoint_auth_method', 'grant_types', 'response_types', 'client_name', 'contacts'] as const

/** A Client object of the probe registration the suite may change (not the admin one). */
async function changeableClient(ctx: CheckContext): Promise<{ client: Json; token: string }> {
  const probe = await registrationProbe(ctx)
  const descriptions = await scopeDescriptions(ctx)
  // A direct-access object (client credentials with its scope alone, not Grant Admin) with a known
  // secret, so that its secret can be tried at the token endpoint.
  const client = probe.registration.clients.find(
    (c) =>
      c.client_id !== probe.response.client_id &&
      typeof c.cds_client_uri === 'string' &&
      probe.registration.secrets.has(String(c.client_id)) &&
      Array.isArray(c.grant_types) &&
      c.grant_types.includes('client_credentials') &&
      scopeTokens(c.scope).every((id) => descriptions[id]?.type !== 'cds_grant_admin'),
  )
  if (client === undefined) ctx.notApplicable('the registration created no Client object besides the admin one')
  return { client, token: probe.token }
}

/** The Client object as the Clients API shows it now. */
async function current(ctx: CheckContext, client: Json, token: string): Promise<Json> {
  const response = await ctx.request({ url: String(client.cds_client_uri), bearer: token })
  ctx.expectStatus(response, 200)
  return response.json<Json>()
}

/** PUTs a Client object (RFC 7592 §2.2 as CDS-WG1-02 §5.5 uses it). */
async function put(ctx: CheckContext, client: Json, token: string, body: Json) {
  return ctx.request({ method: 'PUT', url: String(client.cds_client_uri), bearer: token, json: body })
}

/** The checks of RFC 7591 and RFC 7592 in the CDS profile. */
export const clientMetadataChecks: readonly Check[] = [
  defineCheck({
    id: 'RFC7591-02',
    spec: 'CDS-WG1-02',
    section: '§4.2 (RFC 7591 §3.2.1)',
    title: 'a successful registration is 201 JSON with client_id, client_secret, client_id_issued_at and the registered metadata',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      ctx.expectStatus(probe.reply, 201)
      ctx.assert(probe.reply.mediaType === 'application/json', `the response is ${probe.reply.mediaType || 'untyped'}`)
      const body = probe.response
      ctx.assert(typeof body.client_id === 'string' && body.client_id !== '', 'client_id is missing')
      ctx.assert(typeof body.client_secret === 'string' && body.client_secret !== '', 'client_secret is missing')
      ctx.assert(Number.isInteger(body.client_id_issued_at), 'client_id_issued_at is not an integer')
      const now = Date.now() / 1000
      ctx.assert(Math.abs(Number(body.client_id_issued_at) - now) < 24 * 3600, `client_id_issued_at ${String(body.client_id_issued_at)} is not the time of the registration`)
      ctx.assert(body.client_name === probe.body.client_name, `client_name ${JSON.stringify(body.client_name)} is not the registered ${JSON.stringify(probe.body.client_name)}`)
      ctx.assert(JSON.stringify(body.contacts) === JSON.stringify(probe.body.contacts), `contacts ${JSON.stringify(body.contacts)} are not the registered ones`)
    },
  }),
  defineCheck({
    id: 'RFC7591-03',
    spec: 'CDS-WG1-02',
    section: '§4.2, §5.1 (RFC 7591 §3.2.1, A-05)',
    title: 'client_secret_expires_at is never on a Client object; when the registration response carries it, it is the Credential\'s expiry',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      for (const client of probe.registration.clients) ctx.assert(!('client_secret_expires_at' in client), `the Client object ${String(client.client_id)} carries client_secret_expires_at`)
      const stored = await current(ctx, probe.response, probe.token)
      ctx.assert(!('client_secret' in stored) && !('client_secret_expires_at' in stored), 'the Clients API shows the admin object with its secret or expiry')
      // RFC 7591 asks for the member beside an issued secret; CDS keeps expiries on the Credentials API.
      if (!('client_secret_expires_at' in probe.response)) return
      const credential = probe.credentials.find((c) => c.client_id === probe.response.client_id && c.client_secret === probe.response.client_secret)
      ctx.assert(credential !== undefined, 'no Credential has the returned secret')
      ctx.assert(
        probe.response.client_secret_expires_at === credential.client_secret_expires_at,
        `the response's client_secret_expires_at ${String(probe.response.client_secret_expires_at)} differs from the Credential's ${String(credential.client_secret_expires_at)}`,
      )
    },
  }),
  defineCheck({
    id: 'RFC7591-04',
    spec: 'CDS-WG1-02',
    section: '§4.1 (RFC 7591 §3.2.2)',
    title: 'registration errors are 400 JSON with an RFC 7591 error code (invalid_client_metadata for bad scopes and fields)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const cases: [string, unknown][] = [
        ['no scope at all', { client_name: 'conformance' }],
        ['a scope that is not a string', { client_name: 'conformance', scope: 42 }],
        ['an unknown scope', { client_name: 'conformance', scope: 'cds_client_admin cds-conformance-no-such-scope' }],
        ['client_name that is not a string', { client_name: ['x'], scope: 'cds_client_admin' }],
      ]
      for (const [what, body] of cases) {
        const response = await postRegistration(ctx, body)
        ctx.assert(response.status === 400, `${what}: the registration answered ${response.status}: ${response.text.slice(0, 200)}`)
        const error = response.json<Json>().error
        ctx.assert(typeof error === 'string' && (RFC7591_ERRORS as readonly string[]).includes(error), `${what}: error=${JSON.stringify(error)} is not an RFC 7591 §3.2.2 code`)
      }
    },
  }),
  defineCheck({
    id: 'RFC7591-05',
    spec: 'CDS-WG1-02',
    section: '§4.2 (RFC 7591 §3.2.1)',
    title: 'the server replaces the submitted redirect_uris, grant_types, response_types, token_endpoint_auth_method and scope with its own',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const overridden: [string, unknown][] = [
        ['redirect_uris', []],
        ['grant_types', ['client_credentials']],
        ['response_types', []],
        ['token_endpoint_auth_method', 'client_secret_basic'],
        ['scope', 'cds_client_admin'],
      ]
      for (const [member, expected] of overridden) {
        ctx.assert(JSON.stringify(probe.body[member]) !== JSON.stringify(expected), `the probe did not submit a different ${member}`)
        ctx.assert(JSON.stringify(probe.response[member]) === JSON.stringify(expected), `${member} is ${JSON.stringify(probe.response[member])}: the submitted ${JSON.stringify(probe.body[member])} was not replaced by ${JSON.stringify(expected)}`)
      }
    },
  }),
  defineCheck({
    id: 'RFC7591-06',
    spec: 'CDS-WG1-02',
    section: '§5.1 (RFC 7591 §2)',
    title: 'every Client object carries the RFC 7591 metadata CDS makes always present, with RFC 7591 meanings',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      for (const client of probe.registration.clients) {
        const missing = ALWAYS_PRESENT.filter((member) => !(member in client))
        ctx.assert(missing.length === 0, `the Client object ${String(client.client_id)} lacks ${missing.join(', ')}`)
        ctx.conforms(Client, client, `the Client object ${String(client.client_id)}`)
        const method = client.token_endpoint_auth_method
        ctx.assert(method === null || (typeof method === 'string' && ['none', 'client_secret_post', 'client_secret_basic'].includes(method)), `token_endpoint_auth_method ${JSON.stringify(method)} is not an RFC 7591 §2 value`)
      }
    },
  }),
  defineCheck({
    id: 'RFC7592-01',
    spec: 'CDS-WG1-02',
    section: '§5.5 (RFC 7592 §2.2)',
    title: 'a Client object PUT replaces the whole object: omitted client_name and contacts go back to their defaults',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { client, token } = await changeableClient(ctx)
      const set = await put(ctx, client, token, { ...(await current(ctx, client, token)), client_name: 'Conformance renamed', contacts: ['renamed@conformance.example'] })
      ctx.expectStatus(set, 200)
      const body: Json = { ...(await current(ctx, client, token)) }
      ctx.assert(body.client_name === 'Conformance renamed', 'the PUT did not set client_name')
      delete body.client_name
      delete body.contacts
      const reset = await put(ctx, client, token, body)
      ctx.expectStatus(reset, 200)
      const after = await current(ctx, client, token)
      ctx.assert(after.client_name === after.client_id, `client_name is ${JSON.stringify(after.client_name)} after a PUT without it, expected the default (the client_id)`)
      ctx.assert(JSON.stringify(after.contacts) === '[]', `contacts are ${JSON.stringify(after.contacts)} after a PUT without them, expected []`)
    },
  }),
  defineCheck({
    id: 'RFC7592-02',
    spec: 'CDS-WG1-02',
    section: '§5.5 (RFC 7592 §2.2)',
    title: 'a client_secret in a PUT never changes the secret (400, or ignored)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { client, token } = await changeableClient(ctx)
      const probe = await registrationProbe(ctx)
      const known = probe.registration.secrets.get(String(client.client_id))
      const response = await put(ctx, client, token, { ...(await current(ctx, client, token)), client_secret: 'conformance-chosen-secret-0123456789abcdef' })
      ctx.expectStatus(response, [200, 400])
      const chosen = await ctx.request({
        url: await ctx.endpoint('token_endpoint'),
        basic: { client_id: String(client.client_id), client_secret: 'conformance-chosen-secret-0123456789abcdef' },
        form: { grant_type: 'client_credentials' },
      })
      ctx.expectError(chosen, 401, 'invalid_client')
      if (known !== undefined) {
        // The secret the server issued still authenticates the object (at the introspection endpoint, which any Client object may call).
        ctx.expectStatus(await ctx.request({ url: await ctx.endpoint('introspection_endpoint'), basic: known, form: { token: 'cds-conformance-not-a-token' } }), 200)
        const listed = await ctx.request({ url: `${String((await ctx.oauthMetadata()).cds_credentials_api)}?client_ids=${encodeURIComponent(String(client.client_id))}`, bearer: token })
        ctx.expectStatus(listed, 200)
        const secrets = ((listed.json<Json>().credentials ?? []) as Json[]).map((c) => c.client_secret)
        ctx.assert(secrets.includes(known.client_secret), 'the Client object\'s secret changed after the PUT')
        ctx.assert(!secrets.includes('conformance-chosen-secret-0123456789abcdef'), 'the PUT installed the chosen secret')
      }
    },
  }),
  defineCheck({
    id: 'RFC7592-03',
    spec: 'CDS-WG1-02',
    section: '§4.2, §5.4 (RFC 7592 §2)',
    title: 'when the registration returns registration_client_uri and registration_access_token, that token reads and updates the Client object there',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const probe = await registrationProbe(ctx)
      const uri = probe.response.registration_client_uri
      const token = probe.response.registration_access_token
      if (typeof uri !== 'string' || typeof token !== 'string') ctx.notApplicable('the server does not offer RFC 7592 (no registration_client_uri and registration_access_token)')
      ctx.assert(uri === probe.response.cds_client_uri, `registration_client_uri ${uri} is not cds_client_uri`)
      const read = await ctx.request({ url: uri, bearer: token })
      ctx.expectStatus(read, 200)
      const update = await ctx.request({ method: 'PUT', url: uri, bearer: token, json: read.json<Json>() })
      ctx.expectStatus(update, [200, 202])
    },
  }),
]
