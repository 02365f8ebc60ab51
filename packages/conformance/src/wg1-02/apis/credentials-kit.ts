/**
 * What the Credentials checks (CDS-WG1-02 §7) share: listings read whole, a Credential created
 * once for a `client_credentials` Client object of the lab, PATCH and token requests.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import type { ClientCredentials } from '../../core/options.js'
import { apiUrl, jsonBody, labToken, listed, tokenClient, withQuery, type LabClient } from './kit.js'
import { labMessages, newMessages, type MessageLists } from './messages-kit.js'

/** Lists Credentials with `query` (every page), with `token` (the lab's by default). */
export async function credentialsWhere(ctx: CheckContext, query: Record<string, string> = {}, token?: string): Promise<Json[]> {
  return listed(ctx, withQuery(await apiUrl(ctx, 'cds_credentials_api'), query), token ?? (await labToken(ctx)), 'credentials')
}

/** POSTs `{client_id}` (or another body) to the Credentials API with the lab's token. */
export async function postCredential(ctx: CheckContext, body: unknown): Promise<HttpResponse> {
  return ctx.request({ url: await apiUrl(ctx, 'cds_credentials_api'), bearer: await labToken(ctx), json: body })
}

/** PATCHes a Credential with the lab's token. */
export async function patchCredential(ctx: CheckContext, credential: Json, body: unknown): Promise<HttpResponse> {
  return ctx.request({ method: 'PATCH', url: String(credential.uri), bearer: await labToken(ctx), json: body })
}

/** GETs a Credential at its `uri` with the lab's token (must be 200). */
export async function credentialAt(ctx: CheckContext, credential: Json): Promise<Json> {
  return jsonBody(ctx, await ctx.request({ url: String(credential.uri), bearer: await labToken(ctx) }))
}

/** A `client_credentials` token request with `credentials` for `scope`. */
export async function tokenWith(ctx: CheckContext, credentials: ClientCredentials, scope: string): Promise<HttpResponse> {
  return ctx.request({ url: await ctx.endpoint('token_endpoint'), basic: credentials, form: { grant_type: 'client_credentials', scope } })
}

/** The lab's `client_credentials` Client object whose Credentials the checks create and change. */
export function credentialClient(ctx: CheckContext): Promise<LabClient & { credentials: ClientCredentials }> {
  return tokenClient(ctx, 'credentials')
}

/** A Credential created through the API (CDS-WG1-02 §7.5), with the Messages before and after. */
export interface CreatedCredential {
  response: HttpResponse
  credential: Json
  client: Json
  /** The registration's own secret of the Client object (from before the new Credential). */
  old: ClientCredentials
  before: MessageLists
  added: Json[]
}

/** The run's {@link CreatedCredential}. */
export function createdCredential(ctx: CheckContext): Promise<CreatedCredential> {
  return ctx.once('wg1-02-apis:created-credential', async () => {
    const { client, credentials } = await credentialClient(ctx)
    const before = await labMessages(ctx)
    const response = await postCredential(ctx, { client_id: client.client_id })
    const credential = jsonBody(ctx, response, 201)
    return { response, credential, client, old: credentials, before, added: newMessages(before, await labMessages(ctx)) }
  })
}

/** Creates a further Credential for `client_id` (201) and returns it. */
export async function anotherCredential(ctx: CheckContext, client_id: unknown): Promise<Json> {
  return jsonBody(ctx, await postCredential(ctx, { client_id }), 201)
}

/** The secret of a Credential as client credentials. */
export function secretOf(credential: Json): ClientCredentials {
  return { client_id: String(credential.client_id), client_secret: String(credential.client_secret) }
}
