/**
 * Server-Provided Files (CDS-WG1-02 §9.1) on Kysely: the one place that reads and writes the
 * `server_provided_files` and `file_chunks` tables. Metadata is one row; the bytes are cut into
 * fixed-size chunks numbered by `seq`, so a file of any size is written from a stream and
 * downloaded one chunk at a time without ever being held in memory whole.
 *
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 * @see CDS-WG1-02 §9.4 Downloading Server-Provided File Data
 * @module
 */
import { randomUUID } from 'node:crypto'
import { toDateTime, type Clock } from '@cds-ts/auth'
import type { Kysely, Selectable, SelectQueryBuilder } from 'kysely'
import type { Database, ServerProvidedFilesTable } from './database.js'
import { keysetPage } from './keyset.js'
import type { Cursor, Page } from '../shared/pagination.js'

/** Bytes per `file_chunks` row (1 MiB); the last chunk of a file may be shorter. */
export const FILE_CHUNK_BYTES = 1024 * 1024

/**
 * A stored Server-Provided File: the §9.1 object without the URLs the server derives from
 * `file_id` (`uri`, `download_uri`); datetimes as RFC 3339 text.
 *
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 */
export interface FileRecord {
  file_id: string
  created: string
  modified: string
  mime_type: string
  size: number
  name: string
  description: string
}

/**
 * The descriptive fields of a new file; the store sets `file_id`, the datetimes and `size`.
 *
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 */
export interface NewFile {
  name: string
  mime_type: string
  /** `""` when the Server gives no description (§9.1). */
  description: string
  /** A chosen `file_id`; a random UUID when absent. */
  file_id?: string
}

/** The metadata {@link KyselyFileStore.update} may change. */
export type FileChanges = Partial<Pick<FileRecord, 'name' | 'mime_type' | 'description'>>

/** The bytes of a file: all at once, or as a stream of pieces of any size. */
export type FileContent = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>

/**
 * A `server_provided_files` row as a {@link FileRecord}.
 *
 * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
 */
export function fileRecord(row: Selectable<ServerProvidedFilesTable>): FileRecord {
  return {
    file_id: row.file_id,
    created: toDateTime(row.created),
    modified: toDateTime(row.modified),
    mime_type: row.mime_type,
    // `bigint` arrives as a number on both dialects (`dialects.ts`).
    size: row.size,
    name: row.name,
    description: row.description,
  }
}

/**
 * Re-cuts a stream of pieces of any size into chunks of exactly `chunkBytes` (the last one may be
 * shorter; an empty stream gives no chunk). Holds at most one chunk in memory.
 */
async function* rechunk(content: FileContent, chunkBytes: number): AsyncGenerator<Uint8Array> {
  if (content instanceof Uint8Array) {
    for (let start = 0; start < content.length; start += chunkBytes) yield content.subarray(start, start + chunkBytes)
    return
  }
  let buffer = new Uint8Array(chunkBytes)
  let filled = 0
  for await (const piece of content) {
    let offset = 0
    while (offset < piece.length) {
      const take = Math.min(chunkBytes - filled, piece.length - offset)
      buffer.set(piece.subarray(offset, offset + take), filled)
      filled += take
      offset += take
      if (filled === chunkBytes) {
        yield buffer
        buffer = new Uint8Array(chunkBytes)
        filled = 0
      }
    }
  }
  if (filled > 0) yield buffer.subarray(0, filled)
}

/**
 * Server-Provided Files by `file_id`. Writes happen in one transaction (metadata and every
 * chunk, or nothing); reads stream the bytes one chunk per query.
 *
 * @example
 * ```ts
 * const files = new KyselyFileStore(db, clock)
 * const file = await files.create({ name: 'tariffs.csv', mime_type: 'text/csv', description: '' }, createReadStream(path))
 * for await (const chunk of files.readChunks(file.file_id)) reply.raw.write(chunk)
 * ```
 * @see CDS-WG1-02 §9 Server-Provided Files API
 */
