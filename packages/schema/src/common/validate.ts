/**
 * The two ways to check a CDS object against its schema.
 *
 * - {@link checkStrict} is for what a server emits: every required field present, every value
 *   of the right type and format, every enum string one the spec defines, every decimal exact
 *   (a {@link Decimal} or a safe integer, never a float). Extension fields are allowed, as
 *   CDS-WG1-01 §6 and CDS-WG1-02 §10 let servers add them, unless `closed` is set.
 * - {@link parseLenient} is for what a client receives: forward compatible as CDS-WG1-01 §6 and
 *   CDS-WG1-02 §10 require of clients. Unknown fields are kept, unknown enum strings are kept
 *   with a warning, decimals sent as floats or strings are accepted with a warning; missing
 *   required fields, wrong types and `null` where the spec does not allow it are errors.
 *
 * @module
 */
import type { Static, StaticDecode, TSchema } from 'typebox'
import Value from 'typebox/value'
import { DecodeUnsafe } from 'typebox/value'
import Type from 'typebox'
import { Decimal } from './decimal.js'
import { parseJson } from './json.js'
import { DECIMAL_KEYWORD } from './types.js'
import { mapSchema, type SchemaNode } from './walk.js'

/** One problem found in a value: where (a JSON Pointer), what, and the schema keyword that failed. */
export interface Issue {
  /** JSON Pointer to the offending value (`""` for the root), RFC 6901. */
  path: string
  /** Human-readable description. */
  message: string
  /** The JSON Schema keyword that failed (`required`, `enum`, `type`, `decimal`, …). */
  keyword: string
}

/** Options of {@link checkStrict}. */
export interface StrictOptions {
  /** Refuse properties the schema does not name (no extension fields). Default `false`. */
  closed?: boolean
}

/** What {@link parseLenient} returns. */
export type LenientResult<T> =
  | { ok: true; value: T; warnings: Issue[] }
  | { ok: false; errors: Issue[]; warnings: Issue[] }

/** Thrown by {@link assertStrict}; carries every {@link Issue}. */
export class SchemaValidationError extends TypeError {
  readonly issues: Issue[]
  readonly schemaId: string | undefined
  constructor(schemaId: string | undefined, issues: Issue[]) {
    super(`${schemaId ?? 'value'} is invalid: ${issues.map((i) => `${i.path || '/'} ${i.message}`).join('; ')}`)
    this.name = 'SchemaValidationError'
    this.issues = issues
    this.schemaId = schemaId
  }
}

const closedCache = new WeakMap<TSchema, TSchema>()
const lenientCache = new WeakMap<TSchema, TSchema>()

function closedVariant(schema: TSchema): TSchema {
  let closed = closedCache.get(schema)
  if (!closed) {
    closed = mapSchema(schema as unknown as SchemaNode, (node) => {
      if (node.type === 'object' && node.properties !== undefined && node.additionalProperties === undefined) {
        node.additionalProperties = false
      }
      return node
    })
    closedCache.set(schema, closed)
  }
  return closed
}

/** In lenient mode a decimal may arrive as any JSON number (even one `JSON.parse` rounded) or a numeric string. */
function lenientDecimal(annotations: SchemaNode): TSchema {
  const base = Type.Refine(
    Type.Unsafe<unknown>(annotations),
    (value) =>
      value instanceof Decimal ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && Decimal.isDecimalText(value)),
    () => 'must be a decimal number',
  )
  return Type.Codec(base)
    .Decode((value) => (value instanceof Decimal ? value : Decimal.from(typeof value === 'number' && !Number.isSafeInteger(value) ? String(value) : (value as string | number))))
    .Encode((value) => value)
}

function lenientVariant(schema: TSchema): TSchema {
  let lenient = lenientCache.get(schema)
  if (!lenient) {
    lenient = mapSchema(schema as unknown as SchemaNode, (node) => {
      if (node[DECIMAL_KEYWORD] === true) return lenientDecimal({ ...node }) as unknown as SchemaNode
      // Checks JSON Schema cannot express (Type.Refine) are cross-field rules: a client tolerates
      // a value that breaks one, and hears about it as a warning from the strict pass below.
      if (Object.hasOwn(node, '~refine')) delete node['~refine']
      // CDS-WG1-01 §6, CDS-WG1-02 §10: clients must accept enum values they do not know.
      if (node.type === 'string' && Array.isArray(node.enum)) {
        const { enum: _known, ...rest } = node
        return rest
      }
      return node
    })
    lenientCache.set(schema, lenient)
  }
  return lenient
}

