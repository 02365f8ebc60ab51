import { OAuthErrorCode as OAuthErrorCodeSchema, OAuthErrorResponse, checkStrict } from '@cds-ts/schema'
import { describe, expect, it } from 'vitest'
import {
  InsufficientScope,
  InvalidClient,
  InvalidRequest,
  InvalidToken,
  NotFound,
  OAUTH_ERROR_CLASSES,
  OAUTH_ERROR_CODES,
  OAUTH_ERROR_STATUS,
  OAuthError,
  ServerError,
  TemporarilyUnavailable,
  toErrorDescription,
} from './errors.js'

const schemaCodes = (OAuthErrorCodeSchema as unknown as { enum: string[] }).enum

describe('RFC 6749 §5.2 error codes and statuses', () => {
  it('the code list equals the @cds-ts/schema OAuthErrorCode enum', () => {
    expect([...OAUTH_ERROR_CODES].sort()).toEqual([...schemaCodes].sort())
  })

  it('the status table and the class table cover every code', () => {
    for (const code of schemaCodes) {
      expect(OAUTH_ERROR_STATUS, code).toHaveProperty(code)
      expect(OAUTH_ERROR_CLASSES, code).toHaveProperty(code)
    }
    expect(Object.keys(OAUTH_ERROR_CLASSES).sort()).toEqual([...schemaCodes].sort())
  })

  it('each class carries its code, its status, a default description and its own name', () => {
    for (const code of OAUTH_ERROR_CODES) {
      const err = new OAUTH_ERROR_CLASSES[code]()
      expect(err).toBeInstanceOf(OAuthError)
      expect(err).toBeInstanceOf(Error)
      expect(err.error).toBe(code)
      expect(err.status).toBe(OAUTH_ERROR_STATUS[code])
      expect(err.error_description.length).toBeGreaterThan(0)
      expect(err.message).toBe(err.error_description)
      expect(err.name).toBe(OAUTH_ERROR_CLASSES[code].name)
      expect(err.name).not.toBe('OAuthError')
      // The body the error handler writes is a valid OAuthErrorResponse.
      expect(checkStrict(OAuthErrorResponse, { error: err.error, error_description: err.error_description }).length).toBe(0)
    }
  })

  it('pins the statuses STYLE §2.4 names', () => {
    expect(new InvalidRequest().status).toBe(400)
    expect(new InvalidClient().status).toBe(401)
    expect(new InvalidToken().status).toBe(401)
    expect(new InsufficientScope().status).toBe(403)
    expect(new NotFound().status).toBe(404)
    expect(OAUTH_ERROR_STATUS.method_not_allowed).toBe(405)
    expect(OAUTH_ERROR_STATUS.conflict).toBe(409)
    expect(OAUTH_ERROR_STATUS.content_too_large).toBe(413)
    expect(OAUTH_ERROR_STATUS.too_many_requests).toBe(429)
    expect(new ServerError().status).toBe(500)
    expect(new TemporarilyUnavailable().status).toBe(503)
    expect(OAUTH_ERROR_STATUS.cds_grant_id_invalid_value).toBe(400)
    expect(OAUTH_ERROR_STATUS.cds_grant_id_invalid_user).toBe(400)
    expect(OAUTH_ERROR_STATUS.invalid_authorization_details).toBe(400)
  })

  it('expose is false for 5xx only', () => {
    for (const code of OAUTH_ERROR_CODES) {
      expect(new OAUTH_ERROR_CLASSES[code]().expose, code).toBe(OAUTH_ERROR_STATUS[code] < 500)
    }
  })

  it('keeps a description, a WWW-Authenticate value and a cause', () => {
    const cause = new Error('db down')
    const err = new InvalidClient('wrong secret', { wwwAuthenticate: 'Basic realm="cds"', cause })
    expect(err.error_description).toBe('wrong secret')
    expect(err.wwwAuthenticate).toBe('Basic realm="cds"')
    expect(err.cause).toBe(cause)
    expect(new InvalidRequest().wwwAuthenticate).toBeUndefined()
  })

  it('the base class takes any code', () => {
    const err = new OAuthError('invalid_scope', 'unknown scope x')
    expect(err).toMatchObject({ error: 'invalid_scope', status: 400, expose: true, name: 'OAuthError' })
  })

  it('narrows by `error` in a switch', () => {
    const err: OAuthError = new InvalidToken('expired')
    let seen: string
    switch (err.error) {
      case 'invalid_token':
        seen = 'token'
        break
      default:
        seen = 'other'
    }
    expect(seen).toBe('token')
  })
})

describe('RFC 6749 §5.2 error_description character set', () => {
  it('replaces quotes, backslashes and non-ASCII', () => {
    expect(toErrorDescription('field "cds_x" \\ café\n')).toBe("field 'cds_x' / caf??")
    expect(new InvalidRequest('bad "x"').error_description).toBe("bad 'x'")
  })

  it('leaves printable ASCII alone', () => {
    const text = "abc XYZ 0-9 !#$%&'()*+,-./:;<=>?@[]^_`{|}~"
    expect(toErrorDescription(text)).toBe(text)
  })
})
