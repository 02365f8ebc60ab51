/**
 * The fixed rules of the CDS-WG3-01 §6 scope types that request checks need, looked up from a
 * Scope Description: its profile (by the description's `type`), the included data it always
 * shares, and the field categories of §7. Internal to this package.
 *
 * @see CDS-WG3-01 §6 Scopes Supported
 * @see CDS-WG3-01 §7 Authorization Details Fields
 * @module
 */
import {
  CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS,
  CUSTOMER_DATA_SCOPE_PROFILES,
  type CustomerDataFieldDefinition,
  type CustomerDataScopeProfile,
  type ScopeDescription,
} from '@cds-ts/schema'

/**
 * The CDS-WG3-01 §6 profile of a Scope Description, found by its `type` (A-20: several ids may
 * share a type), or `undefined` for scopes outside WG3.
 *
 * @internal
 */
export function profileOf(scope: ScopeDescription): CustomerDataScopeProfile | undefined {
  return (CUSTOMER_DATA_SCOPE_PROFILES as Readonly<Record<string, CustomerDataScopeProfile>>)[scope.type]
}

/**
 * The §7 definition of a field id, or `undefined` for fields outside WG3.
 *
 * @internal
 */
export function customerDataField(id: string): CustomerDataFieldDefinition | undefined {
  return (CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS as Readonly<Record<string, CustomerDataFieldDefinition>>)[id]
}

/**
 * Whether a field is one of the §7.2 included-data booleans.
 *
 * @internal
 */
export function isIncludeFlag(id: string): boolean {
  const definition = customerDataField(id)
  return definition?.category === 'included_data' && definition.formats.includes('boolean')
}

/**
 * The included-data fields the scope shares whatever the request says, given an entry's values:
 * the profile's implied ones, plus `include_service_points` when Service Contracts and
 * Meter Devices are both shared (§7.2.2, §7.2.4, A-87).
 *
 * @internal
 */
export function forcedIncludes(scope: ScopeDescription, entry: Readonly<Record<string, unknown>>): Set<string> {
  const forced = new Set<string>(profileOf(scope)?.impliedTrueFields ?? [])
  const shared = (id: string) => forced.has(id) || entry[id] === true
  // CDS-WG3-01 §7.2.2, §7.2.4: contracts and meters together need the Service Points between them.
  if (shared('include_service_contracts') && shared('include_meter_devices')) forced.add('include_service_points')
  return forced
}
