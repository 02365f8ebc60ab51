/**
 * STUB — `cds import …` (issue 6); replaced by its implementation.
 *
 * @module
 */
import { Command } from 'commander'

/** Builds the `import` command. */
export function importCommand(): Command {
  return new Command('import').description('(not implemented yet)')
}
