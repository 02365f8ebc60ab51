/**
 * Monthly Bill Statements of the demo accounts (CDS-WG3-01 §10.5): New Charges that reference the
 * month's sections, balances carried from the previous statement, a late charge and a shutoff
 * notice for accounts that fall behind, and a tiny PDF of each statement.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 * @module
 */
import type { BillStatementInput } from '../customer-data/write-bills.js'
import type { DataTimes, NestedObject } from '../customer-data/write-objects.js'
import { addDays } from './calendar.js'
import type { PricedSection } from './bills.js'
import { fixed, fixedText, rescale } from './fixed.js'
import type { AccountPlan } from './model.js'
import { tinyPdf } from './pdf.js'
import { CURRENCY, UTILITY } from './profile.js'

/** What carries from one statement of an account to the next. */
export interface Balance {
  /** The previous statement's amount due, cents. */
  due: bigint
  /** Unpaid cents on the previous statement. */
  unpaid: bigint
}

/**
 * The statement of an account for one month and the balance it leaves. `amount_due` =
 * `previous_balance_unpaid` + Σ included New Charges, exactly (§10.5.1, A-28).
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 */
export function statement(
  account: AccountPlan,
  id: string,
  statement_date: string,
  sections: readonly PricedSection[],
  previous: Balance,
  times: DataTimes,
): { input: BillStatementInput; balance: Balance } {
  const a = account.input
  const paid = rescale(previous.due * BigInt(account.pays), 3, 0)
  const unpaid = previous.due - paid
  const charges: NestedObject[] = sections.map((s, i) => ({
    id: `${id}-nc-${i}`,
    name: s.name,
    types: [s.type],
    amount: fixed(s.total, 2),
    included_in_amount_due: true,
    related_billsections: [s.input.cds_billsection_id],
  }))
  let newCharges = sections.reduce((n, s) => n + s.total, 0n)
  if (unpaid > 0n) {
    const interest = rescale(unpaid * 15n, 3, 0)
    charges.push({ id: `${id}-nc-late`, name: 'Late Payment Charge (1.5%)', types: ['interest'], amount: fixed(interest, 2), included_in_amount_due: true })
    newCharges += interest
  }
  const due = unpaid + newCharges
  const due_date = addDays(statement_date, 21)
  // A second month behind brings a shutoff notice for the unpaid part.
  const shutoff = unpaid > 0n && previous.unpaid > 0n
  const programs = a.account_programs.filter((p) => typeof p.start !== 'string' || p.start <= statement_date)
  const file_id = `${id}-pdf`
  const pdf = tinyPdf([
    `${String(UTILITY.entity_name)} - Statement of ${statement_date}`,
    `Account ${a.account_number}${a.account_name === null ? '' : ` - ${a.account_name}`}`,
    `Previous balance: ${fixedText(previous.due, 2)} ${CURRENCY}; paid ${fixedText(paid, 2)}`,
    ...sections.map((s) => `${s.name} (${s.input.start_date} to ${s.input.end_date}): ${fixedText(s.total, 2)}`),
    `Amount due: ${fixedText(due, 2)} ${CURRENCY} by ${due_date}`,
  ])
  return {
    input: {
      cds_billstatement_id: id,
      cds_account_id: a.cds_account_id,
      account_number: a.account_number,
      statement_date,
      currency: CURRENCY,
      file: { file_id, file_name: `statement-${a.account_number}-${statement_date}.pdf`, content_type: 'application/pdf', content: pdf },
      previous_balance_amount: fixedText(previous.due, 2),
      previous_balance_paid: fixedText(paid, 2),
      previous_balance_unpaid: fixedText(unpaid, 2),
      new_charges_amount: fixedText(newCharges, 2),
      new_charges: charges,
      new_balance_amount: fixedText(due, 2),
      amount_due: fixedText(due, 2),
      amount_due_date: due_date,
      shutoff_prevention_minimum_due: shutoff ? fixedText(unpaid, 2) : null,
      shutoff_prevention_date: shutoff ? addDays(due_date, 15) : null,
      account_programs: programs,
      ...times,
    },
    balance: { due, unpaid },
  }
}
