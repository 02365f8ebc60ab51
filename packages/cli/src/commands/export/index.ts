/**
 * STUB — `cds export …` (issue 6); replaced by its implementation.
 *
 * @module
 */
import { Command } from 'commander'

/** Builds the `export` command. */
export function exportCommand(): Command {
  return new Command('export').description('(not implemented yet)')
}
