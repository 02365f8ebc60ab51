/**
 * The customer's part of the authorization endpoint. Two ways in:
 *
 * - {@link CustomerAuthorization}, a synchronous stand-in that authenticates the customer and
 *   answers at once ({@link AutoApprove} is a test customer who approves everything), used by
 *   `authorize`;
 * - the interactive flow of CDS-WG3-01 §9.1, where the server stores the pending request, shows
 *   its login and Authorization Form, and hands the customer's {@link AuthorizationDecision} with
 *   their {@link AuthorizationSelection}s to `completeAuthorization`.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1 | RFC 6749 §4.1.1}
 * @module
 */
import type { AuthorizationDetail, ScopeDescription } from '@cds-ts/schema'
import type { CheckedAuthorizationRequest } from './authorization-request.js'
import { customerDataField, forcedIncludes, profileOf } from './customer-data-rules.js'
import { InvalidAuthorizationDetails } from './errors.js'
import { checkNarrowing } from './narrowing.js'
import type { AuthorizationDetailsOptions } from './rar.js'
import type { ClientRecord } from './store.js'

/**
 * What the customer is asked to approve: a checked authorization request.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 */
export interface CustomerAuthorizationRequest {
  client: ClientRecord
  /** Space-separated scope ids. */
  scope: string
  /** The normalized entries, defaults filled and relative dates resolved. */
  authorization_details: AuthorizationDetail[]
  /** Where the answer will go. */
  redirect_uri: string
  state: string | undefined
  /** `login` forces authentication even when the customer has a session (CDS-WG1-02 §8.3, A-35). */
  prompt: string | undefined
  /** The Grant this authorization is for (CDS-WG1-02 §8.3), already checked before login. */
  cds_grant_id: string | undefined
}

/**
 * The customer's answer. An approval may narrow the authorization details (a customer who
 * unticks an account); the server checks them again. A refusal becomes `access_denied`
 * (RFC 6749 §4.1.2.1). Implementations may also throw an `OAuthError` (e.g.
 * `CdsGrantIdInvalidUser`, CDS-WG1-02 §8.3), which the endpoint redirects.
 *
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 | RFC 6749 §4.1.2.1}
 */
export type CustomerAuthorizationResult =
  | { approved: true; customer_id: string; authorization_details?: AuthorizationDetail[] }
  | { approved: false; error: 'access_denied'; error_description?: string }

/**
 * Authenticates the customer and obtains their approval of a request.
 *
 * @see CDS-WG1-02 §8.3 Grant Authorization Requests
 */
export interface CustomerAuthorization {
  authenticateAndApprove(request: CustomerAuthorizationRequest): Promise<CustomerAuthorizationResult>
}

/**
 * A test customer who approves every request as asked. For tests and the demo server only: it
 * authenticates nobody.
 *
 * @example
 * ```ts
 * await app.register(authorizePlugin, { store, clock, config, customerAuthorization: new AutoApprove('test-customer-1') })
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format (`cds_test_accounts`)
 */
export class AutoApprove implements CustomerAuthorization {
  /** @param customer_id the test customer every approval is made as */
  constructor(readonly customer_id: string = 'test-customer') {}

  async authenticateAndApprove(): Promise<CustomerAuthorizationResult> {
    return { approved: true, customer_id: this.customer_id }
  }
}

/**
 * The kinds of resource a customer selects on the Authorization Form, one per Selection type
 * (CDS-WG3-01 §9.2.3.1–§9.2.3.5).
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export type SelectionResourceType = 'account' | 'service_contract' | 'service_point' | 'meter_device' | 'aggregation'

/**
 * What the customer selected in one Request Section. The server keeps it with the Grant,
 * never in the Grant object; the Client learns it only through what the data APIs return.
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export interface AuthorizationSelection {
  /** The scope ids of the Request Section. */
  scopes: string[]
  /** The `authorization_form_selection_type` choice id, e.g. `service_contract_selection` (§7.4.1). */
  selection_type: string
  resource_type: SelectionResourceType
  /** The numbers of the selected resources (`account_number`, `contract_number`, …). */
  numbers: string[]
  /** Every resource of the type was selected (§9.2.3.1: select all, `_all`). */
  all: boolean
  /** Resources the customer adds later are included too (`_include_future`, A-81). */
  include_future: boolean
}

/**
 * How a customer narrowed a request on an editable Authorization Form (CDS-WG3-01 §7.4.5, A-30):
 * whole Request Sections removed, and optional `include_*` fields turned off. Nothing here can
 * widen the request; the core checks the result with `checkNarrowing` anyway.
 *
 * @see CDS-WG3-01 §7.4.5 Allow Scope Modifications
 * @see CDS-WG3-01 §9.2.1.3 Authorization Form Requests Container
 */
export interface CustomerModifications {
  /** Scope ids the customer removed with their Request Section; never all of them. */
  removed_scopes: readonly string[]
  /** `include_*` field ids the customer switched off, by authorization details `type`. */
  disabled_fields: Readonly<Record<string, readonly string[]>>
}

/**
 * A customer's approval as the interactive Authorization Form submits it to
 * `completeAuthorization`. The request itself is checked again at that moment.
 *
 * @see CDS-WG3-01 §9.1.1 Authorization Requests
 */
