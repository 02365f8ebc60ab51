/**
 * The `authorization_code` grant (RFC 6749 §4.1.3) with PKCE `S256` (RFC 7636 §4.5, §4.6), as
 * CDS requires for every user-authorization scope (CDS-WG1-02 §3.4). A code is used once; a
 * second use also revokes every token issued from it (RFC 6749 §4.1.2).
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 | RFC 6749 §4.1.3}
 * @module
 */
import { isExpired } from '../clock.js'
import { hashSecret } from '../crypto.js'
import { InvalidGrant, InvalidRequest } from '../errors.js'
import { verifyPkce } from '../pkce.js'
import type { AuthorizationCodeRecord } from '../store.js'
import type { GrantContext, IssuedTokens } from './token-issuance.js'
import {
  checkAuthenticationMethodForScopes,
  issueAccessToken,
  issueRefreshToken,
  refreshAllowed,
  splitScope,
  stringParameter,
} from './token-issuance.js'

type Outcome = { tokens: IssuedTokens } | { replayed: true }

/**
 * Exchanges an authorization code for tokens, in one transaction:
 *
 * 1. `code` is required; the code is looked up by digest and marked used atomically.
 * 2. A code used before is a replay: every token issued from it is revoked, that revocation is
 *    committed, and the request fails with `invalid_grant`.
 * 3. The code must belong to the client, be unexpired, and carry the same `redirect_uri` as the
 *    authorization request.
 * 4. The PKCE verifier must match the stored `S256` challenge; a public client must have used PKCE.
 * 5. The client authentication method must suit every granted scope.
 * 6. An access token is issued, and a refresh token where the client and every scope allow it.
 *
 * Any other failure rolls the transaction back, so the code is not spent by a request that fails.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 | RFC 6749 §4.1.3}
 * @see {@link https://www.rfc-editor.org/rfc/rfc7636#section-4.6 | RFC 7636 §4.6}
 */
export async function authorizationCodeGrant(body: Readonly<Record<string, unknown>>, context: GrantContext): Promise<IssuedTokens> {
  const code = stringParameter(body, 'code')
  // RFC 6749 §4.1.3: `code` is REQUIRED.
  if (code === undefined) throw new InvalidRequest("the parameter 'code' is required")
  const redirect_uri = stringParameter(body, 'redirect_uri')
  const code_verifier = stringParameter(body, 'code_verifier')
  const code_hash = hashSecret(code)

  const outcome = await context.store.transaction<Outcome>(async (tx) => {
    const consumed = await tx.codes.consume(code_hash, context.clock.now())
    if (consumed === undefined) throw new InvalidGrant('the authorization code is invalid')
    if (consumed.replay) {
      // RFC 6749 §4.1.2 (catalog RFC6749-11): a code used twice revokes the tokens issued from it.
      await tx.tokens.revokeByCode(code_hash, context.clock.now())
      return { replayed: true }
    }
    const record = consumed.record
    checkCode(record, context, redirect_uri, code_verifier)

    const scope = splitScope(record.scope)
    checkAuthenticationMethodForScopes(context, scope)
    const grant = { scope: record.scope, authorization_details: record.authorization_details, grant_id: record.grant_id, code_hash }
    const access = await issueAccessToken(tx, context, grant)
    const tokens: IssuedTokens = {
      access_token: access.value,
      expires_in: access.expires_in,
      scope: record.scope,
      authorization_details: record.authorization_details,
    }
    // RFC 6749 §4.1.4: a refresh token is optional; CDS scopes list `refresh_token` when they offer one.
    if (refreshAllowed(context, scope)) tokens.refresh_token = await issueRefreshToken(tx, context, grant)
    return { tokens }
  })
  // Thrown after the commit, so the revocation of the replayed code's tokens stays.
  if ('replayed' in outcome) throw new InvalidGrant('the authorization code has already been used')
  return outcome.tokens
}

/** The RFC 6749 §4.1.3 and RFC 7636 §4.6 checks of a code that was not used before. */
function checkCode(record: AuthorizationCodeRecord, context: GrantContext, redirect_uri: string | undefined, code_verifier: string | undefined): void {
  // RFC 6749 §4.1.3 (catalog RFC6749-12): the code was issued to the authenticated client.
  if (record.client_id !== context.client.client_id) throw new InvalidGrant('the authorization code was issued to another client')
  // RFC 6749 §4.1.2: codes are short-lived; an expired one is invalid.
  if (isExpired(record.expires_at, context.clock)) throw new InvalidGrant('the authorization code has expired')
  if (record.redirect_uri !== null) {
    // RFC 6749 §4.1.3: the redirect_uri sent with the authorization request must be sent again, identical.
    if (redirect_uri !== record.redirect_uri) throw new InvalidGrant('redirect_uri does not match the authorization request')
  } else if (redirect_uri !== undefined && redirect_uri !== context.client.cds_default_redirect_uri) {
    // CDS-WG1-02 §5.1: without one in the request, the Client object's default was used; only that may be repeated.
    throw new InvalidGrant('redirect_uri does not match the authorization request')
  }
  // RFC 7636 §4.5 (catalog RFC7636-07): a public client always proves possession with PKCE.
  if (context.authenticated.method === 'none' && record.code_challenge === null) throw new InvalidGrant('a public client must use PKCE')
  // CDS-WG1-02 §3.4 (R1-02-3.4-11): only S256 challenges are ever stored, so a plain verifier never matches.
  if (record.code_challenge !== null && record.code_challenge_method !== 'S256') throw new InvalidGrant('the code challenge method is not S256')
  // RFC 7636 §4.6 (catalog RFC7636-05): missing, malformed or wrong verifiers are invalid_grant.
  verifyPkce(code_verifier, record.code_challenge)
}
