/**
 * A customer's consent in the run's browser, as a Client would drive it: a pushed authorization
 * request (RFC 9126, when the server publishes one) with PKCE S256 (RFC 7636) and RAR
 * `authorization_details` (RFC 9396), the authorization URL opened in the browser, the test
 * customer's login, a decision on the Authorization Form, the redirect back to the Client caught
 * in the browser, and the code exchanged at the token endpoint.
 *
 * The pieces ({@link startAuthorization}, {@link catchRedirects}, {@link logIn},
 * {@link clickDecision}, {@link exchangeCode}) are exported for checks that stop half way (a decline,
 * an error page, a login that is cancelled).
 *
 * Assumptions about the server's pages, all found generically (never by the reference server's
 * ids):
 * - The login page shows one form with a password field (`input[type=password]`) and a login
 *   field in the same form (`autocomplete=username`, else the first email or text field); the
 *   form is submitted by pressing Enter in the password field (the form's default button).
 * - The Authorization Form's approve and decline controls are buttons whose accessible names
 *   start with "Authorize"/"Approve"/"Allow" and "Decline"/"Deny" (the default English labels,
 *   CDS-WG3-01 §9.2.1.6).
 * - The way back to the Client is a browser navigation to the redirect URI (an HTTP redirect, a
 *   refresh or a script). The suite sees it and reads `code` and `state` from its URL; a
 *   navigation that starts there is answered by the suite, while the target of an HTTP redirect is
 *   asked for as in real life (a redirect URI that does not resolve only gives an error page), so
 *   the redirect URI need not serve anything.
 * - The form is on the page the login leads to (or the page the authorization URL opens when a
 *   session exists already); `decide` acts there and ends with a navigation back to the Client.
 *
 * @see CDS-WG3-01 §9.1 Authorization Process
 * @see CDS-WG1-02 §3.8 (the authorization code flow)
 * @module
 */
import type { Page, Request, Route } from 'playwright-core'
import type { CheckContext, Json } from '../../core/context.js'
import type { ClientCredentials, TestCustomer } from '../../core/options.js'

/** What an authorization request carries (the Client's side). */
export interface AuthorizationRequest {
  /** The Client object's credentials (client_secret_basic at PAR and token). */
  credentials: ClientCredentials
  /** The Client object's id (default: `credentials.client_id`). */
  client_id?: string
  /** A redirect URI registered on the Client object; the browser is stopped before it reaches it. */
  redirect_uri: string
  scope: string
  /** RAR entries (RFC 9396), sent as JSON. */
  authorization_details?: readonly Json[]
  /** The `state` (default: random). */
  state?: string
  /** Further parameters of the request (they replace the computed ones). */
  extra?: Record<string, string>
  /** Send the request in the query even when the server offers PAR. */
  noPar?: boolean
  /** Parameters to leave out of the request (for example `scope`, to get the Client object's default). */
  omit?: readonly string[]
}

/** A request ready for the browser. */
export interface PendingAuthorization {
  /** The URL the customer's browser opens. */
  url: string
  state: string
  code_verifier: string
  redirect_uri: string
  client_id: string
  credentials: ClientCredentials
  /** The PAR `request_uri`, when the request was pushed. */
  request_uri?: string
  /** The request left `redirect_uri` out (the code exchange then leaves it out too, RFC 6749 §4.1.3). */
  redirectOmitted?: boolean
}

/** What {@link authorizeWithConsent} hands back. */
export interface ConsentResult {
  code: string
  /** The token response JSON. */
  tokens: Json
  /** The Grant of the authorization: `cds_grant_ids[0]` or `grant_id` of the token response, when present. */
  grant_id?: string
  /** The browser page (now on the suite's stand-in for the redirect URI). */
  page: Page
  /** The URL the browser was sent back to. */
  redirect: URL
  pending: PendingAuthorization
}

/** Options of {@link authorizeWithConsent}. */
export interface ConsentOptions extends Omit<AuthorizationRequest, 'noPar'> {
  /** The customer who logs in (default: the run's first test customer). */
  customer?: TestCustomer
  /** Acts on the Authorization Form (default: approve what the form preselects). */
  decide?: (page: Page) => Promise<void>
}

