/**
 * The command-line front of the spec example check, shared by `cds-spec-check` and
 * `cds spec-check`: parses arguments, runs {@link checkSpecFiles}, prints and writes reports.
 *
 * @module
 */
import { existsSync, readdirSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { checkSpecFiles, defaultSpecsDir } from './index.js'
import { formatMarkdown, formatText } from './report.js'

const USAGE = `usage: cds-spec-check [--markdown OUT.md] [--json OUT.json] [--strict-exit] [--verbose] FILE.md…

Checks the JSON examples of CDS spec Markdown files against the @cds-ts/schema schemas.
Without FILE arguments, reads every .md file of $CDS_SPECS_DIR or ../shared/specs.

  --markdown OUT.md   also write the report as a Markdown errata page
  --json OUT.json     also write the structured report as JSON
  --strict-exit       exit with 1 when an example fails its schema
  --verbose           list every syntax problem with its line
  -h, --help          show this help
`

/**
 * Runs the spec example check as a command: `argv` are the arguments after the command name.
 * Resolves to the exit code: 0 when the check ran, 1 with `--strict-exit` when an example
 * fails, 2 on a usage error. Writes to `process.stdout` and `process.stderr`.
 */
export async function runSpecCheckCli(argv: readonly string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        markdown: { type: 'string' },
        json: { type: 'string' },
        'strict-exit': { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    process.stderr.write(`cds-spec-check: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(USAGE)
    return 0
  }
  let files = positionals
  if (files.length === 0) {
    const dir = defaultSpecsDir()
    if (!existsSync(dir)) {
      process.stderr.write(`cds-spec-check: no files given and no spec folder found at ${dir} (set CDS_SPECS_DIR)\n\n${USAGE}`)
      return 2
    }
    files = readdirSync(dir)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => join(dir, name))
  }
  const missing = files.filter((file) => !existsSync(file))
  if (missing.length > 0) {
    process.stderr.write(`cds-spec-check: file not found: ${missing.join(', ')}\n`)
    return 2
  }
  const report = await checkSpecFiles(files)
  process.stdout.write(formatText(report, { verbose: values.verbose }))
  if (values.markdown) {
    await mkdir(dirname(resolve(values.markdown)), { recursive: true })
    await writeFile(values.markdown, formatMarkdown(report))
    process.stdout.write(`wrote ${values.markdown}\n`)
  }
  if (values.json) {
    await mkdir(dirname(resolve(values.json)), { recursive: true })
    await writeFile(values.json, `${JSON.stringify(report, null, 2)}\n`)
    process.stdout.write(`wrote ${values.json}\n`)
  }
  return values['strict-exit'] && report.summary.fail > 0 ? 1 : 0
}

