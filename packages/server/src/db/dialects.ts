/**
 * Opens the server database from one URL: PostgreSQL through a `pg` pool, or PGlite (embedded
 * PostgreSQL) in memory or in a data directory. Both drivers are set up to read values the same
 * way, so the rest of the server never asks which one it has:
 * - `numeric` stays exact text (CDS-WG3-01 §2: a decimal never becomes a float);
 * - `date` stays `YYYY-MM-DD` text (a calendar date has no time zone to shift it);
 * - `json`/`jsonb` stay text, decoded losslessly by `json-text.ts`;
 * - `bigint` becomes a `number` (Unix seconds, counts), and an unsafe value is an error;
 * - `timestamptz` becomes a `Date`.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PGlite } from '@electric-sql/pglite'
import { Kysely, PostgresDialect, type Dialect } from 'kysely'
import { PGliteDialect } from 'kysely-pglite-dialect'
import pg from 'pg'
import type { Database } from './database.js'

/**
 * An open server database and the one way to release it.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export interface DatabaseHandle {
  readonly db: Kysely<Database>
  /** Which engine answers: `postgres` (a server through `pg`) or `pglite` (embedded). */
  readonly engine: 'postgres' | 'pglite'
  /** Ends the pool or shuts PGlite down, flushing its data directory. Safe to call twice. */
  close(): Promise<void>
}

/**
 * Where a database URL points, as {@link parseDatabaseUrl} reads it.
 *
 * @internal
 * @see {@link https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING | PostgreSQL connection URIs}
 */
export type DatabaseLocation =
  | { engine: 'postgres'; url: string }
  | { engine: 'pglite'; dataDir: string | undefined }

// PostgreSQL type OIDs (pg_type.oid), the same on every server version.
const INT8 = 20
const JSON_OID = 114
const NUMERIC = 1700
const JSONB = 3802
const BYTEA = 17
const DATE = 1082

/**
 * PGlite's own `bytea` conversion goes through one JavaScript array entry per byte, which takes
 * seconds for the multi-megabyte Message attachments of CDS-WG1-02 §6.9; these convert
 * the `\\x…` hex text with `Buffer` instead.
 */
const PGLITE_BYTEA_SERIALIZERS: Readonly<Record<number, (value: unknown) => string>> = {
  [BYTEA]: (value) => {
    if (!(value instanceof Uint8Array)) throw new TypeError('a bytea parameter must be a Uint8Array')
    return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`
  },
}

function parseByteaHex(value: string): Uint8Array {
  const bytes = Buffer.from(value.slice(2), 'hex')
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

const asText = (value: string): string => value

/** `bigint` → `number`; Unix seconds and row counts always fit, anything else is a bug. */
function parseInt8(value: string): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${value} does not fit a JavaScript number`)
  return n
}

/** The parsers both drivers share; every other type keeps the driver's default. */
const PARSERS: Readonly<Record<number, (value: string) => unknown>> = {
  [INT8]: parseInt8,
  [JSON_OID]: asText,
  [NUMERIC]: asText,
  [JSONB]: asText,
  // CDS-WG3-01 §2 (date): a calendar date has no time zone; as text it cannot shift by one.
  [DATE]: asText,
}

/** Hides the password of a URL before it goes into an error message. */
function redact(url: string): string {
  try {
    const u = new URL(url)
    if (u.password !== '') u.password = '***'
    return u.toString()
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@')
  }
}

/**
 * Reads a database URL: `postgres://…`/`postgresql://…`, `memory:` (PGlite in memory), a
 * `file:` URL or a plain path (a PGlite data directory).
 *
 * @throws {TypeError} for an empty value or a scheme that is none of these
 * @internal
 * @see {@link https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING | PostgreSQL connection URIs}
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const value = url.trim()
  if (value === '') throw new TypeError('database URL is empty: use postgres://…, memory: or a PGlite data directory')
  if (/^postgres(?:ql)?:\/\//i.test(value)) return { engine: 'postgres', url: value }
  if (/^memory:(?:\/\/)?$/i.test(value)) return { engine: 'pglite', dataDir: undefined }
  if (/^file:/i.test(value)) return { engine: 'pglite', dataDir: fileURLToPath(value) }
  // A scheme of two letters or more that is none of the above (a one-letter one is a Windows drive).
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(value)
  if (scheme !== null) {
    throw new TypeError(
      `database URL ${redact(value)} has an unsupported scheme "${scheme[1] ?? ''}:": use postgres://…, memory: or a PGlite data directory`,
    )
  }
  return { engine: 'pglite', dataDir: resolve(value) }
}

/**
 * Opens PostgreSQL through a `pg` pool with the shared type parsers. A `search_path` can be set
 * in the URL (`?options=-c%20search_path%3Dmy_schema`).
 *
 * @internal
 * @see CDS-WG3-01 §2 (decimal): `numeric` stays text
 */
export function openPostgres(url: string): DatabaseHandle {
  const defaultParser = pg.types.getTypeParser as (oid: number, format: 'text' | 'binary') => (value: string) => unknown
  const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
    PARSERS[oid] ?? defaultParser(oid, format ?? 'text')) as pg.CustomTypesConfig['getTypeParser']
  const pool = new pg.Pool({ connectionString: url, types: { getTypeParser } })
  // An idle client that loses its connection emits here; without a listener the process would exit.
  // The next query on the pool reports the problem to its caller.
  pool.on('error', () => undefined)
  return handle(new PostgresDialect({ pool }), 'postgres')
}

/**
 * Opens PGlite in memory (`dataDir` undefined) or in a data directory, created if missing.
 * `loadDataDir` starts from a `dumpDataDir` archive instead of running initdb (test templates).
 *
 * @internal
 * @see CDS-WG3-01 §2 (decimal): `numeric` stays text
 */
export async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<DatabaseHandle & { readonly pglite: PGlite }> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true })
  const pglite = await PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(loadDataDir === undefined ? {} : { loadDataDir }),
    parsers: { ...PARSERS, [BYTEA]: parseByteaHex },
    serializers: PGLITE_BYTEA_SERIALIZERS,
  })
  return { ...handle(new PGliteDialect(pglite), 'pglite'), pglite }
}

function handle(dialect: Dialect, engine: DatabaseHandle['engine']): DatabaseHandle {
  const db = new Kysely<Database>({ dialect })
  let closing: Promise<void> | undefined
  return {
    db,
    engine,
    close: () => (closing ??= db.destroy()),
  }
}

/**
 * Opens the server database named by `url` (the `CDS_DATABASE_URL` setting):
 * - `postgres://…` or `postgresql://…`: a PostgreSQL server, through a `pg` pool;
 * - `memory:`: an in-memory PGlite, empty at every start (tests, demos);
 * - a directory path or a `file:` URL: a PGlite data directory, created if missing, that keeps
 *   its rows across restarts. One process at a time may open a directory.
 *
 * The database is not migrated here; call `migrateToLatest(db)` next.
 *
 * @throws {TypeError} when the URL has an unsupported scheme
 * @example
 * ```ts
 * const { db, close } = await createDatabase(process.env.CDS_DATABASE_URL ?? './data/pglite')
 * await migrateToLatest(db)
 * // … serve …
 * await close()
 * ```
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export async function createDatabase(url: string): Promise<DatabaseHandle> {
  const location = parseDatabaseUrl(url)
  return location.engine === 'postgres' ? openPostgres(location.url) : openPGlite(location.dataDir)
}
