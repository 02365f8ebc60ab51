/**
 * The `refresh_token` grant (RFC 6749 §6) with rotation: every use returns a new refresh token
 * and retires the old one; presenting a retired one again revokes the whole family, the tokens
 * descended from the same authorization code (RFC 9700 §4.14.2).
 *
 * @see CDS-WG1-02 §3.4 Scope Descriptions Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
 * @module
 */
import { isExpired } from '../clock.js'
import { hashSecret } from '../crypto.js'
import { InvalidGrant, InvalidRequest } from '../errors.js'
import type { TokenRecord } from '../store.js'
import type { GrantContext, IssuedTokens } from './token-issuance.js'
import {
  checkAuthenticationMethodForScopes,
  issueAccessToken,
  issueRefreshToken,
  narrowGrant,
  readAuthorizationDetailsParameter,
  readScopeParameter,
  splitScope,
  stringParameter,
} from './token-issuance.js'

type Outcome = { tokens: IssuedTokens } | { reused: true }

/**
 * Uses a refresh token, in one transaction:
 *
 * 1. `refresh_token` is required; it must be a refresh token of this client.
 * 2. A revoked one is a reuse: its family is revoked, that is committed, and the request fails.
 * 3. An expired one fails with `invalid_grant`.
 * 4. A narrower `scope` or `authorization_details` may be asked for, never a wider one.
 * 5. The old refresh token is revoked (a conditional update, so two concurrent uses cannot both
 *    win) and a new access token and a new refresh token with the original grant are issued.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
 * @see {@link https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2 | RFC 9700 §4.14.2}
 */
export async function refreshTokenGrant(body: Readonly<Record<string, unknown>>, context: GrantContext): Promise<IssuedTokens> {
  const value = stringParameter(body, 'refresh_token')
  // RFC 6749 §6: `refresh_token` is REQUIRED.
  if (value === undefined) throw new InvalidRequest("the parameter 'refresh_token' is required")
  const requestedScope = readScopeParameter(body)
  const requestedDetails = readAuthorizationDetailsParameter(body)
  const token_hash = hashSecret(value)

  const outcome = await context.store.transaction<Outcome>(async (tx) => {
    const record = await tx.tokens.find(token_hash)
    // RFC 6749 §6: the refresh token must be valid and issued to the authenticated client.
    if (record?.token_type !== 'refresh_token' || record.client_id !== context.client.client_id) {
      throw new InvalidGrant('the refresh token is invalid')
    }
    if (record.revoked_at !== null) {
      // RFC 9700 §4.14.2: a rotated refresh token used again means it leaked; the whole family goes.
      await revokeFamily(tx, record, context)
      return { reused: true }
    }
    if (isExpired(record.expires_at, context.clock)) throw new InvalidGrant('the refresh token has expired')
    checkAuthenticationMethodForScopes(context, splitScope(record.scope))
    const narrowed = narrowGrant(record, requestedScope, requestedDetails)

    // RFC 9700 §4.14.2: rotation retires the presented token; only one concurrent use can retire it.
    if ((await tx.tokens.revoke(token_hash, context.clock.now())) === 0) {
      await revokeFamily(tx, record, context)
      return { reused: true }
    }
    const family = { grant_id: record.grant_id, code_hash: record.code_hash }
    const access = await issueAccessToken(tx, context, { ...narrowed, ...family })
    // RFC 6749 §6: a new refresh token keeps exactly the scope of the one it replaces.
    const refresh_token = await issueRefreshToken(tx, context, { scope: record.scope, authorization_details: record.authorization_details, ...family })
    return {
      tokens: { access_token: access.value, expires_in: access.expires_in, refresh_token, ...narrowed },
    }
  })
  // Thrown after the commit, so the family's revocation stays.
  if ('reused' in outcome) throw new InvalidGrant('the refresh token has already been used or was revoked')
  return outcome.tokens
}

/** Revokes every token of a refresh token's family: those descended from the same code. */
async function revokeFamily(tx: GrantContext['store'], record: TokenRecord, context: GrantContext): Promise<void> {
  if (record.code_hash !== null) await tx.tokens.revokeByCode(record.code_hash, context.clock.now())
  else await tx.tokens.revoke(record.token_hash, context.clock.now())
}
