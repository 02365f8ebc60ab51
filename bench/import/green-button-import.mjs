#!/usr/bin/env node
/**
 * Green Button import benchmark: writes a Green Button file of the requested size (15-minute
 * electricity, one UsagePoint, one IntervalBlock a day) into a temporary folder, imports it into a
 * fresh PGlite data directory with the built @cds-ts/server, and reports readings per second and
 * the peak resident memory, sampled every 50 ms. Memory that stays flat while the file grows
 * shows the import streams (one month per series is held, never the document).
 *
 *   pnpm --filter @cds-ts/server build
 *   node bench/import/green-button-import.mjs 50      # megabytes (default 50)
 *   node bench/import/green-button-import.mjs 50 --database-url postgres://postgres@127.0.0.1:5432/empty
 *
 * Prints one JSON line; the temporary folder is removed at the end (--keep keeps it).
 */
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const megabytes = Number(process.argv[2]?.startsWith('--') === false ? process.argv[2] : 50)
const keep = process.argv.includes('--keep')
// --database-url postgres://…/empty_db imports into PostgreSQL instead (an empty database: the bench adds its own account).
const urlAt = process.argv.indexOf('--database-url')
const databaseUrl = urlAt > 0 ? process.argv[urlAt + 1] : undefined
if (!Number.isFinite(megabytes) || megabytes <= 0) {
  process.stderr.write('usage: node bench/import/green-button-import.mjs [megabytes] [--keep]\n')
  process.exit(2)
}

const dist = new URL('../../packages/server/dist/', import.meta.url)
const server = await import(new URL('index.js', dist).href)
// Until the package index re-exports the importer, read it from its module.
const importGreenButton = server.importGreenButton ?? (await import(new URL('customer-data/import/green-button.js', dist).href)).importGreenButton

const work = await mkdtemp(join(tmpdir(), 'cds-bench-gb-'))
const file = join(work, 'usage.xml')

/** Writes the feed until it reaches `bytes`, honouring back-pressure; returns the readings written. */
async function generate(path, bytes) {
  const out = createWriteStream(path)
  let size = 0
  const write = async (text) => {
    size += Buffer.byteLength(text)
    if (!out.write(text)) await once(out, 'drain')
  }
  const R = 'https://utility.example/espi/1_1/resource/'
  const up = `${R}RetailCustomer/1/UsagePoint/1`
  const mr = `${up}/MeterReading/1`
  const entry = (self, upHref, related, title, content) =>
    `<entry><id>urn:uuid:${self.length}</id><link rel="self" href="${self}"/><link rel="up" href="${upHref}"/>` +
    related.map((h) => `<link rel="related" href="${h}"/>`).join('') +
    `<title>${title}</title><content>${content}</content><updated>2025-01-01T00:00:00Z</updated></entry>\n`
  await write('<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">\n')
  await write(entry(up, `${R}RetailCustomer/1/UsagePoint`, [`${up}/MeterReading`, `${R}LocalTimeParameters/1`], 'BENCH-1', '<espi:UsagePoint><espi:ServiceCategory><espi:kind>0</espi:kind></espi:ServiceCategory></espi:UsagePoint>'))
  await write(entry(`${R}LocalTimeParameters/1`, `${R}LocalTimeParameters`, [], 'DST', '<espi:LocalTimeParameters><espi:dstEndRule>B40E2000</espi:dstEndRule><espi:dstOffset>3600</espi:dstOffset><espi:dstStartRule>360E2000</espi:dstStartRule><espi:tzOffset>-28800</espi:tzOffset></espi:LocalTimeParameters>'))
  await write(entry(mr, `${up}/MeterReading`, [`${mr}/IntervalBlock`, `${R}ReadingType/1`], 'Meter Reading', '<espi:MeterReading/>'))
  await write(entry(`${R}ReadingType/1`, `${R}ReadingType`, [], 'Type', '<espi:ReadingType><espi:accumulationBehaviour>4</espi:accumulationBehaviour><espi:commodity>1</espi:commodity><espi:flowDirection>1</espi:flowDirection><espi:intervalLength>900</espi:intervalLength><espi:kind>12</espi:kind><espi:powerOfTenMultiplier>-3</espi:powerOfTenMultiplier><espi:uom>72</espi:uom></espi:ReadingType>'))
  let readings = 0
  let day = 0
  const start = Date.UTC(2000, 0, 1, 8) / 1000
  while (size < bytes) {
    const dayStart = start + day * 86400
    let block = `<espi:IntervalBlock><espi:interval><espi:duration>86400</espi:duration><espi:start>${dayStart}</espi:start></espi:interval>`
    for (let i = 0; i < 96; i++) {
      const quality = i % 97 === 13 ? '<espi:ReadingQuality><espi:quality>8</espi:quality></espi:ReadingQuality>' : ''
      block += `<espi:IntervalReading>${quality}<espi:timePeriod><espi:duration>900</espi:duration><espi:start>${dayStart + i * 900}</espi:start></espi:timePeriod><espi:value>${100000 + ((readings * 7919) % 450000)}</espi:value></espi:IntervalReading>\n`
      readings++
    }
    block += '</espi:IntervalBlock>'
    await write(entry(`${mr}/IntervalBlock/${day + 1}`, `${mr}/IntervalBlock`, [], '', block))
    day++
  }
  await write('</feed>\n')
  out.end()
  await once(out, 'finish')
  return readings
}

try {
  const generatedAt = performance.now()
  const readings = await generate(file, megabytes * 1024 * 1024)
  const size = (await stat(file)).size
  const generateSeconds = (performance.now() - generatedAt) / 1000

  const { db, close } = await server.createDatabase(databaseUrl ?? join(work, 'pglite'))
  await server.migrateToLatest(db)
  const at = new Date('2025-01-01T00:00:00Z')
  const stamps = { cds_created: at, cds_modified: at, cds_synced: at }
  await db.insertInto('accounts').values({ cds_account_id: 'bench0001', customer_id: null, account_number: 'BENCH', account_status: 'active', ...stamps }).execute()
  await db
    .insertInto('service_contracts')
    .values({ cds_servicecontract_id: 'bench-sc', cds_account_id: 'bench0001', contract_status: 'active', service_types: '["electric"]', ...stamps })
    .execute()

  global.gc?.()
  const baseline = process.memoryUsage().rss
  let peak = baseline
  const quarters = []
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 50)
  const started = performance.now()
  const summary = await importGreenButton(db, createReadStream(file), {
    account: 'BENCH',
    sourceName: 'usage.xml',
    onProgress: (bytes) => {
      const rss = process.memoryUsage().rss
      peak = Math.max(peak, rss)
      while (quarters.length < 4 && bytes >= (size * (quarters.length + 1)) / 4) quarters.push(Math.round(rss / 1048576))
    },
  })
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  await close()
  process.stdout.write(
    `${JSON.stringify({
      fileMB: Math.round(size / 1048576),
      readings,
      imported: summary.readings,
      segments: summary.segments,
      generateSeconds: Number(generateSeconds.toFixed(1)),
      importSeconds: Number(seconds.toFixed(1)),
      readingsPerSecond: Math.round(summary.readings / seconds),
      database: databaseUrl === undefined ? 'pglite' : 'postgres',
      megabytesPerSecond: Number((size / 1048576 / seconds).toFixed(1)),
      rssBeforeMB: Math.round(baseline / 1048576),
      rssAtQuartersMB: quarters,
      peakRssMB: Math.round(peak / 1048576),
    })}\n`,
  )
} finally {
  if (!keep) await rm(work, { recursive: true, force: true })
}