const base64url = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

/** A random value of `bytes` bytes, base64url. */
export function randomValue(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)))
}

/** RFC 7636 §4.2: the S256 challenge of a verifier. */
export async function s256(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))))
}

/**
 * Builds the authorization request: pushed (RFC 9126 §2) when the server publishes
 * `pushed_authorization_request_endpoint`, else in the query; PKCE S256 always.
 */
export async function startAuthorization(ctx: CheckContext, request: AuthorizationRequest): Promise<PendingAuthorization> {
  const asm = await ctx.oauthMetadata()
  const authorize = await ctx.endpoint('authorization_endpoint')
  const client_id = request.client_id ?? request.credentials.client_id
  const state = request.state ?? randomValue(16)
  const code_verifier = randomValue(32)
  const params: Record<string, string> = {
    response_type: 'code',
    client_id,
    redirect_uri: request.redirect_uri,
    scope: request.scope,
    state,
    code_challenge: await s256(code_verifier),
    code_challenge_method: 'S256',
    ...(request.authorization_details === undefined ? {} : { authorization_details: JSON.stringify(request.authorization_details) }),
    ...request.extra,
  }
  for (const name of request.omit ?? []) delete params[name]
  const url = new URL(authorize)
  const pending = { state, code_verifier, redirect_uri: request.redirect_uri, client_id, credentials: request.credentials, redirectOmitted: params.redirect_uri === undefined }
  const par = asm.pushed_authorization_request_endpoint
  if (typeof par === 'string' && request.noPar !== true) {
    const response = await ctx.request({ url: par, basic: request.credentials, form: params })
    if (response.status !== 201) ctx.fail(`the pushed authorization request answered ${response.status}: ${response.text.slice(0, 300)}`)
    const request_uri = response.json<Json>().request_uri
    ctx.assert(typeof request_uri === 'string', 'the PAR response has no request_uri')
    url.searchParams.set('client_id', client_id)
    url.searchParams.set('request_uri', request_uri)
    return { ...pending, url: url.href, request_uri }
  }
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  return { ...pending, url: url.href }
}

/** The navigations of a page to a redirect URI, answered by the suite instead of the Client. */
export interface RedirectCatcher {
  /** Every URL caught so far, oldest first. */
  readonly hits: readonly URL[]
  /** The next URL caught after `after` hits (default: the hits so far); fails after `timeoutMs`. */
  next(after?: number, timeoutMs?: number): Promise<URL>
  /**
   * Like {@link RedirectCatcher.next}, then waits until the document the browser ends on (after
   * the redirects that follow the redirect URI, when it is served) has loaded.
   */
  landed(after?: number, timeoutMs?: number): Promise<URL>
}

/** The last request of a redirect chain, once its response has come (null response: it failed). */
async function chainEnd(request: Request): Promise<Request> {
  let current = request
  for (let hop = 0; hop < 20; hop++) {
    const response = await current.response().catch(() => null)
    if (response === null || response.status() < 300 || response.status() > 399) return current
    let next = current.redirectedTo()
    for (let i = 0; i < 100 && next === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      next = current.redirectedTo()
    }
    if (next === null) return current
    current = next
  }
  return current
}

/** Whether `url` is the redirect URI (same origin and path; the query is the response). */
function isRedirect(url: URL, redirect_uri: URL): boolean {
  return url.origin === redirect_uri.origin && url.pathname === redirect_uri.pathname
}

/**
 * Records every navigation of `page` to `redirect_uri`. A navigation that starts there (a link, a
 * refresh, a script) is answered by the suite with a small stand-in document, so the redirect URI
 * need not serve anything; one reached through an HTTP redirect is seen but not stopped (the
 * browser cannot intercept a redirect's target), so the redirect URI is then asked for as in real
 * life (a registered address that does not answer only makes the browser show its error page).
 */
