/**
 * Quickstart: discover a CDS server, register, manage the registration with the CDS-WG1-02 APIs,
 * and read Customer Data with a direct-access token. `test/examples.e2e.test.ts` runs it against
 * the reference server.
 */
import { CdsClient, CdsResponseError, stringifyJson } from '@cds-ts/client'

export async function quickstart(server: string, log: (line: string) => void = console.log): Promise<void> {
  // CDS-WG1-01 §3 and CDS-WG1-02 §3: both metadata documents.
  const cds = await CdsClient.discover(server)
  log(`${cds.serverMetadata?.name ?? server}: token endpoint ${cds.authorizationServer.token_endpoint}`)

  // CDS-WG1-02 §4: register; the answer is the Client Admin Client object with its secret.
  const registered = await cds.register({ scope: ['cds_client_admin', 'cds_query_usage'], client_name: 'Quickstart' })
  const admin = cds.withClient({ client_id: registered.client_id, client_secret: registered.client_secret })

  // CDS-WG1-02 §5 and §7: the other Client objects of the registration, and their secrets.
  const secrets = new Map<string, string>()
  for await (const credential of admin.credentials.all()) if (credential.client_secret !== undefined) secrets.set(credential.client_id, credential.client_secret)
  let usage: CdsClient | undefined
  for await (const client of admin.clients.all()) {
    log(`Client object ${client.client_id}: ${client.scope} (${client.cds_status})`)
    const secret = secrets.get(client.client_id)
    // CDS-WG3-01 §5: a Client object's own metadata names the Customer Data APIs it may use.
    if (client.scope === 'cds_query_usage' && secret !== undefined) usage = await CdsClient.forClient(client, { client_id: client.client_id, client_secret: secret })
  }
  if (usage === undefined) throw new Error('the server made no cds_query_usage Client object')

  // CDS-WG3-01 §6.2 and §10.8: a direct-access token (cached and renewed by the SDK) and every
  // Usage Segment after a date, across pages; decimals stay exact.
  const data = usage.customerData({ scope: 'cds_query_usage', authorization_details: [{ type: 'cds_query_usage' }] })
  let count = 0
  for await (const segment of data.usageSegments.all({ after: new Date('2026-06-01T00:00:00Z') })) {
    if (count++ === 0) log(`first segment from ${segment.segment_start}: ${stringifyJson(segment.values[0])}`)
  }
  log(`${count} usage segments`)

  // Typed errors carry the server's OAuth error.
  try {
    await admin.grants.get(`${cds.authorizationServer.cds_grants_api}/no-such-grant`)
  } catch (err) {
    if (!(err instanceof CdsResponseError)) throw err
    log(`${err.status} ${err.error}: ${err.error_description ?? ''}`)
  }
}
