/**
 * Loads the server configuration at start-up: the demo defaults, deep-merged with a JSON file,
 * then the environment on top; validated against {@link ServerConfig} (closed) and the
 * cross-field checks. A bad configuration stops the server with a {@link ConfigError} that
 * names every bad field.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { checkStrict, Decimal, parseJson } from '@cds-ts/schema'
import { ServerConfig } from './config-schema.js'
import { parseDemoDataEnv } from './customer-data-config.js'
import { DEFAULT_PORT, defaultConfig } from './defaults.js'
import { validateConfig, type ConfigIssue } from './validate-config.js'

/** The environment variables {@link loadConfig} reads. */
export interface ConfigEnv {
  /** Path of a JSON configuration file (used when the `file` option is not given). */
  CDS_CONFIG?: string | undefined
  /** TCP port (`port`). */
  PORT?: string | undefined
  /** Interface to listen on (`host`). */
  HOST?: string | undefined
  /** Issuer and public origin (`base_url`). */
  CDS_BASE_URL?: string | undefined
  /** Storage (`database_url`): `postgres://…`, a PGlite data directory, or `memory:`. */
  CDS_DATABASE_URL?: string | undefined
  /** Key that seals Credential secrets (`client_management.secret_key`): 32 bytes, base64url. */
  CDS_SECRET_KEY?: string | undefined
  /** Bearer token of the operator API (`operator.token`); the API is off without it. */
  CDS_OPERATOR_TOKEN?: string | undefined
  /** SMTP server of customer notifications (`customer_authorization.email.smtp_url`, CDS-WG3-01 §9.4); without it mail stays in the outbox. */
  CDS_SMTP_URL?: string | undefined
  /** Synthetic demo Customer Data (`customer_data.demo_data`): `customers,years,seed`, e.g. `50,3,demo`. */
  CDS_DEMO_DATA?: string | undefined
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** JSON file merged over the defaults; default `env.CDS_CONFIG`, and no file when neither is set. */
  file?: string | undefined
  /** Environment to read; default `process.env`. */
  env?: ConfigEnv | NodeJS.ProcessEnv
}

/** A problem with its source, as {@link ConfigError} lists them. */
export interface ConfigErrorIssue extends ConfigIssue {
  /** The environment variable or file the bad value came from, when known. */
  source?: string
}

/**
 * Thrown by {@link loadConfig}. The message has one line per problem, such as
 * `config /oauth/timezone: "Mars/Base" is not an IANA time zone`.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export class ConfigError extends Error {
  /** Every problem found. */
  readonly issues: readonly ConfigErrorIssue[]

  constructor(issues: ConfigErrorIssue[]) {
    const lines = issues.map((i) => `config ${i.path || '/'}: ${i.message}${i.source === undefined ? '' : ` (from ${i.source})`}`)
    super(`invalid server configuration:\n${lines.join('\n')}`)
    this.name = 'ConfigError'
    this.issues = issues
  }
}

type Json = Record<string, unknown>

function isPlainObject(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Decimal) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/**
 * Merges `override` into a copy of `base`: objects merge key by key, anything else (arrays,
 * strings, numbers, decimals) replaces. `null` over an object removes the key, so a file can
 * drop a demo scope or registration field.
 *
 * @internal
 */
export function deepMerge(base: Json, override: Json): Json {
  const out: Json = { ...base }
  for (const [key, value] of Object.entries(override)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined
    if (value === null && isPlainObject(current)) {
      delete out[key]
      continue
    }
    const merged = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value
    // defineProperty: a "__proto__" key stays an own property, which the closed check then refuses.
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true })
  }
  return out
}

async function readConfigFile(file: string): Promise<Json> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new ConfigError([{ path: '', source: file, message: `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})` }])
  }
  let value: unknown
  try {
    value = parseJson(text)
  } catch (error) {
    throw new ConfigError([{ path: '', source: file, message: `is not JSON (${(error as Error).message})` }])
  }
  if (!isPlainObject(value)) throw new ConfigError([{ path: '', source: file, message: 'must be a JSON object' }])
  return value
}

/** Removes the trailing slash of an origin, so `https://example.com/` and `https://example.com` publish the same URLs. */
function normalizeBaseUrl(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/\/+$/, '') : value
}

function describeValue(value: unknown): string {
  if (value instanceof Decimal) return `${value.toString()} `
  return typeof value === 'object' && value !== null ? '' : `${JSON.stringify(value)} `
}

function valueAt(root: unknown, path: string): unknown {
  let node = root
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~')
    if (typeof node !== 'object' || node === null) return undefined
    node = (node as Json)[key]
  }
  return node
}

