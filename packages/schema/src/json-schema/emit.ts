/**
 * Turns the TypeBox schemas into standalone JSON Schema 2020-12 documents.
 *
 * - A nested schema that has its own `$id` becomes a `$ref` to that schema's file, so each
 *   object is written once.
 * - A decimal becomes `{ "type": "number" }` (CDS-WG3-01 §2: a JSON number on the wire), keeping
 *   the `x-cds-decimal` annotation so tools can tell it from an ordinary number.
 * - TypeBox's hidden keys (`~kind`, `~refine`, `~codec`) are left out.
 *
 * @module
 */
import type { TSchema } from 'typebox'
import { DECIMAL_KEYWORD } from '../common/types.js'
import { mapSchema, type SchemaNode } from '../common/walk.js'

/** The JSON Schema dialect of every emitted file. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema'

/** Base URI of the emitted files; file names are `<$id>.json`. */
export const JSON_SCHEMA_BASE = 'https://cds-ts.dev/json-schema/'

/** Options of {@link toJsonSchema}. */
export interface EmitOptions {
  /** How a reference to another named schema is written. Default: `<$id>.json`. */
  ref?: (id: string) => string
  /** Write the root `$schema` and absolute `$id`. Default `true`. */
  standalone?: boolean
}

/**
 * Returns the JSON Schema document for one named schema.
 *
 * @example
 * ```ts
 * const doc = toJsonSchema(CoverageEntry) // { $schema, $id: '…/CoverageEntry.json', … }
 * ```
 */
export function toJsonSchema(schema: TSchema, options: EmitOptions = {}): Record<string, unknown> {
  const ref = options.ref ?? ((id: string) => `${id}.json`)
  const rootId = (schema as { $id?: unknown }).$id
  const doc = mapSchema(
    schema as unknown as SchemaNode,
    (node, depth) => {
      if (depth > 0 && typeof node.$id === 'string') return { $ref: ref(node.$id) }
      if (node[DECIMAL_KEYWORD] === true) return { ...node, type: 'number' }
      return node
    },
    false,
  )
  if (options.standalone === false) {
    delete doc.$id
    return doc
  }
  const { $id: _id, ...rest } = doc
  return { $schema: JSON_SCHEMA_DIALECT, $id: typeof rootId === 'string' ? `${JSON_SCHEMA_BASE}${rootId}.json` : undefined, ...rest }
}
