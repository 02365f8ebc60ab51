/**
 * The Bill Statements API (CDS-WG3-01 §10.5): the bills a token may see, amounts as exact
 * decimals, and the bill file each may link in `file_uri` (the PDF the customer received),
 * which is downloaded with the same token.
 *
 * @module
 */
import { BillStatementListing, type BillStatement } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { CdsProtocolError } from '../errors.js'
import { ListingEndpoint, type DateFilter, type ListFilter } from '../pagination.js'
import type { ApiSession, CallOptions } from '../session.js'

/**
 * Filters of the Bill Statements listing; several filters intersect.
 *
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 */
export interface BillStatementFilters {
  /** Only these `cds_billstatement_id`s. */
  cds_billstatement_ids?: ListFilter
  /** Only statements dated on or before this date. */
  before?: DateFilter
  /** Only statements dated on or after this date. */
  after?: DateFilter
  /** Only statements of these `cds_account_id`s. */
  cds_account_ids?: ListFilter
  /** Only statements issued to these `account_number`s. */
  account_numbers?: ListFilter
}

/**
 * The Bill Statements API: `list`, `page`, `pages` and `all` (latest `statement_date` first),
 * and `downloadFile` for a statement's `file_uri`.
 *
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 */
export class BillStatementsApi extends ListingEndpoint<Decoded<BillStatement>, BillStatementFilters, Decoded<BillStatementListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: BillStatementListing, key: 'bill_statements', dateOnly: ['before', 'after'] })
  }

  /**
   * The bill file of a statement: the `200` response with its body unread. Its `Content-Type`
   * is the statement's `file_mimetype`.
   *
   * @example
   * ```ts
   * for await (const statement of data.billStatements.all()) {
   *   if (statement.file_uri) console.log((await data.billStatements.downloadFile(statement)).headers.get('content-type'))
   * }
   * ```
   * @throws {CdsProtocolError} `MISSING_ENDPOINT` when the statement has no `file_uri`
   * @see CDS-WG3-01 §10.5.1 Bill Statement Object Format
   */
  async downloadFile(statement: string | { readonly file_uri?: string | null | undefined; readonly file_mimetype?: string | undefined }, options?: CallOptions): Promise<Response> {
    const url = typeof statement === 'string' ? statement : statement.file_uri
    if (url === undefined || url === null) throw new CdsProtocolError('MISSING_ENDPOINT', 'this Bill Statement has no file_uri')
    // CDS-WG3-01 §10.5.1: the file takes the same authentication as the statement.
    return this.session.download(url, typeof statement === 'string' ? '*/*' : (statement.file_mimetype ?? '*/*'), options)
  }
}
