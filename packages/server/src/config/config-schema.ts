/**
 * The typed configuration of the reference server: who it is (CDS-WG1-01 §3.2), what it covers
 * (CDS-WG1-01 §4.3), which scopes and registration fields it offers (CDS-WG1-02 §3.2–§3.5),
 * how long its tokens live and how registration treats new Clients. Keys are snake_case like
 * the spec objects they feed. `loadConfig` validates a value against {@link ServerConfig}
 * (closed: an unknown key is an error) and then runs the cross-field checks of
 * `validate-config.ts`.
 *
 * @module
 */
import {
  AuthorizationServerMetadata,
  Cds,
  CoverageEntry,
  RegistrationField,
  ScopeDescription,
  ServerMetadata,
} from '@cds-ts/schema'
import Type, { type Static } from 'typebox'
import { CustomerDataConfig } from './customer-data-config.js'

const meta = ServerMetadata.properties
const asm = AuthorizationServerMetadata.properties

/**
 * The fields of the CDS Server Metadata object that an operator sets; the server adds
 * `cds_metadata_version`, `cds_metadata_url`, `capabilities`, `coverage` and `oauth_metadata`.
 *
 * @see CDS-WG1-01 §3.2 Metadata Object Format
 */
export const MetadataConfig = Type.Object(
  {
    name: meta.name,
    description: meta.description,
    website: meta.website,
    documentation: meta.documentation,
    support: meta.support,
    created: meta.created,
    updated: meta.updated,
    related_metadata: meta.related_metadata,
  },
  { description: 'Operator-set fields of the CDS Server Metadata object (CDS-WG1-01 §3.2).' },
)
export type MetadataConfig = Static<typeof MetadataConfig>

/**
 * The Authorization Server Metadata an operator sets; endpoints come from `base_url` and the
 * unions of CDS-WG1-02 §3.2 are computed from `scope_descriptions`.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export const OAuthConfig = Type.Object(
  {
    service_documentation: asm.service_documentation,
    op_policy_uri: asm.op_policy_uri,
    op_tos_uri: asm.op_tos_uri,
    timezone: Type.String({
      description: 'IANA time zone published as `cds_timezone`, in which relative dates are resolved (CDS-WG1-02 §2, §3.2).',
    }),
    require_pushed_authorization_requests: Type.Optional(
      Type.Boolean({ description: 'Whether every authorization request must go through PAR (RFC 9126 §5); default false.' }),
    ),
    scope_descriptions: Cds.Map(ScopeDescription, {
      description: 'Scope Descriptions keyed by scope id, published as `cds_scope_descriptions` (CDS-WG1-02 §3.4).',
    }),
    registration_fields: Cds.Map(RegistrationField, {
      description: 'Registration Fields keyed by id, published as `cds_registration_fields` (CDS-WG1-02 §3.5).',
    }),
  },
  { description: 'Authorization Server settings (CDS-WG1-02 §3.2).' },
)
export type OAuthConfig = Static<typeof OAuthConfig>

const seconds = (description: string, maximum?: number) =>
  Type.Integer({ minimum: 1, ...(maximum === undefined ? {} : { maximum }), description })

/**
 * Lifetimes in seconds of what the authorization server issues. The specs leave them to the
 * server; the defaults follow the catalog's recommendation.
 *
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 * @see {@link https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2 | RFC 6749 §4.1.2}
 */
export const TokenLifetimes = Type.Object(
  {
    access_token: seconds('Access token lifetime (`expires_in`, RFC 6749 §5.1).'),
    refresh_token: seconds('Refresh token lifetime; rotated on use.'),
    // RFC 6749 §4.1.2: codes are short-lived, ten minutes at most is recommended.
    authorization_code: seconds('Authorization code lifetime; at most 600 (RFC 6749 §4.1.2).', 600),
    // RFC 9126 §2.2: a request_uri is short-lived.
    request_uri: seconds('PAR request_uri lifetime (`expires_in`, RFC 9126 §2.2); at most 600.', 600),
  },
  { description: 'Token, code and request_uri lifetimes in seconds (A-56).' },
)
export type TokenLifetimes = Static<typeof TokenLifetimes>

/**
 * Registration behaviour CDS-WG1-02 §4.2 leaves to the server.
 *
 * @see CDS-WG1-02 §4.2 Client Registration Response
 */