/**
 * Builds the configuration from the defaults, the file named by `file` or `CDS_CONFIG`, and the
 * environment (`PORT`, `HOST`, `CDS_BASE_URL`, `CDS_DATABASE_URL`, `CDS_SECRET_KEY`, `CDS_OPERATOR_TOKEN`, `CDS_SMTP_URL`, `CDS_DEMO_DATA`), in that order of precedence
 * from lowest to highest, and validates it.
 *
 * @throws {ConfigError} naming every bad field, e.g. `config /port: "http" is not a TCP port number (from PORT)`
 * @example
 * ```ts
 * const config = await loadConfig({ env: { CDS_BASE_URL: 'https://utility.example.com', PORT: '8443' } })
 * ```
 * @see CDS-WG1-01 §3.2 Metadata Object Format
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ServerConfig> {
  const env: ConfigEnv = options.env ?? process.env
  const file = options.file ?? (env.CDS_CONFIG === '' ? undefined : env.CDS_CONFIG)
  const fromFile = file === undefined ? {} : await readConfigFile(file)

  const issues: ConfigErrorIssue[] = []
  const sources = new Map<string, string>()
  const overrides: Json = {}
  if (env.PORT !== undefined && env.PORT !== '') {
    sources.set('/port', 'PORT')
    if (/^\d{1,5}$/.test(env.PORT) && Number(env.PORT) <= 65535) overrides.port = Number(env.PORT)
    else issues.push({ path: '/port', source: 'PORT', message: `${JSON.stringify(env.PORT)} is not a TCP port number` })
  }
  for (const [name, key] of [['HOST', 'host'], ['CDS_BASE_URL', 'base_url'], ['CDS_DATABASE_URL', 'database_url']] as const) {
    const value = env[name]
    if (value !== undefined && value !== '') {
      overrides[key] = value
      sources.set(`/${key}`, name)
    }
  }
  // Secrets come from the environment rather than a file that may be shared.
  for (const [name, section, key] of [['CDS_SECRET_KEY', 'client_management', 'secret_key'], ['CDS_OPERATOR_TOKEN', 'operator', 'token']] as const) {
    const value = env[name]
    if (value !== undefined && value !== '') {
      overrides[section] = { ...(isPlainObject(overrides[section]) ? overrides[section] : {}), [key]: value }
      sources.set(`/${section}/${key}`, name)
    }
  }
  // CDS-WG3-01 §9.4: the SMTP URL may carry a password, so it too comes from the environment.
  if (env.CDS_SMTP_URL !== undefined && env.CDS_SMTP_URL !== '') {
    const section = isPlainObject(overrides.customer_authorization) ? overrides.customer_authorization : {}
    overrides.customer_authorization = { ...section, email: { smtp_url: env.CDS_SMTP_URL } }
    sources.set('/customer_authorization/email/smtp_url', 'CDS_SMTP_URL')
  }
  // CDS-WG3-01 §10: the demo data set, `customers,years,seed`.
  if (env.CDS_DEMO_DATA !== undefined && env.CDS_DEMO_DATA !== '') {
    const demo = parseDemoDataEnv(env.CDS_DEMO_DATA)
    if (typeof demo === 'string') issues.push({ path: '/customer_data/demo_data', source: 'CDS_DEMO_DATA', message: demo })
    else overrides.customer_data = { demo_data: demo }
    sources.set('/customer_data/demo_data', 'CDS_DEMO_DATA')
  }
  if (issues.length > 0) throw new ConfigError(issues)

  // The defaults' URLs follow the base URL that will be published, wherever it is set.
  const port = overrides.port ?? fromFile.port
  const effectivePort = typeof port === 'number' && Number.isInteger(port) ? port : DEFAULT_PORT
  const base = normalizeBaseUrl(overrides.base_url ?? fromFile.base_url)
  const baseUrl = typeof base === 'string' ? base : `http://127.0.0.1:${effectivePort}`
  const merged = deepMerge(deepMerge(defaultConfig(baseUrl, effectivePort), fromFile), overrides)
  merged.base_url = normalizeBaseUrl(merged.base_url)

  // Name the variable or file a bad value came from, when it came from one.
  const withSource = (issue: ConfigIssue): ConfigErrorIssue => {
    const source = sources.get(issue.path) ?? (file !== undefined && valueAt(fromFile, issue.path) !== undefined ? file : undefined)
    return source === undefined ? issue : { ...issue, source }
  }
  const schemaIssues = checkStrict(ServerConfig, merged, { closed: true })
  if (schemaIssues.length > 0) {
    throw new ConfigError(schemaIssues.map((i) => withSource({ path: i.path, message: `${describeValue(valueAt(merged, i.path))}${i.message}` })))
  }
  const config = merged as unknown as ServerConfig
  const crossIssues = validateConfig(config)
  if (crossIssues.length > 0) throw new ConfigError(crossIssues.map(withSource))
  return config
}
