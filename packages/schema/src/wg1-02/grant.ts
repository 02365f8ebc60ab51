/**
 * The Grants API objects (CDS-WG1-02 §8): the Grant, its statuses, the listing with its
 * filters, and the PATCH body that narrows or closes a Grant.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { authorizationDetailsList } from './open-authorization-detail.js'

/**
 * The state of a Grant (CDS-WG1-02 §8.2). Extensible (CDS-WG1-02 §10).
 *
 * @see CDS-WG1-02 §8.2 Grant Statuses
 */
export const GrantStatus = Cds.Enum(
  [
    'active',
    'future',
    'pending',
    'partial',
    'needs_authorization',
    'needs_sub_grants',
    'disabled',
    'suspended',
    'revoked',
    'closed',
    'expired',
    'delayed',
    'stopped',
    'errored',
  ],
  {
    $id: 'GrantStatus',
    description: 'The state of a Grant and how much access it gives (CDS-WG1-02 §8.2). Extensible (CDS-WG1-02 §10).',
  },
)
export type GrantStatus = Static<typeof GrantStatus>

const statusIn = (...statuses: string[]) => ({ required: ['status'], properties: { status: { enum: statuses } } })

/**
 * An authorization a Client holds, from a user or from the client credentials grant
 * (CDS-WG1-02 §8.1). All 19 fields are always present.
 *
 * @see CDS-WG1-02 §8.1 Grant Object Format
 */
export const Grant = Type.Object(
  {
    grant_id: Type.String({ description: 'Unique identifier of the Grant.' }),
    uri: Cds.Url({ description: 'Where to GET or PATCH this Grant.' }),
    replacing: Type.Array(Cds.Url(), { description: 'The `uri`s of the Grants this one supersedes; `[]` when none.' }),
    replaced_by: Type.Array(Cds.Url(), { description: 'The `uri`s of the Grants that supersede this one; `[]` when none.' }),
    parent: Cds.Nullable(Type.String(), { description: 'The `grant_id` of the parent Grant, or null for a Grant that is not a sub-Grant.' }),
    children: Type.Array(Type.String(), { description: 'The `grant_id`s of the sub-Grants; `[]` when none.' }),
    created: Cds.DateTime({ description: 'When the Grant was created.' }),
    modified: Cds.DateTime({ description: 'When the Grant was last modified; equal to `created` until then.' }),
    not_before: Cds.Nullable(Cds.DateTime(), { description: 'When a `future` Grant starts; null when access began at creation.' }),
    not_after: Cds.Nullable(Cds.DateTime(), { description: 'When the Grant turns `expired`; null when it does not expire.' }),
    eta: Cds.Nullable(Cds.DateTime(), { description: 'Expected end of the `pending` state; null in any other state.' }),
    expires: Cds.Nullable(Cds.DateTime(), { description: 'When the Server removes the access; null when indefinite (overlaps `not_after`, A-24).' }),
    status: GrantStatus,
    client_id: Type.String({ description: 'The Client object the Grant is issued to.' }),
    scope: Type.String({ description: 'Space-separated scopes the Grant gives access to.' }),
    authorization_details: authorizationDetailsList('Authorization details granted on top of `scope` (RFC 9396); `[]` when none.'),
    receipt_confirmations: Type.Array(Type.String(), {
      description: 'Receipt codes shown to the users who authorized it through the code flow; `[]` otherwise.',
    }),
    enabled_scope: Type.String({ description: 'The part of `scope` enabled now: all of it, a subset, or `""` once access is removed.' }),
    enabled_authorization_details: authorizationDetailsList(
      'The part of `authorization_details` enabled now: all of it, a subset, or `[]` once access is removed.',
    ),
  },
  {
    $id: 'Grant',
    description: 'Grant object: one user or client-credentials authorization, its lifecycle dates, status and enabled access (CDS-WG1-02 §8.1).',
    allOf: [
      // CDS-WG1-02 §8.1 (R1-02-8.1-07): only a pending Grant has an estimate.
      { if: { required: ['status'], not: statusIn('pending') }, then: { properties: { eta: { type: 'null' } } } },
      // CDS-WG1-02 §8.1, §8.2 (R1-02-8.1-05): a future Grant says when it starts.
      { if: statusIn('future'), then: { properties: { not_before: { type: 'string' } } } },
      // CDS-WG1-02 §8.1, §8.2 (R1-02-8.1-06): an expired Grant says when it ended.
      { if: statusIn('expired'), then: { properties: { not_after: { type: 'string' } } } },
      // CDS-WG1-02 §8.1, §8.2 (R1-02-8.1-09, -10; A-21): these statuses end all access, so nothing stays enabled.
      {
        if: statusIn('disabled', 'revoked', 'closed', 'expired'),
        then: { properties: { enabled_scope: { maxLength: 0 }, enabled_authorization_details: { maxItems: 0 } } },
      },
    ],
  },
)
export type Grant = Static<typeof Grant>

