/**
 * `resolveDataAccess`: token → Grant → {@link DataAccess}, once per request of a Customer Data
 * listing (catalog §1.2–§1.6, §7.3). The Grant's status and enabled access decide which scopes
 * count; each scope's selections or preselections and `include_*` fields decide what it shows
 * (`visibility.ts`); the union over the scopes, cut by the Grant's date windows and `sync_until`,
 * is what every listing of the token sees.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { Clock } from '@cds-ts/auth'
import { CUSTOMER_CONSENT_SCOPES } from '@cds-ts/schema'
import { sql, type Kysely } from 'kysely'
import type { ServerConfig } from '../../config/config-schema.js'
import type { Database } from '../../db/database.js'
import type { TokenInfo } from '../../shared/bearer-auth.js'
import { resolveGrantAccess, type GrantAccess } from './access-grant.js'
import { inSet, SMALL_TABLES, type SmallType } from './id-sets.js'
import type { DataAccess, DataObjectType, DateWindows, IncludeField } from './types.js'
import { and, baseSet, FALSE, type Condition } from './visibility-base.js'
import { scopeView, unionOf, type ScopeView } from './visibility.js'

/** The table and id column of every type (`visible(type)` names the table without an alias). */
export const DATA_TABLES: Readonly<Record<DataObjectType, { table: string; id: string }>> = {
  ...SMALL_TABLES,
  bill_statement: { table: 'bill_statements', id: 'cds_billstatement_id' },
  bill_section: { table: 'bill_sections', id: 'cds_billsection_id' },
  usage_segment: { table: 'usage_segments', id: 'cds_usagesegment_id' },
  eac: { table: 'eacs', id: 'cds_eac_id' },
}

const CONSENT: ReadonlySet<string> = new Set(CUSTOMER_CONSENT_SCOPES)
// Ids per statement in visibleIds, well under the bind-parameter limits of PostgreSQL and PGlite.
const CHUNK = 1000

const ref = (type: DataObjectType, column: string) => sql.ref(`${DATA_TABLES[type].table}.${column}`)
const date = (value: string) => sql`cast(${value.slice(0, 10)} as date)`
const instant = (value: string) => sql`cast(${value} as timestamptz)`

/**
 * The date limits of §7.3 on one type (catalog §1.6): containment for Bill Statements and
 * Sections, overlap for Usage Segments (the listing trims the straddling ones, §7.3.6, §7.3.7),
 * and `sync_until` on everything: no object created after it, no segment starting after it.
 */
export function windowCondition(type: DataObjectType, windows: DateWindows): Condition {
  const parts: Condition[] = []
  const add = (value: string | null, build: (v: string) => Condition) => {
    if (value !== null) parts.push(build(value))
  }
  if (type === 'bill_statement') {
    add(windows.statement_date_start, (v) => sql<boolean>`${ref(type, 'statement_date')} >= ${date(v)}`)
    add(windows.statement_date_end, (v) => sql<boolean>`${ref(type, 'statement_date')} <= ${date(v)}`)
  }
  if (type === 'bill_section') {
    add(windows.start_date, (v) => sql<boolean>`${ref(type, 'start_date')} >= ${date(v)}`)
    add(windows.end_date, (v) => sql<boolean>`${ref(type, 'end_date')} <= ${date(v)}`)
  }
  if (type === 'usage_segment') {
    add(windows.segment_start, (v) => sql<boolean>`${ref(type, 'segment_end')} > ${instant(v)}`)
    add(windows.segment_end, (v) => sql<boolean>`${ref(type, 'segment_start')} < ${instant(v)}`)
    add(windows.sync_until, (v) => sql<boolean>`${ref(type, 'segment_start')} < ${instant(v)}`)
  }
  // §7.3.1: data that became valid after sync_until is never served.
  add(windows.sync_until, (v) => sql<boolean>`${ref(type, 'cds_created')} <= ${instant(v)}`)
  return and(...parts)
}

