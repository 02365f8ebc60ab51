/**
 * CDS-WG1-02 §10 (extensions keep what is required) and §11 (security: TLS, open registration for
 * scripted clients, bearer tokens in the header only, no human-only tests on any endpoint).
 *
 * @module
 */
import { connect } from 'node:tls'
import { AuthorizationServerMetadata, Client, ClientRegistrationResponse, Grant, ScopeDescription } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { asIfHttps, labAdminToken, scopeDescriptions } from '../oauth/lab.js'
import { postRegistration, registrationProbe, SCRIPTED_USER_AGENT } from '../oauth/registration-probe.js'
import { allGrants } from './lab.js'

/** Text that betrays a human-only test (CAPTCHA or bot challenge). */
const CHALLENGE = /captcha|recaptcha|hcaptcha|turnstile|cf-chl|challenge-platform|are you (a )?(robot|human)|verify (that )?you are (a )?human|bot detection/i

/** Whether a TLS 1.0/1.1-only handshake with the host succeeds. */
function oldTlsAccepted(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 443), servername: url.hostname, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0', rejectUnauthorized: false }, () => {
      socket.end()
      resolve(true)
    })
    socket.setTimeout(5000, () => {
      socket.destroy()
      resolve(false)
    })
    socket.on('error', () => {
      resolve(false)
    })
  })
}

/** The URL members of the Authorization Server Metadata. */
async function metadataUrls(ctx: CheckContext): Promise<[string, string][]> {
  const asm = await ctx.oauthMetadata()
  return Object.entries(asm).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(entry[1]))
}

/** Fails when a response looks like a human-only test. */
function expectNoChallenge(ctx: CheckContext, response: HttpResponse, what: string, json: boolean): void {
  ctx.assert(!CHALLENGE.test(response.text), `${what}: the answer looks like a human-only test (CAPTCHA or bot challenge)`)
  ctx.assert(response.status < 500, `${what}: the answer is ${response.status}`)
  if (json && response.text !== '') ctx.assert(response.mediaType.endsWith('json'), `${what}: the answer is ${response.mediaType || 'untyped'}, not JSON`)
}

