/**
 * The explicit matching rules: which schema an example body is, judged from where it appears.
 * Each rule names candidate `$id`s, most likely first (a RegExp matches ids by pattern); the
 * first one present in the registry is used.
 *
 * The endpoints are those of CDS-WG1-01 §3–§4, CDS-WG1-02 §3–§9 (and RFC 6749, RFC 7591,
 * RFC 9126 for the OAuth ones) and the data APIs of CDS-WG3-01 §10.
 *
 * @module
 */
import type { BodyOrigin } from './types.js'

/** What is known about a body when its schema is chosen. */
export interface MatchContext {
  file: string
  role: 'request' | 'response' | 'standalone'
  origin: BodyOrigin
  mediaType: 'json' | 'form'
  method?: string
  /** Request path (query removed), when known. */
  path?: string
  status?: number
  /** Section title and number of the heading above the example. */
  heading?: string
  section?: string
  /** For JSON taken from a form field, query parameter or shell variable: its name. */
  parameter?: string
}

/**
 * A schema named by `$id`, by a pattern over `$id`s (the shortest match), or as the best-scoring
 * of the schemas whose `$id` matches a pattern.
 */
export type SchemaRef = string | RegExp | { bestOf: RegExp }

/** One rule: when it applies, and the schemas it names. */
export interface MatchRule {
  name: string
  when: (context: MatchContext, body: unknown) => boolean
  schemas: readonly SchemaRef[] | ((context: MatchContext, body: unknown) => SchemaRef[])
  /** For an array body: choose the schema item by item (`schemas` then receives the item). */
  perItem?: boolean
  /** When set, the body is deliberately left unchecked, for this reason (no CDS object fits it). */
  noSchema?: string
}

const isResponse = (c: MatchContext) => c.role === 'response'
const isRequest = (c: MatchContext) => c.role === 'request'
const pathIs = (c: MatchContext, pattern: RegExp) => c.path !== undefined && pattern.test(c.path)
const method = (c: MatchContext, ...names: string[]) => c.method !== undefined && names.includes(c.method.toUpperCase())

function keysOf(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return []
  if (Array.isArray(body)) return body.flatMap((item) => keysOf(item))
  return Object.keys(body)
}
const has = (body: unknown, ...keys: string[]) => {
  const own = keysOf(body)
  return keys.every((k) => own.includes(k))
}

/** The singular PascalCase name of a collection path segment: `service-contracts` → `ServiceContract`. */
function singular(segment: string): string {
  const words = segment.split(/[-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1))
  const last = words.pop() ?? ''
  words.push(last.replace(/ies$/, 'y').replace(/s$/, ''))
  return words.join('')
}

// RFC 9396 §2 objects: the grant admin and files types of CDS-WG1-02 §3.3.2–§3.3.3, the
// Customer Data types of CDS-WG3-01 §7, or the generic object.
const AUTHORIZATION_DETAIL: SchemaRef[] = [{ bestOf: /AuthorizationDetails?$/ }, 'AuthorizationDetail', /^AuthorizationDetail(?:s|Object)?$/]

// CDS-WG1-02 §5–§9 and CDS-WG3-01 §10: the collections and what their bodies are.
const CDS_COLLECTIONS = /\/(clients|messages|credentials|grants|server-provided-files)(?:\/([^/]+))?$/
const DATA_COLLECTIONS = /\/(accounts|service-contracts|service-points|meter-devices|bill-statements|bill-sections|aggregations|usage-segments|eacs)$/

function collectionSchemas(c: MatchContext): SchemaRef[] {
  const match = CDS_COLLECTIONS.exec(c.path ?? '')
  if (!match) return []
  const name = match[1] === 'server-provided-files' ? 'ServerProvidedFile' : singular(match[1] ?? '')
  const item = match[2] !== undefined
  const verb = (c.method ?? 'GET').toUpperCase()
  if (c.role === 'response') {
    if (!item && verb === 'GET') {
      return name === 'ServerProvidedFile' ? ['ServerProvidedFileListing', 'ServerProvidedFilesListing'] : [`${name}Listing`]
    }
    return [name]
  }
  if (c.role !== 'request') return []
  if (!item && verb === 'POST') return [`${name}CreateRequest`, `Create${name}Request`]
  if (item && (verb === 'PATCH' || verb === 'PUT')) return [`${name}ModifyRequest`, `Modify${name}Request`, `${name}UpdateRequest`]
  return []
}

function tokenRequestSchemas(_c: MatchContext, body: unknown): SchemaRef[] {
  const grant = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).grant_type : undefined
  const specific: Record<string, string[]> = {
    client_credentials: ['ClientCredentialsTokenRequest', 'ClientCredentialsRequest'],
    authorization_code: ['AuthorizationCodeTokenRequest', 'AuthorizationCodeRequest'],
    refresh_token: ['RefreshTokenRequest', 'RefreshTokenTokenRequest'],
  }
  return [...(typeof grant === 'string' ? (specific[grant] ?? []) : []), 'TokenRequest', /^(?:Access)?TokenRequest$/]
}

