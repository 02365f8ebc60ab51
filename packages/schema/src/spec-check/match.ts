/**
 * Chooses the schema an example body is checked against: first by explicit rules from its
 * context (HTTP method, path, request or response, status, section, parameter name, telling
 * body keys), then by a generic score over every object schema of {@link schemaRegistry}.
 *
 * Rules name their schemas by `$id`, most likely first; a rule whose schemas are all missing
 * from the registry is reported (so a missing schema shows up) and scoring takes over.
 *
 * @module
 */
import { valueAt } from './json-pointer.js'
import type { TSchema } from 'typebox'
import { schemaRegistry, type RegisteredSchema } from '../registry.js'
import { AUTHORIZATION_DETAIL_SCHEMAS, NESTED_AUTHORIZATION_DETAILS, RULES, type MatchContext, type MatchRule, type SchemaRef } from './rules.js'

export type { MatchContext, MatchRule, SchemaRef } from './rules.js'

/** How a schema was chosen for (part of) a body. */
export interface SchemaChoice {
  /** JSON Pointer of the part checked: `''` for the whole body, `/0`, `/1`… for array items. */
  pointer: string
  schema: RegisteredSchema
  by: 'rule' | 'score'
  /** The rule's name, when chosen by rule (`extension` and `nested-authorization-details` for the added checks). */
  rule?: string
  /** The score (0–1), when chosen by score. */
  score?: number
}

/** What {@link matchSchema} returns. */
export interface MatchResult {
  choices: SchemaChoice[]
  /** Parts no schema fits well. */
  unmatched: string[]
  /** A rule applied but none of its schemas is registered yet. */
  missing?: { rule: string; wanted: string[] }
  /** A note when the body looks like another schema than the one a rule chose. */
  hint?: string
}

interface Shape {
  properties: Set<string>
  required: Set<string>
}

type Node = Record<string, unknown>

function shapeOf(schema: unknown, depth = 0): Shape | undefined {
  if (typeof schema !== 'object' || schema === null || depth > 4) return undefined
  const node = schema as Node
  const properties = new Set<string>()
  const required = new Set<string>()
  let object = node.type === 'object'
  if (typeof node.properties === 'object' && node.properties !== null) {
    object = true
    for (const key of Object.keys(node.properties)) properties.add(key)
  }
  if (Array.isArray(node.required)) for (const key of node.required) if (typeof key === 'string') required.add(key)
  if (Array.isArray(node.allOf)) {
    for (const part of node.allOf) {
      const inner = shapeOf(part, depth + 1)
      if (!inner) continue
      object = true
      inner.properties.forEach((k) => properties.add(k))
      inner.required.forEach((k) => required.add(k))
    }
  }
  return object && properties.size > 0 ? { properties, required } : undefined
}

const shapes = new WeakMap<TSchema, Shape[] | null>()

/** The object shapes of a schema: one, or one per branch of a union of objects. */
function shapesOf(schema: TSchema): Shape[] {
  const cached = shapes.get(schema)
  if (cached !== undefined) return cached ?? []
  const node = schema as unknown as Node
  let found: Shape[] = []
  const own = shapeOf(node)
  if (own) found = [own]
  else if (Array.isArray(node.anyOf) || Array.isArray(node.oneOf)) {
    const branches = (node.anyOf ?? node.oneOf) as unknown[]
    found = branches.map((b) => shapeOf(b)).filter((s): s is Shape => s !== undefined)
  }
  shapes.set(schema, found.length > 0 ? found : null)
  return found
}

/** True when a schema describes objects (so it can be scored against a body). */
export function isObjectSchema(schema: TSchema): boolean {
  return shapesOf(schema).length > 0
}

/**
 * How well a body fits a schema, from 0 to 1: the share of the schema's required members the
 * body has, the share of the body's members the schema knows, and a little for how much of the
 * schema the body covers.
 */
export function scoreShape(keys: string[], schema: TSchema): number {
  let best = 0
  for (const shape of shapesOf(schema)) {
    if (keys.length === 0) continue
    const known = keys.filter((k) => shape.properties.has(k)).length
    if (known === 0) continue
    const knownShare = known / keys.length
    const required = [...shape.required]
    const requiredShare = required.length === 0 ? knownShare : required.filter((k) => keys.includes(k)).length / required.length
    const coverage = known / shape.properties.size
    best = Math.max(best, 0.45 * knownShare + 0.45 * requiredShare + 0.1 * coverage)
  }
  return best
}

