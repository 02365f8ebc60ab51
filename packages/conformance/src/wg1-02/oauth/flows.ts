/**
 * The longer flows the OAuth and Grants checks share: a customer's authorization through the
 * run's browser up to the code (the consent driver of the authorization-form checks), the code
 * exchange, Grants made through the operator test API, and Grant Admin tokens (CDS-WG1-02 §3.3.2).
 *
 * @module
 */
import type { Page } from 'playwright-core'
import type { CheckContext, Json } from '../../core/context.js'
import type { HttpResponse } from '../../core/http.js'
import type { ClientCredentials, TestCustomer } from '../../core/options.js'
import { clientWithScope, listAll, type SuiteRegistration } from '../../core/registration.js'
import { clickDecision, codeOf, openAndLogIn, startAuthorization, type PendingAuthorization } from '../../wg3-01/authorization-form/consent.js'
import { labAdminToken, labCodeClient, labRegistration, scopeDescriptions, tokenRequest, type CodeClient } from './lab.js'

/** A customer's answer to an authorization request, caught at the redirect URI. */
export interface Authorization {
  pending: PendingAuthorization
  /** Where the browser was sent back to. */
  redirect: URL
  /** The browser page, still open until the check ends. */
  page: Page
}

/** Options of {@link customerAuthorization}. */
export interface AuthorizationOptions {
  /** Further request parameters (they replace the computed ones). */
  extra?: Record<string, string>
  /** Send the request in the query instead of pushing it. */
  noPar?: boolean
  customer?: TestCustomer
  /** Acts on the form (default: approve what it preselects). */
  decide?: (page: Page) => Promise<void>
  client?: CodeClient
}

/** Runs an authorization request of the lab's code client through the browser, logging in and deciding. */
export async function customerAuthorization(ctx: CheckContext, options: AuthorizationOptions = {}): Promise<Authorization> {
  const client = options.client ?? (await labCodeClient(ctx))
  const customer = options.customer ?? ctx.customer()
  const pending = await startAuthorization(ctx, {
    credentials: client.credentials,
    client_id: String(client.client.client_id),
    redirect_uri: client.redirect_uri,
    scope: client.scope,
    ...(options.extra === undefined ? {} : { extra: options.extra }),
    ...(options.noPar === undefined ? {} : { noPar: options.noPar }),
  })
  const { page, catcher } = await openAndLogIn(ctx, pending, customer)
  if (catcher.hits.length === 0) await (options.decide ?? ((p: Page) => clickDecision(ctx, p, 'approve')))(page)
  const redirect = await catcher.next(0)
  return { pending, redirect, page }
}

/** An approved authorization's code (RFC 6749 §4.1.2), with the request's `state` checked. */
export async function approvedCode(ctx: CheckContext, options: AuthorizationOptions = {}): Promise<{ code: string; pending: PendingAuthorization; redirect: URL }> {
  const { pending, redirect } = await customerAuthorization(ctx, options)
  return { code: codeOf(ctx, pending, redirect), pending, redirect }
}

/** Sends the code exchange (RFC 6749 §4.1.3) with `changes` to the correct parameters. */
export function exchange(ctx: CheckContext, pending: PendingAuthorization, code: string, changes: Record<string, string | undefined> = {}, credentials: ClientCredentials = pending.credentials): Promise<HttpResponse> {
  return tokenRequest(ctx, credentials, { grant_type: 'authorization_code', code, redirect_uri: pending.redirect_uri, code_verifier: pending.code_verifier, ...changes })
}

/** Exchanges a code and returns the token response; fails unless it is 200 with an access token. */
export async function exchangeOk(ctx: CheckContext, pending: PendingAuthorization, code: string): Promise<Json> {
  const response = await exchange(ctx, pending, code)
  if (response.status !== 200) ctx.fail(`the code exchange answered ${response.status}: ${response.text.slice(0, 300)}`)
  const tokens = response.json<Json>()
  ctx.assert(typeof tokens.access_token === 'string', 'the token response has no access_token')
  return tokens
}

/** The Grants of `client_id` in the lab registration, newest `modified` first. */
export async function grantsOf(ctx: CheckContext, client_id: string): Promise<Json[]> {
  const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
  url.searchParams.set('client_ids', client_id)
  const grants: Json[] = []
  for await (const grant of listAll(ctx, url.href, await labAdminToken(ctx), 'grants')) grants.push(grant)
  return grants
}

/** The Grant of the lab registration with this id (through the `grant_ids` filter). */
export async function grantById(ctx: CheckContext, grant_id: string): Promise<Json> {
  const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
  url.searchParams.set('grant_ids', grant_id)
  const response = await ctx.request({ url, bearer: await labAdminToken(ctx) })
  ctx.expectStatus(response, 200)
  const found = (response.json<Json>().grants as Json[] | undefined)?.find((grant) => grant.grant_id === grant_id)
  if (found === undefined) ctx.fail(`the Grants API does not list Grant ${grant_id}`)
  return found
}

/** Runs `act` and returns the Grants of `client_id` that appeared meanwhile. */
export async function newGrants(ctx: CheckContext, client_id: string, act: () => Promise<void>): Promise<Json[]> {
  const before = new Set((await grantsOf(ctx, client_id)).map((grant) => grant.grant_id))
  await act()
  return (await grantsOf(ctx, client_id)).filter((grant) => !before.has(grant.grant_id))
}

