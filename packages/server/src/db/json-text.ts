/**
 * The one conversion between JSON values and the `jsonb` columns of the server database.
 *
 * Both drivers are told to hand `jsonb` back as text (`dialects.ts`), and this module writes and
 * reads that text with the lossless JSON functions of `@cds-ts/schema`, so a decimal inside an
 * `authorization_details` entry keeps every digit (`1.10` stays `1.10`). Writing text also avoids
 * the `pg` pitfall of sending a JavaScript array as a PostgreSQL array literal.
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 * @module
 */
import { parseJson, stringifyJson } from '@cds-ts/schema'
import type { JsonText } from './database.js'

/**
 * Encodes a value for a `jsonb` column; `Decimal` values are written as exact JSON numbers.
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export function toJsonText<T>(value: T): JsonText<T> {
  return stringifyJson(value)
}

/**
 * Decodes a `jsonb` column written by {@link toJsonText}. Numbers that are not safe integers come
 * back as `Decimal` (CDS-WG1-02 §3.9: a decimal never passes through a float).
 *
 * @see CDS-WG1-02 §3.9 Authorization Details Field Formats
 */
export function fromJsonText<T>(text: JsonText<T>): T {
  // The column only ever holds what toJsonText wrote for a T.
  return parseJson(text) as T
}
