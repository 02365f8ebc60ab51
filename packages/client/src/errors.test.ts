import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CDS_ERROR_CODES, CdsAuthorizationError, CdsError, CdsProtocolError, CdsResponseError } from './errors.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The rows of the README's error table: code, class, meaning. */
function documentedCodes(): Map<string, { class: string; description: string }> {
  const rows = new Map<string, { class: string; description: string }>()
  for (const match of readme.matchAll(/^\| `([A-Z_]+)` \| `(Cds\w+)` \| (.+) \|$/gm)) {
    rows.set(match[1] ?? '', { class: match[2] ?? '', description: match[3] ?? '' })
  }
  return rows
}

describe('STYLE §2.4 error codes and their docs match', () => {
  it('every code of CDS_ERROR_CODES is in the README table with its class and meaning, and nothing else is', () => {
    const documented = documentedCodes()
    expect([...documented.keys()].sort()).toEqual(Object.keys(CDS_ERROR_CODES).sort())
    for (const [code, info] of Object.entries(CDS_ERROR_CODES)) {
      expect(documented.get(code)).toEqual({ class: info.class, description: info.description })
    }
  })
})

describe('error classes', () => {
  it('share the base class and carry their code', () => {
    const response = new Response(null, { status: 401, headers: { 'www-authenticate': 'Bearer error="invalid_token"' } })
    const errors: CdsError[] = [
      new CdsResponseError({ code: 'WWW_AUTHENTICATE_ERROR', error: 'invalid_token', response }),
      new CdsProtocolError('PAGINATION_LOOP', 'loop'),
      new CdsAuthorizationError(new URLSearchParams({ error: 'access_denied', state: 's' })),
    ]
    expect(errors.map((e) => [e.name, e.code, e instanceof CdsError, e instanceof Error])).toEqual([
      ['CdsResponseError', 'WWW_AUTHENTICATE_ERROR', true, true],
      ['CdsProtocolError', 'PAGINATION_LOOP', true, true],
      ['CdsAuthorizationError', 'AUTHORIZATION_RESPONSE_ERROR', true, true],
    ])
    for (const error of errors) expect(CDS_ERROR_CODES[error.code].class).toBe(error.name)
    expect(errors[0]).toMatchObject({ status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', error_description: undefined })
    expect(errors[2]?.message).toBe('authorization failed: access_denied')
  })
})