export async function catchRedirects(ctx: CheckContext, page: Page, redirect_uri: string, standIn = true): Promise<RedirectCatcher> {
  const target = new URL(redirect_uri)
  const hits: URL[] = []
  const requests: Request[] = []
  const waiters: (() => void)[] = []
  page.on('request', (request) => {
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return
    const url = new URL(request.url())
    if (!isRedirect(url, target)) return
    hits.push(url)
    requests.push(request)
    for (const wake of waiters.splice(0)) wake()
  })
  await page.route(
    (url) => isRedirect(url, target),
    (route: Route) =>
      // A served redirect URI (the server's own default, CDS-WG1-02 §4.2) is let through.
      !standIn ? route.continue() : route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: '<!doctype html><html lang="en"><head><title>Client</title></head><body><main><h1>Back at the Client</h1></main></body></html>' }),
  )
  const catcher: RedirectCatcher = {
    hits,
    async landed(after = hits.length, timeoutMs = 20_000) {
      const hit = await catcher.next(after, timeoutMs)
      const request = requests[after]
      if (request !== undefined) {
        const end = await chainEnd(request)
        await page.waitForURL(end.url(), { waitUntil: 'load', timeout: timeoutMs }).catch(() => undefined)
      }
      return hit
    },
    async next(after = hits.length, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      while (hits.length <= after) {
        const left = deadline - Date.now()
        if (left <= 0) ctx.fail(`the browser was not sent back to ${redirect_uri} (it is on ${page.url()}${await alerts(page)})`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 500))
          waiters.push(() => {
            clearTimeout(timer)
            resolve()
          })
        })
      }
      const hit = hits[after]
      if (hit === undefined) ctx.fail(`the browser was not sent back to ${redirect_uri}`)
      return hit
    },
  }
  return catcher
}

/** The texts of the page's alerts, for failure messages. */
export async function alerts(page: Page): Promise<string> {
  const texts = await page
    .locator('[role=alert]')
    .allInnerTexts()
    .catch(() => [] as string[])
  const shown = texts.map((t) => t.trim()).filter((t) => t !== '')
  return shown.length === 0 ? '' : `; alert: ${shown.join(' | ')}`
}

/** Whether the page shows a login form (a visible password field). */
export async function isLoginPage(page: Page): Promise<boolean> {
  return (await page.locator('input[type=password]:visible').count()) > 0
}

/**
 * Logs in on the login page the browser is on (CDS-WG3-01 §9.1.2): fills the login and password
 * fields of the form that holds the password field and submits it with Enter; waits for the next
 * document.
 */
export async function logIn(ctx: CheckContext, page: Page, customer: TestCustomer): Promise<void> {
  const password = page.locator('input[type=password]:visible').first()
  if ((await password.count()) === 0) ctx.fail(`expected a login page with a password field at ${page.url()}`)
  const form = page.locator('form').filter({ has: password }).first()
  const byAutocomplete = form.locator('input[autocomplete~=username]:visible')
  const login = (await byAutocomplete.count()) > 0 ? byAutocomplete.first() : form.locator('input:is([type=email],[type=text],:not([type])):visible').first()
  if ((await login.count()) === 0) ctx.fail(`the login form at ${page.url()} has no login field`)
  await login.fill(customer.username)
  await password.fill(customer.password)
  await submitAndWait(page, () => password.press('Enter'))
  if (await isLoginPage(page)) ctx.fail(`logging in as ${customer.username} failed: still on a login page${await alerts(page)}`)
}

/** Runs `act` and waits until the document it leads to has loaded (after any redirects). */
export async function submitAndWait(page: Page, act: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const loaded = page.waitForEvent('load', { timeout: timeoutMs })
  await act()
  await loaded
}

/** The accessible names of the decisions (CDS-WG3-01 §9.2.1.6; the default English labels). */
export const DECISION_NAMES = {
  approve: /^\s*(authori[sz]e|approve|allow|accept)\b/i,
  decline: /^\s*(decline|deny|reject)\b/i,
} as const

/** The approve or decline button of the page. */
export function decisionButton(page: Page, decision: keyof typeof DECISION_NAMES) {
  return page.getByRole('button', { name: DECISION_NAMES[decision] })
}

/** Clicks the approve or decline button (failing when the page has none) without waiting. */
export async function clickDecision(ctx: CheckContext, page: Page, decision: keyof typeof DECISION_NAMES): Promise<void> {
  const button = decisionButton(page, decision)
  if ((await button.count()) === 0) ctx.fail(`the page at ${page.url()} has no ${decision} button${await alerts(page)}`)
  await button.first().click()
}

