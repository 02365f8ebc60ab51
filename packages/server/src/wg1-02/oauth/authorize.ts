/**
 * `GET /oauth/authorize`: the authorization endpoint (RFC 6749 §3.1, §4.1; RFC 9126 §4) on the
 * framework-free core of `@cds-ts/auth`, in one of two modes:
 *
 * - interactive (the default, CDS-WG3-01 §9.1): `beginAuthorization` runs the checks made before
 *   the customer logs in; a request that passes is kept as an interaction and the browser goes
 *   (303) to its page, `/authorize/interaction/<handle>`, where the customer logs in and answers
 *   on the Authorization Form (`wg3-01/authorization/`). Errors the client cannot be told about
 *   show the Invalid Request Error page (§9.3.2), HTML with status 400; the others
 *   are redirected to the client (302).
 * - with a `CustomerAuthorization` stand-in (tests of the OAuth machinery): `authorize` answers at
 *   once with a 302 carrying a code or an error; errors to show go to the shared error handler.
 *   An approval shown on the default receipt page gets a receipt confirmation code.
 *
 * On the server's database each approval becomes a Grant (CDS-WG1-02 §8.3, `grants/authorization-grants.ts`).
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1 | RFC 6749 §4.1}
 * @module
 */
import { authorize, beginAuthorization, OAuthError, type AuthorizationGrants, type CustomerAuthorization } from '@cds-ts/auth'
import { AuthorizationRequest, OAuthErrorResponse } from '@cds-ts/schema'
import type { FastifyPluginAsync } from 'fastify'
import Type from 'typebox'
import { ENDPOINT_PATHS } from '../../config/endpoints.js'
import { KyselyAuthStore } from '../../db/oauth-store.js'
import { pageContext, sendPage, type PageContext } from '../../pages/layout.js'
import { ref } from '../../shared/schemas.js'
import { renderInvalidRequestPage } from '../../wg3-01/authorization/error-pages.js'
import { createInteraction, interactionPath } from '../../wg3-01/authorization/interaction-store.js'
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
  /**
   * A stand-in that authenticates the customer and answers at once (`AutoApprove` in tests of the
   * OAuth machinery). Absent: the interactive flow of CDS-WG3-01 §9.1, which needs the server's
   * database (`store` a `KyselyAuthStore`) and the customer pages.
   */
  customerAuthorization?: CustomerAuthorization | undefined
  /** The translator and brand of the Invalid Request Error page; default from `config`. */
  pages?: PageContext | undefined
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
    ...(authorizationGrants === undefined ? {} : { grants: authorizationGrants }),
  }
  const receiptPage = `${receiptUrl(config)}?`
  // CDS-WG3-01 §9.1: without a stand-in, requests wait in the database for their customer.
  const mode =
    customerAuthorization !== undefined ? ({ kind: 'stand-in', customerAuthorization } as const) : db !== undefined ? ({ kind: 'interactive', db } as const) : undefined
  if (mode === undefined) throw new TypeError('the interactive authorization endpoint needs the server database (a KyselyAuthStore)')
  const pages = options.pages ?? pageContext(config)
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
          303: Type.Null({ description: 'Redirect to the page where the customer logs in and answers the request (CDS-WG3-01 §9.1).' }),
          400: {
            description: 'The request cannot be answered to the client (RFC 6749 §4.1.2.1): the Invalid Request Error page (CDS-WG3-01 §9.3.2), or the error as JSON with a stand-in.',
            content: {
              'text/html': { schema: Type.String({ description: 'The Invalid Request Error page.' }) },
              'application/json': { schema: ref(OAuthErrorResponse) },
            },
          },
          500: ref(OAuthErrorResponse),
        },
      },
    },
    async (request, reply) => {
      const query = request.query as Record<string, unknown>
      if (mode.kind === 'interactive') {
        let started
        try {
          started = await beginAuthorization(query, core)
        } catch (error) {
          // CDS-WG3-01 §9.1.1, §9.3.2: no trustworthy redirect URI, so the customer sees the error.
          if (error instanceof OAuthError && error.status < 500) return sendPage(reply, renderInvalidRequestPage(pages), 400)
          throw error
        }
        // RFC 6749 §4.1.2.1: the client and redirect URI are good; the client hears of any other error.
        if ('redirect' in started) return reply.redirect(started.redirect.location, 302)
        // CDS-WG3-01 §9.1.1: the request waits for its customer on the interaction page.
        const handle = await createInteraction(mode.db, clock, config, started.pending)
        return reply.redirect(interactionPath(handle), 303)
      }
      const { location, response } = await authorize(query, { ...core, customerAuthorization: mode.customerAuthorization })
      // A-43 (R1-02-8.1-11): an approval shown on the server's receipt page gets a receipt code on its Grant.
      if ('code' in response && db !== undefined && location.startsWith(receiptPage)) await recordReceiptConfirmation(db, response.code)
      // RFC 6749 §4.1.2: the answer goes back through the user agent as a redirect.
      return reply.redirect(location, 302)
    },
  )
}
