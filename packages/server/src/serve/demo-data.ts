/**
 * The reference server's demo utility data: unless the configuration says otherwise, the server
 * starts with a small generated set (12 customers, one year) beside the fixture customers, so
 * every Customer Data API of CDS-WG3-01 §10 has something to show. Set `CDS_DEMO_DATA`
 * (`customers,years,seed`) or `customer_data.demo_data` in a configuration file to change it.
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import type { ServerConfig } from '../config/config-schema.js'

/** The set the reference server generates when nothing is configured: small enough to start in seconds. */
export const DEFAULT_DEMO_DATA = { customers: 12, years: 1, seed: 'cds-ts-demo' } as const

/** The login hint printed in the banner. */
export const DEMO_LOGIN_HINT = 'generated customers: customer001@demo-utility.example … (password "demo-customer-password")'

/**
 * `config` with demo data on when neither the environment nor the configuration file chose.
 *
 * @example
 * ```ts
 * const config = withDefaultDemoData(await loadConfig(), process.env)
 * ```
 */
export function withDefaultDemoData(config: ServerConfig, env: { CDS_DEMO_DATA?: string | undefined }, configFile: boolean): ServerConfig {
  if (config.customer_data.demo_data !== null || env.CDS_DEMO_DATA !== undefined || configFile) return config
  return { ...config, customer_data: { ...config.customer_data, demo_data: { ...DEFAULT_DEMO_DATA } } }
}
