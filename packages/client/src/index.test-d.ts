/* eslint-disable @typescript-eslint/unbound-method -- methods are only referenced for their types here, never called */
/**
 * Type tests of the public API: the typed filters match the schema's query parameters one for
 * one and refuse what does not fit; responses are the schema types with exact decimals; errors
 * narrow by `code`.
 */
import type {
  Account,
  AccountListing,
  AccountListingQuery,
  AggregationListingQuery,
  BillSectionListingQuery,
  BillStatement,
  BillStatementListingQuery,
  ClientListingQuery,
  CredentialListingQuery,
  EacListingQuery,
  Grant,
  GrantListingQuery,
  MessageListingQuery,
  MeterDeviceListingQuery,
  ServerProvidedFileListingQuery,
  ServiceContractListingQuery,
  ServicePointListingQuery,
  UsageSegment,
  UsageSegmentListingQuery,
} from '@cds-ts/schema'
import { describe, expectTypeOf, it } from 'vitest'
import {
  CdsError,
  type AccountFilters,
  type AggregationFilters,
  type BillSectionFilters,
  type BillStatementFilters,
  type CdsClient,
  type ClientFilters,
  type CredentialFilters,
  type Decimal,
  type Decoded,
  type EacFilters,
  type GrantFilters,
  type MessageFilters,
  type MeterDeviceFilters,
  type ServerProvidedFileFilters,
  type ServiceContractFilters,
  type ServicePointFilters,
  type TokenSet,
  type TokenSource,
  type UsageSegmentFilters,
} from './index.js'

declare const cds: CdsClient

describe('typed filters', () => {
  it('name exactly the query parameters of each listing schema', () => {
    expectTypeOf<keyof ClientFilters>().toEqualTypeOf<keyof ClientListingQuery>()
    expectTypeOf<keyof MessageFilters>().toEqualTypeOf<keyof MessageListingQuery>()
    expectTypeOf<keyof CredentialFilters>().toEqualTypeOf<keyof CredentialListingQuery>()
    expectTypeOf<keyof GrantFilters>().toEqualTypeOf<keyof GrantListingQuery>()
    expectTypeOf<keyof ServerProvidedFileFilters>().toEqualTypeOf<keyof ServerProvidedFileListingQuery>()
    expectTypeOf<keyof AccountFilters>().toEqualTypeOf<keyof AccountListingQuery>()
    expectTypeOf<keyof ServiceContractFilters>().toEqualTypeOf<keyof ServiceContractListingQuery>()
    expectTypeOf<keyof ServicePointFilters>().toEqualTypeOf<keyof ServicePointListingQuery>()
    expectTypeOf<keyof MeterDeviceFilters>().toEqualTypeOf<keyof MeterDeviceListingQuery>()
    expectTypeOf<keyof BillStatementFilters>().toEqualTypeOf<keyof BillStatementListingQuery>()
    expectTypeOf<keyof BillSectionFilters>().toEqualTypeOf<keyof BillSectionListingQuery>()
    expectTypeOf<keyof AggregationFilters>().toEqualTypeOf<keyof AggregationListingQuery>()
    expectTypeOf<keyof UsageSegmentFilters>().toEqualTypeOf<keyof UsageSegmentListingQuery>()
    expectTypeOf<keyof EacFilters>().toEqualTypeOf<keyof EacListingQuery>()
  })

  it('take lists, ready strings, known enum values and Dates; refuse the rest', () => {
    expectTypeOf(cds.grants.list).toBeCallableWith({ statuses: ['active', 'needs_authorization'], after: new Date() })
    expectTypeOf(cds.grants.list).toBeCallableWith({ statuses: 'active pending', client_ids: ['c1'] })
    // Extensible enumerations (CDS-WG1-02 §10): a value a newer server defines is accepted too.
    expectTypeOf(cds.grants.list).toBeCallableWith({ statuses: ['vendor_status'] })
    // @ts-expect-error -- a status is a string
    void cds.grants.list({ statuses: [42] })
    // @ts-expect-error -- no such filter on the Grants listing
    void cds.grants.list({ account_numbers: ['1'] })
    // @ts-expect-error -- a datetime filter is a string or a Date
    void cds.grants.list({ after: 1_700_000_000 })
    const data = cds.customerData('token')
    expectTypeOf(data.accounts.list).toBeCallableWith({ account_statuses: ['active', 'closed'], q: 'main street' })
    expectTypeOf(data.billStatements.list).toBeCallableWith({ before: '2026-01-31', after: new Date() })
    expectTypeOf(data.serviceContracts.list).toBeCallableWith({ service_types: ['electric'], contract_statuses: ['active'] })
    // @ts-expect-error -- q is one search term
    void data.accounts.list({ q: ['a', 'b'] })
  })
})

describe('typed responses', () => {
  it('listings and items are the schema types, decimals as Decimal', () => {
    const data = cds.customerData({ scope: 'cds_usage' })
    expectTypeOf(data.accounts.list).returns.resolves.toEqualTypeOf<Decoded<AccountListing>>()
    expectTypeOf(data.accounts.all).returns.toEqualTypeOf<AsyncGenerator<Decoded<Account>, void, undefined>>()
    expectTypeOf<Decoded<BillStatement>['amount_due']>().toEqualTypeOf<Decimal>()
    expectTypeOf<Decoded<BillStatement>['shutoff_prevention_minimum_due']>().toEqualTypeOf<Decimal | null>()
    expectTypeOf<Decoded<BillStatement>['currency']>().toEqualTypeOf<string>()
    expectTypeOf<Decoded<UsageSegment>['interval']>().toEqualTypeOf<Decimal>()
    expectTypeOf(cds.grants.get).returns.resolves.toEqualTypeOf<Decoded<Grant>>()
    expectTypeOf(cds.grants.modify).returns.resolves.toEqualTypeOf<{ status: 200 | 202; grant: Decoded<Grant> }>()
    expectTypeOf(cds.serverProvidedFiles('t').download).returns.resolves.toEqualTypeOf<Response>()
  })

  it('token sources are a request, a token set or an access token', () => {
    expectTypeOf<string>().toExtend<TokenSource>()
    expectTypeOf<TokenSet>().toExtend<TokenSource>()
    expectTypeOf<{ scope: string[]; authorization_details: [{ type: 'cds_usage'; account_numbers: string[] }] }>().toExtend<TokenSource>()
    expectTypeOf(cds.token).returns.resolves.toEqualTypeOf<TokenSet>()
  })
})

describe('errors', () => {
  it('narrow by class and by code', () => {
    const check = (err: unknown) => {
      if (!(err instanceof CdsError)) return
      switch (err.code) {
        case 'RESPONSE_BODY_ERROR':
        case 'WWW_AUTHENTICATE_ERROR':
          return
        case 'AUTHORIZATION_RESPONSE_ERROR':
          return
        default:
          expectTypeOf(err.code).toExtend<string>()
      }
    }
    expectTypeOf(check).toBeFunction()
  })
})
