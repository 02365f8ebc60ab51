/**
 * `cds serve`: starts the cds-ts reference server (the same as `pnpm start`), on PGlite by default
 * with the demo data set, and prints its URLs. Options override the environment variables the
 * server reads (`PORT`, `HOST`, `CDS_BASE_URL`, `CDS_DATABASE_URL`, `CDS_CONFIG`,
 * `CDS_OPERATOR_TOKEN`, `CDS_DEMO_DATA`). Ctrl+C stops it.
 *
 * Exit codes: 0 stopped by a signal, 1 could not start (configuration, port, database), 2 usage error.
 *
 * @module
 */
import { ConfigError, serveReferenceServer } from '@cds-ts/server'
import { Command, InvalidArgumentError } from 'commander'

/** Options of `cds serve`. */
export interface ServeCommandOptions {
  port?: string
  host?: string
  baseUrl?: string
  databaseUrl?: string
  config?: string
  operatorToken?: string
  demoData?: string
  logLevel: string
}

function port(value: string): string {
  if (!/^\d+$/.test(value) || Number(value) > 65_535) throw new InvalidArgumentError('a port number from 0 to 65535')
  return value
}

/** The environment the server reads, with the options laid over it. */
export function serveEnvironment(options: ServeCommandOptions, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...env,
    ...(options.port === undefined ? {} : { PORT: options.port }),
    ...(options.host === undefined ? {} : { HOST: options.host }),
    ...(options.baseUrl === undefined ? {} : { CDS_BASE_URL: options.baseUrl }),
    ...(options.databaseUrl === undefined ? {} : { CDS_DATABASE_URL: options.databaseUrl }),
    ...(options.config === undefined ? {} : { CDS_CONFIG: options.config }),
    ...(options.operatorToken === undefined ? {} : { CDS_OPERATOR_TOKEN: options.operatorToken }),
    ...(options.demoData === undefined ? {} : { CDS_DEMO_DATA: options.demoData }),
  }
}

/** `cds serve`. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('start the cds-ts reference server (PGlite and demo data by default) and print its URLs')
    .option('--port <port>', 'TCP port (default $PORT or 8080)', port)
    .option('--host <host>', 'interface to listen on (default $HOST or 127.0.0.1)')
    .option('--base-url <url>', 'public base URL and issuer (default http://HOST:PORT)')
    .option('--database-url <url>', 'postgres://…, memory: or a PGlite data directory (default .cds-data/pglite)')
    .option('--config <file>', 'a JSON configuration file merged over the defaults')
    .option('--operator-token <token>', 'turn on the operator API with this bearer token (at least 32 characters)')
    .option('--demo-data <customers,years,seed>', 'the generated demo data set (default 12,1,cds-ts-demo; 0 for none)')
    .option('--log-level <level>', 'fatal, error, warn, info, debug or trace', 'warn')
    .addHelpText('after', '\nExit codes: 0 stopped by Ctrl+C or SIGTERM, 1 could not start, 2 usage error.\nExample: cds serve --port 8080 --database-url memory: --demo-data 2,1,demo')
    .action(async (options: ServeCommandOptions) => {
      let served: Awaited<ReturnType<typeof serveReferenceServer>>
      try {
        served = await serveReferenceServer({ env: serveEnvironment(options), logLevel: options.logLevel })
      } catch (error) {
        process.stderr.write(`could not start the reference server:\n${error instanceof ConfigError ? error.message : (error as Error).message}\n`)
        process.exitCode = 1
        return
      }
      process.stdout.write(`${served.banner}Press Ctrl+C to stop.\n`)
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { resolve(); })
      })
      await served.close()
    })
}
