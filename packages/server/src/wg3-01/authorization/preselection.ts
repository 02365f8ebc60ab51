/**
 * Preselection (CDS-WG3-01 §7.1): which of the customer's resources a Request Section starts
 * with selected, from the preselection fields of its entries, and whether
 * `error_if_no_preselections` (§7.4.3) stops the form with the Preselection Error (§9.3.1).
 *
 * - Each non-null field matches the resources of the Selection's type whose own or related values
 *   (the directory keeps both, `customers/directory.ts`) meet the requested ones; `addresses`
 *   matches by §7.1.13.1. `_all` matches every resource where §7.1 gives it that meaning, and
 *   `_include_future` preselects the include-future option of Account and Service Contract
 *   Selections.
 * - Several fields intersect (R3-01-7.1-03).
 * - the error fires when a section asks for it, has at least one non-null preselection
 *   field, and no existing resource is preselected; `_include_future` alone is no match, and a
 *   partial match does not fire.
 *
 * @see CDS-WG3-01 §7.1 Preselection Fields
 * @see CDS-WG3-01 §7.4.3 Error If No Preselections
 * @module
 */
import { CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS, type AuthorizationDetail } from '@cds-ts/schema'
import type { DirectoryResource } from '../../customers/directory.js'
import type { ResourceType } from '../../db/database.js'
import type { MessageKey, Translator } from '../../pages/i18n.js'
import { matchAddress } from './address-matching.js'
import { typeWords } from './describe.js'

/** The §7.1 preselection field ids, in §7 order. */
export const PRESELECTION_FIELDS: readonly string[] = Object.entries(CUSTOMER_DATA_AUTHORIZATION_DETAILS_FIELDS)
  .filter(([, definition]) => definition.category === 'preselection')
  .map(([id]) => id)

const ALL = '_all'
const INCLUDE_FUTURE = '_include_future'

// §7.1.1, §7.1.3, §7.1.6, §7.1.9 (catalog T10): where `_all` preselects every entry.
const ALL_MEANS_EVERY: Readonly<Record<string, readonly ResourceType[]>> = {
  account_numbers: ['account', 'service_contract'],
  contract_numbers: ['account', 'service_contract'],
  servicepoint_numbers: ['service_point'],
  meter_numbers: ['meter_device'],
}

// §7.1.1, §7.1.3: where `_include_future` preselects the include-future option.
const FUTURE_OPTION: Readonly<Record<string, readonly ResourceType[]>> = {
  account_numbers: ['account', 'service_contract'],
  contract_numbers: ['account', 'service_contract'],
}

// A resource's own number and types count as its values of the matching field.
const OWN_NUMBER: Readonly<Record<ResourceType, string>> = {
  account: 'account_numbers',
  service_contract: 'contract_numbers',
  service_point: 'servicepoint_numbers',
  meter_device: 'meter_numbers',
  aggregation: 'aggregation_numbers',
}
const OWN_TYPES: Readonly<Partial<Record<ResourceType, string>>> = {
  service_contract: 'service_types',
  service_point: 'servicepoint_types',
  meter_device: 'meter_types',
}

/**
 * One non-null preselection field of a Request Section and its requested values.
 *
 * @see CDS-WG3-01 §7.1 Preselection Fields
 */
export interface RequestedPreselection {
  field: string
  values: string[]
}

/**
 * The preselection of one Request Section.
 *
 * @see CDS-WG3-01 §7.1 Preselection Fields
 */
export interface Preselection {
  /** The non-null preselection fields, in §7 order. */
  requested: RequestedPreselection[]
  /** Numbers of the resources selected at first. */
  numbers: Set<string>
  /** The include-future option starts selected (`_include_future`). */
  include_future: boolean
  /** `error_if_no_preselections` fires for this section. */
  fails: boolean
}

/** The non-null preselection fields of a section's entries (merged entries share their values, A-25). */
export function requestedPreselections(entries: readonly AuthorizationDetail[]): RequestedPreselection[] {
  return PRESELECTION_FIELDS.flatMap((field) => {
    const values = new Set<string>()
    let present = false
    for (const entry of entries) {
      const value = (entry as Record<string, unknown>)[field]
      if (!Array.isArray(value)) continue
      present = true
      for (const item of value) if (typeof item === 'string') values.add(item)
    }
    return present ? [{ field, values: [...values] }] : []
  })
}

