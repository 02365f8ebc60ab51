/**
 * Turns the vague validator messages of conditional rules into the member and the rule they
 * concern: "must match "then" schema" becomes "`coverage` required member missing (required when
 * `capabilities` lists "coverage")", and a failed schema for extra members is checked member by
 * member. The schemas write the spec's conditional requirements as `if`/`then`/`else`
 * (see `server-metadata.ts`); this reads them back.
 *
 * @module
 */
import { decodePointer, valueAt } from './json-pointer.js'
import type { TSchema } from 'typebox'
import Value from 'typebox/value'
import type { Issue } from '../common/validate.js'

type SchemaNode = Record<string, unknown>

/** Says in words when an `if` applies: "`type` is "geographic"", "`map_resource` is present". */
export function describeCondition(condition: SchemaNode): string {
  const parts: string[] = []
  const properties = (condition.properties ?? {}) as Record<string, SchemaNode>
  const required = Array.isArray(condition.required) ? (condition.required as string[]) : []
  for (const [name, rule] of Object.entries(properties)) {
    const contains = rule.contains as SchemaNode | undefined
    if ('const' in rule) parts.push(`\`${name}\` is ${JSON.stringify(rule.const)}`)
    else if (contains && 'const' in contains) parts.push(`\`${name}\` lists ${JSON.stringify(contains.const)}`)
    else if (Array.isArray(rule.enum)) parts.push(`\`${name}\` is one of ${rule.enum.map((e) => JSON.stringify(e)).join(', ')}`)
    else if (typeof rule.pattern === 'string') parts.push(`\`${name}\` matches /${rule.pattern}/`)
    else if (rule.type === 'null') parts.push(`\`${name}\` is null`)
    else if (required.includes(name)) parts.push(`\`${name}\` is set`)
  }
  for (const name of required) if (!(name in properties)) parts.push(`\`${name}\` is present`)
  return parts.length > 0 ? parts.join(' and ') : 'a condition of the spec holds'
}

/** What a failed `then` (or `else`) branch asks of the object at `path`, as issues at the members concerned. */
function branchIssues(branch: SchemaNode, subject: unknown, path: string, reason: string): Issue[] {
  const issues: Issue[] = []
  const object = typeof subject === 'object' && subject !== null ? (subject as Record<string, unknown>) : {}
  const parts = [branch, ...(Array.isArray(branch.allOf) ? (branch.allOf as SchemaNode[]) : [])]
  for (const part of parts) {
    const required = Array.isArray(part.required) ? (part.required as string[]) : []
    for (const name of required) if (!(name in object)) issues.push({ path: `${path}/${name}`, message: `required member missing (required ${reason})`, keyword: 'required' })
    const properties = (part.properties ?? {}) as Record<string, SchemaNode>
    for (const [name, rule] of Object.entries(properties)) {
      const member = object[name]
      if (!(name in object) || Value.Check(rule as unknown as TSchema, member)) continue
      // Go down one more level when the member's own rule says what is wrong with it.
      const deeper = explainAll(rule, member, `${path}/${name}`)
      if (deeper.length > 0 && deeper.every((d) => d.keyword !== 'if' || d.path !== `${path}/${name}`)) {
        issues.push(...deeper.map((d) => ({ ...d, message: `${d.message} (${reason})` })))
        continue
      }
      const expected = 'const' in rule ? ` (must be ${JSON.stringify(rule.const)})` : rule.maxItems === 0 ? ' (must be empty)' : ''
      issues.push({ path: `${path}/${name}`, message: `value not allowed ${reason}${expected}`, keyword: 'if' })
    }
  }
  return issues
}

interface RawError {
  keyword: string
  schemaPath: string
  instancePath: string
  params?: Record<string, unknown>
  message: string
}

function schemaNodeAt(schema: TSchema, schemaPath: string): SchemaNode | undefined {
  let node: unknown = schema
  for (const token of decodePointer(schemaPath)) {
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Record<string, unknown>)[token]
  }
  return typeof node === 'object' && node !== null ? (node as SchemaNode) : undefined
}

function explainError(schema: TSchema, value: unknown, error: RawError, base: string): Issue[] | undefined {
  const node = schemaNodeAt(schema, error.schemaPath)
  if (!node) return undefined
  const subject = valueAt(value, error.instancePath)
  const path = `${base}${error.instancePath}`
  if (error.keyword === 'if' && typeof node.if === 'object' && node.if !== null) {
    const condition = node.if as SchemaNode
    const holds = Value.Check(condition as unknown as TSchema, subject)
    const branch = (holds ? node.then : node.else) as SchemaNode | undefined
    if (typeof branch !== 'object') return undefined
    const reason = `${holds ? 'when' : 'unless'} ${describeCondition(condition)}`
    const issues = branchIssues(branch, subject, path, reason)
    return issues.length > 0 ? issues : [{ path, message: `a conditional rule is not met (${reason})`, keyword: 'if' }]
  }
  // A schema every extra member must meet (a map of objects): check the members one by one.
  const extra = node.additionalProperties
  const names = error.params?.additionalProperties
  if (error.keyword === 'additionalProperties' && typeof extra === 'object' && extra !== null && Array.isArray(names) && typeof subject === 'object' && subject !== null) {
    const issues = names.flatMap((name) => explainAll(extra as TSchema, (subject as Record<string, unknown>)[String(name)], `${path}/${String(name)}`))
    return issues.length > 0 ? issues : undefined
  }
  return undefined
}

/** Every problem of a value, with conditional rules and member rules explained. Paths start with `base`. */
export function explainAll(schema: TSchema, value: unknown, base = ''): Issue[] {
  const issues: Issue[] = []
  for (const error of Value.Errors(schema, value) as Iterable<RawError>) {
    const explained = explainError(schema, value, error, base)
    issues.push(...(explained ?? [{ path: `${base}${error.instancePath}`, message: error.message, keyword: error.keyword }]))
  }
  return issues
}

/**
 * Replaces an issue whose keyword is `if` or `additionalProperties` by what the rule behind it
 * asks for, found through the validator's schema path. Other issues are returned unchanged.
 */
export function explainIssue(schema: TSchema, value: unknown, issue: Issue): Issue[] {
  if (issue.keyword !== 'if' && issue.keyword !== 'additionalProperties') return [issue]
  const explained: Issue[] = []
  for (const error of Value.Errors(schema, value) as Iterable<RawError>) {
    if (error.instancePath !== issue.path || error.keyword !== issue.keyword) continue
    explained.push(...(explainError(schema, value, error, '') ?? []))
  }
  return explained.length > 0 ? explained : [issue]
}
