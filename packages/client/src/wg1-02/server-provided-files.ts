/**
 * The Server-Provided Files API (CDS-WG1-02 §9): files the server shares with a Client through
 * a Grant of a `cds_server_provided_files` scope, reached with a Grant Admin token
 * (CDS-WG1-02 §3.3.2, §3.3.3): listed, described one at a time, and downloaded.
 *
 * @module
 */
import { ServerProvidedFile, ServerProvidedFileListing } from '@cds-ts/schema'
import type { Decoded } from '../decimal.js'
import { ListingEndpoint, type ListFilter } from '../pagination.js'
import { urlOf, type ApiSession, type CallOptions } from '../session.js'

/**
 * Filters of the Server-Provided Files listing.
 *
 * @see CDS-WG1-02 §9.2 Listing Server-Provided Files
 */
export interface ServerProvidedFileFilters {
  /** Only these `file_id`s. */
  file_ids?: ListFilter
}

/**
 * The Server-Provided Files API: `list`, `page`, `pages` and `all` (newest `modified` first),
 * `get` and `download`.
 *
 * @see CDS-WG1-02 §9 Server-Provided Files API
 */
export class ServerProvidedFilesApi extends ListingEndpoint<Decoded<ServerProvidedFile>, ServerProvidedFileFilters, Decoded<ServerProvidedFileListing>> {
  constructor(session: ApiSession, url: () => string) {
    super(session, { url, schema: ServerProvidedFileListing, key: 'files' })
  }

  /**
   * One file's metadata, by its `uri`.
   *
   * @see CDS-WG1-02 §9.3 Retrieving Individual Server-Provided Files
   */
  async get(file: string | { readonly uri: string }, options?: CallOptions): Promise<Decoded<ServerProvidedFile>> {
    return (await this.session.json<Decoded<ServerProvidedFile>>(urlOf(file, 'uri'), { method: 'GET' }, ServerProvidedFile, [200], options)).value
  }

  /**
   * The file's content: the `200` response with its body unread, to stream or to read with
   * `arrayBuffer()`. Its `Content-Type` is the file's `mime_type`.
   *
   * @example
   * ```ts
   * const response = await files.download(file)
   * const bytes = new Uint8Array(await response.arrayBuffer())
   * ```
   * @see CDS-WG1-02 §9.4 Downloading Server-Provided File Data
   */
  async download(file: string | { readonly download_uri: string }, options?: CallOptions): Promise<Response> {
    return this.session.download(urlOf(file, 'download_uri'), '*/*', options)
  }
}
