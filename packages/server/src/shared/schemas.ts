/**
 * The shared schemas of `@cds-ts/schema` inside Fastify: each registered once with `addSchema`, routes
 * pointing at them with {@link ref}, and the validator that understands them.
 *
 * - The schemas are JSON Schema 2020-12 (`prefixItems`, `unevaluatedProperties`), which Fastify's
 *   default Ajv (draft-07) refuses; {@link buildValidator} builds an Ajv 2020 validator instead and is
 *   passed to Fastify as {@link schemaController}.
 * - Unknown properties are rejected where a schema says `additionalProperties: false`, never
 *   silently stripped (`removeAdditional: false`, STYLE.md §2.3).
 * - A decimal node keeps its `x-cds-decimal` keyword and loses `type: number`, so the validator
 *   accepts an exact `Decimal` and refuses a float (`decimal-json.ts`).
 *
 * @see CDS-WG1-02 §2 Terminology
 * @module
 */
import { DECIMAL_KEYWORD, OAuthErrorResponse, schemaRegistry, toJsonSchema } from '@cds-ts/schema'
import type { Options as AjvOptions, AnySchema, Plugin as AjvPlugin } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'
import ajvFormats from 'ajv-formats'
import type { FastifyPluginAsync, FastifyServerOptions } from 'fastify'
import fp from 'fastify-plugin'
import Type, { type Static, type TSchema, type TUnsafe } from 'typebox'
import { decimalKeyword } from './decimal-json.js'

/** A JSON Schema as Fastify stores it. */
export type SharedSchema = Record<string, unknown> & { $id: string }

/**
 * A reference to a shared schema by its `$id`, typed as the schema itself so that handlers keep
 * their body and reply types. OpenAPI shows it as `$ref: '#/components/schemas/<$id>'`.
 *
 * @example
 * ```ts
 * app.get('/clients/:client_id', { schema: { response: { 200: ref(Client) } } }, async () => client)
 * ```
 * @throws {TypeError} when the schema has no `$id`
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  const id = (schema as { $id?: unknown }).$id
  if (typeof id !== 'string') throw new TypeError('ref() needs a schema with an $id; pass the schema itself instead')
  return Type.Unsafe<Static<T>>(Type.Ref(id))
}

/**
 * The response schemas of a route's error statuses, all the shared OAuth error body that
 * `error-handler.ts` writes: `response: { 200: ref(Grant), ...errorResponses(400, 401, 404) }`.
 *
 * @see CDS-WG1-02 §11.2 Restricted Access
 */
export function errorResponses<const S extends readonly number[]>(...statuses: S): Record<S[number], TUnsafe<Static<typeof OAuthErrorResponse>>> {
  return Object.fromEntries(statuses.map((status) => [status, ref(OAuthErrorResponse)])) as Record<S[number], TUnsafe<Static<typeof OAuthErrorResponse>>>
}

