/**
 * Rewrites a schema tree node by node. Used to derive the lenient and the closed variants of
 * a schema and to emit plain JSON Schema. TypeBox keeps its checks and codecs in hidden
 * (`~`-prefixed, non-enumerable) properties, so a copy must carry them over explicitly.
 *
 * @internal
 * @module
 */

/** A JSON Schema node as a plain record. */
export type SchemaNode = Record<string, unknown>

const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'] as const
const SCHEMA_LIST_KEYWORDS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const
const SCHEMA_KEYWORDS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties'] as const

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Shallow copy that keeps hidden properties (`~refine`, `~codec`, `~kind`) unless told otherwise. */
export function copyNode(node: SchemaNode, keepHidden = true): SchemaNode {
  const copy: SchemaNode = { ...node }
  if (keepHidden) {
    for (const key of Object.getOwnPropertyNames(node)) {
      if (key.startsWith('~') && !Object.prototype.propertyIsEnumerable.call(node, key)) {
        Object.defineProperty(copy, key, Object.getOwnPropertyDescriptor(node, key) as PropertyDescriptor)
      }
    }
  }
  return copy
}

/**
 * Applies `visit` to every node, children first is not guaranteed: `visit` sees a node whose
 * children have already been rewritten, and returns its replacement.
 * `depth` is 0 for the root.
 */
export function mapSchema(node: SchemaNode, visit: (node: SchemaNode, depth: number) => SchemaNode, keepHidden = true, depth = 0): SchemaNode {
  const copy = copyNode(node, keepHidden)
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const children = copy[keyword]
    if (isNode(children)) {
      const mapped: SchemaNode = {}
      for (const [name, child] of Object.entries(children)) {
        mapped[name] = isNode(child) ? mapSchema(child, visit, keepHidden, depth + 1) : child
      }
      copy[keyword] = mapped
    }
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const children = copy[keyword]
    if (Array.isArray(children)) {
      copy[keyword] = children.map((child: unknown) => (isNode(child) ? mapSchema(child, visit, keepHidden, depth + 1) : child))
    }
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    const child = copy[keyword]
    if (isNode(child)) copy[keyword] = mapSchema(child, visit, keepHidden, depth + 1)
  }
  return visit(copy, depth)
}

/** Calls `visit` on every node of the tree, parents first. */
export function forEachNode(node: SchemaNode, visit: (node: SchemaNode, path: string) => void, path = '#'): void {
  visit(node, path)
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const children = node[keyword]
    if (isNode(children)) {
      for (const [name, child] of Object.entries(children)) if (isNode(child)) forEachNode(child, visit, `${path}/${keyword}/${name}`)
    }
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const children = node[keyword]
    if (Array.isArray(children)) children.forEach((child: unknown, i) => { if (isNode(child)) forEachNode(child, visit, `${path}/${keyword}/${i}`) })
  }
  for (const keyword of SCHEMA_KEYWORDS) {
    const child = node[keyword]
    if (isNode(child)) forEachNode(child, visit, `${path}/${keyword}`)
  }
}
