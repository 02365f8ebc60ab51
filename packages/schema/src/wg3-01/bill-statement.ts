/**
 * The Bill Statements API objects (CDS-WG3-01 §10.5): the statement a Customer receives, its
 * account-level New Charges, the listing envelope and the listing filters.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { AccountProgram } from './shared-objects.js'

/**
 * What a New Charge line of a statement stands for. `differed` is spelt as the spec spells it
 * (meaning "deferred"); servers emit it exactly so.
 *
 * @see CDS-WG3-01 §10.5.3 New Charge Types
 */
export const NewChargeType = Cds.Enum(
  [
    'electric_total',
    'water_total',
    'natural_gas_total',
    'fuel_oil_total',
    'waste_water_total',
    'solid_waste_total',
    'tax',
    'fixed_fee',
    'flat_rate',
    'interest',
    'deposit',
    'differed',
    'credit_bank',
    'program',
    'adhoc',
    'amount_due_sum_difference',
  ],
  {
    $id: 'NewChargeType',
    description:
      'Kind of a New Charge: a per-service total, an account-level charge or adjustment, or the server-inserted `amount_due_sum_difference` (CDS-WG3-01 §10.5.3).',
  },
)
export type NewChargeType = Static<typeof NewChargeType>

/**
 * One charge or credit on the summary page of a statement, applied to the Account balance.
 *
 * @see CDS-WG3-01 §10.5.2 New Charge Object Format
 */
export const NewCharge = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of this New Charge.' }),
    name: Type.String({ description: 'Name of the line as printed on the bill, e.g. "Electric Service Charges".' }),
    types: Type.Array(NewChargeType, { description: 'Kinds of this charge; clients ignore values they do not know.' }),
    amount: Cds.Decimal({ description: "Amount in the statement's `currency`: positive is a charge, negative a credit." }),
    included_in_amount_due: Type.Boolean({ description: 'Whether this amount counts towards the statement `amount_due` (usually true).' }),
    related_billsections: Type.Optional(
      Type.Array(Type.String(), {
        description: '`cds_billsection_id`s this charge comes from; left out when unknown or when the token cannot see Bill Sections (CDS-WG3-01 §10.5.2).',
      }),
    ),
  },
  {
    $id: 'NewCharge',
    description: 'New Charge: an account-level charge or credit listed on a Bill Statement (CDS-WG3-01 §10.5.2).',
  },
)
export type NewCharge = Static<typeof NewCharge>

/**
 * A bill statement as the Customer received it.
 *
 * Not checkable by schema (CDS-WG3-01 §10.5.1): when both `previous_balance_unpaid` and
 * `new_charges` are present, `previous_balance_unpaid` plus the `amount` of every New Charge
 * with `included_in_amount_due` equals `amount_due` in exact decimal arithmetic, the server
 * adding an `amount_due_sum_difference` charge when the real bill does not add up.
 *
 * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
 */
