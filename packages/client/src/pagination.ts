/**
 * The one home of listings in the SDK: typed filters turned into query parameters, single pages,
 * and async iteration that follows `next` links until they end. Every CDS listing has the same
 * envelope (an array plus `next` and `previous`, CDS-WG1-01 §4.1, CDS-WG1-02 §5.3, CDS-WG3-01
 * §10); the Messages listing has three of them (CDS-WG1-02 §6.8) and uses {@link followPages}.
 *
 * @module
 */
import { CdsProtocolError } from './errors.js'
import type { Schema } from './lenient.js'
import type { ApiSession, CallOptions } from './session.js'

/**
 * A value of an extensible enumeration (CDS-WG1-02 §10, CDS-WG3-01 §11.7): one the SDK knows,
 * or any string a newer server may define.
 *
 * @see CDS-WG1-02 §10 Extensions
 */
export type Extensible<T extends string> = T | (string & Record<never, never>)

/**
 * A space-separated list filter (every CDS list filter is one): a list, joined with spaces, or
 * the ready string.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export type ListFilter<T extends string = string> = string | readonly Extensible<T>[]

/**
 * A datetime filter: an RFC 3339 string, or a `Date` (sent as UTC).
 *
 * @see CDS-WG1-02 §7.3 Listing Credentials
 */
export type DateTimeFilter = string | Date

/**
 * A date filter: `YYYY-MM-DD`, or a `Date` (its UTC date is sent).
 *
 * @see CDS-WG3-01 §10.5.4 Listing Bill Statements
 */
export type DateFilter = string | Date

/** The values a filter object may hold. */
type FilterValue = string | number | boolean | Date | readonly string[] | undefined

/**
 * The URL of a listing with its filters: lists joined with spaces, `Date`s as RFC 3339 (or as a
 * date for the names in `dateOnly`), `undefined` members left out. Parameters already in `base`
 * are kept.
 *
 * @example
 * ```ts
 * listingUrl('https://utility.example/api/grants', { statuses: ['active', 'pending'] }).href
 * // 'https://utility.example/api/grants?statuses=active+pending'
 * ```
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export function listingUrl(base: string | URL, filters: object = {}, dateOnly: readonly string[] = []): URL {
  const url = new URL(base)
  for (const [name, value] of Object.entries(filters) as [string, FilterValue][]) {
    if (value === undefined) continue
    let text: string
    if (value instanceof Date) text = dateOnly.includes(name) ? value.toISOString().slice(0, 10) : value.toISOString()
    else if (Array.isArray(value)) text = (value as readonly string[]).join(' ')
    else text = String(value)
    url.searchParams.set(name, text)
  }
  return url
}

/**
 * Follows `next` links from a first page until one is `null`, yielding every page (the first
 * included). A link that leads back to a page already seen ends the walk with `PAGINATION_LOOP`.
 *
 * @param firstUrl the URL the first page was fetched from
 * @throws {CdsProtocolError} `PAGINATION_LOOP`
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 * @see CDS-WG3-01 §10.1.10 Listing Accounts
 */
export async function* followPages<P>(first: P, firstUrl: string, nextOf: (page: P) => string | null | undefined, fetchPage: (url: string) => Promise<P>): AsyncGenerator<P, void, undefined> {
  const seen = new Set([new URL(firstUrl).href])
  let page = first
  for (;;) {
    yield page
    const next = nextOf(page)
    if (next === null || next === undefined) return
    const href = new URL(next, firstUrl).href
    if (seen.has(href)) throw new CdsProtocolError('PAGINATION_LOOP', `the next link ${href} leads to a page already listed`)
    seen.add(href)
    page = await fetchPage(href)
  }
}

/**
 * A listing page: the items under its key, plus `next` and `previous`.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export interface ListingPage {
  readonly next: string | null
  readonly previous: string | null
}

/**
 * How a {@link ListingEndpoint} finds and reads its listing.
 *
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 */
export interface ListingDefinition<Page extends ListingPage> {
  /** The listing URL (from the metadata); throws `MISSING_ENDPOINT` when the server names none. */
  url: () => string
  /** The listing schema of `@cds-ts/schema`. */
  schema: Schema
  /** The member holding the items, e.g. `accounts`. */
  key: keyof Page & string
  /** Filters whose `Date` values are sent as dates, not datetimes. */
  dateOnly?: readonly string[]
}

/**
 * One paginated listing of a CDS API: a single page with {@link ListingEndpoint.list} or
 * {@link ListingEndpoint.page}, or every item with {@link ListingEndpoint.all}, which follows
 * `next` links as it goes.
 *
 * @example
 * ```ts
 * const first = await data.accounts.list({ account_statuses: ['active'] })
 * for await (const account of data.accounts.all({ account_statuses: ['active'] })) console.log(account.cds_account_id)
 * ```
 * @see CDS-WG1-02 §5.3 Listing Client Objects
 * @see CDS-WG3-01 §10 Customer Data API
 */
export class ListingEndpoint<Item, Filters extends object, Page extends ListingPage> {
  constructor(
    protected readonly session: ApiSession,
    private readonly definition: ListingDefinition<Page>,
  ) {}

  /** The first page for these filters. */
  async list(filters?: Filters, options?: CallOptions): Promise<Page> {
    return this.page(listingUrl(this.definition.url(), filters, this.definition.dateOnly).href, options)
  }

  /** The page at a `next` or `previous` link. */
  async page(url: string, options?: CallOptions): Promise<Page> {
    return (await this.session.json<Page>(url, { method: 'GET' }, this.definition.schema, [200], options)).value
  }

  /** Every page for these filters, first to last. */
  async *pages(filters?: Filters, options?: CallOptions): AsyncGenerator<Page, void, undefined> {
    const url = listingUrl(this.definition.url(), filters, this.definition.dateOnly).href
    yield* followPages(await this.page(url, options), url, (page) => page.next, (next) => this.page(next, options))
  }

  /** Every item for these filters, across all pages. */
  async *all(filters?: Filters, options?: CallOptions): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages(filters, options)) yield* page[this.definition.key] as Item[]
  }
}
