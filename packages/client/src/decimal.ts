/**
 * Exact decimals on both sides of the wire (CDS-WG3-01 §2, CDS-WG1-02 §2): every JSON body the
 * SDK reads goes through `parseJson` (a number that is not a safe integer becomes a
 * {@link Decimal} with its exact text) and every body it writes through `stringifyJson` (a
 * {@link Decimal} is written as a raw JSON number). `JSON.parse`, `JSON.stringify`, `Number()`
 * and `parseFloat` never touch a decimal here.
 *
 * `Decimal`, `parseJson` and `stringifyJson` are re-exported from `@cds-ts/schema`, so an
 * application needs one import to persist a token set or a listing losslessly.
 *
 * @module
 */
import { Decimal, parseJson, stringifyJson } from '@cds-ts/schema'
import { CdsProtocolError } from './errors.js'

export { Decimal, parseJson, stringifyJson }

/**
 * The in-memory form of a schema type as the SDK returns it: every decimal field, which the
 * schema types as `number | Decimal` (what a server may emit), is a {@link Decimal}.
 *
 * @example
 * ```ts
 * const statement: Decoded<BillStatement> = page.bill_statements[0]
 * statement.amount_due.toString() // '279.25', exactly as sent
 * ```
 * @see CDS-WG3-01 §2 (decimal)
 */
export type Decoded<T> = Decimal extends T
  ? Exclude<T, number>
  : T extends readonly (infer Item)[]
    ? Decoded<Item>[]
    : T extends object
      ? { [K in keyof T]: Decoded<T[K]> }
      : T

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

/**
 * Reads a response body as JSON without losing decimal digits.
 *
 * @throws {CdsProtocolError} `INVALID_CONTENT_TYPE` when the media type is not JSON, `INVALID_JSON`
 *   when the text does not parse
 * @see CDS-WG3-01 §2 (decimal)
 */
export async function readJson(response: Response): Promise<unknown> {
  const type = response.headers.get('content-type') ?? ''
  if (!JSON_MEDIA_TYPE.test(type)) {
    await response.body?.cancel().catch(() => undefined)
    throw new CdsProtocolError('INVALID_CONTENT_TYPE', `expected a JSON body, got ${type === '' ? 'no Content-Type' : `"${type}"`} (${response.status} from ${response.url})`, { response })
  }
  const text = await response.text()
  try {
    return parseJson(text)
  } catch (cause) {
    throw new CdsProtocolError('INVALID_JSON', `the body from ${response.url} is not JSON`, { response, cause })
  }
}

/**
 * Writes a request body as JSON; {@link Decimal} values keep their exact text.
 *
 * @see CDS-WG3-01 §2 (decimal)
 */
export function jsonBody(value: unknown): string {
  return stringifyJson(value)
}