/** The rules, in the order they are tried. */
export const RULES: readonly MatchRule[] = [
  // Any error status: an OAuth-style error body (RFC 6749 §5.2, RFC 7591 §3.2.2).
  {
    name: 'error-response',
    when: (c) => isResponse(c) && (c.status ?? 0) >= 400,
    schemas: ['ErrorResponse', 'OAuthErrorResponse', 'OAuthError', /ErrorResponse$/],
  },
  // CDS-WG1-01 §3.1, and the Client-specific metadata of CDS-WG1-02 §5.1 `cds_server_metadata`.
  { name: 'server-metadata', when: (c) => isResponse(c) && pathIs(c, /cds-server-metadata(?:\.json)?$/), schemas: ['ServerMetadata'] },
  // CDS-WG1-02 §3.2 (RFC 8414), public or Client-specific.
  {
    name: 'authorization-server-metadata',
    when: (c) => isResponse(c) && pathIs(c, /oauth-authorization-server$/),
    schemas: ['AuthorizationServerMetadata', 'OAuthAuthorizationServerMetadata', /AuthorizationServerMetadata$/],
  },
  // CDS-WG1-01 §4.1: the coverage endpoint's URL is free, its body is telling.
  { name: 'coverage-listing', when: (c, b) => c.role !== 'request' && has(b, 'coverage_entries'), schemas: ['CoverageListing'] },
  // CDS-WG1-02 §4.1 (RFC 7591 §3.1).
  {
    name: 'client-registration-request',
    when: (c) => isRequest(c) && c.mediaType === 'json' && pathIs(c, /\/register$/),
    schemas: ['ClientRegistrationRequest', 'RegistrationRequest', /RegistrationRequest$/],
  },
  // CDS-WG1-02 §4.2 (RFC 7591 §3.2.1): a Client Object plus its secret.
  {
    name: 'client-registration-response',
    when: (c) => isResponse(c) && pathIs(c, /\/register$/),
    schemas: ['ClientRegistrationResponse', 'RegistrationResponse', 'Client'],
  },
  // RFC 9396 §2: `authorization_details` sent as a form field or query parameter.
  { name: 'authorization-details-parameter', when: (c) => c.parameter === 'authorization_details', schemas: AUTHORIZATION_DETAIL, perItem: true },
  // RFC 6749 §4.1.3, §4.4.2, §6: token requests (form).
  { name: 'token-request', when: (c) => isRequest(c) && c.mediaType === 'form' && pathIs(c, /\/token$/), schemas: tokenRequestSchemas },
  // RFC 6749 §5.1 with RFC 9396 §7 and `cds_grant_ids`.
  {
    name: 'token-response',
    when: (c) => isResponse(c) && pathIs(c, /\/token$/),
    schemas: ['TokenResponse', 'AccessTokenResponse', /TokenResponse$/],
  },
  // RFC 9126 §2.1–§2.2.
  {
    name: 'par-request',
    when: (c) => isRequest(c) && pathIs(c, /\/par$/),
    schemas: ['PushedAuthorizationRequest', 'ParRequest', 'AuthorizationRequest'],
  },
  { name: 'par-response', when: (c) => isResponse(c) && pathIs(c, /\/par$/), schemas: ['ParResponse', 'PushedAuthorizationResponse', /ParResponse$/] },
  // RFC 7662 §2.2.
  {
    name: 'introspection-response',
    when: (c) => isResponse(c) && pathIs(c, /\/(?:introspect|token\/info)$/),
    schemas: ['IntrospectionResponse', /IntrospectionResponse$/],
  },
  // CDS-WG1-02 §5–§9: listings, objects, create and modify bodies of the CDS APIs.
  { name: 'cds-api', when: (c) => (isRequest(c) || isResponse(c)) && c.mediaType === 'json' && collectionSchemas(c).length > 0, schemas: collectionSchemas },
  // CDS-WG3-01 §10: the data APIs are listings only.
  {
    name: 'data-api-listing',
    when: (c) => isResponse(c) && method(c, 'GET') && pathIs(c, DATA_COLLECTIONS),
    schemas: (c) => {
      const segment = DATA_COLLECTIONS.exec(c.path ?? '')?.[1] ?? ''
      const name = segment === 'eacs' ? 'Eac' : singular(segment)
      return [`${name}Listing`, ...(segment === 'eacs' ? ['EacListing', 'EnergyAttributeCertificateListing'] : [])]
    },
  },
  // Bare JSON in the catalogs and overviews, recognised by telling members.
  { name: 'usage-segment-listing', when: (c, b) => c.role !== 'request' && has(b, 'usage_segments'), schemas: ['UsageSegmentListing'] },
  {
    name: 'usage-segment',
    when: (c, b) => c.role === 'standalone' && !Array.isArray(b) && (has(b, 'cds_usagesegment_id') || has(b, 'segment_start', 'values') || has(b, 'formats', 'values')),
    schemas: ['UsageSegment'],
  },
  // A private key is the client's own secret, never sent to a server: no CDS schema applies to it.
  {
    name: 'private-jwk',
    when: (c) => /jwk/i.test(c.parameter ?? '') && /private/i.test(c.parameter ?? ''),
    schemas: [],
    noSchema: 'a private JWK stays with the client; CDS defines only the public encryption key (CDS-WG1-02 §2)',
  },
  // A public JSON Web Key held in a shell variable (CDS-WG1-02 §2 `jwk`).
  { name: 'jwk', when: (c) => /jwk/i.test(c.parameter ?? ''), schemas: ['JwkPublicEncryptionKey'] },
  // CDS-WG3-01 §13.3.2: the pretty-printed `authorization_details` of an authorization request.
  {
    name: 'authorization-details-block',
    when: (c, b) => c.role === 'standalone' && Array.isArray(b) && b.length > 0 && b.every((item) => has(item, 'type')),
    schemas: AUTHORIZATION_DETAIL,
    perItem: true,
  },
]

/** The RFC 9396 arrays nested in other objects (tokens, Grants, Client defaults, grant requests). */
export const NESTED_AUTHORIZATION_DETAILS = /^(?:enabled_|cds_default_)?authorization_details$/

/** Schemas checked item by item wherever {@link NESTED_AUTHORIZATION_DETAILS} arrays appear. */
export const AUTHORIZATION_DETAIL_SCHEMAS: readonly SchemaRef[] = AUTHORIZATION_DETAIL
