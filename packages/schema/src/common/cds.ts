import { listing } from './listing.js'
import { countryCode, currencyCode, date, dateTime, decimal, e164, email, enumeration, map, mimeType, nullable, url } from './types.js'

/**
 * The CDS primitive builders. Use with TypeBox's own `Type.Object`, `Type.Optional`, `Type.Array`.
 *
 * @example
 * ```ts
 * const Entry = Type.Object({ id: Type.String(), created: Cds.DateTime(), amount: Cds.Decimal() })
 * ```
 */
export const Cds = {
  Decimal: decimal,
  Enum: enumeration,
  Nullable: nullable,
  Map: map,
  Listing: listing,
  DateTime: dateTime,
  Date: date,
  Url: url,
  Email: email,
  CountryCode: countryCode,
  CurrencyCode: currencyCode,
  MimeType: mimeType,
  E164: e164,
} as const
