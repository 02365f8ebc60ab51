/**
 * The Client objects the §5.1 checks look at, gathered once per run from every place a Client
 * object appears (CDS-WG1-02 §4.2, §5.3, §5.4, §5.5): the listing and each object's own URL for
 * the shared registration, the registration response and a PUT response of the area's lab.
 *
 * @module
 */
import { CheckNotApplicable, CheckSkip } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { apiUrl, canonical, getJson, isCodeClient, jsonBody, lab, labToken, listed, reserveClient } from './kit.js'

/** One Client object and where it was seen. */
export interface ClientSample {
  where: string
  client: Json
  /** The registration response, where `client_secret` (and, A-05, `client_secret_expires_at`) may appear. */
  registration?: boolean
  /** Seen in the area's lab registration (its token reads it), not the shared one. */
  lab?: boolean
}

/** PUTs a Client object back to its `cds_client_uri` with `changes` (a member set to `undefined` is left out). */
export async function putClient(ctx: CheckContext, token: string, current: Json, changes: Json = {}) {
  const body: Json = { ...current, ...changes }
  for (const [name, value] of Object.entries(body)) if (value === undefined) delete body[name]
  return ctx.request({ method: 'PUT', url: String(current.cds_client_uri), bearer: token, json: body })
}

/** The current state of a Client object, read at its `cds_client_uri`. */
export async function currentClient(ctx: CheckContext, token: string, client: Json): Promise<Json> {
  return getJson(ctx, String(client.cds_client_uri), token)
}

/** Every Client object sample of the run (see the module comment). */
export function clientSamples(ctx: CheckContext): Promise<ClientSample[]> {
  return ctx.once('wg1-02-apis:client-samples', async () => {
    const token = await ctx.adminToken()
    const samples: ClientSample[] = []
    for (const client of await listed(ctx, await apiUrl(ctx, 'cds_clients_api'), token, 'clients')) {
      samples.push({ where: `the listing entry of ${String(client.client_id)}`, client })
      if (typeof client.cds_client_uri === 'string') samples.push({ where: `GET ${client.cds_client_uri}`, client: await getJson(ctx, client.cds_client_uri, token) })
    }
    try {
      const registration = await lab(ctx)
      samples.push({ where: 'the registration response', client: registration.response, registration: true, lab: true })
      const { client } = await reserveClient(ctx, 'put-sample', isCodeClient, 'code-flow Client object')
      const current = await currentClient(ctx, await labToken(ctx), client)
      const put = jsonBody(ctx, await putClient(ctx, await labToken(ctx), current), [200, 202])
      samples.push({ where: `the PUT response of ${String(client.client_id)}`, client: put, lab: true })
    } catch (error) {
      // A run that may not register (or a lab without a code-flow object) has the other samples only.
      if (!(error instanceof CheckSkip) && !(error instanceof CheckNotApplicable)) throw error
    }
    return samples
  })
}

/** Whether two Client objects are the same apart from `cds_modified`. */
export function sameClient(a: Json, b: Json): boolean {
  return canonical({ ...a, cds_modified: null }) === canonical({ ...b, cds_modified: null })
}
