/**
 * Fixtures of the live tests: the server started by `global-setup.ts`, a registration with the
 * secrets of all its Client objects, the operator API, and chromium for the customer's side of
 * an authorization.
 */
import { existsSync } from 'node:fs'
import { chromium, type Browser } from 'playwright-core'
import { inject } from 'vitest'
import { CdsClient, type CdsClientOptions, type ClientCredentials, type Decoded } from '../src/index.js'
import type { Client } from '@cds-ts/schema'

/** The server of this run. */
export function liveServer(): { baseUrl: string; operatorToken: string } {
  return inject('cdsServer')
}

/** A registration: the Client Admin `CdsClient`, every Client object, and a `CdsClient` per Client object. */
export interface Registration {
  admin: CdsClient
  registration: { client_id: string; client_secret: string }
  clients: Decoded<Client>[]
  /** The credentials of the first Client object registered for `scope` (production before sandbox). */
  credentialsFor(scope: string): ClientCredentials
  /** A `CdsClient` for that Client object. */
  clientFor(scope: string): CdsClient
  clientObject(scope: string): Decoded<Client>
}

/** Discovers the live server and registers a Client for `scopes` (plus `cds_client_admin`). */
export async function register(scopes: readonly string[], options: CdsClientOptions = {}, name = 'SDK live test'): Promise<Registration> {
  const cds = await CdsClient.discover(liveServer().baseUrl, options)
  const registered = await cds.register({ scope: ['cds_client_admin', ...scopes], client_name: name, cds_company_name: 'SDK Tests Inc.' })
  const admin = cds.withClient({ client_id: registered.client_id, client_secret: registered.client_secret })
  const clients: Decoded<Client>[] = []
  for await (const client of admin.clients.all()) clients.push(client)
  const secrets = new Map<string, string>()
  for await (const credential of admin.credentials.all()) if (credential.client_secret !== undefined) secrets.set(credential.client_id, credential.client_secret)
  const clientObject = (scope: string) => {
    const found = clients.filter((c) => c.scope.split(' ').includes(scope)).sort((a, b) => (a.cds_status === 'production' ? 0 : 1) - (b.cds_status === 'production' ? 0 : 1))[0]
    if (found === undefined) throw new Error(`no Client object for ${scope}`)
    return found
  }
  const credentialsFor = (scope: string) => {
    const client = clientObject(scope)
    const secret = secrets.get(client.client_id)
    if (secret === undefined) throw new Error(`no secret for ${client.client_id}`)
    return { client_id: client.client_id, client_secret: secret }
  }
  return {
    admin,
    registration: { client_id: registered.client_id, client_secret: registered.client_secret },
    clients,
    credentialsFor,
    clientFor: (scope) => admin.withClient(credentialsFor(scope)),
    clientObject,
  }
}

/** Calls the operator API of the live server. */
export async function operator(method: string, path: string, body?: unknown, query = ''): Promise<Response> {
  const { baseUrl, operatorToken } = liveServer()
  const headers: Record<string, string> = { authorization: `Bearer ${operatorToken}` }
  let payload: BodyInit | undefined
  if (body instanceof Uint8Array) {
    payload = new Uint8Array(body)
    headers['content-type'] = 'application/octet-stream'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['content-type'] = 'application/json'
  }
  return fetch(`${baseUrl}${path}${query}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) })
}

/** The operator's `registration_id` of a registration, by its Client Admin `client_id`. */
export async function registrationIdOf(adminClientId: string): Promise<string> {
  const response = await operator('GET', '/operator/registrations')
  const { registrations } = (await response.json()) as { registrations: { registration_id: string; admin_client_id: string }[] }
  const found = registrations.find((r) => r.admin_client_id === adminClientId)
  if (found === undefined) throw new Error(`no registration of ${adminClientId}`)
  return found.registration_id
}

/** Debian's chromium, headless and quiet (the flags of packages/server/test/browser). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = '/usr/bin/chromium'
  if (!existsSync(executablePath)) throw new Error(`chromium is not installed at ${executablePath}`)
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

/** A controllable clock for token expiry. */
export function manualClock(start = Date.now()): { now: () => number; advance: (ms: number) => void } {
  let current = start
  return {
    now: () => current,
    advance: (ms) => {
      current += ms
    },
  }
}
