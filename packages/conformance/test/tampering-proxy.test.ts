/** The tampering proxy itself: transparent without a tamper, and a tamper changes what the suite sees. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runConformance } from '../src/index.js'
import { startLiveServer, type LiveServer } from './live-server.js'
import { editJson, startTamperingProxy } from './tampering-proxy.js'

describe('tampering proxy', () => {
  let server: LiveServer
  beforeAll(async () => {
    server = await startLiveServer()
  }, 120_000)
  afterAll(async () => {
    await server?.close()
  })

  it('is transparent: URLs lead back through it and the check passes', async () => {
    const proxy = await startTamperingProxy(server)
    try {
      const metadata = (await (await fetch(`${proxy.baseUrl}/.well-known/cds-server-metadata.json`)).json()) as Record<string, unknown>
      expect(String(metadata.oauth_metadata).startsWith(proxy.baseUrl)).toBe(true)
      const asm = (await (await fetch(String(metadata.oauth_metadata))).json()) as Record<string, unknown>
      expect(asm.issuer).toBe(proxy.baseUrl)
      const report = await runConformance({ ...proxy.options, only: ['R1-01-3-02'] })
      expect(report.results.map((r) => r.status)).toEqual(['passed'])
    } finally {
      await proxy.close()
    }
  })

  it('a response tamper makes the matching check fail', async () => {
    const proxy = await startTamperingProxy(server, {
      response: (r) => (r.path.startsWith('/.well-known/cds-server-metadata.json') ? { body: '[]' } : undefined),
    })
    try {
      const report = await runConformance({ ...proxy.options, only: ['R1-01-3-02'] })
      expect(report.results.map((r) => r.status)).toEqual(['failed'])
      expect(report.results[0]!.message).toContain('not a JSON object')
      expect(editJson('{"a":1,"b":2}', (v) => delete v.b)).toBe('{"a":1}')
    } finally {
      await proxy.close()
    }
  })
})
