/**
 * `cds spec-check FILE.md…`: the schema package's spec example checker under the `cds` command.
 * Options and exit codes are those of `cds-spec-check`, which does the work.
 *
 * @module
 */
import { Command } from 'commander'
import { runSpecCheckCli } from '@cds-ts/schema'

/** Builds the `spec-check` command. */
export function specCheckCommand(): Command {
  return new Command('spec-check')
    .description('check every JSON example of CDS spec Markdown files against the schemas (for spec maintainers)')
    .argument('[files...]', 'spec Markdown files (default: every .md of $CDS_SPECS_DIR or ../shared/specs)')
    .allowUnknownOption()
    .helpOption(false)
    .allowExcessArguments()
    .addHelpText('after', '\nOptions: --markdown OUT.md, --json OUT.json, --strict-exit, --verbose (see "cds spec-check --help").')
    .action(async (_files: string[], _options: unknown, command: Command) => {
      process.exitCode = await runSpecCheckCli(command.args)
    })
}
