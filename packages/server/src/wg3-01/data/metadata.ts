/**
 * The members CDS-WG3-01 §5 adds to the Authorization Server Metadata (catalog §1.1): the
 * Customer Data version, the URL of each listing some published scope offers or implies, and the
 * reference maps that come with the Usage Segments and EAC APIs. Both the public document and
 * each Client object's document add them, from the Scope Descriptions they publish.
 *
 * @see CDS-WG3-01 §5 Server Metadata
 * @module
 */
import { scopesImplying, type CustomerDataAuthorizationDetailsFieldId, type CustomerDataServerMetadataExtension, type ScopeDescription } from '@cds-ts/schema'
import type { ServerConfig } from '../../config/config-schema.js'
import { endpointUrl } from '../../config/endpoints.js'
import type { CustomerDataApi } from './types.js'

/** Each listing URL member with the included-data field that makes it REQUIRED (§5). */
export const API_INCLUDE_FIELDS: Readonly<Record<CustomerDataApi, CustomerDataAuthorizationDetailsFieldId>> = {
  cds_accounts_api: 'include_accounts',
  cds_servicecontracts_api: 'include_service_contracts',
  cds_servicepoints_api: 'include_service_points',
  cds_meterdevices_api: 'include_meter_devices',
  cds_billstatement_api: 'include_bill_statements',
  cds_billsection_api: 'include_bill_sections',
  cds_aggregations_api: 'include_aggregations',
  cds_usagesegments_api: 'include_usage_segments',
  cds_eacs_api: 'include_eacs',
}

/** Whether some Scope Description offers `field`, or has a type that always includes its data (§6). */
function someScopeIncludes(scopes: Readonly<Record<string, ScopeDescription>>, field: CustomerDataAuthorizationDetailsFieldId): boolean {
  const implying = new Set<string>(scopesImplying(field))
  return Object.values(scopes).some((scope) => implying.has(scope.type) || scope.authorization_details_fields_supported.some((f) => f.id === field))
}

/**
 * The CDS-WG3-01 §5 members for metadata publishing `scopes`; `{}` when the Customer Data APIs
 * are off (`customer_data.enabled: false`).
 *
 * - `cds_customerdata_version`: `v1`;
 * - each `cds_*_api` URL when a published scope offers its `include_*` field or implies it;
 * - `cds_usagesegments_additional_value_types` (keyed by `type`, A-47) with the Usage Segments
 *   API, and `cds_eac_formats` with the EAC API.
 *
 * @see CDS-WG3-01 §5 Server Metadata
 */
export function customerDataMetadata(config: ServerConfig, scopes: Readonly<Record<string, ScopeDescription>> = config.oauth.scope_descriptions): Partial<CustomerDataServerMetadataExtension> {
  if (!config.customer_data.enabled) return {}
  const members: Partial<CustomerDataServerMetadataExtension> = { cds_customerdata_version: 'v1' }
  for (const [api, field] of Object.entries(API_INCLUDE_FIELDS) as [CustomerDataApi, CustomerDataAuthorizationDetailsFieldId][]) {
    // §5 (R3-01-5-02..09, -11): the URL of every listing a published scope can reach.
    if (someScopeIncludes(scopes, field)) members[api] = endpointUrl(config.base_url, api)
  }
  // §5 (R3-01-5-10, -12): the reference maps come with their APIs.
  if (members.cds_usagesegments_api !== undefined) members.cds_usagesegments_additional_value_types = config.customer_data.additional_value_types
  if (members.cds_eacs_api !== undefined) members.cds_eac_formats = config.customer_data.eac_formats
  return members
}
