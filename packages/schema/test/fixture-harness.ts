/**
 * Fixtures for every object schema: valid examples written from the spec text, and invalid
 * variants made by mutating a valid one. `test/fixtures.test.ts` runs them all:
 * - every valid fixture passes `checkStrict` (after lenient decoding from its JSON text),
 *   `parseLenient` with no warnings, and the emitted JSON Schema file (Ajv 2020-12);
 * - every invalid fixture fails `checkStrict`, and `parseLenient` does what `lenient` says:
 *   `error` (refused), `warning` (accepted, warning at the path) or `accept` (no issue).
 */
import type { TSchema } from 'typebox'

/** A valid example as JSON text (wire form: decimals as JSON numbers). */
export interface ValidFixture {
  name: string
  json: string
}

/** An invalid variant of `valid[base ?? 0]`, made by `mutate` on its decoded value. */
export interface InvalidFixture {
  name: string
  base?: number
  /** Changes the decoded value in place (decimals are `Decimal` instances there). */
  mutate: (value: Record<string, any>) => void
  /** What `parseLenient` does with the mutated value. */
  lenient: 'error' | 'warning' | 'accept'
  /** Only for `lenient: 'accept'`: what the strict check still refuses and why that is right. */
  why?: string
}

/** Every fixture of one schema. */
export interface FixtureSet {
  schema: TSchema
  valid: ValidFixture[]
  invalid: InvalidFixture[]
}

/** Declares the fixtures of one schema (a typed identity). */
export function defineFixtures(schema: TSchema, fixtures: Omit<FixtureSet, 'schema'>): FixtureSet {
  return { schema, ...fixtures }
}
