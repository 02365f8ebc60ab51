import { describe, expect, it } from 'vitest'
import { isAuthorizationReturn, safeReturnTo, withQueryParameter } from './return-to.js'
import { loginUrl } from './session.js'

describe('CDS-WG3-01 §9.1.2 return_to: same-origin paths only', () => {
  it('keeps absolute paths on this server', () => {
    for (const path of ['/', '/account', '/authorize/interaction/abc_DEF-123', '/account/authorizations?page=2', '/receipts/x#top', '/a/%2F%2Fb']) {
      expect(safeReturnTo(path)).toBe(path)
    }
  })

  it('refuses everything a browser could take to another origin, and anything that is not a path', () => {
    const refused: unknown[] = [
      'https://evil.example/',
      'http://evil.example',
      '//evil.example/',
      '///evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      '/\n/evil.example',
      '/ /evil.example',
      'javascript:alert(1)',
      'data:text/html,hi',
      'evil.example',
      'account',
      '',
      '/caf\u00e9',
      `/${'a'.repeat(2048)}`,
      undefined,
      null,
      ['/account', '/x'],
      42,
    ]
    for (const value of refused) expect(safeReturnTo(value)).toBe('/account')
    expect(safeReturnTo('//evil.example', '/login')).toBe('/login')
  })

  it('adds login=cancelled with ? or & and keeps a fragment last', () => {
    expect(withQueryParameter('/authorize/interaction/abc', 'login', 'cancelled')).toBe('/authorize/interaction/abc?login=cancelled')
    expect(withQueryParameter('/account?x=1', 'login', 'cancelled')).toBe('/account?x=1&login=cancelled')
    expect(withQueryParameter('/account?', 'login', 'cancelled')).toBe('/account?login=cancelled')
    expect(withQueryParameter('/account#top', 'login', 'cancelled')).toBe('/account?login=cancelled#top')
  })

  it('tells authorization requests apart', () => {
    expect(isAuthorizationReturn('/authorize/interaction/abc')).toBe(true)
    expect(isAuthorizationReturn('/account')).toBe(false)
    expect(isAuthorizationReturn('/authorize/other')).toBe(false)
  })

  it('loginUrl encodes the return path, falls back to /account and sets force', () => {
    expect(loginUrl('/authorize/interaction/abc')).toBe('/login?return_to=%2Fauthorize%2Finteraction%2Fabc')
    expect(loginUrl('/authorize/interaction/abc', { force: true })).toBe('/login?return_to=%2Fauthorize%2Finteraction%2Fabc&force=1')
    expect(loginUrl('https://evil.example/')).toBe('/login?return_to=%2Faccount')
  })
})
