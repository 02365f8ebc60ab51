/**
 * The Server-Provided Files API objects (CDS-WG1-02 §9): file metadata, its listing and the
 * listing filter.
 *
 * @module
 */
import Type, { type Static } from 'typebox'
import { Cds } from '../common/cds.js'

/**
 * Metadata of one file the Server shares with a Client (CDS-WG1-02 §9.1). All 9 fields are
 * always present.
 *
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 */
export const ServerProvidedFile = Type.Object(
  {
    file_id: Type.String({ description: 'Unique identifier of the file.' }),
    uri: Cds.Url({ description: 'Where to GET this metadata object.' }),
    created: Cds.DateTime({ description: 'When the file was created.' }),
    modified: Cds.DateTime({ description: 'When the file was last modified; equal to `created` until then.' }),
    mime_type: Cds.MimeType({ description: 'Content type of the file.' }),
    // an empty file has size 0.
    size: Type.Integer({ minimum: 0, description: 'Size of the file in bytes.' }),
    name: Type.String({ description: 'File name with its extension.' }),
    description: Type.String({ description: 'What the file is; `""` when the Server gives no description.' }),
    download_uri: Cds.Url({ description: 'Where to download the raw file, with the same authentication as the rest of the API.' }),
  },
  {
    $id: 'ServerProvidedFile',
    description: 'Server-Provided File object: metadata and download link of one file the Server makes available (CDS-WG1-02 §9.1).',
  },
)
export type ServerProvidedFile = Static<typeof ServerProvidedFile>

/**
 * One page of Server-Provided Files, most recently modified first (CDS-WG1-02 §9.2).
 *
 * @see CDS-WG1-02 §9.2 Listing Server-Provided Files
 */
export const ServerProvidedFileListing = Cds.Listing('files', ServerProvidedFile, {
  $id: 'ServerProvidedFileListing',
  description: 'Server-Provided Files Listing: a page of file metadata, newest `modified` first, with next/previous links (CDS-WG1-02 §9.2).',
})
export type ServerProvidedFileListing = Static<typeof ServerProvidedFileListing>

/**
 * Query parameters of the Server-Provided Files listing (CDS-WG1-02 §9.2).
 *
 * @see CDS-WG1-02 §9.2 Listing Server-Provided Files
 */
export const ServerProvidedFileListingQuery = Type.Object(
  {
    file_ids: Type.Optional(Type.String({ description: 'Space-separated `file_id` values.' })),
  },
  {
    $id: 'ServerProvidedFileListingQuery',
    description: 'Filters of the Server-Provided Files listing; several filters intersect (CDS-WG1-02 §9.2).',
  },
)
export type ServerProvidedFileListingQuery = Static<typeof ServerProvidedFileListingQuery>
