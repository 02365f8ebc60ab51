/**
 * `POST /oauth/register`: dynamic client registration (RFC 7591 §3) as CDS-WG1-02 §4 profiles it.
 * The route reads the JSON body whatever its Content-Type, checks its shape, and hands it
 * to `registerClient` of `@cds-ts/auth`, which checks scopes and registration fields, creates every
 * Client object and Credential in one transaction and returns the `cds_client_admin` Client object
 * with its `client_secret`. The answer is 201 (RFC 7591 §3.2.1, A-05) with `Cache-Control: no-store`;
 * bad input is 400 `invalid_client_metadata` naming the member (RFC 7591 §3.2.2, A-15, A-45).
 *
 * No registration field format carries a decimal (CDS-WG1-02 §3.7, CDS-WG3-01 §5.1), so the body
 * is read with the plain JSON reader: nothing in it can lose digits.
 *
 * @see CDS-WG1-02 §4 Client Registration Process
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3 | RFC 7591 §3}
 * @module
 */
import { registerClient, type AuthStore, type Clock, type ClientUrls, type RegisterClientOptions } from '@cds-ts/auth'
import { ClientRegistrationRequest, ClientRegistrationResponse, OAuthErrorResponse } from '@cds-ts/schema'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import type { ConfigPluginOptions, ServerConfig } from '../../config/config-schema.js'
import { ENDPOINT_PATHS, endpointUrl } from '../../config/endpoints.js'
import { ref } from '../../shared/schemas.js'
import { receiptUrl } from './receipt.js'

/** Options of {@link registerPlugin}. */
export interface RegisterPluginOptions extends ConfigPluginOptions {
  /** Where Client objects and Credentials are written. */
  store: AuthStore
  /** The time of `client_id_issued_at` and `cds_created`; default the system clock. */
  clock?: Clock
  /** Runs inside the registration transaction, e.g. to create the Messages of CDS-WG1-02 §3.6. */
  onRegistered?: RegisterClientOptions['onRegistered']
}

/**
 * The URLs of a Client object: `cds_client_uri` under the Clients API (unique per object), and
 * `cds_server_metadata` as the public CDS Server Metadata, since no Client object sees Scope
 * Descriptions other than the public ones (CDS-WG1-02 §5.1, R1-02-5.1-15).
 *
 * @see CDS-WG1-02 §5.1 Client Object Format
 */
export function clientUrls(config: ServerConfig, client_id: string): ClientUrls {
  return {
    // CDS-WG1-02 §5.1 (R1-02-5.1-08): one URL per Client object.
    cds_client_uri: `${endpointUrl(config.base_url, 'clients_api')}/${encodeURIComponent(client_id)}`,
    cds_server_metadata: endpointUrl(config.base_url, 'cds_server_metadata'),
  }
}

const ignored = (why: string) => Type.Optional(Type.Unknown({ description: `Ignored: ${why}` }))

const { scope: _scope, redirect_uris: _r, grant_types: _g, response_types: _t, token_endpoint_auth_method: _a, software_statement: _s, ...checked } =
  ClientRegistrationRequest.properties

/**
 * The body the route accepts: the RFC 7591 §3.1 client metadata of `ClientRegistrationRequest`,
 * with the members the server sets itself accepted whatever they hold (CDS-WG1-02 §4.1 ignores
 * them), and open to the registration field values keyed by `field_name`. Whether `scope` holds
 * `cds_client_admin` and known scopes, and whether the field values have their formats, is
 * checked by `registerClient` with descriptions that name the problem.
 *
 * @see CDS-WG1-02 §4.1 Client Registration Request
 */
export const RegistrationRequestBody = Type.Object(
  {
    scope: Type.String({ description: 'Space-separated scopes; must hold `cds_client_admin` and only keys of `cds_scope_descriptions`.' }),
    ...checked,
    redirect_uris: ignored('the server sets its own default redirect URI (CDS-WG1-02 §4.1, §4.2).'),
    grant_types: ignored('derived from the Scope Descriptions (CDS-WG1-02 §4.2).'),
    response_types: ignored('derived from the Scope Descriptions (CDS-WG1-02 §4.2).'),
    token_endpoint_auth_method: ignored('derived from the Scope Descriptions (CDS-WG1-02 §4.2).'),
    software_statement: ignored('software statements are not supported (RFC 7591 §2.3).'),
  },
  {
    description:
      'Client Registration Request: RFC 7591 client metadata with a scope holding `cds_client_admin`, plus registration field values keyed by `field_name` (CDS-WG1-02 §4.1).',
  },
)

/** Fastify's default body limit, kept as the floor. */
const DEFAULT_BODY_LIMIT = 1_048_576

/**
 * The body limit of the route: room for every Base64 file field at its `max_size` (CDS-WG1-02
 * §3.5), plus 64 KiB for the rest, and never below Fastify's 1 MiB default.
 *
 * @see CDS-WG1-02 §3.5 Registration Field Object Format
 */
export function registrationBodyLimit(config: ServerConfig): number {
  let files = 0
  for (const field of Object.values(config.oauth.registration_fields)) {
    if (field.max_size !== undefined) files += Math.ceil(field.max_size / 3) * 4
  }
  return Math.max(DEFAULT_BODY_LIMIT, files + 65_536)
}

/**
 * Registers `POST /oauth/register`.
 *
 * @example
 * ```ts
 * await app.register(registerPlugin, { config, store: new KyselyAuthStore(db) })
 * ```
 * @see CDS-WG1-02 §4.1 Client Registration Request
 * @see CDS-WG1-02 §4.2 Client Registration Response
 * @see {@link https://www.rfc-editor.org/rfc/rfc7591#section-3.2 | RFC 7591 §3.2}
 */
export const registerPlugin: FastifyPluginAsyncTypebox<RegisterPluginOptions> = async (app, { config, store, clock, onRegistered }) => {
  const options: RegisterClientOptions = {
    store,
    scope_descriptions: config.oauth.scope_descriptions,
    registration_fields: config.oauth.registration_fields,
    policy: config.registration,
    default_redirect_uri: receiptUrl(config),
    clientUrls: (client_id) => clientUrls(config, client_id),
    ...(clock === undefined ? {} : { clock }),
    ...(onRegistered === undefined ? {} : { onRegistered }),
  }
  app.post(
    ENDPOINT_PATHS.registration,
    {
      // RFC 7591 §3.2.2: a body that fails the schema is invalid client metadata; R1-02-4.2-22:
      // the response carries a secret, so it is never stored by a cache.
      config: { validationError: 'invalid_client_metadata', noStore: true },
      bodyLimit: registrationBodyLimit(config),
      schema: {
        operationId: 'registerClient',
        tags: ['CDS-WG1-02 Client Registration'],
        summary: 'Client Registration Request',
        description:
          'Registers a Client for the requested scopes (RFC 7591 §3.1, CDS-WG1-02 §4.1) and returns the `cds_client_admin` Client object with its secret (CDS-WG1-02 §4.2).',
        body: RegistrationRequestBody,
        response: {
          201: ref(ClientRegistrationResponse),
          400: ref(OAuthErrorResponse),
          413: ref(OAuthErrorResponse),
        },
      },
    },
    async (request, reply) => {
      const { response } = await registerClient(request.body, options)
      // RFC 7591 §3.2.1 (R1-02-4.2-01, A-05): 201 Created; RFC 9110 §15.3.2: Location names the new object.
      return reply.code(201).header('location', response.cds_client_uri).send(response)
    },
  )
}
