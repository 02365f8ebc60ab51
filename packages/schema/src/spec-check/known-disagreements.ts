/**
 * Known disagreements between the drafts' examples and their normative text, with the reading
 * this implementation follows and why. Drawn from the project's catalogs (`requirements-wg1.md`
 * §5.1, `requirements-wg3-auth.md` part E, `requirements-wg3-data.md` §6 and Appendix A) and
 * from running the example check; written in this project's words.
 *
 * Each entry is keyed by the example's location: file, section number (or heading title for
 * unnumbered sections, `*` for the whole file), and optionally request/response and position.
 *
 * @module
 */

/** One known disagreement between an example and the normative text. */
export interface KnownDisagreement {
  /** Catalog and ambiguity id (`requirements-wg1.md A-04`); absent when no catalog lists it. */
  catalog?: string
  /** Spec file name, e.g. `cds-wg1-02.md`. */
  file: string
  /** Section number (`12.2`), heading title for unnumbered sections, or `*` for the whole file. */
  section: string
  /** Limits the entry to requests, responses or bare blocks of the section. */
  role?: 'request' | 'response' | 'standalone'
  /** Limits the entry to the n-th body of the section (1-based). */
  ordinal?: number
  /**
   * Member names or JSON Pointers the entry explains; absent: every problem of the example;
   * empty: none (the disagreement is about behaviour the schema cannot see).
   */
  covers?: readonly string[]
  /** What the example shows. */
  example: string
  /** What the normative text says, with its section. */
  text: string
  /** Which one the implementation follows. */
  follow: 'normative text' | 'example' | 'both accepted'
  /** Why. */
  why: string
}