/**
 * Checks the authorization response of a redirect (RFC 6749 §4.1.2: `state` comes back unchanged,
 * no `error`) and returns the code.
 */
export function codeOf(ctx: CheckContext, pending: PendingAuthorization, redirect: URL): string {
  const params = redirect.searchParams
  if (params.has('error')) ctx.fail(`the authorization came back with error=${params.get('error') ?? ''} (${params.get('error_description') ?? 'no description'})`)
  ctx.assert(params.get('state') === pending.state, `the redirect carries state=${JSON.stringify(params.get('state'))}, not the request's ${JSON.stringify(pending.state)}`)
  const code = params.get('code')
  ctx.assert(code !== null && code !== '', 'the redirect carries no code')
  return code
}

/** Exchanges a code at the token endpoint (RFC 6749 §4.1.3, with the PKCE verifier) and returns the token response. */
export async function exchangeCode(ctx: CheckContext, pending: PendingAuthorization, code: string): Promise<Json> {
  const response = await ctx.request({
    url: await ctx.endpoint('token_endpoint'),
    basic: pending.credentials,
    form: { grant_type: 'authorization_code', code, redirect_uri: pending.redirectOmitted === true ? undefined : pending.redirect_uri, code_verifier: pending.code_verifier },
  })
  if (response.status !== 200) ctx.fail(`the code exchange answered ${response.status}: ${response.text.slice(0, 300)}`)
  const tokens = response.json<Json>()
  ctx.assert(typeof tokens.access_token === 'string', 'the token response has no access_token')
  return tokens
}

/** The Grant a token response names: `cds_grant_ids[0]` or a `grant_id` member. */
export function grantIdOf(tokens: Json): string | undefined {
  const ids = tokens.cds_grant_ids
  if (Array.isArray(ids) && typeof ids[0] === 'string') return ids[0]
  return typeof tokens.grant_id === 'string' ? tokens.grant_id : undefined
}

/** Opens the request in a fresh page with its redirect caught, and logs in when a login page shows. */
export async function openAndLogIn(
  ctx: CheckContext,
  pending: PendingAuthorization,
  customer: TestCustomer = ctx.customer(),
  standIn = true,
): Promise<{ page: Page; catcher: RedirectCatcher }> {
  const page = await ctx.page()
  page.setDefaultTimeout(15_000)
  const catcher = await catchRedirects(ctx, page, pending.redirect_uri, standIn)
  await page.goto(pending.url).catch((error: unknown) => {
    // An unreachable redirect URI fails the navigation once the server has sent the browser there.
    if (catcher.hits.length === 0) throw error
  })
  if (catcher.hits.length === 0 && (await isLoginPage(page))) await logIn(ctx, page, customer)
  return { page, catcher }
}

/**
 * A whole consent: request (PAR + PKCE S256 + RAR), browser, login as the test customer,
 * `decide(page)` on the Authorization Form (default: approve with the preselections), the redirect
 * back with the request's `state`, and the code exchange.
 *
 * @example
 * ```ts
 * const { tokens, grant_id } = await authorizeWithConsent(ctx, { credentials, client_id, redirect_uri, scope: 'cds_accounts' })
 * ```
 * @see CDS-WG3-01 §9.1 Authorization Process
 */
export async function authorizeWithConsent(ctx: CheckContext, options: ConsentOptions): Promise<ConsentResult> {
  const customer = options.customer ?? ctx.customer()
  const pending = await startAuthorization(ctx, options)
  const { page, catcher } = await openAndLogIn(ctx, pending, customer)
  if (catcher.hits.length === 0) {
    const decide = options.decide ?? ((p: Page) => clickDecision(ctx, p, 'approve'))
    await decide(page)
  }
  const redirect = await catcher.next(0)
  const code = codeOf(ctx, pending, redirect)
  const tokens = await exchangeCode(ctx, pending, code)
  const grant_id = grantIdOf(tokens)
  return { code, tokens, ...(grant_id === undefined ? {} : { grant_id }), page, redirect, pending }
}
