/**
 * Writers for Bill Statements (with their files in `bill_files`) and Bill Sections (with their
 * `related_*` links, `related_billsections` stored both ways) of CDS-WG3-01 §10.5 and §10.6.
 * Money and quantities are exact decimal text (or `Decimal` inside nested objects).
 *
 * @see CDS-WG3-01 §10.5 Bill Statements API
 * @see CDS-WG3-01 §10.6 Bill Sections API
 * @module
 */
import type { Kysely } from 'kysely'
import { SORT_LAST, type BillSectionLinkType, type Database } from '../db/database.js'
import { toJsonText } from '../db/json-text.js'
import { insertRows } from './write-batch.js'
import type { DataTimes, NestedObject } from './write-objects.js'

/** A statement's file, stored in `bill_files` and served behind `file_uri` (§10.5.1). */
export interface BillFileInput {
  file_id: string
  file_name: string
  content_type: string
  content: Uint8Array
}

/**
 * A Bill Statement to write (§10.5.1). Amounts are exact decimal text.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 */
export interface BillStatementInput extends DataTimes {
  cds_billstatement_id: string
  cds_account_id: string
  /** The account number at issue. */
  account_number: string
  statement_date: string
  currency: string
  /** A file this server stores and serves; `file_mimetype` is then its content type. */
  file: BillFileInput | null
  /** An external file instead of {@link file}. */
  file_uri?: string | null
  file_mimetype?: string | null
  previous_balance_amount: string | null
  previous_balance_paid: string | null
  previous_balance_unpaid: string | null
  new_charges_amount: string | null
  new_charges: readonly NestedObject[]
  new_balance_amount: string | null
  amount_due: string
  amount_due_date: string | null
  shutoff_prevention_minimum_due: string | null
  shutoff_prevention_date: string | null
  account_programs: readonly NestedObject[]
}

/**
 * A Bill Section to write (§10.6.1), with the ids of its related objects.
 *
 * @see CDS-WG3-01 §10.6.1 Bill Section Object Format
 */
export interface BillSectionInput extends DataTimes {
  cds_billsection_id: string
  cds_billstatement_id: string | null
  cds_account_id: string
  account_number: string
  section_types: readonly string[]
  start_date: string
  end_date: string
  currency: string
  distribution_entity: NestedObject | null
  supply_entity: NestedObject | null
  usage_details: readonly NestedObject[]
  cost_details: readonly NestedObject[]
  line_items: readonly NestedObject[]
  related: Partial<Record<BillSectionLinkType, readonly string[]>>
}

/**
 * Writes Bill Statements and their files.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 */
export async function writeBillStatements(db: Kysely<Database>, statements: readonly BillStatementInput[]): Promise<number> {
  await insertRows(
    db,
    'bill_files',
    statements.flatMap((s) =>
      s.file === null ? [] : [{ file_id: s.file.file_id, file_name: s.file.file_name, content_type: s.file.content_type, content: s.file.content, size: s.file.content.byteLength }],
    ),
  )
  return insertRows(
    db,
    'bill_statements',
    statements.map((s) => ({
      cds_billstatement_id: s.cds_billstatement_id,
      cds_account_id: s.cds_account_id,
      account_number: s.account_number,
      statement_date: s.statement_date,
      currency: s.currency,
      file_id: s.file?.file_id ?? null,
      file_uri: s.file === null ? (s.file_uri ?? null) : null,
      file_mimetype: s.file?.content_type ?? s.file_mimetype ?? null,
      previous_balance_amount: s.previous_balance_amount,
      previous_balance_paid: s.previous_balance_paid,
      previous_balance_unpaid: s.previous_balance_unpaid,
      new_charges_amount: s.new_charges_amount,
      new_charges: toJsonText([...s.new_charges]),
      new_balance_amount: s.new_balance_amount,
      amount_due: s.amount_due,
      amount_due_date: s.amount_due_date,
      shutoff_prevention_minimum_due: s.shutoff_prevention_minimum_due,
      shutoff_prevention_date: s.shutoff_prevention_date,
      account_programs: toJsonText([...s.account_programs]),
      cds_created: s.cds_created,
      cds_modified: s.cds_modified,
      cds_synced: s.cds_synced,
    })),
  )
}

/** The `contract_number`s of the given contracts, stored or in this batch. */
async function contractNumbers(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, string>> {
  const numbers = new Map<string, string>()
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += 5000) {
    const rows = await db
      .selectFrom('service_contracts')
      .select(['cds_servicecontract_id', 'contract_number'])
      .where('cds_servicecontract_id', 'in', unique.slice(i, i + 5000))
      .execute()
    for (const row of rows) if (row.contract_number !== null) numbers.set(row.cds_servicecontract_id, row.contract_number)
  }
  return numbers
}

/**
 * Writes Bill Sections with their links. `sort_contract_number` is the smallest related
 * contract number (§10.6.9, A-17), so the related contracts must be stored first.
 *
 * @see CDS-WG3-01 §10.6.1 Bill Section Object Format
 */
export async function writeBillSections(db: Kysely<Database>, sections: readonly BillSectionInput[]): Promise<number> {
  if (sections.length === 0) return 0
  const numbers = await contractNumbers(
    db,
    sections.flatMap((s) => s.related.service_contract ?? []),
  )
  const inserted = await insertRows(
    db,
    'bill_sections',
    sections.map((s) => ({
      cds_billsection_id: s.cds_billsection_id,
      cds_billstatement_id: s.cds_billstatement_id,
      cds_account_id: s.cds_account_id,
      account_number: s.account_number,
      section_types: toJsonText([...s.section_types]),
      start_date: s.start_date,
      end_date: s.end_date,
      currency: s.currency,
      distribution_entity: s.distribution_entity === null ? null : toJsonText(s.distribution_entity),
      supply_entity: s.supply_entity === null ? null : toJsonText(s.supply_entity),
      usage_details: toJsonText([...s.usage_details]),
      cost_details: toJsonText([...s.cost_details]),
      line_items: toJsonText([...s.line_items]),
      // Code-point order, like the index's `collate "C"`.
      sort_contract_number: (s.related.service_contract ?? [])
        .map((id) => numbers.get(id))
        .filter((n): n is string => n !== undefined)
        .reduce<string>((min, n) => (n < min ? n : min), SORT_LAST),
      cds_created: s.cds_created,
      cds_modified: s.cds_modified,
      cds_synced: s.cds_synced,
    })),
  )
  const links = new Map<string, { cds_billsection_id: string; object_type: BillSectionLinkType; object_id: string }>()
  const add = (cds_billsection_id: string, object_type: BillSectionLinkType, object_id: string) =>
    links.set(`${cds_billsection_id}\0${object_type}\0${object_id}`, { cds_billsection_id, object_type, object_id })
  for (const s of sections) {
    for (const [type, ids] of Object.entries(s.related) as [BillSectionLinkType, readonly string[]][]) {
      for (const id of ids) {
        add(s.cds_billsection_id, type, id)
        // §10.6.1 related_billsections: sections issued together relate to each other both ways.
        if (type === 'bill_section') add(id, 'bill_section', s.cds_billsection_id)
      }
    }
  }
  await insertRows(db, 'bill_section_links', [...links.values()])
  return inserted
}