export class KyselyFileStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly chunkBytes: number = FILE_CHUNK_BYTES,
  ) {}

  /**
   * Stores a new file from its bytes (a `Uint8Array`, or an iterable of pieces such as a Node
   * read stream) and returns its record, `size` counted from the bytes written.
   *
   * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
   */
  async create(meta: NewFile, content: FileContent): Promise<FileRecord> {
    const now = toDateTime(this.clock.now())
    const file_id = meta.file_id ?? randomUUID()
    return this.db.transaction().execute(async (trx) => {
      // CDS-WG1-02 §9.1 (R1-02-9.1-02): a new file's `modified` equals its `created`. Size starts
      // at 0 (A-29: an empty file is valid) and is set once every chunk is in.
      await trx
        .insertInto('server_provided_files')
        .values({ file_id, created: now, modified: now, mime_type: meta.mime_type, size: 0, name: meta.name, description: meta.description })
        .execute()
      const size = await writeChunks(trx, file_id, content, this.chunkBytes)
      await trx.updateTable('server_provided_files').set({ size }).where('file_id', '=', file_id).execute()
      return { file_id, created: now, modified: now, mime_type: meta.mime_type, size, name: meta.name, description: meta.description }
    })
  }

  /** The file's metadata, or `undefined` when the `file_id` is unknown. */
  async find(file_id: string): Promise<FileRecord | undefined> {
    const row = await this.db.selectFrom('server_provided_files').selectAll().where('file_id', '=', file_id).executeTakeFirst()
    return row && fileRecord(row)
  }

  /**
   * One page of files, newest `modified` first, `file_id` as tie-break, limited by `narrow` (for
   * example to the files a Grant shares).
   *
   * @see CDS-WG1-02 §9.2 Listing Server-Provided Files
   */
  async list(
    cursor: Cursor | undefined,
    narrow: (
      q: SelectQueryBuilder<Database, 'server_provided_files', Selectable<ServerProvidedFilesTable>>,
    ) => SelectQueryBuilder<Database, 'server_provided_files', Selectable<ServerProvidedFilesTable>> = (q) => q,
    limit?: number,
  ): Promise<Page<FileRecord>> {
    const page = await keysetPage(narrow(this.db.selectFrom('server_provided_files').selectAll()), {
      sort: 'server_provided_files.modified',
      id: 'server_provided_files.file_id',
      cursor,
      ...(limit === undefined ? {} : { limit }),
      keyOf: (row) => ({ sort: toDateTime(row.modified), id: row.file_id }),
    })
    return { ...page, items: page.items.map(fileRecord) }
  }

  /**
   * The file's bytes in order, fetched one chunk per query so that at most one chunk is in memory.
   * Yields nothing for an unknown `file_id` or an empty file.
   *
   * @see CDS-WG1-02 §9.4 Downloading Server-Provided File Data
   */
  async *readChunks(file_id: string): AsyncGenerator<Uint8Array> {
    let seq = -1
    for (;;) {
      const row = await this.db
        .selectFrom('file_chunks')
        .select(['seq', 'data'])
        .where('file_id', '=', file_id)
        .where('seq', '>', seq)
        .orderBy('seq')
        .limit(1)
        .executeTakeFirst()
      if (row === undefined) return
      seq = row.seq
      yield row.data
    }
  }

  /**
   * Changes the metadata and bumps `modified`; returns the new record, or `undefined` when the
   * `file_id` is unknown.
   *
   * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
   */
  async update(file_id: string, changes: FileChanges): Promise<FileRecord | undefined> {
    const modified = toDateTime(this.clock.now())
    const result = await this.db
      .updateTable('server_provided_files')
      .set({ ...changes, modified })
      .where('file_id', '=', file_id)
      .executeTakeFirst()
    if (result.numUpdatedRows === 0n) return undefined
    return this.find(file_id)
  }

  /**
   * Replaces the bytes (and optionally the `mime_type`), recounts `size` and bumps `modified`, in
   * one transaction; returns `undefined` when the `file_id` is unknown.
   *
   * @see CDS-WG1-02 §9.1 Server-Provided Files Object Format
   */
  async replaceContent(file_id: string, content: FileContent, changes: FileChanges = {}): Promise<FileRecord | undefined> {
    const modified = toDateTime(this.clock.now())
    const row = await this.db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('server_provided_files').select('file_id').where('file_id', '=', file_id).forUpdate().executeTakeFirst()
      if (exists === undefined) return undefined
      await trx.deleteFrom('file_chunks').where('file_id', '=', file_id).execute()
      const size = await writeChunks(trx, file_id, content, this.chunkBytes)
      return trx
        .updateTable('server_provided_files')
        .set({ ...changes, size, modified })
        .where('file_id', '=', file_id)
        .returningAll()
        .executeTakeFirstOrThrow()
    })
    return row && fileRecord(row)
  }

  /** Deletes the file and its chunks; returns `false` when the `file_id` is unknown. */
  async delete(file_id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('server_provided_files').where('file_id', '=', file_id).executeTakeFirst()
    return result.numDeletedRows > 0n
  }
}

/** Writes the chunks of `content` under `file_id` from `seq` 0 and returns the byte count. */
async function writeChunks(trx: Kysely<Database>, file_id: string, content: FileContent, chunkBytes: number): Promise<number> {
  let size = 0
  let seq = 0
  for await (const data of rechunk(content, chunkBytes)) {
    await trx.insertInto('file_chunks').values({ file_id, seq, data }).execute()
    size += data.length
    seq += 1
  }
  return size
}