function toIssues(schema: TSchema, value: unknown): Issue[] {
  const issues: Issue[] = []
  const seen = new Set<string>()
  for (const error of Value.Errors(schema, value)) {
    // The wrapper of a failed `anyOf` repeats what its branches said; keep it only when alone.
    // A refinement made by `refineWithIssues` carries its own structured issues.
    if (error.keyword === '~refine' && error.message.startsWith(ISSUES_MARKER)) {
      for (const inner of JSON.parse(error.message.slice(ISSUES_MARKER.length)) as Issue[]) {
        issues.push({ ...inner, path: `${error.instancePath}${inner.path}` })
      }
      continue
    }
    let keyword = error.keyword === '~refine' ? 'decimal' : error.keyword
    let message = error.message
    // `additionalProperties: false` fails twice: on the object and (as `false`) on the property.
    if (keyword === 'boolean') {
      keyword = 'additionalProperties'
      message = 'is not a property the schema defines'
    }
    const key = `${error.instancePath} ${keyword} ${message}`
    if (seen.has(key)) continue
    seen.add(key)
    issues.push({ path: error.instancePath, message, keyword })
  }
  const specific = issues.filter(
    (i) =>
      i.keyword !== 'anyOf' &&
      // A nullable field that fails its main branch also fails the `null` branch; that says nothing new.
      !(i.keyword === 'type' && i.message === 'must be null' && issues.some((j) => j !== i && j.path === i.path && j.keyword !== 'anyOf')) &&
      !(i.keyword === 'additionalProperties' && issues.some((j) => j.keyword === 'additionalProperties' && j.path.startsWith(`${i.path}/`))),
  )
  return specific.length > 0 ? specific : issues
}

const ISSUES_MARKER = '\u0000cds-issues:'

/**
 * Adds a check that JSON Schema cannot express (a cross-field rule) to a schema. `check` returns
 * the problems it finds, with paths relative to the value; {@link checkStrict} reports them
 * like any other issue, and {@link parseLenient} turns them into warnings.
 */
export function refineWithIssues<T extends TSchema>(schema: T, check: (value: unknown) => Issue[]): T {
  return Type.Refine(
    schema,
    (value) => check(value).length === 0,
    (value) => `${ISSUES_MARKER}${JSON.stringify(check(value))}`,
  )
}

/**
 * Checks a value a server is about to emit. Returns every problem; an empty list means valid.
 *
 * @example
 * ```ts
 * const issues = checkStrict(CoverageEntry, entry)
 * if (issues.length) throw new Error(issues.map((i) => i.message).join())
 * ```
 */
export function checkStrict(schema: TSchema, value: unknown, options: StrictOptions = {}): Issue[] {
  const target = options.closed === true ? closedVariant(schema) : schema
  if (Value.Check(target, value)) return []
  return toIssues(target, value)
}

/**
 * Like {@link checkStrict}, but throws a {@link SchemaValidationError} and narrows the type.
 */
export function assertStrict<T extends TSchema>(schema: T, value: unknown, options: StrictOptions = {}): asserts value is Static<T> {
  const issues = checkStrict(schema, value, options)
  if (issues.length > 0) throw new SchemaValidationError(schemaId(schema), issues)
}

/** Copies a parsed JSON value, keeping {@link Decimal} instances (decoding writes in place). */
function cloneJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneJson)
  if (value instanceof Decimal || typeof value !== 'object' || value === null) return value
  const copy: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) copy[k] = cloneJson(v)
  return copy
}

/**
 * Parses what a client received, the forward-compatible way (CDS-WG1-01 §6, CDS-WG1-02 §10).
 * Accepts JSON text (parsed without losing decimals) or an already parsed value.
 * On success every decimal field holds a {@link Decimal}.
 */
export function parseLenient<T extends TSchema>(schema: T, input: unknown): LenientResult<StaticDecode<T>> {
  let value: unknown
  if (typeof input === 'string') {
    try {
      value = parseJson(input)
    } catch (error) {
      return { ok: false, errors: [{ path: '', message: (error as Error).message, keyword: 'json' }], warnings: [] }
    }
  } else {
    value = cloneJson(input)
  }
  const lenient = lenientVariant(schema)
  if (!Value.Check(lenient, value)) return { ok: false, errors: toIssues(lenient, value), warnings: [] }
  // The lenient variant differs from the strict schema only in enums and decimals, so whatever the
  // strict check still refuses comes from an unknown enum value (possibly inside an if/then rule)
  // or an inexact decimal: the value is usable, and the client is told.
  const warnings = Value.Check(schema, value) ? [] : toIssues(schema, value)
  return { ok: true, value: DecodeUnsafe({}, lenient, value) as StaticDecode<T>, warnings }
}

/** The `$id` of a schema, if it has one. */
export function schemaId(schema: TSchema): string | undefined {
  const id = (schema as { $id?: unknown }).$id
  return typeof id === 'string' ? id : undefined
}