export const RegistrationConfig = Type.Object(
  {
    production_access: Type.Union([Type.Literal('immediate'), Type.Literal('review')], {
      description:
        '`immediate`: scopes without after-registration requirements also get their production Client Objects at registration ' +
        '(user-authorization scopes always get a sandbox one first, CDS-WG1-02 §4.2). `review`: production Client Objects wait for an operator (A-46).',
    }),
    group_scopes: Type.Boolean({
      description: 'Put scopes with the same response types, grant types and auth method into one Client Object (CDS-WG1-02 §4.2 MAY; A-47).',
    }),
    receipt_path: Type.String({
      pattern: '^/[^?#]*$',
      description: 'Path of the server-hosted default redirect_uri that shows an authorization receipt (CDS-WG1-02 §4.2; A-43).',
    }),
  },
  { description: 'Registration options CDS-WG1-02 §4.2 leaves to the server.' },
)
export type RegistrationConfig = Static<typeof RegistrationConfig>

/**
 * Client management behaviour CDS-WG1-02 §5–§9 leaves to the server.
 *
 * @see CDS-WG1-02 §5.5 Modifying Client Objects
 * @see CDS-WG1-02 §6.9 Creating Messages
 * @see CDS-WG1-02 §7.1 Credentials Object Format
 */
export const ClientManagementConfig = Type.Object(
  {
    review_fields: Type.Array(Type.String({ minLength: 1 }), {
      description:
        'Client object fields whose changes wait for an operator: a PUT changing one answers 202 and writes a `field_changes` Message (CDS-WG1-02 §5.5). Default none.',
    }),
    grant_changes_need_review: Type.Boolean({
      description: 'Whether a Client PATCH of a Grant scope waits for an operator: 202 with status `pending` (CDS-WG1-02 §8.6, A-23). Default false.',
    }),
    attachment_limit: Type.Integer({
      minimum: 10_000_000,
      description: 'Largest total of decoded attachment bytes one Message may carry; above it, 413 (CDS-WG1-02 §6.9 requires at least 10 MB, A-51).',
    }),
    secret_display: Type.Union([Type.Literal('always'), Type.Literal('once')], {
      description:
        '`always`: the Credentials API shows `client_secret` every time (CDS-WG1-02 §7.1), from a copy sealed with `secret_key`. `once`: only when created; only the digest is kept.',
    }),
    secret_key: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9_-]{43}$',
        description: '32 random bytes, base64url, that seal Credential secrets (AES-256-GCM). From CDS_SECRET_KEY; the reference server keeps one beside its data.',
      }),
    ),
  },
  { description: 'Client management options CDS-WG1-02 §5–§9 leaves to the server.' },
)
export type ClientManagementConfig = Static<typeof ClientManagementConfig>

/**
 * The operator API of the reference server (issue-4 admin API): off unless a token is configured.
 *
 * @see CDS-WG1-02 §6.9 Creating Messages
 */
export const OperatorConfig = Type.Object(
  {
    token: Type.Optional(
      Type.String({ minLength: 32, description: 'Bearer token of the operator API (from CDS_OPERATOR_TOKEN); absent: the operator API is off.' }),
    ),
  },
  { description: 'Operator API settings.' },
)
export type OperatorConfig = Static<typeof OperatorConfig>

/**
 * The customer side of CDS-WG3-01 §9 that the specs leave to the server: branding, sessions,
 * login throttling, error codes where the spec contradicts itself, default Purposes and mail.
 *
 * @see CDS-WG3-01 §9 Customer Authorizations
 */
