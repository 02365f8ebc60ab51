/**
 * The consent lab of the §7 checks: a few customer consents made once per run in the browser
 * (the §9 helpers' {@link authorizeWithConsent}, the form Client object holding every consent
 * scope), each approving what its request preselects, and the Grant each one created
 * (CDS-WG1-02 §8). The views:
 *
 * - `on`: Account List, Meter List, Service Bills and Meter Usage with every include field true
 *   and one Usage Segment value type;
 * - `bare`: Meter Usage alone with every optional include field false but Service Contracts and
 *   Meter Devices (so the Service Points between them must show, §7.2.2, §7.2.4) and no value type;
 * - `jwk`: Account List with a P-256 key (§7.4.6), its private half kept for decryption.
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext, Json } from '../../core/context.js'
import { authorizeWithConsent } from '../authorization-form/consent.js'
import { formClient, grantsOf, type FormClient } from '../authorization-form/form-client.js'
import { SHORT_USAGE } from './direct-lab.js'
import { cdScopes, check, choiceIds, profileOf, type CdScope, type CheckOptions } from './kit.js'

/** The needs of a check that reads a consent view. */
export const CONSENT_NEEDS = ['registration', 'customer', 'browser'] as const

/** A consent the lab made. */
export interface ConsentView {
  name: string
  scopes: CdScope[]
  /** The entries the request carried. */
  requested: Json[]
  /** The token response. */
  tokens: Json
  token: string
  grant?: Json
  /** The private key of the `jwk` view (ECDH P-256). */
  privateKey?: CryptoKey
  publicJwk?: Json
}

/** Wide bill windows, the same in the consent and in the suite's direct reading, so no boundary separates them. */
export const WIDE = { statement_date_start: 'P3Y', start_date: 'P3Y' } as const

// The preselection field that selects everything for each Selection type (`_all`, §7.1).
const SELECT_ALL: Readonly<Record<string, string>> = {
  account_selection: 'account_numbers',
  service_contract_selection: 'contract_numbers',
  meter_device_selection: 'meter_numbers',
  servicepoint_selection: 'servicepoint_numbers',
}

/** A consent entry: includes set by `include`, everything preselected, a short usage window, then `extra`. */
export function consentEntry(scope: CdScope, include: (field: string) => boolean, extra: Json = {}): Json {
  const implied = (profileOf(scope.type)?.impliedTrueFields ?? []) as readonly string[]
  const entry: Json = { type: scope.rarType }
  for (const [id, field] of scope.fields) {
    if (!id.startsWith('include_') || field.format !== 'boolean') continue
    const value = include(id)
    if (value || !implied.includes(id)) entry[id] = value
  }
  const selection = scope.fields.get('authorization_form_selection_type')?.default
  const all = typeof selection === 'string' ? SELECT_ALL[selection] : undefined
  if (all !== undefined && scope.fields.has(all)) entry[all] = ['_all']
  if (scope.fields.has('segment_start')) Object.assign(entry, SHORT_USAGE)
  return { ...entry, ...extra }
}

/**
 * The Grant of a consent (CDS-WG1-02 §8): named by the token response (`cds_grant_ids`, A-32) or
 * else the newest Grant of the form Client object with exactly the consent's scopes, created since
 * the request began.
 */
async function grantOf(ctx: CheckContext, tokens: Json, fc: FormClient, scopes: readonly string[], since: number): Promise<Json | undefined> {
  const ids = tokens.cds_grant_ids
  const named = Array.isArray(ids) && typeof ids[0] === 'string' ? ids[0] : typeof tokens.grant_id === 'string' ? tokens.grant_id : undefined
  const grants = await grantsOf(ctx, fc)
  if (named !== undefined) return grants.find((g) => g.grant_id === named)
  const same = (g: Json) => {
    const own = String(g.scope).split(' ')
    return own.length === scopes.length && scopes.every((s) => own.includes(s))
  }
  return grants.find((g) => same(g) && Date.parse(String(g.created)) >= since - 5_000)
}

async function make(ctx: CheckContext, name: string): Promise<ConsentView> {
  const fc = await formClient(ctx)
  const held = String(fc.client.scope).split(' ')
  const all = (await cdScopes(ctx)).filter((s) => s.consent && held.includes(s.id))
  const pick = (types: readonly string[]) => types.map((t) => all.find((s) => s.type === t)).filter((s): s is CdScope => s !== undefined)
  let scopes: CdScope[]
  let requested: Json[]
  let privateKey: CryptoKey | undefined
  let publicJwk: Json | undefined
  if (name === 'on') {
    scopes = pick(['cds_accounts', 'cds_meters', 'cds_service_bills', 'cds_usage'])
    requested = scopes.map((s) => {
      const types = choiceIds(s.fields.get('include_usage_segment_value_types'))
      const windows = Object.fromEntries(Object.entries(WIDE).filter(([k]) => s.fields.has(k)))
      return consentEntry(s, () => true, { ...windows, ...(types.length > 0 ? { include_usage_segment_value_types: types.slice(0, 1) } : {}) })
    })
  } else if (name === 'bare') {
    scopes = pick(['cds_usage'])
    const keep = ['include_service_contracts', 'include_meter_devices']
    requested = scopes.map((s) => consentEntry(s, (id) => keep.includes(id), s.fields.has('include_usage_segment_value_types') ? { include_usage_segment_value_types: null } : {}))
  } else {
    scopes = pick(['cds_accounts']).filter((s) => s.fields.has('jwk'))
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits'])
    const jwk = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as Json
    privateKey = pair.privateKey
    publicJwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, use: 'enc' }
    requested = scopes.map((s) => consentEntry(s, () => false, { jwk: publicJwk }))
  }
  if (scopes.length === 0) ctx.notApplicable(`the suite's consent Client object holds none of the scopes of the ${name} view`)
  const since = Date.now()
  const result = await authorizeWithConsent(ctx, { credentials: fc.credentials, redirect_uri: fc.redirect_uri, scope: scopes.map((s) => s.id).join(' '), authorization_details: requested })
  const token = result.tokens.access_token
  if (typeof token !== 'string') ctx.fail('the code exchange gave no access token')
  const grant = await grantOf(ctx, result.tokens, fc, scopes.map((s) => s.id), since)
  return { name, scopes, requested, tokens: result.tokens, token, ...(grant === undefined ? {} : { grant }), ...(privateKey === undefined ? {} : { privateKey }), ...(publicJwk === undefined ? {} : { publicJwk }) }
}

/** A consent view of the run (made once). */
export function consentView(ctx: CheckContext, name: 'on' | 'bare' | 'jwk'): Promise<ConsentView> {
  return ctx.once(`adf:consent:${name}`, () => make(ctx, name))
}

/** The entries of a view's token response and Grant (the Grant's when both are there). */
export function grantedEntries(view: ConsentView): { token: Json[]; grant: Json[] | undefined } {
  const token = Array.isArray(view.tokens.authorization_details) ? (view.tokens.authorization_details as Json[]) : []
  const grant = Array.isArray(view.grant?.authorization_details) ? (view.grant.authorization_details as Json[]) : undefined
  return { token, grant }
}

/** Declares a check that reads a consent view. */
export function consentCheck(id: string, section: string, title: string, run: (ctx: CheckContext) => Promise<void>, options: CheckOptions = {}): Check {
  return check(id, section, title, run, { needs: CONSENT_NEEDS, ...options })
}
