/**
 * Looks up the known disagreements (known-disagreements.ts) that apply to an example and to
 * each of its problems.
 *
 * @module
 */
import { KNOWN_DISAGREEMENTS, type KnownDisagreement } from './known-disagreements.js'

/** Where an example sits, for looking up its known disagreements. */
export interface ExampleLocation {
  file: string
  /** Section number, or heading title when unnumbered. */
  section: string
  role: 'request' | 'response' | 'standalone'
  ordinal: number
}

function sectionMatches(pattern: string, section: string): boolean {
  if (pattern === '*' || pattern === section) return true
  return pattern.endsWith('.*') && section.startsWith(pattern.slice(0, -1))
}

/** The known disagreements that apply to an example. */
export function disagreementsFor(location: ExampleLocation, entries: readonly KnownDisagreement[] = KNOWN_DISAGREEMENTS): KnownDisagreement[] {
  return entries.filter(
    (e) =>
      e.file === location.file &&
      sectionMatches(e.section, location.section) &&
      (e.role === undefined || e.role === location.role) &&
      (e.ordinal === undefined || e.ordinal === location.ordinal),
  )
}

/** True when an entry explains an issue at `pointer` (its last member name or a pointer fragment). */
export function covers(entry: KnownDisagreement, pointer: string): boolean {
  if (!entry.covers) return true
  const tokens = pointer.split('/').slice(1)
  return entry.covers.some((c) => (c.startsWith('/') ? pointer === c || pointer.startsWith(`${c}/`) || pointer.endsWith(c) : tokens.includes(c)))
}
