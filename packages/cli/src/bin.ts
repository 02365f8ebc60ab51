#!/usr/bin/env node
import { type Command, CommanderError } from 'commander'
import { buildProgram } from './program.js'

/** Usage errors of every subcommand throw instead of exiting, so they all end with exit code 2. */
function overrideExits(command: Command): Command {
  command.exitOverride()
  for (const sub of command.commands) overrideExits(sub)
  return command
}

const program = overrideExits(buildProgram())
try {
  await program.parseAsync(process.argv)
} catch (error) {
  if (error instanceof CommanderError) {
    // --help and --version end here with code 0; usage errors with 2 (commander says 1).
    process.exit(error.exitCode === 0 ? 0 : 2)
  }
  process.stderr.write(`cds: ${(error as Error).message}\n`)
  process.exit(1)
}
