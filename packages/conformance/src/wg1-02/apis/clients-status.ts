/**
 * A lab Client object disabled through the Clients API (CDS-WG1-02 §5.2, §5.5), observed once
 * per run: its token request afterwards, a token it held before, and its Credentials (§7.1).
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import type { ClientCredentials } from '../../core/options.js'
import { currentClient, putClient } from './client-samples.js'
import { apiUrl, jsonBody, lab, labToken, listed, nowSeconds, plainToken, tokenClient, withQuery } from './kit.js'

/** What happened around disabling one Client object. */
export interface DisabledClient {
  /** The Client object as the PUT answered it. */
  client: Json
  credentials: ClientCredentials
  /** Unix seconds just before and just after the PUT. */
  from: number
  to: number
  /** A `client_credentials` request with its secret after the PUT. */
  tokenAfter: HttpResponse
  /** Whether a token it got before the PUT introspected as active before and after. */
  activeBefore: boolean
  activeAfter: boolean
  /** Its Credentials after the PUT. */
  credentialsAfter: Json[]
}

/** Introspects `token` (RFC 7662 §2.1) with the lab's admin credentials and returns `active`. */
export async function isActive(ctx: CheckContext, token: string): Promise<boolean> {
  const response = await ctx.request({ url: await ctx.endpoint('introspection_endpoint'), basic: (await lab(ctx)).admin, form: { token } })
  return jsonBody(ctx, response).active === true
}

/** The run's {@link DisabledClient}. */
export function disabledClient(ctx: CheckContext): Promise<DisabledClient> {
  return ctx.once('wg1-02-apis:disabled', async () => {
    const { client, credentials } = await tokenClient(ctx, 'disabled')
    const token = await labToken(ctx)
    const held = await plainToken(ctx, client, credentials)
    if (held === undefined) ctx.fail(`the Client object ${String(client.client_id)} no longer gets a token`)
    const activeBefore = await isActive(ctx, held)
    const from = nowSeconds()
    const put = jsonBody(ctx, await putClient(ctx, token, await currentClient(ctx, token, client), { cds_status: 'disabled' }))
    const to = nowSeconds()
    const tokenAfter = await ctx.request({ url: await ctx.endpoint('token_endpoint'), basic: credentials, form: { grant_type: 'client_credentials', scope: String(client.scope) } })
    const activeAfter = await isActive(ctx, held)
    const credentialsAfter = await listed(ctx, withQuery(await apiUrl(ctx, 'cds_credentials_api'), { client_ids: String(client.client_id) }), token, 'credentials')
    return { client: put, credentials, from, to, tokenAfter, activeBefore, activeAfter, credentialsAfter }
  })
}
