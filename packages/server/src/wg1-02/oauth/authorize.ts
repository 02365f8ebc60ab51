/**
 * `GET /oauth/authorize`: the authorization endpoint (RFC 6749 §3.1, §4.1; RFC 9126 §4) on the
 * framework-free `authorize` of `@cds-ts/auth`. The answer is a 302 to the client's redirect URI
 * with a code or an error; when the client, its redirect URI or the `request_uri` is not good,
 * the error is shown here instead (RFC 6749 §4.1.2.1) by the shared error handler. On the
 * server's database each approval becomes a Grant (CDS-WG1-02 §8.3, `grants/authorization-grants.ts`)
 * and an approval shown on the default receipt page gets a receipt confirmation code.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1 | RFC 6749 §4.1}
 * @module
 */
import { authorize, type AuthorizationGrants, type CustomerAuthorization } from '@cds-ts/auth'
import { AuthorizationRequest, OAuthErrorResponse } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { ref } from '../../shared/schemas.js'
import { serverAuthorizationGrants } from '../grants/authorization-grants.js'
import { recordReceiptConfirmation } from '../grants/receipt-confirmation.js'
import { authorizationSettings, type AuthorizationEndpointOptions } from './par.js'
import { receiptUrl } from './receipt.js'

/**
 * Options of {@link authorizePlugin}.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 */
export interface AuthorizePluginOptions extends AuthorizationEndpointOptions {
  /** Authenticates the customer and obtains their approval (`AutoApprove` in tests and the demo). */
  customerAuthorization: CustomerAuthorization
  /**
   * Grant bookkeeping (CDS-WG1-02 §8). Default: the server's Grants (`serverAuthorizationGrants`)
   * when `store` is a `KyselyAuthStore`; `false` turns it off, and then `cds_grant_id` is never
   * valid and codes name no Grant.
   */
  authorizationGrants?: AuthorizationGrants | false | undefined
}

// The query is documented with the AuthorizationRequest parameters; each is a plain string here,
// because the core, not the validator, decides which errors may be redirected (RFC 6749 §4.1.2.1).
const Query = Type.Object(AuthorizationRequest.properties, {
  description: 'Authorization request parameters (RFC 6749 §4.1.1; RFC 7636 §4.3; RFC 9126 §4; RFC 9396 §3; CDS-WG1-02 §8.3).',
})

/**
 * Registers `GET /oauth/authorize`. Every answer carries `Cache-Control: no-store`: the redirect's
 * `Location` holds an authorization code.
 *
 * @example
 * ```ts
 * await app.register(authorizePlugin, { store, clock: systemClock, config, customerAuthorization: new AutoApprove() })
 * ```
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-4 | RFC 9126 §4}
 */
export const authorizePlugin: FastifyPluginAsync<AuthorizePluginOptions> = async (app, options) => {
  const { store, clock, config, customerAuthorization, relativeDirection } = options
  // CDS-WG1-02 §8.3: on the server's own database, approvals become Grants (codes carry their grant_id).
  const db = store instanceof KyselyAuthStore ? store.db : undefined
  const authorizationGrants =
    options.authorizationGrants === false
      ? undefined
      : (options.authorizationGrants ?? (db === undefined ? undefined : serverAuthorizationGrants(db, clock, config)))
  const core = {
    store,
    clock,
    settings: authorizationSettings(config, relativeDirection),
    customerAuthorization,
    ...(authorizationGrants === undefined ? {} : { grants: authorizationGrants }),
  }
  const receiptPage = `${receiptUrl(config)}?`
  app.get(
    // RFC 6749 §3.1 (RFC6749-07): the authorization endpoint supports GET.
    ENDPOINT_PATHS.authorization,
    {
      config: { noStore: true },
      // RFC 6749 §4.1.2.1: a bad parameter is redirected once client and redirect URI are known good, so the
      // validator's verdict is not used; the core checks every parameter itself.
      attachValidation: true,
      schema: {
        operationId: 'authorize',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Authorization endpoint',
        description:
          'Asks the customer to approve an authorization request, given directly or as client_id plus the request_uri of a pushed request, ' +
          'and redirects to the client with a single-use code or an error (RFC 6749 §4.1; RFC 9126 §4; RFC 9396; CDS-WG1-02 §8.3).',
        querystring: Query,
        response: {
          302: Type.Null({ description: 'Redirect to the client: `code` and `state`, or `error`, `error_description` and `state` (RFC 6749 §4.1.2, §4.1.2.1).' }),
          400: ref(OAuthErrorResponse),
          500: ref(OAuthErrorResponse),
        },
      },
    },
    async (request, reply) => {
      const { location, response } = await authorize(request.query as Record<string, unknown>, core)
      // A-43 (R1-02-8.1-11): an approval shown on the server's receipt page gets a receipt code on its Grant.
      if ('code' in response && db !== undefined && location.startsWith(receiptPage)) await recordReceiptConfirmation(db, response.code)
      // RFC 6749 §4.1.2: the answer goes back through the user agent as a redirect.
      return reply.redirect(location, 302)
    },
  )
}
