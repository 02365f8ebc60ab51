#!/usr/bin/env node
/**
 * `cds-spec-check [--markdown OUT.md] [--json OUT.json] [--strict-exit] [--verbose] FILE.md…`
 *
 * Checks every JSON example of the given spec Markdown files against the schemas of
 * `@cds-ts/schema` and prints a report. Without files it reads the pinned drafts: the folder
 * named by `CDS_SPECS_DIR`, or `../shared/specs` next to the repository.
 *
 * Exit codes: 0 when the check ran (failing examples are part of the report), 1 with
 * `--strict-exit` when an example fails, 2 on a usage error.
 *
 * @module
 */
import { runSpecCheckCli } from './main.js'

runSpecCheckCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`cds-spec-check: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exitCode = 3
  },
)