/**
 * One page of Grants, most recently modified first (CDS-WG1-02 §8.4).
 *
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export const GrantListing = Cds.Listing('grants', Grant, {
  $id: 'GrantListing',
  description: 'Grant Listing: a page of Grants, newest `modified` first, with next/previous links (CDS-WG1-02 §8.4).',
})
export type GrantListing = Static<typeof GrantListing>

/**
 * Query parameters of the Grants API listing (CDS-WG1-02 §8.4).
 *
 * @see CDS-WG1-02 §8.4 Listing Grants
 */
export const GrantListingQuery = Type.Object(
  {
    grant_ids: Type.Optional(Type.String({ description: 'Space-separated `grant_id` values.' })),
    parents: Type.Optional(Type.String({ description: 'Space-separated parent `grant_id` values.' })),
    statuses: Type.Optional(Type.String({ description: 'Space-separated Grant `status` values.' })),
    client_ids: Type.Optional(Type.String({ description: 'Space-separated `client_id` values.' })),
    scopes: Type.Optional(
      Type.String({ description: 'Space-separated scope values, each matching a token of `scope` or the `type` of an `authorization_details` entry.' }),
    ),
    receipt_confirmations: Type.Optional(Type.String({ description: 'Space-separated receipt confirmation codes.' })),
    after: Type.Optional(Cds.DateTime({ description: 'Only Grants created at or after this datetime.' })),
    before: Type.Optional(Cds.DateTime({ description: 'Only Grants created at or before this datetime.' })),
  },
  { $id: 'GrantListingQuery', description: 'Filters of the Grant listing; several filters intersect (CDS-WG1-02 §8.4).' },
)
export type GrantListingQuery = Static<typeof GrantListingQuery>

/**
 * The body a Client PATCHes to a Grant `uri` (CDS-WG1-02 §8.6): close the Grant, or change
 * its scope or authorization details. Other members are ignored.
 *
 * @see CDS-WG1-02 §8.6 Modifying Grants
 */
export const GrantModifyRequest = Type.Object(
  {
    // CDS-WG1-02 §8.6 (R1-02-8.6-02): `closed` is the only status a Client may set.
    status: Type.Optional(Type.Literal('closed', { description: 'Close the Grant; no other status is accepted from a Client.' })),
    scope: Type.Optional(Type.String({ description: 'New scope; a wider one needs a new user authorization or sub-Grants.' })),
    authorization_details: Type.Optional(
      authorizationDetailsList('New authorization details; wider ones need a new user authorization or sub-Grants.'),
    ),
  },
  {
    $id: 'GrantModifyRequest',
    description: 'The JSON body that closes a Grant or changes its scope or authorization details (CDS-WG1-02 §8.6).',
  },
)
export type GrantModifyRequest = Static<typeof GrantModifyRequest>
