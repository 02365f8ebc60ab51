/**
 * Small shared pieces of the authorization-form checks: the check declaration with its needs, the
 * authorization endpoint probed over plain HTTP, and readers of the surveys' forms.
 *
 * @module
 */
import { defineCheck, type Check, type CheckNeed, type Severity } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import { randomValue, s256 } from './consent.js'
import type { FormClient } from './form-client.js'
import type { PageSnapshot, RequestSectionInfo } from './form-snapshot.js'
import { formSurvey, type KindSurvey, type SelectionKind } from './survey-forms.js'
import { seen } from './survey-kit.js'

/** The needs of a check that drives the browser as the test customer. */
export const BROWSER: readonly CheckNeed[] = ['registration', 'customer', 'browser']
/** The needs of a check that only speaks HTTP with the suite's registration. */
export const HTTP: readonly CheckNeed[] = ['registration']

/** Declares a CDS-WG3-01 check. */
export function check(
  id: string,
  section: string,
  title: string,
  run: (ctx: CheckContext) => Promise<void>,
  needs: readonly CheckNeed[] = BROWSER,
  severity?: Severity,
  also?: readonly string[],
): Check {
  return defineCheck({ id, spec: 'CDS-WG3-01', section, title, needs, ...(severity === undefined ? {} : { severity }), ...(also === undefined ? {} : { also }), run })
}

/** Sends an authorization request in the query (no PAR, no browser, no redirects followed); `undefined` values are left out. */
export async function authorizeDirect(ctx: CheckContext, fc: FormClient, params: Record<string, string | undefined>): Promise<HttpResponse> {
  const url = new URL(await ctx.endpoint('authorization_endpoint'))
  const verifier = randomValue(32)
  const all: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: fc.credentials.client_id,
    redirect_uri: fc.redirect_uri,
    scope: [...fc.scopes.values()][0],
    state: 'afk-direct-state',
    code_challenge: await s256(verifier),
    code_challenge_method: 'S256',
    ...params,
  }
  for (const [name, value] of Object.entries(all)) if (value !== undefined) url.searchParams.set(name, value)
  return ctx.request({ url, headers: { accept: 'text/html' } })
}

/** The redirect to `redirect_uri` a response makes (its Location), if it makes one. */
export function redirectTo(response: HttpResponse, redirect_uri: string): URL | undefined {
  const location = response.headers.get('location')
  if (response.status < 300 || response.status > 399 || location === null) return undefined
  const url = new URL(location, response.url)
  const target = new URL(redirect_uri)
  return url.origin === target.origin && url.pathname === target.pathname ? url : undefined
}

/** The visible text of an HTML body (tags, scripts and styles dropped). */
export function htmlText(html: string): string {
  return html
    .replace(/<(script|style|title)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;|&rsquo;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ')
}

/**
 * Fails unless the response is a page of the server (HTML, possibly after redirects within the
 * server) and not a redirect to the Client's `redirect_uri`; returns the page's text.
 */
export async function expectServerPage(ctx: CheckContext, response: HttpResponse, redirect_uri: string, what: string): Promise<string> {
  const back = redirectTo(response, redirect_uri)
  if (back !== undefined) ctx.fail(`${what} was redirected to the Client (${back.search}) instead of showing the Invalid Request Error page`)
  let page = response
  for (let hop = 0; hop < 5 && page.status >= 300 && page.status <= 399; hop++) {
    const location = page.headers.get('location')
    if (location === null) break
    const next = new URL(location, page.url)
    if (new URL(redirect_uri).origin === next.origin && new URL(redirect_uri).pathname === next.pathname) ctx.fail(`${what} ended at the Client's redirect URI`)
    page = await ctx.request({ url: next, headers: { accept: 'text/html' } })
  }
  ctx.assert(page.mediaType === 'text/html', `${what} answered ${page.status} with ${page.mediaType || 'no content type'}, not an HTML page`)
  return htmlText(page.text)
}

/** One Selection type's survey. */
export async function kindSurvey(ctx: CheckContext, key: SelectionKind['key']): Promise<KindSurvey> {
  return seen(ctx, (await formSurvey(ctx)).kinds.get(key), `the ${key} Selection forms`)
}

/** A named form of the survey. */
export async function namedForm(ctx: CheckContext, name: string): Promise<PageSnapshot> {
  return seen(ctx, (await formSurvey(ctx)).forms.get(name), `the ${name} form`)
}

/** Every Authorization Form the survey saw. */
export async function allForms(ctx: CheckContext): Promise<PageSnapshot[]> {
  const survey = await formSurvey(ctx)
  const out: PageSnapshot[] = []
  for (const kind of survey.kinds.values()) {
    if (!kind.ok) continue
    out.push(kind.value.none)
    if (kind.value.all.ok) out.push(kind.value.all.value)
    if (kind.value.one.ok) out.push(kind.value.one.value.form)
  }
  for (const form of survey.forms.values()) if (form.ok) out.push(form.value)
  if (out.length === 0) ctx.fail('the survey saw no Authorization Form')
  return out
}

/** The first Request Section of a form. */
export function firstSection(ctx: CheckContext, form: PageSnapshot): RequestSectionInfo {
  const section = form.requests[0]
  if (section === undefined) ctx.fail(`the form at ${form.url} has no Request Section`)
  return section
}

/** The duration statements of a form, all Request Sections together. */
export function durations(form: PageSnapshot): string[] {
  return form.requests.flatMap((r) => r.durations)
}

/** A year `years` from now, as four digits. */
export function yearFromNow(years: number): string {
  return String(new Date().getUTCFullYear() + years)
}
