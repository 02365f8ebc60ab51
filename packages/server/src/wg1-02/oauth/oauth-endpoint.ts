/**
 * What the token, introspection and revocation routes share: their plugin options, the error
 * responses they declare, and how a Fastify request becomes the framework-free input of
 * `@cds-ts/auth`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 * @module
 */
import type { AuthStore, Clock, EndpointRequestInput, GrantLookup, PreselectionCheck } from '@cds-ts/auth'
import { checkStrict, OAuthErrorResponse, stringifyJson } from '@cds-ts/schema'
import type { FastifyRequest, FastifySerializerCompiler } from 'fastify'
import type { TSchema } from 'typebox'
import type { ConfigPluginOptions } from '../../config/config-schema.js'
import { ref } from '../../shared/schemas.js'

/**
 * Options of the OAuth endpoint plugins: `app.register(tokenPlugin, { store, clock, config })`.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export interface OAuthEndpointOptions extends ConfigPluginOptions {
  /** The storage of clients, credentials and tokens. */
  store: AuthStore
  /** The clock every expiry is decided by (`systemClock` in production). */
  clock: Clock
  /** The Grants a Grant Admin token request may name (CDS-WG1-02 §3.3.2); token endpoint only. */
  grants?: GrantLookup | undefined
  /** The data check of direct preselections (CDS-WG3-01 §7.4.3); token endpoint only. */
  checkPreselections?: PreselectionCheck | undefined
}

/**
 * The error bodies an OAuth endpoint may answer with, each an RFC 6749 §5.2 `OAuthErrorResponse`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.2 | RFC 6749 §5.2}
 */
export const OAUTH_ERROR_RESPONSES = Object.freeze({
  400: ref(OAuthErrorResponse),
  401: ref(OAuthErrorResponse),
  413: ref(OAuthErrorResponse),
  429: ref(OAuthErrorResponse),
  500: ref(OAuthErrorResponse),
  503: ref(OAuthErrorResponse),
})

/**
 * Route flags of every OAuth endpoint: a form-encoded body (RFC 6749 §3.2) and
 * `Cache-Control: no-store` with `Pragma: no-cache` on every answer (RFC 6749 §5.1).
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export const OAUTH_ROUTE_CONFIG = Object.freeze({ formBody: true, noStore: true } as const)

/**
 * The `Authorization` header and the form body of a request, as `@cds-ts/auth` takes them.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1 | RFC 6749 §2.3.1}
 */
export function endpointInput(request: FastifyRequest): EndpointRequestInput {
  const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {}
  return { authorization: request.headers.authorization, body }
}

/**
 * The response serializer of the token and introspection routes: `stringifyJson` of the body the
 * `@cds-ts/auth` handler built member by member, so decimals stay exact and the members of each
 * `authorization_details` entry survive. An entry is an open object (RFC 9396 §2), but the shared
 * allow-list serializer keeps only the members `AuthorizationDetail` names, which would drop
 * `client_id`, `grant_id` and every scope field. Remove this once `AuthorizationDetail` declares
 * `additionalProperties: true` in `@cds-ts/schema`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc9396#section-7 | RFC 9396 §7}
 */
export const authorizationDetailsSerializer: FastifySerializerCompiler<unknown> = () => (data) => stringifyJson(data)

/**
 * Rethrows a body validation failure unless `token_type_hint` alone caused it. A hint the server
 * does not know only guides the search and is ignored (RFC 7009 §2.1, §2.2; RFC 7662 §2.1), while
 * the `TokenTypeHint` schema lists just the two registered values, so the revocation and
 * introspection routes validate with `attachValidation` and come here.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc7009#section-2.1 | RFC 7009 §2.1}
 */
export function ignoreUnknownHint(request: FastifyRequest, schema: TSchema): void {
  const failure = request.validationError
  if (failure === undefined) return
  const { token_type_hint: _hint, ...rest } = endpointInput(request).body
  // RFC 7009 §2.1 (catalog RFC7009-03): an unknown hint does not stop the request.
  if (checkStrict(schema, rest).length === 0) return
  throw failure
}
