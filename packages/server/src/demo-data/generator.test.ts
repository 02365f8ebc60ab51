/**
 * The pure parts of the demo data generator: seeded randomness, fixed-point decimals, local
 * calendar days across DST (catalog §3.15) and the statement PDF.
 */
import { describe, expect, it } from 'vitest'
import { localMidnight } from './calendar.js'
import { localDays } from './days.js'
import { fixedText, multiply, rescale } from './fixed.js'
import { tinyPdf } from './pdf.js'
import { DemoRandom, demoId } from './prng.js'
import { rateText } from './usage.js'

describe('seeded randomness and ids', () => {
  it('the same seed gives the same stream and ids; another seed differs', () => {
    const draw = (seed: string) => Array.from({ length: 5 }, (() => { const r = new DemoRandom(seed, 'x'); return () => r.nextUint32() })())
    expect(draw('a')).toEqual(draw('a'))
    expect(draw('a')).not.toEqual(draw('b'))
    expect(demoId('a', 'account', 1)).toMatch(/^[0-9a-f]{16}$/)
    expect(demoId('a', 'account', 1)).toBe(demoId('a', 'account', 1))
    expect(demoId('a', 'account', 1)).not.toBe(demoId('b', 'account', 1))
  })
})

describe('fixed-point decimals (catalog §5.4)', () => {
  it('writes exact text with the stated digits and rounds half away from zero', () => {
    expect(fixedText(150n, 3)).toBe('0.150')
    expect(fixedText(-4100n, 4)).toBe('-0.4100')
    expect(fixedText(28781n, 3)).toBe('28.781')
    expect(fixedText(7n, 0)).toBe('7')
    expect(rescale(125n, 1, 0)).toBe(13n)
    expect(rescale(-125n, 1, 0)).toBe(-13n)
    // Worked example D: 0.134 kWh × 0.28 USD/kWh = 0.03752 exactly; rounded to cents 0.04.
    expect(multiply(134n, 3, 28000n, 5, 2)).toBe(4n)
    expect(rateText(28000n)).toBe('0.28')
    expect(rateText(950n)).toBe('0.0095')
  })
})

describe('local days in America/Los_Angeles (catalog §3.15)', () => {
  const zone = 'America/Los_Angeles'
  it('local midnight is an instant in UTC, on both sides of DST', () => {
    expect(localMidnight(zone, 2025, 1, 15).toISOString()).toBe('2025-01-15T08:00:00.000Z')
    expect(localMidnight(zone, 2025, 3, 9).toISOString()).toBe('2025-03-09T08:00:00.000Z')
    expect(localMidnight(zone, 2025, 3, 10).toISOString()).toBe('2025-03-10T07:00:00.000Z')
    expect(localMidnight(zone, 2025, 11, 2).toISOString()).toBe('2025-11-02T07:00:00.000Z')
    expect(localMidnight(zone, 2025, 11, 3).toISOString()).toBe('2025-11-03T08:00:00.000Z')
    expect(localMidnight(zone, 2025, 1, 32).toISOString()).toBe('2025-02-01T08:00:00.000Z')
  })

  it('a spring-forward day has 92 intervals and a fall-back day 100, with local minutes that skip or repeat an hour', () => {
    const march = localDays(zone, { year: 2025, month: 3 })
    const spring = march.find((d) => d.date === '2025-03-09')!
    expect(spring.minutes).toHaveLength(92)
    expect(spring.minutes.slice(7, 9)).toEqual([105, 180])
    expect(march.reduce((n, d) => n + d.minutes.length, 0)).toBe(31 * 96 - 4)
    const fall = localDays(zone, { year: 2025, month: 11 }).find((d) => d.date === '2025-11-02')!
    expect(fall.minutes).toHaveLength(100)
    expect(fall.minutes.slice(7, 9)).toEqual([105, 60])
    expect(fall.end.getTime() - fall.start.getTime()).toBe(90_000_000)
  })
})

describe('statement PDF', () => {
  it('is a small, well-formed PDF whose xref offsets point at its objects', () => {
    const pdf = tinyPdf(['Demo Gas & Electric (DG&E)', 'Amount due: 84.12 USD — thank you'])
    const text = new TextDecoder().decode(pdf)
    expect(text.startsWith('%PDF-1.4\n')).toBe(true)
    expect(text.endsWith('%%EOF\n')).toBe(true)
    expect(pdf.byteLength).toBeLessThan(1200)
    expect(text).toContain('\\(DG&E\\)')
    const startxref = Number(/startxref\n(\d+)/.exec(text)?.[1])
    expect(text.slice(startxref, startxref + 4)).toBe('xref')
    const offsets = [...text.matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]))
    expect(offsets).toHaveLength(5)
    offsets.forEach((offset, i) => expect(text.slice(offset, offset + 8)).toBe(`${i + 1} 0 obj\n`))
  })
})