/** The values of `field` a resource carries: its related ones, plus its own number or types. */
function valuesOf(resource: DirectoryResource, field: string): string[] {
  const related = resource.attributes[field]
  const own = OWN_NUMBER[resource.resource_type] === field ? [resource.number] : OWN_TYPES[resource.resource_type] === field ? resource.types : []
  return [...(Array.isArray(related) ? related.filter((v): v is string => typeof v === 'string') : []), ...own]
}

/** The addresses a resource can be matched by (§7.1.13: its own; a meter's service points'; an aggregation's grouped ones). */
function addressesOf(resource: DirectoryResource): string[] {
  const listed = resource.attributes.addresses
  if (Array.isArray(listed)) return listed
  return resource.address === null ? [] : [resource.address]
}

/** The resources one field matches (§7.1.x for the Selection's type). */
function matchField(requested: RequestedPreselection, resource_type: ResourceType, resources: readonly DirectoryResource[]): Set<string> {
  const { field, values } = requested
  if (values.includes(ALL) && (ALL_MEANS_EVERY[field] ?? []).includes(resource_type)) return new Set(resources.map((r) => r.number))
  const wanted = values.filter((v) => v !== ALL && v !== INCLUDE_FUTURE)
  if (field === 'addresses') {
    // §7.1.13.1: each input address matches one resource, or none when it is not unique.
    const candidates = resources.map((r) => ({ item: r.number, addresses: addressesOf(r) }))
    return new Set(wanted.flatMap((input) => matchAddress(input, candidates)))
  }
  return new Set(resources.filter((r) => valuesOf(r, field).some((v) => wanted.includes(v))).map((r) => r.number))
}

/**
 * The preselection of a Request Section over the customer's resources of its Selection type.
 *
 * @example
 * ```ts
 * const { numbers, fails } = preselect(section.details, 'service_contract', await listCustomerResources(db, customer_id, 'service_contract'))
 * ```
 * @see CDS-WG3-01 §7.1 Preselection Fields
 * @see CDS-WG3-01 §7.4.3 Error If No Preselections
 */
export function preselect(entries: readonly AuthorizationDetail[], resource_type: ResourceType, resources: readonly DirectoryResource[]): Preselection {
  const own = resources.filter((r) => r.resource_type === resource_type)
  const requested = requestedPreselections(entries)
  let numbers: Set<string> | undefined
  let include_future = false
  for (const field of requested) {
    if (field.values.includes(INCLUDE_FUTURE) && (FUTURE_OPTION[field.field] ?? []).includes(resource_type)) include_future = true
    const matched = matchField(field, resource_type, own)
    // R3-01-7.1-03: several fields preselect what each of them matches.
    numbers = numbers === undefined ? matched : new Set([...numbers].filter((n) => matched.has(n)))
  }
  const asked = entries.some((entry) => entry.error_if_no_preselections === true)
  const selected = numbers ?? new Set<string>()
  // only a section with preselection fields can fail, and only when nothing existing matched.
  return { requested, numbers: selected, include_future, fails: asked && requested.length > 0 && selected.size === 0 }
}

// The fields whose values are kinds (choices) rather than identifiers.
const KIND_FIELDS = new Set(['service_types', 'servicepoint_types', 'meter_types'])

/**
 * The requested resources of a section in the customer's words, for the Preselection Error page
 * (§9.3.1): "Accounts: 1111-1, 9999-9", "electric services".
 *
 * @see CDS-WG3-01 §9.3.1 Preselection Error
 */
export function describeRequested(requested: readonly RequestedPreselection[], t: Translator): string[] {
  const or = new Intl.ListFormat(t.locale, { type: 'disjunction' })
  return requested.map(({ field, values }) => {
    const words = values.map((value) =>
      value === ALL ? t('authorization.preselection.all') : value === INCLUDE_FUTURE ? t('authorization.preselection.future') : KIND_FIELDS.has(field) ? typeWords([value]) : value,
    )
    return t(`authorization.preselection.field.${field}` as MessageKey, { values: KIND_FIELDS.has(field) ? or.format(words) : words.join(', ') })
  })
}
