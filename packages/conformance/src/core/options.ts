/**
 * The options of a conformance run and their defaults.
 *
 * @module
 */
import type { CheckResult } from './result.js'
import type { SpecId } from './check.js'

/** Client credentials of one Client object (RFC 6749 §2.3.1). */
export interface ClientCredentials {
  client_id: string
  client_secret: string
}

/** A test customer who can log in to the server's authorization pages (CDS-WG3-01 §9). */
export interface TestCustomer {
  username: string
  password: string
}

/** The operator test API: server-initiated behaviour on demand (documented in the docs site, "Operator test API"). */
export interface OperatorApi {
  /** Its base URL (default: the server's base URL). Routes are under `/operator/`. */
  baseUrl?: string
  /** The bearer token that guards it. */
  token: string
}

/** A headless browser for the authorization form; `playwright-core` must be installed. */
export interface BrowserOptions {
  /** The Chromium executable (for example `/usr/bin/chromium`). */
  executablePath: string
  /** Extra launch flags. */
  args?: readonly string[]
}

/** The options of {@link runConformance}. */
export interface ConformanceOptions {
  /** The server's base URL: where `/.well-known/cds-server-metadata.json` is. */
  baseUrl: string
  /**
   * The `cds_client_admin` Client object to use. Without it the suite registers itself when the
   * server's registration is open, and skips the checks that need a registration when it is not.
   */
  client?: ClientCredentials
  /** Whether the suite may register Client objects of its own besides the given `client` (default true). */
  allowRegistration?: boolean
  /** Fields added to the suite's registration request (for example required `cds_*` registration fields). */
  registration?: Record<string, unknown>
  /** Test customers (CDS-WG3-01 §9); without them the checks that need one are skipped. */
  customers?: readonly TestCustomer[]
  /** A headless browser; without it the authorization-form checks are skipped. */
  browser?: BrowserOptions
  /** The operator test API; without it the checks of server-initiated behaviour are skipped. */
  operator?: OperatorApi
  /** Run only these specs. */
  specs?: readonly SpecId[]
  /** Run only the checks whose ID starts with one of these strings. */
  only?: readonly string[]
  /** Accept `http:` URLs on loopback hosts where the specs ask for `https:` (for local servers; default false). */
  allowLoopbackHttp?: boolean
  /** The `fetch` to use (default: the global one). */
  fetch?: typeof fetch
  /** The timeout of one request in milliseconds (default 15 000). */
  requestTimeoutMs?: number
  /** The timeout of one check in milliseconds (default 60 000). */
  checkTimeoutMs?: number
  /**
   * The CDS-WG3-01 §4 Scenarios the server claims, by section (for example `['4.4', '4.11']`). A
   * server publishes no such claim (R3-01-4-02), so the checks of a Scenario's rows are not
   * applicable unless the run names it.
   */
  scenarios?: readonly string[]
  /** Called after every check, for progress output. */
  onResult?: (result: CheckResult, done: number, total: number) => void
}
