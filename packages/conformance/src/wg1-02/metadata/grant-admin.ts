/**
 * CDS-WG1-02 §3.3.2 and §3.3.3 as the server behaves: Grant Admin tokens (when they are issued and
 * when they are refused), server-created files Grants, and RAR `type` as the scope id (§3.4).
 * The Grants come from the OAuth checks' registration (`labRegistration`).
 *
 * @module
 */
import { CheckNotApplicable, defineCheck, type Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { listAll } from '../../core/registration.js'
import { grantAdminFor, grantAdminRequest, grantAdminToken, operatorGrant, operatorGrantStatus } from '../oauth/flows.js'
import { introspect, labAdminToken, labCodeClient, labRegistration, scopeTokens, tokenRequest } from '../oauth/lab.js'
import { administeredGrant } from '../oauth/rar.js'
import { descriptions, descriptionsOfType, same } from './kit.js'

/** The error codes a refused Grant Admin request may carry (the catalog recommends the first). */
const REFUSED = ['invalid_authorization_details', 'invalid_grant', 'invalid_request', 'invalid_scope', 'unauthorized_client'] as const

/** Fails unless a Grant Admin request was refused: 400, one of {@link REFUSED}, no token. */
function expectNoToken(ctx: CheckContext, response: HttpResponse, what: string): void {
  const body = response.mediaType.endsWith('json') ? response.json<Json>() : {}
  ctx.assert(response.status === 400 && REFUSED.includes(body.error as (typeof REFUSED)[number]) && body.access_token === undefined, `${what}: ${response.request} answered ${response.status} ${response.text.slice(0, 200)}, expected 400 invalid_authorization_details`)
}

/** A file shared by the server with the lab registration's files Client object, and the files Grant as the Grants API shows it. */
interface SharedFile {
  scope: string
  file: Json
  grant: Json
}

/** Shares one file through the operator test API, once per run (skipped without it; not applicable without a files scope). */
function sharedFile(ctx: CheckContext): Promise<SharedFile> {
  ctx.operator()
  return ctx.once('wg1-02-metadata:shared-file', async () => {
    const files = await descriptionsOfType(ctx, 'cds_server_provided_files')
    const scope = files[0]?.id
    if (typeof scope !== 'string') ctx.notApplicable('the server has no cds_server_provided_files scope')
    const registration = await labRegistration(ctx)
    const holder = registration.clients.find((client) => scopeTokens(client.scope).includes(scope))
    if (holder === undefined) ctx.fail(`the registration has no Client object with the files scope ${scope}`)
    const query = new URLSearchParams({ name: 'conformance-metadata.txt', mime_type: 'text/plain', description: 'Shared by the cds-ts conformance suite' })
    const upload = await ctx.operatorRequest(`files?${query.toString()}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new TextEncoder().encode('cds-ts conformance\n') })
    ctx.expectStatus(upload, 201)
    const file = upload.json<Json>()
    const share = await ctx.operatorRequest('files/share', { json: { file_ids: [file.file_id], client_id: holder.client_id, scope } })
    ctx.expectStatus(share, 201)
    const grant_id = String((share.json<Json>().grant as Json | undefined)?.grant_id)
    const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
    url.searchParams.set('scopes', scope)
    let grant: Json | undefined
    for await (const one of listAll(ctx, url.href, await labAdminToken(ctx), 'grants')) if (one.grant_id === grant_id) grant = one
    if (grant === undefined) ctx.fail(`the server-created files Grant ${grant_id} is not on the Grants API filtered by scopes=${scope}`)
    return { scope, file, grant }
  })
}

/** The checks of CDS-WG1-02 §3.3.2–§3.3.3 and §3.4 about Grant Admin and files Grants. */
export const grantAdminChecks: readonly Check[] = [
  defineCheck({
    id: 'R1-02-3.3.2-05',
    spec: 'CDS-WG1-02',
    section: '§3.3.2',
    title: 'an authorization_details entry of the Grant Admin type counts as the scope: issued with no scope parameter, and with one',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, scope } = await administeredGrant(ctx)
      const alone = await grantAdminRequest(ctx, grant, scope)
      ctx.assert(alone.response.status === 200, `a Grant Admin request with authorization_details and no scope answered ${alone.response.status}: ${alone.response.text.slice(0, 300)}`)
      const admin = await grantAdminFor(ctx, await labRegistration(ctx), scope)
      const both = await tokenRequest(ctx, admin.credentials, { grant_type: 'client_credentials', scope: admin.id, authorization_details: JSON.stringify([alone.entry]) })
      ctx.assert(both.status === 200, `a Grant Admin request with scope=${admin.id} and authorization_details answered ${both.status}: ${both.text.slice(0, 300)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.2-08',
    spec: 'CDS-WG1-02',
    section: '§3.3.2',
    title: 'Grant Admin tokens are refused for another Client object\'s id, another registration\'s Grant, a Grant with no enabled scope, and a Grant its Grant Admin scope does not cover',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, scope } = await administeredGrant(ctx)
      const lab = await labRegistration(ctx)
      const admin = await grantAdminFor(ctx, lab, scope)
      const ask = (entry: Json) => tokenRequest(ctx, admin.credentials, { grant_type: 'client_credentials', authorization_details: JSON.stringify([{ type: admin.id, ...entry }]) })
      // (a) the Grant's client_id does not match.
      const other = lab.clients.find((client) => client.client_id !== grant.client_id)
      if (other !== undefined) expectNoToken(ctx, await ask({ client_id: other.client_id, grant_id: grant.grant_id }), 'a mismatched client_id')
      // (d) a Grant of another registration.
      const shared = await ctx.registration()
      const foreign: Json[] = []
      for await (const one of listAll(ctx, String((await ctx.oauthMetadata()).cds_grants_api), await ctx.adminToken(), 'grants')) foreign.push(one)
      const theirs = foreign.find((one) => typeof one.enabled_scope === 'string' && one.enabled_scope !== '')
      if (theirs !== undefined && shared.admin.client_id !== lab.admin.client_id) expectNoToken(ctx, await ask({ client_id: theirs.client_id, grant_id: theirs.grant_id }), 'a Grant of another registration')
      if (ctx.options.operator === undefined) return
      // (b) a Grant whose enabled_scope is empty.
      const code = await labCodeClient(ctx)
      const made = await operatorGrant(ctx, { client_id: code.client.client_id, scope: code.scope, status: 'active' })
      await operatorGrantStatus(ctx, String(made.grant_id), { status: 'suspended', reason: 'cds-ts conformance' })
      expectNoToken(ctx, await ask({ client_id: made.client_id, grant_id: made.grant_id }), 'a suspended Grant (empty enabled_scope)')
      // (c) a Grant whose scope names another (or no) Grant Admin scope.
      const all = await descriptions(ctx)
      const uncovered = lab.clients.find((client) => {
        const tokens = scopeTokens(client.scope).filter((id) => all[id] !== undefined && all[id]?.type !== 'cds_client_admin' && all[id]?.type !== 'cds_grant_admin')
        return tokens.length > 0 && tokens.every((id) => all[id]?.grant_admin_scope !== admin.id)
      })
      if (uncovered !== undefined) {
        const outside = await operatorGrant(ctx, { client_id: uncovered.client_id, scope: scopeTokens(uncovered.scope).find((id) => all[id]?.grant_admin_scope !== admin.id), status: 'active' })
        expectNoToken(ctx, await ask({ client_id: outside.client_id, grant_id: outside.grant_id }), `a Grant of ${String(outside.scope)}, which ${admin.id} does not administer`)
      }
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.2-09',
    spec: 'CDS-WG1-02',
    section: '§3.3.2',
    title: 'a valid Grant Admin request gets a client credentials token response whose token reaches the Grant\'s enabled scope',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const { grant, scope } = await administeredGrant(ctx)
      const { response } = await grantAdminRequest(ctx, grant, scope)
      ctx.expectStatus(response, 200)
      const body = response.json<Json>()
      ctx.assert(typeof body.access_token === 'string' && String(body.token_type).toLowerCase() === 'bearer' && typeof body.expires_in === 'number', `the token response lacks access_token, a Bearer token_type or expires_in: ${response.text.slice(0, 300)}`)
      const answer = await introspect(ctx, (await labRegistration(ctx)).admin, body.access_token)
      ctx.assert(answer.active === true, 'the Grant Admin token does not introspect as active')
      // The token is bound to the Grant it names (the scope it shows is the Grant Admin id, A-25).
      const details = Array.isArray(body.authorization_details) ? (body.authorization_details as Json[]) : []
      ctx.assert(details.some((entry) => entry.grant_id === grant.grant_id && entry.client_id === grant.client_id), `the token response does not name the Grant ${String(grant.grant_id)} in its authorization_details`)
      if (ctx.options.operator === undefined) return
      // With a files Grant, the token opens the Server-Provided Files API on the shared file.
      let shared: SharedFile | undefined
      try {
        shared = await sharedFile(ctx)
      } catch (error) {
        if (error instanceof CheckNotApplicable) return
        throw error
      }
      const token = await grantAdminToken(ctx, shared.grant, shared.scope)
      const listing = await ctx.request({ url: await ctx.endpoint('cds_server_provided_files_api'), bearer: token })
      ctx.expectStatus(listing, 200)
      ctx.assert(listing.text.includes(String(shared.file.file_id)), 'the files Grant\'s Grant Admin token does not list the shared file')
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.3-01',
    spec: 'CDS-WG1-02',
    section: '§3.3.3',
    title: 'files Grants are made by the server, listed on the Grants API, with one {type, file_id} entry per shared file',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { scope, file, grant } = await sharedFile(ctx)
      const details = Array.isArray(grant.authorization_details) ? (grant.authorization_details as Json[]) : []
      ctx.assert(details.length > 0, 'the files Grant has no authorization_details')
      for (const entry of details) ctx.assert(entry.type === scope && typeof entry.file_id === 'string', `the files Grant has the entry ${JSON.stringify(entry)}, expected {type: ${scope}, file_id}`)
      ctx.assert(details.some((entry) => entry.file_id === file.file_id), `the files Grant does not list the shared file ${String(file.file_id)}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.3.3-07',
    spec: 'CDS-WG1-02',
    section: '§3.3.3',
    title: 'a files Grant\'s scope holds the files scope id, and its entries use that id as type',
    needs: ['registration', 'operator'],
    async run(ctx: CheckContext) {
      const { scope, grant } = await sharedFile(ctx)
      ctx.assert(scopeTokens(grant.scope).includes(scope), `the files Grant's scope ${JSON.stringify(grant.scope)} lacks ${scope}`)
      const types = [...new Set(((grant.authorization_details ?? []) as Json[]).map((entry) => entry.type))]
      ctx.assert(same(types, [scope]), `the files Grant's entries have the types ${JSON.stringify(types)}, expected ${scope}`)
    },
  }),
  defineCheck({
    id: 'R1-02-3.4-04',
    spec: 'CDS-WG1-02',
    section: '§3.4',
    title: 'in authorization_details the type is the scope id: a Scope Description\'s type (where it differs from the id) is refused, the id accepted',
    needs: ['registration'],
    async run(ctx: CheckContext) {
      const all = await descriptions(ctx)
      const admins = Object.values(all).filter((d) => d.type === 'cds_grant_admin' && d.id !== d.type)
      if (admins.length === 0) ctx.notApplicable('no Scope Description the suite can send entries for has a type different from its id')
      const { grant, scope } = await administeredGrant(ctx)
      const admin = await grantAdminFor(ctx, await labRegistration(ctx), scope)
      const entry = { client_id: grant.client_id, grant_id: grant.grant_id }
      const byType = await tokenRequest(ctx, admin.credentials, { grant_type: 'client_credentials', authorization_details: JSON.stringify([{ type: 'cds_grant_admin', ...entry }]) })
      const error = byType.mediaType.endsWith('json') ? byType.json<Json>().error : undefined
      ctx.assert(byType.status === 400 && error === 'invalid_authorization_details', `an entry typed cds_grant_admin (the Scope Description type) answered ${byType.status} ${JSON.stringify(error)}, expected 400 invalid_authorization_details`)
      const byId = await tokenRequest(ctx, admin.credentials, { grant_type: 'client_credentials', authorization_details: JSON.stringify([{ type: admin.id, ...entry }]) })
      ctx.assert(byId.status === 200, `an entry typed ${admin.id} (the scope id) answered ${byId.status}: ${byId.text.slice(0, 200)}`)
    },
  }),
]
