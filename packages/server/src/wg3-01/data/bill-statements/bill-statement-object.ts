/**
 * A `bill_statements` row as the Bill Statement object of CDS-WG3-01 §10.5.1, as one token may see
 * it: the always-present fields, the fields its `include_*` gates turn on (catalog §1.5), decimals
 * exact, the file link on this server's bill-files route, and New Charges whose
 * `related_billsections` are pruned to the sections the token may see.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 * @module
 */
import { toDateTime } from '@cds-ts/auth'
import { Decimal } from '@cds-ts/schema'
import type { Selectable } from 'kysely'
import { ENDPOINT_PATHS } from '../../../config/endpoints.js'
import type { BillStatementsTable } from '../../../db/customer-data-tables.js'
import { fromJsonText } from '../../../db/json-text.js'
import { decimalValue, gated, syncedAt } from '../projection.js'
import type { DataAccess } from '../types.js'

/**
 * What the listing selects: the statement, the media type of its file when this server stores
 * it, and the exact gap between `amount_due` and the sum of §10.5.1 (computed in SQL NUMERIC).
 */
export interface BillStatementRow extends Selectable<BillStatementsTable> {
  /** `cds_modified` as RFC 3339 UTC text with microseconds (exactInstant), the cursor key (see `sortModified`). */
  sort_modified: string
  /** `bill_files.content_type` of `file_id`; null when the file is external or absent. */
  stored_file_type: string | null
  /**
   * `amount_due − (previous_balance_unpaid + Σ included New Charge amounts)`, as NUMERIC text;
   * null when `previous_balance_unpaid` is null (the sum rule then does not apply).
   */
  amount_due_gap: string | null
}

/** One New Charge object (§10.5.2) as stored in the `new_charges` document. */
type NewChargeDocument = Record<string, unknown> & { related_billsections?: unknown }

/** The id of the New Charge the server adds when a bill does not add up (§10.5.1, A-28). */
export function sumDifferenceChargeId(cds_billstatement_id: string): string {
  return `${cds_billstatement_id}-amount_due_sum_difference`
}

/** True when the NUMERIC text is zero in any scale (`0`, `0.00`, `-0.0`). */
function isZero(text: string): boolean {
  return /^-?0(?:\.0+)?$/.test(text)
}

/**
 * The `file_uri` and `file_mimetype` of a statement (catalog §2.5.1, A-03, A-27): a file stored in
 * `bill_files` is served by this server at `/api/bill-files/{file_id}` under the same Bearer token,
 * typed as it is served; otherwise the external URI; `file_uri: null` with no `file_mimetype` when
 * there is no file.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 */
export function billFileFields(row: BillStatementRow, baseUrl: string): { file_uri: string | null; file_mimetype?: string } {
  if (row.file_id !== null) {
    const file_uri = `${baseUrl}${ENDPOINT_PATHS.bill_files}/${encodeURIComponent(row.file_id)}`
    // R3-01-10.5.1-06: the media type names what the file route answers with.
    const type = row.stored_file_type ?? row.file_mimetype
    return type === null ? { file_uri } : { file_uri, file_mimetype: type }
  }
  if (row.file_uri !== null) return row.file_mimetype === null ? { file_uri: row.file_uri } : { file_uri: row.file_uri, file_mimetype: row.file_mimetype }
  // R3-01-10.5.1-05: the gate is on but there is no file: `null`, and no media type.
  return { file_uri: null }
}

/**
 * The New Charges of a statement as the token may see them (§10.5.2): `related_billsections` is
 * dropped when the token cannot see Bill Sections at all (R3-01-10.5.2-02) and pruned to the
 * visible sections otherwise (R3-01-10.5.2-03, A-06). When the bill does not add up, a charge of
 * type `amount_due_sum_difference` carrying the gap is appended so the sum rule holds.
 *
 * @param visibleSections the visible ids among every charge's `related_billsections`, or `null`
 *   when the token's scopes do not include Bill Sections
 * @see CDS-WG3-01 §10.5.2 New Charge Object Format
 */
