/**
 * The wire form of a Server-Provided File (CDS-WG1-02 §9.1): the stored record plus the two URLs
 * derived from `file_id` and the server's base URL.
 *
 * @module
 */
import type { ServerProvidedFile } from '@cds-ts/schema'
import { resourceUrl } from '../../config/endpoints.js'
import type { FileRecord } from '../../db/file-store.js'

/**
 * The §9.1 Server-Provided Files object of a stored file: `uri` is where its metadata is read
 * (§9.3) and `download_uri` where its bytes are (§9.4), both under the Server-Provided Files API.
 *
 * @example
 * ```ts
 * fileObject('https://utility.example.com', record).download_uri // 'https://utility.example.com/api/files/<file_id>/download'
 * ```
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 */
export function fileObject(baseUrl: string, record: FileRecord): ServerProvidedFile {
  const uri = resourceUrl(baseUrl, 'server_provided_files_api', record.file_id)
  return {
    file_id: record.file_id,
    uri,
    created: record.created,
    modified: record.modified,
    mime_type: record.mime_type,
    size: record.size,
    name: record.name,
    description: record.description,
    // CDS-WG1-02 §9.1 (R1-02-9.1-03): the raw bytes live at a sub-path of the object's own URL.
    download_uri: `${uri}/download`,
  }
}
