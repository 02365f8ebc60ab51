/**
 * How the form checks share browser work: one logged-in page walks through many authorization
 * requests and records what it saw as {@link Observation}s; each check then reads the
 * observations it needs. A step that went wrong fails (or marks not applicable) only the checks
 * that read it.
 *
 * @module
 */
import type { Locator, Page } from 'playwright-core'
import { CheckFailure, CheckNotApplicable, CheckSkip } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import type { TestCustomer } from '../../core/options.js'
import { alerts, catchRedirects, isLoginPage, logIn, startAuthorization, type AuthorizationRequest, type PendingAuthorization, type RedirectCatcher } from './consent.js'
import { snapshot, type PageSnapshot } from './form-snapshot.js'

/** What a survey step saw, or why it saw nothing. */
export type Observation<T> = { ok: true; value: T } | { ok: false; kind: 'fail' | 'na' | 'skip'; reason: string }

/** Runs a step and records its outcome instead of throwing. */
export async function observe<T>(step: () => Promise<T>): Promise<Observation<T>> {
  try {
    return { ok: true, value: await step() }
  } catch (error) {
    if (error instanceof CheckNotApplicable) return { ok: false, kind: 'na', reason: error.message }
    if (error instanceof CheckSkip) return { ok: false, kind: 'skip', reason: error.message }
    if (error instanceof CheckFailure) return { ok: false, kind: 'fail', reason: error.message }
    return { ok: false, kind: 'fail', reason: `unexpected error: ${(error as Error).message}` }
  }
}

/** The value of an observation; otherwise the check fails, is skipped or is not applicable with its reason. */
export function seen<T>(ctx: CheckContext, observation: Observation<T> | undefined, what: string): T {
  if (observation === undefined) ctx.fail(`${what} was not observed`)
  if (observation.ok) return observation.value
  if (observation.kind === 'na') ctx.notApplicable(observation.reason)
  if (observation.kind === 'skip') ctx.skip(observation.reason)
  ctx.fail(`${what}: ${observation.reason}`)
}

/** A page of the run's browser that opens authorization requests one after the other. */
export class Visitor {
  private constructor(
    readonly ctx: CheckContext,
    readonly page: Page,
    readonly catcher: RedirectCatcher,
    readonly redirect_uri: string,
  ) {}

  /** A fresh page (own cookies) whose navigations to `redirect_uri` are recorded and let through. */
  static async open(ctx: CheckContext, redirect_uri: string): Promise<Visitor> {
    const page = await ctx.page()
    // A control that is not there fails the step soon rather than after Playwright's 30 s.
    page.setDefaultTimeout(10_000)
    return new Visitor(ctx, page, await catchRedirects(ctx, page, redirect_uri, false), redirect_uri)
  }

  /** Builds the request and opens it; returns what the browser shows (a login page when there is no session). */
  async open(request: AuthorizationRequest): Promise<{ pending: PendingAuthorization; shown: PageSnapshot }> {
    const pending = await startAuthorization(this.ctx, request)
    const before = this.catcher.hits.length
    await this.page.goto(pending.url)
    if (this.catcher.hits.length > before) await this.catcher.landed(before)
    return { pending, shown: await snapshot(this.page) }
  }

  /** Opens the request and logs in when asked; fails unless it ends on the Authorization Form. */
  async form(request: AuthorizationRequest, customer: TestCustomer): Promise<{ pending: PendingAuthorization; form: PageSnapshot; loginAsked: boolean }> {
    const before = this.catcher.hits.length
    const { pending, shown } = await this.open(request)
    let form = shown
    const loginAsked = shown.login
    if (loginAsked) {
      await logIn(this.ctx, this.page, customer)
      form = await snapshot(this.page)
    }
    if (this.catcher.hits.length > before) {
      const back = this.catcher.hits[before]
      this.ctx.fail(`the request was answered with a redirect to the Client (${back?.search ?? ''}) instead of the Authorization Form`)
    }
    if (form.requests.length === 0) this.ctx.fail(`the browser is not on an Authorization Form (no Request Section at ${form.url}${await alerts(this.page)})`)
    return { pending, form, loginAsked }
  }

  /** Clicks a control (by accessible role and name) and waits until the next document has loaded. */
  async clickAndLoad(role: 'button' | 'link', name: RegExp): Promise<void> {
    const control = this.page.getByRole(role, { name }).first()
    if ((await control.count()) === 0) this.ctx.fail(`the page at ${this.page.url()} has no ${role} named ${String(name)}`)
    await clickAndSettle(this.page, control)
  }

  /** Whether a login page is shown. */
  isLogin(): Promise<boolean> {
    return isLoginPage(this.page)
  }
}

/**
 * Clicks and, when the click starts a navigation (a form submitted to the server rather than
 * handled by a script), waits until the next document has loaded.
 */
export async function clickAndSettle(page: Page, control: Locator, how: 'click' | 'dblclick' = 'click'): Promise<boolean> {
  const navigation = page.waitForRequest((r) => r.isNavigationRequest() && r.frame() === page.mainFrame(), { timeout: 400 }).catch(() => null)
  const loaded = page.waitForEvent('load', { timeout: 30_000 }).catch(() => null)
  if (how === 'dblclick') await control.dblclick()
  else await control.click()
  if ((await navigation) === null) return false
  await loaded
  return true
}

/** The resource numbers of a Selection Component as the survey saw it. */
export function entryValues(form: PageSnapshot, section = 0): string[] {
  return form.requests[section]?.selection?.entries.map((e) => e.value) ?? []
}
