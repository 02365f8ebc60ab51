/**
 * CDS-WG3-01 §6 (general), §6.1 and §6.2 (general): Grants made at once when access is given,
 * the `pending` state of Grants whose data comes later and its end, the flows of consent and
 * direct scopes, and the preselection filters of direct scopes.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { listAll } from '../../core/registration.js'
import { allSelection, approve, consentLab, entryFor, labGrants, SELECTIONS } from './consent-lab.js'
import { fullConsent, truth } from './consents.js'
import { viewOf, type ApiKey } from './data-lab.js'
import { cdScopes, check, CONSENT, CONSENT_TYPES as CONSENT_TYPE_LIST, credentialsFor, HTTP, parProbe, show, strings, tokenProbe, type CdScope } from './kit.js'

const CONSENT_TYPES = new Set(CONSENT_TYPE_LIST)

/** The Grants of the shared registration and of the consent lab. */
async function observedGrants(ctx: CheckContext): Promise<Json[]> {
  const url = String((await ctx.oauthMetadata()).cds_grants_api)
  const out: Json[] = []
  for await (const grant of listAll(ctx, url, await ctx.adminToken(), 'grants')) out.push(grant)
  await fullConsent(ctx)
  out.push(...(await labGrants(ctx, await consentLab(ctx))))
  return out
}

const sameSet = (a: unknown, b: unknown) => {
  const x = typeof a === 'string' ? a.split(' ').filter((s) => s !== '') : []
  const y = typeof b === 'string' ? b.split(' ').filter((s) => s !== '') : []
  return x.length === y.length && x.every((s) => y.includes(s))
}

/** The pending Grants seen; not applicable when there are none (the server made every Grant's data available at once). */
async function pendingGrants(ctx: CheckContext): Promise<Json[]> {
  const pending = (await observedGrants(ctx)).filter((g) => g.status === 'pending')
  if (pending.length === 0) ctx.notApplicable('no Grant of the run was pending: the server made the data of each one available at once')
  return pending
}

/** The listing each direct scope type is about, and the preselection field that filters it by number (§7.1). */
const DIRECT_FILTERS: Readonly<Record<string, [ApiKey, string, string]>> = {
  cds_query_accounts: ['accounts', 'account_numbers', 'account_number'],
  cds_query_service_contracts: ['service_contracts', 'contract_numbers', 'contract_number'],
  cds_query_service_points: ['service_points', 'servicepoint_numbers', 'servicepoint_number'],
  cds_query_meter_devices: ['meter_devices', 'meter_numbers', 'meter_number'],
  cds_query_aggregations: ['aggregations', 'aggregation_numbers', 'aggregation_number'],
}

