/**
 * The per-user file where `cds` keeps what a server gave it: the Client objects of a registration
 * with their secrets, and access tokens until they expire. One JSON file, written atomically
 * (a temporary file renamed over it) with mode 0600 in a directory of mode 0700, because it holds
 * secrets (CDS-WG1-02 §11.1). A file others can read is refused until its mode is fixed.
 *
 * Where: `$CDS_CLI_CONFIG`, else `$XDG_CONFIG_HOME/cds/credentials.json`, else
 * `~/.config/cds/credentials.json`.
 *
 * @module
 */
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'

/** One Client object the CLI can act as. */
export interface StoredClient {
  client_id: string
  client_secret: string
  /** Its scope string. */
  scope: string
}

/** A cached access token. */
export interface StoredToken {
  access_token: string
  /** Epoch seconds, or null when the server gave no lifetime. */
  expires_at: number | null
  scope: string
  refresh_token?: string
  /** The Client object it belongs to. */
  client_id: string
}

/** What the CLI keeps about one server, by its base URL. */
export interface StoredServer {
  /** The `cds_client_admin` Client object of the registration. */
  admin?: StoredClient
  /** Every Client object of the registration. */
  clients: StoredClient[]
  tokens: StoredToken[]
}

/** The whole file. */
export interface CredentialsFile {
  version: 1
  servers: Record<string, StoredServer>
}

/** The file's path for an environment. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CDS_CLI_CONFIG !== undefined && env.CDS_CLI_CONFIG !== '') return env.CDS_CLI_CONFIG
  const base = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config')
  return join(base, 'cds', 'credentials.json')
}

/** A problem with the credentials file (unreadable, not JSON, readable by others). */
export class CredentialsFileError extends Error {
  override name = 'CredentialsFileError'
}

/** Reads the file; an absent file is an empty one. */
export async function readCredentials(path: string): Promise<CredentialsFile> {
  let text: string
  try {
    const info = await stat(path)
    // Secrets must not be readable by others: refuse rather than use a file with a loose mode.
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0)
      throw new CredentialsFileError(`${path} is readable by other users (mode ${(info.mode & 0o777).toString(8)}); run: chmod 600 ${path}`)
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, servers: {} }
    throw error
  }
  try {
    const value = JSON.parse(text) as CredentialsFile
    if (value.version !== 1 || typeof value.servers !== 'object') throw new Error('unknown layout')
    return value
  } catch (error) {
    throw new CredentialsFileError(`${path} is not a cds credentials file: ${(error as Error).message}`)
  }
}

/** Writes the file atomically with mode 0600 (its directory 0700). */
export async function writeCredentials(path: string, value: CredentialsFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const temporary = `${path}.${process.pid}.tmp`
  const handle = await open(temporary, 'w', 0o600)
  try {
    await handle.writeFile(`${JSON.stringify(value, null, 2)}\n`)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await chmod(temporary, 0o600)
  await rename(temporary, path)
}

/** Changes the file in one read-modify-write. */
export async function updateCredentials(path: string, change: (file: CredentialsFile) => void): Promise<CredentialsFile> {
  const file = await readCredentials(path)
  change(file)
  await writeCredentials(path, file)
  return file
}

/** The entry of a server, created empty when missing. */
export function serverEntry(file: CredentialsFile, baseUrl: string): StoredServer {
  const key = baseUrl.replace(/\/+$/, '')
  file.servers[key] ??= { clients: [], tokens: [] }
  return file.servers[key]
}
