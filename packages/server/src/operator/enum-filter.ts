/**
 * The enumeration filters of the operator listings (`statuses`, `types`): space-separated values,
 * each one of the enumeration, or 400 naming the parameter.
 *
 * @module
 */
import { InvalidRequest } from '@cds-ts/auth'
import { parseIdList } from '../shared/filters.js'

/**
 * A space-separated list of enumeration values, each checked; `undefined` when empty.
 *
 * @throws {InvalidRequest} naming the parameter when a value is not one of `allowed`
 * @see CDS-WG1-02 §6.3 Message Statuses
 */
export function parseEnumList(name: string, value: string | undefined, allowed: readonly string[]): Set<string> | undefined {
  const values = parseIdList(value)
  for (const item of values ?? []) {
    if (!allowed.includes(item)) throw new InvalidRequest(`the query parameter '${name}' has the unknown value '${item}'; use ${allowed.join(', ')}`)
  }
  return values
}

/**
 * The values of an enumeration schema of `@cds-ts/schema` (`Cds.Enum`).
 *
 * @see CDS-WG1-02 §6.2 Message Types
 */
export function enumValues(schema: object): string[] {
  const values = (schema as { enum?: unknown }).enum
  return Array.isArray(values) ? values.filter((value): value is string => typeof value === 'string') : []
}
