/**
 * The Client side of the browser tests, as an independent strict client (oauth4webapi) would run
 * it against the server: discovery, registration (RFC 7591), the Client object's own loopback
 * redirect URI (CDS-WG1-02 §5.5), a pushed authorization request (RFC 9126) with RAR
 * `authorization_details` (RFC 9396) and PKCE S256, the code exchange, and the Grant read through the
 * Grants API, both with the Client Admin token and with a Grant Admin token (CDS-WG1-02 §3.3.2, §8).
 */
import { createServer, type Server } from 'node:http'
import type { AuthorizationDetail, Grant, ScopeDescription } from '@cds-ts/schema'
import * as oauth from 'oauth4webapi'
import { freePort } from '../free-port.js'
import type { BrowserServer } from './harness.js'

// The server under test listens on plain http on 127.0.0.1; oauth4webapi needs explicit consent.
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the documented switch for local http testing
const insecure = { [oauth.allowInsecureRequests]: true } as const

type Json = Record<string, unknown>

/** A Client object as the Clients API shows it (the fields these tests read or send back). */
export interface ClientObjectJson extends Json {
  client_id: string
  scope: string
  cds_status: string
  cds_client_uri: string
  redirect_uris: string[]
  cds_purposes?: Record<string, PurposeJson>
}

/** A Purpose object (CDS-WG3-01 §8.3). */
export interface PurposeJson extends Json {
  id: string
  name: string
  content: string
  related_uri: string | null
  related_name?: string | null
  scopes_supported: string[]
}

/** One request that hit the Client's redirect URI. */
export interface CallbackHit {
  url: URL
}

/**
 * The Client's redirect URI: a tiny `node:http` listener on a loopback port that records the query
 * of every request and answers with a small page.
 */
export class CallbackServer {
  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:<port>/callback`. */
    readonly url: string,
    /** Every request so far, oldest first. */
    readonly hits: readonly CallbackHit[],
  ) {}

  /** Listens on a free loopback port. */
  static async start(): Promise<CallbackServer> {
    const port = await freePort()
    const hits: CallbackHit[] = []
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
      if (url.pathname !== '/callback') {
        // The browser asks the callback's origin for /favicon.ico on its own: not a redirect.
        response.writeHead(404).end()
        return
      }
      hits.push({ url })
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      response.end('<!doctype html><html lang="en"><head><title>Client callback</title></head><body data-cds-page="client-callback"><main><h1>Back at the Client</h1></main></body></html>')
    })
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    return new CallbackServer(server, `http://127.0.0.1:${port}/callback`, hits)
  }

  /** The last request's URL; throws when the Client was never called back. */
  last(): URL {
    const hit = this.hits.at(-1)
    if (hit === undefined) throw new Error(`nothing came back to ${this.url}`)
    return hit.url
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }
}

/** A pushed authorization request, ready for the browser. */
export interface PendingAuthorization {
  /** The authorization endpoint URL with `client_id` and `request_uri` (RFC 9126 §4). */
  authorizeUrl: string
  state: string
  code_verifier: string
  redirect_uri: string
  request_uri: string
  /** The consent Client object's Grants before this request, to tell the new one apart. */
  grantsBefore: readonly string[]
}

/** What a code exchange gave the Client. */
export interface ExchangeResult {
  tokens: oauth.TokenEndpointResponse
  /** The Grant the code was issued for. */
  grant_id: string
  /** `cds_grant_ids` of the token response (A-32), when the server sent it. */
  cds_grant_ids: string[] | undefined
}

/** Options of {@link TestClient.register}. */
export interface RegisterOptions {
  /** The §6 scope types the Client wants (e.g. `cds_usage`); their ids are read from the metadata. */
  types: readonly string[]
  client_name?: string
  client_uri?: string
}

/** A registered Client with its consent Client object ready for authorization requests. */
export class TestClient {
  private constructor(
    readonly server: BrowserServer,
    readonly as: oauth.AuthorizationServer,
    readonly admin: { client_id: string; secret: string; token: string },
    /** The production Client object that holds every requested consent scope. */
    readonly consent: { client: oauth.Client; auth: oauth.ClientAuth; secret: string; object: ClientObjectJson },
    readonly grantAdmin: { client_id: string; secret: string; scope: string },
    readonly callback: CallbackServer,
    /** Scope id by §6 type. */
    readonly scopes: ReadonlyMap<string, string>,
  ) {}

