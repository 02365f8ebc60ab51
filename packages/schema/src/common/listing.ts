/**
 * Pagination envelope shared by every listing (CDS-WG1-01 §4.1, CDS-WG1-02 §5.3, CDS-WG3-01 §10).
 * Each listing names its array (`coverage_entries`, `clients`, `accounts`, …) and carries `next`
 * and `previous`, both always present and `null` at either end.
 *
 * @module
 */
import Type, { type TArray, type TNull, type TObject, type TSchema, type TUnion, type TUnsafe } from 'typebox'
import { nullable, url, type Annotations } from './types.js'

/** The link members every listing carries. */
export interface ListingLinks {
  /** URL of the next page; `null` on the last page. */
  next: string | null
  /** URL of the previous page; `null` on the first page. */
  previous: string | null
}

type TLink = TUnion<[TUnsafe<string>, TNull]>

/** The TypeBox type of a listing whose array is under `Key`. */
export type TListing<Key extends string, Item extends TSchema> = TObject<{ [K in Key]: TArray<Item> } & { next: TLink; previous: TLink }>

/** The envelope of every paginated listing: the items under `key`, plus `next` and `previous` (CDS-WG1-01 §4.1, CDS-WG1-02 §5.3). */
export function listing<const Key extends string, Item extends TSchema>(
  key: Key,
  item: Item,
  options: Annotations = {},
): TListing<Key, Item> {
  const properties = {
    [key]: Type.Array(item),
    next: nullable(url({ description: 'URL of the next page, or null on the last page' })),
    previous: nullable(url({ description: 'URL of the previous page, or null on the first page' })),
  } as { [K in Key]: TArray<Item> } & { next: TLink; previous: TLink }
  return Type.Object(properties, options)
}

