/**
 * Decimal JSON on the server: the one place where a decimal meets the HTTP layer.
 *
 * CDS-WG3-01 §2 and CDS-WG1-02 §2 put decimals on the wire as JSON numbers whose digits are part of
 * the value (`1.10` is not `1.1`). Fastify's defaults break that twice: `JSON.parse` rounds a body's
 * numbers, and fast-json-stringify writes a `type: number` field through `Number()` (it also cannot
 * compile some of the spec's conditional schemas, such as `Grant`). So:
 *
 * - {@link decimalSerializerCompiler} is the server's response serializer, for every route: it drops
 *   what the response schema does not name (the schema stays the allow-list) and writes the rest with
 *   `stringifyJson`, so a {@link Decimal} reaches the socket as a raw JSON number with its digits;
 * - a route whose body carries a decimal sets `config: { decimalJson: true }`, and its body is read
 *   by {@link parseJsonBody} losslessly (through `request-body.ts`); without the flag it fails at boot;
 * - {@link decimalKeyword} teaches the validator the `x-cds-decimal` keyword that `@cds-ts/schema`
 *   puts on every decimal, accepting a {@link Decimal} or a safe integer and turning the numeric
 *   strings of query strings and form bodies into a {@link Decimal}.
 *
 * @see CDS-WG3-01 §2 Terminology (decimal)
 * @module
 */
import { Decimal, DECIMAL_KEYWORD, isExactDecimal, parseJson, schemaRegistry, stringifyJson } from '@cds-ts/schema'
import { InvalidRequest } from '@cds-ts/auth'
import type { FuncKeywordDefinition, SchemaValidateFunction } from 'ajv'
import type { DataValidationCxt } from 'ajv/dist/types/index.js'
import type { FastifyPluginAsync, FastifySerializerCompiler } from 'fastify'
import fp from 'fastify-plugin'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Read this route's JSON body without losing decimal digits (`parseJson` instead of `JSON.parse`).
     * Required on every route whose body schema carries a decimal; responses are always exact.
     */
    decimalJson?: boolean
  }
}

const DECIMAL_MESSAGE = 'must be an exact decimal number'

/** The validate function of {@link decimalKeyword}; Ajv reads its `errors` after a failure. */
const validateDecimal: SchemaValidateFunction = (enabled: unknown, data: unknown, _parentSchema?: unknown, cxt?: DataValidationCxt): boolean => {
  validateDecimal.errors = undefined
  if (enabled !== true || isExactDecimal(data)) return true
  // Query strings and form bodies carry every value as text; a number written there keeps its digits.
  if (typeof data === 'string' && Decimal.isDecimalText(data) && cxt !== undefined && isContainer(cxt.parentData)) {
    ;(cxt.parentData as Record<string | number, unknown>)[cxt.parentDataProperty] = Decimal.from(data)
    return true
  }
  // CDS-WG3-01 §2: a float has already lost the value's exact digits, so it is refused, not rounded.
  validateDecimal.errors = [{ keyword: DECIMAL_KEYWORD, message: DECIMAL_MESSAGE, params: {} }]
  return false
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null
}

/**
 * The Ajv keyword behind every decimal schema node (`"x-cds-decimal": true`): a {@link Decimal} or
 * a safe integer passes, a numeric string (query string, form body) becomes a {@link Decimal}, and
 * anything else, a float included, fails with "must be an exact decimal number".
 *
 * @see CDS-WG3-01 §2 Terminology (decimal)
 */
export const decimalKeyword: FuncKeywordDefinition = Object.freeze({
  keyword: DECIMAL_KEYWORD,
  schemaType: 'boolean',
  modifying: true,
  errors: true,
  validate: validateDecimal,
})

/**
 * Parses a JSON request body. With `decimals` (a `decimalJson` route) every number that is not a
 * safe integer becomes an exact {@link Decimal}; without it, `JSON.parse` reads it. Either way a
 * `__proto__` or `constructor.prototype` member is refused, as Fastify's own JSON parser does.
 *
 * @throws {InvalidRequest} when the text is not JSON (RFC 8259) or tries prototype poisoning
 * @see CDS-WG3-01 §2 Terminology (decimal)
 */
