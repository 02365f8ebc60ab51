/**
 * Access tokens kept per request: one cache entry per scope and `authorization_details`
 * combination of one Client object. An entry is reused until shortly before it expires, then
 * renewed: by its refresh token when it has one (RFC 6749 §6; CDS servers rotate them), else by
 * asking again with `client_credentials`. Concurrent callers share one token request. Time comes
 * from an injectable clock, so tests move it without waiting.
 *
 * @module
 */
import { authorizationDetailsKey, type AuthorizationDetailsEntry } from './rar.js'
import { scopeString, type ScopeInput, type TokenEndpointResponse } from './token.js'

/**
 * What a token is asked for: its scope and RFC 9396 entries.
 *
 * @see CDS-WG1-02 §3.3 Scopes Supported
 */
export interface TokenRequestSpec {
  scope?: ScopeInput
  authorization_details?: readonly AuthorizationDetailsEntry[]
}

/**
 * A token response with its expiry made absolute. Plain data: persist it with `stringifyJson`
 * (its `authorization_details` may hold `Decimal`s) and hand it back to `CdsClient`.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-5.1 | RFC 6749 §5.1}
 */
export interface TokenSet {
  /** The cache key: the Client object, the scope and the entries the token was asked for. */
  readonly key: string
  readonly access_token: string
  readonly token_type: string
  /** When the access token expires, in epoch milliseconds; `undefined` when the server did not say. */
  readonly expires_at: number | undefined
  readonly refresh_token: string | undefined
  /** The granted scope. */
  readonly scope: string | undefined
  /** The granted entries, with the defaults and resolved dates the server added (RFC 9396 §7). */
  readonly authorization_details: AuthorizationDetailsEntry[] | undefined
  /** The Grants the token reaches, when the server says (CDS-WG3-01 examples). */
  readonly cds_grant_ids: string[] | undefined
  /** How the token was first obtained: `client_credentials` tokens are asked for again once they expire. */
  readonly grant_type: 'client_credentials' | 'authorization_code'
  /** What was asked for; with `grant_type` it lets a token set read back from storage be renewed. */
  readonly request: TokenRequestSpec
}

/**
 * How {@link TokenCache} gets tokens.
 *
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 */
export interface TokenGrants {
  /** A `client_credentials` request for `spec`. */
  clientCredentials(spec: TokenRequestSpec): Promise<TokenEndpointResponse>
  /** A `refresh_token` request. */
  refresh(refreshToken: string): Promise<TokenEndpointResponse>
}

/**
 * Options of {@link TokenCache}.
 *
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 */
export interface TokenCacheOptions {
  /** The clock, in epoch milliseconds; default `Date.now`. */
  now?: () => number
  /** How long before `expires_at` a token counts as expired; default 30 seconds. */
  expiryMarginSeconds?: number
}

interface Entry {
  set: TokenSet
  /** Set for tokens that `client_credentials` can renew. */
  spec: TokenRequestSpec | undefined
}

/**
 * The cache key of a token request: the `client_id`, the scope tokens sorted, and the
 * canonical form of the entries.
 *
 * @see CDS-WG1-02 §3.3 Scopes Supported
 */
export function tokenKey(clientId: string, spec: TokenRequestSpec): string {
  const scope = spec.scope === undefined ? '' : scopeString(spec.scope).split(' ').sort().join(' ')
  return `${clientId}\n${scope}\n${authorizationDetailsKey(spec.authorization_details)}`
}

/**
 * Tokens of one Client object, cached per {@link tokenKey}.
 *
 * @example
 * ```ts
 * const cache = new TokenCache('client-id', grants, { now: () => clock.now })
 * const { access_token } = await cache.get({ scope: 'cds_client_admin' })
 * ```
 * @see CDS-WG1-02 §3.3.1 Client Admin Scope
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
 */
export class TokenCache {
  readonly #entries = new Map<string, Entry>()
  readonly #pending = new Map<string, Promise<TokenSet>>()
  readonly #now: () => number
  readonly #margin: number

  constructor(
    readonly clientId: string,
    private readonly grants: TokenGrants,
    options: TokenCacheOptions = {},
  ) {
    this.#now = options.now ?? Date.now
    this.#margin = (options.expiryMarginSeconds ?? 30) * 1000
  }

