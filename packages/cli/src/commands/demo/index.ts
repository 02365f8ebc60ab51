/**
 * `cds demo generate --customers N --years Y --seed S [--database-url URL]`: writes a generated
 * demo utility data set (customers who can log in, their accounts, contracts, service points and
 * meters, 15-minute, daily and monthly Usage Segments, monthly bills, aggregations and EACs; see
 * the docs page "Demo data") into a cds-ts server database, migrating it first. The same seed
 * gives the same data, byte for byte. A progress bar on stderr follows the accounts written.
 *
 * Exit codes: 0 written (or already there), 1 a database problem, 2 usage error.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import { Command, InvalidArgumentError } from 'commander'
import cliProgress from 'cli-progress'
import { createDatabase, DEMO_CUSTOMER_PASSWORD, demoLogin, generateDemoData, migrateToLatest } from '@cds-ts/server'

/** The machine's clock: the set ends with the month before the current one. */
const clock = { now: () => new Date() }

/** Options of `cds demo generate`. */
export interface DemoGenerateOptions {
  customers: number
  years: number
  seed: string
  timezone?: string
  until?: string
  databaseUrl?: string
  quiet?: boolean
}

function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = Number(value)
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`a whole number from ${min} to ${max}`)
    return n
  }
}

function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('a month as YYYY-MM')
  return value
}

/** `cds demo generate`. */
export function generateCommand(): Command {
  return new Command('generate')
    .description('write a generated demo data set (customers, accounts, meters, usage, bills, aggregations, EACs) into a server database')
    .option('--customers <n>', 'how many customers', integer(0, 100_000), 12)
    .option('--years <n>', 'years of history (whole months before --until)', integer(1, 10), 1)
    .option('--seed <seed>', 'the seed every id and value derives from', 'cds-ts-demo')
    .option('--timezone <zone>', 'the utility\u2019s IANA time zone, which days and months are cut in', 'America/Los_Angeles')
    .option('--until <YYYY-MM>', 'the first month not covered (default: the current month)', month)
    .option('--database-url <url>', 'postgres://…, memory: or a PGlite data directory (default $CDS_DATABASE_URL)')
    .option('--quiet', 'no progress bar and no summary')
    .addHelpText('after', `\nEvery generated customer logs in as customerNNN@demo-utility.example with the password "${DEMO_CUSTOMER_PASSWORD}".\nExit codes: 0 written (or already there), 1 a database problem, 2 usage error.\nExample: cds demo generate --customers 100 --years 1 --seed demo --database-url ./data/pglite`)
    .action(async (options: DemoGenerateOptions, command: Command) => {
      const url = options.databaseUrl ?? process.env.CDS_DATABASE_URL
      if (url === undefined || url === '') command.error('no database: pass --database-url or set CDS_DATABASE_URL', { exitCode: 2, code: 'cds.usage' })
      try {
        Intl.DateTimeFormat('en-US', { timeZone: options.timezone })
      } catch {
        command.error(`unknown time zone ${String(options.timezone)}`, { exitCode: 2, code: 'cds.usage' })
      }
      const started = performance.now()
      const bar = options.quiet === true ? undefined : new cliProgress.SingleBar({ stream: process.stderr, format: ' {bar} {percentage}% | {value}/{total} accounts | {eta_formatted}' }, cliProgress.Presets.shades_classic)
      const handle = await createDatabase(url)
      try {
        await migrateToLatest(handle.db)
        let started_bar = false
        const summary = await generateDemoData(
          handle.db,
          clock,
          { customers: options.customers, years: options.years, seed: options.seed, ...(options.timezone === undefined ? {} : { timezone: options.timezone }), ...(options.until === undefined ? {} : { until: options.until }) },
          (done, total) => {
            if (!started_bar) bar?.start(total, 0)
            started_bar = true
            bar?.update(done)
          },
        )
        bar?.stop()
        if (options.quiet !== true) {
          const seconds = ((performance.now() - started) / 1000).toFixed(1)
          process.stdout.write(
            summary.written
              ? `wrote ${summary.customers} customers, ${summary.accounts} accounts, ${summary.meter_devices} meters, ${summary.usage_segments} usage segments (${summary.readings} readings), ` +
                  `${summary.bill_statements} statements, ${summary.bill_sections} bill sections, ${summary.aggregations} aggregations and ${summary.eacs} EACs in ${seconds} s\n` +
                  (summary.customers > 0 ? `log in as ${demoLogin(1)} … ${demoLogin(summary.customers)} with the password "${DEMO_CUSTOMER_PASSWORD}"\n` : '')
              : `the demo set of seed "${options.seed}" is already in this database; nothing written (${seconds} s)\n`,
          )
        }
      } finally {
        bar?.stop()
        await handle.close()
      }
    })
}

/** Builds the `demo` command. */
export function demoCommand(): Command {
  const command = new Command('demo').description('demo utility data for a cds-ts server').showHelpAfterError('(run "cds demo --help" for usage)')
  command.exitOverride()
  const generate = generateCommand()
  command.addCommand(generate.exitOverride().showHelpAfterError('(run "cds demo generate --help" for usage)'))
  return command
}
