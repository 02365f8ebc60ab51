/**
 * Reading what a server sent, the forward-compatible way CDS-WG1-01 §6 and CDS-WG1-02 §10 ask of
 * Clients: unknown members and unknown enumeration values are kept, decimals become exact
 * {@link Decimal}s, and only a missing required member or a member of the wrong JSON type makes
 * a body unusable.
 *
 * The first pass is `parseLenient` of `@cds-ts/schema`. When it refuses a body only for value
 * constraints (a `pattern`, a `format`, a length or range; for example an `http://` issuer of a
 * development server, which the schema's `https` pattern refuses), the body is read again
 * against a copy of the schema without those constraints, and the constraints become warnings.
 *
 * @module
 */
import { parseLenient, type Issue } from '@cds-ts/schema'
import { CdsProtocolError } from './errors.js'

/**
 * A schema of `@cds-ts/schema` (a TypeBox schema).
 *
 * @see CDS-WG1-02 §10 Extensions
 */
export type Schema = Parameters<typeof parseLenient>[0]

/**
 * Where a body came from, for error messages and warnings.
 *
 * @see CDS-WG1-02 §10 Extensions
 */
export interface BodyContext {
  /** The schema's name, e.g. `AccountListing`. */
  readonly schema: string
  /** The URL the body came from. */
  readonly url: string
}

/**
 * Called with what a body breaks that the SDK tolerates: unknown enumeration values, inexact
 * decimals, broken value constraints. Default: ignored.
 *
 * @see CDS-WG1-02 §10 Extensions
 */
export type WarningHandler = (warnings: readonly Issue[], context: BodyContext) => void

// The keywords that only restrict values. Refusing a body for one of them would make a Client
// less forward compatible than CDS-WG1-02 §10 asks, so they become warnings. `const` and `enum`
// are here for the fixed values of cross-field rules (such as the `name` of the Client Admin
// Scope Description, CDS-WG1-02 §3.3.1); enumerations as such are already open in `parseLenient`.
const VALUE_KEYWORDS = new Set([
  'const',
  'enum',
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
])

// Children the constraints are removed from. `if`, `not` and `contains` are left alone: removing
// a constraint there would make a rule apply more often, which is stricter, not more lenient.
const CHILD_MAPS = ['properties', 'patternProperties', '$defs'] as const
const CHILD_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const
const CHILD_NODES = ['items', 'additionalProperties', 'then', 'else'] as const

type Node = Record<string, unknown>

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Copies a node with its hidden TypeBox members (`~codec`, `~refine`, `~kind`), minus value constraints. */
function withoutValueConstraints(node: Node): Node {
  // A literal is a kind of its own to TypeBox: without its `const` it becomes a plain node of its JSON type.
  if (Object.hasOwn(node, 'const')) {
    const value = node.const
    return value === null ? { type: 'null' } : typeof value === 'object' ? {} : { type: typeof value === 'bigint' ? 'integer' : typeof value }
  }
  const copy: Node = {}
  for (const key of Object.getOwnPropertyNames(node)) {
    if (VALUE_KEYWORDS.has(key)) continue
    Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(node, key) as PropertyDescriptor)
  }
  for (const keyword of CHILD_MAPS) {
    const children = copy[keyword]
    if (!isNode(children)) continue
    const mapped: Node = {}
    for (const [name, child] of Object.entries(children)) mapped[name] = isNode(child) ? withoutValueConstraints(child) : child
    copy[keyword] = mapped
  }
  for (const keyword of CHILD_LISTS) {
    const children = copy[keyword]
    if (Array.isArray(children)) copy[keyword] = children.map((child: unknown) => (isNode(child) ? withoutValueConstraints(child) : child))
  }
  for (const keyword of CHILD_NODES) {
    const child = copy[keyword]
    if (isNode(child)) copy[keyword] = withoutValueConstraints(child)
  }
  return copy
}

const tolerantCache = new WeakMap<Schema, Schema>()

function tolerant(schema: Schema): Schema {
  let copy = tolerantCache.get(schema)
  if (copy === undefined) {
    copy = withoutValueConstraints(schema as unknown as Node)
    tolerantCache.set(schema, copy)
  }
  return copy
}

/**
 * Reads a parsed JSON value against a schema of `@cds-ts/schema`, leniently (see the module
 * description). The caller states the result type, which is the schema's `Decoded` type.
 *
 * @throws {CdsProtocolError} `INVALID_RESPONSE` with every {@link Issue} when a required member
 *   is missing or a member has the wrong JSON type
 * @see CDS-WG1-02 §10 Extensions
 * @see CDS-WG1-01 §6 Extensions
 * @internal
 */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names the decoded type of the schema it passes
export function parseBody<T>(schema: Schema, value: unknown, context: BodyContext, onWarnings?: WarningHandler, response?: Response): T {
  const first = parseLenient(schema, value)
  if (first.ok) {
    if (first.warnings.length > 0) onWarnings?.(first.warnings, context)
    return first.value as T
  }
  if (first.errors.every((issue) => VALUE_KEYWORDS.has(issue.keyword))) {
    const second = parseLenient(tolerant(schema), value)
    if (second.ok) {
      onWarnings?.([...first.errors, ...second.warnings], context)
      return second.value as T
    }
  }
  const list = first.errors.map((issue) => `${issue.path === '' ? '/' : issue.path} ${issue.message}`).join('; ')
  throw new CdsProtocolError('INVALID_RESPONSE', `the ${context.schema} from ${context.url} is not usable: ${list}`, { response, issues: first.errors })
}
