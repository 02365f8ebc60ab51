/**
 * `cds export greenbutton --account X [--meter N] [--out FILE|-]`: one account's (or one
 * meter's) interval data as a Green Button (NAESB ESPI) XML document, the form `cds import
 * greenbutton` reads back unchanged.
 *
 * Exit codes: 0 written, 1 unknown account or meter or a database problem, 2 usage error.
 *
 * @see CDS-WG3-01 §10.8 Usage Segments API
 * @module
 */
import { createWriteStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { once } from 'node:events'
import { Command } from 'commander'
import { exportGreenButton } from '@cds-ts/server'
import { localTimeOption, withDatabase, type DatabaseCommandOptions } from '../import/index.js'

interface ExportCommandOptions extends DatabaseCommandOptions {
  meter?: string
  out: string
}

/** Builds the `export` command. */
export function exportCommand(): Command {
  const command = new Command('export').description('export interval data of a customer\u2019s account').showHelpAfterError('(run "cds export --help" for usage)')
  command.exitOverride()
  const greenbutton = new Command('greenbutton')
    .description('write an account\u2019s interval data as a Green Button (NAESB ESPI) XML document')
    .requiredOption('--account <account>', 'the account: its cds_account_id or account_number')
    .option('--meter <meter_number>', 'only this meter')
    .option('--out <file>', 'the file to write, or - for standard output', '-')
    .option('--database-url <url>', 'postgres://…, memory: or a PGlite data directory (default $CDS_DATABASE_URL)')
    .addOption(localTimeOption())
    .option('--quiet', 'no summary on stderr')
    .addHelpText('after', '\nExit codes: 0 written, 1 unknown account or meter, 2 usage error.\nExample: cds export greenbutton --account 0012345678 --local-time us-pacific --out usage.xml')
    .action(async (options: ExportCommandOptions) => {
      const toFile = options.out !== '-'
      const output = toFile ? createWriteStream(options.out) : process.stdout
      try {
        const summary = await withDatabase(options.databaseUrl, (db) =>
          exportGreenButton(db, output, {
            account: options.account,
            ...(options.meter === undefined ? {} : { meter: options.meter }),
            ...(options.localTime === undefined ? {} : { localTime: options.localTime }),
          }),
        )
        if (toFile) {
          output.end()
          await once(output, 'finish')
        }
        if (options.quiet !== true) {
          process.stderr.write(`exported ${summary.readings} readings of ${summary.segments} usage segments for ${summary.meters} meters` + (summary.skippedSegments > 0 ? ` (${summary.skippedSegments} segments have no Green Button form)` : '') + '\n')
        }
      } catch (error) {
        // Nothing half-written stays behind.
        if (toFile) {
          output.destroy()
          await rm(options.out, { force: true })
        }
        throw error
      }
    })
  command.addCommand(greenbutton.exitOverride().showHelpAfterError('(run "cds export greenbutton --help" for usage)'))
  return command
}