export const BillStatement = Type.Object(
  {
    cds_billstatement_id: Type.String({ description: "The server's unique identifier of this Bill Statement." }),
    cds_created: Cds.DateTime({ description: 'When the server created this object.' }),
    cds_modified: Cds.DateTime({ description: 'When the server last changed this object, not counting `cds_synced`.' }),
    cds_synced: Cds.DateTime({ description: 'When the data was last confirmed against the source of truth.' }),
    cds_account_id: Type.String({ description: 'The Account the statement was issued for.' }),
    // REQUIRED in §10.5.1, yet gated by `include_account_numbers` (§7.2.1.1); absent when the gate is off.
    account_number: Type.Optional(
      Type.String({ description: "The Account's `account_number` when the statement was issued; present when account numbers are enabled (A-07)." }),
    ),
    statement_date: Cds.Date({ description: 'Statement date printed on the bill.' }),
    currency: Cds.CurrencyCode({ description: 'ISO 4217 currency of every amount in this statement and its New Charges.' }),
    file_uri: Type.Optional(
      Cds.Nullable(Cds.Url(), {
        description: 'The bill file (e.g. PDF) as sent to the Customer, behind the same authentication; null when enabled but no file exists.',
      }),
    ),
    file_mimetype: Type.Optional(Cds.MimeType({ description: 'Media type of `file_uri`; required when `file_uri` is a URL (CDS-WG3-01 §10.5.1).' })),
    previous_balance_amount: Type.Optional(Cds.Decimal({ description: 'Previous balance printed on the bill.' })),
    previous_balance_paid: Type.Optional(Cds.Decimal({ description: 'Part of the previous balance that was paid.' })),
    previous_balance_unpaid: Type.Optional(Cds.Decimal({ description: 'Part of the previous balance left unpaid; first operand of the amount-due sum.' })),
    new_charges_amount: Type.Optional(Cds.Decimal({ description: 'Total of new charges and credits printed on the bill.' })),
    new_charges: Type.Optional(Type.Array(NewCharge, { description: 'Account-level charges and credits printed on the bill.' })),
    new_balance_amount: Type.Optional(Cds.Decimal({ description: 'New Account balance printed on the bill.' })),
    amount_due: Cds.Decimal({ description: 'Amount due printed on the bill.' }),
    amount_due_date: Cds.Date({ description: 'Date by which `amount_due` is due.' }),
    shutoff_prevention_minimum_due: Cds.Nullable(Cds.Decimal(), {
      description: 'Minimum payment that prevents a shutoff; null when the bill carries no shutoff notice.',
    }),
    shutoff_prevention_date: Cds.Nullable(Cds.Date(), {
      description: 'Due date of `shutoff_prevention_minimum_due`; null whenever that amount is null (CDS-WG3-01 §10.5.1).',
    }),
    account_programs: Type.Optional(
      Type.Array(AccountProgram, { description: 'Account-level programs in effect during the statement period; `[]` when none or unknown.' }),
    ),
  },
  {
    $id: 'BillStatement',
    description: 'Bill Statement: one bill issued to an Account, with its amounts, due dates, file and New Charges (CDS-WG3-01 §10.5.1).',
    allOf: [
      // CDS-WG3-01 §10.5.1: a populated `file_uri` needs its MIME type.
      { if: { required: ['file_uri'], properties: { file_uri: { type: 'string' } } }, then: { required: ['file_mimetype'] } },
      // CDS-WG3-01 §10.5.1: no minimum due for shutoff prevention means no date either.
      {
        if: { required: ['shutoff_prevention_minimum_due'], properties: { shutoff_prevention_minimum_due: { type: 'null' } } },
        then: { properties: { shutoff_prevention_date: { type: 'null' } } },
      },
    ],
  },
)
export type BillStatement = Static<typeof BillStatement>

/**
 * One page of Bill Statements, newest `statement_date` first, then newest `cds_modified`.
 *
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 */
export const BillStatementListing = Cds.Listing('bill_statements', BillStatement, {
  $id: 'BillStatementListing',
  description: 'Bill Statement listing: a page of statements by `statement_date` then `cds_modified`, both descending, with next/previous links (CDS-WG3-01 §10.5.4).',
})
export type BillStatementListing = Static<typeof BillStatementListing>

/**
 * URL query parameters of the Bill Statements listing; the filters intersect.
 *
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 */
export const BillStatementListingQuery = Type.Object(
  {
    cds_billstatement_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_billstatement_id` values.' })),
    before: Type.Optional(Cds.Date({ description: 'Keep statements whose `statement_date` is on or before this date.' })),
    after: Type.Optional(Cds.Date({ description: 'Keep statements whose `statement_date` is on or after this date.' })),
    cds_account_ids: Type.Optional(Type.String({ description: 'Space-separated `cds_account_id` values.' })),
    account_numbers: Type.Optional(Type.String({ description: 'Space-separated `account_number` values (the number at issuance).' })),
  },
  { $id: 'BillStatementListingQuery', description: 'Filters of the Bill Statement listing; several filters intersect (CDS-WG3-01 §10.5.4).' },
)
export type BillStatementListingQuery = Static<typeof BillStatementListingQuery>
