import { describe, expect, it } from 'vitest'
import { Decimal, jsonBody, readJson } from './decimal.js'

describe('CDS-WG3-01 §2 exact decimals on the wire', () => {
  it('reads non-integers and long integers as Decimals, with their text', async () => {
    const response = new Response('{"a":1.10,"b":12345678901234567890,"c":42,"d":-0.0}', { headers: { 'content-type': 'application/json' } })
    const value = (await readJson(response)) as Record<string, unknown>
    expect(value.a).toBeInstanceOf(Decimal)
    expect(String(value.a)).toBe('1.10')
    expect(String(value.b)).toBe('12345678901234567890')
    expect(value.c).toBe(42)
    expect(String(value.d)).toBe('-0.0')
  })

  it('writes Decimals as raw JSON numbers', () => {
    expect(jsonBody({ amount: Decimal.from('0.10'), n: 3, list: [Decimal.from('1e-7')] })).toBe('{"amount":0.10,"n":3,"list":[1e-7]}')
  })

  it('accepts +json media types and refuses others', async () => {
    const problem = new Response('{"error":"x"}', { headers: { 'content-type': 'application/problem+json' } })
    expect(await readJson(problem)).toEqual({ error: 'x' })
    const text = new Response('{}', { headers: { 'content-type': 'text/plain' } })
    await expect(readJson(text)).rejects.toMatchObject({ code: 'INVALID_CONTENT_TYPE' })
    const none = new Response('{}')
    none.headers.delete('content-type')
    await expect(readJson(none)).rejects.toThrow(/no Content-Type|text\/plain/)
  })
})
