/**
 * The customer's part of the authorization endpoint, behind an interface: authenticate the
 * customer and obtain their approval. The login and consent pages (CDS-WG3-01 §9) implement it
 * later; {@link AutoApprove} stands in for a test customer who approves everything.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 | RFC 6749 §4.1.1}
 * @module
 */
import type { AuthorizationDetail } from '@cds-ts/schema'
import type { ClientRecord } from './store.js'

/**
 * What the customer is asked to approve: a checked authorization request.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 */
export interface CustomerAuthorizationRequest {
  client: ClientRecord
  /** Space-separated scope ids. */
  scope: string
  /** The normalized entries, defaults filled and relative dates resolved. */
  authorization_details: AuthorizationDetail[]
  /** Where the answer will go. */
  redirect_uri: string
  state: string | undefined
  /** `login` forces authentication even when the customer has a session (CDS-WG1-02 §8.3, A-35). */
  prompt: string | undefined
  /** The Grant this authorization is for (CDS-WG1-02 §8.3), already checked before login. */
  cds_grant_id: string | undefined
}

/**
 * The customer's answer. An approval may narrow the authorization details (a customer who
 * unticks an account); the server checks them again. A refusal becomes `access_denied`
 * (RFC 6749 §4.1.2.1). Implementations may also throw an `OAuthError` (e.g.
 * `CdsGrantIdInvalidUser`, CDS-WG1-02 §8.3), which the endpoint redirects.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1}
 */
export type CustomerAuthorizationResult =
  | { approved: true; customer_id: string; authorization_details?: AuthorizationDetail[] }
  | { approved: false; error: 'access_denied'; error_description?: string }

/**
 * Authenticates the customer and obtains their approval of a request.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 */
export interface CustomerAuthorization {
  authenticateAndApprove(request: CustomerAuthorizationRequest): Promise<CustomerAuthorizationResult>
}

/**
 * A test customer who approves every request as asked. For tests and the demo server only: it
 * authenticates nobody.
 *
 * @example
 * ```ts
 * await app.register(authorizePlugin, { store, clock, config, customerAuthorization: new AutoApprove('test-customer-1') })
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format (`cds_test_accounts`)
 */
export class AutoApprove implements CustomerAuthorization {
  /** @param customer_id the test customer every approval is made as */
  constructor(readonly customer_id: string = 'test-customer') {}

  async authenticateAndApprove(): Promise<CustomerAuthorizationResult> {
    return { approved: true, customer_id: this.customer_id }
  }
}
