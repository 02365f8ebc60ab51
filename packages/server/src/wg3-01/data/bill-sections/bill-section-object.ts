/**
 * A `bill_sections` row as the Bill Section object of CDS-WG3-01 §10.6.1, as one token may see
 * it: the `related_*` arrays read from `bill_section_links` and pruned to the objects the token may
 * see, the statement reference `null` unless that statement is visible, account number and
 * line items behind their gates (catalog §1.5), and the nested details with exact decimals.
 *
 * @see CDS-WG3-01 §10.6.1 Bill Section Object Format
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { sql, type Kysely, type Selectable } from 'kysely'
import type { BillSectionLinkType, BillSectionsTable } from '../../../db/customer-data-tables.js'
import type { Database } from '../../../db/database.js'
import { gated, jsonValue, sortModified, syncedAt } from '../projection.js'
import type { DataAccess, DataObjectType } from '../types.js'

/** A `bill_sections` row with its `cds_modified` as database text (the cursor key). */
export type BillSectionRow = Selectable<BillSectionsTable> & { sort_modified: string }

/**
 * Every Bill Section as a {@link BillSectionRow}; add the visibility condition and the filters.
 *
 * @see CDS-WG3-01 §10.6.9 Listing Bill Sections
 */
export function selectBillSections(db: Kysely<Database>) {
  return db.selectFrom('bill_sections').selectAll('bill_sections').select(sortModified('bill_sections').as('sort_modified'))
}

/** The four `related_*` arrays of one Bill Section. */
export interface SectionLinks {
  related_servicecontracts: string[]
  related_servicepoints: string[]
  related_meterdevices: string[]
  related_billsections: string[]
}

/** Which array each link type fills, and the object type its ids are pruned by. */
const LINK_FIELDS: Readonly<Record<BillSectionLinkType, { field: keyof SectionLinks; type: DataObjectType }>> = {
  service_contract: { field: 'related_servicecontracts', type: 'service_contract' },
  service_point: { field: 'related_servicepoints', type: 'service_point' },
  meter_device: { field: 'related_meterdevices', type: 'meter_device' },
  bill_section: { field: 'related_billsections', type: 'bill_section' },
}

/**
 * The `related_*` arrays of each section in `sections`, pruned to the objects the token may see
 * (R3-01-10.6.1-06, A-06), in code-unit order of the ids. `related_billsections` is symmetric:
 * a link stored from either side counts, and a section never lists itself (R3-01-10.6.1-07).
 *
 * @see CDS-WG3-01 §10.6.1 Bill Section Object Format
 */
export async function sectionLinks(db: Kysely<Database>, access: DataAccess, sections: readonly string[]): Promise<Map<string, SectionLinks>> {
  const result = new Map<string, SectionLinks>(
    sections.map((id) => [id, { related_servicecontracts: [], related_servicepoints: [], related_meterdevices: [], related_billsections: [] }]),
  )
  if (sections.length === 0) return result
  const ids = sql.join([...sections])
  const { rows } = await sql<{ owner: string; object_type: BillSectionLinkType; object_id: string }>`
    select cds_billsection_id as owner, object_type, object_id from bill_section_links where cds_billsection_id in (${ids})
    union
    select object_id as owner, object_type, cds_billsection_id as object_id from bill_section_links
    where object_type = 'bill_section' and object_id in (${ids})`.execute(db)
  const byType = new Map<BillSectionLinkType, Set<string>>()
  for (const row of rows) {
    const set = byType.get(row.object_type) ?? new Set<string>()
    byType.set(row.object_type, set.add(row.object_id))
  }
  const visible = new Map<BillSectionLinkType, ReadonlySet<string>>()
  for (const [linkType, linked] of byType) visible.set(linkType, await access.visibleIds(LINK_FIELDS[linkType].type, linked))
  for (const row of [...rows].sort((a, b) => (a.object_id < b.object_id ? -1 : a.object_id > b.object_id ? 1 : 0))) {
    const entry = result.get(row.owner)
    if (entry === undefined || row.owner === row.object_id || visible.get(row.object_type)?.has(row.object_id) !== true) continue
    entry[LINK_FIELDS[row.object_type].field].push(row.object_id)
  }
  return result
}

/**
 * The Bill Section object of one row for one token (catalog §2.6.1).
 *
 * @param links the section's pruned `related_*` arrays ({@link sectionLinks})
 * @param visibleStatements the `cds_billstatement_id`s of the page the token may see
 * @see CDS-WG3-01 §10.6.1 Bill Section Object Format
 */
export function billSectionObject(
  row: BillSectionRow,
  access: DataAccess,
  links: SectionLinks,
  visibleStatements: ReadonlySet<string>,
): Record<string, unknown> {
  const statement = row.cds_billstatement_id
  return {
    cds_billsection_id: row.cds_billsection_id,
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_synced: syncedAt(row.cds_synced, access),
    // R3-01-10.6.1-02, A-06, A-30: null when the token may not see the statement (or there is none).
    cds_billstatement_id: statement !== null && visibleStatements.has(statement) ? statement : null,
    cds_account_id: row.cds_account_id,
    // REQUIRED by §10.6.1 yet listed under include_account_numbers (§7.2.1.1); gated, as PII.
    ...gated(access, 'include_account_numbers', { account_number: row.account_number }),
    section_types: jsonValue(row.section_types) ?? [],
    start_date: row.start_date,
    end_date: row.end_date,
    currency: row.currency,
    // R3-01-10.6.1-04, A-57: always present, null when there is no such component.
    distribution_entity: jsonValue(row.distribution_entity),
    supply_entity: jsonValue(row.supply_entity),
    ...links,
    // Catalog §5: usage values, reads, multipliers and costs keep their digits (Decimal).
    usage_details: jsonValue(row.usage_details) ?? [],
    cost_details: jsonValue(row.cost_details) ?? [],
    ...gated(access, 'include_bill_section_line_items', { line_items: jsonValue(row.line_items) ?? [] }),
  }
}
