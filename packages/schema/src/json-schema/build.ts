/**
 * Build step: writes `json-schema/<$id>.json` for every registered schema and
 * `openapi/components.json` (OpenAPI 3.1 `components.schemas`). Run by `pnpm build`.
 *
 * @internal
 * @module
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { openApiComponents } from './openapi.js'
import { schemaRegistry } from '../registry.js'
import { toJsonSchema } from './emit.js'

const root = fileURLToPath(new URL('../../', import.meta.url))
const jsonDir = `${root}json-schema/`
const openApiDir = `${root}openapi/`

await rm(jsonDir, { recursive: true, force: true })
await mkdir(jsonDir, { recursive: true })
await mkdir(openApiDir, { recursive: true })
const registry = schemaRegistry()
const index: Record<string, { area: string; file: string }> = {}
for (const [id, entry] of registry) {
  await writeFile(`${jsonDir}${id}.json`, `${JSON.stringify(toJsonSchema(entry.schema), null, 2)}\n`)
  index[id] = { area: entry.area, file: `${id}.json` }
}
await writeFile(`${jsonDir}index.json`, `${JSON.stringify(index, null, 2)}\n`)
await writeFile(`${openApiDir}components.json`, `${JSON.stringify(openApiComponents(), null, 2)}\n`)
console.log(`@cds-ts/schema: wrote ${registry.size} JSON Schema files and the OpenAPI components`)
