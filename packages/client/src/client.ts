/**
 * `CdsClient`: the SDK's entry point. It holds a server's metadata, one Client object's
 * credentials and their token cache, and offers every step on top of the request/process pairs:
 * registration, tokens, the customer's authorization, and the CDS-WG1-02 and CDS-WG3-01 APIs.
 *
 * @module
 */
import type { ClientRegistrationResponse, ServerMetadata } from '@cds-ts/schema'
import { buildAuthorizationUrl, validateAuthorizationResponse, type AuthorizationUrlRequest, type PendingAuthorization } from './authorization.js'
import type { Decoded } from './decimal.js'
import { discover, type CdsAuthorizationServer, type Discovery } from './discovery.js'
import { CdsProtocolError } from './errors.js'
import type { HttpOptions } from './http.js'
import { grantAdminDetails } from './rar.js'
import { processRegistrationResponse, registrationRequest, type RegistrationRequest } from './registration.js'
import { ApiSession, type TokenProvider } from './session.js'
import { TokenCache, type TokenRequestSpec, type TokenSet } from './token-cache.js'
import {
  authorizationCodeGrantRequest,
  clientCredentialsGrantRequest,
  processTokenResponse,
  refreshTokenGrantRequest,
  type ClientCredentials,
} from './token.js'
import { ClientsApi } from './wg1-02/clients.js'
import { CredentialsApi } from './wg1-02/credentials.js'
import { GrantsApi } from './wg1-02/grants.js'
import { MessagesApi } from './wg1-02/messages.js'
import { ServerProvidedFilesApi } from './wg1-02/server-provided-files.js'
import { CustomerDataApi } from './wg3-01/customer-data.js'

/**
 * Options of {@link CdsClient}; the {@link HttpOptions} apply to every request it makes.
 *
 * @see CDS-WG1-02 §3 Authorization Server Metadata
 */
export interface CdsClientOptions extends HttpOptions {
  /** The credentials of one Client object; needed for tokens, authorizations and the APIs. */
  client?: ClientCredentials
  /** The clock, in epoch milliseconds (token and `request_uri` expiry); default `Date.now`. */
  now?: () => number
  /** How long before expiry a cached token is renewed; default 30 seconds. */
  expiryMarginSeconds?: number
  /** Origins besides those the metadata names that may receive access tokens. */
  trustedOrigins?: readonly string[]
}

/**
 * Where an API call gets its access token: a token request (cached per scope and
 * `authorization_details`, renewed before it expires), a {@link TokenSet} from
 * {@link CdsClient.handleCallback} (refreshed when it expires), or a bare access token.
 *
 * @see CDS-WG1-02 §3.3 Scopes Supported
 */
export type TokenSource = TokenRequestSpec | TokenSet | string

/** The scope of the management APIs (CDS-WG1-02 §3.3.1). */
const CLIENT_ADMIN: TokenRequestSpec = Object.freeze({ scope: 'cds_client_admin' })

/**
 * A CDS server seen by one Client object.
 *
 * @example
 * ```ts
 * const cds = await CdsClient.discover('https://utility.example', { client: { client_id, client_secret } })
 * for await (const grant of cds.grants.all({ statuses: ['active'] })) console.log(grant.grant_id)
 * ```
 * @see CDS-WG1-01 §3 Metadata Endpoint
 * @see CDS-WG1-02 §3 Authorization Server Metadata
 */
export class CdsClient {
  /** The Authorization Server Metadata (CDS-WG1-02 §3.2, with CDS-WG3-01 §5). */
  readonly authorizationServer: CdsAuthorizationServer
  /** The CDS Server Metadata, when this client was discovered (CDS-WG1-01 §3.2). */
  readonly serverMetadata: Decoded<ServerMetadata> | undefined
  /** The `client_id` of the credentials, when there are some. */
  readonly clientId: string | undefined
  readonly #credentials: ClientCredentials | undefined
  readonly #options: CdsClientOptions
  readonly #http: HttpOptions
  readonly #tokens: TokenCache | undefined
  readonly #trusted: ReadonlySet<string>
  #apis: { clients?: ClientsApi; messages?: MessagesApi; credentials?: CredentialsApi; grants?: GrantsApi } = {}

