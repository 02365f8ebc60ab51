import { describe, expect, it } from 'vitest'
import { classifyBlock, extractExamples, findCodeBlocks, parseHeading } from './extract.js'

const FENCE = '```'

describe('headings', () => {
  it('reads section number, title and anchor, dropping the permalink', () => {
    const h = parseHeading('### 12.2. Retrieving Authorization Server Metadata <a id="example-auth-server-metadata" href="#x" class="permalink">🔗</a>', 7)
    expect(h).toEqual({ title: 'Retrieving Authorization Server Metadata', number: '12.2', anchor: 'example-auth-server-metadata', level: 3, line: 7 })
    expect(parseHeading('### F1. CDS Server Metadata object', 1)?.number).toBe('F1')
    const unnumbered = parseHeading('#### Example: Registering a Client', 1)
    expect(unnumbered?.title).toBe('Example: Registering a Client')
    expect(unnumbered?.number).toBeUndefined()
    expect(parseHeading('not a heading', 1)).toBeUndefined()
  })

  it('does not take shell comments inside <pre> blocks or fences for headings', () => {
    const md = ['# 1. Top', '<pre class="highlight">', '<code>', '# a shell comment', 'curl -v "$URL" | jq "."', '</code>', '</pre>', FENCE, '# python comment', FENCE].join('\n')
    const blocks = findCodeBlocks('f.md', md)
    expect(blocks.map((b) => [b.kind, b.heading?.title])).toEqual([
      ['pre', 'Top'],
      ['fence', 'Top'],
    ])
    expect(blocks[0]!.lines[0]).toBe('# a shell comment')
    expect(blocks[0]!.firstLine).toBe(4)
  })
})

const httpExample = [
  '## 7. Examples',
  '',
  FENCE,
  '==Request==',
  'PUT /cds-api/v1/clients/abc HTTP/1.1',
  'Host: example.com',
  '',
  '{',
  '    "scope": "x",',
  '}',
  '',
  '==Response==',
  'HTTP/1.1 200 OK',
  'Content-Type: application/json;charset=UTF-8',
  '',
  '{"client_id": "abc"}',
  FENCE,
].join('\n')

describe('HTTP messages', () => {
  it('splits request and response, with start line, headers, body and file lines', () => {
    const { bodies } = extractExamples('spec.md', httpExample)
    expect(bodies).toHaveLength(2)
    const [request, response] = bodies
    expect(request).toMatchObject({
      origin: 'http-request',
      role: 'request',
      line: 8,
      endLine: 10,
      mediaType: 'json',
      http: { method: 'PUT', path: '/cds-api/v1/clients/abc', headers: [['Host', 'example.com']] },
      heading: { number: '7', title: 'Examples' },
      ordinal: 1,
    })
    expect(request!.text).toBe('{\n    "scope": "x",\n}')
    // The response carries the request's method and path.
    expect(response).toMatchObject({ origin: 'http-response', line: 16, http: { method: 'PUT', path: '/cds-api/v1/clients/abc', status: 200, contentType: 'application/json;charset=UTF-8' }, ordinal: 2 })
  })

  it('reads several exchanges in one block, and a request without the ==Request== marker', () => {
    const md = [FENCE, 'GET /a/cds-server-metadata HTTP/1.1', 'Host: h', '', '==Response==', 'HTTP/1.1 200 OK', '', '{ ... }', '', '==Request==', 'GET /a/oauth-authorization-server HTTP/1.1', '', '==Response==', 'HTTP/1.1 200 OK', '', '{}', FENCE].join('\n')
    const { bodies } = extractExamples('spec.md', md)
    expect(bodies.map((b) => [b.role, b.http?.path, b.line])).toEqual([
      ['response', '/a/cds-server-metadata', 8],
      ['response', '/a/oauth-authorization-server', 16],
    ])
  })

  it('decodes form bodies and takes JSON-valued fields out as bodies of their own', () => {
    const encoded = encodeURIComponent('[{"type":"cds_grant_admin_1","grant_id":"g1"}]')
    const md = [FENCE, '==Request==', 'POST /oauth/token HTTP/1.1', 'Authorization: Basic abc', '', `grant_type=client_credentials&scope=a+b&authorization_details=${encoded}`, FENCE].join('\n')
    const { bodies } = extractExamples('spec.md', md)
    expect(bodies).toHaveLength(2)
    expect(bodies[0]).toMatchObject({ mediaType: 'form', line: 6, form: [['grant_type', 'client_credentials'], ['scope', 'a b'], ['authorization_details', '[{"type":"cds_grant_admin_1","grant_id":"g1"}]']] })
    expect(bodies[1]).toMatchObject({ origin: 'form-parameter', parameter: 'authorization_details', mediaType: 'json', line: 6, text: '[{"type":"cds_grant_admin_1","grant_id":"g1"}]' })
  })

  it('joins a form body written over several lines and says so', () => {
    const md = [FENCE, 'POST /oauth/token HTTP/1.1', '', 'grant_type=authorization_code', '&code=abc', '&code_verifier=xyz', FENCE].join('\n')
    const [form] = extractExamples('spec.md', md).bodies
    expect(form!.form).toEqual([['grant_type', 'authorization_code'], ['code', 'abc'], ['code_verifier', 'xyz']])
    expect(form!.notes[0]!.message).toMatch(/3 lines; joined/)
  })

  it('skips bodies that are not JSON or form (a PDF download)', () => {
    const md = [FENCE, '==Response==', 'HTTP/1.1 200 OK', 'Content-Type: application/pdf', '', '...the PDF data...', FENCE].join('\n')
    expect(extractExamples('spec.md', md).bodies).toEqual([])
  })
})

