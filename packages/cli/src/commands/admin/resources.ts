/**
 * The subcommands of `cds admin` that act on Grants, Server-Provided Files, Credentials and Client
 * objects: `create-grant`, `grant-status`, `upload-file` (streams the file), `share-file`,
 * `expire-credential`, `client-status` and `scope-overrides`.
 *
 * @module
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { parseJson } from '@cds-ts/schema'
import { Command, InvalidArgumentError } from 'commander'
import { operatorCall } from './http.js'
import { body, query, runAdmin } from './output.js'

interface GrantSummary {
  grant_id: string
  client_id: string
  status: string
  scope: string
  enabled_scope: string
}

const grantLine = (grant: GrantSummary) => `grant ${grant.grant_id}: ${grant.status} (client ${grant.client_id}, scope "${grant.scope}", enabled "${grant.enabled_scope}")\n`

/** Reads a JSON option value (numbers keep their digits). */
function jsonValue(value: string): unknown {
  try {
    return parseJson(value)
  } catch {
    throw new InvalidArgumentError('not valid JSON')
  }
}

/** `cds admin create-grant`. */
export function createGrantCommand(): Command {
  return new Command('create-grant')
    .description('create a Grant for a Client object, e.g. needs_authorization for a customer to authorize with cds_grant_id, or active')
    .requiredOption('--client <client_id>', 'the Client object the Grant is for')
    .requiredOption('--scope <scope>', 'the scope (space-separated), within the Client object\u2019s')
    .option('--status <status>', 'the Grant status (default active)')
    .option('--authorization-details <json>', 'the authorization_details list, as JSON', jsonValue)
    .option('--enabled-scope <scope>', 'for partial or needs_* statuses: the scope enabled meanwhile')
    .option('--not-before <datetime>', 'for future Grants: when access starts')
    .option('--not-after <datetime>', 'when access ends')
    .option('--name <subject>', 'the subject of the Message telling the Client')
    .option('--description <text>', 'the text of that Message')
    .action(
      async (
        options: {
          client: string
          scope: string
          status?: string
          authorizationDetails?: unknown
          enabledScope?: string
          notBefore?: string
          notAfter?: string
          name?: string
          description?: string
        },
        command: Command,
      ) => {
        const payload = {
          client_id: options.client,
          scope: options.scope,
          status: options.status,
          authorization_details: options.authorizationDetails,
          enabled_scope: options.enabledScope,
          not_before: options.notBefore,
          not_after: options.notAfter,
          name: options.name,
          description: options.description,
        }
        await runAdmin(
          command,
          (target) => operatorCall(target, 'POST', '/operator/grants', body(payload)) as Promise<{ grant: GrantSummary }>,
          (answer) => grantLine(answer.grant),
        )
      },
    )
}

/** `cds admin grant-status <grant_id> <status>`. */
export function grantStatusCommand(): Command {
  return new Command('grant-status')
    .description('change a Grant status: suspended, disabled, expired, delayed, stopped, errored, active (reactivate), …')
    .argument('<grant_id>', 'the Grant')
    .argument('<status>', 'the new status (CDS-WG1-02 §8.2)')
    .option('--reason <text>', 'why; the Client reads it in the Message about the change')
    .option('--eta <datetime>', 'for pending: when the review should end')
    .action(async (grant_id: string, status: string, options: { reason?: string; eta?: string }, command: Command) => {
      const payload = { status, reason: options.reason, eta: options.eta }
      await runAdmin(
        command,
        (target) => operatorCall(target, 'POST', `/operator/grants/${encodeURIComponent(grant_id)}/status`, body(payload)) as Promise<{ grant: GrantSummary }>,
        (answer) => grantLine(answer.grant),
      )
    })
}

interface FileSummary {
  file_id: string
  name: string
  mime_type: string
  size: number
  uri: string
}

/** `cds admin upload-file <path>`. */
export function uploadFileCommand(): Command {
  return new Command('upload-file')
    .description('store a Server-Provided File on the server, streamed from disk (share it with share-file)')
    .argument('<path>', 'the file to upload')
    .option('--name <name>', 'the file name the Client sees (default the file\u2019s own name)')
    .option('--mime-type <type>', 'its content type (default application/octet-stream)')
    .option('--description <text>', 'what the file is')
    .action(async (path: string, options: { name?: string; mimeType?: string; description?: string }, command: Command) => {
      let size: number
      try {
        const info = await stat(path)
        if (!info.isFile()) command.error(`error: ${path} is not a file`, { exitCode: 2 })
        size = info.size
      } catch {
        command.error(`error: file not found: ${path}`, { exitCode: 2 })
      }
      const search = query({ name: options.name ?? basename(path), mime_type: options.mimeType, description: options.description })
      await runAdmin(
        command,
        (target) =>
          operatorCall(target, 'POST', `/operator/files${search}`, {
            // Streamed: the file is never read into memory whole.
            stream: Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
            length: size,
            type: 'application/octet-stream',
          }) as Promise<FileSummary>,
        (file) => `file ${file.file_id}: ${file.name} (${file.mime_type}, ${file.size} bytes)\n  ${file.uri}\n`,
      )
    })
}

