/**
 * The CDS-WG3-01 rules that look at a whole request rather than one value: one entry per scope
 * the values each scope type refuses (§6.1.x, T6), included data a scope always shares
 * where the special preselection values may appear (T0, A-47), one encryption key per
 * request (§7.4.6, A-54), and the merge rules of `merge_selection_with` (§7.4.2, A-25, A-26).
 * Run on the effective entries — checked, defaults filled — after `validateAuthorizationDetails`
 * and `fillScopeDefaults`; every failure is `invalid_authorization_details`.
 *
 * @see CDS-WG3-01 §7 Authorization Details Fields
 * @module
 */
import type { AuthorizationDetail, AuthorizationDetailsField, CustomerDataScopeProfile } from '@cds-ts/schema'
import { sameJson } from './authorization-details-formats.js'
import { customerDataField, profileOf } from './customer-data-rules.js'
import { InvalidAuthorizationDetails } from './errors.js'
import { typeDefinitions, type ScopeDescriptions, type TypeDefinition } from './rar.js'
import { requestSections } from './request-sections.js'

// CDS-WG3-01 §7.1 (catalog T0): the reserved preselection strings.
const SPECIAL_VALUES = ['_all', '_include_future']
// RFC 7638 §3.2: the members a key's thumbprint covers, by key type.
const THUMBPRINT_MEMBERS: Readonly<Record<string, readonly string[]>> = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'] }
// CDS-WG3-01 §7.4.2: what every scope of a merged Request Section must share.
const SHARED_IN_SECTION = ['authorization_form_selection_type', 'purpose', 'allow_scope_modifications'] as const

/** One effective entry with what the checks need to know about it. */
interface Entry {
  detail: AuthorizationDetail
  path: string
  scopeId: string
  definition: TypeDefinition
  profile: CustomerDataScopeProfile | undefined
}

/**
 * Checks the cross-field rules of CDS-WG3-01 §6 and §7 on a request's effective entries.
 *
 * @param details the effective `authorization_details` (checked, defaults filled)
 * @param scopeIds the effective scope set: the `scope` parameter and the scopes the entries' types stand for (A-27)
 * @param scopeDescriptions the Scope Descriptions the entries were checked against
 * @example
 * ```ts
 * checkCustomerDataRequest(details, ['cds_meters_1', 'cds_usage_1'], scopeDescriptions)
 * ```
 * @throws {InvalidAuthorizationDetails} naming the entry and rule at fault (RFC 9396 §5)
 * @see CDS-WG3-01 §7 Authorization Details Fields
 * @see CDS-WG3-01 §7.4.2 Merge Selections
 */
export function checkCustomerDataRequest(details: readonly AuthorizationDetail[], scopeIds: readonly string[], scopeDescriptions: ScopeDescriptions): void {
  const types = typeDefinitions(scopeDescriptions)
  const entries: Entry[] = []
  const seen = new Set<string>()
  for (const [index, detail] of details.entries()) {
    const definition = types.get(detail.type)
    if (definition === undefined) continue
    const entry: Entry = { detail, path: `authorization_details[${index}]`, scopeId: definition.scope.id, definition, profile: profileOf(definition.scope) }
    if (entry.profile === undefined) continue
    // one entry per Customer Data scope and request.
    if (seen.has(entry.scopeId)) throw new InvalidAuthorizationDetails(`${entry.path} is a second entry for scope ${entry.scopeId}`)
    seen.add(entry.scopeId)
    checkEntry(entry)
    entries.push(entry)
  }
  checkJwk(entries)
  checkMerges(entries, details, scopeIds, types)
}

function checkEntry({ detail, path, profile, definition }: Entry): void {
  if (profile === undefined) return
  const values = detail as Record<string, unknown>
  for (const rule of profile.rejectedValues) {
    // CDS-WG3-01 §6.1.2, §6.1.3, §6.1.10 (catalog T6): values the scope type refuses.
    if (Object.hasOwn(values, rule.field) && values[rule.field] === rule.value) {
      throw new InvalidAuthorizationDetails(`${path}.${rule.field} cannot be ${JSON.stringify(rule.value)} for ${profile.title} (CDS-WG3-01 section ${profile.section})`)
    }
  }
  for (const id of profile.impliedTrueFields) {
    // data the scope always shares cannot be asked away.
    if (values[id] === false) throw new InvalidAuthorizationDetails(`${path}.${id} cannot be false: ${profile.title} always shares this data`)
  }
  for (const [name, value] of Object.entries(values)) {
    const field = customerDataField(name)
    if (field?.category !== 'preselection' || !Array.isArray(value) || !definition.fields.has(name)) continue
    for (const item of value) {
      // CDS-WG3-01 §7.1.x (catalog T0): `_all` and `_include_future` only where the field defines them.
      if (SPECIAL_VALUES.includes(item as string) && !field.specialValues.includes(item as string)) {
        throw new InvalidAuthorizationDetails(`${path}.${name} cannot hold the special value ${String(item)}`)
      }
    }
  }
}

