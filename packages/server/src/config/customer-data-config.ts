/**
 * The `customer_data` section of the server configuration: whether the Customer Data APIs of
 * CDS-WG3-01 §10 are served, what a direct-access Client may see before its preselections
 * (§6.2), the demo data set, and the reference maps the metadata publishes (§5).
 *
 * @see CDS-WG3-01 §10 Customer Data API
 * @module
 */
import { Cds, EacDataFormatDescription, ValueTypeDescription } from '@cds-ts/schema'
import Type, { type Static } from 'typebox'

/**
 * The synthetic demo data generated at start (`demo-data/seed.ts`).
 *
 * @see CDS-WG3-01 §10 Customer Data API
 */
export const DemoDataConfig = Type.Object(
  {
    customers: Type.Integer({ minimum: 0, description: 'How many synthetic customers to generate.' }),
    years: Type.Integer({ minimum: 1, maximum: 10, description: 'Years of history per customer (1–10).' }),
    seed: Type.String({ minLength: 1, description: 'Seed of the generator: the same seed gives the same data.' }),
  },
  { description: 'Synthetic demo Customer Data generated at start when the database has none.' },
)
export type DemoDataConfig = Static<typeof DemoDataConfig>

/**
 * Customer Data options CDS-WG3-01 leaves to the server.
 *
 * @see CDS-WG3-01 §5 Server Metadata
 * @see CDS-WG3-01 §6.2 Direct Access Scopes
 */
export const CustomerDataConfig = Type.Object(
  {
    enabled: Type.Boolean({ description: 'Serve the Customer Data listings of CDS-WG3-01 §10 and publish their URLs (§5). Default true.' }),
    direct_access_base: Type.Union([Type.Literal('all'), Type.Literal('none')], {
      description:
        'What a direct-access (`cds_query_*`) Client may see before its preselections narrow it (CDS-WG3-01 §6.2, catalog §1.4 step 2): `all` objects, or `none`. Default `all`.',
    }),
    demo_data: Type.Union([DemoDataConfig, Type.Null()], {
      description: 'Generate synthetic demo data at start (`CDS_DEMO_DATA=customers,years,seed`); null for none. Default null.',
    }),
    eac_formats: Cds.Map(EacDataFormatDescription, {
      description: 'EAC data formats, keyed by `id`, published as `cds_eac_formats` with the EAC API (CDS-WG3-01 §5, §10.9.3).',
    }),
    additional_value_types: Cds.Map(ValueTypeDescription, {
      description:
        'Additional Usage Segment Value Types, keyed by `type` (A-47), published as `cds_usagesegments_additional_value_types` (CDS-WG3-01 §5, §10.8.6). Default {}.',
    }),
  },
  { description: 'Customer Data options (CDS-WG3-01 §5, §6.2, §10).' },
)
export type CustomerDataConfig = Static<typeof CustomerDataConfig>

/** Id of the demo EAC data format. */
export const DEMO_EAC_FORMAT = 'cds_ts_demo_eac_v1'

/**
 * The default `customer_data` section: the APIs on, direct access over everything, no demo data,
 * one demo EAC format and no additional value types.
 *
 * @see CDS-WG3-01 §5 Server Metadata
 */
export function defaultCustomerDataConfig(baseUrl: string): CustomerDataConfig {
  return {
    enabled: true,
    direct_access_base: 'all',
    demo_data: null,
    eac_formats: {
      [DEMO_EAC_FORMAT]: {
        id: DEMO_EAC_FORMAT,
        name: 'cds-ts demo EAC',
        description: 'The JSON document the reference server links from `eac_data_url` for its synthetic certificates.',
        documentation: `${baseUrl}/docs/customer-data/eacs#${DEMO_EAC_FORMAT}`,
      },
    },
    additional_value_types: {},
  }
}

/**
 * Reads `CDS_DEMO_DATA` (`customers,years,seed`, e.g. `50,3,demo`): the demo data option, or an
 * error message.
 */
export function parseDemoDataEnv(value: string): DemoDataConfig | string {
  const match = /^(\d{1,7}),(\d{1,2}),(.+)$/.exec(value.trim())
  if (match === null) return `${JSON.stringify(value)} is not customers,years,seed (for example 50,3,demo)`
  const years = Number(match[2])
  if (years < 1 || years > 10) return `${JSON.stringify(value)}: years must be 1 to 10`
  return { customers: Number(match[1]), years, seed: match[3] as string }
}