/** The checks of §6, §6.1 and §6.2 (general). */
export const scopesGeneralChecks: readonly Check[] = [
  check(
    'R3-01-6-02',
    '6',
    'a Grant exists as soon as access is given: before the code is exchanged, and for a client_credentials token',
    async (ctx: CheckContext) => {
      // client_credentials: the Grant of a direct Client object is there when its token is.
      const direct = (await cdScopes(ctx)).find((s) => !s.consent)
      if (direct !== undefined) {
        const { client } = await credentialsFor(ctx, direct.id)
        const probe = await tokenProbe(ctx, direct)
        ctx.assert(probe.accepted, `a client_credentials token for ${direct.id} was refused: ${probe.response.status}`)
        const url = new URL(String((await ctx.oauthMetadata()).cds_grants_api))
        url.searchParams.set('client_ids', String(client.client_id))
        const grants: Json[] = []
        for await (const grant of listAll(ctx, url.href, await ctx.adminToken(), 'grants')) grants.push(grant)
        ctx.assert(
          grants.some((g) => strings(String(g.scope).split(' ')).includes(direct.id)),
          `right after a client_credentials token for ${direct.id}, the Grants API lists no Grant of its Client object with that scope`,
        )
      }
      // authorization_code: the Grant is there when the customer is sent back, before the code exchange.
      const lab = await consentLab(ctx)
      const scope = [...lab.scopes.values()].find((s) => s.type === 'cds_accounts' && allSelection(s) !== undefined) ?? [...lab.scopes.values()].find((s) => allSelection(s) !== undefined)
      if (scope === undefined) ctx.notApplicable('no consent scope of the lab can select everything')
      const selection = allSelection(scope) ?? 'account_selection'
      const entry = { type: scope.rarType, authorization_form_selection_type: selection, [SELECTIONS[selection].field]: ['_all'] }
      const before = new Set((await labGrants(ctx, lab)).map((g) => String(g.grant_id)))
      let found: Json | undefined
      await approve(ctx, lab, { credentials: lab.credentials, redirect_uri: lab.redirect_uri, scope: scope.id, authorization_details: [entry] }, undefined, async () => {
        found = (await labGrants(ctx, lab)).find((g) => !before.has(String(g.grant_id)))
      })
      ctx.assert(found !== undefined, 'when the customer was sent back with the code, the Grants API listed no new Grant yet')
      ctx.assert(String(found.scope).split(' ').includes(scope.id), `the new Grant has scope ${show(found.scope)}, not the approved ${scope.id}`)
      ctx.assert(entryFor(found.authorization_details, scope) !== undefined, `the new Grant has no authorization_details entry of ${scope.id}: ${show(found.authorization_details)}`)
    },
    { needs: CONSENT },
  ),
  check(
    'R3-01-6-03',
    '6',
    'a consent Grant records the Selection type the customer used, and the data follows from that record',
    async (ctx: CheckContext) => {
      const made = await fullConsent(ctx)
      ctx.assert(made.grant !== undefined, 'the Grant of the consent could not be read from the Grants API')
      for (const section of made.sections) {
        const recorded = entryFor(made.grant.authorization_details, section.scope)?.authorization_form_selection_type
        ctx.assert(recorded === section.entry.authorization_form_selection_type, `the Grant records ${show(recorded)} as the Selection of ${section.scope.id}, not the ${show(section.entry.authorization_form_selection_type)} the form used`)
      }
      // Everything was selected: the data of the Selection's own type is there (derived at read time from the record).
      const all = await truth(ctx)
      ctx.assert(all.accounts.length > 0 || all.service_contracts.length > 0 || all.meter_devices.length > 0, 'the consent that selected everything shows no Account, contract or meter')
    },
    { needs: CONSENT },
  ),
  check(
    'R3-01-6-04',
    '6',
    'a new Grant is pending, or its data is available at once',
    async (ctx: CheckContext) => {
      const made = await fullConsent(ctx)
      const grant = made.grant
      ctx.assert(grant !== undefined, 'the Grant of the consent could not be read from the Grants API')
      if (grant.status === 'pending') return
      ctx.assert(grant.status === 'active', `the new Grant is ${show(grant.status)}, neither pending nor active`)
      const view = await truth(ctx)
      ctx.assert(Object.values(view).some((items) => items.length > 0), 'the new Grant is active but its token shows no data: data that comes later needs a pending Grant')
    },
    { needs: CONSENT },
  ),
  check(
    'R3-01-6-05',
    '6',
    'a pending Grant enables no scope yet',
    async (ctx: CheckContext) => {
      for (const grant of await pendingGrants(ctx)) ctx.assert(grant.enabled_scope === '', `the pending Grant ${String(grant.grant_id)} has enabled_scope ${show(grant.enabled_scope)}`)
    },
    { needs: CONSENT },
  ),
  check(
    'R3-01-6-06',
    '6',
    'a pending Grant enables no authorization details yet',
    async (ctx: CheckContext) => {
      for (const grant of await pendingGrants(ctx))
        ctx.assert(Array.isArray(grant.enabled_authorization_details) && grant.enabled_authorization_details.length === 0, `the pending Grant ${String(grant.grant_id)} has enabled_authorization_details ${show(grant.enabled_authorization_details)}`)
    },
    { needs: CONSENT },
  ),
  check(
    'R3-01-6-07',
    '6',
    'a pending Grant has an eta',
    async (ctx: CheckContext) => {
      for (const grant of await pendingGrants(ctx)) ctx.assert(typeof grant.eta === 'string' && !Number.isNaN(Date.parse(grant.eta)), `the pending Grant ${String(grant.grant_id)} has eta ${show(grant.eta)}`)
    },
    { needs: CONSENT },
  ),
  check(
    'R3-01-6-09',
    '6',
    'a pending Grant whose eta has passed has a later eta',
    async (ctx: CheckContext) => {
      for (const grant of await pendingGrants(ctx)) {
        const eta = Date.parse(String(grant.eta))
        ctx.assert(Number.isNaN(eta) || eta > Date.now() - 60_000, `the Grant ${String(grant.grant_id)} is still pending, but its eta ${String(grant.eta)} has passed`)
      }
    },
    { needs: CONSENT },
  ),
  check(
    'R3-01-6-10',
    '6',
    'a pending Grant leaves pending when its data is there',
    async (ctx: CheckContext) => {
      const url = String((await ctx.oauthMetadata()).cds_grants_api)
      for (const grant of await pendingGrants(ctx)) {
        let status = grant.status
        for (let i = 0; i < 20 && status === 'pending'; i++) {
          await new Promise((resolve) => setTimeout(resolve, 2000))
          const lab = await consentLab(ctx)
          const response = await ctx.request({ url: `${url}/${encodeURIComponent(String(grant.grant_id))}`, bearer: grant.client_id === lab.client.client_id ? lab.adminToken : await ctx.adminToken() })
          if (response.status === 200) status = response.json<Json>().status
        }
        ctx.assert(status !== 'pending', `the Grant ${String(grant.grant_id)} was still pending after 40 s`)
      }
    },
    { needs: CONSENT },
  ),
  check(
    'R3-01-6-11',
    '6',
    'an active Grant enables what it grants: enabled_scope and enabled_authorization_details equal scope and authorization_details',
    async (ctx: CheckContext) => {
      const active = (await observedGrants(ctx)).filter((g) => g.status === 'active')
      ctx.assert(active.length > 0, 'no active Grant was seen')
      for (const grant of active) {
        ctx.assert(sameSet(grant.enabled_scope, grant.scope), `the active Grant ${String(grant.grant_id)} has enabled_scope ${show(grant.enabled_scope)} for scope ${show(grant.scope)}`)
        ctx.assert(JSON.stringify(grant.enabled_authorization_details) === JSON.stringify(grant.authorization_details), `the active Grant ${String(grant.grant_id)} enables ${show(grant.enabled_authorization_details)}, not its authorization_details ${show(grant.authorization_details)}`)
      }
    },
    { needs: CONSENT },
  ),
  check('R3-01-6.1-01', '6.1', 'every consent scope lists the code response type', async (ctx: CheckContext) => {
    const consent = (await cdScopes(ctx)).filter((s) => CONSENT_TYPES.has(s.type))
    if (consent.length === 0) ctx.notApplicable('the server offers no §6.1 consent scope')
    for (const scope of consent) ctx.assert(strings(scope.description.response_types_supported).includes('code'), `${scope.id} lists response types ${show(scope.description.response_types_supported)}`)
  }),
  check(
    'R3-01-6.1-02',
    '6.1',
    'a consent scope has a working authorization endpoint: a pushed request opens the customer pages, not an error',
    async (ctx: CheckContext) => {
      const scope = (await cdScopes(ctx)).find((s) => s.consent)
      if (scope === undefined) ctx.notApplicable('the server offers no consent scope')
      const authorize = await ctx.endpoint('authorization_endpoint')
      const probe = await parProbe(ctx, scope, undefined)
      ctx.assert(probe.accepted, `a pushed authorization request for ${scope.id} was refused: ${probe.response.status} ${probe.response.text.slice(0, 200)}`)
      const { credentials } = await credentialsFor(ctx, scope.id)
      const url = new URL(authorize)
      url.searchParams.set('client_id', credentials.client_id)
      url.searchParams.set('request_uri', String(probe.response.json<Json>().request_uri))
      const page = await ctx.request({ url, headers: { accept: 'text/html' } })
      if (page.status >= 300 && page.status < 400) {
        const location = new URL(page.headers.get('location') ?? '', url)
        ctx.assert(!location.searchParams.has('error'), `the authorization endpoint sent the browser back with error=${location.searchParams.get('error') ?? ''}`)
        ctx.assert(location.origin === url.origin, `the authorization endpoint sent the browser to ${location.href}, away from the server's pages`)
      } else {
        ctx.expectStatus(page, 200)
        ctx.assert(page.mediaType === 'text/html', `the authorization endpoint answered ${page.mediaType}, not an HTML page`)
      }
    },
    { needs: HTTP },
  ),
  check('R3-01-6.2-01', '6.2', 'every direct scope offers client_credentials and no PKCE method', async (ctx: CheckContext) => {
    const direct = (await cdScopes(ctx)).filter((s) => !CONSENT_TYPES.has(s.type))
    if (direct.length === 0) ctx.notApplicable('the server offers no §6.2 direct scope')
    for (const scope of direct) {
      ctx.assert(strings(scope.description.grant_types_supported).includes('client_credentials'), `${scope.id} lists grant types ${show(scope.description.grant_types_supported)}`)
      const methods = scope.description.code_challenge_methods_supported
      ctx.assert(Array.isArray(methods) && methods.length === 0, `${scope.id} lists PKCE methods ${show(methods)}, not []`)
    }
  }),
  check(
    'R3-01-6.2-02',
    '6.2',
    'a direct token with a preselection lists only the objects it names',
    async (ctx: CheckContext) => {
      let checked = 0
      for (const scope of await cdScopes(ctx)) {
        const filter = DIRECT_FILTERS[scope.type]
        if (filter === undefined || !scope.fields.has(filter[1])) continue
        const [api, field, member] = filter
        const wide = await viewOf(ctx, `direct-wide:${scope.id}`, await directToken(ctx, scope, {}))
        const numbers = [...new Set(wide[api].map((item) => item[member]).filter((n): n is string => typeof n === 'string'))]
        const [number] = numbers
        if (number === undefined || numbers.length < 2) continue
        checked++
        const narrow = await viewOf(ctx, `direct-narrow:${scope.id}`, await directToken(ctx, scope, { [field]: [number] }))
        const others = narrow[api].filter((item) => item[member] !== number)
        ctx.assert(others.length === 0, `${scope.id} with ${field} ${show([number])} lists ${api} numbered ${show(others.map((o) => o[member]))}`)
        ctx.assert(narrow[api].length > 0, `${scope.id} with ${field} ${show([number])} lists none of the ${api} with that number`)
      }
      if (checked === 0) ctx.notApplicable('no direct scope offers a number preselection over a listing with two or more numbered objects')
    },
    { needs: HTTP },
  ),
]


/** A `client_credentials` token of a direct scope whose entry turns every include field on, plus `extra`. */
async function directToken(ctx: CheckContext, scope: CdScope, extra: Json): Promise<string> {
  const entry: Json = { type: scope.rarType, ...extra }
  for (const [id, field] of scope.fields) if (id.startsWith('include_') && field.format === 'boolean') entry[id] = true
  const probe = await tokenProbe(ctx, scope, [entry])
  ctx.assert(probe.accepted, `a client_credentials request for ${scope.id} with ${show(entry)} was refused: ${probe.response.status} ${probe.response.text.slice(0, 200)}`)
  return String(probe.response.json<Json>().access_token)
}
