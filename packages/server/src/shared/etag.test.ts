import { Decimal } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import { ifNoneMatchMatches, prepareJson } from './etag.js'

describe('RFC 9110 §8.8.3 strong ETag', () => {
  it('follows the body bytes: equal bodies share a tag, any change makes a new one', () => {
    const a = prepareJson({ a: 1, b: 'x' })
    expect(a.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/)
    expect(prepareJson({ a: 1, b: 'x' }).etag).toBe(a.etag)
    expect(prepareJson({ a: 1, b: 'y' }).etag).not.toBe(a.etag)
  })

  it('writes decimals with their exact digits (A-30)', () => {
    const prepared = prepareJson({ amount: Decimal.from('1.10'), big: Decimal.from('123456789012345678901234567890.10') })
    expect(prepared.text).toBe('{"amount":1.10,"big":123456789012345678901234567890.10}')
  })
})

describe('RFC 9110 §13.1.2 If-None-Match', () => {
  const etag = '"abc"'
  it('matches the tag, its weak form, a list containing it, and *', () => {
    for (const header of ['"abc"', 'W/"abc"', '"x", "abc"', '"x",W/"abc"', '*', ['"x"', '"abc"']]) expect(ifNoneMatchMatches(header, etag)).toBe(true)
  })
  it('does not match other tags, an unquoted value or nothing', () => {
    for (const header of ['"abcd"', 'abc', '', undefined, '"x", "y"']) expect(ifNoneMatchMatches(header, etag)).toBe(false)
  })
})