describe('other blocks', () => {
  it('takes JSON query parameters out of a URL written over several lines', () => {
    const md = [FENCE, 'https://as.example.com/oauth/authorize', '?response_type=code', '&authorization_details=', `    ${encodeURIComponent('[{"type":"a",')}`, `    ${encodeURIComponent('"x":1}]')}`, FENCE].join('\n')
    const [param] = extractExamples('spec.md', md).bodies
    expect(param).toMatchObject({ origin: 'url-parameter', parameter: 'authorization_details', text: '[{"type":"a","x":1}]', line: 4, http: { path: '/oauth/authorize' } })
  })

  it('reads bare JSON blocks, and skips diagrams and code', () => {
    const md = ['# A', `${FENCE}json`, '{"a": 1}', FENCE, `${FENCE}mermaid`, 'flowchart TB', FENCE, FENCE, 'import json', FENCE].join('\n')
    const result = extractExamples('spec.md', md)
    expect(result.bodies.map((b) => [b.origin, b.line])).toEqual([['json-block', 3]])
    expect(result.skippedBlocks).toHaveLength(2)
  })

  it('reads the shell transcripts of the overview pages', () => {
    const md = [
      '#### Example: Registering',
      '<pre class="highlight">',
      '<code>',
      'curl -v "$OAUTH_METADATA_URL" | jq "."',
      '{',
      '    ...',
      '    "registration_endpoint": "...",  # where to register',
      '}',
      'curl -v \\',
      '    --data-raw "{',
      '        \\"client_name\\": \\"Example\\",',
      '        \\"scope\\": \\"$SCOPES\\"',
      '    }" \\',
      '    "$REGISTRATION_ENDPOINT" \\',
      '    | jq "."',
      'curl -v \\',
      '    -u "$ID:$SECRET" \\',
      '    -d "grant_type=client_credentials" \\',
      '    -d "authorization_details=[{\\"type\\": \\"$T\\"}]" \\',
      '    "$TOKEN_ENDPOINT"',
      "JWK='{",
      '    "kty": "EC"',
      "}'",
      '</code>',
      '</pre>',
    ].join('\n')
    const bodies = extractExamples('overview.md', md).bodies
    expect(bodies.map((b) => [b.origin, b.role, b.http?.method, b.http?.path, b.mediaType, b.line, b.parameter])).toEqual([
      ['shell-output', 'response', 'GET', '/.well-known/oauth-authorization-server', 'json', 5, undefined],
      ['shell-data', 'request', 'POST', '/oauth/register', 'json', 10, undefined],
      ['shell-data', 'request', 'POST', '/oauth/token', 'form', 18, undefined],
      ['form-parameter', 'request', 'POST', '/oauth/token', 'json', 19, 'authorization_details'],
      ['shell-data', 'standalone', undefined, undefined, 'json', 21, 'JWK'],
    ])
    expect(bodies[1]!.text).toContain('"client_name": "Example"')
    expect(bodies.every((b) => b.shell)).toBe(true)
  })

  it('classifies blocks by content', () => {
    const block = (lines: string[], info = '') => ({ file: 'f', kind: 'fence' as const, info, firstLine: 1, lines })
    expect(classifyBlock(block(['==Request==']))).toBe('http')
    expect(classifyBlock(block(['HTTP/1.1 200 OK']))).toBe('http')
    expect(classifyBlock(block(['{}']))).toBe('json')
    expect(classifyBlock(block(['"formats": []'], 'text'))).toBe('json')
    expect(classifyBlock(block(['https://a.example/cb', '?code=x']))).toBe('url')
    expect(classifyBlock(block(['flowchart TB'], 'mermaid'))).toBe('other')
    expect(classifyBlock(block(['├─ outline']))).toBe('other')
  })
})
