/**
 * A customer's authorization in a web application (CDS-WG3-01 §9.1): the login route builds the
 * authorization URL (PAR, PKCE S256, RAR) and keeps what it needs in the session; the callback
 * route checks the response, exchanges the code, and reads the customer's meters.
 */
import { CdsAuthorizationError, type CdsClient, type PendingAuthorization, type TokenSet } from '@cds-ts/client'

/** Where an application keeps per-user state between the two routes (a session store). */
export interface Session {
  pending?: PendingAuthorization
  tokens?: TokenSet
}

/** GET /login: send the customer's browser to the returned URL. */
export async function login(cds: CdsClient, session: Session, redirect_uri: string): Promise<string> {
  session.pending = await cds.authorizationUrl({
    redirect_uri,
    scope: 'cds_usage',
    authorization_details: [{ type: 'cds_usage', authorization_form_selection_type: 'account_selection', account_numbers: ['_all'] }],
  })
  return session.pending.url
}

/** GET /callback: the full URL the browser came back to. Returns the customer's meter numbers. */
export async function callback(cds: CdsClient, session: Session, url: string): Promise<string[]> {
  const pending = session.pending
  if (pending === undefined) throw new Error('no authorization in progress')
  delete session.pending
  try {
    session.tokens = await cds.handleCallback(url, pending)
  } catch (err) {
    // The customer declined (`access_denied`) or the server refused the request.
    if (err instanceof CdsAuthorizationError) return []
    throw err
  }
  // The SDK refreshes the tokens when they expire (the refresh token rotates).
  const meters: string[] = []
  for await (const meter of cds.customerData(session.tokens).meterDevices.all()) meters.push(meter.meter_number ?? meter.cds_meterdevice_id)
  return meters
}
