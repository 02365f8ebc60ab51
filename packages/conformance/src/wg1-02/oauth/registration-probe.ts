/**
 * The registration the §4 checks look at: one request per run, made by a minimal scripted client
 * (no cookies, a plain `User-Agent`), asking for every scope the server offers and submitting
 * members the server must ignore or override (an attacker's `redirect_uris`, `grant_types`,
 * `response_types`, `token_endpoint_auth_method`). The Client objects and Credentials it created
 * are then read through the Clients and Credentials APIs.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { listAll, registerSuite, registrationBody, type SuiteRegistration } from '../../core/registration.js'

/** The redirect URI the probe submits; no Client object may carry it (R1-02-4.1-07). */
export const ATTACKER_REDIRECT = 'https://attacker.conformance.example/cb'

/** The `User-Agent` of the probe: a scripted client, not a browser (R1-02-11.2-01). */
export const SCRIPTED_USER_AGENT = 'cds-conformance/1.0'

/** The probe's registration and what it created. */
export interface RegistrationProbe {
  /** The request body sent. */
  body: Json
  /** The scopes the request asked for. */
  requested: string[]
  reply: HttpResponse
  /** The response body (a JSON object). */
  response: Json
  /** The Client objects and secrets, read back with the returned credentials. */
  registration: SuiteRegistration
  /** Every Credential of the registration. */
  credentials: Json[]
  /** A `cds_client_admin` token of the registration. */
  token: string
}

/** Skips the check when the run may not register. */
export function mayRegister(ctx: CheckContext): void {
  if (ctx.options.client !== undefined && ctx.options.allowRegistration === false) ctx.skip('the run was given credentials and may not register')
}

/** Sends a registration request with a JSON body (or a raw one) as the probe's scripted client. */
export async function postRegistration(ctx: CheckContext, body: unknown, headers: Record<string, string> = {}): Promise<HttpResponse> {
  mayRegister(ctx)
  const endpoint = await ctx.endpoint('registration_endpoint')
  return ctx.request({
    url: endpoint,
    headers: { 'user-agent': SCRIPTED_USER_AGENT, ...headers },
    ...(typeof body === 'string' ? { method: 'POST', body } : { json: body }),
  })
}

/** The run's {@link RegistrationProbe} (made once). */
export function registrationProbe(ctx: CheckContext): Promise<RegistrationProbe> {
  return ctx.once('wg1-02-oauth:registration-probe', async () => {
    const body: Json = {
      ...(await registrationBody(ctx)),
      client_name: 'cds-ts conformance registration probe',
      contacts: ['conformance@example.com'],
      // CDS-WG1-02 §4.1, §4.2: the server ignores or overrides these.
      redirect_uris: [ATTACKER_REDIRECT],
      grant_types: ['authorization_code', 'implicit'],
      response_types: ['token'],
      token_endpoint_auth_method: 'none',
    }
    const reply = await postRegistration(ctx, body)
    if (reply.status !== 201) ctx.fail(`the registration answered ${reply.status}, expected 201: ${reply.text.slice(0, 300)}`)
    const response = reply.json<Json>()
    if (typeof response.client_id !== 'string' || typeof response.client_secret !== 'string') ctx.fail('the registration response has no client_id and client_secret')
    const registration = await registerSuite(ctx, { client_id: response.client_id, client_secret: response.client_secret })
    const token = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const credentials: Json[] = []
    for await (const credential of listAll(ctx, String((await ctx.oauthMetadata()).cds_credentials_api), token, 'credentials')) credentials.push(credential)
    return { body, requested: String(body.scope).split(' '), reply, response, registration, credentials, token }
  })
}
