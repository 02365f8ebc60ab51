/**
 * Every named schema of the package, found through the area barrels: whatever an area
 * exports with an `$id` is registered. The JSON Schema build, the OpenAPI components and
 * the spec example check all read this one list.
 *
 * @module
 */
import type { TSchema } from 'typebox'
import * as oauth from './oauth/index.js'
import * as wg101 from './wg1-01/index.js'
import * as wg102 from './wg1-02/index.js'
import * as wg301 from './wg3-01/index.js'

/** The spec a schema belongs to. */
export type SpecArea = 'CDS-WG1-01' | 'CDS-WG1-02' | 'CDS-WG3-01' | 'OAuth'

/** A registered schema with its `$id` and spec area. */
export interface RegisteredSchema {
  id: string
  area: SpecArea
  schema: TSchema
}

function collect(area: SpecArea, module: Record<string, unknown>): RegisteredSchema[] {
  const found: RegisteredSchema[] = []
  for (const value of Object.values(module)) {
    if (typeof value === 'object' && value !== null && typeof (value as { $id?: unknown }).$id === 'string') {
      found.push({ id: (value as { $id: string }).$id, area, schema: value })
    }
  }
  return found
}

let cache: ReadonlyMap<string, RegisteredSchema> | undefined

/**
 * All schemas with an `$id`, keyed by it.
 *
 * @throws {TypeError} when two schemas share an `$id`
 */
export function schemaRegistry(): ReadonlyMap<string, RegisteredSchema> {
  if (cache) return cache
  const map = new Map<string, RegisteredSchema>()
  const all = [
    ...collect('CDS-WG1-01', wg101),
    ...collect('CDS-WG1-02', wg102),
    ...collect('CDS-WG3-01', wg301),
    ...collect('OAuth', oauth),
  ]
  for (const entry of all) {
    const existing = map.get(entry.id)
    if (existing && existing.schema !== entry.schema) throw new TypeError(`two schemas share the $id ${entry.id}`)
    map.set(entry.id, entry)
  }
  cache = map
  return map
}
