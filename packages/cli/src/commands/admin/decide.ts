/**
 * The subcommands of `cds admin` that decide on a Client's request (CDS-WG1-02 §6.9):
 * `approve-production`, `approve-grant-request`, `reject` and `reply` (a `request_update` with any
 * status, e.g. for support requests, submissions and field changes).
 *
 * @module
 */
import { Command } from 'commander'
import { operatorCall } from './http.js'
import { body, runAdmin, table } from './output.js'

interface MessageSummary {
  message_id: string
  type: string
  status: string
  related_uri?: string
}

interface Decision {
  registration_id: string
  request_update: MessageSummary
  request: MessageSummary
}

/** The lines printed for a decision. */
function decisionLines(answer: Decision): string {
  const { request_update: update, request } = answer
  const link = update.related_uri === undefined ? '' : `\n  link:           ${update.related_uri}`
  return `request_update ${update.message_id}: ${update.status}\n  answers:        ${request.type} ${request.message_id} (now ${request.status})${link}\n`
}

const path = (message_id: string, action: string) => `/operator/messages/${encodeURIComponent(message_id)}/${action}`

/** `cds admin approve-production <message_id>`. */
export function approveProductionCommand(): Command {
  return new Command('approve-production')
    .description('approve a production_request: create the production Client object, its Credential and Grant, and reply complete')
    .argument('<message_id>', 'the production_request Message')
    .option('--description <text>', 'the text of the reply')
    .action(async (message_id: string, options: { description?: string }, command: Command) => {
      type Approval = Decision & {
        client: { client_id: string; cds_status: string; cds_client_uri: string }
        credential: { credential_id: string; client_secret?: string } | null
        grants: { grant_id: string }[]
      }
      await runAdmin(
        command,
        (target) => operatorCall(target, 'POST', path(message_id, 'approve-production'), body({ description: options.description })) as Promise<Approval>,
        (answer) =>
          `production Client object ${answer.client.client_id} (${answer.client.cds_status})\n` +
          (answer.credential === null ? '' : `  credential:     ${answer.credential.credential_id}\n`) +
          answer.grants.map((g) => `  grant:          ${g.grant_id}\n`).join('') +
          decisionLines(answer),
      )
    })
}

/** `cds admin approve-grant-request <message_id>`. */
export function approveGrantRequestCommand(): Command {
  return new Command('approve-grant-request')
    .description('approve a grant_request: create the Grants it asks for and reply complete with a link to them')
    .argument('<message_id>', 'the grant_request Message')
    .option('--description <text>', 'the text of the reply')
    .option('--grant-status <status>', 'the status of the new Grants (default active)')
    .action(async (message_id: string, options: { description?: string; grantStatus?: string }, command: Command) => {
      const payload = { description: options.description, status: options.grantStatus }
      type Approval = Decision & { grants: { grant_id: string; client_id: string; status: string; scope: string }[] }
      await runAdmin(
        command,
        (target) => operatorCall(target, 'POST', path(message_id, 'approve-grant-request'), body(payload)) as Promise<Approval>,
        (answer) =>
          table(answer.grants, [
            { heading: 'GRANT', cell: (g) => g.grant_id },
            { heading: 'CLIENT', cell: (g) => g.client_id },
            { heading: 'STATUS', cell: (g) => g.status },
            { heading: 'SCOPE', cell: (g) => g.scope },
          ]) + decisionLines(answer),
      )
    })
}

/** `cds admin reject <message_id> --reason <text>`. */
export function rejectCommand(): Command {
  return new Command('reject')
    .description('reject a request (production, grant, field changes, submission, form or payment) with the reason the Client will read')
    .argument('<message_id>', 'the Message to reject')
    .requiredOption('--reason <text>', 'why (CDS-WG1-02 §6.3 requires it)')
    .action(async (message_id: string, options: { reason: string }, command: Command) => {
      await runAdmin(
        command,
        (target) => operatorCall(target, 'POST', path(message_id, 'reply'), body({ status: 'rejected', description: options.reason })) as Promise<Decision>,
        decisionLines,
      )
    })
}

/** `cds admin reply <message_id> --status <s> --description <text>`. */
export function replyCommand(): Command {
  return new Command('reply')
    .description('answer a Message with a request_update of the given status (completing field_changes applies them)')
    .argument('<message_id>', 'the Message answered')
    .requiredOption('--status <status>', 'complete, open, pending, rejected or errored')
    .requiredOption('--description <text>', 'what was decided or done')
    .option('--name <subject>', 'the subject line (default "Request update")')
    .option('--related-uri <url>', 'a link, e.g. the payment receipt when completing a payment_request')
    .option('--related-type <type>', 'what the link is (CDS-WG1-02 §6.4)')
    .action(
      async (message_id: string, options: { status: string; description: string; name?: string; relatedUri?: string; relatedType?: string }, command: Command) => {
        const payload = { status: options.status, description: options.description, name: options.name, related_uri: options.relatedUri, related_type: options.relatedType }
        await runAdmin(command, (target) => operatorCall(target, 'POST', path(message_id, 'reply'), body(payload)) as Promise<Decision>, decisionLines)
      },
    )
}