/** `cds admin share-file <file_id...>`. */
export function shareFileCommand(): Command {
  return new Command('share-file')
    .description('share stored files with a registration: creates a Server-Provided Files Grant for its files Client object and tells the Client')
    .argument('<file_id...>', 'the files to share')
    .option('--registration <id>', 'the registration')
    .option('--client <client_id>', 'the files Client object, instead of --registration')
    .option('--scope <scope>', 'the files scope, when the Client object has several')
    .option('--name <subject>', 'the subject of the notification')
    .option('--description <text>', 'the text of the notification')
    .action(
      async (file_ids: string[], options: { registration?: string; client?: string; scope?: string; name?: string; description?: string }, command: Command) => {
        if ((options.registration === undefined) === (options.client === undefined)) command.error('error: name exactly one of --registration <id> or --client <client_id>', { exitCode: 2 })
        const payload = {
          file_ids,
          registration_id: options.registration,
          client_id: options.client,
          scope: options.scope,
          name: options.name,
          description: options.description,
        }
        await runAdmin(
          command,
          (target) => operatorCall(target, 'POST', '/operator/files/share', body(payload)) as Promise<{ grant: GrantSummary; files: FileSummary[] }>,
          (answer) => grantLine(answer.grant) + answer.files.map((f) => `  file ${f.file_id}: ${f.name}\n`).join(''),
        )
      },
    )
}

/** `cds admin expire-credential <credential_id>`. */
export function expireCredentialCommand(): Command {
  return new Command('expire-credential')
    .description('expire a leaked Credential now: its secret stops working and its tokens are revoked (CDS-WG1-02 §7.6)')
    .argument('<credential_id>', 'the Credential')
    .option('--reason <text>', 'why; the Client reads it in its changelog')
    .action(async (credential_id: string, options: { reason?: string }, command: Command) => {
      type Expired = { registration_id: string; credential: { credential_id: string; client_id: string; client_secret_expires_at: number } }
      await runAdmin(
        command,
        (target) => operatorCall(target, 'POST', `/operator/credentials/${encodeURIComponent(credential_id)}/expire`, body({ reason: options.reason })) as Promise<Expired>,
        ({ credential }) =>
          `credential ${credential.credential_id} of ${credential.client_id}: expired at ${new Date(credential.client_secret_expires_at * 1000).toISOString()}\n`,
      )
    })
}

interface ClientAnswer {
  registration_id: string
  client: { client_id: string; cds_status: string; cds_server_metadata: string }
}

/** `cds admin client-status <client_id> <status>`. */
export function clientStatusCommand(): Command {
  return new Command('client-status')
    .description('disable a Client object (its tokens are revoked), or enable it again with one of its cds_status_options')
    .argument('<client_id>', 'the Client object')
    .argument('<status>', 'disabled, sandbox or production')
    .option('--reason <text>', 'why; the Client reads it in its changelog')
    .action(async (client_id: string, status: string, options: { reason?: string }, command: Command) => {
      await runAdmin(
        command,
        (target) =>
          operatorCall(target, 'POST', `/operator/clients/${encodeURIComponent(client_id)}/status`, body({ status, reason: options.reason })) as Promise<ClientAnswer>,
        ({ client }) => `client ${client.client_id}: ${client.cds_status}\n`,
      )
    })
}

/** `cds admin scope-overrides <client_id>`. */
export function scopeOverridesCommand(): Command {
  return new Command('scope-overrides')
    .description('narrow Scope Descriptions for one Client object (e.g. fewer coverages), or clear the narrowing')
    .argument('<client_id>', 'the Client object')
    .option('--set <json>', 'the overrides by scope id, e.g. {"demo_usage_data":{"coverages_supported":["demo-commercial-gas"]}}', jsonValue)
    .option('--clear', 'use the public Scope Descriptions again')
    .action(async (client_id: string, options: { set?: unknown; clear?: boolean }, command: Command) => {
      if ((options.set === undefined) === (options.clear !== true)) command.error('error: pass exactly one of --set <json> or --clear', { exitCode: 2 })
      const scope_overrides = options.clear === true ? null : options.set
      await runAdmin(
        command,
        (target) => operatorCall(target, 'PUT', `/operator/clients/${encodeURIComponent(client_id)}/scope-overrides`, body({ scope_overrides })) as Promise<ClientAnswer>,
        ({ client }) => `client ${client.client_id}: cds_server_metadata ${client.cds_server_metadata}\n`,
      )
    })
}