function isNode(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** Drops `type: number` from decimal nodes (the `x-cds-decimal` keyword checks them), in place. */
function untypeDecimals(node: unknown): void {
  if (Array.isArray(node)) {
    for (const child of node) untypeDecimals(child)
    return
  }
  if (!isNode(node)) return
  if (node[DECIMAL_KEYWORD] === true && node.type === 'number') delete node.type
  for (const child of Object.values(node)) untypeDecimals(child)
}

let shared: readonly SharedSchema[] | undefined

/**
 * Every schema of `@cds-ts/schema`, as the validator sees it: plain JSON Schema with its `$id`,
 * references to other shared schemas written as their bare `$id`, decimals checked by keyword.
 *
 * @see CDS-WG1-02 §2 Terminology
 */
export function sharedSchemas(): readonly SharedSchema[] {
  shared ??= Object.freeze(
    [...schemaRegistry()].map(([id, entry]) => {
      const json = toJsonSchema(entry.schema, { standalone: false, ref: (target) => target })
      untypeDecimals(json)
      return Object.freeze({ $id: id, ...json })
    }),
  )
  return shared
}

/** Ajv settings: Fastify's defaults, except unknown properties are refused instead of stripped. */
const AJV_DEFAULTS: AjvOptions = {
  // Query strings, path parameters and headers are text: `?limit=10` must become 10.
  coerceTypes: 'array',
  useDefaults: true,
  // STYLE.md §2.3: `additionalProperties: false` means reject; Fastify's default would strip.
  removeAdditional: false,
  addUsedSchema: false,
  // Fastify's choice: one error is enough and bounds the work an attacker can cause.
  allErrors: false,
  // The spec schemas use `contains`/`minItems` inside `if` without `type`, which is valid 2020-12.
  strictTypes: false,
}

type ValidatorFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>
type FactoryOptions = { customOptions?: AjvOptions; plugins?: (AjvPlugin<unknown> | [AjvPlugin<unknown>, unknown])[] }
type Compile = ReturnType<ValidatorFactory>

const addFormats = ajvFormats as unknown as AjvPlugin<unknown>
const pool = new Map<string, Compile>()

function createAjv(externalSchemas: Record<string, unknown>, options: FactoryOptions, overrides: AjvOptions): Compile {
  const ajv = new Ajv2020({ ...AJV_DEFAULTS, ...options.customOptions, ...overrides })
  addFormats(ajv)
  ajv.addKeyword(decimalKeyword)
  for (const plugin of options.plugins ?? []) {
    if (Array.isArray(plugin)) plugin[0](ajv, plugin[1])
    else plugin(ajv)
  }
  for (const schema of Object.values(externalSchemas)) ajv.addSchema(schema as AnySchema)
  return ({ schema }) => {
    const id = isNode(schema) && typeof schema.$id === 'string' ? schema.$id : undefined
    const known = id === undefined ? undefined : ajv.getSchema(id)
    return known ?? ajv.compile(schema)
  }
}

/**
 * Fastify's validator factory, on Ajv 2020 (JSON Schema 2020-12) with formats, the decimal keyword,
 * and the Fastify `ajv.customOptions`/`ajv.plugins` server options applied on top of
 * {@link AJV_DEFAULTS}. Bodies are checked without type coercion (a JSON `5` is not the string
 * `"5"`; RFC 7591 §3.2.2, A-45); query strings, path parameters and headers are coerced from text.
 * One pair of Ajv instances per distinct set of shared schemas, as `@fastify/ajv-compiler` pools them.
 *
 * @see CDS-WG1-02 §2 Terminology
 */
export const buildValidator: ValidatorFactory = (externalSchemas, options) => {
  const factoryOptions = (options ?? {}) as FactoryOptions
  const key = JSON.stringify(externalSchemas) + JSON.stringify(factoryOptions.customOptions ?? {})
  const pooled = pool.get(key)
  if (pooled) return pooled
  let text: Compile | undefined
  let body: Compile | undefined
  const compile: Compile = (route) => {
    if (route.httpPart === 'body') return (body ??= createAjv(externalSchemas, factoryOptions, { coerceTypes: false }))(route)
    return (text ??= createAjv(externalSchemas, factoryOptions, {}))(route)
  }
  pool.set(key, compile)
  return compile
}

/**
 * The `schemaController` server option that makes Fastify validate with {@link buildValidator}.
 *
 * @example
 * ```ts
 * const app = Fastify({ schemaController })
 * await app.register(schemasPlugin)
 * ```
 * @see CDS-WG1-02 §2 Terminology
 */
export const schemaController: NonNullable<FastifyServerOptions['schemaController']> = Object.freeze({
  compilersFactory: Object.freeze({ buildValidator }),
})

/**
 * Adds every schema of `@cds-ts/schema` to the instance once (`addSchema`), so that routes can
 * `$ref` them through {@link ref}. Register it on the root instance before any route.
 *
 * @see CDS-WG1-02 §2 Terminology
 */
export const schemasPlugin: FastifyPluginAsync = fp(
  async (app) => {
    for (const schema of sharedSchemas()) {
      if (app.getSchema(schema.$id) === undefined) app.addSchema(schema)
    }
  },
  { name: 'cds-schemas', fastify: '5.x' },
)
