/**
 * The `addresses` preselection on the Authorization Form (CDS-WG3-01 §7.1.13, §7.1.13.1): inputs
 * are normalized like Atypical Addresses and compared exactly with the normalized addresses of the
 * Selection's resources; exactly one match preselects it, none or several preselect nothing.
 *
 * The suite writes its inputs as a Client following §7.1.13.1 would for the en-US locale: the
 * street line and the segments after it, postal abbreviations written out (USPS Publication 28
 * forms), lower case, segments joined with ", ".
 *
 * @module
 */
import type { Check } from '../../core/check.js'
import type { CheckContext } from '../../core/context.js'
import { consentCheck } from './consent-lab.js'
import { judge, KINDS, optionsFor, refs, runPlans, world, type Kind, type Plan, type Seen, type World } from './form-batches.js'
import { knownField } from './kit.js'

// The written-out forms of common postal abbreviations (street types, unit designators, directions).
const WORDS: Readonly<Record<string, string>> = {
  st: 'street', ave: 'avenue', av: 'avenue', blvd: 'boulevard', rd: 'road', dr: 'drive', ln: 'lane', ct: 'court', pl: 'place', pkwy: 'parkway',
  hwy: 'highway', cir: 'circle', ter: 'terrace', sq: 'square', trl: 'trail', aly: 'alley', expy: 'expressway', fwy: 'freeway', plz: 'plaza', cv: 'cove',
  apt: 'apartment', ste: 'suite', bldg: 'building', fl: 'floor', rm: 'room', n: 'north', s: 'south', e: 'east', w: 'west', ne: 'northeast', nw: 'northwest', se: 'southeast', sw: 'southwest',
}
const STREET = /^\d+[a-z]?\s+.*\b(st|street|ave|av|avenue|blvd|boulevard|rd|road|dr|drive|ln|lane|ct|court|pl|place|pkwy|parkway|hwy|highway|way|cir|circle|ter|terrace|sq|square|trl|trail)\b\.?/i

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()

/** The segments of an address (lines, then parts between commas). */
const segments = (address: string) => address.split(/\n|,/).map((s) => s.trim()).filter((s) => s !== '')

/** Whether an address is Typical: one segment is a street line. */
export function isTypical(address: string): boolean {
  return segments(address).filter((s) => STREET.test(s)).length === 1
}

/** The Atypical steps (also applied to every input): lower case, line breaks to spaces, spaces collapsed. */
export function atypical(text: string): string {
  return collapse(text.toLowerCase().replace(/\r?\n/g, ' '))
}

/** The Typical steps: the name before the street line dropped, abbreviations written out, lower case, ", " between segments. */
export function typical(address: string): string {
  const parts = segments(address)
  const street = parts.findIndex((s) => STREET.test(s))
  const kept = parts.slice(Math.max(street, 0)).map((s) =>
    s
      .replace(/#\s*/g, 'unit ')
      .split(/\s+/)
      .map((word) => WORDS[word.toLowerCase().replace(/\.$/, '')] ?? word.replace(/\.$/, ''))
      .join(' '),
  )
  return collapse(kept.join(', ').toLowerCase())
}

/** The normal form of a stored address. */
const normal = (address: string) => (isTypical(address) ? typical(address) : atypical(address))

/** The stored addresses of a resource of a Selection type (a Meter: its Service Points'). */
function addressesOf(w: World, kind: Kind, id: string): string[] {
  const item = w.graph.get(kind.api)?.get(id)
  const own = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? [value] : [])
  if (kind.key === 'account') return own(item?.account_address)
  if (kind.key === 'contract') return own(item?.contract_address)
  if (kind.key === 'point') return own(item?.servicepoint_address)
  if (kind.key === 'meter') return refs(item, 'current_servicepoints').flatMap((sp) => own(w.graph.get('servicepoints')?.get(sp)?.servicepoint_address))
  return refs(item, 'grouped_addresses')
}

/** The customer's resources of a kind by normalized address. */
function byAddress(w: World, kind: Kind): Map<string, { ids: Set<string>; stored: string }> {
  const out = new Map<string, { ids: Set<string>; stored: string }>()
  for (const id of w.mine.get(kind.api) ?? new Set<string>())
    for (const stored of addressesOf(w, kind, id)) {
      const key = normal(stored)
      const entry = out.get(key) ?? { ids: new Set<string>(), stored }
      entry.ids.add(id)
      out.set(key, entry)
    }
  return out
}

type Pick = (w: World, kind: Kind) => { input: string; expected: string[] } | undefined

/** A unique address, written as a Client would. */
const unique: Pick = (w, kind) => {
  for (const [key, { ids }] of byAddress(w, kind)) if (ids.size === 1) return { input: key, expected: [...ids].map((id) => w.numberOf(kind.api, id)) }
  return undefined
}

