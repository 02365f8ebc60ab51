/**
 * The databases every storage test runs on (STYLE.md §2.6, the kysely `DIALECTS` pattern):
 * PGlite always, PostgreSQL too when `CDS_TEST_DATABASE_URL` is set.
 *
 * Each test file gets one fresh, migrated database per dialect:
 * - PGlite starts from a template archive (a migrated data directory dumped once and cached in
 *   the OS temp folder, keyed by the PGlite version and the migrations' code), which takes about
 *   a second instead of the 4–20 s of initdb;
 * - PostgreSQL gets its own schema, `test_<random>`, set as the pool's `search_path` and dropped
 *   with everything in it when the file ends.
 */
import { createHash, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rename, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe } from 'vitest'
import type { Database } from '../src/db/database.js'
import { openPGlite, openPostgres, type DatabaseHandle } from '../src/db/dialects.js'
import { MIGRATIONS, migrateToLatest } from '../src/db/migrate.js'

/** A database a test file can run on. */
export interface TestDialect {
  readonly name: 'pglite' | 'postgres'
  /** A fresh, migrated database and how to dispose of it. */
  open(): Promise<TestDatabase>
}

/** A fresh database for one test file. */
export interface TestDatabase extends DatabaseHandle {
  /** A database URL that opens this same database again (PostgreSQL only; PGlite here lives in memory). */
  readonly reopenUrl: string | undefined
  /** Closes the database and removes what the test made. */
  dispose(): Promise<void>
  /**
   * Runs `fn` while no other test file creates, migrates or drops a schema (PostgreSQL: the same
   * advisory lock as setup and disposal). For tests that run Kysely's migrator themselves, whose
   * table scan covers every schema and fails when another file drops one in the middle of it.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>
}

/** What a {@link forEachDialect} block sees; `db` is ready inside tests and hooks. */
export interface DialectContext {
  readonly dialect: TestDialect['name']
  readonly db: Kysely<Database>
  readonly database: TestDatabase
}

const require = createRequire(import.meta.url)

async function pgliteTemplate(): Promise<Blob> {
  // dist/index.cjs sits one folder below the package.json that `exports` does not expose.
  const manifest = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json')
  const pgliteVersion = (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version
  const key = createHash('sha256')
    .update(pgliteVersion)
    .update(Object.entries(MIGRATIONS).map(([name, m]) => `${name}\n${m.up.toString()}`).join('\n'))
    .digest('hex')
    .slice(0, 16)
  const path = join(tmpdir(), `cds-ts-pglite-template-${key}.tar.gz`)
  if (existsSync(path)) return new Blob([await readFile(path)])
  const fresh = await openPGlite(undefined)
  try {
    await migrateToLatest(fresh.db)
    const archive = await fresh.pglite.dumpDataDir('gzip')
    // Write then rename, so a parallel test file never reads half an archive.
    const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
    await writeFile(partial, new Uint8Array(await archive.arrayBuffer()))
    await rename(partial, path)
    return archive
  } finally {
    await fresh.close()
  }
}

const pglite: TestDialect = {
  name: 'pglite',
  async open() {
    const handle = await openPGlite(undefined, await pgliteTemplate())
    // A template made by older code is caught here: migrating must be a no-op or bring it up to date.
    await migrateToLatest(handle.db)
    return { ...handle, reopenUrl: undefined, dispose: () => handle.close(), exclusive: (fn) => fn() }
  },
}

// Any number: the key of the advisory lock the PostgreSQL test databases are set up under.
const MIGRATION_LOCK = 0x0cd5_7e57

/** Runs `fn` on one connection of `admin` while holding the session advisory lock {@link MIGRATION_LOCK}. */
async function underLock(admin: DatabaseHandle, fn: (connection: Kysely<Database>) => Promise<void>): Promise<void> {
  await admin.db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(connection)
    try {
      await fn(connection)
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(connection)
    }
  })
}

function postgres(url: string): TestDialect {
  return {
    name: 'postgres',
    async open() {
      const schema = `test_${randomBytes(6).toString('hex')}`
      const admin = openPostgres(url)
      const scoped = new URL(url)
      scoped.searchParams.set('options', `-c search_path=${schema}`)
      const handle = openPostgres(scoped.toString())
      // Test files run in parallel processes; DDL of Kysely's migrator in several fresh schemas at
      // once has failed now and then, so schema creation and migration take turns under one
      // session-level advisory lock.
      await underLock(admin, async (connection) => {
        await sql`create schema ${sql.id(schema)}`.execute(connection)
        await migrateToLatest(handle.db)
      })
      return {
        ...handle,
        reopenUrl: scoped.toString(),
        async exclusive<T>(fn: () => Promise<T>): Promise<T> {
          let result: T | undefined
          await underLock(admin, async () => {
            result = await fn()
          })
          return result as T
        },
        async dispose() {
          await handle.close()
          // Kysely's migrator scans every schema's tables; a schema dropped in the middle of that
          // scan fails another file's migration ("schema … does not exist"), so drops take turns too.
          await underLock(admin, async (connection) => {
            await sql`drop schema ${sql.id(schema)} cascade`.execute(connection)
          })
          await admin.close()
        },
      }
    },
  }
}

/** PGlite always; PostgreSQL when `CDS_TEST_DATABASE_URL` is set. */
export const DIALECTS: readonly TestDialect[] = [
  pglite,
  ...(process.env.CDS_TEST_DATABASE_URL ? [postgres(process.env.CDS_TEST_DATABASE_URL)] : []),
]

/**
 * Declares `describe(\`${name} (${dialect})\`)` once per dialect, with a fresh migrated database
 * opened before its tests and disposed of after them.
 *
 * @example
 * ```ts
 * forEachDialect('CDS-WG1-02 §7.1 credentials', (t) => {
 *   it('R1-02-7.1-02 …', async () => { await t.db.selectFrom('credentials').execute() })
 * })
 * ```
 */
export function forEachDialect(name: string, fn: (context: DialectContext) => void): void {
  for (const dialect of DIALECTS) {
    describe(`${name} (${dialect.name})`, () => {
      let database: TestDatabase | undefined
      beforeAll(async () => {
        database = await dialect.open()
      })
      afterAll(async () => {
        await database?.dispose()
      })
      fn({
        dialect: dialect.name,
        get database() {
          if (database === undefined) throw new Error('the database opens in beforeAll; use it inside tests and hooks')
          return database
        },
        get db() {
          return this.database.db
        },
      })
    })
  }
}