/** The lowest score that counts as a match. */
export const MATCH_THRESHOLD = 0.6

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype
}

/** Every object schema, best fit first, with its score for `body`. */
export function rankSchemas(body: Record<string, unknown>, mediaType: 'json' | 'form' = 'json'): Array<{ schema: RegisteredSchema; score: number }> {
  const keys = Object.keys(body)
  const ranked: Array<{ schema: RegisteredSchema; score: number }> = []
  for (const entry of schemaRegistry().values()) {
    // Query schemas hold URL parameters as strings: they only compete for form bodies.
    if (mediaType === 'json' && entry.id.endsWith('Query')) continue
    const score = scoreShape(keys, entry.schema)
    if (score > 0) ranked.push({ schema: entry, score })
  }
  return ranked.sort((a, b) => b.score - a.score || a.schema.id.length - b.schema.id.length || a.schema.id.localeCompare(b.schema.id))
}

function resolve(refs: readonly SchemaRef[], value: unknown): RegisteredSchema | undefined {
  const registry = schemaRegistry()
  for (const ref of refs) {
    if (typeof ref === 'string') {
      const found = registry.get(ref)
      if (found) return found
      continue
    }
    if (ref instanceof RegExp) {
      const hits = [...registry.values()].filter((e) => ref.test(e.id)).sort((a, b) => a.id.length - b.id.length)
      if (hits[0]) return hits[0]
      continue
    }
    if (!isPlainObject(value)) continue
    const keys = Object.keys(value)
    const ranked = [...registry.values()]
      .filter((e) => ref.bestOf.test(e.id))
      .map((e) => ({ e, score: scoreShape(keys, e.schema) }))
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score || a.e.id.length - b.e.id.length)
    if (ranked[0]) return ranked[0].e
  }
  return undefined
}

function describeRefs(refs: readonly SchemaRef[]): string[] {
  return refs.map((r) => (typeof r === 'string' ? r : r instanceof RegExp ? `/${r.source}/` : `best of /${r.bestOf.source}/`))
}

function byScore(pointer: string, value: unknown, mediaType: 'json' | 'form'): SchemaChoice | undefined {
  if (!isPlainObject(value)) return undefined
  const [best, second] = rankSchemas(value, mediaType)
  if (!best || best.score < MATCH_THRESHOLD) return undefined
  // Two schemas fitting equally well (a bare `next`/`previous` fits every listing): no choice.
  if (second && second.score === best.score) return undefined
  return { pointer, schema: best.schema, by: 'score', score: Math.round(best.score * 100) / 100 }
}

/**
 * Extension schemas (`…Extension`, e.g. the members CDS-WG3-01 §5 adds to the authorization
 * server metadata) that apply to a checked object: those defining a member the object has and
 * its own schema does not.
 */
function extensionsFor(choice: SchemaChoice, value: unknown, depth = 0): SchemaChoice[] {
  const object = valueAt(value, choice.pointer)
  if (!isPlainObject(object)) return []
  const found: SchemaChoice[] = []
  const own = new Set(shapesOf(choice.schema.schema).flatMap((s) => [...s.properties]))
  const keys = Object.keys(object).filter((k) => !own.has(k))
  if (keys.length > 0) {
    for (const entry of schemaRegistry().values()) {
      if (!entry.id.endsWith('Extension') || entry.id === choice.schema.id) continue
      const props = new Set(shapesOf(entry.schema).flatMap((s) => [...s.properties]))
      if (keys.some((k) => props.has(k))) found.push({ pointer: choice.pointer, schema: entry, by: 'rule', rule: 'extension' })
    }
  }
  // The items of a listing (`clients`, `grants`, …) are objects of a registered schema: look at them too.
  const properties = ((choice.schema.schema as unknown as Node).properties ?? {}) as Record<string, Node>
  if (depth > 0) return found
  for (const [name, property] of Object.entries(properties)) {
    const itemId = (property.items as Node | undefined)?.$id
    const item = typeof itemId === 'string' ? schemaRegistry().get(itemId) : undefined
    const list = object[name]
    if (!item || !Array.isArray(list)) continue
    list.forEach((_, index) => {
      found.push(...extensionsFor({ pointer: `${choice.pointer}/${name}/${index}`, schema: item, by: 'rule' }, value, depth + 1))
    })
  }
  return found
}

