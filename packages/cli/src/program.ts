/**
 * The `cds` command line. Each command lives in `commands/<name>/index.ts` and adds itself
 * to the program; this file only assembles them.
 *
 * @module
 */
import { Command } from 'commander'
import { createRequire } from 'node:module'
import { adminCommand } from './commands/admin/index.js'
import { conformanceCommand } from './commands/conformance/index.js'
import { demoCommand } from './commands/demo/index.js'
import { exportCommand } from './commands/export/index.js'
import { importCommand } from './commands/import/index.js'
import { serveCommand } from './commands/serve/index.js'
import { specCheckCommand } from './commands/spec-check/index.js'

const require = createRequire(import.meta.url)
const { version } = require('../package.json') as { version: string }

/** Builds the `cds` program (exported for tests, which run it without a process). */
export function buildProgram(): Command {
  const program = new Command('cds')
    .description('Command-line tools for the LF Energy Connected Data Specifications (CDS)')
    .version(version, '-v, --version', 'print the cds-ts version')
    .showHelpAfterError('(run "cds --help" for usage)')
    .showSuggestionAfterError()
    .addHelpText(
      'after',
      '\nExit codes: 0 success, 1 the command ran and found problems, 2 usage error.\nDocumentation: https://github.com/cds-ts/cds-ts#readme',
    )
  program.addCommand(specCheckCommand())
  program.addCommand(adminCommand())
  program.addCommand(demoCommand())
  program.addCommand(importCommand())
  program.addCommand(exportCommand())
  program.addCommand(conformanceCommand())
  program.addCommand(serveCommand())
  return program
}