/** The RFC 7638 thumbprint members of a key, for comparing keys whatever else they carry. */
function thumbprintOf(jwk: unknown): string {
  const key = jwk as Record<string, unknown>
  const members = THUMBPRINT_MEMBERS[String(key.kty)] ?? Object.keys(key).sort()
  return JSON.stringify(members.map((member) => key[member]))
}

function checkJwk(entries: readonly Entry[]): void {
  let first: { path: string; thumbprint: string } | undefined
  for (const { detail, path } of entries) {
    const jwk = (detail as Record<string, unknown>).jwk
    if (jwk === undefined || jwk === null) continue
    const thumbprint = thumbprintOf(jwk)
    // CDS-WG3-01 §7.4.6 (R3-01-7.4.6-05, -06), A-54: one key per request, compared by thumbprint.
    if (first !== undefined && first.thumbprint !== thumbprint) throw new InvalidAuthorizationDetails(`${path}.jwk differs from ${first.path}.jwk: one key per request`)
    first ??= { path, thumbprint }
  }
  if (first === undefined) return
  for (const { path, definition, profile } of entries) {
    // a scope without `jwk` (Aggregation Inclusion) would get its data through the same
    // tokens unencrypted to the Client's key, so the two are not requested together.
    if (!definition.fields.has('jwk')) throw new InvalidAuthorizationDetails(`${path}: ${profile?.title ?? definition.scope.id} cannot be requested together with a jwk`)
  }
}

/** The parts of a field object two merged scopes must agree on; choices by id, as their links differ per scope. */
function fieldShape(field: AuthorizationDetailsField): unknown {
  return { format: field.format, minimum: field.minimum, maximum: field.maximum, choices: field.choices?.map((choice) => choice.id) }
}

function checkMerges(entries: readonly Entry[], details: readonly AuthorizationDetail[], scopeIds: readonly string[], types: ReadonlyMap<string, TypeDefinition>): void {
  const requested = new Set(scopeIds)
  const byScope = new Map(entries.map((entry) => [entry.scopeId, entry]))
  for (const entry of entries) {
    const target = (entry.detail as Record<string, unknown>).merge_selection_with
    if (target === undefined || target === null) continue
    // CDS-WG3-01 §7.4.2 (R3-01-7.4.2-05, -06), A-27: the target is another scope of this request.
    if (target === entry.scopeId || typeof target !== 'string' || !requested.has(target)) {
      throw new InvalidAuthorizationDetails(`${entry.path}.merge_selection_with names no other requested scope`)
    }
  }
  const sections = requestSections(scopeIds, details, (type) => types.get(type)?.scope.id)
  for (const section of sections) {
    if (section.scopes.length < 2) continue
    const members: Entry[] = []
    for (const scope of section.scopes) {
      const member = byScope.get(scope)
      // A-26 (R3-01-7.4.2-08, -18): every scope of a merged section points into it.
      if (member === undefined || typeof (member.detail as Record<string, unknown>).merge_selection_with !== 'string') {
        throw new InvalidAuthorizationDetails(`scope ${scope} is merged with ${section.scopes.filter((s) => s !== scope).join(', ')} but its merge_selection_with is null`)
      }
      members.push(member)
    }
    checkSection(members)
  }
}

function checkSection(members: readonly Entry[]): void {
  const [first] = members as [Entry, ...Entry[]]
  const names = members.map((m) => m.scopeId).join(', ')
  const value = (member: Entry, field: string) => (member.detail as Record<string, unknown>)[field]
  for (const field of SHARED_IN_SECTION) {
    const using = members.filter((member) => field === 'authorization_form_selection_type' || member.definition.fields.has(field))
    // CDS-WG3-01 §7.4.2 (R3-01-7.4.2-09..11; TS-4.4-04): one Selection, one Purpose, one editability.
    if (using.some((member) => !sameJson(value(member, field), value(using[0] ?? first, field)))) {
      throw new InvalidAuthorizationDetails(`merged scopes ${names} must have the same ${field}`)
    }
  }
  const preselections = new Set(members.flatMap((member) => [...member.definition.fields.keys()].filter((id) => customerDataField(id)?.category === 'preselection')))
  for (const id of preselections) {
    const listing = members.filter((member) => member.definition.fields.has(id))
    if (listing.length < members.length) {
      // CDS-WG3-01 §7.4.2 (R3-01-7.4.2-13): a preselection only some of the scopes offer stays null.
      const set = listing.find((member) => value(member, id) !== null && value(member, id) !== undefined)
      if (set !== undefined) throw new InvalidAuthorizationDetails(`${set.path}.${id} must be null: not every merged scope offers it`)
      continue
    }
    const [head, ...rest] = listing as [Entry, ...Entry[]]
    const shape = fieldShape(head.definition.fields.get(id) as AuthorizationDetailsField)
    for (const member of rest) {
      // A-25 (R3-01-7.4.2-12): the same field object and the same effective value in every merged scope.
      if (!sameJson(fieldShape(member.definition.fields.get(id) as AuthorizationDetailsField), shape)) {
        throw new InvalidAuthorizationDetails(`merged scopes ${names} define ${id} differently`)
      }
      if (!sameJson(value(member, id) ?? null, value(head, id) ?? null)) throw new InvalidAuthorizationDetails(`merged scopes ${names} must have the same ${id}`)
    }
  }
}
