/**
 * The CDS Server Metadata object served at `/.well-known/cds-server-metadata.json`.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'
import { ServerCapability } from './enums.js'

/**
 * CDS Server Metadata object (CDS-WG1-01 §3.2), with the `oauth_metadata` field that
 * CDS-WG1-02 §3.1 adds for servers offering the `oauth` capability.
 *
 * @see CDS-WG1-01 §3.2 Metadata Object Format
 */
export const ServerMetadata = Type.Object(
  {
    cds_metadata_version: Type.String({ description: 'Metadata format version; `v1` for this draft (CDS-WG1-01 §3.2).' }),
    cds_metadata_url: Cds.Url({ description: 'Canonical URL of this metadata object.' }),
    created: Cds.DateTime({ description: 'When the metadata URL first became available.' }),
    updated: Cds.DateTime({ description: 'When this object last changed.' }),
    name: Type.String({ description: 'Name of the utility or entity.' }),
    description: Type.String({ description: 'Short description of the utility or entity.' }),
    website: Cds.Url({ description: 'Public website of the entity.' }),
    documentation: Cds.Url({ description: 'Technical documentation for client developers.' }),
    support: Cds.Url({ description: 'Where to find technical support.' }),
    capabilities: Type.Array(ServerCapability, {
      description: 'Capabilities offered; may be empty. With `coverage`, includes every capability of the coverage entries (CDS-WG1-01 §3.2).',
    }),
    coverage: Type.Optional(Cds.Url({ description: 'Coverage endpoint; required when `capabilities` lists `coverage` (CDS-WG1-01 §3.2).' })),
    related_metadata: Type.Optional(Type.Array(Cds.Url(), { description: 'Other related metadata endpoints.' })),
    oauth_metadata: Type.Optional(
      Cds.Url({ description: 'URL of the OAuth Authorization Server Metadata; required when `capabilities` lists `oauth` (CDS-WG1-02 §3.1).' }),
    ),
  },
  {
    $id: 'ServerMetadata',
    description: 'CDS Server Metadata object, the entry point of a CDS server (CDS-WG1-01 §3.2; `oauth_metadata` from CDS-WG1-02 §3.1).',
    // CDS-WG1-01 §3.2 (R1-01-3.2): `coverage` is required when the capability is listed;
    // CDS-WG1-02 §3.1: likewise `oauth_metadata` for `oauth`.
    allOf: [
      { if: { required: ['capabilities'], properties: { capabilities: { contains: { const: 'coverage' } } } }, then: { required: ['coverage'] } },
      { if: { required: ['capabilities'], properties: { capabilities: { contains: { const: 'oauth' } } } }, then: { required: ['oauth_metadata'] } },
    ],
  },
)
export type ServerMetadata = Static<typeof ServerMetadata>
