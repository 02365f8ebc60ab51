/**
 * The consent lab of the §6.1 checks: a registration of the suite's own whose Meter Usage Client
 * object is widened (CDS-WG1-02 §5.5) to every consent scope that fits it, so one authorization can
 * carry a Request Section per scope; the test customer approves in the run's browser
 * (the pieces of the §9 checks' consent driver, on one page kept for the run). Each consent is made once per run and then split into
 * one access token per scope with the refresh token (RFC 6749 §6 lets a refresh ask for less), so
 * the checks of one scope see what that scope alone gives; a server that will not narrow gets a
 * consent of that scope alone instead.
 *
 * @module
 */
import type { CheckContext, Json } from '../../core/context.js'
import type { ClientCredentials } from '../../core/options.js'
import { listAll, type SuiteRegistration } from '../../core/registration.js'
import type { Page } from 'playwright-core'
import { launchBrowser, newPage } from '../../core/browser.js'
import {
  catchRedirects,
  clickDecision,
  codeOf,
  exchangeCode,
  grantIdOf,
  isLoginPage,
  logIn,
  startAuthorization,
  type AuthorizationRequest,
  type RedirectCatcher,
} from '../authorization-form/consent.js'
import { cdScopes, choiceIds, type CdScope } from './kit.js'

/** The suite's consent Client object for this area. */
export interface ConsentLab {
  client: Json
  credentials: ClientCredentials
  redirect_uri: string
  /** Its consent scopes by Scope Description type (the first id of each type). */
  scopes: ReadonlyMap<string, CdScope>
  /** Its `cds_client_admin` token. */
  adminToken: string
  registration: SuiteRegistration
}

const same = (a: unknown, b: unknown) => Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x) => b.includes(x))

/** The lab's Client object (made once per run); not applicable without a consent scope. */
export function consentLab(ctx: CheckContext): Promise<ConsentLab> {
  // The needs are checked before the shared promise, so a run without them skips instead of failing.
  ctx.customer()
  if (ctx.options.browser === undefined) ctx.skip('no browser was given (--browser /usr/bin/chromium)')
  return ctx.once('authz:consent-lab', async () => {
    const consent = (await cdScopes(ctx)).filter((s) => s.consent)
    if (consent.length === 0) ctx.notApplicable('the server offers no Customer Data consent scope')
    const registration = await ctx.freshRegistration()
    const adminToken = await ctx.clientToken(registration.admin, 'cds_client_admin')
    const byId = new Map(consent.map((s) => [s.id, s]))
    const rank = (c: Json) => (String(c.scope).split(' ').some((id) => byId.get(id)?.type === 'cds_usage') ? 0 : 2) + (c.cds_status === 'production' ? 0 : 1)
    const base = registration.clients.filter((c) => (typeof c.scope === 'string' ? c.scope : '').split(' ').some((id) => byId.has(id)) && registration.secrets.has(String(c.client_id))).sort((a, b) => rank(a) - rank(b))[0]
    if (base === undefined) ctx.fail('the registration made no consent Client object with a secret')
    const credentials = registration.secrets.get(String(base.client_id))
    if (credentials === undefined) ctx.fail('no secret for the consent Client object')
    const own = String(base.scope).split(' ')
    const fitting = consent
      .filter((s) => own.includes(s.id) || (same(s.description.grant_types_supported, base.grant_types) && (s.description.registration_requirements as unknown[] | undefined)?.length === 0))
      .map((s) => s.id)
    let client = base
    const put = await ctx.request({ method: 'PUT', url: String(base.cds_client_uri), bearer: adminToken, json: { ...base, scope: [...new Set([...own, ...fitting])].join(' ') } })
    if (put.status === 200) client = put.json<Json>()
    const scopes = new Map<string, CdScope>()
    for (const id of String(client.scope).split(' ')) {
      const scope = byId.get(id)
      if (scope !== undefined && !scopes.has(scope.type)) scopes.set(scope.type, scope)
    }
    const redirect_uri = typeof client.cds_default_redirect_uri === 'string' ? client.cds_default_redirect_uri : (client.redirect_uris as string[] | undefined)?.[0]
    if (redirect_uri === undefined) ctx.fail('the consent Client object has no redirect URI')
    return { client, credentials, redirect_uri, scopes, adminToken, registration }
  })
}

