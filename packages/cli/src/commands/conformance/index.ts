/**
 * `cds conformance URL`: runs the black-box conformance suite (`@cds-ts/conformance`) against a CDS
 * server and reports per spec how many requirements it covers, passes and fails. Reports go to
 * the console and, when asked, to JSON, JUnit XML and a self-contained HTML page.
 *
 * Exit codes: 0 every applicable check passed, 1 at least one check failed (or the run could not
 * start), 2 usage error.
 *
 * @module
 */
import { writeFile } from 'node:fs/promises'
import {
  formatConsoleReport,
  formatHtmlReport,
  formatJsonReport,
  formatJUnitReport,
  progressLine,
  runConformance,
  SPECS,
  type ConformanceOptions,
  type SpecId,
  type TestCustomer,
} from '@cds-ts/conformance'
import { Command, InvalidArgumentError, Option } from 'commander'

/** Options of `cds conformance`. */
export interface ConformanceCommandOptions {
  json?: string
  junit?: string
  html?: string
  clientId?: string
  clientSecret?: string
  register: boolean
  customer: TestCustomer[]
  browser?: string
  operatorToken?: string
  operatorUrl?: string
  spec: SpecId[]
  only: string[]
  allowLoopbackHttp?: boolean
  verbose?: boolean
  quiet?: boolean
}

function customer(value: string, previous: TestCustomer[]): TestCustomer[] {
  const colon = value.indexOf(':')
  if (colon < 1) throw new InvalidArgumentError('LOGIN:PASSWORD')
  return [...previous, { username: value.slice(0, colon), password: value.slice(colon + 1) }]
}

function spec(value: string, previous: SpecId[]): SpecId[] {
  const id = (value.toUpperCase().startsWith('CDS-') ? value.toUpperCase() : `CDS-${value.toUpperCase()}`) as SpecId
  if (!SPECS.includes(id)) throw new InvalidArgumentError(`one of ${SPECS.join(', ')}`)
  return [...previous, id]
}

function absoluteUrl(value: string): string {
  try {
    return new URL(value).href.replace(/\/$/, '')
  } catch {
    throw new InvalidArgumentError('an absolute URL such as https://cds.example.com')
  }
}

/** `cds conformance`. */
export function conformanceCommand(): Command {
  return new Command('conformance')
    .description('check a CDS server against the requirement catalogs of CDS-WG1-01, CDS-WG1-02 and CDS-WG3-01')
    .argument('<url>', 'the server\u2019s base URL (where /.well-known/cds-server-metadata.json is)', absoluteUrl)
    .option('--json <file>', 'write the full report as JSON')
    .option('--junit <file>', 'write the report as JUnit XML (one suite per spec)')
    .option('--html <file>', 'write the report as a self-contained HTML page')
    .option('--client-id <id>', 'a cds_client_admin Client object to use instead of registering')
    .addOption(new Option('--client-secret <secret>', 'its secret').env('CDS_CLIENT_SECRET'))
    .option('--no-register', 'never register Client objects of the suite\u2019s own')
    .option('--customer <login:password>', 'a test customer for the authorization checks (repeatable)', customer, [])
    .option('--browser <path>', 'a Chromium executable for the authorization-form checks (needs playwright-core)')
    .addOption(new Option('--operator-token <token>', 'the operator test API token (server-initiated behaviour)').env('CDS_OPERATOR_TOKEN'))
    .option('--operator-url <url>', 'the operator test API base URL (default: the server URL)', absoluteUrl)
    .option('--spec <spec>', 'only this spec: WG1-01, WG1-02 or WG3-01 (repeatable)', spec, [])
    .option('--only <prefix>', 'only checks whose requirement ID starts with this (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .option('--allow-loopback-http', 'accept http:// on 127.0.0.1/localhost where the specs ask for https (local servers)')
    .option('--verbose', 'a line for every check, and the reasons of skipped checks')
    .option('--quiet', 'only the summary')
    .addHelpText(
      'after',
      '\nChecks that need a test customer, a browser or the operator test API are skipped (with the reason) unless given.\nExit codes: 0 every applicable check passed, 1 a check failed or the run could not start, 2 usage error.\nExample: cds conformance http://127.0.0.1:8080 --allow-loopback-http --customer custa@example.com:demo-custa-password \\\n           --browser /usr/bin/chromium --operator-token "$CDS_OPERATOR_TOKEN" --html report.html',
    )
    .action(async (url: string, options: ConformanceCommandOptions, command: Command) => {
      if ((options.clientId === undefined) !== (options.clientSecret === undefined))
        command.error('--client-id and --client-secret go together', { exitCode: 2, code: 'cds.usage' })
      const run: ConformanceOptions = {
        baseUrl: url,
        ...(options.clientId !== undefined && options.clientSecret !== undefined ? { client: { client_id: options.clientId, client_secret: options.clientSecret } } : {}),
        allowRegistration: options.register,
        customers: options.customer,
        ...(options.browser === undefined ? {} : { browser: { executablePath: options.browser } }),
        ...(options.operatorToken === undefined || options.operatorToken === '' ? {} : { operator: { token: options.operatorToken, ...(options.operatorUrl === undefined ? {} : { baseUrl: options.operatorUrl }) } }),
        ...(options.spec.length === 0 ? {} : { specs: options.spec }),
        ...(options.only.length === 0 ? {} : { only: options.only }),
        ...(options.allowLoopbackHttp === true ? { allowLoopbackHttp: true } : {}),
        onResult: (result, done, total) => {
          if (options.quiet === true) return
          if (options.verbose === true || result.status === 'failed') process.stderr.write(`${progressLine(result, done, total)}\n`)
          else if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total} checks`)
        },
      }
      const report = await runConformance(run)
      if (options.quiet !== true && options.verbose !== true && process.stderr.isTTY) process.stderr.write('\n')
      process.stdout.write(formatConsoleReport(report, { verbose: options.verbose === true }))
      const outputs: [string | undefined, string][] = [
        [options.json, formatJsonReport(report)],
        [options.junit, formatJUnitReport(report)],
        [options.html, formatHtmlReport(report)],
      ]
      for (const [file, text] of outputs)
        if (file !== undefined) {
          await writeFile(file, text)
          if (options.quiet !== true) process.stderr.write(`wrote ${file}\n`)
        }
      process.exitCode = report.totals.failed > 0 ? 1 : 0
    })
}
