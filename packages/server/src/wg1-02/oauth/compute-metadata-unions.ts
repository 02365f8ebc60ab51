/**
 * The members of the Authorization Server Metadata that CDS-WG1-02 §3.2 defines as unions over
 * the Scope Descriptions, computed rather than written by hand, so they can never miss a value
 * a scope offers.
 *
 * @module
 */
import type { ScopeDescription } from '@cds-ts/schema'

/**
 * The union members of the Authorization Server Metadata. Each list keeps the order in which
 * its values first appear across the Scope Descriptions (in map order), without repeats.
 */
export interface MetadataUnions {
  scopes_supported: string[]
  response_types_supported: string[]
  grant_types_supported: string[]
  token_endpoint_auth_methods_supported: string[]
  code_challenge_methods_supported: string[]
  authorization_details_types_supported: string[]
}

/** The Scope Description lists that feed a union member of the same name. */
const UNION_LISTS = [
  'response_types_supported',
  'grant_types_supported',
  'token_endpoint_auth_methods_supported',
  'code_challenge_methods_supported',
  'authorization_details_types_supported',
] as const

/**
 * Computes every union CDS-WG1-02 §3.2 defines from a `cds_scope_descriptions` map:
 * `scopes_supported` is the scope ids (R1-02-3.2-02); the other five are the unions of the
 * Scope Descriptions' lists of the same name (R1-02-3.2-09, -10, -12, -13, -14).
 *
 * @example
 * ```ts
 * computeMetadataUnions({ cds_client_admin: clientAdmin }).grant_types_supported // ['client_credentials']
 * ```
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export function computeMetadataUnions(scopeDescriptions: Readonly<Record<string, ScopeDescription>>): MetadataUnions {
  const sets = {
    scopes_supported: new Set<string>(),
    response_types_supported: new Set<string>(),
    grant_types_supported: new Set<string>(),
    token_endpoint_auth_methods_supported: new Set<string>(),
    code_challenge_methods_supported: new Set<string>(),
    authorization_details_types_supported: new Set<string>(),
  }
  for (const [key, scope] of Object.entries(scopeDescriptions)) {
    // CDS-WG1-02 §3.2 (R1-02-3.2-02): every key of cds_scope_descriptions is a supported scope.
    sets.scopes_supported.add(key)
    // CDS-WG1-02 §3.2: each list is at least the union of the Scope Descriptions' lists.
    for (const list of UNION_LISTS) for (const value of scope[list]) sets[list].add(value)
  }
  return {
    scopes_supported: [...sets.scopes_supported],
    response_types_supported: [...sets.response_types_supported],
    grant_types_supported: [...sets.grant_types_supported],
    token_endpoint_auth_methods_supported: [...sets.token_endpoint_auth_methods_supported],
    code_challenge_methods_supported: [...sets.code_challenge_methods_supported],
    authorization_details_types_supported: [...sets.authorization_details_types_supported],
  }
}