/** The disagreements known before the check ran, plus those the check found. */
export const KNOWN_DISAGREEMENTS: readonly KnownDisagreement[] = [
  // CDS-WG1-01
  {
    catalog: 'requirements-wg1.md A-01',
    file: 'cds-wg1-01.md',
    section: '7',
    covers: ['country'],
    example: 'The coverage entry has no `country`.',
    text: 'CDS-WG1-01 §4.3 makes `country` REQUIRED (one entry per country).',
    follow: 'normative text',
    why: 'The field table is normative and the example is not; a client cannot place an area without its country.',
  },
  {
    catalog: 'requirements-wg1.md A-01',
    file: 'cds-wg1-01-overview.md',
    section: 'Metadata Example',
    covers: ['capabilities', 'ieee1547_setup'],
    example: 'Lists the capability `ieee1547` and a member `ieee1547_setup` that no CDS spec defines, and `oauth`, which only CDS-WG1-02 adds.',
    text: 'CDS-WG1-01 §3.4 defines `coverage`; §6 lets other specs add capabilities and members, and tells clients to ignore unknown ones.',
    follow: 'both accepted',
    why: 'Servers may extend the metadata; the strict check warns on the unknown capability, and clients skip it as §6 requires.',
  },
  {
    catalog: 'requirements-wg1.md A-01',
    file: 'cds-wg1-01-overview.md',
    section: 'Coverage Example',
    covers: ['capabilities'],
    example: 'The coverage entry lists the undefined capability `ieee1547`.',
    text: 'CDS-WG1-01 §3.4 and §6: capabilities other specs define are allowed; clients ignore unknown ones.',
    follow: 'both accepted',
    why: 'As for the metadata example: an extension value, warned on by the strict check and skipped by clients.',
  },
  // CDS-WG1-02 §12
  {
    catalog: 'requirements-wg1.md A-06b',
    file: 'cds-wg1-02.md',
    section: '*',
    covers: [],
    example: 'Every authenticated example sends the header `Authorizatin:`.',
    text: 'RFC 6750 §2.1 sends the token in the `Authorization` header.',
    follow: 'normative text',
    why: 'A misspelt header carries no credentials; the server answers 401.',
  },
  {
    catalog: 'requirements-wg1.md A-04',
    file: 'cds-wg1-02.md',
    section: '12.2',
    role: 'response',
    covers: ['registration_optional', 'cds_timezone', '/cds_scope_descriptions/example_custom/type'],
    example: 'No scope description has `registration_optional`; `example_custom` has no `type`; there is no `cds_timezone`; two commas are missing.',
    text: 'CDS-WG1-02 §3.4 requires all fifteen scope description members; §3.2 requires `cds_timezone`.',
    follow: 'normative text',
    why: 'Clients rely on the complete scope descriptions to plan registration; the server always emits every member.',
  },
  {
    catalog: 'requirements-wg1.md A-02',
    file: 'cds-wg1-02.md',
    section: '12.2',
    role: 'response',
    covers: ['for_types'],
    example: '`for_types` holds the scope id (`cds_grant_admin_1`).',
    text: 'CDS-WG1-02 §3.3.2 names the scope type (`cds_grant_admin`), while §3.8 requires a subset of the scope\'s `authorization_details_types_supported`, i.e. the id.',
    follow: 'both accepted',
    why: 'The server emits the id form, which satisfies §3.8 and matches the example; clients accept either.',
  },
  {
    catalog: 'requirements-wg1.md A-03',
    file: 'cds-wg1-02.md',
    section: '12.2',
    role: 'response',
    covers: ['grant_types_supported'],
    example: 'The server-provided files scope lists no grant types (`[]`).',
    text: 'CDS-WG1-02 §3.3.3 says that scope offers no grant types; §3.4 asks for at least one in every scope description.',
    follow: 'example',
    why: 'The scope-specific rule of §3.3.3 is the more precise one; files access goes through the Grant Admin scope instead.',
  },
  {
    catalog: 'requirements-wg1.md A-05',
    file: 'cds-wg1-02.md',
    section: '12.3',
    role: 'response',
    covers: ['client_secret_expires_at'],
    example: 'The registration answers `200 OK` and omits `client_secret_expires_at`.',
    text: 'RFC 7591 §3.2.1 answers 201 and includes the expiry with a secret; CDS-WG1-02 §5.1 keeps the expiry out of Client Objects.',
    follow: 'normative text',
    why: 'The server answers 201 as RFC 7591 requires, includes `client_secret`, and leaves the expiry to the Credentials API (§7).',
  },
  {
    catalog: 'requirements-wg1.md A-06',
    file: 'cds-wg1-02.md',
    section: '12.*',
    covers: ['contacts', 'client_name', 'cds_status_options'],
    example: 'Client Objects lack `contacts` (and some `client_name`); non-admin objects offer only `production` in `cds_status_options`.',
    text: 'CDS-WG1-02 §5.1 requires `contacts` and `client_name` (with defaults) and `disabled` among the options of every non-admin object.',
    follow: 'normative text',
    why: 'The defaults make the members cheap to emit, and clients need `disabled` to switch an object off.',
  },
  {
    catalog: 'requirements-wg1.md A-10',
    file: 'cds-wg1-02.md',
    section: '12.8',
    covers: [],
    example: 'Message `45dc…` is in `outstanding` as read and in `unread` as unread; `read` is empty; the server created a `production_request`.',
    text: 'CDS-WG1-02 §6.1–§6.2: a message has one `read` state; `production_request` is sent by the client.',
    follow: 'normative text',
    why: 'The three lists are views of one store, so one message cannot be read and unread at once. Not detectable by the schema.',
  },
  {
    catalog: 'requirements-wg1.md A-27',
    file: 'cds-wg1-02.md',
    section: '12.15',
    covers: [],
    example: 'Captioned as disabling the secret, yet sets an expiry nine days after the response\'s `modified` time.',
    text: 'CDS-WG1-02 §7.6: an expiry at or before now disables the secret and revokes its tokens.',
    follow: 'normative text',
    why: 'A past or present expiry is clamped to now and disables the secret at once; a future one is scheduled. Not detectable by the schema.',
  },
  {
    catalog: 'requirements-wg1.md A-21',
    file: 'cds-wg1-02.md',
    section: '12.18',
    role: 'response',
    covers: ['enabled_scope', 'enabled_authorization_details'],
    example: 'The closed Grant keeps its `enabled_scope` and `enabled_authorization_details`.',
    text: 'CDS-WG1-02 §8.1–§8.2: a Grant without access has `enabled_scope` `""` and `enabled_authorization_details` `[]`; `closed` gives no access.',
    follow: 'normative text',
    why: 'The enabled members tell clients what a token can still reach; a closed Grant reaches nothing.',
  },
  // CDS-WG1-02 overview
  {
    catalog: 'requirements-wg1.md A-59',
    file: 'cds-wg1-02-overview.md',
    section: 'Example: Providing a JWK in authorization_details for encrypted responses',
    covers: ['use', 'jwk'],
    example: 'The JWK has no `use: "enc"`, and the page decrypts `X-CDS-*-JWE-*` response headers WG1-02 does not define.',
    text: 'CDS-WG1-02 §2 (`jwk`) requires an encryption key; response encryption belongs to CDS-WG3-01 §7.4.6.',
    follow: 'normative text',
    why: 'A key without `use: "enc"` is refused; the encryption format is settled with CDS-WG3-01.',
  },
  {
    catalog: 'requirements-wg1.md A-08',
    file: 'cds-wg1-02-overview.md',
    section: 'Example: Obtaining a user authorization',
    covers: [],
    example: 'The authorization request has no `code_challenge` and does not use PAR.',
    text: 'CDS-WG1-02 §3.2 requires PKCE with S256 and PAR support from the server.',
    follow: 'normative text',
    why: 'PKCE is required by default (configurable for confidential clients); PAR is offered but not forced.',
  },
  // CDS-WG3-01 §13
  {
    catalog: 'requirements-wg3-data.md Appendix A; requirements-wg3-auth.md A-42',
    file: 'cds-wg3-01-dev.md',
    section: '13.1.1',
    role: 'response',
    covers: ['cds_usagesegments_additional_value_types', 'usagesegment_format'],
    example: 'No `cds_usagesegments_additional_value_types` although `cds_usagesegments_api` is listed; the `gas_monthly_01` choice has no `usagesegment_format`; commas are missing.',
    text: 'CDS-WG3-01 §5 requires the value-types map with the usage segments API; §5.2 requires `usagesegment_format` on every such choice.',
    follow: 'normative text',
    why: 'Clients read both to know which value formats they can ask for.',
  },
  {
    catalog: 'requirements-wg3-auth.md A-43',
    file: 'cds-wg3-01-dev.md',
    section: '13.1.1',
    role: 'response',
    covers: ['default'],
    example: '`include_account_numbers`, `include_account_details` and `include_service_contract_details` default to `true`.',
    text: 'CDS-WG3-01 §12.3: data carries no personal identifiers unless the client asks for them.',
    follow: 'normative text',
    why: 'The reference defaults are `false`; defaults are configuration and the token response shows the values in force.',
  },
  {
    catalog: 'requirements-wg3-auth.md A-02',
    file: 'cds-wg3-01-dev.md',
    section: '13.*',
    covers: ['type', 'authorization_details_types', 'authorization_details_types_supported', 'for_types'],
    example: 'RAR types carry an `ad` suffix (`cds_usage_1ad`), yet the grant admin token requests send `cds_grant_admin_1`.',
    text: 'CDS-WG1-02 §3.4: the RAR `type` of a scope is its scope description id.',
    follow: 'normative text',
    why: 'The server publishes one type per scope, the id by default (the suffix is configurable to replay the examples), and refuses types it did not publish.',
  },
  {
    catalog: 'requirements-wg3-auth.md A-32',
    file: 'cds-wg3-01-dev.md',
    section: '13.*',
    role: 'response',
    covers: ['cds_grant_ids'],
    example: 'Token responses carry `cds_grant_ids`.',
    text: 'CDS-WG3-01 refers to grant ids in token responses that the pinned CDS-WG1-02 does not define.',
    follow: 'example',
    why: 'Clients need the Grant behind a token; the member is an allowed extension and the server always sends it.',
  },
  {
    catalog: 'requirements-wg3-auth.md A-09',
    file: 'cds-wg3-01-dev.md',
    section: '13.3.3',
    role: 'response',
    example: 'The token\'s `authorization_details` omit the form-only fields (`authorization_form_selection_type`, `merge_selection_with`, `error_if_no_preselections`, `allow_scope_modifications`, `jwk`).',
    text: 'CDS-WG3-01 §7: every default in force appears in the token response.',
    follow: 'normative text',
    why: 'Echoing every non-preselection field lets the client see exactly what was granted; the suite only warns on the form-only ones.',
  },
  {
    catalog: 'requirements-wg3-auth.md T13',
    file: 'cds-wg3-01-dev.md',
    section: '13.*',
    role: 'response',
    covers: ['parent'],
    example: 'Grants show `parent: []`.',
    text: 'CDS-WG1-02 §8.1: `parent` is the parent `grant_id` or `null`.',
    follow: 'normative text',
    why: 'A Grant has at most one parent; an array is the wrong type.',
  },
  {
    file: 'cds-wg3-01-dev.md',
    section: '13.4.3',
    role: 'response',
    example: 'Getting one Grant by its `uri` returns a listing (`{"grants": [...], "next", "previous"}`).',
    text: 'CDS-WG1-02 §8.5: the Grant `uri` returns that Grant object.',
    follow: 'normative text',
    why: 'Single-object URLs return the object itself everywhere else in CDS-WG1-02 (§5.4, §6.10, §7.5, §9.3).',
  },
  {
    catalog: 'requirements-wg3-data.md Appendix A',
    file: 'cds-wg3-01-dev.md',
    section: '13.2.3',
    role: 'response',
    covers: ['cds_account_id', 'file_uri'],
    example: '`cds_account_id` is `68930b861cdfc90cZ`, not the account `68930b861cdfc90c`; `file_uri` reuses the collection path with the statement id.',
    text: 'CDS-WG3-01 §10.5.1: `cds_account_id` is the id of the statement\'s Account.',
    follow: 'normative text',
    why: 'The id must resolve to a visible Account; bill files are served on a path of their own (requirements-wg3-data.md A-03).',
  },
  {
    catalog: 'requirements-wg3-data.md Appendix A, A-18, A-71',
    file: 'cds-wg3-01-dev.md',
    section: '13.3.5',
    role: 'response',
    covers: ['related_meterdevices', 'related_billsections', 'cds_usagesegment_id'],
    example: '`related_meterdevices` appears twice (the second should be `related_billsections`), both segments share one id, December is listed before November, and the "~2880 Value Sets" note undercounts December.',
    text: 'CDS-WG3-01 §10.8.1 requires `related_billsections` and unique ids; §10.8.8 orders by `segment_start` ascending.',
    follow: 'normative text',
    why: 'Duplicate members are not interoperable JSON and a repeated id breaks paging; the order rule is normative.',
  },
  {
    file: 'cds-wg3-01-dev.md',
    section: '13.1.2',
    role: 'response',
    covers: ['cds_server_metadata'],
    example: 'The registration answers 200 and the admin Client Object points `cds_server_metadata` at the public metadata URL.',
    text: 'RFC 7591 §3.2.1 answers 201 (see requirements-wg1.md A-05); CDS-WG1-02 §5.1 allows a Client-specific metadata URL.',
    follow: 'normative text',
    why: 'The status follows RFC 7591; pointing at the public metadata is allowed, so only the status differs.',
  },
  {
    catalog: 'requirements-wg1.md A-04 (same pattern)',
    file: 'cds-wg3-01-dev.md',
    section: '13.1.1',
    role: 'response',
    covers: ['cds_timezone'],
    example: 'The metadata has no `cds_timezone`.',
    text: 'CDS-WG1-02 §3.2 requires `cds_timezone`; CDS-WG3-01 uses it for every date and relative duration.',
    follow: 'normative text',
    why: 'Without the zone a client cannot turn dates or relative durations into instants.',
  },
  {
    file: 'cds-wg3-01-dev.md',
    section: '13.1.*',
    covers: ['field_name', 'invite_code'],
    example: 'The registration field `direct_access_invite_code` has `field_name` `invite_code`, and the registration request sends `invite_code`.',
    text: 'CDS-WG1-02 §3.5: a `field_name` starts with `cds_`.',
    follow: 'normative text',
    why: 'The prefix keeps CDS registration fields apart from RFC 7591 client metadata; the server names the field `cds_invite_code`.',
  },
  {
    catalog: 'requirements-wg1.md A-06 (same pattern)',
    file: 'cds-wg3-01-dev.md',
    section: '13.*',
    role: 'response',
    covers: ['contacts', 'client_name', 'cds_status_options'],
    example: 'Client Objects lack `contacts` (the grant admin and direct access ones also `client_name`), and the grant admin object offers only `production`.',
    text: 'CDS-WG1-02 §5.1 requires `contacts` and `client_name` (with defaults) and `disabled` among the options of every non-admin object.',
    follow: 'normative text',
    why: 'As for the CDS-WG1-02 examples: the defaults make the members cheap, and clients need `disabled` to switch an object off.',
  },
  {
    file: 'cds-wg3-01-dev.md',
    section: '13.3.3',
    role: 'request',
    covers: ['code_verifier'],
    example: 'The token request sends the 16-character `code_verifier` `3ab4c71f218f4d9a`.',
    text: 'RFC 7636 §4.1 (PKCE, required by CDS-WG1-02 §3.2): a verifier has 43 to 128 characters.',
    follow: 'normative text',
    why: 'A short verifier is easy to guess; the server refuses it with `invalid_grant`.',
  },
  {
    file: 'cds-wg3-01-dev.md',
    section: '13.4.1',
    role: 'response',
    covers: ['related_type'],
    example: 'The created message has a `related_uri` but no `related_type`.',
    text: 'CDS-WG1-02 §6.1: `related_type` is required whenever `related_uri` is given.',
    follow: 'normative text',
    why: 'Clients use `related_type` to know what the link points at; the server sets it (`client` here).',
  },
  {
    file: 'cds-wg1-02-overview.md',
    section: 'Example: Providing a JWK in authorization_details for encrypted responses',
    role: 'request',
    covers: ['client_id'],
    example: 'The pushed authorization request sends no `client_id` (the client authenticates with Basic).',
    text: 'RFC 9126 §2.1 pushes the authorization request parameters of RFC 6749 §4.1.1, `client_id` among them.',
    follow: 'normative text',
    why: 'The server compares the pushed `client_id` with the authenticated client before it accepts the request.',
  },
  // The project's own catalogs: abbreviated on purpose.
  {
    file: 'requirements-wg3-data.md',
    section: '*',
    example: 'The worked examples leave out members the surrounding text calls elided (timestamps, `related_*`).',
    text: 'The catalog is not spec text; CDS-WG3-01 §10.8.1 lists the complete Usage Segment.',
    follow: 'normative text',
    why: 'The catalog shows only the members under discussion; fixtures carry complete objects.',
  },
  {
    file: 'requirements-wg1.md',
    section: '*',
    example: 'The flows use shorthand (`{ASM.token_endpoint}`, `Basic(id, secret)`, `<value>`, `...obj`).',
    text: 'The catalog is not spec text; the bodies follow CDS-WG1-02 and the RFCs it cites.',
    follow: 'normative text',
    why: 'The shorthand stands for real values; only the members written out are checked.',
  },
]
