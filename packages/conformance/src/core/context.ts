/**
 * What a check works with: the HTTP layer, the server's metadata documents, the suite's own
 * registration and tokens, and the run's optional test customer, browser and operator test API.
 * What several checks need is fetched once per run and shared.
 *
 * @module
 */
import { checkStrict, parseJson, type Issue } from '@cds-ts/schema'
import type { TSchema } from 'typebox'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser, newPage } from './browser.js'
import { CheckFailure, CheckNotApplicable, CheckSkip } from './check.js'
import { Http, type HttpRequest, type HttpResponse } from './http.js'
import type { ClientCredentials, ConformanceOptions, TestCustomer } from './options.js'
import { registerSuite, type SuiteRegistration } from './registration.js'

/** A JSON object. */
export type Json = Record<string, unknown>

/** State shared by the checks of one run. */
export class RunState {
  readonly http: Http
  private readonly memo = new Map<string, Promise<unknown>>()

  constructor(readonly options: ConformanceOptions) {
    this.http = new Http(options.baseUrl, options.fetch ?? fetch, options.requestTimeoutMs ?? 15_000)
  }

  /** Cleanups of the current check, run by the runner after it. */
  cleanups: (() => Promise<void>)[] = []

  /** Closes what the run opened (the browser). */
  async close(): Promise<void> {
    const browser = this.memo.get('browser') as Promise<Browser> | undefined
    if (browser !== undefined) await browser.then((b) => b.close()).catch(() => undefined)
  }

  /** Runs `make` once per key for the whole run; a failure is remembered and rethrown to every caller. */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let value = this.memo.get(key) as Promise<T> | undefined
    if (value === undefined) {
      value = make()
      this.memo.set(key, value)
    }
    return value
  }
}

/** The context handed to each check. */
export class CheckContext {
  constructor(private readonly state: RunState) {}

  /** The run's options. */
  get options(): ConformanceOptions {
    return this.state.options
  }

  /** The server's base URL. */
  get baseUrl(): string {
    return this.state.options.baseUrl
  }

  /** Sends one request (see {@link HttpRequest}). */
  request(request: HttpRequest): Promise<HttpResponse> {
    return this.state.http.send(request)
  }

  /** Resolves a URL against the base URL. */
  url(path: string | URL): URL {
    return this.state.http.resolve(path)
  }