/** The checks of CDS-WG1-02 §10 and §11. */
export const securityChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-10-02',
    spec: 'CDS-WG1-02',
    section: '§10',
    title: 'the server\'s extensions remove nothing required: metadata, Scope Descriptions, the registration response, Client objects and Grants keep every required member',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      ctx.conforms(AuthorizationServerMetadata, asIfHttps(ctx, await ctx.oauthMetadata()), 'the Authorization Server Metadata')
      for (const [id, description] of Object.entries(await scopeDescriptions(ctx))) ctx.conforms(ScopeDescription, description, `the Scope Description ${id}`)
      const probe = await registrationProbe(ctx)
      ctx.conforms(ClientRegistrationResponse, probe.response, 'the registration response')
      for (const client of probe.registration.clients) ctx.conforms(Client, client, `the Client object ${String(client.client_id)}`)
      for (const grant of await allGrants(ctx)) ctx.conforms(Grant, grant, `the Grant ${String(grant.grant_id)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-11-01',
    spec: 'CDS-WG1-02',
    section: '§11',
    title: 'every endpoint of the metadata is https, TLS 1.0/1.1 is refused and plain http gives no data',
    async run(ctx: CheckContext) {
      const urls = await metadataUrls(ctx)
      for (const [name, url] of urls) ctx.assert(ctx.isSecureUrl(url), `${name} is ${url}, not an https URL`)
      const base = new URL(ctx.baseUrl)
      if (base.protocol !== 'https:') return
      ctx.assert(!(await oldTlsAccepted(base)), `${base.host} completes a TLS 1.1 handshake`)
      // Plain http is refused or redirected; no credentials are sent over it.
      const plain = new URL(String((await ctx.serverMetadata()).oauth_metadata))
      plain.protocol = 'http:'
      plain.port = ''
      const answer = await ctx.request({ url: plain }).catch(() => undefined)
      if (answer !== undefined) ctx.assert(answer.status < 200 || answer.status >= 300, `plain http answered ${answer.status} on ${plain.href}`)
    },
  }),
  defineCheck({
    id: 'R1-02-11.2-01',
    spec: 'CDS-WG1-02',
    section: '§11.2',
    title: 'a scripted client (plain User-Agent, no cookies, no JavaScript) gets the metadata (200) and registers (201) without a bot challenge',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const url = (await ctx.serverMetadata()).oauth_metadata
      const metadata = await ctx.request({ url: String(url), headers: { 'user-agent': SCRIPTED_USER_AGENT } })
      ctx.expectStatus(metadata, 200)
      expectNoChallenge(ctx, metadata, 'the metadata', true)
      const probe = await registrationProbe(ctx)
      ctx.expectStatus(probe.reply, 201)
      expectNoChallenge(ctx, probe.reply, 'the registration', true)
    },
  }),
  defineCheck({
    id: 'R1-02-11.2-02',
    spec: 'CDS-WG1-02',
    section: '§11.2',
    title: 'with public CDS Server Metadata, the Authorization Server Metadata and the registration endpoint are public too',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      await ctx.serverMetadata()
      const asm = await ctx.request({ url: String((await ctx.serverMetadata()).oauth_metadata) })
      ctx.assert(asm.status === 200, `the Authorization Server Metadata answered ${asm.status} without credentials`)
      // The probe registered with no initial access token and no Authorization header.
      const probe = await registrationProbe(ctx)
      ctx.expectStatus(probe.reply, 201)
    },
  }),
  defineCheck({
    id: 'R1-02-11.2-03',
    spec: 'CDS-WG1-02',
    section: '§11.2',
    title: 'a restricted registration endpoint asks for a well-established authentication',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const response = await postRegistration(ctx, { client_name: 'conformance', scope: 'cds_client_admin cds-conformance-no-such-scope' })
      if (response.status !== 401 && response.status !== 403) ctx.notApplicable(`the registration endpoint is open (it answered ${response.status} without credentials)`)
      const scheme = response.headers.get('www-authenticate')?.trim().split(/\s+/)[0]?.toLowerCase()
      ctx.assert(scheme !== undefined && ['bearer', 'basic', 'dpop'].includes(scheme), `a restricted registration endpoint answers ${response.status} without a well-established challenge`)
    },
  }),
  defineCheck({
    id: 'R1-02-11.2-04',
    spec: 'CDS-WG1-02',
    section: '§11.2 (RFC 6750 §2.1)',
    title: 'the CDS APIs take the token in the Authorization header, not in the query or a form body',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const token = await labAdminToken(ctx)
      const asm = await ctx.oauthMetadata()
      for (const name of ['cds_clients_api', 'cds_grants_api', 'cds_credentials_api', 'cds_messages_api']) {
        if (typeof asm[name] !== 'string') continue
        ctx.expectStatus(await ctx.request({ url: asm[name], bearer: token }), 200)
        const query = new URL(asm[name])
        query.searchParams.set('access_token', token)
        const inQuery = await ctx.request({ url: query })
        ctx.assert(inQuery.status === 401, `${name} answered ${inQuery.status} to a token in the query, expected 401`)
      }
      const body = await ctx.request({ url: String(asm.cds_messages_api), form: { access_token: token } })
      ctx.assert(body.status === 401, `the Messages API answered ${body.status} to a token in a form body, expected 401`)
    },
  }),
  defineCheck({
    id: 'R1-02-11.4-01',
    spec: 'CDS-WG1-02',
    section: '§11.4',
    title: 'no endpoint answers scripted calls with a human-only test',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const asm = await ctx.oauthMetadata()
      const { admin } = await ctx.registration()
      const token = await labAdminToken(ctx)
      const form = { grant_type: 'client_credentials', token: 'cds-conformance-not-a-token' }
      for (const name of ['token_endpoint', 'pushed_authorization_request_endpoint', 'introspection_endpoint', 'revocation_endpoint']) {
        if (typeof asm[name] !== 'string') continue
        expectNoChallenge(ctx, await ctx.request({ url: asm[name], form }), `${name} without credentials`, true)
        expectNoChallenge(ctx, await ctx.request({ url: asm[name], basic: admin, form }), `${name} with credentials`, true)
      }
      expectNoChallenge(ctx, await postRegistration(ctx, { scope: 'cds_client_admin cds-conformance-no-such-scope' }), 'the registration endpoint', true)
      for (const [name, url] of Object.entries(asm)) {
        if (!name.endsWith('_api') || typeof url !== 'string') continue
        expectNoChallenge(ctx, await ctx.request({ url }), `${name} without a token`, true)
        expectNoChallenge(ctx, await ctx.request({ url, bearer: token }), `${name} with a token`, true)
      }
      if (typeof asm.authorization_endpoint === 'string') expectNoChallenge(ctx, await ctx.request({ url: `${asm.authorization_endpoint}?client_id=cds-conformance-unknown` }), 'the authorization endpoint', false)
    },
  }),
]
