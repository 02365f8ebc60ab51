/**
 * What the Authorization Form shows (CDS-WG3-01 §9.2), worked out once from the checked request,
 * the Client object and the customer's directory: the Request Sections of `requestSections`
 * (§9.2.1.4, A-26) with their data, durations, selection with its preselection (§7.1), and
 * Purpose (§9.2.2.4). The page (`form-page.ts`), the approval (`approve.ts`) and the receipt
 * snapshot all read this one model, so the receipt keeps the words the customer saw (§9.4).
 *
 * @see CDS-WG3-01 §9.2.1 Authorization Form Layout
 * @module
 */
import { requestSections, type AuthorizationParameters, type CheckedAuthorizationRequest, type ClientRecord } from '@cds-ts/auth'
import { parseJson, type AuthorizationDetail, type ScopeDescription } from '@cds-ts/schema'
import type { ServerConfig } from '../../config/config-schema.js'
import type { DirectoryResource } from '../../customers/directory.js'
import type { ResourceType } from '../../db/database.js'
import {
  customerDataType,
  describeData,
  describeDurations,
  includeFutureText,
  resourceParts,
  SELECTION_RESOURCE_TYPES,
  selectionHeading,
  type DataDescription,
  type DescribeContext,
} from './describe.js'
import { preselect, type Preselection } from './preselection.js'

/** One scope of a section with its Data Component. */
export interface ScopeModel {
  scope: ScopeDescription
  /** The checked entry (defaults filled, dates resolved), or `undefined` for a scope without fields. */
  entry: AuthorizationDetail | undefined
  data: DataDescription
}

/** One selectable resource (§9.2.3). */
export interface EntryModel {
  number: string
  main: string
  extras: string[]
  /** The line the receipt keeps: main and extras joined. */
  line: string
  /** Words a search matches (§9.2.3.x: number, name, address). */
  search: string
}

/**
 * The Selection Component of a section (§9.2.2.3).
 *
 * @see CDS-WG3-01 §9.2.3 Authorization Form Selections
 */
export interface SelectionModel {
  /** The `authorization_form_selection_type` choice id. */
  selection_type: string
  resource_type: ResourceType
  heading: string
  entries: EntryModel[]
  /** §9.2.3.1, §9.2.3.2: the include-future option's text, or `null` when the Selection has none. */
  include_future_text: string | null
  preselection: Preselection
  /** §9.2.3.5: Aggregation Inclusion lists the preselected aggregations, not to be changed. */
  read_only: boolean
}

/** The Purpose of a section (§9.2.2.4, A-36). */
export interface PurposeModel {
  content: string
  /** Written by the Client (not one of the server's default Purposes). */
  client_authored: boolean
  related_uri?: string
  related_name?: string
}

/**
 * One Request Section (§9.2.1.4): its index among the request's sections (stable when others
 * are removed), its scopes and what each component shows.
 *
 * @see CDS-WG3-01 §9.2.1.4 Authorization Form Request Section
 */
export interface SectionModel {
  index: number
  scopes: ScopeModel[]
  /** §7.4.5, A-29: the customer may narrow this section (remove it, switch off optional data). */
  editable: boolean
  durations: string[]
  selection: SelectionModel | null
  purpose: PurposeModel | null
}

/**
 * The whole form.
 *
 * @see CDS-WG3-01 §9.2 Authorization Form
 */
export interface FormModel {
  client: ClientRecord
  sections: SectionModel[]
}

/** What {@link buildFormModel} reads. */
export interface FormModelInput {
  checked: CheckedAuthorizationRequest
  /** The request parameters as sent (relative durations unresolved, for the Duration Component). */
  parameters: AuthorizationParameters
  /** The customer's directory, every type. */
  resources: readonly DirectoryResource[]
  config: ServerConfig
  ctx: DescribeContext
}

/** The entries as the Client sent them, before defaults and resolution (the client's defaults when it sent none, A-32). */
function rawEntries(parameters: AuthorizationParameters, client: ClientRecord): Record<string, unknown>[] {
  let raw: unknown = client.cds_default_authorization_details ?? []
  if (parameters.authorization_details !== undefined) {
    try {
      raw = parseJson(parameters.authorization_details)
    } catch {
      raw = []
    }
  }
  return Array.isArray(raw) ? raw.filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : []
}

/**
 * The entry of a scope as requested: the checked entry with every duration field as the Client
 * sent it (or as the field's default), so "P1Y" reads "the past year" rather than a date.
 */
function requestedView(scope: ScopeDescription, entry: AuthorizationDetail | undefined, raw: readonly Record<string, unknown>[]): AuthorizationDetail | undefined {
  if (entry === undefined) return undefined
  const sent = raw.find((e) => e.type === entry.type)
  const view: Record<string, unknown> = { ...entry }
  for (const field of scope.authorization_details_fields_supported) {
    if (field.format !== 'relative_or_absolute_date' && field.format !== 'relative_or_absolute_datetime') continue
    if (sent !== undefined && Object.hasOwn(sent, field.id)) view[field.id] = sent[field.id]
    else if (Object.hasOwn(field, 'default')) view[field.id] = field.default
  }
  return view as AuthorizationDetail
}

