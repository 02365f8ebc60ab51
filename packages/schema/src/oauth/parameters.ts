/**
 * Shared pieces of the OAuth form and query parameters.
 *
 * @internal
 * @module
 */
import Type from 'typebox'

// RFC 6749 §3.3: space-separated scope tokens of printable ASCII without `"` and `\`.
const SCOPE = '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+(?: [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*$'

/** An RFC 6749 §3.3 `scope` parameter. @internal */
export const scope = (description: string) => Type.String({ pattern: SCOPE, description })

/** An RFC 9396 `authorization_details` form or query parameter: a JSON array as text. @internal */
export const authorizationDetailsParameter = (description: string) =>
  Type.String({ pattern: '^\\s*\\[', description: `${description} A JSON array of authorization details entries, as text (RFC 9396 §2, §6).` })
