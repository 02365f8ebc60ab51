/**
 * `cds import greenbutton FILE --account X` and `cds import csv FILE --account X`: interval data
 * into one customer's account of a cds-ts server database, as CDS-WG3-01 §10.8 Usage Segments.
 * The whole file goes in one transaction: a bad line or element writes nothing, and importing the
 * same file again changes nothing. A progress bar on stderr follows the bytes read.
 *
 * Exit codes: 0 imported, 1 bad input or a database problem (the message names the line or
 * element), 2 usage error.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { Readable } from 'node:stream'
import { Command, InvalidArgumentError, Option } from 'commander'
import cliProgress from 'cli-progress'
import {
  createDatabase,
  importCsv,
  importGreenButton,
  LOCAL_TIME_PRESETS,
  migrateToLatest,
  type ImportOptions,
  type ImportSummary,
  type LocalTimeParameters,
} from '@cds-ts/server'

/** The server database, as the server's import functions take it. */
type Db = Parameters<typeof importGreenButton>[0]

/** Options every `cds import` and `cds export` subcommand takes. */
export interface DatabaseCommandOptions {
  account: string
  databaseUrl?: string
  localTime?: LocalTimeParameters
  quiet?: boolean
}

/** `--local-time` presets, parsed to ESPI LocalTimeParameters. */
export function localTimeOption(): Option {
  return new Option('--local-time <zone>', 'the utility\u2019s time zone, which months are cut in').choices(Object.keys(LOCAL_TIME_PRESETS)).argParser((value) => {
    const preset = LOCAL_TIME_PRESETS[value]
    if (preset === undefined) throw new InvalidArgumentError(`one of ${Object.keys(LOCAL_TIME_PRESETS).join(', ')}`)
    return preset
  })
}

/** Opens and migrates the database named by `--database-url` or `$CDS_DATABASE_URL`, runs `fn`, closes it. */
export async function withDatabase<T>(url: string | undefined, fn: (db: Db) => Promise<T>): Promise<T> {
  const location = url ?? process.env.CDS_DATABASE_URL
  if (location === undefined || location === '') throw new Error('no database: pass --database-url or set CDS_DATABASE_URL')
  const handle = await createDatabase(location)
  try {
    await migrateToLatest(handle.db)
    return await fn(handle.db)
  } finally {
    await handle.close()
  }
}

type Importer = (db: Db, input: Readable, options: ImportOptions) => Promise<ImportSummary>

function importSubcommand(name: string, description: string, importer: Importer, example: string): Command {
  return new Command(name)
    .description(description)
    .argument('<file>', 'the file to import')
    .requiredOption('--account <account>', 'the account to import into: its cds_account_id or account_number')
    .option('--database-url <url>', 'postgres://…, memory: or a PGlite data directory (default $CDS_DATABASE_URL)')
    .addOption(localTimeOption())
    .option('--quiet', 'no progress bar and no summary')
    .addHelpText('after', `\nExit codes: 0 imported, 1 bad input (nothing written), 2 usage error.\nExample: ${example}`)
    .action(async (file: string, options: DatabaseCommandOptions) => {
      const size = (await stat(file)).size
      const bar = options.quiet === true ? undefined : new cliProgress.SingleBar({ stream: process.stderr, format: ' {bar} {percentage}% | {readings} readings | {eta_formatted}' }, cliProgress.Presets.shades_classic)
      bar?.start(size, 0, { readings: 0 })
      try {
        const summary = await withDatabase(options.databaseUrl, (db) =>
          importer(db, createReadStream(file), {
            account: options.account,
            sourceName: basename(file),
            ...(options.localTime === undefined ? {} : { localTime: options.localTime }),
            onProgress: (bytes, readings) => bar?.update(bytes, { readings }),
          }),
        )
        bar?.stop()
        if (options.quiet !== true) {
          process.stdout.write(
            `imported ${summary.readings} readings into ${summary.segments} usage segments for ${summary.meters} meters (${summary.metersCreated} new) of account ${summary.cds_account_id}` +
              (summary.skipped > 0 ? `; skipped ${summary.skipped} readings of units CDS does not carry` : '') +
              '\n',
          )
        }
      } finally {
        bar?.stop()
      }
    })
}

/** Builds the `import` command. */
export function importCommand(): Command {
  const command = new Command('import')
    .description('import interval data (Green Button XML, CSV) into a customer\u2019s account as Usage Segments')
    .showHelpAfterError('(run "cds import --help" for usage)')
  command.exitOverride()
  const subcommands = [
    importSubcommand('greenbutton', 'import a Green Button (NAESB ESPI) XML file', importGreenButton, 'cds import greenbutton usage.xml --account 0012345678 --database-url ./data/pglite'),
    importSubcommand(
      'csv',
      'import a CSV file (columns meter_number, interval_start, interval_seconds, value, units [, type, direction, quality, demand_type])',
      importCsv,
      'cds import csv usage.csv --account 0012345678 --local-time us-pacific',
    ),
  ]
  for (const subcommand of subcommands) command.addCommand(subcommand.exitOverride().showHelpAfterError(`(run "cds import ${subcommand.name()} --help" for usage)`))
  return command
}