  /**
   * Discovers a server (CDS-WG1-01 §3.1, then `oauth_metadata`). `server` is the server's origin
   * or the URL of a CDS Server Metadata document, such as a Client object's `cds_server_metadata`.
   *
   * @see CDS-WG1-02 §3.1 Metadata URL
   */
  static async discover(server: string | URL, options: CdsClientOptions = {}): Promise<CdsClient> {
    return new CdsClient(await discover(server, options), options)
  }

  /**
   * A client for one Client object, with the metadata that applies to it: discovered from its
   * `cds_server_metadata`, where a server may publish API URLs (such as the Customer Data APIs)
   * for that Client object only.
   *
   * @example
   * ```ts
   * const usage = await CdsClient.forClient(clientObject, { client_id: clientObject.client_id, client_secret })
   * ```
   * @see CDS-WG3-01 §5 Server Metadata
   * @see CDS-WG1-02 §5.1 Client Object Format
   */
  static async forClient(client: { readonly cds_server_metadata: string }, credentials: ClientCredentials, options: CdsClientOptions = {}): Promise<CdsClient> {
    return CdsClient.discover(client.cds_server_metadata, { ...options, client: credentials })
  }

  constructor(discovery: Pick<Discovery, 'authorizationServer'> & { server?: Decoded<ServerMetadata> | undefined }, options: CdsClientOptions = {}) {
    this.authorizationServer = discovery.authorizationServer
    this.serverMetadata = discovery.server
    this.#options = options
    const { client, now, expiryMarginSeconds, trustedOrigins, ...http } = options
    this.#http = http
    this.#credentials = client
    this.clientId = client?.client_id
    this.#trusted = trustedOriginsOf(discovery.authorizationServer, discovery.server, trustedOrigins)
    if (client !== undefined) {
      const as = this.authorizationServer
      this.#tokens = new TokenCache(
        client.client_id,
        {
          clientCredentials: async (spec) => processTokenResponse(await clientCredentialsGrantRequest(as, client, spec, http), http),
          refresh: async (refresh_token) => processTokenResponse(await refreshTokenGrantRequest(as, client, { refresh_token }, http), http),
        },
        { ...(now === undefined ? {} : { now }), ...(expiryMarginSeconds === undefined ? {} : { expiryMarginSeconds }) },
      )
    }
  }

  /** The same server and options with another Client object's credentials (and a token cache of its own). */
  withClient(client: ClientCredentials): CdsClient {
    return new CdsClient({ authorizationServer: this.authorizationServer, server: this.serverMetadata }, { ...this.#options, client })
  }

  /**
   * Registers a Client (RFC 7591; CDS-WG1-02 §4). The answer is the Client Admin Client object
   * with its `client_secret`; pass both to {@link CdsClient.withClient}.
   *
   * @example
   * ```ts
   * const registered = await cds.register({ scope: ['cds_client_admin', 'cds_usage'], client_name: 'Acme', cds_company_name: 'Acme Inc.' })
   * const admin = cds.withClient({ client_id: registered.client_id, client_secret: registered.client_secret })
   * ```
   * @see CDS-WG1-02 §4 Client Registration Process
   */
  async register(request: RegistrationRequest, initialAccessToken?: string): Promise<Decoded<ClientRegistrationResponse>> {
    const options = initialAccessToken === undefined ? this.#http : { ...this.#http, initialAccessToken }
    return processRegistrationResponse(await registrationRequest(this.authorizationServer, request, options), this.#http)
  }

  /**
   * A token for `spec` (default `cds_client_admin`): cached until shortly before it expires,
   * then refreshed or requested again with `client_credentials`.
   *
   * @see CDS-WG1-02 §3.3.1 Client Admin Scope
   * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
   */
  async token(spec: TokenRequestSpec = CLIENT_ADMIN): Promise<TokenSet> {
    return this.#cache().get(spec)
  }

  /**
   * The access token of a {@link TokenSource}: fresh from the cache, refreshed, or as given.
   *
   * @see {@link https://www.rfc-editor.org/rfc/rfc6750#section-2.1 | RFC 6750 §2.1}
   */
  async accessToken(source: TokenSource = CLIENT_ADMIN): Promise<string> {
    return this.#provider(source).token()
  }

  /**
   * A fresh token set for one from {@link CdsClient.handleCallback} (or read back from storage):
   * the same while it is fresh, else refreshed with its refresh token (which rotates).
   *
   * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-6 | RFC 6749 §6}
   */
  async refresh(set: TokenSet): Promise<TokenSet> {
    return this.#cache().renew(set)
  }

  /**
   * The token request of a Grant Admin token for one Grant (CDS-WG1-02 §3.3.2): the Grant Admin
   * scope (default: the first Scope Description of type `cds_grant_admin`) with one entry
   * naming the Grant. Pass it to {@link CdsClient.customerData} or
   * {@link CdsClient.serverProvidedFiles}.
   *
   * @throws {CdsProtocolError} `MISSING_ENDPOINT` when the server describes no Grant Admin scope
   * @see CDS-WG1-02 §3.3.2 Grant Admin Scope
   */
  grantAdmin(grant: { readonly grant_id: string; readonly client_id: string }, scopeId?: string): TokenRequestSpec {
    const id = scopeId ?? Object.entries(this.authorizationServer.cds_scope_descriptions).find(([, d]) => d.type === 'cds_grant_admin')?.[0]
    if (id === undefined) throw new CdsProtocolError('MISSING_ENDPOINT', 'the server describes no cds_grant_admin scope')
    return { scope: id, authorization_details: [grantAdminDetails(id, grant)] }
  }

  /**
   * Starts a customer's authorization: PKCE `S256`, a random `state`, RAR entries, pushed to the
   * PAR endpoint when the server has one. Keep the result until the browser comes back.
   *
   * @see CDS-WG3-01 §9.1.1 Authorization Requests
   * @see {@link https://www.rfc-editor.org/rfc/rfc9126#section-2 | RFC 9126 §2}
   */
  async authorizationUrl(request: AuthorizationUrlRequest = {}): Promise<PendingAuthorization> {
    const options = this.#options.now === undefined ? this.#http : { ...this.#http, now: this.#options.now }
    return buildAuthorizationUrl(this.authorizationServer, this.#client(), request, options)
  }

  /**
   * Finishes a customer's authorization: checks the response that reached the redirect URI
   * (state, issuer, `error`), exchanges the `code` with the PKCE verifier, and caches the tokens
   * (refreshed later by {@link CdsClient.refresh} and by the APIs).
   *
   * @throws {CdsAuthorizationError} when the customer declined or the server refused
   * @throws {CdsProtocolError} `STATE_MISMATCH`, `ISSUER_MISMATCH`, `MISSING_CODE`
   * @see CDS-WG3-01 §9.1 Authorization Process
   * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3 | RFC 6749 §4.1.3}
   */
  async handleCallback(callback: string | URL | URLSearchParams, pending: PendingAuthorization): Promise<TokenSet> {
    const client = this.#client()
    if (pending.client_id !== client.client_id) throw new TypeError(`this authorization was started by ${pending.client_id}, not ${client.client_id}`)
    const { code } = validateAuthorizationResponse(this.authorizationServer, callback, pending)
    const response = await processTokenResponse(
      await authorizationCodeGrantRequest(this.authorizationServer, client, { code, redirect_uri: pending.redirect_uri, code_verifier: pending.code_verifier }, this.#http),
      this.#http,
    )
    const spec: TokenRequestSpec = {}
    if (pending.scope !== undefined) spec.scope = pending.scope
    if (pending.authorization_details !== undefined) spec.authorization_details = pending.authorization_details
    return this.#cache().store(spec, response)
  }

  /**
   * The Clients API with a `cds_client_admin` token.
   *
   * @see CDS-WG1-02 §5 Clients API
   */
  get clients(): ClientsApi {
    return (this.#apis.clients ??= new ClientsApi(this.#session(CLIENT_ADMIN), () => this.#api('cds_clients_api')))
  }

  /**
   * The Messages API with a `cds_client_admin` token.
   *
   * @see CDS-WG1-02 §6 Messages API
   */
  get messages(): MessagesApi {
    return (this.#apis.messages ??= new MessagesApi(this.#session(CLIENT_ADMIN), () => this.#api('cds_messages_api')))
  }

  /**
   * The Credentials API with a `cds_client_admin` token.
   *
   * @see CDS-WG1-02 §7 Credentials API
   */
  get credentials(): CredentialsApi {
    return (this.#apis.credentials ??= new CredentialsApi(this.#session(CLIENT_ADMIN), () => this.#api('cds_credentials_api')))
  }

  /**
   * The Grants API with a `cds_client_admin` token.
   *
   * @see CDS-WG1-02 §8 Grants API
   */
  get grants(): GrantsApi {
    return (this.#apis.grants ??= new GrantsApi(this.#session(CLIENT_ADMIN), () => this.#api('cds_grants_api')))
  }

  /**
   * The Server-Provided Files API with a Grant Admin token (see {@link CdsClient.grantAdmin}).
   *
   * @see CDS-WG1-02 §9 Server-Provided Files API
   */
  serverProvidedFiles(source: TokenSource): ServerProvidedFilesApi {
    return new ServerProvidedFilesApi(this.#session(source), () => this.#api('cds_server_provided_files_api'))
  }

  /**
   * The Customer Data APIs with one token.
   *
   * @see CDS-WG3-01 §10 Customer Data API
   */
  customerData(source: TokenSource): CustomerDataApi {
    return new CustomerDataApi(this.#session(source), (member) => this.#api(member))
  }

  #client(): ClientCredentials {
    if (this.#credentials === undefined) throw new TypeError('this CdsClient has no client credentials; use withClient()')
    return this.#credentials
  }

  #cache(): TokenCache {
    if (this.#tokens === undefined) throw new TypeError('this CdsClient has no client credentials; use withClient()')
    return this.#tokens
  }

  #provider(source: TokenSource): TokenProvider {
    if (typeof source === 'string') return { token: () => Promise.resolve(source) }
    const cache = this.#cache()
    const invalidate = (accessToken: string) => {
      cache.invalidate(accessToken)
    }
    if ('key' in source) return { token: async () => (await cache.renew(source)).access_token, invalidate }
    return { token: async () => (await cache.get(source)).access_token, invalidate }
  }

  #session(source: TokenSource): ApiSession {
    return new ApiSession(this.#provider(source), this.#http, (url) => this.#trusted.has(url.origin))
  }

  #api(member: string): string {
    const url = (this.authorizationServer as unknown as Record<string, unknown>)[member]
    if (typeof url !== 'string') throw new CdsProtocolError('MISSING_ENDPOINT', `the Authorization Server Metadata has no ${member}`)
    return url
  }
}

/** The origins the metadata names: the issuer's and those of every endpoint and API URL. */
function trustedOriginsOf(as: CdsAuthorizationServer, server: Decoded<ServerMetadata> | undefined, extra: readonly string[] = []): ReadonlySet<string> {
  const origins = new Set<string>()
  const add = (value: unknown) => {
    if (typeof value !== 'string') return
    try {
      origins.add(new URL(value).origin)
    } catch {
      // Not a URL: nothing to trust.
    }
  }
  add(as.issuer)
  for (const [member, value] of Object.entries(as)) if (member.endsWith('_endpoint') || member.endsWith('_api')) add(value)
  add(server?.cds_metadata_url)
  for (const origin of extra) add(origin)
  return origins
}