  /**
   * Discovers the server, registers for `cds_client_admin` plus the consent scopes of `types`, finds
   * the production Client object holding them and its secret through the Clients and Credentials
   * APIs, and adds a loopback redirect URI to it.
   */
  static async register(server: BrowserServer, options: RegisterOptions): Promise<TestClient> {
    const issuer = new URL(server.baseUrl)
    const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }))
    const descriptions = (as.cds_scope_descriptions ?? {}) as Record<string, ScopeDescription>
    const scopes = new Map<string, string>()
    for (const type of options.types) {
      const found = Object.values(descriptions).find((d) => d.type === type && d.response_types_supported.includes('code'))
      if (found === undefined) throw new Error(`the server metadata offers no consent scope of type ${type}`)
      scopes.set(type, found.id)
    }
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        {
          scope: ['cds_client_admin', ...scopes.values()].join(' '),
          client_name: options.client_name ?? 'Acme Energy Auditors',
          ...(options.client_uri === undefined ? {} : { client_uri: options.client_uri }),
          contacts: ['ops@auditors.example'],
        },
        insecure,
      ),
    )
    if (typeof registered.client_secret !== 'string') throw new Error('the registration response has no client_secret')
    const admin = { client_id: registered.client_id, secret: registered.client_secret }
    const adminToken = await clientCredentials(as, admin.client_id, admin.secret, new URLSearchParams({ scope: 'cds_client_admin' }))

    const listing = await apiCall<{ clients: ClientObjectJson[] }>(server, 'GET', '/api/clients', adminToken)
    const wanted = [...scopes.values()]
    const consentObject = listing.clients.find((c) => c.cds_status === 'production' && wanted.every((id) => c.scope.split(' ').includes(id)))
    if (consentObject === undefined) throw new Error(`no production Client object holds ${wanted.join(' ')}: ${JSON.stringify(listing.clients.map((c) => [c.scope, c.cds_status]))}`)
    const gaScopeId = descriptions[wanted[0]!]?.grant_admin_scope
    const gaObject = listing.clients.find((c) => c.scope === gaScopeId)
    if (gaScopeId === undefined || gaScopeId === null || gaObject === undefined) throw new Error(`no Grant Admin Client object for ${gaScopeId ?? 'null'}`)

    const callback = await CallbackServer.start()
    const put = await apiCall<ClientObjectJson>(server, 'PUT', consentObject.cds_client_uri, adminToken, {
      ...consentObject,
      redirect_uris: [...consentObject.redirect_uris, callback.url],
    })
    const consentSecret = await secretOf(server, adminToken, consentObject.client_id)
    return new TestClient(
      server,
      as,
      { ...admin, token: adminToken },
      { client: { client_id: consentObject.client_id }, auth: oauth.ClientSecretBasic(consentSecret), secret: consentSecret, object: put },
      { client_id: gaObject.client_id, secret: await secretOf(server, adminToken, gaObject.client_id), scope: gaScopeId },
      callback,
      scopes,
    )
  }

  /** The scope id of a §6 type. */
  scope(type: string): string {
    const id = this.scopes.get(type)
    if (id === undefined) throw new Error(`${type} was not registered`)
    return id
  }

  /**
   * Adds a Client-written Purpose through a PUT of the consent Client object (CDS-WG3-01 §8.2: an
   * unknown id asks for a new Purpose) and returns its Server-generated id.
   */
  async addPurpose(purpose: { name?: string; content: string; related_uri?: string | null; related_name?: string | null }): Promise<string> {
    const current = await apiCall<ClientObjectJson>(this.server, 'GET', this.consent.object.cds_client_uri, this.admin.token)
    const before = new Set(Object.keys(current.cds_purposes ?? {}))
    const proposed: PurposeJson = {
      id: 'new-purpose',
      name: purpose.name ?? 'Test purpose',
      content: purpose.content,
      related_uri: purpose.related_uri ?? null,
      related_name: purpose.related_name ?? null,
      scopes_supported: [],
    }
    const updated = await apiCall<ClientObjectJson>(this.server, 'PUT', current.cds_client_uri, this.admin.token, {
      ...current,
      cds_purposes: { ...(current.cds_purposes ?? {}), [proposed.id]: proposed },
    })
    const added = Object.values(updated.cds_purposes ?? {}).find((p) => !before.has(p.id) && p.content === purpose.content)
    if (added === undefined) throw new Error(`the PUT did not add the Purpose: ${JSON.stringify(updated.cds_purposes)}`)
    return added.id
  }

  /**
   * Pushes an authorization request (PAR) for `scope` with `authorization_details` and PKCE S256,
   * redirecting to the loopback callback unless `redirect_uri` is given.
   */
  async push(request: { scope: string; authorization_details?: AuthorizationDetail[] | Json[]; state?: string; redirect_uri?: string; extra?: Record<string, string> }): Promise<PendingAuthorization> {
    const grantsBefore = (await this.grants()).map((g) => g.grant_id)
    const state = request.state ?? oauth.generateRandomState()
    const code_verifier = oauth.generateRandomCodeVerifier()
    const redirect_uri = request.redirect_uri ?? this.callback.url
    const params = new URLSearchParams({
      response_type: 'code',
      redirect_uri,
      scope: request.scope,
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(code_verifier),
      code_challenge_method: 'S256',
      ...request.extra,
    })
    if (request.authorization_details !== undefined) params.set('authorization_details', JSON.stringify(request.authorization_details))
    const par = await oauth.processPushedAuthorizationResponse(
      this.as,
      this.consent.client,
      await oauth.pushedAuthorizationRequest(this.as, this.consent.client, this.consent.auth, params, insecure),
    )
    const url = new URL(this.as.authorization_endpoint ?? `${this.server.baseUrl}/oauth/authorize`)
    url.searchParams.set('client_id', this.consent.client.client_id)
    url.searchParams.set('request_uri', par.request_uri)
    return { authorizeUrl: url.toString(), state, code_verifier, redirect_uri, request_uri: par.request_uri, grantsBefore }
  }

  /** Checks the callback (state, no error) and exchanges the code (RFC 6749 §4.1.3 with PKCE). */
  async exchange(pending: PendingAuthorization, callbackUrl: URL): Promise<ExchangeResult> {
    const parameters = oauth.validateAuthResponse(this.as, this.consent.client, callbackUrl, pending.state)
    const tokens = await oauth.processAuthorizationCodeResponse(
      this.as,
      this.consent.client,
      await oauth.authorizationCodeGrantRequest(this.as, this.consent.client, this.consent.auth, parameters, pending.redirect_uri, pending.code_verifier, insecure),
    )
    const ids = Array.isArray(tokens.cds_grant_ids) ? (tokens.cds_grant_ids as string[]) : undefined
    // A-32: the token response names the Grant; without it, the Grant the listing gained since the push.
    const grant_id = ids?.[0] ?? (await this.newGrantSince(pending))
    return { tokens, grant_id, cds_grant_ids: ids }
  }

  /** The one Grant the consent Client object has now and did not have when `pending` was pushed. */
  async newGrantSince(pending: PendingAuthorization): Promise<string> {
    const fresh = (await this.grants()).filter((g) => !pending.grantsBefore.includes(g.grant_id))
    if (fresh.length !== 1) throw new Error(`expected one new Grant since the push, found ${fresh.length}`)
    return fresh[0]!.grant_id
  }

  /**
   * The consent Client object's Grants through the Grants API (CDS-WG1-02 §8.4) with the Client
   * Admin token; `filter` adds query parameters (e.g. `receipt_confirmations=<n>`).
   */
  async grants(filter = ''): Promise<Grant[]> {
    const query = `client_ids=${encodeURIComponent(this.consent.client.client_id)}${filter === '' ? '' : `&${filter}`}`
    const listing = await apiCall<{ grants: Grant[] }>(this.server, 'GET', `/api/grants?${query}`, this.admin.token)
    return listing.grants
  }

  /** One Grant through the Grants API (CDS-WG1-02 §8.3) with the Client Admin token. */
  async readGrant(grant_id: string): Promise<Grant> {
    return apiCall<Grant>(this.server, 'GET', `/api/grants/${encodeURIComponent(grant_id)}`, this.admin.token)
  }

  /**
   * A Grant Admin token for one Grant (CDS-WG1-02 §3.3.2: `client_credentials` with
   * `authorization_details` naming the Client object and the Grant): the Client's way to reach the
   * Grant's data without the customer's refresh token.
   */
  async grantAdminToken(grant_id: string): Promise<oauth.TokenEndpointResponse> {
    const client = { client_id: this.grantAdmin.client_id }
    return oauth.processClientCredentialsResponse(
      this.as,
      client,
      await oauth.clientCredentialsGrantRequest(
        this.as,
        client,
        oauth.ClientSecretBasic(this.grantAdmin.secret),
        new URLSearchParams({ authorization_details: JSON.stringify([{ type: this.grantAdmin.scope, client_id: this.consent.client.client_id, grant_id }]) }),
        insecure,
      ),
    )
  }

  /** Introspects a token as the consent Client object (RFC 7662). */
  async introspect(token: string): Promise<oauth.IntrospectionResponse> {
    return oauth.processIntrospectionResponse(this.as, this.consent.client, await oauth.introspectionRequest(this.as, this.consent.client, this.consent.auth, token, insecure))
  }

  async close(): Promise<void> {
    await this.callback.close()
  }
}