/** The lab's browser page, kept for the run so the customer logs in once, with its redirect URI caught. */
export function labPage(ctx: CheckContext, lab: ConsentLab): Promise<{ page: Page; catcher: RedirectCatcher }> {
  return ctx.once('authz:page', async () => {
    const options = ctx.options.browser
    if (options === undefined) ctx.skip('no browser was given (--browser /usr/bin/chromium)')
    // The run's browser (the key the run state closes at the end).
    const browser = await ctx.once('browser', () => launchBrowser(options))
    const { page } = await newPage(browser)
    page.setDefaultTimeout(15_000)
    return { page, catcher: await catchRedirects(ctx, page, lab.redirect_uri) }
  })
}

/**
 * One authorization approved by the test customer as the form preselects it (CDS-WG3-01 §9.1):
 * PAR and PKCE, the lab's page (logging in when a login page shows), the approve button, the
 * redirect back, the code exchange. Returns the token response.
 */
export async function approve(
  ctx: CheckContext,
  lab: ConsentLab,
  request: AuthorizationRequest,
  decide?: (page: Page) => Promise<void>,
  beforeExchange?: (code: string) => Promise<void>,
): Promise<Json> {
  const pending = await startAuthorization(ctx, request)
  const { page, catcher } = await labPage(ctx, lab)
  const before = catcher.hits.length
  await page.goto(pending.url).catch((error: unknown) => {
    if (catcher.hits.length === before) throw error
  })
  if (catcher.hits.length === before && (await isLoginPage(page))) await logIn(ctx, page, ctx.customer())
  if (catcher.hits.length === before) await (decide ?? ((p: Page) => clickDecision(ctx, p, 'approve')))(page)
  const redirect = await catcher.next(before)
  const code = codeOf(ctx, pending, redirect)
  await beforeExchange?.(code)
  return exchangeCode(ctx, pending, code)
}

/**
 * Checks every selection entry the form shows (every checkbox but an include-future option) and
 * approves: for sections whose preselection matched nothing (a program the customer does not take
 * part in) the customer picks the entries by hand.
 */
export async function selectEverything(ctx: CheckContext, page: Page): Promise<void> {
  for (const box of await page.locator('input[type=checkbox]:visible').all()) {
    const label = await box.evaluate((el) => `${(el as HTMLInputElement).labels?.[0]?.textContent ?? ''} ${el.getAttribute('aria-label') ?? ''} ${(el as HTMLInputElement).name}`)
    if (!/future/i.test(label) && !(await box.isChecked())) await box.check()
  }
  await clickDecision(ctx, page, 'approve')
}

/** The Grants of the lab's Client object (CDS-WG1-02 §8.4). */
export async function labGrants(ctx: CheckContext, lab: ConsentLab): Promise<Json[]> {
  const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
  url.searchParams.set('client_ids', String(lab.client.client_id))
  const out: Json[] = []
  for await (const grant of listAll(ctx, url.href, lab.adminToken, 'grants')) out.push(grant)
  return out
}

/** The lab's scope of a type; not applicable when the server has none (or it does not fit the lab's Client object). */
export async function labScope(ctx: CheckContext, type: string): Promise<CdScope> {
  const scope = (await consentLab(ctx)).scopes.get(type)
  if (scope === undefined) ctx.notApplicable(`the server offers no consent scope of type ${type} (or it does not fit one Client object)`)
  return scope
}

/** The preselection field of each Selection type, and whether `"_all"` selects every entry (§7.1). */
export const SELECTIONS = {
  account_selection: { field: 'account_numbers', all: true },
  service_contract_selection: { field: 'contract_numbers', all: true },
  servicepoint_selection: { field: 'servicepoint_numbers', all: true },
  meter_device_selection: { field: 'meter_numbers', all: true },
  aggregation_selection: { field: 'aggregation_numbers', all: false },
} as const

/** A Selection type. */
export type SelectionType = keyof typeof SELECTIONS

/** Whether the scope offers a Selection type with its preselection field. */
export function offersSelection(scope: CdScope, selection: SelectionType): boolean {
  return choiceIds(scope.fields.get('authorization_form_selection_type')).includes(selection) && scope.fields.has(SELECTIONS[selection].field)
}

/** The first Selection of the scope that can select everything with `"_all"`. */
export function allSelection(scope: CdScope): SelectionType | undefined {
  const order: SelectionType[] = ['account_selection', 'service_contract_selection', 'meter_device_selection', 'servicepoint_selection']
  return order.find((s) => offersSelection(scope, s))
}