export const CustomerAuthorizationConfig = Type.Object(
  {
    brand: Type.Object(
      {
        name: Type.String({ minLength: 1, description: 'Who the Authorization Form and Receipts speak for (CDS-WG3-01 §9.2.1.1).' }),
        website: Type.Optional(Cds.Url({ description: 'The branded entity website; the header logo links here in a new tab.' })),
        support_uri: Cds.Url({ description: 'Customer support, linked from the footer, receipts and error pages (§9.2.1.7, §9.4).' }),
        terms_uri: Cds.Url({ description: 'Terms of service the customer agrees to by approving (§9.2.1.5, §9.4).' }),
        privacy_uri: Cds.Url({ description: 'Privacy policy, linked from the footer (§9.2.1.7).' }),
      },
      { description: 'Branding of the customer pages (CDS-WG3-01 §9.2.1.1, §9.4).' },
    ),
    session_idle_seconds: Type.Integer({
      minimum: 600,
      description: 'Idle timeout of a customer session, counted from its last request; at least 10 minutes (CDS-WG3-01 §9.1.2, A-58). Default 900.',
    }),
    interaction_lifetime_seconds: Type.Integer({
      minimum: 60,
      description: 'How long a pending authorization request waits for the customer. Default 1800.',
    }),
    login_throttle: Type.Object(
      {
        max_failures: Type.Integer({ minimum: 1, description: 'Failed logins allowed per login name and per address within the window. Default 5.' }),
        window_seconds: Type.Integer({ minimum: 1, description: 'Length of the throttling window. Default 900.' }),
      },
      { description: 'Login throttling (CDS-WG1-02 §11.3; no captchas, §11.4).' },
    ),
    no_preselections_error: Type.Union([Type.Literal('no_preselections'), Type.Literal('invalid_authorization_details')], {
      description: 'The error a decline on the Preselection Error page redirects with: §7.4.3 says `no_preselections`, §9.3.1 `invalid_authorization_details` (A-12). Default `no_preselections`.',
    }),
    default_purposes: Type.Array(
      Type.Object({ id: Type.String({ minLength: 1 }), content: Type.String({ minLength: 1 }) }),
      { description: 'The server default Purposes every consent Client object gets (CDS-WG3-01 §8.1, A-36, A-37).' },
    ),
    demo_customers: Type.Boolean({ description: 'Seed the demo customers and their resources at start (the `cds_test_accounts` page lists them).' }),
    locale: Type.String({ minLength: 2, description: 'Language of the customer pages; a message catalog must exist for it. Default `en`.' }),
    email: Type.Object(
      {
        from: Type.String({ minLength: 3, description: 'Sender address of customer notifications.' }),
        smtp_url: Type.Optional(Type.String({ pattern: '^smtps?://', description: 'SMTP server (`smtp://host:port` or `smtps://…`, from CDS_SMTP_URL); absent: mail stays in the outbox.' })),
        outbox_page: Type.Boolean({ description: 'Serve the dev outbox page (`/dev/outbox`) listing every recorded notification; for demo and test servers only.' }),
      },
      { description: 'Customer notifications (CDS-WG3-01 §9.4).' },
    ),
  },
  { description: 'Customer authorization options CDS-WG3-01 §9 leaves to the server.' },
)
export type CustomerAuthorizationConfig = Static<typeof CustomerAuthorizationConfig>

/**
 * The whole server configuration.
 *
 * - `base_url` is the issuer and the origin of every published URL: `https://host[:port]`,
 *   with no path, query or fragment. `http` is accepted only for `localhost`, `127.0.0.1` and
 *   `[::1]`, for development (CDS-WG1-01 §3 and RFC 8414 §2 require https).
 * - `database_url` is a `postgres://` URL, a PGlite data directory, or `memory:` (PGlite in memory).
 *
 * @see CDS-WG1-01 §3.2 Metadata Object Format
 * @see CDS-WG1-02 §3.2 Metadata Object Format
 */
export const ServerConfig = Type.Object(
  {
    base_url: Cds.Url({ description: 'Issuer and public origin: https://host[:port]; http only for loopback development.' }),
    host: Type.String({ minLength: 1, description: 'Interface to listen on (e.g. 127.0.0.1 or 0.0.0.0).' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, description: 'TCP port to listen on; 0 picks a free one.' }),
    database_url: Type.String({ minLength: 1, description: '`postgres://…`, a PGlite data directory, or `memory:`.' }),
    metadata: MetadataConfig,
    coverage_entries: Type.Array(CoverageEntry, { description: 'Coverage entries served by the coverage endpoint (CDS-WG1-01 §4.3).' }),
    oauth: OAuthConfig,
    token_lifetimes: TokenLifetimes,
    registration: RegistrationConfig,
    client_management: ClientManagementConfig,
    operator: OperatorConfig,
    customer_authorization: CustomerAuthorizationConfig,
    customer_data: CustomerDataConfig,
  },
  { $id: 'ServerConfig', description: 'Configuration of the cds-ts reference server.' },
)
export type ServerConfig = Static<typeof ServerConfig>

/** Options of every route plugin that reads the configuration (`app.register(plugin, { config })`). */
export interface ConfigPluginOptions {
  /** The configuration returned by `loadConfig`. */
  config: ServerConfig
}
