/**
 * Starts the reference server the way `pnpm start` and `cds serve` do: the configuration from the
 * environment (and `CDS_CONFIG`), a persistent secret key beside a PGlite directory, the default
 * demo data set unless something else decides, then listen and describe the URLs.
 *
 * @module
 */
import { loadConfig, type ConfigEnv } from '../config/load-config.js'
import { DEMO_LOGIN_HINT, withDefaultDemoData } from './demo-data.js'
import { buildReferenceApp } from './reference-app.js'
import { withPersistentSecretKey } from './secret-key-file.js'
import { startReferenceServer, type RunningServer } from './start.js'

/** Options of {@link serveReferenceServer}. */
export interface ServeOptions {
  /** The environment to read (default `process.env`): `HOST`, `PORT`, `CDS_BASE_URL`, `CDS_DATABASE_URL`, `CDS_CONFIG`, … */
  env?: ConfigEnv | NodeJS.ProcessEnv
  /** The Fastify log level (default `warn`). */
  logLevel?: string
}

/** A started reference server and the banner that describes it. */
export interface ServedReferenceServer extends RunningServer {
  /** What to print: the storage, every URL, the operator API and the demo logins. */
  banner: string
}

/**
 * Starts the reference server and returns its URLs and banner.
 *
 * @throws ConfigError when the configuration is invalid.
 * @see CDS-WG1-02 §7.1 (the sealing key outlives a restart)
 * @see CDS-WG3-01 §10 (demo data for the Customer Data APIs)
 */
export async function serveReferenceServer(options: ServeOptions = {}): Promise<ServedReferenceServer> {
  const env = options.env ?? process.env
  // CDS-WG1-02 §7.1: secrets sealed for the Credentials API must still open after a restart.
  // CDS-WG3-01 §10: a small generated demo data set unless CDS_DEMO_DATA or a configuration file decides.
  const config = withDefaultDemoData(await withPersistentSecretKey(await loadConfig({ env })), env, env.CDS_CONFIG !== undefined)
  const running = await startReferenceServer({
    host: config.host,
    port: config.port,
    baseUrl: config.base_url,
    build: () => buildReferenceApp({ config, logger: { level: options.logLevel ?? 'warn' } }),
    operator: config.operator.token !== undefined,
  })
  const { urls } = running
  const storage = config.database_url.startsWith('postgres') ? 'PostgreSQL' : config.database_url === 'memory:' ? 'PGlite in memory' : `PGlite in ${config.database_url}`
  const width = Math.max(...Object.keys(urls).map((name) => name.length))
  const lines = [
    `cds-ts reference server listening (storage: ${storage})`,
    ...Object.entries(urls).map(([name, url]) => `  ${name.padEnd(width)} ${url}`),
    urls.operator === undefined
      ? 'Operator API off (set CDS_OPERATOR_TOKEN to turn it on).'
      : `Operator API on: cds admin messages --url ${config.base_url} --token "$CDS_OPERATOR_TOKEN"`,
    ...(config.customer_data.demo_data !== null && config.customer_data.demo_data.customers > 0 ? [`Demo data: ${DEMO_LOGIN_HINT}`] : []),
  ]
  return { ...running, banner: `${lines.join('\n')}\n` }
}
