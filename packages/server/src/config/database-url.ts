/**
 * Reads the `database_url` setting: which storage the server uses.
 *
 * @module
 */

/** Where the data lives, as {@link parseDatabaseUrl} reads `database_url`. */
export type DatabaseLocation =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; data_dir: string }
  | { kind: 'memory' }

/**
 * Reads a `database_url`: a `postgres://` or `postgresql://` URL (PostgreSQL through `pg`),
 * `memory:` (PGlite in memory, for tests), or anything else as a PGlite data directory
 * (a path, or a `file:` URL). Returns `undefined` for another URL scheme such as `mysql:`.
 *
 * @example
 * ```ts
 * parseDatabaseUrl('memory:') // { kind: 'memory' }
 * parseDatabaseUrl('.cds-data/pglite') // { kind: 'pglite', data_dir: '.cds-data/pglite' }
 * ```
 * @see {@link https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING | PostgreSQL connection URIs}
 */
export function parseDatabaseUrl(value: string): DatabaseLocation | undefined {
  if (value === 'memory:') return { kind: 'memory' }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(value)?.[1]?.toLowerCase()
  if (scheme === undefined) return { kind: 'pglite', data_dir: value }
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url: value }
  if (scheme === 'file') {
    try {
      return { kind: 'pglite', data_dir: decodeURIComponent(new URL(value).pathname) }
    } catch {
      return undefined
    }
  }
  return undefined
}
