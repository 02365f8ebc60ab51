import { manualClock } from '@cds-ts/auth'
import { describe, expect, it } from 'vitest'
import { forEachDialect } from '../../test/dialects.js'
import { KyselyFileStore } from './file-store.js'

/** `length` bytes that differ from one position to the next, so misordered chunks show. */
function pattern(length: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i += 1) bytes[i] = (i * 31 + seed + (i >> 8)) & 0xff
  return bytes
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<{ bytes: Uint8Array; sizes: number[] }> {
  const parts: Uint8Array[] = []
  for await (const chunk of chunks) parts.push(Uint8Array.from(chunk))
  return { bytes: Uint8Array.from(Buffer.concat(parts)), sizes: parts.map((part) => part.length) }
}

/** Yields `bytes` in pieces of the given sizes, repeating the last one. */
async function* pieces(bytes: Uint8Array, sizes: number[]): AsyncGenerator<Uint8Array> {
  let offset = 0
  let i = 0
  while (offset < bytes.length) {
    const size = sizes[Math.min(i, sizes.length - 1)] ?? 1
    yield bytes.subarray(offset, offset + size)
    offset += size
    i += 1
  }
}

forEachDialect('file store', (t) => {
  describe('CDS-WG1-02 §9.1 Server-Provided Files storage', () => {
    it('R1-02-9.1-02 a new file has created == modified, its size in bytes, and its chunks in order', async () => {
      const clock = manualClock('2025-03-01T10:00:00Z')
      const files = new KyselyFileStore(t.db, clock, 1000)
      const content = pattern(2500)
      const file = await files.create({ name: 'readings.csv', mime_type: 'text/csv', description: '' }, content)
      expect(file).toEqual({
        file_id: expect.any(String),
        created: '2025-03-01T10:00:00Z',
        modified: '2025-03-01T10:00:00Z',
        mime_type: 'text/csv',
        size: 2500,
        name: 'readings.csv',
        description: '',
      })
      expect(await files.find(file.file_id)).toEqual(file)
      const rows = await t.db.selectFrom('file_chunks').select(['seq']).select((eb) => eb.fn('length', ['data']).as('bytes')).where('file_id', '=', file.file_id).orderBy('seq').execute()
      expect(rows.map((row) => [row.seq, Number(row.bytes)])).toEqual([
        [0, 1000],
        [1, 1000],
        [2, 500],
      ])
      const read = await collect(files.readChunks(file.file_id))
      expect(read.sizes).toEqual([1000, 1000, 500])
      expect(Buffer.compare(read.bytes, content)).toBe(0)
    })

    it('streams content of uneven pieces into fixed-size chunks', async () => {
      const files = new KyselyFileStore(t.db, manualClock('2025-03-01T10:00:00Z'), 1000)
      const content = pattern(4321, 3)
      const file = await files.create({ name: 'a.bin', mime_type: 'application/octet-stream', description: 'uneven' }, pieces(content, [1, 999, 1500, 7, 333]))
      expect(file.size).toBe(4321)
      const read = await collect(files.readChunks(file.file_id))
      expect(read.sizes).toEqual([1000, 1000, 1000, 1000, 321])
      expect(Buffer.compare(read.bytes, content)).toBe(0)
    })

    it('A-29 an empty file has size 0 and no chunk', async () => {
      const files = new KyselyFileStore(t.db, manualClock('2025-03-01T10:00:00Z'))
      const file = await files.create({ name: 'empty.txt', mime_type: 'text/plain', description: '' }, new Uint8Array(0))
      expect(file.size).toBe(0)
      expect((await collect(files.readChunks(file.file_id))).sizes).toEqual([])
      const streamed = await files.create({ name: 'empty2.txt', mime_type: 'text/plain', description: '' }, pieces(new Uint8Array(0), [10]))
      expect(streamed.size).toBe(0)
    })

    it('writes nothing when the content stream fails', async () => {
      const files = new KyselyFileStore(t.db, manualClock('2025-03-01T10:00:00Z'), 100)
      async function* failing(): AsyncGenerator<Uint8Array> {
        yield pattern(250)
        throw new Error('disk went away')
      }
      await expect(files.create({ name: 'broken.bin', mime_type: 'application/octet-stream', description: '', file_id: 'broken-file' }, failing())).rejects.toThrow(
        'disk went away',
      )
      expect(await files.find('broken-file')).toBeUndefined()
      expect(await t.db.selectFrom('file_chunks').select('seq').where('file_id', '=', 'broken-file').execute()).toEqual([])
    })

    it('update and replaceContent bump modified and keep created; replaceContent recounts size', async () => {
      const clock = manualClock('2025-03-01T10:00:00Z')
      const files = new KyselyFileStore(t.db, clock, 100)
      const file = await files.create({ name: 'v1.txt', mime_type: 'text/plain', description: '' }, pattern(250))
      clock.advance(60)
      const renamed = await files.update(file.file_id, { name: 'v2.txt', description: 'second version' })
      expect(renamed).toEqual({ ...file, name: 'v2.txt', description: 'second version', modified: '2025-03-01T10:01:00Z' })
      clock.advance(60)
      const content = pattern(120, 9)
      const replaced = await files.replaceContent(file.file_id, content, { mime_type: 'application/octet-stream' })
      expect(replaced).toEqual({ ...renamed, size: 120, mime_type: 'application/octet-stream', modified: '2025-03-01T10:02:00Z' })
      const read = await collect(files.readChunks(file.file_id))
      expect(read.sizes).toEqual([100, 20])
      expect(Buffer.compare(read.bytes, content)).toBe(0)
      expect(await files.update('no-such-file', { name: 'x' })).toBeUndefined()
      expect(await files.replaceContent('no-such-file', content)).toBeUndefined()
    })

    it('R1-02-9.2-05 lists newest modified first, in keyset pages, narrowed by a condition', async () => {
      const clock = manualClock('2025-04-01T00:00:00Z')
      const files = new KyselyFileStore(t.db, clock)
      const made = []
      for (let i = 0; i < 5; i += 1) {
        made.push(await files.create({ name: `list-${i}.txt`, mime_type: 'text/plain', description: '', file_id: `list-${i}` }, pattern(3)))
        clock.advance(1)
      }
      const ids = made.map((file) => file.file_id)
      const narrow: Parameters<KyselyFileStore['list']>[1] = (q) => q.where('file_id', 'in', ids)
      const first = await files.list(undefined, narrow, 2)
      expect(first.items.map((file) => file.file_id)).toEqual(['list-4', 'list-3'])
      expect(first.previous).toBeNull()
      const second = await files.list(first.next ?? undefined, narrow, 2)
      expect(second.items.map((file) => file.file_id)).toEqual(['list-2', 'list-1'])
      const last = await files.list(second.next ?? undefined, narrow, 2)
      expect(last.items.map((file) => file.file_id)).toEqual(['list-0'])
      expect(last.next).toBeNull()
      const back = await files.list(last.previous ?? undefined, narrow, 2)
      expect(back.items.map((file) => file.file_id)).toEqual(['list-2', 'list-1'])
      expect(await files.delete('list-0')).toBe(true)
      expect(await files.delete('list-0')).toBe(false)
      expect(await t.db.selectFrom('file_chunks').select('seq').where('file_id', '=', 'list-0').execute()).toEqual([])
    })
  })
})
