#!/usr/bin/env node
import { CommanderError } from 'commander'
import { buildProgram } from './program.js'

const program = buildProgram().exitOverride()
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
