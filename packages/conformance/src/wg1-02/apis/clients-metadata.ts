/**
 * CDS-WG1-02 §5.1 and §5.2, the parts that need more than one read: optional members set and read
 * back, `cds_modified` moving, the object's own CDS Server Metadata (public, or narrowed for it
 * through the operator test API), the defaults right after registration and in an authorization
 * request, and what `sandbox` and `disabled` mean.
 *
 * @module
 */
import { ServerMetadata } from '@cds-ts/schema'
import { defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { authorizeWithConsent } from '../../wg3-01/authorization-form/consent.js'
import { clientSamples, currentClient, putClient } from './client-samples.js'
import { optionalMemberProblem } from './clients-format.js'
import { disabledClient } from './clients-status.js'
import { isCodeClient, isDateTime, isUrl, jsonBody, lab, labToken, reserveClient, scopeTokens, tick } from './kit.js'

/** Fetches a metadata document the way §5.1 tells a Client to: without a token, then with the admin token after a 401. */
async function fetchMetadata(ctx: CheckContext, url: string, token: string): Promise<{ body: Json; needsToken: boolean }> {
  const bare = await ctx.request({ url })
  ctx.assert(bare.status === 200 || bare.status === 401, `${bare.request} without a token answered ${bare.status}; only 200 (public) or 401 (a token is needed) are allowed`)
  if (bare.status === 200) return { body: jsonBody(ctx, bare), needsToken: false }
  const authorized = await ctx.request({ url, bearer: token })
  ctx.assert(authorized.status === 200, `${authorized.request} with a cds_client_admin token of the same registration answered ${authorized.status}`)
  return { body: jsonBody(ctx, authorized), needsToken: true }
}

/** Fetches a Client object's CDS Server Metadata and its `oauth_metadata`. */
async function clientMetadata(ctx: CheckContext, client: Json, token: string): Promise<{ cds: Json; asm: Json; needsToken: boolean }> {
  ctx.assert(isUrl(client.cds_server_metadata), `${String(client.client_id)} has cds_server_metadata=${JSON.stringify(client.cds_server_metadata)}`)
  const cds = await fetchMetadata(ctx, client.cds_server_metadata, token)
  ctx.assert(isUrl(cds.body.oauth_metadata), `the CDS Server Metadata at ${client.cds_server_metadata} has no oauth_metadata URL`)
  const asm = await fetchMetadata(ctx, cds.body.oauth_metadata, token)
  return { cds: cds.body, asm: asm.body, needsToken: cds.needsToken || asm.needsToken }
}

/** A Scope Description override made through the operator test API for one lab Client object (R1-02-5.1-14). */
interface Override {
  client: Json
  scope: string
  /** The Scope Description members that were changed, with their new values. */
  changes: Json
}

/** The run's {@link Override}: a new description, and one coverage less when the scope has several. */
function scopeOverride(ctx: CheckContext): Promise<Override> {
  ctx.operator()
  return ctx.once('wg1-02-apis:scope-override', async () => {
    const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
    const { client } = await reserveClient(ctx, 'scope-override', (c) => scopeTokens(c.scope).some((id) => descriptions[id] !== undefined), 'Client object with a described scope')
    const scope = scopeTokens(client.scope).find((id) => descriptions[id] !== undefined) ?? ''
    const coverages = descriptions[scope]?.coverages_supported
    const changes: Json = { description: 'cds-ts conformance: a Scope Description narrowed for one Client object' }
    if (Array.isArray(coverages) && coverages.length > 1) changes.coverages_supported = coverages.slice(0, 1)
    const path = `clients/${encodeURIComponent(String(client.client_id))}/scope-overrides`
    const response = await ctx.operatorRequest(path, { method: 'PUT', json: { scope_overrides: { [scope]: changes } } })
    ctx.expectStatus(response, 200)
    return { client: await currentClient(ctx, await labToken(ctx), client), scope, changes }
  })
}

/** Authorizes a lab code client through the run's browser with the request's own values left out where asked. */
async function consent(ctx: CheckContext, client: Json, credentials: Json | undefined, redirect_uri: string, omit: string[]) {
  if (credentials === undefined) ctx.fail(`the Client object ${String(client.client_id)} has no secret in the Credentials API`)
  return authorizeWithConsent(ctx, {
    credentials: credentials as { client_id: string; client_secret: string },
    client_id: String(client.client_id),
    redirect_uri,
    scope: String(client.cds_default_scope ?? client.scope),
    omit,
  })
}

/** Whether the Authorization Form of a scope can be approved as it comes (no selection to make first). */
async function plainForm(ctx: CheckContext, client: Json): Promise<boolean> {
  const descriptions = ((await ctx.oauthMetadata()).cds_scope_descriptions ?? {}) as Record<string, Json>
  return scopeTokens(client.scope).every((id) => {
    const fields = descriptions[id]?.authorization_details_fields_supported
    return !Array.isArray(fields) || !fields.some((field) => (field as Json).id === 'authorization_form_selection_type' || (field as Json).is_required === true)
  })
}

const sandboxCode = (ctx: CheckContext) => async (client: Json, credentials: unknown) =>
  isCodeClient(client) && client.cds_status === 'sandbox' && credentials !== undefined && (await plainForm(ctx, client))

/** The checks of CDS-WG1-02 §5.1 and §5.2 that need more than the samples. */
export const clientMetadataChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-5.1-05',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'the other RFC 7591 members keep their meaning: client_uri, logo_uri, tos_uri and policy_uri are stored as sent and typed',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const { where, client } of await clientSamples(ctx)) {
        const problem = optionalMemberProblem(client)
        ctx.assert(problem === undefined, `${where} ${String(problem)}`)
      }
      const token = await labToken(ctx)
      const { client } = await reserveClient(ctx, 'rfc7591-members', () => true, 'Client object')
      const urls = { client_uri: 'https://client.example/', logo_uri: 'https://client.example/logo.png', tos_uri: 'https://client.example/tos', policy_uri: 'https://client.example/privacy' }
      const response = await putClient(ctx, token, await currentClient(ctx, token, client), urls)
      const put = jsonBody(ctx, response, [200, 202])
      const after = await currentClient(ctx, token, client)
      // A 202 holds changes for review (§5.5); a 200 has applied them all.
      if (response.status === 200)
        for (const [name, value] of Object.entries(urls)) {
          ctx.assert(put[name] === value, `the PUT response has ${name}=${JSON.stringify(put[name])}, sent ${value}`)
          ctx.assert(after[name] === value, `after a PUT of ${name}=${value} the Client object has ${JSON.stringify(after[name])}`)
        }
      const problem = optionalMemberProblem(after)
      ctx.assert(problem === undefined, `the Client object ${String(problem)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-5.1-07',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'cds_modified is a datetime not before cds_created, and moves forward when a PUT changes the object',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      for (const { where, client } of await clientSamples(ctx)) {
        ctx.assert(isDateTime(client.cds_modified), `${where} has cds_modified=${JSON.stringify(client.cds_modified)}`)
        ctx.assert(Date.parse(client.cds_modified) >= Date.parse(String(client.cds_created)), `${where} has cds_modified ${client.cds_modified} before cds_created ${String(client.cds_created)}`)
      }
      const token = await labToken(ctx)
      const { client } = await reserveClient(ctx, 'modified', () => true, 'Client object')
      const before = await currentClient(ctx, token, client)
      await tick()
      ctx.expectStatus(await putClient(ctx, token, before, { client_name: `cds-ts conformance ${Date.now()}` }), 200)
      const after = await currentClient(ctx, token, client)
      ctx.assert(isDateTime(after.cds_modified) && Date.parse(after.cds_modified) > Date.parse(String(before.cds_modified)), `after a PUT that changed client_name, cds_modified went from ${String(before.cds_modified)} to ${String(after.cds_modified)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-5.1-13',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'cds_server_metadata leads to a CDS Server Metadata document with an oauth_metadata URL',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const done = new Set<string>()
      for (const { client, lab: fromLab } of await clientSamples(ctx)) {
        if (typeof client.cds_server_metadata !== 'string' || done.has(client.cds_server_metadata)) continue
        done.add(client.cds_server_metadata)
        const token = fromLab === true ? await labToken(ctx) : await ctx.adminToken()
        const { cds, asm } = await clientMetadata(ctx, client, token)
        ctx.conforms(ServerMetadata, cds, `the CDS Server Metadata at ${client.cds_server_metadata}`)
        ctx.assert(typeof asm.issuer === 'string', `the oauth_metadata of ${client.cds_server_metadata} has no issuer`)
      }
      ctx.assert(done.size > 0, 'no Client object carries cds_server_metadata')
    },
  }),
  defineCheck({
    id: 'R1-02-5.1-14',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'a Scope Description narrowed for one Client object shows in the metadata its cds_server_metadata leads to',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const override = await scopeOverride(ctx)
      const { asm } = await clientMetadata(ctx, override.client, await labToken(ctx))
      const description = ((asm.cds_scope_descriptions ?? {}) as Record<string, Json>)[override.scope]
      if (description === undefined) ctx.fail(`the Client object's oauth_metadata does not describe its scope ${override.scope}`)
      for (const [name, value] of Object.entries(override.changes))
        ctx.assert(JSON.stringify(description[name]) === JSON.stringify(value), `the Client object's oauth_metadata has ${name}=${JSON.stringify(description[name])} for ${override.scope}, the narrowed value is ${JSON.stringify(value)}`)
      const publicOne = ((await ctx.oauthMetadata()).cds_scope_descriptions as Record<string, Json>)[override.scope]
      ctx.assert(publicOne?.description !== override.changes.description, 'the public Authorization Server Metadata shows the narrowed Scope Description of one Client object')
    },
  }),
  defineCheck({
    id: 'R1-02-5.1-16',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'a cds_server_metadata that needs authentication answers 401 without a token and 200 with a cds_client_admin token',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const done = new Set<string>()
      for (const { client, lab: fromLab } of await clientSamples(ctx)) {
        if (typeof client.cds_server_metadata !== 'string' || done.has(client.cds_server_metadata)) continue
        done.add(client.cds_server_metadata)
        const token = fromLab === true ? await labToken(ctx) : await ctx.adminToken()
        await clientMetadata(ctx, client, token)
      }
      ctx.assert(done.size > 0, 'no Client object carries cds_server_metadata')
      // A Client-specific document (made through the operator test API) is where authentication is likely.
      if (ctx.options.operator !== undefined) await clientMetadata(ctx, (await scopeOverride(ctx)).client, await labToken(ctx))
    },
  }),
  defineCheck({
    id: 'R1-02-5.1-18',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'a Client object with response_types has cds_default_redirect_uri, right after registration the server-made redirect URI',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const fresh = (await lab(ctx)).clients.filter(isCodeClient)
      if (fresh.length === 0) ctx.notApplicable('the registration has no Client object with response_types')
      for (const client of fresh) {
        const uris = Array.isArray(client.redirect_uris) ? client.redirect_uris : []
        ctx.assert(isUrl(client.cds_default_redirect_uri), `${String(client.client_id)} has cds_default_redirect_uri=${JSON.stringify(client.cds_default_redirect_uri)} right after registration`)
        ctx.assert(uris[0] === client.cds_default_redirect_uri, `right after registration ${String(client.client_id)} has cds_default_redirect_uri ${client.cds_default_redirect_uri}, not its server-made redirect URI ${JSON.stringify(uris[0])}`)
      }
      for (const { where, client } of await clientSamples(ctx))
        if (isCodeClient(client)) ctx.assert(isUrl(client.cds_default_redirect_uri), `${where} has response_types but cds_default_redirect_uri=${JSON.stringify(client.cds_default_redirect_uri)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-5.1-19',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'a Client object with response_types has cds_default_authorization_details, [] right after registration',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const fresh = (await lab(ctx)).clients.filter(isCodeClient)
      if (fresh.length === 0) ctx.notApplicable('the registration has no Client object with response_types')
      for (const client of fresh)
        ctx.assert(JSON.stringify(client.cds_default_authorization_details) === '[]', `right after registration ${String(client.client_id)} has cds_default_authorization_details=${JSON.stringify(client.cds_default_authorization_details)}`)
      for (const { where, client } of await clientSamples(ctx))
        if (isCodeClient(client)) ctx.assert(Array.isArray(client.cds_default_authorization_details), `${where} has response_types but cds_default_authorization_details=${JSON.stringify(client.cds_default_authorization_details)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-5.1-20',
    spec: 'CDS-WG1-02',
    section: '§5.1',
    title: 'an authorization request without scope and redirect_uri uses cds_default_scope and cds_default_redirect_uri',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      ctx.customer()
      const token = await labToken(ctx)
      const { client, credentials } = await reserveClient(ctx, 'defaults-flow', sandboxCode(ctx), 'sandbox code-flow Client object with a plain form')
      // A default that is not the first redirect URI, so that only the default can explain the redirect.
      const redirect = 'https://client.example/cds-conformance-default'
      const current = await currentClient(ctx, token, client)
      const uris = [...(current.redirect_uris as string[]), redirect]
      ctx.expectStatus(await putClient(ctx, token, current, { redirect_uris: uris, cds_default_redirect_uri: redirect }), 200)
      const changed = await currentClient(ctx, token, client)
      ctx.assert(changed.cds_default_redirect_uri === redirect, 'the PUT of cds_default_redirect_uri did not apply')
      const result = await consent(ctx, changed, credentials as Json | undefined, redirect, ['scope', 'redirect_uri'])
      ctx.assert(result.redirect.href.startsWith(redirect), `the authorization came back to ${result.redirect.href}, not to cds_default_redirect_uri ${redirect}`)
      const got = scopeTokens(result.tokens.scope).sort().join(' ')
      const expected = scopeTokens(changed.cds_default_scope).sort().join(' ')
      ctx.assert(got === expected, `the token scope is ${JSON.stringify(result.tokens.scope)}, cds_default_scope is ${JSON.stringify(changed.cds_default_scope)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-5.2-03',
    spec: 'CDS-WG1-02',
    section: '§5.2',
    title: 'a sandbox Client object completes the authorization code flow with a test account',
    needs: ['registration', 'customer', 'browser'],
    async run(ctx: CheckContext) {
      ctx.customer()
      // The object the defaults check uses (a sandbox one whose form needs no choice), as it is now.
      const { client, credentials } = await reserveClient(ctx, 'defaults-flow', sandboxCode(ctx), 'sandbox code-flow Client object with a plain form')
      const current = await currentClient(ctx, await labToken(ctx), client)
      ctx.assert(current.cds_status === 'sandbox', `the Client object is ${JSON.stringify(current.cds_status)}, not sandbox`)
      const result = await consent(ctx, current, credentials as Json | undefined, String(current.cds_default_redirect_uri), [])
      ctx.assert(typeof result.tokens.access_token === 'string', 'the sandbox Client object got no access token')
    },
  }),
  defineCheck({
    id: 'R1-02-5.2-04',
    spec: 'CDS-WG1-02',
    section: '§5.2',
    title: 'a disabled Client object gets no token (401 invalid_client) and its tokens stop being active (A-16)',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const disabled = await disabledClient(ctx)
      ctx.assert(disabled.client.cds_status === 'disabled', `after the PUT the Client object has cds_status=${JSON.stringify(disabled.client.cds_status)}`)
      ctx.expectError(disabled.tokenAfter, 401, 'invalid_client')
      if (disabled.activeBefore) ctx.assert(!disabled.activeAfter, 'a token of the Client object is still active after it was disabled')
    },
  }),
]