export function parseJsonBody(text: string, decimals: boolean): unknown {
  let value: unknown
  try {
    value = decimals ? parseJson(text) : JSON.parse(text)
  } catch (error) {
    throw new InvalidRequest(`the request body is not valid JSON: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
  if (/"(?:__proto__|constructor)"/.test(text) && hasPoisonedKey(value)) {
    throw new InvalidRequest('the request body has a forbidden __proto__ or constructor.prototype member')
  }
  return value
}

function hasPoisonedKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasPoisonedKey)
  if (!isContainer(value) || value instanceof Decimal) return false
  if (Object.hasOwn(value, '__proto__')) return true
  const constructor = (value as Record<string, unknown>).constructor
  if (Object.hasOwn(value, 'constructor') && isContainer(constructor) && Object.hasOwn(constructor, 'prototype')) return true
  return Object.values(value).some(hasPoisonedKey)
}

// ---------------------------------------------------------------------------------------------
// Which schemas carry a decimal, following `$ref`s through the registry.
// ---------------------------------------------------------------------------------------------

let registryContext: Record<string, TSchema> | undefined
const decimalIds = new Map<string, boolean>()

function context(): Record<string, TSchema> {
  registryContext ??= Object.fromEntries([...schemaRegistry()].map(([id, entry]) => [id, entry.schema]))
  return registryContext
}

function refId(ref: string): string {
  return ref.replace(/#$/, '').replace(/^#\/components\/schemas\//, '')
}

/**
 * Whether a schema (TypeBox or plain JSON Schema) reaches a decimal node, directly or through a
 * `$ref` to a registered schema.
 *
 * @internal
 * @see CDS-WG3-01 §2 Terminology (decimal)
 */
export function carriesDecimal(schema: unknown, seen: Set<unknown> = new Set()): boolean {
  if (!isContainer(schema) || seen.has(schema)) return false
  seen.add(schema)
  if (Array.isArray(schema)) return schema.some((child) => carriesDecimal(child, seen))
  const node = schema as Record<string, unknown>
  if (node[DECIMAL_KEYWORD] === true) return true
  if (typeof node.$ref === 'string') {
    const id = refId(node.$ref)
    const known = decimalIds.get(id)
    if (known !== undefined) return known
    const target = schemaRegistry().get(id)
    if (target !== undefined) {
      decimalIds.set(id, false) // provisional, breaks cycles
      const found = carriesDecimal(target.schema, new Set())
      decimalIds.set(id, found)
      if (found) return true
    }
  }
  return Object.values(node).some((child) => carriesDecimal(child, seen))
}

/**
 * The response serializer of every route: drops what the response schema does not name (as
 * fast-json-stringify would; TypeBox schemas only) and writes the rest with `stringifyJson`, so every
 * {@link Decimal} reaches the socket as a raw JSON number with its exact digits.
 *
 * @see CDS-WG3-01 §2 Terminology (decimal)
 */
export const decimalSerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema }) => {
  const allowList = isContainer(schema) ? (schema as TSchema) : undefined
  return (data: unknown): string => {
    if (allowList === undefined || !isContainer(data)) return stringifyJson(data)
    // Clone keeps class instances (Decimal, Date) as they are and copies plain objects and arrays.
    return stringifyJson(Value.Clean(context(), allowList, Value.Clone(data)))
  }
}

/**
 * Makes {@link decimalSerializerCompiler} the serializer of every route, and makes a route whose
 * body schema carries a decimal without `config: { decimalJson: true }` fail at boot. Register it on
 * the root instance before the routes (it works in `onRoute`).
 *
 * @see CDS-WG3-01 §2 Terminology (decimal)
 */
export const decimalJsonPlugin: FastifyPluginAsync = fp(
  async (app) => {
    app.setSerializerCompiler(decimalSerializerCompiler)
    app.addHook('onRoute', (route) => {
      if (route.config?.decimalJson === true || !carriesDecimal(route.schema?.body)) return
      // CDS-WG3-01 §2: a decimal must never pass through a float, which JSON.parse would make of it.
      const method = Array.isArray(route.method) ? route.method.join(',') : route.method
      throw new TypeError(`${method} ${route.url}: its body schema carries a decimal; set config: { decimalJson: true }`)
    })
  },
  { name: 'cds-decimal-json', fastify: '5.x' },
)
