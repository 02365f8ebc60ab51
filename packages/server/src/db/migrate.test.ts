import { NO_MIGRATIONS, sql, type Kysely } from 'kysely'
import { expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { MIGRATIONS, MigrationError, createMigrator, currentSchema, migrateToLatest } from './migrate.js'

const TABLES = [
  'accounts',
  'aggregation_members',
  'aggregations',
  'authorization_codes',
  'authorization_interactions',
  'authorization_receipts',
  'bill_files',
  'bill_section_links',
  'bill_sections',
  'bill_statements',
  'clients',
  'credentials',
  'customer_resources',
  'customer_sessions',
  'customers',
  'eacs',
  'file_chunks',
  'grants',
  'message_attachments',
  'messages',
  'meter_devices',
  'meterdevice_servicepoints',
  'outbox_emails',
  'par_requests',
  'server_provided_files',
  'service_contracts',
  'service_points',
  'servicepoint_servicecontracts',
  'tokens',
  'usage_segment_links',
  'usage_segments',
]

// Only this database's own schema: on PostgreSQL other test files' schemas exist at the same time.
async function tableNames<DB>(db: Kysely<DB>): Promise<string[]> {
  const schema = await currentSchema(db)
  const tables = await db.introspection.getTables()
  return tables.filter((t) => t.schema === schema).map((t) => t.name).filter((name) => !name.startsWith('kysely_')).sort()
}

forEachDialect('database migrations', (t) => {
  it('a second run to latest applies nothing and changes nothing', async () => {
    // The harness already migrated this database once.
    expect(await t.database.exclusive(() => migrateToLatest(t.db))).toEqual([])
    expect(await t.database.exclusive(() => migrateToLatest(t.db))).toEqual([])
    expect(await tableNames(t.db)).toEqual(TABLES)
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(t.db)
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(MIGRATIONS))
  })

  it('migrates down to nothing and back up to latest, then is idempotent again', async () => {
    // The migrator's table scan covers every schema: other files must not drop one meanwhile.
    await t.database.exclusive(async () => {
      const down = await createMigrator(t.db, MIGRATIONS, await currentSchema(t.db)).migrateTo(NO_MIGRATIONS)
      expect(down.error).toBeUndefined()
      expect(await tableNames(t.db)).toEqual([])
      expect(await migrateToLatest(t.db)).toEqual(Object.keys(MIGRATIONS))
      expect(await migrateToLatest(t.db)).toEqual([])
    })
    expect(await tableNames(t.db)).toEqual(TABLES)
  })

  it('a failing migration is reported by name with the database error, and rolled back', async () => {
    const broken = {
      ...MIGRATIONS,
      '0999-broken': {
        async up(db: Kysely<unknown>) {
          await db.schema.createTable('half_done').addColumn('id', 'text').execute()
          await sql`select * from no_such_table`.execute(db)
        },
      },
    }
    const failure = await t.database.exclusive(() => migrateToLatest(t.db, broken).catch((error: unknown) => error))
    expect(failure).toBeInstanceOf(MigrationError)
    const error = failure as MigrationError
    expect(error.migrationName).toBe('0999-broken')
    expect(error.message).toMatch(/^database migration "0999-broken" failed: .*no_such_table/)
    expect(error.cause).toBeInstanceOf(Error)
    // Each migration runs in a transaction: the half-created table is gone, the earlier ones stay.
    expect(await tableNames(t.db)).toEqual(TABLES)
    expect(await t.database.exclusive(() => migrateToLatest(t.db))).toEqual([])
  })
})
