/**
 * The Customer Data APIs of CDS-WG3-01 §10 behind one token: each listing's URL comes from the
 * `cds_*_api` members of the Authorization Server Metadata (CDS-WG3-01 §5), and a listing the
 * server does not offer fails with `MISSING_ENDPOINT` when it is called.
 *
 * @module
 */
import type { ApiSession } from '../session.js'
import { AccountsApi } from './accounts.js'
import { AggregationsApi } from './aggregations.js'
import { BillSectionsApi } from './bill-sections.js'
import { BillStatementsApi } from './bill-statements.js'
import { EacsApi } from './eacs.js'
import { MeterDevicesApi } from './meter-devices.js'
import { ServiceContractsApi } from './service-contracts.js'
import { ServicePointsApi } from './service-points.js'
import { UsageSegmentsApi } from './usage-segments.js'

/**
 * The metadata member of each Customer Data API URL (CDS-WG3-01 §5).
 *
 * @see CDS-WG3-01 §5 Server Metadata
 */
export type CustomerDataApiMember =
  | 'cds_accounts_api'
  | 'cds_servicecontracts_api'
  | 'cds_servicepoints_api'
  | 'cds_meterdevices_api'
  | 'cds_billstatement_api'
  | 'cds_billsection_api'
  | 'cds_aggregations_api'
  | 'cds_usagesegments_api'
  | 'cds_eacs_api'

/**
 * Every Customer Data listing, read with one token (from a customer's authorization, a Grant
 * Admin token, or a direct-access `client_credentials` token).
 *
 * @example
 * ```ts
 * const data = cds.customerData(tokens)
 * for await (const segment of data.usageSegments.all({ after: new Date('2025-01-01') })) console.log(segment.segment_start)
 * ```
 * @see CDS-WG3-01 §10 Customer Data API
 */
export class CustomerDataApi {
  /** @see CDS-WG3-01 §10.1 Accounts API */
  readonly accounts: AccountsApi
  /** @see CDS-WG3-01 §10.2 Service Contracts API */
  readonly serviceContracts: ServiceContractsApi
  /** @see CDS-WG3-01 §10.3 Service Points API */
  readonly servicePoints: ServicePointsApi
  /** @see CDS-WG3-01 §10.4 Meter Devices API */
  readonly meterDevices: MeterDevicesApi
  /** @see CDS-WG3-01 §10.5 Bill Statements API */
  readonly billStatements: BillStatementsApi
  /** @see CDS-WG3-01 §10.6 Bill Sections API */
  readonly billSections: BillSectionsApi
  /** @see CDS-WG3-01 §10.7 Aggregations API */
  readonly aggregations: AggregationsApi
  /** @see CDS-WG3-01 §10.8 Usage Segments API */
  readonly usageSegments: UsageSegmentsApi
  /** @see CDS-WG3-01 §10.9 Energy Attribute Certificates API */
  readonly eacs: EacsApi

  /** @param url the URL of one API, from the metadata; throws `MISSING_ENDPOINT` when absent */
  constructor(session: ApiSession, url: (member: CustomerDataApiMember) => string) {
    this.accounts = new AccountsApi(session, () => url('cds_accounts_api'))
    this.serviceContracts = new ServiceContractsApi(session, () => url('cds_servicecontracts_api'))
    this.servicePoints = new ServicePointsApi(session, () => url('cds_servicepoints_api'))
    this.meterDevices = new MeterDevicesApi(session, () => url('cds_meterdevices_api'))
    this.billStatements = new BillStatementsApi(session, () => url('cds_billstatement_api'))
    this.billSections = new BillSectionsApi(session, () => url('cds_billsection_api'))
    this.aggregations = new AggregationsApi(session, () => url('cds_aggregations_api'))
    this.usageSegments = new UsageSegmentsApi(session, () => url('cds_usagesegments_api'))
    this.eacs = new EacsApi(session, () => url('cds_eacs_api'))
  }
}
