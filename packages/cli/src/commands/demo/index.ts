/**
 * STUB — `cds demo …` (issue 6); replaced by its implementation.
 *
 * @module
 */
import { Command } from 'commander'

/** Builds the `demo` command. */
export function demoCommand(): Command {
  return new Command('demo').description('(not implemented yet)')
}