/** Every boolean `include_*` field the scope offers, set to `value`. */
export function includes(scope: CdScope, value: boolean): Json {
  const out: Json = {}
  for (const [id, field] of scope.fields) if (id.startsWith('include_') && field.format === 'boolean') out[id] = value
  return out
}

/** One Request Section: the scope and the members of its entry (the `type` is added). */
export interface Section {
  scope: CdScope
  entry: Json
}

/** A consent made by the lab. */
export interface Consent {
  key: string
  sections: readonly Section[]
  /** The token response of the code exchange. */
  tokens: Json
  grant_id?: string
  /** The Grant as the Grants API shows it after the exchange. */
  grant?: Json
  /** The latest refresh token (each narrowing may rotate it). */
  refresh?: string
}

/** The entry a section sends. */
export function entryOf(section: Section): Json {
  return { type: section.scope.rarType, ...section.entry }
}

/** A consent of the lab's Client object (made once per key): the test customer approves the sections as preselected. */
export function consent(ctx: CheckContext, key: string, sections: () => Promise<readonly Section[]>, decide?: (page: Page) => Promise<void>): Promise<Consent> {
  ctx.customer()
  if (ctx.options.browser === undefined) ctx.skip('no browser was given (--browser /usr/bin/chromium)')
  return ctx.once(`authz:consent:${key}`, async () => {
    const lab = await consentLab(ctx)
    const list = await sections()
    if (list.length === 0) ctx.notApplicable('the lab Client object holds none of the scopes this consent needs')
    const before = new Set((await labGrants(ctx, lab)).map((g) => String(g.grant_id)))
    const tokens = await approve(
      ctx,
      lab,
      { credentials: lab.credentials, redirect_uri: lab.redirect_uri, scope: list.map((s) => s.scope.id).join(' '), authorization_details: list.map(entryOf) },
      decide,
    )
    // The Grant: the one the token response names, else the lab's one new Grant.
    const named = grantIdOf(tokens)
    const grant = (await labGrants(ctx, lab)).find((g) => (named === undefined ? !before.has(String(g.grant_id)) : g.grant_id === named))
    const grant_id = named ?? (grant === undefined ? undefined : String(grant.grant_id))
    const refresh = typeof tokens.refresh_token === 'string' ? tokens.refresh_token : undefined
    return { key, sections: list, tokens, ...(grant_id === undefined ? {} : { grant_id }), ...(grant === undefined ? {} : { grant }), ...(refresh === undefined ? {} : { refresh }) }
  })
}

/**
 * An access token of the consent that carries one scope only: a refresh with `scope` set to it,
 * or, when the server refuses that, a consent of that scope's section alone.
 */
export function scopedToken(ctx: CheckContext, made: Consent, scope: CdScope): Promise<string> {
  return ctx.once(`authz:scoped:${made.key}:${scope.id}`, async () => {
    const section = made.sections.find((s) => s.scope.id === scope.id)
    if (section === undefined) throw new TypeError(`the consent ${made.key} has no ${scope.id} section`)
    if (made.sections.length === 1) return String(made.tokens.access_token)
    const lab = await consentLab(ctx)
    if (made.refresh !== undefined) {
      const response = await ctx.request({
        url: await ctx.endpoint('token_endpoint'),
        basic: lab.credentials,
        form: { grant_type: 'refresh_token', refresh_token: made.refresh, scope: scope.id },
      })
      if (response.status === 200) {
        const body = response.json<Json>()
        if (typeof body.refresh_token === 'string') made.refresh = body.refresh_token
        const granted = typeof body.scope === 'string' ? body.scope.split(' ') : [scope.id]
        if (typeof body.access_token === 'string' && granted.length === 1 && granted[0] === scope.id) return body.access_token
      }
    }
    const alone = await consent(ctx, `${made.key}/${scope.id}`, () => Promise.resolve([section]))
    return String(alone.tokens.access_token)
  })
}

/** The entry of a scope in a token response or Grant `authorization_details` (matched by RAR type). */
export function entryFor(details: unknown, scope: CdScope): Json | undefined {
  return (Array.isArray(details) ? (details as Json[]) : []).find((e) => e.type === scope.rarType || e.type === scope.id)
}
