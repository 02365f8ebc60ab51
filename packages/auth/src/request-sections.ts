/**
 * Request Sections (CDS-WG3-01 §9.2.1.4): which requested scopes the Authorization Form shows
 * together. Each scope is its own section unless `merge_selection_with` links it to another
 * requested scope; A-26 reads the links as undirected edges, so each connected group of scopes
 * is one section, listed in the order its first scope was requested.
 *
 * @see CDS-WG3-01 §7.4.2 Merge Selections
 * @see CDS-WG3-01 §9.2.1.4 Authorization Form Request Section
 * @module
 */
import type { AuthorizationDetail } from '@cds-ts/schema'

/**
 * One Request Section: its scope ids in request order, and the RAR object of each (absent when
 * the request carries none for that scope).
 *
 * @see CDS-WG3-01 §9.2.1.4 Authorization Form Request Section
 */
export interface RequestSection {
  scopes: string[]
  details: AuthorizationDetail[]
}

/**
 * Groups requested scopes into Request Sections.
 *
 * @param scopes the scope ids of the request, in order; duplicates keep their first place
 * @param details the checked `authorization_details`
 * @param scopeOf the scope id a RAR `type` belongs to (A-02: the scope id itself by default)
 * @example
 * ```ts
 * requestSections(['cds_meters_1', 'cds_usage_1', 'cds_accounts_1'], [
 *   { type: 'cds_usage_1', merge_selection_with: 'cds_meters_1' },
 * ]).map((s) => s.scopes) // [['cds_meters_1', 'cds_usage_1'], ['cds_accounts_1']]
 * ```
 * @see CDS-WG3-01 §7.4.2 Merge Selections
 */
export function requestSections(
  scopes: readonly string[],
  details: readonly AuthorizationDetail[],
  scopeOf: (type: string) => string | undefined = (type) => type,
): RequestSection[] {
  const order = [...new Set(scopes)]
  const detailOf = new Map<string, AuthorizationDetail>()
  for (const detail of details) {
    const scope = scopeOf(detail.type)
    if (scope !== undefined && !detailOf.has(scope)) detailOf.set(scope, detail)
  }
  // Union-find over the requested scopes; a link to a scope outside the request is ignored here
  // (the request checks reject it before the form).
  const parent = new Map(order.map((s) => [s, s]))
  const root = (s: string): string => {
    let r = s
    while (parent.get(r) !== r) r = parent.get(r) ?? r
    parent.set(s, r)
    return r
  }
  for (const scope of order) {
    const target = detailOf.get(scope)?.merge_selection_with
    if (typeof target === 'string' && parent.has(target)) {
      const a = root(scope)
      const b = root(target)
      // The group is named after its earliest scope, so sections keep the request order.
      if (a !== b) {
        if (order.indexOf(a) < order.indexOf(b)) parent.set(b, a)
        else parent.set(a, b)
      }
    }
  }
  const sections = new Map<string, RequestSection>()
  for (const scope of order) {
    const key = root(scope)
    const section = sections.get(key) ?? { scopes: [], details: [] }
    section.scopes.push(scope)
    const detail = detailOf.get(scope)
    if (detail !== undefined) section.details.push(detail)
    sections.set(key, section)
  }
  return [...sections.values()]
}
