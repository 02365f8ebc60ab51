/**
 * How `cds admin` talks to a server's operator API: HTTP with `fetch`, the operator token as a
 * Bearer token (RFC 6750 §2.1), JSON bodies written with the lossless writer of `@cds-ts/schema`
 * (so decimals keep their digits), and the server's `{ error, error_description }` answer turned
 * into an {@link OperatorRefusal} (exit code 1).
 *
 * @module
 */
import { parseJson, stringifyJson } from '@cds-ts/schema'
import type { Command } from 'commander'

/** The options every `cds admin` subcommand shares (set on `cds admin`). */
export interface AdminOptions {
  url?: string
  token?: string
  json?: boolean
}

/** Where and as whom a subcommand calls: the server's base URL and the operator token. */
export interface OperatorTarget {
  base: string
  token: string
  json: boolean
}

/** The server answered with an error: printed with its code and description, exit code 1. */
export class OperatorRefusal extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly error_description: string | undefined,
  ) {
    super(`${status} ${error}${error_description === undefined ? '' : `: ${error_description}`}`)
    this.name = 'OperatorRefusal'
  }
}

/**
 * The target of a subcommand from the options of `cds admin`: `--url` (or `CDS_OPERATOR_URL`) and
 * `--token` (or `CDS_OPERATOR_TOKEN`). A missing or malformed value is a usage error (exit code 2).
 *
 * @see CDS-WG1-02 §11.2 Restricted Access
 */
export function operatorTarget(command: Command, env: NodeJS.ProcessEnv = process.env): OperatorTarget {
  const options = command.optsWithGlobals<AdminOptions>()
  const url = options.url ?? env.CDS_OPERATOR_URL
  const token = options.token ?? env.CDS_OPERATOR_TOKEN
  if (url === undefined || url === '') command.error('error: the server is missing: pass --url <server> or set CDS_OPERATOR_URL', { exitCode: 2 })
  if (token === undefined || token === '') command.error('error: the operator token is missing: pass --token <token> or set CDS_OPERATOR_TOKEN', { exitCode: 2 })
  let base: URL
  try {
    base = new URL(url)
  } catch {
    command.error(`error: --url ${url} is not a URL`, { exitCode: 2 })
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') command.error(`error: --url ${url} is not an http(s) URL`, { exitCode: 2 })
  return { base: base.origin, token, json: options.json === true }
}

/** A request body: JSON (written losslessly), or raw bytes streamed with their length. */
export type RequestBody = { json: unknown } | { stream: ReadableStream<Uint8Array>; length: number; type: string }

/**
 * Calls the operator API and returns the parsed JSON answer.
 *
 * @param path a path with query under the server's origin (`/operator/...`), or an absolute URL
 *   the server gave (a `next` link)
 * @throws {OperatorRefusal} when the server answers with a status of 400 or more
 * @throws {Error} when the server cannot be reached or does not answer JSON
 */
export async function operatorCall(target: OperatorTarget, method: 'GET' | 'POST' | 'PUT', path: string, body?: RequestBody): Promise<unknown> {
  const url = path.startsWith('http') ? path : `${target.base}${path}`
  const headers: Record<string, string> = { authorization: `Bearer ${target.token}`, accept: 'application/json' }
  const init: RequestInit & { duplex?: 'half' } = { method, headers }
  if (body !== undefined && 'json' in body) {
    headers['content-type'] = 'application/json'
    init.body = stringifyJson(body.json)
  } else if (body !== undefined) {
    headers['content-type'] = body.type
    headers['content-length'] = String(body.length)
    init.body = body.stream
    // Node's fetch sends a stream body only half-duplex.
    init.duplex = 'half'
  }
  let response: Response
  try {
    response = await fetch(url, init)
  } catch (error) {
    const reason = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)
    throw new Error(`cannot reach ${url}: ${reason}`, { cause: error })
  }
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : parseJson(text)
  } catch (error) {
    throw new Error(`${method} ${url} answered ${response.status} with a body that is not JSON`, { cause: error })
  }
  if (response.status >= 400) {
    const error = parsed as { error?: unknown; error_description?: unknown } | undefined
    throw new OperatorRefusal(
      response.status,
      typeof error?.error === 'string' ? error.error : 'error',
      typeof error?.error_description === 'string' ? error.error_description : undefined,
    )
  }
  return parsed
}
