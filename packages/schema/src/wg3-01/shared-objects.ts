/**
 * Objects of the Accounts API that other WG3-01 objects reuse: the Entity (also in Service
 * Contracts and Bill Sections) and the Account Program (also in Bill Statements).
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { AccountProgramType, EntityType } from './enums-data.js'

/**
 * A utility or other central entity that serves an Account or Service Contract.
 * When no external identifier is known, `entity_number` repeats `id`; when the server publishes
 * coverage, it matches the Coverage Entry's `entity_number` (CDS-WG1-01 §4.3). Neither rule is
 * checkable by schema.
 *
 * @see CDS-WG3-01 §10.1.4 Entity Object Format
 */
export const Entity = Type.Object(
  {
    id: Type.String({ description: "The server's unique identifier of this Entity object." }),
    types: Type.Array(EntityType, { description: 'Roles and ownership of the entity; unknown values are ignored by clients.' }),
    entity_number: Type.String({ description: 'Unique identifier of the entity, e.g. a registry code; equals `id` when none is known.' }),
    entity_name: Type.String({ description: 'Name of the entity.' }),
    entity_abbreviation: Cds.Nullable(Type.String(), { description: 'Common abbreviation of the name, or null when none is known.' }),
  },
  {
    $id: 'Entity',
    description: 'Entity: the utility, supplier or other central entity behind an Account, Service Contract or Bill Section (CDS-WG3-01 §10.1.4).',
  },
)
export type Entity = Static<typeof Entity>

/**
 * The descriptive and link fields that Account Programs (§10.1.8) and Service Programs (§10.2.5)
 * share word for word; each object adds its own `types` and participation fields.
 *
 * @internal
 */
export function programLinks() {
  return {
    name: Type.String({ description: 'Program name.' }),
    description: Type.String({ description: 'Short description of the program.' }),
    documentation: Cds.Url({ description: 'Developer documentation about the program.' }),
    more_info: Type.Optional(Cds.Url({ description: 'Customer-facing information page; absent when none exists.' })),
    signup: Type.Optional(Cds.Url({ description: 'Where to sign up (possibly offline instructions); absent when none exists.' })),
    settings: Type.Optional(Cds.Url({ description: 'Where to see status or change settings; absent when none exists.' })),
    discontinue: Type.Optional(Cds.Url({ description: 'Where to stop participating; absent when none exists.' })),
  }
}

/**
 * An account-level program the Account takes part in, took part in, or could join.
 * Link and participation fields are left out (never `null`) when unknown or absent; servers may
 * add their own prefixed fields.
 *
 * @see CDS-WG3-01 §10.1.8 Account Program Object Format
 * @see CDS-WG3-01 §10.1.9 Account Program Types
 */
export const AccountProgram = Type.Object(
  {
    id: Type.String({ description: 'Unique identifier of this program record.' }),
    program_number: Type.String({ description: 'External program identifier; the server generates a stable one when none is designated.' }),
    types: Type.Array(AccountProgramType, { description: 'Participation state and kind of the program.' }),
    ...programLinks(),
    participation_number: Type.Optional(Type.String({ description: "Identifier of the Account's participation; absent if never participated or unknown." })),
    start: Type.Optional(Cds.Date({ description: 'Most recent participation start; absent if never participated or unknown.' })),
    end: Type.Optional(Cds.Date({ description: 'Most recent participation end; absent if never participated or unknown.' })),
    balance: Type.Optional(Cds.Decimal({ description: '`credit_bank` programs: balance in `currency`; absent when unknown (CDS-WG3-01 §10.1.9).' })),
    currency: Type.Optional(Cds.CurrencyCode({ description: '`credit_bank` programs: ISO 4217 currency of `balance`; required with it (CDS-WG3-01 §10.1.9).' })),
  },
  {
    $id: 'AccountProgram',
    description: 'Account Program: an account-level program with links, participation dates and credit-bank balance (CDS-WG3-01 §10.1.8).',
    // CDS-WG3-01 §10.1.9 (credit_bank): a balance is only meaningful with its currency.
    allOf: [{ if: { required: ['balance'] }, then: { required: ['currency'] } }],
  },
)
export type AccountProgram = Static<typeof AccountProgram>
