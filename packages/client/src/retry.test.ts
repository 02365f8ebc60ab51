import { describe, expect, it } from 'vitest'
import { DEFAULT_RETRY, defaultSleep, parseRetryAfter, sendWithRetries } from './retry.js'

const NOW = Date.parse('2026-01-15T12:00:00Z')

describe('RFC 9110 §10.2.3 Retry-After', () => {
  it('reads delta-seconds and HTTP dates, never negative', () => {
    expect(parseRetryAfter('0', NOW)).toBe(0)
    expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000)
    expect(parseRetryAfter('Thu, 15 Jan 2026 12:00:30 GMT', NOW)).toBe(30_000)
    expect(parseRetryAfter('Thursday, 15-Jan-26 12:00:10 GMT', NOW)).toBe(10_000)
    expect(parseRetryAfter('Thu, 15 Jan 2026 11:00:00 GMT', NOW)).toBe(0)
  })

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null, NOW)).toBeUndefined()
    expect(parseRetryAfter('-1', NOW)).toBeUndefined()
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined()
    expect(parseRetryAfter('soon', NOW)).toBeUndefined()
  })
})

describe('CDS-WG1-02 §11.3 sendWithRetries', () => {
  const answers = (...statuses: [number, Record<string, string>?][]) => {
    const queue = statuses.map(([status, headers]) => new Response(null, { status, headers }))
    let sent = 0
    return {
      send: async () => {
        sent++
        return queue.shift() ?? new Response(null, { status: 599 })
      },
      count: () => sent,
    }
  }

  it('defaults: two retries of 429 and 503, 500 ms doubling, at most 30 s', () => {
    expect(DEFAULT_RETRY).toEqual({ maxRetries: 2, baseDelayMs: 500, maxDelayMs: 30_000, statuses: [429, 503] })
  })

  it('retries 429 and 503 with the server\u2019s wait or the back-off, then returns the last answer', async () => {
    const waits: number[] = []
    const script = answers([429, { 'retry-after': '1' }], [503], [503])
    const response = await sendWithRetries(script.send, { sleep: async (ms) => void waits.push(ms) })
    expect(response.status).toBe(503)
    expect(script.count()).toBe(3)
    expect(waits).toEqual([1000, 1000])
  })

  it('stops on success, on other statuses, and when retries are off', async () => {
    const waits: number[] = []
    const sleep = async (ms: number) => void waits.push(ms)
    const ok = answers([503], [200])
    expect((await sendWithRetries(ok.send, { sleep })).status).toBe(200)
    const other = answers([502], [200])
    expect((await sendWithRetries(other.send, { sleep })).status).toBe(502)
    const off = answers([429], [200])
    expect((await sendWithRetries(off.send, false)).status).toBe(429)
    expect(waits).toEqual([500])
  })

  it('caps the back-off at maxDelayMs and honours custom statuses', async () => {
    const waits: number[] = []
    const script = answers([502], [502], [502], [200])
    const response = await sendWithRetries(script.send, { statuses: [502], maxRetries: 5, baseDelayMs: 400, maxDelayMs: 1000, sleep: async (ms) => void waits.push(ms) })
    expect(response.status).toBe(200)
    expect(waits).toEqual([400, 800, 1000])
  })

  it('the default sleep waits and is aborted by the request\u2019s signal', async () => {
    const started = Date.now()
    await defaultSleep(20)
    expect(Date.now() - started).toBeGreaterThanOrEqual(15)
    const controller = new AbortController()
    const pending = defaultSleep(10_000, controller.signal)
    controller.abort(new Error('stop'))
    await expect(pending).rejects.toThrow('stop')
    await expect(defaultSleep(10, controller.signal)).rejects.toThrow('stop')
  })
})
