/**
 * Runs the server's migrations with Kysely's `Migrator`. The migrations are listed here, in
 * order, instead of being found by scanning a folder, so they run the same from `dist/`, from a
 * bundle and under Vitest.
 *
 * @module
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type MigrationResult } from 'kysely'
import * as initial from './migrations/0001-initial.js'
import * as clientManagement from './migrations/0002-client-management.js'
import * as customerAuthorization from './migrations/0003-customer-authorization.js'
import * as customerData from './migrations/0004-customer-data.js'

/**
 * Every migration by name; Kysely applies them in name order. Append, never edit or rename.
 *
 * @internal
 * @see {@link https://kysely.dev/docs/migrations | Kysely migrations}
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-initial': initial,
  '0002-client-management': clientManagement,
  '0003-customer-authorization': customerAuthorization,
  '0004-customer-data': customerData,
})

/** Hands a fixed list of migrations to the `Migrator`. */
class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly migrations: Readonly<Record<string, Migration>>) {}

  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve({ ...this.migrations })
  }
}

/**
 * The `Migrator` of the server database over a list of migrations ({@link MIGRATIONS} unless a
 * test passes its own).
 *
 * @internal
 * @see {@link https://kysely.dev/docs/migrations | Kysely migrations}
 */
export function createMigrator<DB>(db: Kysely<DB>, migrations: Readonly<Record<string, Migration>> = MIGRATIONS, schema?: string): Migrator {
  return new Migrator({ db, provider: new StaticMigrationProvider(migrations), ...(schema === undefined ? {} : { migrationTableSchema: schema }) })
}

/**
 * The schema unqualified names resolve to on this connection (`public` unless `search_path` says otherwise).
 *
 * @internal
 */
export async function currentSchema<DB>(db: Kysely<DB>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db)
  return rows[0]?.schema
}

/**
 * A migration failed; the database stays at the last migration that succeeded (each runs in a
 * transaction). `cause` holds the database error.
 *
 * @see {@link https://kysely.dev/docs/migrations | Kysely migrations}
 */
export class MigrationError extends Error {
  override readonly name = 'MigrationError'
  /** The migration that failed, when Kysely got as far as one. */
  readonly migrationName: string | undefined

  constructor(migrationName: string | undefined, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    super(
      migrationName === undefined ? `database migration failed: ${reason}` : `database migration "${migrationName}" failed: ${reason}`,
      { cause },
    )
    this.migrationName = migrationName
  }
}

/**
 * Brings the database to the latest migration; a no-op when it is already there. Returns the
 * migrations it applied, in order.
 *
 * @param migrations the list to apply; only tests pass one
 * @throws {MigrationError} naming the migration that failed, with the database error as `cause`
 * @example
 * ```ts
 * const { db, close } = await createDatabase('memory:')
 * await migrateToLatest(db)
 * ```
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export async function migrateToLatest<DB>(db: Kysely<DB>, migrations: Readonly<Record<string, Migration>> = MIGRATIONS): Promise<string[]> {
  // Keep Kysely's bookkeeping tables in the connection's own schema: without a schema name the
  // migrator looks for its lock table in every schema, and finds another database user's.
  const { error, results = [] } = await createMigrator(db, migrations, await currentSchema(db)).migrateToLatest()
  if (error !== undefined) {
    const failed = results.find((r: MigrationResult) => r.status === 'Error')
    throw new MigrationError(failed?.migrationName, error)
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