export interface AuthorizationDecision {
  /** The customer who approved. */
  customer_id: string
  /**
   * Entries that replace the request's (a stand-in that narrows by rewriting them); checked
   * again against the Scope Descriptions.
   */
  authorization_details?: AuthorizationDetail[]
  /** The customer's changes on an editable form. */
  modifications?: CustomerModifications
  /** What the customer selected in each Request Section. */
  selections?: readonly AuthorizationSelection[]
}

/**
 * Applies a customer's {@link CustomerModifications} to a checked request: the removed scopes and
 * their entries go, the switched-off `include_*` fields become `false`. The result must only
 * narrow the request, which `checkNarrowing` verifies against the Scope Descriptions
 * (implied fields stay on, at least one scope stays).
 *
 * @example
 * ```ts
 * const { scope, authorization_details } = narrowRequest(checked, { removed_scopes: ['cds_rate_plan'], disabled_fields: {} }, { clock, timezone })
 * ```
 * @throws {InvalidAuthorizationDetails} when the changes would not only narrow the request
 * @see CDS-WG3-01 §7.4.5 Allow Scope Modifications
 */
export function narrowRequest(
  checked: CheckedAuthorizationRequest,
  modifications: CustomerModifications,
  options: AuthorizationDetailsOptions,
): { scope: string; authorization_details: AuthorizationDetail[] } {
  const requested = checked.scope.split(' ').filter((id) => id !== '')
  const removed = new Set(modifications.removed_scopes)
  for (const id of removed) {
    if (!requested.includes(id)) throw new InvalidAuthorizationDetails(`scope ${id} was not requested, so it cannot be removed`)
  }
  const scopes = requested.filter((id) => !removed.has(id))
  // CDS-WG3-01 §9.2.1.3: the last Request Section cannot be removed.
  if (scopes.length === 0) throw new InvalidAuthorizationDetails('at least one requested scope must remain')
  const scopeOf = (type: string) => checked.scope_descriptions.find((sd) => sd.authorization_details_types_supported.includes(type))?.id ?? type
  const kept = checked.authorization_details.filter((entry) => !removed.has(scopeOf(entry.type)))
  for (const type of Object.keys(modifications.disabled_fields)) {
    if (!kept.some((entry) => entry.type === type)) throw new InvalidAuthorizationDetails(`no remaining entry has the type '${type}'`)
  }
  const narrowed = kept.map((entry) => {
    const off = modifications.disabled_fields[entry.type] ?? []
    if (off.length === 0) return entry
    const changed: Record<string, unknown> = { ...entry }
    for (const id of off) {
      // only included-data switches the entry already carries can be turned off.
      if (!id.startsWith('include_') || !Object.hasOwn(entry, id)) throw new InvalidAuthorizationDetails(`${id} cannot be switched off for type '${entry.type}'`)
      changed[id] = false
    }
    return changed as AuthorizationDetail
  })
  // whatever the form sent, only a narrower request passes.
  return { scope: scopes.join(' '), authorization_details: checkNarrowing(checked.authorization_details, narrowed, checked.scope_descriptions, options) }
}

/**
 * The entries a customer's approval grants (CDS-WG3-01 §6.1, catalog T13) for the Customer Data
 * consent scopes; other entries are kept as they are.
 *
 * - where the scope's profile says so, the preselection fields are dropped (except
 *   those the scope keeps, such as the programs of §6.1.2 and §6.1.3): what the customer selected
 *   is the Grant's selection record, not a field the Client sees.
 * - the data the scope always shares is echoed as `true` (the implied fields of §6.1.x,
 *   and `include_service_points` where the scope lists it and shares contracts and meters), so the
 *   Grant and the token response say what the Client can read.
 *
 * @example
 * ```ts
 * grantedDetails([{ type: 'cds_service_contracts', contract_numbers: ['222222'], sync_until: 'infinite' }], scopes)
 * // [{ type: 'cds_service_contracts', sync_until: 'infinite', include_accounts: true, include_service_contracts: true }]
 * ```
 * @see CDS-WG3-01 §6.1 Customer Consent Scopes
 */
export function grantedDetails(details: readonly AuthorizationDetail[], scopeDescriptions: readonly ScopeDescription[]): AuthorizationDetail[] {
  return details.map((entry) => {
    const scope = scopeDescriptions.find((sd) => sd.authorization_details_types_supported.includes(entry.type))
    const profile = scope === undefined ? undefined : profileOf(scope)
    if (scope === undefined || profile === undefined || profile.access !== 'customer_consent') return entry
    const kept: readonly string[] = profile.preselectionFieldsKeptInGrant
    const granted: Record<string, unknown> = Object.fromEntries(
      Object.entries(entry).filter(([id]) => !profile.omitsPreselectionFieldsFromGrant || customerDataField(id)?.category !== 'preselection' || kept.includes(id)),
    )
    const listed = new Set(scope.authorization_details_fields_supported.map((field) => field.id))
    for (const id of forcedIncludes(scope, granted)) {
      // A-87 is echoed only where the scope lists the field; the implied fields of A-44 always.
      if ((profile.impliedTrueFields as readonly string[]).includes(id) || listed.has(id)) granted[id] = true
    }
    return granted as AuthorizationDetail
  })
}