  /** Whether a token set is still usable now (not within the margin of its expiry). */
  isFresh(set: TokenSet): boolean {
    return set.expires_at === undefined || this.#now() < set.expires_at - this.#margin
  }

  /** The cached set of `key`, fresh or not. */
  peek(key: string): TokenSet | undefined {
    return this.#entries.get(key)?.set
  }

  /**
   * A fresh token for `spec`: the cached one, a refreshed one, or a new `client_credentials` one.
   *
   * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
   */
  get(spec: TokenRequestSpec): Promise<TokenSet> {
    return this.#obtain(tokenKey(this.clientId, spec), spec)
  }

  /**
   * A fresh token for a set this cache stored (one from the authorization code flow): the set
   * itself while it is fresh, else a refreshed one. A set this cache does not know (one read back
   * from storage) is adopted first. Without a refresh token the stale set is returned and the
   * server decides.
   *
   * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
   */
  renew(set: TokenSet): Promise<TokenSet> {
    if (!this.#entries.has(set.key)) this.#entries.set(set.key, { set, spec: set.grant_type === 'client_credentials' ? set.request : undefined })
    return this.#obtain(set.key, undefined)
  }

  /**
   * Stores a token response under the key of `spec` and returns its set. `renewable` marks a
   * token that `client_credentials` may replace once it expires.
   */
  store(spec: TokenRequestSpec, response: TokenEndpointResponse, renewable = false): TokenSet {
    const key = tokenKey(this.clientId, spec)
    const set = this.#toSet(key, response, { grant_type: renewable ? 'client_credentials' : 'authorization_code', request: spec })
    this.#entries.set(key, { set, spec: renewable ? spec : undefined })
    return set
  }

  /** Marks the set holding `accessToken` as expired (a 401 `invalid_token` says so), keeping its refresh token. */
  invalidate(accessToken: string): void {
    for (const entry of this.#entries.values()) {
      if (entry.set.access_token === accessToken) entry.set = { ...entry.set, expires_at: 0 }
    }
  }

  /** Forgets every cached token. */
  clear(): void {
    this.#entries.clear()
  }

  #obtain(key: string, spec: TokenRequestSpec | undefined): Promise<TokenSet> {
    const entry = this.#entries.get(key)
    if (entry !== undefined && this.isFresh(entry.set)) return Promise.resolve(entry.set)
    const running = this.#pending.get(key)
    if (running !== undefined) return running
    const renewal = this.#renew(key, entry, spec).finally(() => this.#pending.delete(key))
    this.#pending.set(key, renewal)
    return renewal
  }

  async #renew(key: string, entry: Entry | undefined, spec: TokenRequestSpec | undefined): Promise<TokenSet> {
    const renewSpec = spec ?? entry?.spec
    const refreshToken = entry?.set.refresh_token
    let set: TokenSet
    if (refreshToken !== undefined && entry !== undefined) {
      // RFC 6749 §6: a refresh keeps the scope; a server that rotates sends a new refresh token.
      set = this.#toSet(key, await this.grants.refresh(refreshToken), entry.set, refreshToken)
    } else if (renewSpec !== undefined) {
      set = this.#toSet(key, await this.grants.clientCredentials(renewSpec), { grant_type: 'client_credentials', request: renewSpec })
    } else if (entry !== undefined) {
      return entry.set
    } else {
      throw new TypeError('no token is cached under this key and it cannot be requested with client_credentials')
    }
    this.#entries.set(key, { set, spec: renewSpec })
    return set
  }

  #toSet(
    key: string,
    response: TokenEndpointResponse,
    origin: Pick<TokenSet, 'grant_type' | 'request'>,
    previousRefreshToken?: string,
  ): TokenSet {
    return {
      key,
      access_token: response.access_token,
      token_type: response.token_type,
      expires_at: response.expires_in === undefined ? undefined : this.#now() + response.expires_in * 1000,
      refresh_token: response.refresh_token ?? previousRefreshToken,
      scope: response.scope,
      authorization_details: response.authorization_details,
      cds_grant_ids: response.cds_grant_ids,
      grant_type: origin.grant_type,
      request: origin.request,
    }
  }
}