/** An approved authorization of the lab's code client with the default redirect URI, its receipt page and its Grant; made once per run. */
export interface ReceiptAuthorization {
  code: string
  pending: PendingAuthorization
  redirect: URL
  /** The page at the redirect URI, fetched again by the suite. */
  receipt: HttpResponse
  grant: Json
  /** The token response of the code exchange. */
  tokens: Json
}

/** The run's {@link ReceiptAuthorization}. */
export function receiptAuthorization(ctx: CheckContext): Promise<ReceiptAuthorization> {
  return ctx.once('wg1-02-oauth:receipt-authorization', async () => {
    const client = await labCodeClient(ctx)
    let result: { code: string; pending: PendingAuthorization; redirect: URL } | undefined
    const created = await newGrants(ctx, String(client.client.client_id), async () => {
      result = await approvedCode(ctx, { client })
    })
    if (result === undefined) ctx.fail('the authorization did not finish')
    const grant = created[0]
    if (grant === undefined) ctx.fail(`the customer's approval left no new Grant for ${String(client.client.client_id)} on the Grants API`)
    const receipt = await ctx.request({ url: result.redirect, headers: { accept: 'text/html' }, follow: true })
    const tokens = await exchangeOk(ctx, result.pending, result.code)
    return { ...result, receipt, grant, tokens }
  })
}

/** A declined authorization of the lab's code client with the default redirect URI; made once per run. */
export function declinedAuthorization(ctx: CheckContext): Promise<{ pending: PendingAuthorization; redirect: URL; page: HttpResponse }> {
  return ctx.once('wg1-02-oauth:declined-authorization', async () => {
    const { pending, redirect } = await customerAuthorization(ctx, { decide: (page) => clickDecision(ctx, page, 'decline') })
    const page = await ctx.request({ url: redirect, headers: { accept: 'text/html' }, follow: true })
    return { pending, redirect, page }
  })
}

/** Creates a Grant through the operator test API (skipped without one) and returns the Grant object. */
export async function operatorGrant(ctx: CheckContext, body: Json): Promise<Json> {
  const response = await ctx.operatorRequest('grants', { json: body })
  if (response.status !== 201) ctx.fail(`the operator test API refused the Grant (${response.status}): ${response.text.slice(0, 300)}`)
  const grant = response.json<Json>().grant
  if (typeof grant !== 'object' || grant === null) ctx.fail('the operator test API answered no grant')
  return grant as Json
}

/** Moves a Grant through the operator test API and returns it. */
export async function operatorGrantStatus(ctx: CheckContext, grant_id: string, body: Json): Promise<Json> {
  const response = await ctx.operatorRequest(`grants/${encodeURIComponent(grant_id)}/status`, { json: body })
  if (response.status !== 200) ctx.fail(`the operator test API refused the status change (${response.status}): ${response.text.slice(0, 300)}`)
  return response.json<Json>().grant as Json
}

/** The Grant Admin scope that administers a scope (CDS-WG1-02 §3.3.2), and that Client object of the registration. */
export async function grantAdminFor(ctx: CheckContext, registration: SuiteRegistration, scope: string): Promise<{ id: string; credentials: ClientCredentials }> {
  const id = (await scopeDescriptions(ctx))[scope]?.grant_admin_scope
  if (typeof id !== 'string') ctx.notApplicable(`the scope ${scope} has no grant_admin_scope`)
  const found = clientWithScope(registration, id)
  if (found === undefined) ctx.fail(`the registration has no Client object with the Grant Admin scope ${id} and a secret`)
  return { id, credentials: found.credentials }
}

/** The `client_credentials` request of a Grant Admin token for a Grant (CDS-WG1-02 §3.3.2). */
export async function grantAdminRequest(ctx: CheckContext, grant: Json, scope: string, extra: Json = {}): Promise<{ response: HttpResponse; entry: Json; id: string }> {
  const registration = await labRegistration(ctx)
  const admin = await grantAdminFor(ctx, registration, scope)
  const entry = { type: admin.id, client_id: grant.client_id, grant_id: grant.grant_id, ...extra }
  const response = await tokenRequest(ctx, admin.credentials, { grant_type: 'client_credentials', authorization_details: JSON.stringify([entry]) })
  return { response, entry, id: admin.id }
}

/** A Grant Admin access token for a Grant; fails unless the server issues it. */
export async function grantAdminToken(ctx: CheckContext, grant: Json, scope: string): Promise<string> {
  const { response } = await grantAdminRequest(ctx, grant, scope)
  if (response.status !== 200) ctx.fail(`the Grant Admin token request answered ${response.status}: ${response.text.slice(0, 300)}`)
  return String(response.json<Json>().access_token)
}

/**
 * An `active` Grant of the lab's code client: made by the operator test API when the run has it,
 * else by a customer's approval; skipped when the run has neither.
 */
export async function activeCodeGrant(ctx: CheckContext): Promise<{ grant: Json; client: CodeClient }> {
  const client = await labCodeClient(ctx)
  if (ctx.options.operator !== undefined) return { grant: await operatorGrant(ctx, { client_id: client.client.client_id, scope: client.scope, status: 'active' }), client }
  return { grant: (await receiptAuthorization(ctx)).grant, client }
}
