/** The README's quickstart (`examples/quickstart.ts`) runs against the reference server. */
import { expect, it } from 'vitest'
import { quickstart } from '../examples/quickstart.js'
import { liveServer } from './live.js'

it('examples/quickstart.ts runs end to end', async () => {
  const lines: string[] = []
  await quickstart(liveServer().baseUrl, (line) => lines.push(line))
  expect(lines[0]).toMatch(/^Demo Gas & Electric: token endpoint http:\/\/127\.0\.0\.1:\d+\/oauth\/token$/)
  expect(lines.some((line) => /cds_query_usage \(production\)$/.test(line))).toBe(true)
  expect(lines.find((line) => line.startsWith('first segment from'))).toMatch(/\[\{"eu":-?\d/)
  expect(lines.some((line) => /^\d+ usage segments$/.test(line))).toBe(true)
  expect(lines.at(-1)).toMatch(/^404 /)
})
