/**
 * `@cds-ts/schema`: every object, enumeration, request and response of CDS-WG1-01,
 * CDS-WG1-02 and CDS-WG3-01 as TypeBox schemas, with their TypeScript types, exact decimals,
 * strict and lenient validation, and JSON Schema / OpenAPI output.
 *
 * @packageDocumentation
 */
export { Decimal } from './common/decimal.js'
export { parseJson, stringifyJson } from './common/json.js'
export { Cds } from './common/cds.js'
export { DECIMAL_KEYWORD, isExactDecimal } from './common/types.js'
export type { Annotations, TDecimal } from './common/types.js'
export type { ListingLinks, TListing } from './common/listing.js'
export { assertStrict, checkStrict, parseLenient, refineWithIssues, schemaId, SchemaValidationError } from './common/validate.js'
export type { Issue, LenientResult, StrictOptions } from './common/validate.js'
export { schemaRegistry } from './registry.js'
export type { RegisteredSchema, SpecArea } from './registry.js'
export { JSON_SCHEMA_BASE, JSON_SCHEMA_DIALECT, toJsonSchema } from './json-schema/emit.js'
export type { EmitOptions } from './json-schema/emit.js'
export { openApiComponents } from './json-schema/openapi.js'

// The spec areas. Each barrel names its exports explicitly (STYLE.md §2.7).
export * from './wg1-01/index.js'
export * from './wg1-02/index.js'
export * from './wg3-01/index.js'
export * from './oauth/index.js'

export { checkSpecFiles, type ExampleReport, type SpecCheckOptions, type SpecCheckReport } from './spec-check/index.js'
export { runSpecCheckCli } from './spec-check/main.js'
