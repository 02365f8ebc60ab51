/**
 * The schemas as OpenAPI 3.1 `components.schemas` (OpenAPI 3.1 uses JSON Schema 2020-12).
 * The server's OpenAPI document (from `@fastify/swagger`) merges these components.
 *
 * @module
 */
import { schemaRegistry } from '../registry.js'
import { toJsonSchema } from './emit.js'

/**
 * Returns `{ schemas: { <$id>: schema } }` with references as `#/components/schemas/<$id>`.
 *
 * @see https://spec.openapis.org/oas/v3.1.0#components-object
 */
export function openApiComponents(): { schemas: Record<string, Record<string, unknown>> } {
  const schemas: Record<string, Record<string, unknown>> = {}
  for (const [id, entry] of schemaRegistry()) {
    schemas[id] = toJsonSchema(entry.schema, { ref: (target) => `#/components/schemas/${target}`, standalone: false })
  }
  return { schemas }
}