/** The {@link DataAccess} of a resolved Grant and its merged view. */
function dataAccess(db: Kysely<Database>, grant: GrantAccess, view: ScopeView): DataAccess {
  const includes = new Set<IncludeField>(grant.scopes.flatMap((scope) => [...scope.includes]))
  const conditions = new Map<DataObjectType, Condition>()
  const visible = (type: DataObjectType): Condition => {
    let condition = conditions.get(type)
    if (condition === undefined) {
      const base = type in view.small ? inSet(`${DATA_TABLES[type].table}.${DATA_TABLES[type].id}`, view.small[type as SmallType]) : view.big[type as keyof ScopeView['big']]
      condition = and(base, windowCondition(type, grant.windows))
      conditions.set(type, condition)
    }
    return condition
  }
  return {
    grant_id: grant.grant_id,
    client_id: grant.client_id,
    status: grant.status,
    visible,
    async visibleIds(type, ids) {
      const wanted = [...new Set(ids)]
      const found = new Set<string>()
      const where = visible(type)
      if (wanted.length === 0 || where === FALSE) return found
      const { table, id } = DATA_TABLES[type]
      for (let i = 0; i < wanted.length; i += CHUNK) {
        const chunk = wanted.slice(i, i + CHUNK)
        const result = await sql<{ id: string }>`select ${sql.ref(`${table}.${id}`)} as id from ${sql.table(table)} where ${sql.ref(`${table}.${id}`)} in (${sql.join(chunk)}) and ${where}`.execute(db)
        for (const row of result.rows) found.add(row.id)
      }
      return found
    },
    includes: (field) => includes.has(field),
    windows: grant.windows,
    valueFormats: grant.valueFormats,
    programs: { account: programsOf(grant, 'include_account_programs', 'cds_account_programs', 'account_programs'), service: programsOf(grant, 'include_service_programs', 'cds_service_programs', 'service_programs') },
  }
}

/**
 * A-16: the Program objects a token may see. A Program scope (§6.1.2, §6.1.3) limits them to the
 * `program_number`s its Grant preselected; any other scope that includes programs does not limit
 * them, and an object visible under any scope shows what the most generous scope allows (A-58).
 */
function programsOf(grant: GrantAccess, include: IncludeField, programScope: string, field: string): ReadonlySet<string> | null {
  const allowed = new Set<string>()
  for (const scope of grant.scopes.filter((s) => s.includes.has(include))) {
    const numbers = scope.entry[field]
    if (scope.type !== programScope || !Array.isArray(numbers) || numbers.includes('_all')) return null
    for (const number of numbers) if (typeof number === 'string') allowed.add(number)
  }
  return allowed
}

/** What {@link resolveDataAccess} needs. */
export interface ResolveOptions {
  db: Kysely<Database>
  config: ServerConfig
  clock: Clock
}

/**
 * Resolves what the request's token may see (catalog §1.4): the Grant (§1.2), its base set, the
 * view of each Customer Data scope it reaches, their union and the date windows.
 *
 * @throws {InvalidToken} (401) when the Grant is gone or gives no access
 * @throws {InsufficientScope} (403) for a Grant Admin token of a Grant without Customer Data scopes
 * @see CDS-WG3-01 §10 Customer Data API
 * @see CDS-WG3-01 §7 Authorization Details Fields
 */
export async function resolveDataAccess(options: ResolveOptions, token: TokenInfo | null): Promise<DataAccess> {
  return accessForGrant(options.db, options.config, await resolveGrantAccess(options.db, options.config, options.clock, token))
}

/**
 * The {@link DataAccess} of a resolved Grant (catalog §1.4 steps 2–5): the base set per kind of
 * scope, each scope's view, their union and the date windows.
 *
 * @see CDS-WG3-01 §7 Authorization Details Fields
 */
export async function accessForGrant(db: Kysely<Database>, config: ServerConfig, grant: GrantAccess): Promise<DataAccess> {
  const views: ScopeView[] = []
  const consent = grant.scopes.filter((scope) => CONSENT.has(scope.type))
  const direct = grant.scopes.filter((scope) => !CONSENT.has(scope.type))
  if (consent.length > 0) {
    // §6.1: the customer's own data is the base of every consent scope.
    const base = await baseSet(db, grant.customer_id, null)
    for (const scope of consent) views.push(await scopeView(db, base, scope, false, grant.created))
  }
  if (direct.length > 0) {
    // §6.2: the Server decides what a direct-access Client may see (`customer_data.direct_access_base`).
    const base = await baseSet(db, null, config.customer_data.direct_access_base)
    for (const scope of direct) views.push(await scopeView(db, base, scope, true, grant.created))
  }
  return dataAccess(db, grant, unionOf(views))
}
