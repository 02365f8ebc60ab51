/**
 * Address matching for the `addresses` preselection field (CDS-WG3-01 §7.1.13.1), for the
 * server's one locale, the United States:
 *
 * - an address the customer could look up on a map (a Typical Address: a house number and a
 *   street, optionally after a name) loses its name, gets its postal abbreviations written out,
 *   is lower-cased, has its line breaks turned into ", " (the segment separator) and its spaces
 *   collapsed;
 * - any other address (an Atypical Address) and every address a Client sends are lower-cased,
 *   line breaks become spaces, and spaces are collapsed;
 * - an input address matches a resource when exactly one resource's normalized address equals
 *   it; two or more equal ones make it too vague to match anything.
 *
 * The docs page `interpretations/server-authorization-form.md` lists the abbreviations and
 * examples, as §7.1.13.1 asks of the `documentation` page.
 *
 * @see CDS-WG3-01 §7.1.13.1 Address Matching
 * @module
 */

/**
 * The postal abbreviations written out in a Typical Address (USPS street suffixes, unit
 * designators and directions), keyed by the lower-case abbreviation without its period.
 *
 * @see CDS-WG3-01 §7.1.13.1 Address Matching
 */
export const POSTAL_ABBREVIATIONS: Readonly<Record<string, string>> = {
  aly: 'alley',
  ave: 'avenue',
  av: 'avenue',
  blvd: 'boulevard',
  cir: 'circle',
  ct: 'court',
  cv: 'cove',
  dr: 'drive',
  expy: 'expressway',
  fwy: 'freeway',
  hwy: 'highway',
  ln: 'lane',
  loop: 'loop',
  pkwy: 'parkway',
  pl: 'place',
  plz: 'plaza',
  rd: 'road',
  sq: 'square',
  st: 'street',
  ter: 'terrace',
  trl: 'trail',
  way: 'way',
  apt: 'apartment',
  bldg: 'building',
  fl: 'floor',
  ste: 'suite',
  rm: 'room',
  '#': 'unit',
  n: 'north',
  s: 'south',
  e: 'east',
  w: 'west',
  ne: 'northeast',
  nw: 'northwest',
  se: 'southeast',
  sw: 'southwest',
}

// A street line: a house number (digits, maybe a letter or a fraction), a word, and a street type.
const HOUSE_NUMBER = /^\d+[a-z]?(?:[ -]\d+\/\d+)?\s+[a-z]/i
const STREET_TYPES = new Set(
  Object.entries(POSTAL_ABBREVIATIONS)
    .slice(0, Object.keys(POSTAL_ABBREVIATIONS).indexOf('apt'))
    .flatMap(([abbreviation, word]) => [abbreviation, word]),
)

/** Whether a segment reads like "123 Main St": a house number, then words including a street type. */
function isStreetLine(segment: string): boolean {
  if (!HOUSE_NUMBER.test(segment)) return false
  return segment
    .toLowerCase()
    .split(/\s+/)
    .slice(1)
    .some((word) => STREET_TYPES.has(word.replace(/\.$/, '')))
}

/** The segments of an address: its lines, and the comma-separated parts of each line. */
function segments(address: string): string[] {
  return address
    .split(/\r\n|\r|\n/)
    .flatMap((line) => line.split(','))
    .map((part) => part.trim())
    .filter((part) => part !== '')
}

/**
 * Whether an address is a Typical Address: exactly one of its segments is a street line (a
 * house number and a street type such as "St" or "Avenue"); anything else is Atypical.
 */
export function isTypicalAddress(address: string): boolean {
  const parts = segments(address)
  const streets = parts.filter(isStreetLine)
  return streets.length === 1
}

/** Writes out the abbreviations of one segment (`St.` → `street`, `#234` → `unit 234`). */
function expand(segment: string): string {
  return segment
    .replace(/#\s*/g, '# ')
    .split(/\s+/)
    .map((word) => {
      const bare = word.toLowerCase().replace(/\.$/, '')
      return POSTAL_ABBREVIATIONS[bare] ?? word
    })
    .join(' ')
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

/**
 * The Normalized Address of an address the server holds (§7.1.13.1): the Typical Address rules
 * when it is one, the Atypical rules otherwise.
 *
 * @example
 * ```ts
 * normalizeServerAddress('Acme Co.\n123 Main  St. #234\nAnytown, CA 90000') // '123 main street unit 234, anytown, ca 90000'
 * normalizeServerAddress('Acme Farm Irrigation, 12 mi North on FM 5555') // 'acme farm irrigation, 12 mi north on fm 5555'
 * ```
 * @see CDS-WG3-01 §7.1.13.1 Address Matching
 */
export function normalizeServerAddress(address: string): string {
  if (!isTypicalAddress(address)) return normalizeInputAddress(address)
  const parts = segments(address)
  // The name, if any, is whatever comes before the street line.
  const street = parts.findIndex(isStreetLine)
  return parts
    .slice(street)
    .map((part) => collapse(expand(part)).toLowerCase())
    .join(', ')
}

/**
 * The Normalized Address of an input address or an Atypical Address (§7.1.13.1): lower case,
 * line breaks as spaces, spaces collapsed, trimmed.
 *
 * @see CDS-WG3-01 §7.1.13.1 Address Matching
 */
export function normalizeInputAddress(address: string): string {
  return collapse(address.toLowerCase().replace(/\r\n|\r|\n/g, ' '))
}

/**
 * The candidates one input address matches (§7.1.13.1): the single candidate whose address
 * normalizes to it, or none when no candidate or more than one does.
 *
 * @param input what the Client sent
 * @param candidates the resources of one kind the field may match, with their addresses
 * @see CDS-WG3-01 §7.1.13.1 Address Matching
 */
export function matchAddress<T>(input: string, candidates: readonly { item: T; addresses: readonly string[] }[]): T[] {
  const wanted = normalizeInputAddress(input)
  const hits = candidates.filter((candidate) => candidate.addresses.some((address) => normalizeServerAddress(address) === wanted))
  // §7.1.13.1: two or more matches leave the input insufficiently unique.
  return hits.length === 1 && hits[0] !== undefined ? [hits[0].item] : []
}