export function newChargesFor(row: BillStatementRow, visibleSections: ReadonlySet<string> | null): Record<string, unknown>[] {
  const charges = fromJsonText(row.new_charges).map((stored): Record<string, unknown> => {
    const { related_billsections, ...charge } = stored as NewChargeDocument
    // §10.5.2: left out when unknown, or when the token cannot see Bill Sections.
    if (!Array.isArray(related_billsections) || visibleSections === null) return charge
    return { ...charge, related_billsections: related_billsections.filter((id): id is string => typeof id === 'string' && visibleSections.has(id)) }
  })
  // CDS-WG3-01 §10.5.1 (R3-01-10.5.1-11, A-28): previous_balance_unpaid + Σ included amounts must
  // equal amount_due exactly; a bill that does not gets the difference as an included charge.
  if (row.amount_due_gap !== null && !isZero(row.amount_due_gap)) {
    charges.push({
      id: sumDifferenceChargeId(row.cds_billstatement_id),
      name: 'Difference between the amount due and the sum of the previous unpaid balance and the new charges',
      types: ['amount_due_sum_difference'],
      amount: Decimal.from(row.amount_due_gap),
      included_in_amount_due: true,
    })
  }
  return charges
}

/** The `related_billsections` ids of every New Charge of the rows, for one `visibleIds` call. */
export function relatedSectionIds(rows: readonly BillStatementRow[]): Set<string> {
  const ids = new Set<string>()
  for (const row of rows) {
    for (const charge of fromJsonText(row.new_charges) as NewChargeDocument[]) {
      if (Array.isArray(charge.related_billsections)) for (const id of charge.related_billsections) if (typeof id === 'string') ids.add(id)
    }
  }
  return ids
}

/**
 * The Bill Statement object of one row for one token (catalog §2.5.1). Fields a gate leaves off are
 * absent; `null` decimals of the charges block are absent too (A-02: optional scalars).
 *
 * @param visibleSections see {@link newChargesFor}
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 */
export function billStatementObject(
  row: BillStatementRow,
  access: DataAccess,
  baseUrl: string,
  visibleSections: ReadonlySet<string> | null,
): Record<string, unknown> {
  const statement: Record<string, unknown> = {
    cds_billstatement_id: row.cds_billstatement_id,
    cds_created: toDateTime(row.cds_created),
    cds_modified: toDateTime(row.cds_modified),
    cds_synced: syncedAt(row.cds_synced, access),
    cds_account_id: row.cds_account_id,
    statement_date: row.statement_date,
    currency: row.currency,
    amount_due: Decimal.from(row.amount_due),
    amount_due_date: row.amount_due_date,
    // R3-01-10.5.1-07, -08: no shutoff notice is null for both (the table's check keeps the date null too).
    shutoff_prevention_minimum_due: decimalValue(row.shutoff_prevention_minimum_due),
    shutoff_prevention_date: row.shutoff_prevention_minimum_due === null ? null : row.shutoff_prevention_date,
  }
  // REQUIRED by §10.5.1 yet listed under include_account_numbers (§7.2.1.1); gated, as PII.
  Object.assign(statement, gated(access, 'include_account_numbers', { account_number: row.account_number }))
  if (access.includes('include_bill_statement_files')) Object.assign(statement, billFileFields(row, baseUrl))
  if (access.includes('include_bill_statement_charges')) {
    const amounts = {
      previous_balance_amount: row.previous_balance_amount,
      previous_balance_paid: row.previous_balance_paid,
      previous_balance_unpaid: row.previous_balance_unpaid,
      new_charges_amount: row.new_charges_amount,
      new_balance_amount: row.new_balance_amount,
    }
    for (const [field, text] of Object.entries(amounts)) if (text !== null) statement[field] = Decimal.from(text)
    // the gate is on, so a statement without charges still shows `new_charges: []`.
    statement.new_charges = newChargesFor(row, visibleSections)
  }
  // R3-01-10.5.1-09: `[]` when there are no programs.
  if (access.includes('include_bill_statement_programs')) statement.account_programs = fromJsonText(row.account_programs)
  return statement
}
