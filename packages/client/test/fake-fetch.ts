/**
 * A scripted `fetch` for unit tests: each call takes the next answer and is recorded with its
 * method, URL, headers and body. No socket is opened.
 */
import type { CdsAuthorizationServer, FetchLike } from '../src/index.js'

/** One recorded call. */
export interface RecordedCall {
  method: string
  url: string
  headers: Record<string, string>
  body: string | undefined
}

/** A scripted answer: JSON (any value) or a ready `Response`. */
export type Answer = Response | { status?: number; json?: unknown; text?: string; headers?: Record<string, string> }

function toResponse(answer: Answer, url: string): Response {
  if (answer instanceof Response) return answer
  const body = answer.text ?? (answer.json === undefined ? null : JSON.stringify(answer.json))
  const headers = { ...(answer.json === undefined ? {} : { 'content-type': 'application/json' }), ...answer.headers }
  const response = new Response(body, { status: answer.status ?? 200, headers })
  Object.defineProperty(response, 'url', { value: url })
  return response
}

/** A fetch that answers from `answers` in order (the last one repeats) and records every call. */
export function fakeFetch(...answers: Answer[]): FetchLike & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = []
  const fetch = async (input: string | URL, init: RequestInit = {}) => {
    const url = String(input)
    calls.push({
      method: init.method ?? 'GET',
      url,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? init.body : undefined,
    })
    const answer = answers.length > 1 ? answers.shift() : answers[0]
    if (answer === undefined) throw new Error(`no scripted answer for ${url}`)
    return toResponse(answer, url)
  }
  return Object.assign(fetch, { calls })
}

/** A CDS-WG1-02 §3.4 Scope Description with every member, empty lists unless given. */
function scopeDescription(base: string, id: string, type: string, name: string, description: string, extra: Record<string, unknown> = {}) {
  return {
    id,
    type,
    name,
    description,
    documentation: `${base}/docs/${id}`,
    registration_requirements: [],
    registration_optional: [],
    response_types_supported: [],
    grant_types_supported: [],
    token_endpoint_auth_methods_supported: [],
    code_challenge_methods_supported: [],
    coverages_supported: [],
    grant_admin_scope: null,
    authorization_details_types_supported: [],
    authorization_details_fields_supported: [],
    ...extra,
  }
}

/** A CDS-WG1-02 §3.8 string Authorization Details Field of a Grant Admin scope. */
function field(base: string, id: string) {
  return { id, name: id, description: id, documentation: `${base}/docs/${id}`, for_types: ['cds_grant_admin'], format: 'string', is_required: true, maximum: 1000, minimum: 1 }
}

/** A CDS-WG1-02 §3.2 Authorization Server Metadata for `base`. */
export function metadataFor(base: string, extra: Record<string, unknown> = {}) {
  return {
    issuer: base,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    registration_endpoint: `${base}/register`,
    pushed_authorization_request_endpoint: `${base}/par`,
    scopes_supported: ['cds_client_admin', 'cds_usage', 'cds_grant_admin_1'],
    response_types_supported: ['code'],
    grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    service_documentation: `${base}/docs`,
    op_policy_uri: `${base}/policy`,
    op_tos_uri: `${base}/tos`,
    revocation_endpoint: `${base}/revoke`,
    introspection_endpoint: `${base}/introspect`,
    code_challenge_methods_supported: ['S256'],
    authorization_details_types_supported: ['cds_usage', 'cds_grant_admin_1'],
    cds_oauth_version: 'v1',
    cds_human_registration: `${base}/register`,
    cds_timezone: 'UTC',
    cds_test_accounts: `${base}/test-accounts`,
    cds_clients_api: `${base}/api/clients`,
    cds_messages_api: `${base}/api/messages`,
    cds_credentials_api: `${base}/api/credentials`,
    cds_grants_api: `${base}/api/grants`,
    cds_scope_descriptions: {
      cds_client_admin: scopeDescription(base, 'cds_client_admin', 'cds_client_admin', 'Client Admin', 'This scope grants administrative access to the Client management APIs.', {
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      }),
      cds_usage: scopeDescription(base, 'cds_usage', 'cds_usage', 'Usage', 'Meter usage.', {
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        code_challenge_methods_supported: ['S256'],
        grant_admin_scope: 'cds_grant_admin_1',
        authorization_details_types_supported: ['cds_usage'],
      }),
      cds_grant_admin_1: scopeDescription(base, 'cds_grant_admin_1', 'cds_grant_admin', 'Grant Admin', 'This scope grants administrative access to previously created Grants.', {
        grant_types_supported: ['client_credentials'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
        authorization_details_types_supported: ['cds_grant_admin_1'],
        authorization_details_fields_supported: [field(base, 'client_id'), field(base, 'grant_id')],
      }),
    },
    cds_registration_fields: {},
    ...extra,
  }
}

/** {@link metadataFor} typed as the SDK's metadata. */
export function fakeAuthorizationServer(base: string, extra: Record<string, unknown> = {}): CdsAuthorizationServer {
  return metadataFor(base, extra)
}
