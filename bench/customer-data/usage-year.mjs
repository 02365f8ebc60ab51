#!/usr/bin/env node
/**
 * Latency of fetching one meter's year of 15-minute usage (CDS-WG3-01 §10.8) from a running CDS
 * server, the way a direct-access Client does it: register, create a secret for the
 * `cds_query_usage` Client object, get a `client_credentials` token narrowed to one meter
 * (§6.2 `meter_numbers`), then GET the Usage Segments listing, following `next` links, N times.
 *
 *   node bench/customer-data/usage-year.mjs http://127.0.0.1:8080 [meter_number] [--runs 20]
 *
 * Without a meter number it takes the first meter of the Meter Devices listing whose segments are
 * 15-minute intervals. Prints one JSON line: segments, Value Sets, bytes, and the
 * median, p95 and max wall time of one complete fetch. Only talks to the given URL.
 */
const [base = 'http://127.0.0.1:8080', meterArg] = process.argv.slice(2).filter((a) => !a.startsWith('--') && !/^\d+$/.test(a))
const runsAt = process.argv.indexOf('--runs')
const runs = runsAt > 0 ? Number(process.argv[runsAt + 1]) : 20

async function json(response) {
  const text = await response.text()
  if (!response.ok) throw new Error(`${response.status} ${response.url}: ${text}`)
  return JSON.parse(text)
}
const form = (fields) => new URLSearchParams(fields).toString()

const registration = await json(
  await fetch(`${base}/oauth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scope: 'cds_client_admin cds_query_usage cds_query_meter_devices', client_name: 'Usage latency bench', contacts: ['bench@example.com'], cds_company_name: 'Bench' }),
  }),
)
const basic = (id, secret) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`
async function token(id, secret, fields) {
  const body = await json(
    await fetch(`${base}/oauth/token`, {
      method: 'POST',
      headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ grant_type: 'client_credentials', ...fields }),
    }),
  )
  return body.access_token
}
const admin = await token(registration.client_id, registration.client_secret, { scope: 'cds_client_admin' })
const bearer = (t) => ({ authorization: `Bearer ${t}` })
const clients = (await json(await fetch(`${base}/api/clients`, { headers: bearer(admin) }))).clients
const secretOf = async (scope) => {
  const client = clients.find((c) => c.scope === scope)
  const credential = await json(
    await fetch(`${base}/api/credentials`, { method: 'POST', headers: { ...bearer(admin), 'content-type': 'application/json' }, body: JSON.stringify({ client_id: client.client_id }) }),
  )
  return [client.client_id, credential.client_secret]
}

let meter = meterArg
const [usageId, usageSecret] = await secretOf('cds_query_usage')
const usageFor = async (number) => token(usageId, usageSecret, { authorization_details: JSON.stringify([{ type: 'cds_query_usage', meter_numbers: [number] }]) })
if (meter === undefined) {
  // The first meter (in listing order) whose segments are 15-minute intervals.
  const [mdId, mdSecret] = await secretOf('cds_query_meter_devices')
  const md = await token(mdId, mdSecret, { scope: 'cds_query_meter_devices' })
  const devices = await json(await fetch(`${base}/api/meterdevices`, { headers: bearer(md) }))
  for (const device of devices.meter_devices) {
    if (typeof device.meter_number !== 'string') continue
    const page = await json(await fetch(`${base}/api/usagesegments`, { headers: bearer(await usageFor(device.meter_number)) }))
    if (page.usage_segments.some((s) => String(s.interval) === '900')) {
      meter = device.meter_number
      break
    }
  }
  if (meter === undefined) throw new Error('no meter with 15-minute segments on the first page of meters; pass a meter number')
}
const narrowed = await usageFor(meter)

async function fetchYear() {
  let url = `${base}/api/usagesegments`
  const result = { segments: 0, sets: 0, bytes: 0 }
  while (url !== null) {
    const response = await fetch(url, { headers: bearer(narrowed) })
    const text = await response.text()
    if (!response.ok) throw new Error(`${response.status}: ${text}`)
    result.bytes += Buffer.byteLength(text)
    const page = JSON.parse(text)
    result.segments += page.usage_segments.length
    result.sets += page.usage_segments.reduce((n, s) => n + s.values.length, 0)
    url = page.next
  }
  return result
}

const first = await fetchYear()
const times = []
for (let i = 0; i < runs; i++) {
  const start = process.hrtime.bigint()
  await fetchYear()
  times.push(Number(process.hrtime.bigint() - start) / 1e6)
}
times.sort((a, b) => a - b)
const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))]
console.log(JSON.stringify({ base, meter, runs, ...first, median_ms: +at(0.5).toFixed(1), p95_ms: +at(0.95).toFixed(1), max_ms: +times[times.length - 1].toFixed(1) }))