/** A `client_credentials` access token (RFC 6749 §4.4) with `client_secret_basic`. */
async function clientCredentials(as: oauth.AuthorizationServer, client_id: string, secret: string, parameters: URLSearchParams): Promise<string> {
  const client = { client_id }
  const response = await oauth.processClientCredentialsResponse(
    as,
    client,
    await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(secret), parameters, insecure),
  )
  return response.access_token
}

/** The secret of a Client object through the Credentials API (CDS-WG1-02 §7). */
async function secretOf(server: BrowserServer, adminToken: string, client_id: string): Promise<string> {
  const listing = await apiCall<{ credentials: { client_secret?: string }[] }>(server, 'GET', `/api/credentials?client_ids=${encodeURIComponent(client_id)}`, adminToken)
  const secret = listing.credentials[0]?.client_secret
  if (secret === undefined) throw new Error(`no Credential with a visible secret for ${client_id}`)
  return secret
}

/** A JSON call to a CDS API with a bearer token; throws with the body unless the answer is 2xx. */
export async function apiCall<T>(server: BrowserServer, method: 'GET' | 'PUT' | 'POST', pathOrUrl: string, token: string, body?: unknown): Promise<T> {
  const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${server.baseUrl}${pathOrUrl}`
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`)
  return (text === '' ? {} : JSON.parse(text)) as T
}
