/**
 * The key that seals Credential secrets (CDS-WG1-02 §7.1) must outlive a restart, or the
 * Credentials API can no longer show the secrets it sealed. When neither `CDS_SECRET_KEY` nor the
 * configuration file sets one and the data lives in a PGlite directory, the reference server keeps
 * the key in a file beside that directory (`<data dir>.secret-key`, mode 0600), created on the
 * first start. With PostgreSQL or `memory:` nothing is written: set `CDS_SECRET_KEY`, or the
 * server seals with a key of the process and warns.
 *
 * @module
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerConfig } from '../config/config-schema.js'

const KEY = /^[A-Za-z0-9_-]{43}$/

/** The PGlite data directory of a `database_url`, or `undefined` for PostgreSQL and `memory:`. */
export function pgliteDataDir(database_url: string): string | undefined {
  if (database_url === 'memory:' || /^postgres(ql)?:/i.test(database_url)) return undefined
  if (/^file:/i.test(database_url)) return fileURLToPath(database_url)
  return /^[A-Za-z][A-Za-z0-9+.-]+:/.test(database_url) ? undefined : database_url
}

/** Where the key of a PGlite data directory is kept: a sibling file named after it. */
export function secretKeyPath(dataDir: string): string {
  return `${resolve(dataDir)}.secret-key`
}

/**
 * Reads the key file, creating it (32 random bytes, base64url, mode 0600) when it does not exist.
 *
 * @throws {Error} when the file exists but does not hold a key
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export async function readOrCreateSecretKey(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true })
  try {
    // 'wx': only the first start writes; the file is readable by its owner alone.
    const key = randomBytes(32).toString('base64url')
    await writeFile(path, `${key}\n`, { flag: 'wx', mode: 0o600 })
    return key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const key = (await readFile(path, 'utf8')).trim()
  if (!KEY.test(key)) throw new Error(`${path} does not hold a secret key (32 bytes, base64url); remove it or set CDS_SECRET_KEY`)
  return key
}

/**
 * The configuration with `client_management.secret_key` filled from the key file when secrets are
 * shown always, no key is configured and the data lives in a PGlite directory; otherwise unchanged.
 *
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export async function withPersistentSecretKey(config: ServerConfig): Promise<ServerConfig> {
  const { client_management } = config
  if (client_management.secret_display !== 'always' || client_management.secret_key !== undefined) return config
  const dataDir = pgliteDataDir(config.database_url)
  if (dataDir === undefined) return config
  const secret_key = await readOrCreateSecretKey(secretKeyPath(dataDir))
  return { ...config, client_management: { ...client_management, secret_key } }
}
