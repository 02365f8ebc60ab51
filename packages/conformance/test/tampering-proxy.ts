/**
 * A deliberately broken server for the suite's own tests: an HTTP proxy on 127.0.0.1 in front of
 * the live reference server that changes requests or responses on the way, so a test can show that
 * the matching checks fail. It rewrites the server's base URL to its own in both directions, so
 * every URL the metadata publishes leads back through the proxy.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ConformanceOptions } from '../src/index.js'
import type { LiveServer } from './live-server.js'

/** A request on its way to the server; `path` includes the query string. */
export interface ProxiedRequest {
  method: string
  path: string
  headers: Record<string, string>
  body: string
}

/** A response on its way back (base URL already rewritten in `body` and `location`). */
export interface ProxiedResponse {
  method: string
  path: string
  status: number
  headers: Record<string, string>
  body: string
}

/** How the proxy breaks the server: return the changed request or response, or nothing to leave it. */
export interface Tamper {
  request?: (request: ProxiedRequest) => Partial<ProxiedRequest> | undefined
  response?: (response: ProxiedResponse) => Partial<Omit<ProxiedResponse, 'method' | 'path'>> | undefined
}

/** A running proxy. */
export interface TamperingProxy {
  baseUrl: string
  /** The live server's options with the proxy's base URL. */
  options: ConformanceOptions
  close: () => Promise<void>
}

// Hop-by-hop and length headers are the proxy's own business.
const DROPPED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host', 'content-encoding'])

function headersOf(message: IncomingMessage | Headers): Record<string, string> {
  const out: Record<string, string> = {}
  const entries = message instanceof Headers ? [...message.entries()] : Object.entries(message.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')] as const)
  for (const [name, value] of entries) if (!DROPPED.has(name.toLowerCase())) out[name.toLowerCase()] = value
  return out
}

async function readBody(message: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of message) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Starts a proxy in front of `server` that applies `tamper`. */
export async function startTamperingProxy(server: LiveServer, tamper: Tamper = {}): Promise<TamperingProxy> {
  const target = server.baseUrl
  let self = ''
  const swap = (text: string, from: string, to: string) => (from === '' ? text : text.split(from).join(to))
  const proxy: Server = createServer((incoming, outgoing) => {
    void (async () => {
      let request: ProxiedRequest = {
        method: incoming.method ?? 'GET',
        path: swap(incoming.url ?? '/', encodeURIComponent(self), encodeURIComponent(target)),
        headers: headersOf(incoming),
        body: swap(swap(await readBody(incoming), self, target), encodeURIComponent(self), encodeURIComponent(target)),
      }
      request = { ...request, ...(tamper.request?.(request) ?? {}) }
      const reply = await fetch(`${target}${request.path}`, {
        method: request.method,
        headers: request.headers,
        redirect: 'manual',
        ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body: request.body }),
      })
      const headers = headersOf(reply.headers)
      if (headers.location !== undefined) headers.location = swap(headers.location, target, self)
      // Binary bodies (bill files, Server-Provided Files) pass through untouched.
      const binary = !/json|text|html|xml|javascript|css|urlencoded/.test(headers['content-type'] ?? 'text/plain')
      const raw = Buffer.from(await reply.arrayBuffer())
      let response: ProxiedResponse = { method: request.method, path: request.path, status: reply.status, headers, body: binary ? '' : swap(raw.toString('utf8'), target, self) }
      response = { ...response, ...(binary ? {} : (tamper.response?.(response) ?? {})) }
      const body = binary ? raw : Buffer.from(response.body, 'utf8')
      outgoing.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) })
      outgoing.end(body)
    })().catch((error: unknown) => {
      outgoing.writeHead(502, { 'content-type': 'text/plain' })
      outgoing.end(`tampering proxy: ${String(error)}`)
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  self = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  return {
    baseUrl: self,
    options: { ...server.options, baseUrl: self },
    close: () => new Promise<void>((resolve) => proxy.close(() => resolve())),
  }
}

/** A JSON response body changed by `edit` (for tampers that drop or change members). */
export function editJson(body: string, edit: (value: Record<string, unknown>) => void): string {
  const value = JSON.parse(body) as Record<string, unknown>
  edit(value)
  return JSON.stringify(value)
}
