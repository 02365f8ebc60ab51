/**
 * Query-plan checks for tests: record the SQL (with its parameters) a piece of code runs through
 * Kysely, then ask the database how it would run each statement (`explain (format json)`) and
 * look for the scans in the plan. Used to prove that the hot listing queries of CDS-WG3-01 §10
 * are answered through the indexes of migration 0004 (issue 6: "an index behind every filter and
 * ordering").
 *
 * @module
 */
import { CompiledQuery, type Kysely, type KyselyPlugin } from 'kysely'
import type { Database } from '../src/db/database.js'

/** One statement the recorded code ran: its SQL text and bound parameters, as sent to the driver. */
export interface RecordedQuery {
  readonly sql: string
  readonly parameters: readonly unknown[]
}

/** A database that records the statements run through it, and what it has recorded so far. */
export interface QueryRecorder {
  /** Use this in place of the original database; statements run on the same connection pool. */
  readonly db: Kysely<Database>
  /** The statements run so far, in order. */
  readonly queries: RecordedQuery[]
}

/**
 * Wraps `db` so every statement it runs (query builders and `sql` templates alike) is compiled
 * once more and kept, with its parameters. Nothing about execution changes.
 *
 * @example
 * ```ts
 * const recorder = recordQueries(t.db)
 * await listing.list({ db: recorder.db, … })
 * const page = recorder.queries.find((q) => /order by/i.test(q.sql))
 * ```
 */
export function recordQueries(db: Kysely<Database>): QueryRecorder {
  const queries: RecordedQuery[] = []
  const executor = db.getExecutor()
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      const compiled = executor.compileQuery(args.node, args.queryId)
      queries.push({ sql: compiled.sql, parameters: [...compiled.parameters] })
      return args.node
    },
    transformResult: (args) => Promise.resolve(args.result),
  }
  return { db: db.withPlugin(plugin), queries }
}

/** One node of a PostgreSQL plan in `explain (format json)` form (the fields read here). */
export interface PlanNode {
  readonly 'Node Type': string
  readonly 'Relation Name'?: string
  readonly Alias?: string
  readonly 'Index Name'?: string
  readonly 'Index Cond'?: string
  readonly 'Recheck Cond'?: string
  readonly Filter?: string
  readonly 'Parent Relationship'?: string
  readonly 'Subplan Name'?: string
  readonly 'Sort Key'?: readonly string[]
  readonly 'Plan Rows'?: number
  readonly 'Actual Rows'?: number
  readonly 'Rows Removed by Filter'?: number
  readonly Plans?: readonly PlanNode[]
}

/**
 * The plan PostgreSQL chooses for `query` with its parameters (custom plan: the values are known
 * to the planner, as when the statement really runs). With `analyze`, the statement runs and the
 * nodes carry actual row counts.
 */
export async function explainPlan(db: Kysely<Database>, query: RecordedQuery, options: { analyze?: boolean } = {}): Promise<PlanNode> {
  const prefix = options.analyze === true ? 'explain (analyze, format json)' : 'explain (format json)'
  const result = await db.executeQuery<{ 'QUERY PLAN': unknown }>(CompiledQuery.raw(`${prefix} ${query.sql}`, [...query.parameters]))
  // Both drivers hand `json` back as text (db/dialects.ts); parse it when it is.
  const value = result.rows[0]?.['QUERY PLAN']
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as readonly [{ Plan: PlanNode }] | undefined
  const plan = parsed?.[0]?.Plan
  if (plan === undefined) throw new Error(`no plan for: ${query.sql}`)
  return plan
}

/** Every node of the plan, depth first, sub-plans included. */
export function planNodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(planNodes)]
}

/** The node types that read a table through an index. */
export const INDEX_SCANS: ReadonlySet<string> = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'])

/** The names of the indexes the plan reads (any of {@link INDEX_SCANS}). */
export function indexesUsed(plan: PlanNode): Set<string> {
  return new Set(planNodes(plan).flatMap((node) => (INDEX_SCANS.has(node['Node Type']) && node['Index Name'] !== undefined ? [node['Index Name']] : [])))
}

/** The tables among `tables` that the plan reads with a Seq Scan. */
export function seqScannedTables(plan: PlanNode, tables: Iterable<string>): string[] {
  const wanted = new Set(tables)
  return planNodes(plan).flatMap((node) =>
    node['Node Type'] === 'Seq Scan' && node['Relation Name'] !== undefined && wanted.has(node['Relation Name']) ? [node['Relation Name']] : [],
  )
}

/**
 * The plan as indented text, one node a line with its relation, index and conditions, for
 * assertion messages: a failing plan test shows what the planner chose and why.
 */
export function planText(plan: PlanNode): string {
  const lines: string[] = []
  const walk = (node: PlanNode, depth: number) => {
    const on = node['Relation Name'] === undefined ? '' : ` on ${node['Relation Name']}${node.Alias !== undefined && node.Alias !== node['Relation Name'] ? ` ${node.Alias}` : ''}`
    const using = node['Index Name'] === undefined ? '' : ` using ${node['Index Name']}`
    const role = node['Subplan Name'] ?? (node['Parent Relationship'] === 'InitPlan' || node['Parent Relationship'] === 'SubPlan' ? node['Parent Relationship'] : undefined)
    const rows = node['Actual Rows'] === undefined ? ` (rows≈${node['Plan Rows'] ?? '?'})` : ` (rows=${node['Actual Rows']})`
    lines.push(`${'  '.repeat(depth)}-> ${role === undefined ? '' : `[${role}] `}${node['Node Type']}${using}${on}${rows}`)
    for (const [label, value] of [
      ['Index Cond', node['Index Cond']],
      ['Recheck Cond', node['Recheck Cond']],
      ['Filter', node.Filter],
      ['Sort Key', node['Sort Key']?.join(', ')],
      ['Rows Removed by Filter', node['Rows Removed by Filter']],
    ] as const) {
      if (value !== undefined) lines.push(`${'  '.repeat(depth + 2)}${label}: ${String(value)}`)
    }
    for (const child of node.Plans ?? []) walk(child, depth + 1)
  }
  walk(plan, 0)
  return lines.join('\n')
}

/** The statement with its parameters, for assertion messages. */
export function queryText(query: RecordedQuery): string {
  return `${query.sql}\n-- parameters: ${JSON.stringify(query.parameters)}`
}