/** The RFC 9396 items nested anywhere in a value, each with the authorization detail schema that fits it. */
function nestedAuthorizationDetails(value: unknown, pointer = '', depth = 0): SchemaChoice[] {
  if (depth > 8 || typeof value !== 'object' || value === null) return []
  const found: SchemaChoice[] = []
  const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value)
  for (const [key, child] of entries) {
    const at = `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`
    if (!Array.isArray(value) && NESTED_AUTHORIZATION_DETAILS.test(key) && Array.isArray(child)) {
      child.forEach((item, index) => {
        const schema = resolve(AUTHORIZATION_DETAIL_SCHEMAS, item)
        if (schema) found.push({ pointer: `${at}/${index}`, schema, by: 'rule', rule: 'nested-authorization-details' })
      })
      continue
    }
    found.push(...nestedAuthorizationDetails(child, at, depth + 1))
  }
  return found
}

function ruleChoices(rule: MatchRule, context: MatchContext, body: unknown): { choices: SchemaChoice[]; wanted: string[] } {
  const refsFor = (value: unknown) => (typeof rule.schemas === 'function' ? rule.schemas(context, value) : rule.schemas)
  if (rule.perItem && Array.isArray(body)) {
    const choices: SchemaChoice[] = []
    const wanted: string[] = []
    body.forEach((item, index) => {
      const refs = refsFor(item)
      const schema = resolve(refs, item)
      if (schema) choices.push({ pointer: `/${index}`, schema, by: 'rule', rule: rule.name })
      else wanted.push(...describeRefs(refs))
    })
    return { choices, wanted: [...new Set(wanted)] }
  }
  const refs = refsFor(body)
  const schema = resolve(refs, body)
  if (!schema) return { choices: [], wanted: describeRefs(refs) }
  const isArraySchema = (schema.schema as unknown as Node).type === 'array'
  if (Array.isArray(body) && !isArraySchema) {
    return { choices: body.map((_, index): SchemaChoice => ({ pointer: `/${index}`, schema, by: 'rule', rule: rule.name })), wanted: [] }
  }
  return { choices: [{ pointer: '', schema, by: 'rule', rule: rule.name }], wanted: [] }
}

/**
 * Chooses the schema(s) for a body. Arrays are checked item by item unless a rule names a
 * schema for the whole array. Besides the main choice, the result lists the extension schemas
 * that apply and the authorization details nested in the body.
 */
export function matchSchema(body: unknown, context: MatchContext, rules: readonly MatchRule[] = RULES): MatchResult {
  let missing: MatchResult['missing']
  let choices: SchemaChoice[] = []
  const unmatched: string[] = []
  for (const rule of rules) {
    if (!rule.when(context, body)) continue
    if (rule.noSchema !== undefined) return { choices: [], unmatched: [''], hint: `not checked: ${rule.noSchema}` }
    const result = ruleChoices(rule, context, body)
    if (result.choices.length === 0) {
      missing ??= { rule: rule.name, wanted: result.wanted }
      continue
    }
    choices = result.choices
    break
  }
  if (choices.length === 0) {
    const parts: Array<[string, unknown]> = Array.isArray(body) ? body.map((item, index) => [`/${index}`, item]) : [['', body]]
    for (const [pointer, value] of parts) {
      const choice = byScore(pointer, value, context.mediaType)
      if (choice) choices.push(choice)
      else unmatched.push(pointer)
    }
  }
  const main = [...choices]
  for (const choice of main) choices.push(...extensionsFor(choice, body))
  if (main.length > 0) {
    const checked = new Set(main.map((c) => c.pointer))
    choices.push(...nestedAuthorizationDetails(body).filter((c) => !checked.has(c.pointer)))
  }
  const result: MatchResult = { choices, unmatched }
  if (missing) result.missing = missing
  const hint = shapeHint(main, body, context)
  if (hint) result.hint = hint
  return result
}

/** When a rule's schema fits the body badly but another schema fits it well, says so. */
function shapeHint(main: SchemaChoice[], body: unknown, context: MatchContext): string | undefined {
  const first = main[0]
  if (!first || first.by !== 'rule' || first.pointer !== '' || !isPlainObject(body)) return undefined
  const keys = Object.keys(body)
  const own = scoreShape(keys, first.schema.schema)
  const best = rankSchemas(body, context.mediaType)[0]
  if (!best || best.schema.id === first.schema.id || best.score < 0.9 || own > 0.5) return undefined
  return `the body has the shape of ${best.schema.id} (score ${Math.round(best.score * 100) / 100}), not of ${first.schema.id}`
}