  /** Shares a value between the checks of the run (computed once). */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    return this.state.once(key, make)
  }

  /** The CDS Server Metadata document (CDS-WG1-01 §3), fetched once per run. */
  serverMetadata(): Promise<Json> {
    return this.once('wk', async () => {
      const response = await this.request({ url: '/.well-known/cds-server-metadata.json' })
      if (response.status !== 200) throw new CheckFailure(`${response.request} answered ${response.status}`)
      return objectOf(response.json(), 'the CDS Server Metadata')
    })
  }

  /** The OAuth Authorization Server Metadata at `oauth_metadata` (CDS-WG1-02 §3), fetched once per run. */
  oauthMetadata(): Promise<Json> {
    return this.once('asm', async () => {
      const metadata = await this.serverMetadata()
      if (typeof metadata.oauth_metadata !== 'string') throw new CheckFailure('the CDS Server Metadata has no oauth_metadata URL')
      const response = await this.request({ url: metadata.oauth_metadata })
      if (response.status !== 200) throw new CheckFailure(`${response.request} answered ${response.status}`)
      return objectOf(response.json(), 'the Authorization Server Metadata')
    })
  }

  /** A URL member of the Authorization Server Metadata; not applicable when the server does not publish it. */
  async endpoint(name: string): Promise<string> {
    const value = (await this.oauthMetadata())[name]
    if (typeof value !== 'string') this.notApplicable(`the server publishes no ${name}`)
    return value
  }

  /**
   * The suite's registration, shared by the run: the given `client` or a registration of every
   * scope the server offers. Checks that change or delete what they get use {@link freshRegistration}.
   */
  registration(): Promise<SuiteRegistration> {
    return this.once('registration', () => registerSuite(this, this.options.client))
  }

  /** A registration of this check's own (the given scopes, or every scope the server offers). */
  freshRegistration(scope?: string, extra?: Json): Promise<SuiteRegistration> {
    if (this.options.client !== undefined && this.options.allowRegistration === false) this.skip('the run was given credentials and may not register')
    return registerSuite(this, undefined, scope, extra)
  }

  /** A client_credentials access token of `credentials` for `scope` (client_secret_basic). */
  async clientToken(credentials: ClientCredentials, scope: string, form: Record<string, string> = {}): Promise<string> {
    const response = await this.request({
      url: await this.endpoint('token_endpoint'),
      basic: credentials,
      form: { grant_type: 'client_credentials', scope, ...form },
    })
    if (response.status !== 200) throw new CheckFailure(`client_credentials for ${scope} answered ${response.status}: ${response.text.slice(0, 300)}`)
    const token = response.json<Json>().access_token
    if (typeof token !== 'string') throw new CheckFailure('the token response has no access_token')
    return token
  }

  /** A `cds_client_admin` token of the run's registration, fetched once per run. */
  adminToken(): Promise<string> {
    return this.once('admin-token', async () => this.clientToken((await this.registration()).admin, 'cds_client_admin'))
  }

  /** The run's first test customer; skips the check when the run has none. */
  customer(index = 0): TestCustomer {
    const customer = this.options.customers?.[index]
    if (customer === undefined) this.skip(index === 0 ? 'no test customer was given (--customer)' : `needs ${index + 1} test customers`)
    return customer
  }

  /** The operator test API; skips the check when the run has none. */
  operator(): { baseUrl: string; token: string } {
    const operator = this.options.operator
    if (operator === undefined) this.skip('the operator test API was not given (--operator-token)')
    return { baseUrl: operator.baseUrl ?? this.baseUrl, token: operator.token }
  }

  /** A request to the operator test API (`path` under `/operator/`). */
  operatorRequest(path: string, request: Omit<HttpRequest, 'url' | 'bearer'> = {}): Promise<HttpResponse> {
    const { baseUrl, token } = this.operator()
    return this.request({ ...request, url: new URL(`operator/${path.replace(/^\//, '')}`, baseUrl.replace(/\/?$/, '/')), bearer: token })
  }

  /** A fresh browser page with its own cookies, closed after the check; skips the check when the run has no browser. */
  async page(): Promise<Page> {
    const options = this.options.browser
    if (options === undefined) this.skip('no browser was given (--browser /usr/bin/chromium)')
    const browser = await this.once('browser', () => launchBrowser(options))
    const { page, close } = await newPage(browser)
    this.state.cleanups.push(close)
    return page
  }

  /** Runs `cleanup` after the check, whatever its outcome (for example to delete what it created). */
  defer(cleanup: () => Promise<void>): void {
    this.state.cleanups.push(cleanup)
  }

  /** Whether a URL is acceptable where the specs ask for `https:` (loopback `http:` only when the run allows it). */
  isSecureUrl(value: string): boolean {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return false
    }
    if (url.protocol === 'https:') return true
    const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'
    return url.protocol === 'http:' && loopback && this.options.allowLoopbackHttp === true
  }

  /** Fails the check. */
  fail(message: string): never {
    throw new CheckFailure(message)
  }

  /** Skips the check with a reason. */
  skip(reason: string): never {
    throw new CheckSkip(reason)
  }

  /** Marks the requirement as not applying to this server. */
  notApplicable(reason: string): never {
    throw new CheckNotApplicable(reason)
  }

  /** Fails with `message` unless `condition` holds. */
  assert(condition: unknown, message: string): asserts condition {
    if (!condition) throw new CheckFailure(message)
  }

  /**
   * Fails unless `value` conforms to a schema of `@cds-ts/schema` (strict: unknown members are
   * allowed, as the specs' extension rules require, unless `closed` is set).
   */
  conforms(schema: TSchema, value: unknown, what: string, closed = false): void {
    const issues: Issue[] = checkStrict(schema, value, { closed })
    if (issues.length > 0)
      throw new CheckFailure(`${what} does not conform: ${issues.slice(0, 5).map((issue) => `${issue.path || '/'} ${issue.message}`).join('; ')}`)
  }

  /** The body parsed with exact decimals (numbers with a fraction or many digits keep their text). */
  exactJson(response: HttpResponse): unknown {
    try {
      return parseJson(response.text)
    } catch {
      throw new CheckFailure(`${response.request} answered a body that is not JSON`)
    }
  }

  /** Fails unless the response has the status (or one of the statuses). */
  expectStatus(response: HttpResponse, status: number | readonly number[]): void {
    const allowed = typeof status === 'number' ? [status] : status
    if (!allowed.includes(response.status))
      throw new CheckFailure(`${response.request} answered ${response.status}, expected ${allowed.join(' or ')}: ${response.text.slice(0, 300)}`)
  }

  /** Fails unless the response is a JSON OAuth/CDS error body with the code (or one of the codes). */
  expectError(response: HttpResponse, status: number | readonly number[], error: string | readonly string[]): void {
    this.expectStatus(response, status)
    const body = response.mediaType.endsWith('json') ? response.json<Json>() : {}
    const codes = typeof error === 'string' ? [error] : error
    if (!codes.includes(body.error as string))
      throw new CheckFailure(`${response.request} answered error ${JSON.stringify(body.error)}, expected ${codes.join(' or ')}`)
  }
}

/** The value as a JSON object, or a failure naming what it should have been. */
export function objectOf(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CheckFailure(`${what} is not a JSON object`)
  return value as Json
}
