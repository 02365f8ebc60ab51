/**
 * What `cds admin` prints: the server's JSON answer as it is (`--json`), or a readable table or
 * summary; and how it ends: exit code 0, 1 when the server refused (its error printed), 2 for a
 * usage error (commander's).
 *
 * @module
 */
import { stringifyJson } from '@cds-ts/schema'
import type { Command } from 'commander'
import { operatorCall, OperatorRefusal, operatorTarget, type OperatorTarget, type RequestBody } from './http.js'

/** One column of a table: its heading and how to read the cell from a row. */
export interface Column<T> {
  heading: string
  cell: (row: T) => string
}

/** Writes rows as a left-aligned table with a heading line; "(none)" when there is no row. */
export function table<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  if (rows.length === 0) return '(none)\n'
  const cells = rows.map((row) => columns.map((column) => column.cell(row).replace(/\s+/g, ' ')))
  const widths = columns.map((column, i) => Math.max(column.heading.length, ...cells.map((line) => line[i]?.length ?? 0)))
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => (i === values.length - 1 ? value : value.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return `${[line(columns.map((c) => c.heading)), ...cells.map(line)].join('\n')}\n`
}

/** Cuts a text to `max` characters, with an ellipsis. */
export function short(text: string | null | undefined, max = 48): string {
  if (text === null || text === undefined) return ''
  return text.length <= max ? text : `${text.slice(0, max - 1)}\u2026`
}

/** The JSON answer of the server, pretty-printed with decimals unchanged. */
export function json(value: unknown): string {
  return `${stringifyJson(value, 2)}\n`
}

/**
 * Runs one subcommand: resolves the target, calls the server through `work`, prints the answer
 * (`--json`: as JSON; otherwise through `render`). A refusal by the server prints its error on
 * stderr and sets exit code 1.
 */
export async function runAdmin<T>(command: Command, work: (target: OperatorTarget) => Promise<T>, render: (answer: T) => string): Promise<void> {
  const target = operatorTarget(command)
  try {
    const answer = await work(target)
    process.stdout.write(target.json ? json(answer) : render(answer))
  } catch (error) {
    if (!(error instanceof OperatorRefusal)) throw error
    process.stderr.write(`cds admin: the server refused: ${error.message}\n`)
    process.exitCode = 1
  }
}

/** A listing page: its items under `key`, and its links. */
export interface Page {
  next: string | null
  previous: string | null
}

/**
 * Gets a listing: the first page, or with `all` every page by following `next` links. Returns one
 * object with every item under `key` and the `next` link of the last page fetched.
 */
export async function listing<K extends string, T>(target: OperatorTarget, path: string, key: K, all: boolean): Promise<Record<K, T[]> & Page> {
  let page = (await operatorCall(target, 'GET', path)) as Record<K, T[]> & Page
  const items = [...page[key]]
  while (all && page.next !== null) {
    page = (await operatorCall(target, 'GET', page.next)) as Record<K, T[]> & Page
    items.push(...page[key])
  }
  return { ...page, [key]: items }
}

/** The hint printed under a table when there are more pages. */
export function more(page: Page): string {
  return page.next === null ? '' : `more: run again with --all, or fetch ${page.next}\n`
}

/** A JSON body of the members that are set: members whose value is `undefined` are left out. */
export function body(value: Record<string, unknown>): RequestBody {
  return { json: Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) }
}

/** A query string from the parameters that are set (`?a=1&b=x%20y`), or `''`. */
export function query(parameters: Record<string, string | undefined>): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== '') search.set(name, value)
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}

/** A list option given as words or comma-separated (`--status open,pending`) as the server's space-separated form. */
export function words(values: readonly string[] | undefined): string | undefined {
  if (values === undefined) return undefined
  return values
    .flatMap((value) => value.split(/[\s,]+/))
    .filter((value) => value !== '')
    .join(' ')
}