/**
 * The Purpose an entry names (§7.4.4): the Client object's Purpose of that id, or one of the
 * server's default Purposes. A-36: only Purposes the Client wrote are attributed to it.
 *
 * @see CDS-WG3-01 §9.2.2.4 Purpose Component
 */
export function purposeOf(id: unknown, client: ClientRecord, config: ServerConfig): PurposeModel | null {
  if (typeof id !== 'string') return null
  const defaults = config.customer_authorization.default_purposes
  const own = client.cds_purposes?.[id]
  if (own !== undefined) {
    const origin = client.purpose_origins?.[id] ?? (defaults.some((p) => p.id === id) ? 'server' : 'client')
    const link = own.related_uri !== null && own.related_uri !== undefined ? { related_uri: own.related_uri, related_name: own.related_name ?? own.related_uri } : {}
    return { content: own.content, client_authored: origin === 'client', ...link }
  }
  const server = defaults.find((p) => p.id === id)
  return server === undefined ? null : { content: server.content, client_authored: false }
}

/** The Selection of a section: the type its entries name, the customer's resources of it, their preselection. */
function selectionOf(entries: readonly AuthorizationDetail[], scopes: readonly ScopeDescription[], input: FormModelInput): SelectionModel | null {
  const { t } = input.ctx
  const selection_type = entries.map((e) => e.authorization_form_selection_type).find((v): v is string => typeof v === 'string')
  const resource_type = selection_type === undefined ? undefined : SELECTION_RESOURCE_TYPES[selection_type]
  if (selection_type === undefined || resource_type === undefined) return null
  const preselection = preselect(entries, resource_type, input.resources)
  // §9.2.3.5: Aggregation Inclusion shows only the requested aggregations, as a fixed list.
  const read_only = scopes.some((s) => s.type === 'cds_aggregation_consent')
  // D4: a Service Contract Selection for Meter List shows the meters under each contract.
  const withMeters = resource_type === 'service_contract' && scopes.some((s) => s.type === 'cds_meters')
  const own = input.resources.filter((r) => r.resource_type === resource_type && (!read_only || preselection.numbers.has(r.number)))
  const entriesOf = own.map((resource) => {
    const { main, extras } = resourceParts(resource_type, resource, t)
    const meters = resource.attributes.meter_numbers
    if (withMeters && Array.isArray(meters) && meters.length > 0) extras.push(t('authorization.resource.meters', { numbers: meters.join(', ') }))
    return { number: resource.number, main, extras, line: [main, ...extras].join(' – '), search: [resource.number, resource.display_name ?? '', resource.address ?? ''].join(' ').replace(/\s+/g, ' ').trim().toLowerCase() }
  })
  return {
    selection_type,
    resource_type,
    heading: selectionHeading(resource_type, t),
    entries: entriesOf,
    include_future_text: read_only ? null : includeFutureText(resource_type, t),
    preselection,
    read_only,
  }
}

/**
 * Builds the form's model from a checked request and the customer's directory.
 *
 * @example
 * ```ts
 * const model = buildFormModel({ checked, parameters: pending.parameters, resources, config, ctx: { t, now: clock.now(), timezone } })
 * model.sections.map((s) => s.scopes.map((m) => m.scope.id))
 * ```
 * @see CDS-WG3-01 §9.2.1.4 Authorization Form Request Section
 */
export function buildFormModel(input: FormModelInput): FormModel {
  const { checked, config, ctx } = input
  const client = checked.client
  const raw = rawEntries(input.parameters, client)
  const descriptionOf = (id: string) => checked.scope_descriptions.find((sd) => sd.id === id)
  const scopeOfType = (type: string) => checked.scope_descriptions.find((sd) => sd.authorization_details_types_supported.includes(type))?.id
  const sections = requestSections(checked.scope.split(' ').filter((s) => s !== ''), checked.authorization_details, scopeOfType).map((section, index): SectionModel => {
    const scopes = section.scopes
      .map((id) => descriptionOf(id))
      .filter((sd): sd is ScopeDescription => sd !== undefined)
      .map((scope) => {
        const entry = section.details.find((d) => scope.authorization_details_types_supported.includes(d.type))
        return { scope, entry, data: describeData(scope, entry, ctx) }
      })
    const wg3 = scopes.filter((s) => customerDataType(s.scope) !== undefined)
    return {
      index,
      scopes,
      // editable only when every entry of the section allows it (merged ones agree, §7.4.2).
      editable: wg3.length > 0 && section.details.length > 0 && section.details.every((d) => d.allow_scope_modifications === true),
      durations: describeDurations(
        scopes.map((s) => ({ scope: s.scope, entry: requestedView(s.scope, s.entry, raw) ?? s.entry })),
        ctx,
      ),
      selection: selectionOf(section.details, scopes.map((s) => s.scope), input),
      // §9.2.1.4: a Purpose Component only for a non-null purpose (merged scopes share it, §7.4.2).
      purpose: section.details.map((d) => purposeOf(d.purpose, client, config)).find((p) => p !== null) ?? null,
    }
  })
  return { client, sections }
}