/** Rows: ID, Selection type and how the input is chosen. */
const ROWS: readonly { id: string; kind: string; pick: Pick; what: string; also?: string[] }[] = [
  { id: 'R3-01-7.1.13-05', kind: 'account', pick: unique, what: "Account Selection matches account_address", also: ['R3-01-7.1.13.1-09'] },
  { id: 'R3-01-7.1.13-06', kind: 'contract', pick: unique, what: 'Service Contract Selection matches contract_address' },
  { id: 'R3-01-7.1.13-07', kind: 'point', pick: unique, what: 'Service Point Selection matches servicepoint_address' },
  { id: 'R3-01-7.1.13-08', kind: 'meter', pick: unique, what: "Meter Device Selection matches the Meter's Service Point addresses" },
  { id: 'R3-01-7.1.13-09', kind: 'aggregation', pick: unique, what: 'Aggregation Selection matches grouped_addresses' },
  {
    id: 'R3-01-7.1.13.1-03',
    kind: 'any',
    what: 'a Typical Address is matched in its normalized form (name dropped, abbreviations written out, one line)',
    pick: (w, kind) => {
      for (const [key, { ids, stored }] of byAddress(w, kind)) if (ids.size === 1 && isTypical(stored) && key !== atypical(stored)) return { input: key, expected: [...ids].map((id) => w.numberOf(kind.api, id)) }
      return undefined
    },
  },
  {
    id: 'R3-01-7.1.13.1-04',
    kind: 'any',
    what: 'an Atypical Address is matched lower-cased on one line',
    pick: (w, kind) => {
      for (const [key, { ids, stored }] of byAddress(w, kind)) if (ids.size === 1 && !isTypical(stored)) return { input: key, expected: [...ids].map((id) => w.numberOf(kind.api, id)) }
      return undefined
    },
  },
  {
    id: 'R3-01-7.1.13.1-05',
    kind: 'any',
    what: 'an input is not expanded: an abbreviated street matches nothing',
    pick: (w, kind) => {
      for (const [key, { ids, stored }] of byAddress(w, kind)) {
        const abbreviated = collapse(segments(stored).join(', ').toLowerCase())
        if (ids.size === 1 && isTypical(stored) && abbreviated !== key) return { input: abbreviated, expected: [] }
      }
      return undefined
    },
  },
  {
    id: 'R3-01-7.1.13.1-06',
    kind: 'any',
    what: 'inputs are compared after the Atypical steps (case, line breaks and extra spaces do not count)',
    pick: (w, kind) => {
      const found = unique(w, kind)
      return found === undefined ? undefined : { input: `  ${found.input.toUpperCase().replace(/ /g, '  ')} `, expected: found.expected }
    },
  },
  { id: 'R3-01-7.1.13.1-07', kind: 'any', what: 'an address that matches no resource preselects nothing', pick: (w, kind) => ((w.mine.get(kind.api)?.size ?? 0) > 0 ? { input: '1 conformance nowhere street, nowhere, zz 00000', expected: [] } : undefined) },
  {
    id: 'R3-01-7.1.13.1-08',
    kind: 'any',
    what: 'an address two resources share is too vague and preselects nothing',
    pick: (w, kind) => {
      for (const [key, { ids }] of byAddress(w, kind)) if (ids.size > 1) return { input: key, expected: [] }
      return undefined
    },
  },
]

/** The survey: every row's form section, read once per run. */
function survey(ctx: CheckContext): Promise<Map<string, Seen>> {
  return ctx.once('adf:address-forms', async () => {
    const w = await world(ctx)
    const out = new Map<string, Seen>()
    const plans: Plan[] = []
    for (const r of ROWS) {
      const kinds = r.kind === 'any' ? KINDS : KINDS.filter((k) => k.key === r.kind)
      let planned = false
      for (const kind of kinds) {
        const options = optionsFor(w, 'addresses', kind, (id) => knownField(id)?.category === 'preselection')
        const picked = options.length === 0 ? undefined : r.pick(w, kind)
        if (picked === undefined) continue
        plans.push({ id: r.id, field: 'addresses', kind, value: [picked.input], expected: picked.expected, options })
        planned = true
        break
      }
      if (!planned) out.set(r.id, { ok: false, na: true, reason: `the test customer's data and the suite's scopes offer no case for: ${r.what}` })
    }
    for (const [id, seen] of await runPlans(ctx, w, plans)) out.set(id, seen)
    return out
  })
}

/** Every check of this file. */
export const addressFormChecks: readonly Check[] = ROWS.map((r) =>
  consentCheck(r.id, r.id.replace(/^R3-01-|-\d+$/g, ''), `addresses: ${r.what}`, async (ctx: CheckContext) => { judge(ctx, (await survey(ctx)).get(r.id), 'addresses'); }, r.also === undefined ? {} : { also: r.also }),
)
